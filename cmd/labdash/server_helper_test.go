package main

import (
	"context"
	"io"
	"log/slog"
	"path/filepath"
	"sync"
	"testing"
	"time"
)

// startServer runs the real `labdash serve` code path on a free loopback
// port with a store in a temp dir, and stops it when the test ends.
func startServer(t testing.TB) (baseURL, dbPath string) {
	t.Helper()
	return startServerOn(t, filepath.Join(t.TempDir(), "labdash.db"))
}

// startServerOn is startServer on the store at dbPath.
func startServerOn(t testing.TB, dbPath string) (baseURL, _ string) {
	t.Helper()
	baseURL, _ = startServerWith(t, Config{DBPath: dbPath, Addr: "127.0.0.1:0"}, io.Discard)
	return baseURL, dbPath
}

// startServerWith runs the real `labdash serve` code path with cfg, logging
// to log, until stop is called or the test ends; stop returns what serve
// returned.
func startServerWith(t testing.TB, cfg Config, log io.Writer) (baseURL string, stop func() error) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	addrc := make(chan string, 1)
	done := make(chan error, 1)
	go func() {
		done <- serve(ctx, cfg, slog.New(slog.NewTextHandler(log, nil)), func(addr string) { addrc <- addr })
	}()
	select {
	case addr := <-addrc:
		baseURL = "http://" + addr
	case err := <-done:
		cancel()
		t.Fatalf("server did not start: %v", err)
	case <-time.After(30 * time.Second):
		cancel()
		t.Fatal("server did not start within 30 s")
	}
	var (
		once sync.Once
		err  error
	)
	stop = func() error {
		once.Do(func() { cancel(); err = <-done })
		return err
	}
	t.Cleanup(func() {
		if err := stop(); err != nil {
			t.Errorf("server shutdown: %v", err)
		}
	})
	return baseURL, stop
}

// poll calls cond until it holds, failing the test after timeout. It is
// how tests wait: for a state, never for a fixed time.
func poll(t testing.TB, timeout time.Duration, what string, cond func() bool) {
	t.Helper()
	if !waitUntil(timeout, cond) {
		t.Fatalf("waited %v for %s", timeout, what)
	}
}

// waitUntil calls cond until it holds and reports whether it did within
// timeout.
func waitUntil(timeout time.Duration, cond func() bool) bool {
	tick := time.NewTicker(20 * time.Millisecond)
	defer tick.Stop()
	deadline := time.After(timeout)
	for !cond() {
		select {
		case <-tick.C:
		case <-deadline:
			return false
		}
	}
	return true
}
