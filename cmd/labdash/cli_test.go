package main

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/labdash/labdash/data"
	"github.com/labdash/labdash/ingest/config"
)

// runCLI runs the program in-process with its own environment.
func runCLI(t *testing.T, env map[string]string, args ...string) (int, string, string) {
	t.Helper()
	var stdout, stderr bytes.Buffer
	code := run(context.Background(), args, &stdout, &stderr, func(k string) string { return env[k] })
	return code, stdout.String(), stderr.String()
}

// seededStore creates a store in a temp dir holding the built-in figures as
// snapshot 1, as the first `labdash serve` or `labdash ingest` does, and
// returns its path: commands that only read create no store.
func seededStore(t testing.TB) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "l.db")
	store, err := openSeededStore(context.Background(), path)
	if err != nil {
		t.Fatal(err)
	}
	store.Close()
	return path
}

// writeSources writes a sources file reading the ingest fixtures from disk.
func writeSources(t *testing.T, dir, extra string) string {
	t.Helper()
	fixtures, err := filepath.Abs("../../ingest/format/testdata")
	if err != nil {
		t.Fatal(err)
	}
	// The daily run is set twelve hours away, so no scheduled run can start
	// while a test runs and a test's own runs are the only ones.
	text := `user_agent: "labdash-test (ops@lab.test)"
schedule: "` + fmt.Sprintf("0 %d * * *", (time.Now().UTC().Hour()+12)%24) + `"
sources:
  - name: ep-matrix
    format: bls-ep-matrix
    url: ` + fixtures + `/ep/matrix-29-2010.csv
    occupation: "29-2010"
  - name: oews
    format: bls-oe
    url: ` + fixtures + `/oe
    occupations: ["29-2018", "31-9097"]
` + extra
	path := filepath.Join(dir, "sources.yaml")
	if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

func TestIngestCommand(t *testing.T) {
	dir := t.TempDir()
	env := map[string]string{"LABDASH_DB": filepath.Join(dir, "l.db"), "LABDASH_SOURCES": writeSources(t, dir, "")}

	code, out, errOut := runCLI(t, env, "ingest")
	if code != exitOK {
		t.Fatalf("exit %d: %s %s", code, out, errOut)
	}
	if !strings.Contains(out, "ep-matrix") || !strings.Contains(out, "fetched") || !strings.Contains(out, "published snapshot 2") {
		t.Errorf("first ingest said:\n%s", out)
	}
	code, out, _ = runCLI(t, env, "ingest")
	if code != exitOK || strings.Count(out, "unchanged") != 2 || !strings.Contains(out, "no new snapshot") {
		t.Errorf("second ingest (exit %d) said:\n%s", code, out)
	}
	code, out, _ = runCLI(t, env, "ingest", "--source", "oews")
	if code != exitOK || strings.Contains(out, "ep-matrix") {
		t.Errorf("--source oews (exit %d) said:\n%s", code, out)
	}

	// A source that fails: exit 1, one line saying why, the data kept.
	broken := filepath.Join(dir, "broken.csv")
	os.WriteFile(broken, []byte("<!DOCTYPE html><html><body>Service Unavailable</body></html>"), 0o644)
	env["LABDASH_SOURCES"] = writeSources(t, dir, "  - name: broken\n    format: labdash-csv\n    url: "+broken+"\n")
	code, out, _ = runCLI(t, env, "ingest")
	if code != exitFailed || !strings.Contains(out, "broken") || !strings.Contains(out, "failed: ") {
		t.Errorf("broken source (exit %d) said:\n%s", code, out)
	}

	// A bad config: exit 2 with a sentence.
	bad := filepath.Join(dir, "bad.yaml")
	os.WriteFile(bad, []byte("sources:\n  - name: x\n    format: bls-zz\n    url: /tmp/x\n"), 0o644)
	code, _, errOut = runCLI(t, env, "ingest", "--sources", bad)
	if code != exitUsage || !strings.Contains(errOut, "bls-zz") {
		t.Errorf("bad config: exit %d, %s", code, errOut)
	}
	code, _, errOut = runCLI(t, env, "ingest", "--source", "nope")
	if code != exitUsage || !strings.Contains(errOut, `no source named "nope"`) {
		t.Errorf("unknown source: exit %d, %s", code, errOut)
	}

	// The snapshots command lists both snapshots with their changes.
	code, out, _ = runCLI(t, env, "snapshots", "--json")
	var snaps []data.Snapshot
	if err := json.Unmarshal([]byte(out), &snaps); err != nil || code != exitOK {
		t.Fatalf("snapshots --json: %v\n%s", err, out)
	}
	if len(snaps) != 2 || snaps[0].ID != 2 || snaps[0].Added == 0 || snaps[1].ObservationCount != 3474 {
		t.Errorf("snapshots: %+v", snaps)
	}
	code, out, _ = runCLI(t, env, "snapshots")
	if code != exitOK || !strings.Contains(out, "Built-in data") || !strings.Contains(out, "REVISED") {
		t.Errorf("snapshots said:\n%s", out)
	}
}

func TestExportCommand(t *testing.T) {
	dir := t.TempDir()
	env := map[string]string{"LABDASH_DB": seededStore(t)}
	outPath := filepath.Join(dir, "out.csv")
	code, _, errOut := runCLI(t, env, "export", "--snapshot", "latest", "-o", outPath)
	if code != exitOK {
		t.Fatalf("export: %d %s", code, errOut)
	}
	f, _ := os.Open(outPath)
	rows, err := csv.NewReader(f).ReadAll()
	f.Close()
	if err != nil || len(rows) != 3475 || rows[0][0] != "occupation_code" { // 3474 built-in figures and the header
		t.Fatalf("export wrote %d rows: %v", len(rows), err)
	}
	if code, _, errOut = runCLI(t, env, "export", "--snapshot", "9"); code != exitFailed || !strings.Contains(errOut, "no such snapshot") {
		t.Errorf("missing snapshot: %d %s", code, errOut)
	}
	if code, _, errOut = runCLI(t, env, "export", "--format", "xml"); code != exitUsage || !strings.Contains(errOut, "xml") {
		t.Errorf("bad format: %d %s", code, errOut)
	}
	entries, _ := os.ReadDir(dir)
	for _, e := range entries {
		if strings.HasPrefix(e.Name(), ".labdash-export") {
			t.Errorf("a temporary export file was left behind: %s", e.Name())
		}
	}
}

func TestServeRefusesForeignStore(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "notes.db")
	os.WriteFile(path, []byte("just some text\n"), 0o644)
	code, _, errOut := runCLI(t, map[string]string{"LABDASH_DB": path, "LABDASH_ADDR": "127.0.0.1:0"}, "serve")
	if code != exitFailed || !strings.Contains(errOut, "not a labdash database") {
		t.Errorf("exit %d: %s", code, errOut)
	}
	code, _, errOut = runCLI(t, map[string]string{}, "serve", "--bogus")
	if code != exitUsage || !strings.Contains(errOut, "bogus") {
		t.Errorf("bad flag: exit %d: %s", code, errOut)
	}
}

