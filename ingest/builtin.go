package ingest

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/labdash/labdash/data"
	"github.com/labdash/labdash/data/builtin"
)

// SeedBuiltin publishes the embedded reference figures as the first snapshot
// when the store has none. It reports whether it published.
func SeedBuiltin(ctx context.Context, store *data.Store, now time.Time) (data.Snapshot, bool, error) {
	latest, err := store.LatestSnapshot(ctx)
	if err == nil {
		return latest, false, nil
	}
	if !errors.Is(err, data.ErrNoSnapshot) {
		return data.Snapshot{}, false, err
	}
	// RetrievedAt stays zero: the reference file does not record when each
	// figure was read from its page, and the seeding time would claim a visit.
	prov := Provenance{
		SourceName: builtin.SourceName,
		FileHash:   HashBytes(builtin.ReferenceCSV),
	}
	obs, err := ParseReference(bytes.NewReader(builtin.ReferenceCSV), prov)
	if err != nil {
		return data.Snapshot{}, false, fmt.Errorf("built-in reference figures: %w", err)
	}
	snap, err := store.Publish(ctx, data.Publication{
		Label: builtin.SnapshotLabel,
		Sources: []data.SourceInfo{{
			Name: builtin.SourceName, Format: "reference-csv", URL: builtin.ReferenceName,
			FileHash: prov.FileHash, RetrievedAt: now, Rows: len(obs),
		}},
		Observations: obs,
	})
	if errors.Is(err, data.ErrNothingChanged) {
		// Another server on the same database seeded it first.
		return snap, false, nil
	}
	if err != nil {
		return data.Snapshot{}, false, fmt.Errorf("publishing the built-in reference figures: %w", err)
	}
	return snap, true, nil
}
