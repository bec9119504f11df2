package schedule

import (
	"bytes"
	"context"
	"errors"
	"log/slog"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

func mustSchedule(t *testing.T, spec string) Schedule {
	t.Helper()
	s, err := Parse(spec)
	if err != nil {
		t.Fatalf("Parse(%q): %v", spec, err)
	}
	return s
}

func mustZone(t *testing.T, name string) *time.Location {
	t.Helper()
	loc, err := time.LoadLocation(name)
	if err != nil {
		t.Fatal(err)
	}
	return loc
}

func TestParseScheduleAccepts(t *testing.T) {
	for spec, zone := range map[string]string{
		"0 6 * * *":                             "UTC",
		"  0 6 * * *  ":                         "UTC",
		"CRON_TZ=America/New_York 30 2 * * *":   "America/New_York",
		"TZ=Europe/Berlin 0 6 * * 1-5":          "Europe/Berlin",
		"CRON_TZ=UTC\t0 6 * * *":                "UTC",
		"@daily":                                "UTC",
		"@every 6h":                             "UTC",
		"0 */6 * * *":                           "UTC",
		"0 0 29 2 *":                            "UTC", // leap days only, but it fires
		"CRON_TZ=Asia/Kolkata @weekly":          "Asia/Kolkata",
		"CRON_TZ=America/New_York 0 6 1,15 * *": "America/New_York",
	} {
		s, err := Parse(spec)
		if err != nil {
			t.Errorf("Parse(%q): %v", spec, err)
			continue
		}
		if s.Spec != spec || s.Location().String() != zone {
			t.Errorf("Parse(%q) = spec %q in %s, want zone %s", spec, s.Spec, s.Location(), zone)
		}
	}
}

func TestParseScheduleRejectsWithoutPanic(t *testing.T) {
	for spec, want := range map[string]string{
		"":                                    "empty",
		"   ":                                 "empty",
		"CRON_TZ=UTC":                         "no cron fields", // panics inside robfig/cron's parser
		"TZ=America/New_York":                 "no cron fields",
		"CRON_TZ= 0 6 * * *":                  "must name a time zone",
		"CRON_TZ=Local 0 6 * * *":             "must name a time zone",
		"CRON_TZ=Nowhere/Land 0 6 * * *":      "unknown time zone",
		"61 * * * *":                          "not a valid cron spec",
		"0 24 * * *":                          "not a valid cron spec",
		"0 6 * *":                             "not a valid cron spec",
		"* * * * * *":                         "not a valid cron spec", // six fields (seconds): standard five only
		"0 6 * * * 2026":                      "not a valid cron spec",
		"every day":                           "not a valid cron spec",
		"@fortnightly":                        "not a valid cron spec",
		"@every soon":                         "not a valid cron spec",
		"@every 30s":                          "more often than once a minute",
		"@every 100ms":                        "more often than once a minute",
		"0 0 30 2 *":                          "never fires",
		"CRON_TZ=America/New_York 0 0 31 4 *": "never fires",
	} {
		var err error
		func() {
			defer func() {
				if r := recover(); r != nil {
					t.Errorf("Parse(%q) panicked: %v", spec, r)
				}
			}()
			_, err = Parse(spec)
		}()
		if err == nil {
			t.Errorf("Parse(%q) accepted it", spec)
		} else if !strings.Contains(err.Error(), want) {
			t.Errorf("Parse(%q) = %q, want it to say %q", spec, err, want)
		}
	}
}

func TestParseCronTurnsPanicIntoError(t *testing.T) {
	// robfig/cron itself panics on this: make sure the guard is what stops it.
	if _, err := parseCron("CRON_TZ=UTC"); err == nil || !strings.Contains(err.Error(), "parser failed") {
		t.Errorf("parseCron = %v, want the recovered panic", err)
	}
}

func TestScheduleNextUTC(t *testing.T) {
	daily := mustSchedule(t, "0 6 * * *")
	ny := mustZone(t, "America/New_York")
	for _, tt := range []struct{ after, want time.Time }{
		{time.Date(2026, 1, 15, 5, 0, 0, 0, time.UTC), time.Date(2026, 1, 15, 6, 0, 0, 0, time.UTC)},
		{time.Date(2026, 1, 15, 6, 0, 0, 0, time.UTC), time.Date(2026, 1, 16, 6, 0, 0, 0, time.UTC)}, // strictly after
		{time.Date(2026, 12, 31, 7, 0, 0, 0, time.UTC), time.Date(2027, 1, 1, 6, 0, 0, 0, time.UTC)},
		// A local time in: the same instant out, 06:00 UTC (01:00 EST).
		{time.Date(2026, 1, 15, 0, 30, 0, 0, ny), time.Date(2026, 1, 15, 6, 0, 0, 0, time.UTC)},
	} {
		if got := daily.Next(tt.after); !got.Equal(tt.want) {
			t.Errorf("Next(%s) = %s, want %s", tt.after, got, tt.want)
		}
	}
	sixHourly := mustSchedule(t, "0 */6 * * *")
	if got, want := sixHourly.Next(time.Date(2026, 5, 1, 13, 0, 0, 0, time.UTC)), time.Date(2026, 5, 1, 18, 0, 0, 0, time.UTC); !got.Equal(want) {
		t.Errorf("0 */6: Next = %s, want %s", got, want)
	}
	atMidnight := mustSchedule(t, "@daily")
	if got, want := atMidnight.Next(time.Date(2026, 5, 1, 13, 0, 0, 0, time.UTC)), time.Date(2026, 5, 2, 0, 0, 0, 0, time.UTC); !got.Equal(want) {
		t.Errorf("@daily: Next = %s, want %s (midnight UTC, not server-local)", got, want)
	}
	if !(Schedule{}).Next(time.Now()).IsZero() {
		t.Error("the zero Schedule fired")
	}
}

// runsBetween lists the scheduled times in [from, to).
func runsBetween(s Schedule, from, to time.Time) []time.Time {
	var out []time.Time
	for t := s.Next(from.Add(-time.Nanosecond)); !t.IsZero() && t.Before(to); t = s.Next(t) {
		out = append(out, t)
	}
	return out
}

// runsOn counts the runs that fall on one local calendar day.
func runsOn(s Schedule, loc *time.Location, y int, m time.Month, d int) []time.Time {
	return runsBetween(s, time.Date(y, m, d, 0, 0, 0, 0, loc), time.Date(y, m, d+1, 0, 0, 0, 0, loc))
}

// On 2026-03-08 New York clocks jump from 02:00 EST to 03:00 EDT, so 02:30
// does not exist. robfig/cron (kept as it is) skips that day: no run at all,
// neither 03:30 nor 03:00, and certainly not two. The next run is 02:30 EDT on
// 03-09, 48h after the one on 03-07.
func TestScheduleSpringForwardSkipsTheMissingTime(t *testing.T) {
	ny := mustZone(t, "America/New_York")
	s := mustSchedule(t, "CRON_TZ=America/New_York 30 2 * * *")
	if runs := runsOn(s, ny, 2026, 3, 8); len(runs) != 0 {
		t.Errorf("runs on 2026-03-08 = %v, want none (02:30 does not exist that day)", runs)
	}
	for _, d := range []int{7, 9} {
		if runs := runsOn(s, ny, 2026, 3, d); len(runs) != 1 || runs[0].In(ny).Hour() != 2 || runs[0].In(ny).Minute() != 30 {
			t.Errorf("runs on 2026-03-%02d = %v, want one at 02:30", d, runs)
		}
	}
	got := s.Next(time.Date(2026, 3, 7, 12, 0, 0, 0, ny))
	if want := time.Date(2026, 3, 9, 6, 30, 0, 0, time.UTC); !got.Equal(want) {
		t.Errorf("Next after 03-07 noon = %s, want %s (02:30 EDT on 03-09)", got, want)
	}
	// A time that exists on both sides of the change is kept: 01:30 EST.
	early := mustSchedule(t, "CRON_TZ=America/New_York 30 1 * * *")
	if runs := runsOn(early, ny, 2026, 3, 8); len(runs) != 1 || !runs[0].Equal(time.Date(2026, 3, 8, 6, 30, 0, 0, time.UTC)) {
		t.Errorf("01:30 on 2026-03-08 = %v, want one run at 06:30 UTC", runs)
	}
}

// On 2026-11-01 New York clocks go back from 02:00 EDT to 01:00 EST, so
// 01:30 happens twice. robfig/cron alone fires at both; Schedule keeps the
// first (01:30 EDT, 05:30 UTC) only.
func TestScheduleFallBackRunsOnce(t *testing.T) {
	ny := mustZone(t, "America/New_York")
	s := mustSchedule(t, "CRON_TZ=America/New_York 30 1 * * *")
	runs := runsOn(s, ny, 2026, 11, 1)
	if len(runs) != 1 || !runs[0].Equal(time.Date(2026, 11, 1, 5, 30, 0, 0, time.UTC)) {
		t.Fatalf("runs on 2026-11-01 = %v, want exactly one, at 01:30 EDT (05:30 UTC)", runs)
	}
	// Started between the two 01:30s (at 01:45 EDT): the repeat is skipped
	// too, and the next run is the next day's.
	between := time.Date(2026, 11, 1, 5, 45, 0, 0, time.UTC)
	if got, want := s.Next(between), time.Date(2026, 11, 2, 6, 30, 0, 0, time.UTC); !got.Equal(want) {
		t.Errorf("Next(01:45 EDT) = %s, want %s (01:30 EST on 11-02)", got.In(ny), want.In(ny))
	}
	for _, day := range []int{0, 2} { // the days around: one run each, as always
		if n := len(runsOn(s, ny, 2026, 11, day)); n != 1 {
			t.Errorf("runs on 2026-11-%02d (day 0 is 10-31) = %d, want 1", day, n)
		}
	}
	// An hourly local spec still runs once per wall-clock hour: the repeated
	// 01:00 is skipped, so the day (25 hours long) has 24 runs.
	hourly := mustSchedule(t, "CRON_TZ=America/New_York 0 * * * *")
	if n := len(runsOn(hourly, ny, 2026, 11, 1)); n != 24 {
		t.Errorf("hourly runs on 2026-11-01 = %d, want 24", n)
	}
	// robfig/cron itself does fire twice: the guard is what prevents it.
	inner := s.sched.(onceADayWallClock).inner
	first := time.Date(2026, 11, 1, 5, 30, 0, 0, time.UTC)
	if got := inner.Next(first); !got.Equal(first.Add(time.Hour)) {
		t.Logf("robfig/cron no longer repeats 01:30 (next %s); the guard may be unneeded", got)
	}
}

// A UTC spec is unaffected by DST anywhere: 24h apart across both changes.
func TestScheduleUTCIgnoresDST(t *testing.T) {
	s := mustSchedule(t, "0 6 * * *")
	for _, day := range []time.Time{
		time.Date(2026, 3, 6, 0, 0, 0, 0, time.UTC),
		time.Date(2026, 10, 30, 0, 0, 0, 0, time.UTC),
	} {
		runs := runsBetween(s, day, day.AddDate(0, 0, 4))
		if len(runs) != 4 {
			t.Fatalf("runs = %v, want 4", runs)
		}
		for i, r := range runs {
			if r.Hour() != 6 || r.Minute() != 0 || r.Location() != time.UTC {
				t.Errorf("run %s is not 06:00 UTC", r)
			}
			if i > 0 && r.Sub(runs[i-1]) != 24*time.Hour {
				t.Errorf("runs %s and %s are not 24h apart", runs[i-1], r)
			}
		}
	}
}

func TestSchedulePeriod(t *testing.T) {
	at := time.Date(2026, 6, 10, 12, 0, 0, 0, time.UTC)
	for spec, want := range map[string]time.Duration{
		"0 6 * * *":   24 * time.Hour,
		"@daily":      24 * time.Hour,
		"0 */6 * * *": 6 * time.Hour,
		"@every 2h":   2 * time.Hour,
		"0 6 * * 1":   7 * 24 * time.Hour,
	} {
		if got := mustSchedule(t, spec).Period(at); got != want {
			t.Errorf("Period(%q) = %s, want %s", spec, got, want)
		}
	}
	// Local daily specs have 23h and 25h days; UTC ones never do.
	ny := mustSchedule(t, "CRON_TZ=America/New_York 0 6 * * *")
	// From 05:00 EST on 03-07 the next runs are 06:00 EST that day and 06:00 EDT on 03-08.
	if got := ny.Period(time.Date(2026, 3, 7, 10, 0, 0, 0, time.UTC)); got != 23*time.Hour {
		t.Errorf("New York daily Period across spring forward = %s, want 23h", got)
	}
	if got := (Schedule{}).Period(at); got != 0 {
		t.Errorf("zero Schedule Period = %s", got)
	}
}

func TestScheduleMissed(t *testing.T) {
	daily := mustSchedule(t, "0 6 * * *")
	lastRun := time.Date(2026, 6, 9, 6, 5, 0, 0, time.UTC) // yesterday's run finished at 06:05
	for _, tt := range []struct {
		name             string
		lastSuccess, now time.Time
		want             bool
	}{
		{"never run", time.Time{}, lastRun, true},
		{"23h later, 06:00 not yet passed", lastRun, lastRun.Add(23 * time.Hour), false},
		{"25h later, 06:00 passed", lastRun, lastRun.Add(25 * time.Hour), true},
		{"at the scheduled second", lastRun, time.Date(2026, 6, 10, 6, 0, 0, 0, time.UTC), true},
		{"a week down", lastRun, lastRun.AddDate(0, 0, 7), true},
		{"clock went back", lastRun, lastRun.Add(-time.Hour), false},
		// A manual run at 05:00, the server down at 06:00: the 06:00 run is owed.
		{"manual run before the slot", time.Date(2026, 6, 10, 5, 0, 0, 0, time.UTC), time.Date(2026, 6, 10, 7, 0, 0, 0, time.UTC), true},
	} {
		if got := daily.Missed(tt.lastSuccess, tt.now); got != tt.want {
			t.Errorf("%s: Missed = %v, want %v", tt.name, got, tt.want)
		}
	}
	if !(Schedule{}).Missed(time.Time{}, lastRun) {
		t.Error("never run should be missed whatever the schedule")
	}
}

// every is a test schedule faster than cron specs allow (their floor is a second).
type every time.Duration

func (e every) Next(t time.Time) time.Time { return t.Add(time.Duration(e)) }

func fastSchedule(d time.Duration) Schedule {
	return Schedule{Spec: "test every " + d.String(), sched: every(d), loc: time.UTC}
}

// syncBuffer is a log sink the job goroutines can share.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

func testLogger() (*slog.Logger, *syncBuffer) {
	buf := &syncBuffer{}
	return slog.New(slog.NewTextHandler(buf, &slog.HandlerOptions{Level: slog.LevelInfo})), buf
}

func waitFor(t *testing.T, ch <-chan struct{}, what string) {
	t.Helper()
	select {
	case <-ch:
	case <-time.After(5 * time.Second):
		t.Fatalf("timed out waiting for %s", what)
	}
}

// waitForLogged polls logs until substr appears n times.
func waitForLogged(t *testing.T, logs *syncBuffer, substr string, n int) {
	t.Helper()
	tick := time.NewTicker(5 * time.Millisecond)
	defer tick.Stop()
	deadline := time.After(5 * time.Second)
	for strings.Count(logs.String(), substr) < n {
		select {
		case <-tick.C:
		case <-deadline:
			t.Fatalf("timed out waiting for %d log lines with %q:\n%s", n, substr, logs)
		}
	}
}

func stopScheduler(t *testing.T, s *Scheduler) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := s.Stop(ctx); err != nil {
		t.Error(err)
	}
}

