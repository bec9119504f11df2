// Package ingest runs ingests: it reads each configured source with its
// format (ingest/format) from what ingest/fetch got, and publishes what they
// say as one snapshot; a source that fails changes nothing. It also seeds a
// new store with the built-in data, read by the same formats.
package ingest

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"strings"
	"sync"
	"time"

	"github.com/labdash/labdash/data"
	"github.com/labdash/labdash/ingest/config"
	"github.com/labdash/labdash/ingest/fetch"
	"github.com/labdash/labdash/ingest/format"
)

// Triggers name what started a run.
const (
	TriggerSchedule = "schedule"
	TriggerCatchUp  = "catch-up"
	TriggerCLI      = "cli"
	TriggerAdmin    = "admin"
)

// Runner fetches the configured sources, validates them and publishes what
// they say as one snapshot. A source that fails changes nothing; the others
// are still published.
type Runner struct {
	Store   *data.Store
	Config  config.Config
	Fetcher *fetch.Fetcher
	// APIKey is the BLS API registration key (LABDASH_BLS_API_KEY) given to
	// bls-api sources; never logged or stored.
	APIKey   string
	Log      *slog.Logger
	Now      func() time.Time
	Progress io.Writer // where long downloads and parses report progress; nil for none
	// Reading, when set, is told the name of each source as its read begins
	// (a server that runs the ingest in another process shows it).
	Reading func(source string)

	lock    runLock
	mu      sync.Mutex
	running *RunStatus
}

// NewRunner returns a runner whose cross-process lock is the store's.
func NewRunner(store *data.Store, cfg config.Config, log *slog.Logger) *Runner {
	r := &Runner{
		Store:   store,
		Config:  cfg,
		Fetcher: &fetch.Fetcher{DeferLocalHash: true},
		Log:     log,
		Now:     data.Now,
	}
	r.lock.store = store
	return r
}

// RunStatus describes the run under way, for the status page.
type RunStatus struct {
	Trigger   string
	StartedAt time.Time
	Source    string // the source being read
}

// Running returns the run under way in this process, if any.
func (r *Runner) Running() (RunStatus, bool) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.running == nil {
		return RunStatus{}, false
	}
	return *r.running, true
}

func (r *Runner) setRunning(st *RunStatus) {
	r.mu.Lock()
	r.running = st
	r.mu.Unlock()
}

// Run ingests every configured source, or only the one named. It returns the
// recorded run; the error is ErrRunInProgress, an unknown source, or a store
// failure — a source that fails is reported in the run, not as an error.
func (r *Runner) Run(ctx context.Context, trigger, only string) (data.Run, error) {
	sources, err := r.selectSources(only)
	if err != nil {
		return data.Run{}, err
	}
	release, err := r.lock.acquire(ctx)
	if err != nil {
		return data.Run{}, err
	}
	defer release()
	status := &RunStatus{Trigger: trigger, StartedAt: r.Now()}
	r.setRunning(status)
	defer r.setRunning(nil)

	run := data.Run{Trigger: trigger, StartedAt: status.StartedAt}
	states, err := r.Store.SourceStates(ctx)
	if err != nil {
		return data.Run{}, err
	}
	var reads []*sourceRead
	for i, sc := range sources {
		r.mu.Lock()
		status.Source = sc.Name
		r.mu.Unlock()
		if r.Reading != nil {
			r.Reading(sc.Name)
		}
		reads = append(reads, r.readSource(ctx, sc, states, i, len(sources) == 1))
	}
	err = r.publish(ctx, &run, reads)
	// Every read is settled by now, whichever way publishing went.
	notes := r.recordSources(&run, reads)
	if err != nil {
		return data.Run{}, err
	}
	run.Message = runMessage(&run, run.SnapshotID)
	if len(notes) > 0 {
		run.Message += "; " + strings.Join(notes, "; ")
	}
	run.FinishedAt = r.Now()
	// The run record is written after the snapshot: losing it to a crash
	// costs a line of history, never data.
	if run.ID, err = r.Store.RecordRun(context.WithoutCancel(ctx), run); err != nil {
		return run, err
	}
	return run, nil
}

