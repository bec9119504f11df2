package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"log/slog"
	"path/filepath"
	"strings"
	"testing"

	"github.com/labdash/labdash/ingest"
)

// `labdash ingest --events` writes one JSON line per source read and one
// for the recorded run, and nothing else, on stdout.
func TestIngestEventsAreJSONLines(t *testing.T) {
	dir := t.TempDir()
	env := map[string]string{"LABDASH_DB": filepath.Join(dir, "l.db"), "LABDASH_SOURCES": writeSources(t, dir, "")}
	code, out, errOut := runCLI(t, env, "ingest", "--events", "--trigger", "schedule")
	if code != exitOK {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	var sources []string
	var run *ingestEvent
	for _, line := range strings.Split(strings.TrimSpace(out), "\n") {
		var ev ingestEvent
		if err := json.Unmarshal([]byte(line), &ev); err != nil {
			t.Fatalf("not a JSON line: %q", line)
		}
		if ev.Source != "" {
			sources = append(sources, ev.Source)
		}
		if ev.Run != nil {
			run = &ev
		}
	}
	if strings.Join(sources, ",") != "ep-matrix,oews" {
		t.Errorf("sources read: %v", sources)
	}
	if run == nil || run.Run.Trigger != ingest.TriggerSchedule || run.Run.SnapshotID != 2 || run.Run.ID == 0 {
		t.Errorf("run event: %+v, want the recorded scheduled run of snapshot 2", run)
	}

	code, out, _ = runCLI(t, env, "ingest", "--events", "--sources", filepath.Join(dir, "missing.yaml"))
	var ev ingestEvent
	if code != exitUsage || json.Unmarshal([]byte(out), &ev) != nil || !strings.Contains(ev.Error, "missing.yaml") || ev.Busy {
		t.Errorf("a missing sources file (exit %d): %q; want an error event naming the file", code, out)
	}
	if code, _, errOut := runCLI(t, env, "ingest", "--trigger", "cron"); code != exitUsage || !strings.Contains(errOut, `--trigger "cron"`) {
		t.Errorf("unknown trigger: exit %d, %s", code, errOut)
	}
}

// The server reads the child's end from its events, and names what went
// wrong when there are none.
func TestChildEndBecomesARunOrASentence(t *testing.T) {
	ctx := context.Background()
	var read []string
	end := readEvents(strings.NewReader(`{"source":"a"}
not json: a stray line
{"source":"b"}
{"run":{"ID":7,"Outcome":"partial","SnapshotID":3}}
`), func(s string) { read = append(read, s) })
	run, err := end.result(ctx, errors.New("exit status 1"), "")
	if err != nil || run.ID != 7 || run.SnapshotID != 3 || strings.Join(read, ",") != "a,b" {
		t.Errorf("run %+v, err %v, read %v", run, err, read)
	}

	end = readEvents(strings.NewReader(`{"error":"another ingest is running","busy":true}`+"\n"), nil)
	if _, err := end.result(ctx, errors.New("exit status 1"), ""); !errors.Is(err, ingest.ErrRunInProgress) {
		t.Errorf("busy child: %v", err)
	}
	end = readEvents(strings.NewReader(`{"error":"the sources file is broken"}`+"\n"), nil)
	if _, err := end.result(ctx, errors.New("exit status 2"), ""); err == nil || err.Error() != "the sources file is broken" {
		t.Errorf("failed child: %v", err)
	}
	end = readEvents(strings.NewReader(`{"run":{"SnapshotID":4}}
{"error":"recording the run: disk full"}
`), nil)
	if run, err := end.result(ctx, errors.New("exit status 1"), ""); run.SnapshotID != 4 || err == nil || !strings.Contains(err.Error(), "disk full") {
		t.Errorf("published, not recorded: run %+v, err %v; want both", run, err)
	}
	end = readEvents(strings.NewReader(""), nil)
	_, err = end.result(ctx, errors.New("exit status 2"), "panic: runtime error: index out of range")
	if err == nil || !strings.Contains(err.Error(), "exit status 2") || !strings.Contains(err.Error(), "panic: runtime error") {
		t.Errorf("dead child: %v", err)
	}
	if _, err = end.result(ctx, nil, ""); err == nil || !strings.Contains(err.Error(), "(exit status 0)") {
		t.Errorf("a child that said nothing and exited 0: %v", err)
	}
	cancelled, cancel := context.WithCancel(ctx)
	cancel()
	if _, err := end.result(cancelled, errors.New("signal: terminated"), ""); err == nil || !strings.Contains(err.Error(), "stopped") {
		t.Errorf("stopped child: %v", err)
	}
}

// The child's JSON log records reach the server's log at their own level;
// other lines at Info. The line kept for an error is the panic's, not the
// stack's last frame.
func TestChildLogIsRelayedAtItsLevel(t *testing.T) {
	var got bytes.Buffer
	p := &ingestProcess{log: slog.New(slog.NewJSONHandler(&got, nil))}
	crash := p.relay(strings.NewReader(`{"time":"2026-12-02T12:00:00Z","level":"WARN","msg":"ingest source failed","source":"oews","err":"HTTP 503"}
plain progress line
panic: runtime error: index out of range

goroutine 1 [running]:
	/src/labdash/ingest/read.go:120 +0x1d
`))
	if crash != "panic: runtime error: index out of range" {
		t.Errorf("the line kept for the error: %q", crash)
	}
	var records []map[string]any
	for _, line := range strings.Split(strings.TrimSpace(got.String()), "\n") {
		var rec map[string]any
		json.Unmarshal([]byte(line), &rec)
		records = append(records, rec)
	}
	first := records[0]
	if first["level"] != "WARN" || first["msg"] != "ingest source failed" || first["source"] != "oews" || first["process"] != "ingest" {
		t.Errorf("the child's warning, relayed: %v", first)
	}
	if second := records[1]; second["level"] != "INFO" || second["output"] != "plain progress line" {
		t.Errorf("a plain line, relayed: %v", second)
	}
}
