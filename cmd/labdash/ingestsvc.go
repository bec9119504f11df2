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

// ingestService runs ingests for the server: on the schedule, once at start
// when a scheduled run was missed while the server was down, and when an
// admin asks. It owns every run goroutine and waits for them on stop.
type ingestService struct {
	runner    *ingest.Runner
	scheduler *schedule.Scheduler // nil when scheduled runs are off
	schedule  schedule.Schedule
	note      string
	log       *slog.Logger

	ctx    context.Context // cancelled by stop: ends admin and catch-up runs
	cancel context.CancelFunc
	wg     sync.WaitGroup

	mu       sync.Mutex
	starting *ingest.RunStatus // a run started by StartRun that has not ended yet
}

func newIngestService(runner *ingest.Runner, sched schedule.Schedule, scheduled bool, note string, log *slog.Logger) *ingestService {
	ctx, cancel := context.WithCancel(context.Background())
	s := &ingestService{runner: runner, schedule: sched, note: note, log: log, ctx: ctx, cancel: cancel}
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
	s.cancel()
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

func (s *ingestService) runOnce(ctx context.Context, trigger string) {
	run, err := s.runner.Run(ctx, trigger, "")
	if err != nil {
		s.log.Warn("ingest did not run", "trigger", trigger, "err", err)
		return
	}
	s.log.Info("ingest finished", "trigger", trigger, "outcome", run.Outcome, "snapshot", run.SnapshotID, "message", run.Message)
}

// StartRun begins a run in the background unless one is under way.
func (s *ingestService) StartRun(trigger string) error {
	// Checked and marked under one lock, so two requests at once cannot
	// both be told their run started.
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, busy := s.runner.Running(); busy || s.starting != nil {
		return ingest.ErrRunInProgress
	}
	if s.ctx.Err() != nil {
		return errors.New("the server is shutting down")
	}
	s.starting = &ingest.RunStatus{Trigger: trigger, StartedAt: s.runner.Now()}
	s.wg.Add(1)
	go func() {
		defer s.wg.Done()
		defer func() { s.mu.Lock(); s.starting = nil; s.mu.Unlock() }()
		s.runOnce(s.ctx, trigger)
	}()
	return nil
}

// Running reports the run under way: the runner's, or one StartRun began
// that has not reached the runner yet or is still returning from it, so that
// "nothing is running" here means StartRun would start one.
func (s *ingestService) Running() (ingest.RunStatus, bool) {
	if st, ok := s.runner.Running(); ok {
		return st, true
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.starting == nil {
		return ingest.RunStatus{}, false
	}
	return *s.starting, true
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
