package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"

	"github.com/labdash/labdash/data"
	"github.com/labdash/labdash/datapackage"
	"github.com/labdash/labdash/obscsv"
)

// Export formats.
const (
	formatCSV         = "csv"
	formatDataPackage = "datapackage"
)

func runExport(ctx context.Context, args []string, stdout, stderr io.Writer, getenv func(string) string) error {
	fs := newFlagSet("export", stderr)
	dbPath := fs.String("db", envDefault(getenv, "LABDASH_DB", defaultDBPath), dbFlagUsage)
	snapshot := fs.String("snapshot", "latest", "snapshot id, or latest")
	format := fs.String("format", formatCSV, "output format: csv, or datapackage (a Frictionless data package zip)")
	output := fs.String("o", "-", "output file, - for standard output")
	bom := fs.Bool("bom", false, "start the CSV with a UTF-8 byte order mark (for Excel)")
	baseURL := fs.String("base-url", datapackage.DefaultBaseURL, "the dashboard's public address, for the pinned URL a data package cites")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	switch {
	case *format != formatCSV && *format != formatDataPackage:
		return usageError{fmt.Sprintf("--format %q is not known; use csv or datapackage", *format)}
	case *format == formatDataPackage && *bom:
		return usageError{"--bom is for --format csv; the CSV inside a data package is plain UTF-8"}
	}
	store, err := data.OpenReadOnly(ctx, *dbPath)
	if err != nil {
		return err
	}
	defer store.Close()
	snap, err := resolveSnapshot(ctx, store, *snapshot)
	if err != nil {
		return err
	}
	write := func(w io.Writer) error { return exportTo(ctx, store, snap, w, *bom) }
	if *format == formatDataPackage {
		write = func(w io.Writer) error {
			each := func(fn func(data.Observation) error) error {
				return store.EachObservation(ctx, snap.ID, data.Filter{}, fn)
			}
			return datapackage.Write(ctx, w, snap, each, datapackage.Options{BaseURL: *baseURL})
		}
	}
	return writeExport(*output, stdout, write)
}

func resolveSnapshot(ctx context.Context, store *data.Store, s string) (data.Snapshot, error) {
	if s == "latest" || s == "" {
		return store.LatestSnapshot(ctx)
	}
	id, err := strconv.ParseInt(s, 10, 64)
	if err != nil || id <= 0 {
		return data.Snapshot{}, usageError{fmt.Sprintf("--snapshot %q is not a snapshot number or \"latest\"", s)}
	}
	return store.Snapshot(ctx, id)
}

// writeExport writes to a temporary file beside the target and renames it,
// so an interrupted export never leaves a truncated file under the real name.
func writeExport(output string, stdout io.Writer, write func(io.Writer) error) error {
	if output == "-" {
		return write(stdout)
	}
	tmp, err := os.CreateTemp(filepath.Dir(output), ".labdash-export-*")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name())
	if err := write(tmp); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), output)
}

func exportTo(ctx context.Context, store *data.Store, snap data.Snapshot, w io.Writer, bom bool) error {
	cw, err := obscsv.NewWriter(w, bom)
	if err != nil {
		return err
	}
	if err := store.EachObservation(ctx, snap.ID, data.Filter{}, cw.Write); err != nil {
		return err
	}
	return cw.Close()
}
