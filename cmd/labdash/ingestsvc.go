package main

import (
	"context"
	"errors"
	"log/slog"
	"sync"
	"time"

	"github.com/labdash/labdash/data"
	"github.com/labdash/labdash/ingest"
	"github.com/labdash/labdash/ingest/schedule"
)

// ingestFunc runs one ingest and waits for it; reading is told each source
// as its read begins.
type ingestFunc func(ctx context.Context, trigger string, reading func(source string)) (data.Run, error)

// ingestService runs ingests for the server: on the schedule, once at start
// when a scheduled run was missed while the server was down, and when an
// admin asks. It owns every run goroutine and waits for them on stop.
type ingestService struct {
	ingest    ingestFunc
	published func()              // after a run published a snapshot; nil for nothing
	scheduler *schedule.Scheduler // nil when scheduled runs are off
	schedule  schedule.Schedule
	note      string
	log       *slog.Logger
	now       func() time.Time // when a run starts, for the status page

	ctx    context.Context // cancelled by stop: ends admin and catch-up runs
	cancel context.CancelFunc
	wg     sync.WaitGroup

	mu      sync.Mutex
	current *ingest.RunStatus // the run under way, from its start until it has returned
}

func newIngestService(run ingestFunc, sched schedule.Schedule, scheduled bool, note string, log *slog.Logger) *ingestService {
	ctx, cancel := context.WithCancel(context.Background())
	s := &ingestService{ingest: run, schedule: sched, note: note, log: log, now: data.Now, ctx: ctx, cancel: cancel}
	if scheduled {
		s.scheduler = schedule.NewScheduler(sched, log, func(ctx context.Context) {
			s.runOnce(ctx, ingest.TriggerSchedule)
		})
	}
	return s
}

// start begins scheduling and makes up a missed run.
func (s *ingestService) start(ctx context.Context, store *data.Store, now time.Time) error {
	if s.scheduler == nil {
		return nil
	}
	last, err := store.LastSuccessfulRun(ctx)
	if err != nil {
		return err
	}
	s.scheduler.Start()
	if s.schedule.Missed(last, now) {
		s.log.Info("a scheduled ingest was missed while the server was down; running it now", "last_success", last)
		return s.StartRun(ingest.TriggerCatchUp)
	}
	return nil
}

// stop stops scheduling, cancels a running ingest and waits for it: its
// transaction rolls back, so the store keeps the snapshot it had.
func (s *ingestService) stop(ctx context.Context) error {
	s.mu.Lock()
	s.cancel()
	s.mu.Unlock()
	var err error
	if s.scheduler != nil {
		err = s.scheduler.Stop(ctx)
	}
	done := make(chan struct{})
	go func() { s.wg.Wait(); close(done) }()
	select {
	case <-done:
	case <-ctx.Done():
		return errors.Join(err, ctx.Err())
	}
	return err
}

// runOnce runs a scheduled ingest, unless one is under way.
func (s *ingestService) runOnce(ctx context.Context, trigger string) {
	s.mu.Lock()
	err := s.begin(trigger)
	s.mu.Unlock()
	if err != nil {
		s.log.Warn("ingest did not run", "trigger", trigger, "err", err)
		return
	}
	s.runBegun(ctx, trigger)
}

// begin marks a run as under way, or says why none may start. Called with
// s.mu held: checked and marked under one lock, two requests at once cannot
// both start one.
func (s *ingestService) begin(trigger string) error {
	if s.current != nil {
		return ingest.ErrRunInProgress
	}
	if s.ctx.Err() != nil {
		return errors.New("the server is shutting down")
	}
	s.current = &ingest.RunStatus{Trigger: trigger, StartedAt: s.now()}
	return nil
}

// runBegun runs the ingest begin marked and clears the mark when it ends.
func (s *ingestService) runBegun(ctx context.Context, trigger string) {
	defer func() { s.mu.Lock(); s.current = nil; s.mu.Unlock() }()
	run, err := s.ingest(ctx, trigger, s.reading)
	if run.SnapshotID != 0 && s.published != nil {
		s.published() // even a run that failed after its commit published
	}
	if err != nil {
		s.log.Warn("ingest failed", "trigger", trigger, "snapshot", run.SnapshotID, "err", err)
		return
	}
	s.log.Info("ingest finished", "trigger", trigger, "outcome", run.Outcome, "snapshot", run.SnapshotID, "message", run.Message)
}

// reading records the source the running ingest reads.
func (s *ingestService) reading(source string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.current != nil {
		s.current.Source = source
	}
}

// StartRun begins a run in the background unless one is under way here.
// One under way in another process (the command line, another server)
// holds the store's lock: this run then ends at once, logged.
func (s *ingestService) StartRun(trigger string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if err := s.begin(trigger); err != nil {
		return err
	}
	// Added under the lock stop cancels under: stop then waits for this run.
	s.wg.Add(1)
	go func() {
		defer s.wg.Done()
		s.runBegun(s.ctx, trigger)
	}()
	return nil
}

// Running reports the run under way: "nothing is running" here means
// StartRun would start one.
func (s *ingestService) Running() (ingest.RunStatus, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.current == nil {
		return ingest.RunStatus{}, false
	}
	return *s.current, true
}

// NextRun is the next scheduled run; zero when scheduled runs are off.
func (s *ingestService) NextRun() time.Time {
	if s.scheduler == nil {
		return time.Time{}
	}
	return s.scheduler.NextRun()
}

// ScheduleNote says why scheduled runs are off.
func (s *ingestService) ScheduleNote() string { return s.note }