func (r *Runner) selectSources(only string) ([]config.SourceConfig, error) {
	if only == "" {
		return r.Config.Sources, nil
	}
	sc, ok := r.Config.Source(only)
	if !ok {
		var names []string
		for _, s := range r.Config.Sources {
			names = append(names, s.Name)
		}
		return nil, fmt.Errorf("no source named %q in the sources file (it has %s)", only, strings.Join(names, ", "))
	}
	return []config.SourceConfig{sc}, nil
}

func (r *Runner) logNote(source, note string) {
	if r.Log != nil {
		r.Log.Warn("ingest source note", "source", source, "note", note)
	}
}

func (r *Runner) logSource(res data.SourceResult) {
	if r.Log == nil {
		return
	}
	if res.Outcome == data.SourceFailed {
		r.Log.Warn("ingest source failed", "source", res.Source, "err", res.Error)
		return
	}
	r.Log.Info("ingest source", "source", res.Source, "outcome", res.Outcome, "rows", res.Rows,
		"bytes", res.Bytes, "duration", res.Duration)
}

// recordSources puts each source's result into the run and the log, and
// returns the notes of the sources.
func (r *Runner) recordSources(run *data.Run, reads []*sourceRead) []string {
	var notes []string
	for _, read := range reads {
		read.settle()
		run.Sources = append(run.Sources, read.result)
		r.logSource(read.result)
		for _, n := range read.notes {
			r.logNote(read.result.Source, n)
			notes = append(notes, read.result.Source+": "+n)
		}
	}
	return notes
}

// errPlanChanged is what settling returns when a source read while
// publishing turned out failed or unchanged once hashed: that publication
// is rolled back and the others are published again without it.
var errPlanChanged = errors.New("a source changed its outcome once hashed")

// publish commits the figures of the sources that changed as one snapshot,
// with their file states in the same transaction, and sets the run outcome
// and snapshot. Publishing begins while the files are still being hashed;
// when a hash says a file is unchanged (or a check fails it), everything
// written is rolled back and the others are published again.
func (r *Runner) publish(ctx context.Context, run *data.Run, reads []*sourceRead) error {
	pub, snap, err := r.publishFetched(ctx, run.StartedAt, reads, true)
	if errors.Is(err, errPlanChanged) {
		pub, snap, err = r.publishFetched(ctx, run.StartedAt, reads, false)
	}
	if errors.Is(err, errStreamFailed) {
		err = nil // the read fails below, when it settles; nothing was published
	}
	// A publication that failed before settling leaves reads pending: the
	// outcome needs every source's final word.
	settleAll(reads)
	run.Outcome = runOutcome(reads)
	switch {
	case errors.Is(err, data.ErrNothingChanged):
		// The files changed but their figures did not: remember the files so
		// the next run can skip them.
		return r.Store.SaveSourceStates(ctx, pub.SourceStates)
	case err != nil:
		return fmt.Errorf("publishing the ingest: %w", err)
	case snap.ID == 0:
		return nil
	}
	if run.Outcome == data.RunUnchanged {
		run.Outcome = data.RunPublished
	}
	run.SnapshotID = snap.ID
	return nil
}