// A job that panics is logged and the schedule goes on: the next run happens.
func TestSchedulerSurvivesPanic(t *testing.T) {
	log, logs := testLogger()
	var runs atomic.Int32
	second := make(chan struct{})
	s := NewScheduler(fastSchedule(20*time.Millisecond), log, func(context.Context) {
		switch runs.Add(1) {
		case 1:
			panic("parser exploded")
		case 2:
			close(second)
		}
	})
	s.Start()
	waitFor(t, second, "the run after the panic")
	stopScheduler(t, s)
	if !strings.Contains(logs.String(), "parser exploded") || !strings.Contains(logs.String(), "panicked") {
		t.Errorf("the panic was not logged:\n%s", logs)
	}
}

// The chain recovers inside the overlap guard: with the guard outside, a
// panic would keep its token and every later run would be skipped.
func TestSchedulerChainRunsAgainAfterPanic(t *testing.T) {
	var runs int
	s := NewScheduler(mustSchedule(t, "@daily"), nil, func(context.Context) {
		runs++
		if runs == 1 {
			panic("first run fails")
		}
	})
	s.wrapped.Run()
	s.wrapped.Run()
	if runs != 2 {
		t.Errorf("ran %d times, want 2 (the second run was skipped after the panic)", runs)
	}
}

