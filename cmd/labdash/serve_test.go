package main

import (
	"context"
	"io"
	"log/slog"
	"maps"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/labdash/labdash/internal/dirstate"
)

// `serve` on an address already in use fails with a sentence before it
// creates, migrates or seeds the store and before any ingest asks a source
// for anything. Before, it seeded the store and started the catch-up ingest
// first, then failed to bind.
func TestServeOnABusyPortTouchesNeitherStoreNorSources(t *testing.T) {
	busy, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer busy.Close()
	var asked atomic.Int64
	source := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		asked.Add(1)
		http.Error(w, "no", http.StatusServiceUnavailable)
	}))
	defer source.Close()
	sources := filepath.Join(t.TempDir(), "sources.yaml")
	os.WriteFile(sources, []byte(`user_agent: "labdash-test (ops@lab.test)"
schedule: "0 6 * * *"
sources:
  - name: remote
    format: labdash-csv
    url: `+source.URL+`/figures.csv
`), 0o644)

	for _, c := range []struct {
		name  string
		store func(dir string) string
	}{
		{"a new store", func(dir string) string { return filepath.Join(dir, "new.db") }},
		{"an existing store", func(string) string { return seededStore(t) }},
	} {
		t.Run(c.name, func(t *testing.T) {
			path := c.store(t.TempDir())
			dir := filepath.Dir(path)
			before := dirstate.Of(t, dir)
			cfg := Config{DBPath: path, Addr: busy.Addr().String(), SourcesPath: sources, SourcesRequired: true}
			err := serve(context.Background(), cfg, slog.New(slog.NewTextHandler(io.Discard, nil)), func(string) {
				t.Error("the server said it was ready")
			})
			if err == nil || !strings.Contains(err.Error(), "already in use") || !strings.Contains(err.Error(), "were not touched") {
				t.Errorf("serve on a busy port: %v", err)
			}
			if after := dirstate.Of(t, dir); !maps.Equal(before, after) {
				t.Errorf("the store's folder changed:\nbefore %v\nafter  %v", before, after)
			}
			if n := asked.Load(); n != 0 {
				t.Errorf("the source was asked %d times", n)
			}
		})
	}
}