// publishFetched publishes the sources read as fetched, settling the
// pending ones inside the publication when speculate is set and before it
// otherwise. With nothing fetched it publishes nothing.
func (r *Runner) publishFetched(ctx context.Context, started time.Time, reads []*sourceRead, speculate bool) (data.Publication, data.Snapshot, error) {
	if !speculate {
		settleAll(reads)
	}
	var pub data.Publication
	var plan []*sourceRead
	names := []string{}
	for _, read := range reads {
		if read.result.Outcome == data.SourceFetched {
			plan = append(plan, read)
			names = append(names, read.result.Source)
			pub.Sources = append(pub.Sources, read.info)
			pub.SourceStates = append(pub.SourceStates, read.states...)
		}
	}
	if len(plan) == 0 {
		return pub, data.Snapshot{}, nil
	}
	pub.Settle = settleFunc(plan)
	if len(plan) == 1 && plan[0].stream != nil { // a source read alone (stream.go)
		pub.More, plan[0].stream = plan[0].stream, nil
	}
	// A speculative publication keeps the reads' figures: when it is rolled
	// back, the next one needs them.
	pub.Observations = joinObservations(plan, pub.Settle != nil)
	// Two sources may give the same figure (the matrix and the occupation
	// table both give base-year employment): keep one, by the same rule as
	// the reference file. One source alone has no duplicates: its parser
	// refuses them.
	if len(plan) > 1 {
		pub.Observations = format.ResolveDuplicates(pub.Observations)
	}
	pub.Label = fmt.Sprintf("Ingest of %s (%s)", strings.Join(names, ", "), started.Format("2006-01-02 15:04 UTC"))
	snap, err := r.Store.Publish(ctx, pub)
	if pub.Settle != nil && errors.Is(err, data.ErrNothingChanged) {
		pub.SourceStates = nil // the settled ones, as Publish saw them
		for _, read := range plan {
			pub.SourceStates = append(pub.SourceStates, read.states...)
		}
	}
	return pub, snap, err
}

// settleFunc is the Settle of a publication of plan, nil when no read of
// it is pending. It settles every read and fails with errPlanChanged when
// one is no longer fetched.
func settleFunc(plan []*sourceRead) func() (data.Settled, error) {
	pending := false
	for _, read := range plan {
		pending = pending || read.pending != nil
	}
	if !pending {
		return nil
	}
	return func() (data.Settled, error) {
		settled := data.Settled{FileHashes: map[string]string{}}
		for _, read := range plan {
			placeholder := read.placeholder
			read.settle()
			if read.result.Outcome != data.SourceFetched {
				return data.Settled{}, errPlanChanged
			}
			if placeholder != "" {
				settled.FileHashes[placeholder] = read.info.FileHash
			}
			settled.Sources = append(settled.Sources, read.info)
			settled.SourceStates = append(settled.SourceStates, read.states...)
		}
		return settled, nil
	}
}

func settleAll(reads []*sourceRead) {
	for _, read := range reads {
		read.settle()
	}
}

// runOutcome is unchanged, failed or partial by the sources' outcomes;
// publish makes unchanged published when it publishes.
func runOutcome(reads []*sourceRead) string {
	failed := 0
	for _, read := range reads {
		if read.result.Outcome == data.SourceFailed {
			failed++
		}
	}
	switch {
	case failed == len(reads):
		return data.RunFailed
	case failed > 0:
		return data.RunPartial
	}
	return data.RunUnchanged
}

// joinObservations puts the sources' figures in one slice. One source's
// are taken as they are: copying tens of thousands of figures would hold
// them twice in memory while the store writes them.
func joinObservations(reads []*sourceRead, keep bool) []data.Observation {
	if len(reads) == 1 {
		return reads[0].observations
	}
	n := 0
	for _, read := range reads {
		n += len(read.observations)
	}
	out := make([]data.Observation, 0, n)
	for _, read := range reads {
		out = append(out, read.observations...)
		if !keep {
			read.observations = nil
		}
	}
	return out
}

func runMessage(run *data.Run, snapshot int64) string {
	counts := map[string]int{}
	for _, s := range run.Sources {
		counts[s.Outcome]++
	}
	msg := fmt.Sprintf("%d fetched, %d unchanged, %d failed", counts[data.SourceFetched],
		counts[data.SourceUnchanged], counts[data.SourceFailed])
	if snapshot != 0 {
		return msg + fmt.Sprintf("; published snapshot %d", snapshot)
	}
	return msg + "; no new snapshot"
}

// cleanupAll removes the temporary files of a source's fetches.
func cleanupAll(results []*fetch.Result) {
	for _, res := range results {
		if res != nil {
			res.Cleanup()
		}
	}
}
