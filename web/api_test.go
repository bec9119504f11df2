package web

import (
	"context"
	"encoding/json"
	"strings"
	"testing"

	"github.com/labdash/labdash/data"
)

// publishRevision adds a second snapshot that revises one figure, adds one
// and withdraws one (synthetic test data).
func publishRevision(t *testing.T, store *data.Store) data.Snapshot {
	t.Helper()
	ctx := context.Background()
	obs, err := store.Observations(ctx, 1, data.Filter{Occupations: []string{"29-2010"}, Measures: []data.Measure{"projected_growth_pct"}, Periods: []string{"2024-2034"}})
	if err != nil || len(obs) != 1 {
		t.Fatalf("%v %v", obs, err)
	}
	revised := obs[0]
	revised.Value = data.Float(2)
	added := revised
	added.Period, added.Value = "2025-2035", data.Float(3)
	gone, _ := store.Observations(ctx, 1, data.Filter{Occupations: []string{"00-0000"}})
	snap, err := store.Publish(ctx, data.Publication{Label: "synthetic revision", Observations: []data.Observation{revised, added},
		Remove: []data.Key{gone[0].Key()}})
	if err != nil {
		t.Fatal(err)
	}
	return snap
}

func TestAPISnapshotsObservationsAndDiff(t *testing.T) {
	ts, store, site := newTestSite(t)
	publishRevision(t, store)
	site.Refresh()

	_, body := get(t, ts.URL+"/api/v1/snapshots")
	var list struct {
		Snapshots []struct {
			ID      int64             `json:"id"`
			Sources []data.SourceInfo `json:"sources"`
		} `json:"snapshots"`
	}
	if err := json.Unmarshal([]byte(body), &list); err != nil || len(list.Snapshots) != 2 || list.Snapshots[0].ID != 2 {
		t.Fatalf("snapshots: %v %s", err, body)
	}
	// The built-in snapshot names each of its 17 BLS workbooks and the
	// reference figures file as a source of its own.
	builtinSources := list.Snapshots[1].Sources
	if len(builtinSources) != 18 {
		t.Errorf("snapshot 1 has %d sources, want 18: %+v", len(builtinSources), builtinSources)
	}
	for _, s := range builtinSources {
		if s.Name != "builtin" || len(s.FileHash) != 64 {
			t.Errorf("snapshot 1 source %+v: want the builtin source with its file's SHA-256", s)
		}
	}

	resp, body := get(t, ts.URL+"/api/v1/snapshots/1/observations?occupation=29-2010&measure=projected_growth_pct")
	var obs struct {
		Snapshot     struct{ ID int64 } `json:"snapshot"`
		Observations []map[string]any   `json:"observations"`
	}
	if err := json.Unmarshal([]byte(body), &obs); err != nil || obs.Snapshot.ID != 1 || len(obs.Observations) < 5 {
		t.Fatalf("observations: %v %s", err, body)
	}
	if !strings.Contains(resp.Header.Get("Cache-Control"), "immutable") {
		t.Error("a pinned snapshot's observations are not cacheable forever")
	}

	_, body = get(t, ts.URL+"/api/v1/diff?from=1&to=2")
	var diff struct {
		Added, Revised, Removed int
		Callouts                []string
		Changes                 []struct{ Kind, Text string }
	}
	if err := json.Unmarshal([]byte(body), &diff); err != nil || diff.Added != 1 || diff.Revised != 1 || diff.Removed != 1 {
		t.Fatalf("diff: %v %s", err, body)
	}
	found := false
	for _, c := range diff.Changes {
		found = found || c.Text == "projected growth 2024-34 for 29-2010: 1.7% → 2%"
	}
	if !found || len(diff.Callouts) == 0 || !strings.Contains(diff.Callouts[0], "2025-35") {
		t.Errorf("diff text or callouts: %+v", diff)
	}

	for path, says := range map[string]string{
		"/api/v1/snapshots/x/observations":     "must be a snapshot number",
		"/api/v1/snapshots/9":                  "There is no snapshot 9",
		"/api/v1/snapshots/1/observations?q=1": "no parameter",
		"/api/v1/diff?from=1&to=nope":          "to parameter must be",
		"/api/v1/nothing":                      "no API endpoint",
	} {
		resp, body := get(t, ts.URL+path)
		if resp.StatusCode < 400 || !strings.Contains(resp.Header.Get("Content-Type"), "application/json") || !strings.Contains(body, says) {
			t.Errorf("%s: %d %s %s", path, resp.StatusCode, resp.Header.Get("Content-Type"), body)
		}
	}
}

func TestSnapshotsAndDiffPages(t *testing.T) {
	ts, store, site := newTestSite(t)
	publishRevision(t, store)
	site.Refresh()
	resp, body := get(t, ts.URL+"/snapshots")
	if resp.StatusCode != 200 || !strings.Contains(body, "synthetic revision") || !strings.Contains(body, `href="/diff?from=1&amp;to=2"`) {
		t.Errorf("snapshots page: %d", resp.StatusCode)
	}
	resp, body = get(t, ts.URL+"/diff?from=1&to=2")
	if resp.StatusCode != 200 || !strings.Contains(body, "1.7% → 2%") || !strings.Contains(body, "New Employment Projections edition 2025-35") {
		t.Errorf("diff page: %d", resp.StatusCode)
	}
	if resp, _ := get(t, ts.URL+"/diff"); resp.StatusCode != 200 {
		t.Errorf("diff of the latest with the one before: %d", resp.StatusCode)
	}
	if resp, body := get(t, ts.URL+"/diff?to=1"); resp.StatusCode != 400 || !strings.Contains(body, "nothing before it") {
		t.Errorf("diff before the first: %d", resp.StatusCode)
	}
}