// A run that falls while the previous one is still going is skipped.
func TestSchedulerSkipsOverlappingRuns(t *testing.T) {
	started, release := make(chan struct{}), make(chan struct{})
	var runs atomic.Int32
	s := NewScheduler(mustSchedule(t, "@daily"), nil, func(context.Context) {
		if runs.Add(1) == 1 {
			close(started)
			<-release
		}
	})
	done := make(chan struct{})
	go func() { s.wrapped.Run(); close(done) }()
	waitFor(t, started, "the first run")
	s.wrapped.Run() // returns at once: skipped
	if n := runs.Load(); n != 1 {
		t.Errorf("a second run started while the first was going (%d runs)", n)
	}
	close(release)
	waitFor(t, done, "the first run to end")
	s.wrapped.Run()
	if n := runs.Load(); n != 2 {
		t.Errorf("runs = %d after the first ended, want 2", n)
	}
}

// The same through real cron ticks: many ticks pass while a run blocks, and
// none of them starts a second run.
func TestSchedulerTicksDoNotOverlap(t *testing.T) {
	log, logs := testLogger()
	var running, maxRunning, runs atomic.Int32
	firstStarted, release, secondRun := make(chan struct{}), make(chan struct{}), make(chan struct{})
	s := NewScheduler(fastSchedule(10*time.Millisecond), log, func(context.Context) {
		n := running.Add(1)
		defer running.Add(-1)
		if n > maxRunning.Load() {
			maxRunning.Store(n)
		}
		switch runs.Add(1) {
		case 1:
			close(firstStarted)
			<-release
		case 2:
			close(secondRun)
		}
	})
	s.Start()
	waitFor(t, firstStarted, "the first run")
	// Ticks fall while the first run blocks: cron logs each one it skips.
	waitForLogged(t, logs, "scheduled ingest skipped", 3)
	if n := runs.Load(); n != 1 {
		t.Errorf("%d runs started while the first was blocked, want 1", n)
	}
	close(release)
	waitFor(t, secondRun, "a run after the first ended")
	stopScheduler(t, s)
	if m := maxRunning.Load(); m != 1 {
		t.Errorf("%d runs went at once", m)
	}
	if !strings.Contains(logs.String(), "skipped") {
		t.Errorf("skipped runs were not logged:\n%s", logs)
	}
}

