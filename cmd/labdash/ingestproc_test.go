//go:build linux

package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/labdash/labdash/internal/priority"
)

// The server's ingest runs in a child process whose every thread has the
// background nice value; the status page shows the source the child reads;
// the new snapshot is served as soon as the child has published it.
func TestServerIngestsInALowPriorityChildProcess(t *testing.T) {
	fetching, release := make(chan struct{}, 1), make(chan struct{})
	matrix := holdingSource(t, fetching, release)
	dir := t.TempDir()
	// A clock that stands still: the server's cached latest snapshot never
	// goes stale by itself, so only being told of the publish shows it.
	frozen := time.Date(2026, 11, 2, 12, 0, 0, 0, time.UTC)
	cfg := Config{DBPath: filepath.Join(dir, "l.db"), Addr: "127.0.0.1:0", SourcesRequired: true,
		SourcesPath: writeHTTPSources(t, dir, matrix), Now: func() time.Time { return frozen },
		IngestEnv: asLabdash()}
	base, stop := startServerWith(t, cfg, io.Discard)
	defer stop()

	<-fetching // the catch-up run's child is downloading
	if !strings.Contains(get(t, base+"/"), "/s/1/") {
		t.Fatal("the home page does not show snapshot 1 before the ingest")
	}
	children := childProcesses(t, "ingest")
	if len(children) != 1 {
		t.Fatalf("ingest processes started by this one: %v, want one", children)
	}
	for tid, nice := range threadNiceValues(t, children[0]) {
		if nice != priority.Background {
			t.Errorf("thread %d of the ingest process has nice %d, want %d", tid, nice, priority.Background)
		}
	}
	// The child said which source it reads before it began the download;
	// the server may be a moment behind in reading that.
	poll(t, 30*time.Second, "the status page to show the catch-up run reading ep-matrix", func() bool {
		st := ingestStatus(t, base)
		return st.Running != nil && st.Running.Source == "ep-matrix" && st.Running.Trigger == "catch-up"
	})

	close(release)
	poll(t, 30*time.Second, "the catch-up run to be recorded", func() bool {
		st := ingestStatus(t, base)
		return st.Running == nil && len(st.Runs) == 1
	})
	if run := ingestStatus(t, base).Runs[0]; run.SnapshotID != 2 || run.Outcome != "published" {
		t.Errorf("the child's run: %+v, want snapshot 2 published", run)
	}
	if page := get(t, base+"/"); !strings.Contains(page, "/s/2/") {
		t.Error("the home page does not show the snapshot the child published")
	}
	if left := childProcesses(t, "ingest"); len(left) != 0 {
		t.Errorf("ingest processes left after the run: %v", left)
	}
}

// Stopping the server stops its ingest process: the child is asked to end
// and does (it is not killed), nothing it read is published, and no
// process is left behind.
func TestStoppingTheServerStopsItsIngestProcess(t *testing.T) {
	fetching, release := make(chan struct{}, 1), make(chan struct{})
	defer close(release)
	matrix := holdingSource(t, fetching, release)
	dir := t.TempDir()
	cfg := Config{DBPath: filepath.Join(dir, "l.db"), Addr: "127.0.0.1:0", SourcesRequired: true,
		SourcesPath: writeHTTPSources(t, dir, matrix), IngestEnv: asLabdash()}
	var log syncBuffer
	_, stop := startServerWith(t, cfg, &log)
	<-fetching
	if err := stop(); err != nil {
		t.Errorf("serve: %v", err)
	}
	if left := childProcesses(t, "ingest"); len(left) != 0 {
		t.Errorf("ingest processes left after the server stopped: %v", left)
	}
	// A child that ends on SIGTERM records its run or exits with a status;
	// a killed one does neither.
	said := log.String()
	ended := strings.Contains(said, "ingest finished") || strings.Contains(said, "stopped before it ended (exit status")
	if !ended || strings.Contains(said, "killed") {
		t.Errorf("the server's log does not say the ingest ended when asked:\n%s", said)
	}
	code, out, errOut := runCLI(t, map[string]string{"LABDASH_DB": cfg.DBPath}, "snapshots", "--json")
	if code != exitOK || strings.Count(out, `"id"`) != 1 {
		t.Errorf("snapshots after a stopped ingest (exit %d): %s %s; want the built-in one only", code, out, errOut)
	}
}

// A run whose sources file no longer reads is recorded as failed, with the
// reason, for the status page: an admin who started it sees why.
func TestARunThatCannotReadItsSourcesIsRecorded(t *testing.T) {
	fetching, release := make(chan struct{}, 1), make(chan struct{})
	close(release)
	dir := t.TempDir()
	sources := writeHTTPSources(t, dir, holdingSource(t, fetching, release))
	cfg := Config{DBPath: filepath.Join(dir, "l.db"), Addr: "127.0.0.1:0", SourcesRequired: true,
		SourcesPath: sources, AdminToken: "s3cret", IngestEnv: asLabdash()}
	base, _ := startServerWith(t, cfg, io.Discard)
	poll(t, 30*time.Second, "the catch-up run to be recorded", func() bool {
		st := ingestStatus(t, base)
		return st.Running == nil && len(st.Runs) == 1
	})
	os.WriteFile(sources, []byte("sources: [this is not\n"), 0o644)
	req, _ := http.NewRequest("POST", base+"/admin/ingest", nil)
	req.Header.Set("Authorization", "Bearer s3cret")
	resp, err := http.DefaultClient.Do(req)
	if err != nil || resp.StatusCode != http.StatusAccepted {
		t.Fatalf("admin run: %v %v", resp, err)
	}
	resp.Body.Close()
	poll(t, 30*time.Second, "the admin run to be recorded", func() bool {
		st := ingestStatus(t, base)
		return st.Running == nil && len(st.Runs) == 2
	})
	run := ingestStatus(t, base).Runs[0]
	if run.Outcome != "failed" || !strings.Contains(run.Message, "nothing was fetched") || !strings.Contains(run.Message, "sources.yaml") {
		t.Errorf("the refused run: %+v; want failed, naming the sources file", run)
	}
}

