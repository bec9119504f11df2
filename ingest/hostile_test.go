package ingest

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/labdash/labdash/data"
	"github.com/labdash/labdash/ingest/config"
	"github.com/labdash/labdash/ingest/fetch"
)

// Issue 13's probes through a whole run, on a real SQLite store.

// hostileRunner is a runner over a fresh seeded store for the sources given
// as sources.yaml entries, with a good local labdash-csv source "local"
// after them.
func hostileRunner(t *testing.T, sources string) (*Runner, *data.Store, string) {
	t.Helper()
	dir := t.TempDir()
	local := filepath.Join(dir, "good.csv")
	if err := os.WriteFile(local, mustRead(t, "format/testdata/labdash/export.csv"), 0o644); err != nil {
		t.Fatal(err)
	}
	cfgText := "user_agent: \"labdash-test (ops@lab.test)\"\nsources:\n" + sources +
		"  - name: local\n    format: labdash-csv\n    url: " + local + "\n"
	cfg, err := config.ParseConfig(strings.NewReader(cfgText), filepath.Join(dir, "sources.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	store, err := data.Open(context.Background(), filepath.Join(dir, "labdash.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { store.Close() })
	if _, _, err := SeedBuiltin(context.Background(), store, time.Now()); err != nil {
		t.Fatal(err)
	}
	r := NewRunner(store, cfg, nil)
	r.Fetcher = &fetch.Fetcher{TempDir: dir, Backoff: func(int) time.Duration { return time.Millisecond }}
	return r, store, dir
}

// storeContent is everything a source could change, as bytes: the
// snapshots, every figure of each, and the remembered file states.
func storeContent(t *testing.T, s *data.Store) []byte {
	t.Helper()
	ctx := context.Background()
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	snaps, err := s.Snapshots(ctx)
	if err != nil {
		t.Fatal(err)
	}
	enc.Encode(snaps)
	for _, snap := range snaps {
		if err := s.EachObservation(ctx, snap.ID, data.Filter{}, func(o data.Observation) error { return enc.Encode(o) }); err != nil {
			t.Fatal(err)
		}
	}
	states, err := s.SourceStates(ctx)
	if err != nil {
		t.Fatal(err)
	}
	enc.Encode(states)
	return b.Bytes()
}

// The probe that made a 734 MB home page: a labdash-csv row whose title is
// 50 MB. The source fails with a sentence naming the row and the limit; no
// figure, snapshot or file state changes; only the run's record says why.
func TestFiftyMBTitleChangesNothingInTheStore(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	hostile := filepath.Join(dir, "hostile.csv")
	row := "29-2018," + strings.Repeat("x", 50<<20) + ",0000000,United States,,,median_annual_wage,May 2024,61880,USD per year,," +
		"primary,https://download.bls.gov/pub/time.series/oe/,OEWS time series,oews,2025-05-01T12:00:00Z,\n"
	header := "occupation_code,occupation_title,area_code,area_title,industry_code,industry_title,measure,period,value,unit,flag," +
		"tier,source_url,source_title,source_name,retrieved_at,notes\n"
	if err := os.WriteFile(hostile, []byte(header+row), 0o644); err != nil {
		t.Fatal(err)
	}
	r, store, _ := hostileRunner(t, "  - name: hostile\n    format: labdash-csv\n    url: "+hostile+"\n")
	before := storeContent(t, store)
	run, err := r.Run(ctx, TriggerCLI, "hostile")
	if err != nil {
		t.Fatal(err)
	}
	if run.Outcome != data.RunFailed || run.SnapshotID != 0 || len(run.Sources) != 1 {
		t.Fatalf("run %+v", run)
	}
	msg := run.Sources[0].Error
	for _, want := range []string{"hostile.csv", "line 2", "longer than 65,536 bytes"} {
		if !strings.Contains(msg, want) {
			t.Errorf("the failure %q does not say %q", msg, want)
		}
	}
	if after := storeContent(t, store); !bytes.Equal(before, after) {
		t.Errorf("a refused source changed the store (%d bytes of content before, %d after)", len(before), len(after))
	}
	runs, err := store.Runs(ctx, 1)
	if err != nil || len(runs) != 1 || runs[0].Sources[0].Error != msg {
		t.Errorf("the run record does not keep the sentence: %+v %v", runs, err)
	}
}

// A server that sends a byte at a time never stalls, so only the source's
// deadline ends it; the run goes on to the next source and frees the lock.
func TestTricklingSourceEndsAtItsDeadline(t *testing.T) {
	trickle := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/csv")
		w.WriteHeader(http.StatusOK)
		w.(http.Flusher).Flush()
		tick := time.NewTicker(5 * time.Millisecond)
		defer tick.Stop()
		for {
			select {
			case <-r.Context().Done():
				return
			case <-tick.C:
				if _, err := w.Write([]byte("o")); err != nil {
					return
				}
				w.(http.Flusher).Flush()
			}
		}
	}))
	t.Cleanup(trickle.Close)
	r, store, _ := hostileRunner(t, "  - name: trickle\n    format: labdash-csv\n    url: "+trickle.URL+"/extra.csv\n"+
		"    stall_timeout: 1m\n    deadline: 300ms\n")
	// Only so that a labdash without deadlines fails here instead of hanging.
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	run, err := r.Run(ctx, TriggerCLI, "")
	if err != nil {
		t.Fatal(err)
	}
	got := outcomes(run)
	if got["trickle"] != data.SourceFailed || got["local"] != data.SourceFetched || run.Outcome != data.RunPartial {
		t.Fatalf("run %s, sources %v", run.Outcome, got)
	}
	msg := run.Sources[0].Error
	if run.Sources[0].Source != "trickle" || !strings.Contains(msg, "deadline") || !strings.Contains(msg, "300ms") {
		t.Errorf("the failure %q does not say the source hit its deadline of 300ms", msg)
	}
	if !strings.Contains(run.Message, "trickle: stopped at its deadline of 300ms") {
		t.Errorf("the run's message %q does not name the source that hit its deadline", run.Message)
	}
	if ctx.Err() != nil {
		t.Fatal("the test's own timeout ended the run, not the source's deadline")
	}
	if _, running := r.Running(); running {
		t.Error("the runner still reports a run")
	}
	release, ok, err := store.TryRunLock(ctx)
	if err != nil || !ok {
		t.Fatalf("the ingest lock is still held after the run: %v", err)
	}
	release()
	if _, err := r.Run(ctx, TriggerCLI, "local"); err != nil {
		t.Fatalf("a second run: %v", err)
	}
}

// The deadline is read from sources.yaml; a source without one gets the default.
func TestSourceDeadlineDefault(t *testing.T) {
	cfg, err := config.ParseConfig(strings.NewReader(`sources:
  - name: a
    format: labdash-csv
    url: /srv/a.csv
    deadline: 10m
  - name: b
    format: labdash-csv
    url: /srv/b.csv
`), "sources.yaml")
	if err != nil {
		t.Fatal(err)
	}
	if a, b := cfg.Sources[0].DeadlineOrDefault(), cfg.Sources[1].DeadlineOrDefault(); a != 10*time.Minute || b != config.DefaultDeadline {
		t.Errorf("deadlines %v and %v, want 10m and the default %v", a, b, config.DefaultDeadline)
	}
	e := &DeadlineError{Source: "a", After: time.Minute}
	if !strings.Contains(e.Error(), fmt.Sprint(config.DefaultDeadline)) || !errors.Is(fmt.Errorf("x: %w", e), e) {
		t.Errorf("%v", e)
	}
}