// Stop cancels the job's context and waits for the job to return.
func TestSchedulerStopCancelsAndWaits(t *testing.T) {
	started, cancelled, rolledBack := make(chan struct{}), make(chan struct{}), make(chan struct{})
	var returned atomic.Bool
	s := NewScheduler(fastSchedule(10*time.Millisecond), nil, func(ctx context.Context) {
		select {
		case <-started:
			return // only the first run matters
		default:
		}
		close(started)
		<-ctx.Done()
		close(cancelled)
		<-rolledBack // rolling back takes a moment: until the test says so
		returned.Store(true)
	})
	if !s.NextRun().IsZero() {
		t.Error("NextRun before Start is not zero")
	}
	s.Start()
	waitFor(t, started, "the run")
	if next := s.NextRun(); next.IsZero() {
		t.Error("NextRun while running is zero")
	}
	stopped := make(chan struct{})
	go func() { stopScheduler(t, s); close(stopped) }()
	waitFor(t, cancelled, "Stop to cancel the job's context")
	select {
	case <-stopped:
		t.Error("Stop returned while the job was still rolling back")
	default:
	}
	close(rolledBack)
	waitFor(t, stopped, "Stop to return")
	if !returned.Load() {
		t.Error("Stop returned before the job did")
	}
	if !s.NextRun().IsZero() {
		t.Error("NextRun after Stop is not zero")
	}
	s.Start() // does nothing: a Scheduler runs once
	if !s.NextRun().IsZero() {
		t.Error("Start after Stop restarted the schedule")
	}
}

// Stop gives up when its context ends before a stuck job returns.
func TestSchedulerStopTimesOut(t *testing.T) {
	started, release := make(chan struct{}), make(chan struct{})
	var once sync.Once
	s := NewScheduler(fastSchedule(10*time.Millisecond), nil, func(context.Context) {
		once.Do(func() { close(started) })
		<-release // ignores its context
	})
	s.Start()
	waitFor(t, started, "the run")
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Millisecond)
	defer cancel()
	err := s.Stop(ctx)
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("Stop = %v, want the deadline", err)
	}
	close(release)
	stopScheduler(t, s) // now it returns
}

func TestSchedulerNextRunMatchesSchedule(t *testing.T) {
	sched := mustSchedule(t, "0 6 * * *")
	s := NewScheduler(sched, nil, func(context.Context) {})
	before := time.Now()
	s.Start()
	defer stopScheduler(t, s)
	next := s.NextRun()
	if want := sched.Next(before); !next.Equal(want) {
		t.Errorf("NextRun = %s, want %s", next, want)
	}
	if next.Location() != time.UTC {
		t.Errorf("NextRun is in %s, want UTC", next.Location())
	}
}
