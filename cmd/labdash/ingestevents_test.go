package main

import (
	"context"
	"encoding/json"
	"errors"
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
	end = readEvents(strings.NewReader(""), nil)
	_, err = end.result(ctx, errors.New("signal: killed"), "fatal error: out of memory")
	if err == nil || !strings.Contains(err.Error(), "signal: killed") || !strings.Contains(err.Error(), "out of memory") {
		t.Errorf("dead child: %v", err)
	}
	cancelled, cancel := context.WithCancel(ctx)
	cancel()
	if _, err := end.result(cancelled, errors.New("signal: terminated"), ""); err == nil || !strings.Contains(err.Error(), "stopped") {
		t.Errorf("stopped child: %v", err)
	}
}
