package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"

	"github.com/labdash/labdash/data"
)

func runSnapshots(ctx context.Context, args []string, stdout, stderr io.Writer, getenv func(string) string) error {
	fs := newFlagSet("snapshots", stderr)
	dbPath := fs.String("db", envDefault(getenv, "LABDASH_DB", defaultDBPath), dbFlagUsage)
	asJSON := fs.Bool("json", false, "print JSON")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	store, err := data.OpenReadOnly(ctx, *dbPath)
	if err != nil {
		return err
	}
	defer store.Close()
	snaps, err := store.Snapshots(ctx)
	if err != nil {
		return err
	}
	if *asJSON { // data.Snapshot's JSON, as the API serves it
		if snaps == nil {
			snaps = []data.Snapshot{}
		}
		enc := json.NewEncoder(stdout)
		enc.SetIndent("", "  ")
		return enc.Encode(snaps)
	}
	if len(snaps) == 0 {
		fmt.Fprintf(stdout, "%s: %v\n", store.Location(), data.ErrNoSnapshot)
		return nil
	}
	fmt.Fprintf(stdout, "%-4s  %-20s  %12s  %7s  %7s  %7s  %s\n", "ID", "CREATED (UTC)", "OBSERVATIONS", "ADDED", "REVISED", "REMOVED", "LABEL")
	for _, s := range snaps {
		fmt.Fprintf(stdout, "%-4d  %-20s  %12d  %7d  %7d  %7d  %s\n", s.ID, s.CreatedAt.Format("2006-01-02 15:04:05"),
			s.ObservationCount, s.Added, s.Revised, s.Removed, s.Label)
	}
	return nil
}
