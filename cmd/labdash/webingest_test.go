package main

import (
	"context"
	"errors"
	"log/slog"
	"testing"
	"time"

	"github.com/labdash/labdash/data"
	"github.com/labdash/labdash/ingest"
	"github.com/labdash/labdash/ingest/schedule"
	"github.com/labdash/labdash/web"
)

// The adapter hands web its own busy error, keeping ingest's sentence and
// chain, and reports the run under way.
func TestWebIngesterAdaptsTheIngestService(t *testing.T) {
	ctx := context.Background()
	never := func(context.Context, string, func(string)) (data.Run, error) {
		t.Error("the adapter started a run")
		return data.Run{}, nil
	}
	svc := newIngestService(never, schedule.Schedule{}, false, "Scheduled ingest is off.", slog.New(slog.DiscardHandler))
	defer svc.stop(ctx)
	w := webIngester{svc}

	if _, running := w.Running(); running {
		t.Fatal("a new service reports a run")
	}
	if !w.NextRun().IsZero() || w.ScheduleNote() != "Scheduled ingest is off." {
		t.Errorf("next run %v, note %q", w.NextRun(), w.ScheduleNote())
	}

	started := time.Date(2026, 11, 1, 7, 0, 0, 0, time.UTC)
	svc.mu.Lock()
	svc.current = &ingest.RunStatus{Trigger: ingest.TriggerCatchUp, StartedAt: started}
	svc.mu.Unlock()
	run, running := w.Running()
	if !running || run.Trigger != ingest.TriggerCatchUp || !run.StartedAt.Equal(started) {
		t.Errorf("a run StartRun began is not reported: %+v %v", run, running)
	}
	err := w.StartAdminRun()
	if !errors.Is(err, web.ErrIngestBusy) || !errors.Is(err, ingest.ErrRunInProgress) || err.Error() != ingest.ErrRunInProgress.Error() {
		t.Errorf("busy: %v; want web.ErrIngestBusy wrapping ingest.ErrRunInProgress with its sentence", err)
	}
	svc.mu.Lock()
	svc.current = nil
	svc.mu.Unlock()

	svc.cancel() // shutting down: no new run, and not "busy"
	if err := w.StartAdminRun(); err == nil || errors.Is(err, web.ErrIngestBusy) {
		t.Errorf("shutting down: %v; want an error that is not busy", err)
	}
}
