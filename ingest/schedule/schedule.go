// Package schedule runs ingests on a cron schedule (robfig/cron, UTC by
// default), says when the next run is due, and whether one was missed while
// the process was down.
package schedule

import (
	"context"
	"fmt"
	"log/slog"
	"strings"
	"sync"
	"time"
	"unicode"

	"github.com/robfig/cron/v3"

	// A CRON_TZ zone must load on a server without /usr/share/zoneinfo
	// (a slim container) exactly as it does on a developer's machine.
	_ "time/tzdata"
)

// Default is the schedule used when sources.yaml has none: every day
// at 06:00 UTC, after BLS's releases of the previous day (08:30 and 10:00
// Eastern) and before U.S. working hours.
const Default = "0 6 * * *"

// minEvery is the shortest "@every" interval accepted. A five-field spec
// cannot fire more often than once a minute either, and every run downloads
// from BLS, which throttles clients that fetch too often.
const minEvery = time.Minute

// Schedule is a validated cron spec. The zero Schedule never fires.
type Schedule struct {
	Spec string // as written, e.g. "0 6 * * *" or "CRON_TZ=America/New_York 30 2 * * *"

	sched cron.Schedule
	loc   *time.Location
}

// Parse validates a standard five-field spec (minute hour
// day-of-month month day-of-week), optionally prefixed "CRON_TZ=Zone " or
// "TZ=Zone ", or a descriptor ("@daily", "@hourly", "@every 6h"). Without a
// zone the spec is read in UTC, never in the server's local time. Six-field
// specs (with seconds) are refused. It never panics: robfig/cron's parser
// panics on some malformed specs ("CRON_TZ=UTC" with no fields), and that
// panic is returned as an error.
func Parse(spec string) (Schedule, error) {
	trimmed := strings.TrimSpace(spec)
	if trimmed == "" {
		return Schedule{}, fmt.Errorf("the schedule is empty; write five cron fields such as %q", Default)
	}
	loc, fields, err := splitZone(trimmed)
	if err != nil {
		return Schedule{}, err
	}
	inner, err := parseCron("CRON_TZ=" + loc.String() + " " + fields)
	if err != nil {
		return Schedule{}, fmt.Errorf("the schedule %q is not a valid cron spec (five fields: minute hour day-of-month month day-of-week): %w", spec, err)
	}
	switch c := inner.(type) {
	case cron.ConstantDelaySchedule:
		if c.Delay < minEvery {
			return Schedule{}, fmt.Errorf("the schedule %q runs more often than once a minute; every run downloads from BLS, so use at least @every 1m", spec)
		}
	case *cron.SpecSchedule:
		inner = onceADayWallClock{inner: c, loc: loc}
	}
	s := Schedule{Spec: spec, sched: inner, loc: loc}
	if s.Next(time.Now()).IsZero() {
		return Schedule{}, fmt.Errorf("the schedule %q never fires (no date matches it)", spec)
	}
	return s, nil
}

// splitZone takes an optional "CRON_TZ=Zone " or "TZ=Zone " prefix off spec.
// It is checked here because robfig/cron slices the spec at the first space
// without checking there is one.
func splitZone(spec string) (*time.Location, string, error) {
	var rest string
	switch {
	case strings.HasPrefix(spec, "CRON_TZ="):
		rest = strings.TrimPrefix(spec, "CRON_TZ=")
	case strings.HasPrefix(spec, "TZ="):
		rest = strings.TrimPrefix(spec, "TZ=")
	default:
		return time.UTC, spec, nil
	}
	end := strings.IndexFunc(rest, unicode.IsSpace)
	if end < 0 {
		return nil, "", fmt.Errorf("the schedule %q names a time zone but no cron fields; write e.g. \"CRON_TZ=America/New_York 30 2 * * *\"", spec)
	}
	zone, fields := rest[:end], strings.TrimSpace(rest[end:])
	if zone == "" || zone == "Local" {
		return nil, "", fmt.Errorf("the schedule %q must name a time zone such as America/New_York or UTC", spec)
	}
	loc, err := time.LoadLocation(zone)
	if err != nil {
		return nil, "", fmt.Errorf("the schedule %q names an unknown time zone %q; use an IANA name such as America/New_York", spec, zone)
	}
	return loc, fields, nil
}

// parseCron calls robfig/cron's standard parser and turns its panics into errors.
func parseCron(spec string) (sched cron.Schedule, err error) {
	defer func() {
		if r := recover(); r != nil {
			sched, err = nil, fmt.Errorf("the cron parser failed: %v", r)
		}
	}()
	return cron.ParseStandard(spec)
}

// Location is the zone the schedule is read in: UTC unless the spec names one.
func (s Schedule) Location() *time.Location {
	if s.loc == nil {
		return time.UTC
	}
	return s.loc
}

// Next is the first scheduled time after after, or the zero time if none.
func (s Schedule) Next(after time.Time) time.Time {
	if s.sched == nil {
		return time.Time{}
	}
	return s.sched.Next(after)
}

// Period is the gap between the two scheduled times that follow at
// (next-after-next minus next): 24h for a daily spec, 6h for "0 */6 * * *",
// 23h or 25h across a DST change for a local-time daily spec. It is zero for
// a schedule that never fires.
func (s Schedule) Period(at time.Time) time.Duration {
	next := s.Next(at)
	if next.IsZero() {
		return 0
	}
	after := s.Next(next)
	if after.IsZero() {
		return 0
	}
	return after.Sub(next)
}

