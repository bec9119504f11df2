package ingest

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"path"
	"time"

	"github.com/labdash/labdash/data"
	"github.com/labdash/labdash/data/builtin"
	"github.com/labdash/labdash/ingest/fetch"
	"github.com/labdash/labdash/ingest/format"
)

// SeedBuiltin publishes the built-in data as the first snapshot when the
// store has none. It reports whether it published.
func SeedBuiltin(ctx context.Context, store *data.Store, now time.Time) (data.Snapshot, bool, error) {
	latest, err := store.LatestSnapshot(ctx)
	if err == nil {
		return latest, false, nil
	}
	if !errors.Is(err, data.ErrNoSnapshot) {
		return data.Snapshot{}, false, err
	}
	pub, err := BuiltinPublication(now)
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

// BuiltinPublication reads the embedded BLS workbooks with the formats that
// `labdash ingest` uses, each figure naming its file's BLS address and
// SHA-256, then adds the reference figures that no workbook gives.
func BuiltinPublication(now time.Time) (data.Publication, error) {
	pub := data.Publication{Label: builtin.SnapshotLabel}
	var obs []data.Observation
	for _, wb := range builtin.Workbooks {
		got, info, err := readBuiltinWorkbook(wb, now)
		if err != nil {
			return data.Publication{}, err
		}
		obs = append(obs, got...)
		pub.Sources = append(pub.Sources, info)
	}
	obs = format.ResolveDuplicates(obs)
	ref, info, err := builtinReference(obs, now)
	if err != nil {
		return data.Publication{}, err
	}
	pub.Observations = append(obs, ref...)
	pub.Sources = append(pub.Sources, info)
	return pub, nil
}

// readBuiltinWorkbook parses one embedded workbook. RetrievedAt stays zero:
// the file was not fetched when the store was seeded.
func readBuiltinWorkbook(wb builtin.Workbook, now time.Time) ([]data.Observation, data.SourceInfo, error) {
	body, err := builtin.BLS.ReadFile(wb.Path)
	if err != nil {
		return nil, data.SourceInfo{}, fmt.Errorf("built-in %s: %w", wb.Path, err)
	}
	f, ok := format.Lookup(wb.Format)
	if !ok {
		return nil, data.SourceInfo{}, fmt.Errorf("built-in %s: unknown format %q", wb.Path, wb.Format)
	}
	hash := fetch.HashBytes(body)
	obs, err := f.Parse(format.Input{
		Source: format.Source{Name: builtin.SourceName, URL: wb.URL, Occupations: wb.Occupations},
		Files:  []format.File{{Name: path.Base(wb.Path), Data: body}},
		Prov: format.Provenance{SourceName: builtin.SourceName, SourceTitle: wb.Title, SourceURL: wb.URL,
			FileHash: hash, Tier: wb.Tier},
	})
	if err != nil {
		return nil, data.SourceInfo{}, fmt.Errorf("built-in %s: %w", wb.Path, err)
	}
	for i := range obs {
		obs[i].Notes = joinNotes(wb.Notes, obs[i].Notes)
	}
	return obs, data.SourceInfo{Name: builtin.SourceName, Format: wb.Format, URL: wb.URL, FileHash: hash,
		RetrievedAt: now, Rows: len(obs)}, nil
}

// builtinReference reads the reference figures and keeps those whose key no
// workbook gives: a figure read in a BLS file replaces one read on a page.
func builtinReference(fromFiles []data.Observation, now time.Time) ([]data.Observation, data.SourceInfo, error) {
	// RetrievedAt stays zero: the reference file does not record when each
	// figure was read from its page, and the seeding time would claim a visit.
	prov := format.Provenance{SourceName: builtin.SourceName, FileHash: fetch.HashBytes(builtin.ReferenceCSV)}
	ref, err := format.ParseReference(bytes.NewReader(builtin.ReferenceCSV), prov)
	if err != nil {
		return nil, data.SourceInfo{}, fmt.Errorf("built-in reference figures: %w", err)
	}
	given := make(map[data.Key]bool, len(fromFiles))
	for _, o := range fromFiles {
		given[o.Key()] = true
	}
	var kept []data.Observation
	for _, o := range ref {
		if !given[o.Key()] {
			kept = append(kept, o)
		}
	}
	return kept, data.SourceInfo{Name: builtin.SourceName, Format: "reference-csv", URL: builtin.ReferenceName,
		FileHash: prov.FileHash, RetrievedAt: now, Rows: len(kept)}, nil
}

func joinNotes(a, b string) string {
	switch {
	case a == "":
		return b
	case b == "":
		return a
	}
	return a + "; " + b
}
