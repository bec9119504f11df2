package main

import (
	"errors"
	"time"

	"github.com/labdash/labdash/ingest"
	"github.com/labdash/labdash/web"
)

// webIngester adapts the ingest service to the small interface the web
// server declares for its status page and admin endpoint, so that web never
// depends on package ingest.
type webIngester struct{ svc *ingestService }

var _ web.Ingester = webIngester{}

func (w webIngester) Running() (web.IngestRun, bool) {
	st, ok := w.svc.Running()
	return web.IngestRun{Trigger: st.Trigger, StartedAt: st.StartedAt, Source: st.Source}, ok
}

func (w webIngester) NextRun() time.Time { return w.svc.NextRun() }

func (w webIngester) ScheduleNote() string { return w.svc.ScheduleNote() }

// StartAdminRun starts a run for an admin; a run already under way, here or
// in another process, is web.ErrIngestBusy (409), with ingest's sentence.
func (w webIngester) StartAdminRun() error {
	err := w.svc.StartRun(ingest.TriggerAdmin)
	if errors.Is(err, ingest.ErrRunInProgress) {
		return busyError{err}
	}
	return err
}

// busyError keeps ingest's sentence and chain and is also web.ErrIngestBusy.
type busyError struct{ err error }

func (e busyError) Error() string        { return e.err.Error() }
func (e busyError) Unwrap() error        { return e.err }
func (e busyError) Is(target error) bool { return target == web.ErrIngestBusy }