// Missed reports whether a run is owed now: there has never been a
// successful run (lastSuccess is zero), or at least one scheduled time has
// passed since the last success. cron never makes up runs that fell while
// the process was down, so the caller checks this at start-up.
//
// A daily 06:00 spec with a success at 06:05 yesterday: at 05:05 today (23h
// later) nothing is owed; at 07:05 (25h later) today's 06:00 run is owed.
// Counting scheduled times rather than comparing with Period keeps this right
// across DST changes and for uneven specs such as "0 6 * * 1-5".
func (s Schedule) Missed(lastSuccess, now time.Time) bool {
	if lastSuccess.IsZero() {
		return true
	}
	next := s.Next(lastSuccess)
	return !next.IsZero() && !next.After(now)
}

// onceADayWallClock fixes robfig/cron's handling of the autumn DST change:
// "CRON_TZ=America/New_York 30 1 * * *" fires at 01:30 EDT and again an hour
// later at 01:30 EST. A wall-clock time that repeats because clocks went back
// is skipped, so the job runs once. (In spring robfig skips a time that does
// not exist, 02:30 on the day clocks jump from 02:00 to 03:00: that day has
// no run and the next is 02:30 the day after. That is kept; UTC, the default,
// has neither problem.)
type onceADayWallClock struct {
	inner *cron.SpecSchedule
	loc   *time.Location
}

func (w onceADayWallClock) Next(t time.Time) time.Time {
	next := w.inner.Next(t)
	// Bounded: a fold is at most a few hours, so a few skips leave it.
	for i := 0; i < 8 && !next.IsZero() && repeatsWallClock(next.In(w.loc)); i++ {
		next = w.inner.Next(next)
	}
	return next
}

// repeatsWallClock reports whether t's wall-clock reading already happened
// earlier that night, because clocks were turned back less than that long
// before t.
func repeatsWallClock(t time.Time) bool {
	start, _ := t.ZoneBounds()
	if start.IsZero() {
		return false
	}
	_, before := start.Add(-time.Nanosecond).Zone()
	_, now := t.Zone()
	back := time.Duration(before-now) * time.Second
	return back > 0 && t.Sub(start) < back
}

// Scheduler runs one job on a Schedule. A panic in the job is logged and the
// process goes on; a run that falls while the previous one is still going
// is skipped, not queued. The job's context is cancelled by Stop.
//
// A Scheduler runs once: Start after Stop does nothing.
type Scheduler struct {
	schedule Schedule
	log      *slog.Logger
	cron     *cron.Cron
	entry    cron.EntryID
	wrapped  cron.Job // the job inside cron's chain (recover, skip), for tests
	ctx      context.Context
	cancel   context.CancelFunc

	mu      sync.Mutex
	started bool
	stopped bool
}

// NewScheduler prepares job to run on s; nothing runs before Start. A nil
// log discards cron's messages.
func NewScheduler(s Schedule, log *slog.Logger, job func(ctx context.Context)) *Scheduler {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	adapter := cronLogger{log: log}
	ctx, cancel := context.WithCancel(context.Background())
	// Order matters: SkipIfStillRunning hands its token back only when the
	// job returns, so a panic must be recovered inside it. With Recover
	// outside, the first panic would lose the token and every later run
	// would be skipped for good.
	c := cron.New(
		cron.WithLocation(s.Location()),
		cron.WithLogger(adapter),
		cron.WithChain(cron.SkipIfStillRunning(adapter), cron.Recover(adapter)),
	)
	sch := &Scheduler{schedule: s, log: log, cron: c, ctx: ctx, cancel: cancel}
	inner := s.sched
	if inner == nil {
		inner = neverSchedule{}
	}
	sch.entry = c.Schedule(inner, cron.FuncJob(func() { job(ctx) }))
	sch.wrapped = c.Entry(sch.entry).WrappedJob
	return sch
}

// Start begins scheduling. It does nothing if already started or stopped.
func (s *Scheduler) Start() {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.started || s.stopped {
		return
	}
	s.started = true
	s.cron.Start()
	s.log.Info("ingest schedule started", "schedule", s.schedule.Spec, "next", s.nextRunLocked())
}

// Stop stops scheduling, cancels the running job's context and waits for
// the job to return. If ctx ends first it returns ctx's error; the job is
// then still finishing in the background.
func (s *Scheduler) Stop(ctx context.Context) error {
	s.mu.Lock()
	s.stopped = true
	s.mu.Unlock()

	cronDone := s.cron.Stop() // no new run starts after this returns
	s.cancel()
	select {
	case <-cronDone.Done():
		return nil
	case <-ctx.Done():
		return fmt.Errorf("stopping the ingest schedule: the running ingest did not return in time: %w", ctx.Err())
	}
}

// NextRun is the next scheduled run, or the zero time if the Scheduler is
// not running.
func (s *Scheduler) NextRun() time.Time {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.nextRunLocked()
}

// nextRunLocked is NextRun for a caller holding s.mu.
func (s *Scheduler) nextRunLocked() time.Time {
	if !s.started || s.stopped {
		return time.Time{}
	}
	return s.cron.Entry(s.entry).Next
}

// neverSchedule backs the zero Schedule.
type neverSchedule struct{}

func (neverSchedule) Next(time.Time) time.Time { return time.Time{} }

// cronLogger lets robfig/cron log through slog. cron reports every wake-up
// and run at Info, which is noise at our Info level: those go to Debug, and
// only a skipped run (the previous one is still going) stays at Info.
type cronLogger struct{ log *slog.Logger }

func (l cronLogger) Info(msg string, keysAndValues ...any) {
	if msg == "skip" {
		l.log.Info("scheduled ingest skipped: the previous run is still going")
		return
	}
	l.log.Debug("cron "+msg, keysAndValues...)
}

func (l cronLogger) Error(err error, msg string, keysAndValues ...any) {
	if msg == "panic" {
		msg = "scheduled ingest panicked; the process goes on"
	}
	l.log.Error(msg, append([]any{"err", err}, keysAndValues...)...)
}
