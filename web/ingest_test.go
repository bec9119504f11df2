package web

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"
)

// fakeIngester stands in for the ingest service: it records the runs it is
// asked to start and answers as it is told.
type fakeIngester struct {
	mu       sync.Mutex
	running  *IngestRun
	next     time.Time
	note     string
	startErr error
	starts   int
}

func (f *fakeIngester) Running() (IngestRun, bool) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.running == nil {
		return IngestRun{}, false
	}
	return *f.running, true
}

func (f *fakeIngester) NextRun() time.Time   { return f.next }
func (f *fakeIngester) ScheduleNote() string { return f.note }

func (f *fakeIngester) StartAdminRun() error {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.startErr != nil {
		return f.startErr
	}
	f.starts++
	return nil
}

// postAdmin sends POST /admin/ingest with an Authorization header (none
// when empty) and returns the status, the JSON body and its headers.
func postAdmin(t *testing.T, base, authorization string) (int, map[string]string, http.Header) {
	t.Helper()
	req, _ := http.NewRequest(http.MethodPost, base+"/admin/ingest", nil)
	if authorization != "" {
		req.Header.Set("Authorization", authorization)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var body map[string]string
	if err := json.NewDecoder(resp.Body).Decode(&body); err != nil {
		t.Fatalf("POST /admin/ingest (%d): the body is not JSON: %v", resp.StatusCode, err)
	}
	return resp.StatusCode, body, resp.Header
}

func TestAdminIngestAnswersExactly(t *testing.T) {
	fake := &fakeIngester{}
	var logged bytes.Buffer
	ts, _, _ := newTestSiteWith(t, Options{Ingester: fake, AdminToken: "s3cret"}, slog.New(slog.NewTextHandler(&logged, nil)))

	for _, auth := range []string{"", "Bearer wrong", "Bearer s3cret2", "Basic s3cret", "s3cret", "bearer s3cret"} {
		code, body, h := postAdmin(t, ts.URL, auth)
		if code != http.StatusUnauthorized || body["error"] != "A valid admin token is required." ||
			h.Get("WWW-Authenticate") != `Bearer realm="labdash admin"` {
			t.Errorf("Authorization %q: %d %v, WWW-Authenticate %q; want 401", auth, code, body, h.Get("WWW-Authenticate"))
		}
	}
	if fake.starts != 0 {
		t.Fatalf("%d runs started without the token", fake.starts)
	}

	code, body, _ := postAdmin(t, ts.URL, "Bearer s3cret")
	if code != http.StatusAccepted || body["status"] != "started" || body["progress"] != "/ingest.json" || fake.starts != 1 {
		t.Errorf("idle, right token: %d %v, %d runs started; want 202 and one run", code, body, fake.starts)
	}

	fake.startErr = busyError{}
	code, body, _ = postAdmin(t, ts.URL, "Bearer s3cret")
	if code != http.StatusConflict || body["error"] != "another ingest is running; try again when it has finished" || fake.starts != 1 {
		t.Errorf("busy: %d %v, %d runs started; want 409 with the ingest's sentence and no new run", code, body, fake.starts)
	}

	fake.startErr = errors.New("the server is shutting down")
	req, _ := http.NewRequest(http.MethodPost, ts.URL+"/admin/ingest", nil)
	req.Header.Set("Authorization", "Bearer s3cret")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	page, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusInternalServerError || !strings.Contains(string(page), "the error has been logged") ||
		!strings.Contains(logged.String(), "the server is shutting down") {
		t.Errorf("failed start: %d %s; log %q; want a logged 500", resp.StatusCode, page, logged.String())
	}
}

// busyError is what an ingest service answers while a run is under way: its
// own sentence, and ErrIngestBusy for errors.Is.
type busyError struct{}

func (busyError) Error() string        { return "another ingest is running; try again when it has finished" }
func (busyError) Is(target error) bool { return target == ErrIngestBusy }

func TestAdminIngestIsOffWithoutTokenOrIngester(t *testing.T) {
	for name, opts := range map[string]Options{
		"no token":    {Ingester: &fakeIngester{}},
		"no ingester": {AdminToken: "s3cret"},
	} {
		ts, _, _ := newTestSiteWith(t, opts, slog.New(slog.DiscardHandler))
		code, body, _ := postAdmin(t, ts.URL, "Bearer s3cret")
		if code != http.StatusNotFound || !strings.Contains(body["error"], "The admin endpoint is off") {
			t.Errorf("%s: %d %v; want 404", name, code, body)
		}
		if f, ok := opts.Ingester.(*fakeIngester); ok && f.starts != 0 {
			t.Errorf("%s: a run started", name)
		}
	}
}

// The status page and its JSON show what the ingester says: the run under
// way, the next scheduled run and why the schedule is off.
func TestIngestStatusShowsTheIngester(t *testing.T) {
	next := time.Date(2026, 11, 2, 6, 0, 0, 0, time.UTC)
	fake := &fakeIngester{
		running: &IngestRun{Trigger: "admin", StartedAt: time.Date(2026, 11, 1, 7, 30, 0, 0, time.UTC), Source: "oews"},
		next:    next,
		note:    "Scheduled ingest is off: user_agent is still the placeholder.",
	}
	ts, _, _ := newTestSiteWith(t, Options{Ingester: fake}, slog.New(slog.DiscardHandler))
	resp, body := get(t, ts.URL+"/ingest.json")
	var st struct {
		Running *struct {
			Trigger, Source string
			StartedAt       time.Time `json:"started_at"`
		} `json:"running"`
		NextRun      *time.Time `json:"next_run"`
		ScheduleNote string     `json:"schedule_note"`
	}
	if err := json.Unmarshal([]byte(body), &st); err != nil || resp.StatusCode != http.StatusOK {
		t.Fatalf("/ingest.json: %d %v %s", resp.StatusCode, err, body)
	}
	if st.Running == nil || st.Running.Trigger != "admin" || st.Running.Source != "oews" || !st.Running.StartedAt.Equal(fake.running.StartedAt) ||
		st.NextRun == nil || !st.NextRun.Equal(next) || st.ScheduleNote != fake.note {
		t.Errorf("/ingest.json: %s", body)
	}
	_, page := get(t, ts.URL+"/ingest")
	for _, want := range []string{"A admin run started at 2026-11-01 07:30:00 UTC is reading <strong>oews</strong>",
		"Next scheduled run: <strong>2026-11-02 06:00 UTC</strong>", "user_agent is still the placeholder"} {
		if !strings.Contains(page, want) {
			t.Errorf("/ingest lacks %q", want)
		}
	}

	fake.running, fake.next, fake.note = nil, time.Time{}, ""
	_, body = get(t, ts.URL+"/ingest.json")
	if !strings.Contains(body, `"running": null`) || !strings.Contains(body, `"next_run": null`) || strings.Contains(body, "schedule_note") {
		t.Errorf("idle /ingest.json: %s", body)
	}
	if _, page := get(t, ts.URL+"/ingest"); !strings.Contains(page, "No run is under way.") {
		t.Error("idle /ingest does not say no run is under way")
	}
}
