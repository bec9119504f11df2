package main

import (
	"context"

	"github.com/labdash/labdash/data"
	"github.com/labdash/labdash/ingest"
)

// openSeededStore opens the store a command writes to (ingest), creating it
// when missing and publishing the built-in figures first when it is empty.
// Commands that only read (snapshots, diff, export, cite) use
// data.OpenReadOnly instead: they create and seed nothing. The caller closes
// it.
func openSeededStore(ctx context.Context, dbPath string) (*data.Store, error) {
	store, err := data.Open(ctx, dbPath)
	if err != nil {
		return nil, err
	}
	if _, _, err := ingest.SeedBuiltin(ctx, store, data.Now()); err != nil {
		store.Close()
		return nil, err
	}
	return store, nil
}