// The server makes up a missed run at start, and POST /admin/ingest starts
// one only with the token.
func TestServeIngestsAndAdminEndpoint(t *testing.T) {
	dir := t.TempDir()
	cfg := Config{DBPath: filepath.Join(dir, "l.db"), Addr: "127.0.0.1:0", SourcesPath: writeSources(t, dir, ""),
		SourcesRequired: true, AdminToken: "s3cret", IngestEnv: asLabdash()}
	base, _ := startServerWith(t, cfg, io.Discard)

	// The catch-up run publishes snapshot 2 in the background.
	var status struct {
		Runs []struct {
			Trigger    string `json:"trigger"`
			Outcome    string `json:"outcome"`
			SnapshotID int64  `json:"snapshot_id"`
		} `json:"runs"`
		NextRun *time.Time `json:"next_run"`
		Running *struct{}  `json:"running"`
	}
	// Until the run is recorded and nothing runs any more: StartRun would
	// then start one, so the admin request below must be accepted.
	poll(t, 30*time.Second, "the catch-up run to finish", func() bool {
		status.Running = nil
		resp, err := http.Get(base + "/ingest.json")
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		return json.NewDecoder(resp.Body).Decode(&status) == nil && len(status.Runs) > 0 && status.Running == nil
	})
	if status.Runs[0].Trigger != "catch-up" || status.Runs[0].SnapshotID != 2 || status.NextRun == nil {
		t.Errorf("status after start: %+v", status)
	}
	post := func(token string) int {
		req, _ := http.NewRequest("POST", base+"/admin/ingest", nil)
		if token != "" {
			req.Header.Set("Authorization", "Bearer "+token)
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		return resp.StatusCode
	}
	if code := post(""); code != http.StatusUnauthorized {
		t.Errorf("no token: %d", code)
	}
	if code := post("wrong"); code != http.StatusUnauthorized {
		t.Errorf("wrong token: %d", code)
	}
	if code := post("s3cret"); code != http.StatusAccepted {
		t.Errorf("right token, no run under way: %d, want 202", code)
	}
	resp, err := http.Get(base + "/ingest")
	if err != nil {
		t.Fatal(err)
	}
	page, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if !strings.Contains(string(page), "catch-up") || !strings.Contains(string(page), "Next scheduled run") {
		t.Errorf("status page lacks the run or the schedule")
	}
}

func TestDiffCommand(t *testing.T) {
	dir := t.TempDir()
	env := map[string]string{"LABDASH_DB": filepath.Join(dir, "l.db"), "LABDASH_SOURCES": writeSources(t, dir, "")}
	if code, out, errOut := runCLI(t, env, "ingest"); code != exitOK {
		t.Fatalf("ingest: %s %s", out, errOut)
	}
	code, out, errOut := runCLI(t, env, "diff", "1", "latest")
	if code != exitOK || !strings.Contains(out, "snapshot 1 → 2:") || !strings.Contains(out, "ep-matrix") || !strings.Contains(out, "added") {
		t.Errorf("diff (exit %d): %s %s", code, out, errOut)
	}
	if code, _, errOut := runCLI(t, env, "diff", "1"); code != exitUsage || !strings.Contains(errOut, "two snapshots") {
		t.Errorf("one argument: %d %s", code, errOut)
	}
	if code, _, errOut := runCLI(t, env, "diff", "1", "7"); code != exitFailed || !strings.Contains(errOut, "no such snapshot") {
		t.Errorf("missing snapshot: %d %s", code, errOut)
	}
}

// A subcommand's exit code travels in exitError without flattening the
// error it carries: errors.Is and errors.As still reach the cause.
func TestExitErrorKeepsTheChain(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "l.db")
	env := func(k string) string { return map[string]string{"LABDASH_DB": db}[k] }

	err := runIngest(context.Background(), []string{"--sources", filepath.Join(dir, "missing.yaml")}, io.Discard, io.Discard, env)
	var ee exitError
	if !errors.As(err, &ee) || ee.code != exitUsage || !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("missing sources file: %v (%T); want exit %d wrapping fs.ErrNotExist", err, err, exitUsage)
	}

	bad := filepath.Join(dir, "bad.yaml")
	os.WriteFile(bad, []byte("sources:\n  - name: x\n    format: bls-zz\n    url: /tmp/x\n"), 0o644)
	err = runIngest(context.Background(), []string{"--sources", bad}, io.Discard, io.Discard, env)
	var ce *config.ConfigError
	if !errors.As(err, &ee) || ee.code != exitUsage || !errors.As(err, &ce) || ce.File != bad {
		t.Errorf("bad sources file: %v (%T); want exit %d wrapping *config.ConfigError of %s", err, err, exitUsage, bad)
	}

	err = runIngest(context.Background(), []string{"--sources", writeSources(t, dir, "  - name: broken\n    format: labdash-csv\n    url: "+bad+"\n")},
		io.Discard, io.Discard, env)
	if !errors.As(err, &ee) || ee.code != exitFailed || !errors.Is(err, errSourcesFailed) {
		t.Errorf("a failed source: %v; want exit %d wrapping errSourcesFailed", err, exitFailed)
	}
}
