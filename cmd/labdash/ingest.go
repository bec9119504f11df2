package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"time"

	"github.com/labdash/labdash/data"
	"github.com/labdash/labdash/ingest"
	"github.com/labdash/labdash/ingest/config"
)

const defaultSourcesPath = "./sources.yaml"

// errSourcesFailed ends an ingest in which some source failed.
var errSourcesFailed = errors.New("some sources failed; the snapshot served before keeps their previous figures")

// exitError carries an exit code other than 1 out of a subcommand. It
// keeps the error it wraps, so errors.Is and errors.As see through it.
type exitError struct {
	code int
	err  error
}

func (e exitError) Error() string { return e.err.Error() }
func (e exitError) Unwrap() error { return e.err }

func runIngest(ctx context.Context, args []string, stdout, stderr io.Writer, getenv func(string) string) error {
	fs := newFlagSet("ingest", stderr)
	dbPath := fs.String("db", envDefault(getenv, "LABDASH_DB", defaultDBPath), dbFlagUsage)
	sourcesPath := fs.String("sources", envDefault(getenv, "LABDASH_SOURCES", defaultSourcesPath), "sources file (LABDASH_SOURCES)")
	only := fs.String("source", "", "ingest only the source with this name")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	cfg, err := config.LoadConfig(*sourcesPath)
	if err != nil {
		return exitError{exitUsage, err}
	}
	if *only != "" {
		if _, ok := cfg.Source(*only); !ok {
			return exitError{exitUsage, fmt.Errorf("the sources file %s has no source named %q", *sourcesPath, *only)}
		}
	}
	store, err := openSeededStore(ctx, *dbPath)
	if err != nil {
		return err
	}
	defer store.Close()
	runner := ingest.NewRunner(store, cfg, slog.New(slog.NewTextHandler(io.Discard, nil)))
	runner.Progress = stderr
	runner.Fetcher.Progress = downloadProgress(stderr)
	run, err := runner.Run(ctx, ingest.TriggerCLI, *only)
	if errors.Is(err, ingest.ErrRunInProgress) {
		return err
	}
	if err != nil {
		return err
	}
	printRun(stdout, run)
	if run.Outcome == data.RunFailed || run.Outcome == data.RunPartial {
		return exitError{exitFailed, errSourcesFailed}
	}
	return nil
}

// printRun writes one line per source, then the snapshot line.
func printRun(w io.Writer, run data.Run) {
	for _, s := range run.Sources {
		switch s.Outcome {
		case data.SourceFailed:
			fmt.Fprintf(w, "%-20s failed: %s\n", s.Source, s.Error)
		case data.SourceUnchanged:
			fmt.Fprintf(w, "%-20s unchanged (%d bytes checked in %s)\n", s.Source, s.Bytes, s.Duration.Round(1e6))
		default:
			fmt.Fprintf(w, "%-20s fetched %d bytes, %d rows in %s\n", s.Source, s.Bytes, s.Rows, s.Duration.Round(1e6))
		}
	}
	if run.SnapshotID != 0 {
		fmt.Fprintf(w, "published snapshot %d\n", run.SnapshotID)
	} else {
		fmt.Fprintln(w, "no new snapshot: nothing changed")
	}
}

// downloadProgress prints a download's progress at most every two seconds,
// so a long download shows it is alive without flooding the terminal.
func downloadProgress(w io.Writer) func(url string, n int64) {
	var last time.Time
	return func(url string, n int64) {
		if time.Since(last) < 2*time.Second {
			return
		}
		last = time.Now()
		fmt.Fprintf(w, "  downloading %s: %.1f MB so far\n", url, float64(n)/1e6)
	}
}
