package ingest

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/labdash/labdash/data"
	"github.com/labdash/labdash/data/builtin"
)

// SeedBuiltin publishes the built-in data (builtin.Publication: the BLS
// workbooks as the formats read them when the binary was built) as the
// first snapshot when the store has none. It reports whether it published.
func SeedBuiltin(ctx context.Context, store *data.Store, now time.Time) (data.Snapshot, bool, error) {
	latest, err := store.LatestSnapshot(ctx)
	if err == nil {
		return latest, false, nil
	}
	if !errors.Is(err, data.ErrNoSnapshot) {
		return data.Snapshot{}, false, err
	}
	pub, err := builtin.Publication(now)
	if err != nil {
		return data.Snapshot{}, false, err
	}
	snap, err := store.Publish(ctx, pub)
	if errors.Is(err, data.ErrNothingChanged) {
		// Another server on the same database seeded it first.
		return snap, false, nil
	}
	if err != nil {
		return data.Snapshot{}, false, fmt.Errorf("publishing the built-in data: %w", err)
	}
	return snap, true, nil
}
