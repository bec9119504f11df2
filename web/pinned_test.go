package web

import (
	"encoding/json"
	"io"
	"log/slog"
	"net/http/httptest"
	"strings"
	"testing"
)

// A pinned page is byte-identical before and after a newer snapshot is
// published, even when rendered afresh by another server; the newer-data
// banner comes from a separate uncached request.
func TestPinnedPagesNeverChange(t *testing.T) {
	ts, store, _ := newTestSite(t)
	_, before := get(t, ts.URL+"/s/1/")
	_, beforeCSV := get(t, ts.URL+"/s/1/home/projections.csv")
	if !strings.Contains(before, `data-check="/api/v1/newer?page=&amp;query=&amp;snapshot=1"`) {
		t.Fatalf("the pinned page has no newer-data check")
	}
	_, body := get(t, ts.URL+"/api/v1/newer?snapshot=1&page=&query=")
	var none newerJSON
	if err := json.Unmarshal([]byte(body), &none); err != nil || none.Newer {
		t.Fatalf("newer before any new snapshot: %s", body)
	}

	publishRevision(t, store)
	fresh, err := New(store, slog.New(slog.NewTextHandler(io.Discard, nil)), Options{})
	if err != nil {
		t.Fatal(err)
	}
	ts2 := httptest.NewServer(fresh.Handler())
	defer ts2.Close()
	resp, after := get(t, ts2.URL+"/s/1/")
	_, afterCSV := get(t, ts2.URL+"/s/1/home/projections.csv")
	if after != before || afterCSV != beforeCSV {
		t.Fatal("the pinned page or its CSV changed after a new snapshot was published")
	}
	if !strings.Contains(resp.Header.Get("Cache-Control"), "immutable") {
		t.Errorf("pinned Cache-Control %q", resp.Header.Get("Cache-Control"))
	}
	resp, body = get(t, ts2.URL+"/api/v1/newer?snapshot=1&page=&query=")
	var newer newerJSON
	if err := json.Unmarshal([]byte(body), &newer); err != nil {
		t.Fatal(err)
	}
	// One revised figure, and a new edition the latest page now shows.
	if !newer.Newer || newer.Latest != 2 || newer.ChangedOnPage != 2 || newer.DiffURL != "/diff?from=1&to=2" ||
		len(newer.Lines) != 2 || !strings.Contains(newer.Lines[0], "1.7% → 2%") || !strings.Contains(newer.Lines[1], "2025-35") {
		t.Errorf("newer: %+v", newer)
	}
	if resp.Header.Get("Cache-Control") != "no-store" {
		t.Errorf("the newer check is cacheable: %q", resp.Header.Get("Cache-Control"))
	}
	if resp, _ := get(t, ts2.URL+"/api/v1/newer?snapshot=1&page=nope"); resp.StatusCode != 400 {
		t.Errorf("unknown page: %d", resp.StatusCode)
	}
}
