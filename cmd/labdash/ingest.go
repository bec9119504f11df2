package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"strings"
	"time"

	"github.com/labdash/labdash/data"
	"github.com/labdash/labdash/ingest"
	"github.com/labdash/labdash/ingest/config"
	"github.com/labdash/labdash/internal/priority"
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

// ingestOptions are the ingest command's flags.
type ingestOptions struct {
	dbPath, sourcesPath, only string
	trigger                   string
	events                    bool // JSON lines on stdout, for the server that started this run
	background                bool // run at a low CPU priority
}

func runIngest(ctx context.Context, args []string, stdout, stderr io.Writer, getenv func(string) string) error {
	fs := newFlagSet("ingest", stderr)
	var o ingestOptions
	fs.StringVar(&o.dbPath, "db", envDefault(getenv, "LABDASH_DB", defaultDBPath), dbFlagUsage)
	fs.StringVar(&o.sourcesPath, "sources", envDefault(getenv, "LABDASH_SOURCES", defaultSourcesPath), "sources file (LABDASH_SOURCES)")
	fs.StringVar(&o.only, "source", "", "ingest only the source with this name")
	fs.StringVar(&o.trigger, "trigger", ingest.TriggerCLI, "what started the run, as recorded: cli, schedule, catch-up or admin")
	fs.BoolVar(&o.events, "events", false, "write the run's progress and result as JSON lines on stdout (used by labdash serve)")
	fs.BoolVar(&o.background, "background", false, "run at a low CPU priority, beside a server (used by labdash serve)")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	var events *eventWriter
	if o.events {
		events = &eventWriter{w: stdout}
	}
	err := ingestOnce(ctx, o, stdout, stderr, getenv, events)
	if err != nil && events != nil && !errors.Is(err, errSourcesFailed) {
		events.failed(err)
	}
	return err
}

// ingestOnce runs one ingest; with events, its progress and result go
// there instead of the lines a person reads.
func ingestOnce(ctx context.Context, o ingestOptions, stdout, stderr io.Writer, getenv func(string) string, events *eventWriter) error {
	if !knownTrigger(o.trigger) {
		return usageError{fmt.Sprintf("--trigger %q: use cli, schedule, catch-up or admin", o.trigger)}
	}
	if o.background {
		if err := priority.Lower(priority.Background); err != nil {
			fmt.Fprintf(stderr, "labdash: the ingest runs at normal priority: %v\n", err)
		}
	}
	cfg, err := config.LoadConfig(o.sourcesPath)
	if err != nil && events != nil {
		recordRefusedRun(ctx, o, err, stderr)
	}
	if err != nil {
		return exitError{exitUsage, err}
	}
	if o.only != "" {
		if _, ok := cfg.Source(o.only); !ok {
			return exitError{exitUsage, fmt.Errorf("the sources file %s has no source named %q", o.sourcesPath, o.only)}
		}
	}
	store, err := openSeededStore(ctx, o.dbPath)
	if err != nil {
		return err
	}
	defer store.Close()
	runner := newCLIRunner(store, cfg, stderr, getenv, events)
	run, err := runner.Run(ctx, o.trigger, o.only)
	// A run that published, though its record failed, is still told: the
	// server then shows the snapshot.
	if events != nil && (err == nil || run.SnapshotID != 0) {
		events.ran(run)
	}
	if err != nil {
		return err
	}
	if events == nil {
		printRun(stdout, run)
	}
	if run.Outcome == data.RunFailed || run.Outcome == data.RunPartial {
		return exitError{exitFailed, errSourcesFailed}
	}
	return nil
}

// newCLIRunner is the runner of one ingest command. For a person it shows
// progress on stderr; beside a server (events) it logs JSON records there
// instead, which the server logs as its own, at their level.
func newCLIRunner(store *data.Store, cfg config.Config, stderr io.Writer, getenv func(string) string, events *eventWriter) *ingest.Runner {
	log := slog.New(slog.DiscardHandler)
	if events != nil {
		log = slog.New(slog.NewJSONHandler(stderr, nil))
	}
	runner := ingest.NewRunner(store, cfg, log)
	runner.APIKey = strings.TrimSpace(getenv("LABDASH_BLS_API_KEY"))
	if events != nil {
		runner.Reading = events.reading
		return runner
	}
	runner.Progress = stderr
	runner.Fetcher.Progress = downloadProgress(stderr)
	return runner
}

// recordRefusedRun records a server's run that could not read its sources
// file, so that the status page says why nothing was fetched; the command
// line says it on the terminal instead.
func recordRefusedRun(ctx context.Context, o ingestOptions, refusal error, stderr io.Writer) {
	store, err := openSeededStore(ctx, o.dbPath)
	if err != nil {
		return // the server is told the refusal itself
	}
	defer store.Close()
	now := data.Now()
	run := data.Run{Trigger: o.trigger, StartedAt: now, FinishedAt: now, Outcome: data.RunFailed,
		Message: "nothing was fetched: " + refusal.Error()}
	if _, err := store.RecordRun(ctx, run); err != nil {
		fmt.Fprintf(stderr, "labdash: recording the refused run: %v\n", err)
	}
}

func knownTrigger(t string) bool {
	switch t {
	case ingest.TriggerCLI, ingest.TriggerSchedule, ingest.TriggerCatchUp, ingest.TriggerAdmin:
		return true
	}
	return false
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