// holdingSource serves the EP matrix fixture once release is closed, and
// says on fetching when a download has begun.
func holdingSource(t *testing.T, fetching chan<- struct{}, release <-chan struct{}) string {
	t.Helper()
	body, err := os.ReadFile("../../ingest/format/testdata/ep/matrix-29-2010.csv")
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		select {
		case fetching <- struct{}{}:
		default:
		}
		select {
		case <-release:
			w.Write(body)
		case <-r.Context().Done():
		}
	}))
	t.Cleanup(srv.Close)
	return srv.URL + "/matrix-29-2010.csv"
}

func writeHTTPSources(t *testing.T, dir, url string) string {
	t.Helper()
	text := `user_agent: "labdash-test (ops@lab.test)"
schedule: "` + fmt.Sprintf("0 %d * * *", (time.Now().UTC().Hour()+12)%24) + `"
sources:
  - name: ep-matrix
    format: bls-ep-matrix
    url: ` + url + `
    occupation: "29-2010"
`
	path := filepath.Join(dir, "sources.yaml")
	if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

type ingestStatusJSON struct {
	Running *struct {
		Trigger string `json:"trigger"`
		Source  string `json:"source"`
	} `json:"running"`
	Runs []struct {
		Outcome    string `json:"outcome"`
		SnapshotID int64  `json:"snapshot_id"`
		Message    string `json:"message"`
	} `json:"runs"`
}

func ingestStatus(t *testing.T, base string) ingestStatusJSON {
	t.Helper()
	var st ingestStatusJSON
	if err := json.Unmarshal([]byte(get(t, base+"/ingest.json")), &st); err != nil {
		t.Fatal(err)
	}
	return st
}

func get(t *testing.T, url string) string {
	t.Helper()
	resp, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil || resp.StatusCode != http.StatusOK {
		t.Fatalf("GET %s: %d %v", url, resp.StatusCode, err)
	}
	return string(b)
}

// childProcesses lists the live children of this process whose command
// line has the word.
func childProcesses(t *testing.T, word string) []int {
	t.Helper()
	entries, err := os.ReadDir("/proc")
	if err != nil {
		t.Fatal(err)
	}
	var pids []int
	for _, e := range entries {
		pid, err := strconv.Atoi(e.Name())
		if err != nil {
			continue
		}
		fields := procStat(fmt.Sprintf("/proc/%d/stat", pid))
		cmdline, _ := os.ReadFile(fmt.Sprintf("/proc/%d/cmdline", pid))
		// After the command name: state (0), parent (1).
		if len(fields) > 1 && fields[0] != "Z" && fields[1] == strconv.Itoa(os.Getpid()) &&
			strings.Contains(string(cmdline), "\x00"+word+"\x00") {
			pids = append(pids, pid)
		}
	}
	return pids
}

// threadNiceValues reads the nice value of each thread of a process.
func threadNiceValues(t *testing.T, pid int) map[int]int {
	t.Helper()
	tasks, err := os.ReadDir(fmt.Sprintf("/proc/%d/task", pid))
	if err != nil {
		t.Fatal(err)
	}
	nice := map[int]int{}
	for _, e := range tasks {
		tid, _ := strconv.Atoi(e.Name())
		// Field 19 of stat, the 17th after the command name.
		if fields := procStat(fmt.Sprintf("/proc/%d/task/%d/stat", pid, tid)); len(fields) > 16 {
			nice[tid], _ = strconv.Atoi(fields[16])
		}
	}
	if len(nice) == 0 {
		t.Fatalf("no threads read for process %d", pid)
	}
	return nice
}

// procStat returns the fields of a /proc stat file after the command name,
// which is in parentheses and may hold spaces.
func procStat(path string) []string {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil
	}
	s := string(b)
	end := strings.LastIndexByte(s, ')')
	if end < 0 {
		return nil
	}
	return strings.Fields(s[end+1:])
}

// syncBuffer is a bytes.Buffer the server's goroutines may log into while
// the test reads it.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// A child killed by something else than the server is reported as such,
// with the likeliest cause.
func TestAKilledChildIsNamed(t *testing.T) {
	cmd := exec.Command("sleep", "30")
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	cmd.Process.Kill()
	waitErr := cmd.Wait()
	_, err := childEnd{}.result(context.Background(), waitErr, "")
	if err == nil || !strings.Contains(err.Error(), "signal: killed") || !strings.Contains(err.Error(), "out of memory") {
		t.Errorf("killed child: %v", err)
	}
}
