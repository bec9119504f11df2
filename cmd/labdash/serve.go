package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"time"

	"github.com/labdash/labdash/data"
	"github.com/labdash/labdash/ingest"
	"github.com/labdash/labdash/web"
)

// Server timeouts: generous enough for a large export on a slow link, short
// enough that idle or stalled clients do not pile up.
const (
	readHeaderTimeout = 5 * time.Second
	readTimeout       = 15 * time.Second
	writeTimeout      = 5 * time.Minute
	idleTimeout       = 2 * time.Minute
	shutdownTimeout   = 20 * time.Second
)

func runServe(ctx context.Context, args []string, stdout, stderr io.Writer, getenv func(string) string) error {
	fs := newFlagSet("serve", stderr)
	cfg := Config{}
	fs.StringVar(&cfg.DBPath, "db", envDefault(getenv, "LABDASH_DB", defaultDBPath), "SQLite store path (LABDASH_DB)")
	fs.StringVar(&cfg.Addr, "addr", envDefault(getenv, "LABDASH_ADDR", defaultAddr), "listen address (LABDASH_ADDR)")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	log := slog.New(slog.NewTextHandler(stderr, nil))
	return serve(ctx, cfg, log, func(addr string) {
		fmt.Fprintf(stdout, "labdash: serving http://%s/\n", addr)
	})
}

// serve runs the server until ctx ends, then shuts down in order: stop
// accepting requests and let running ones finish, then close the store.
// ready is called with the bound address once the server accepts requests.
func serve(ctx context.Context, cfg Config, log *slog.Logger, ready func(addr string)) error {
	store, err := data.Open(ctx, cfg.DBPath)
	if err != nil {
		return err
	}
	defer store.Close()
	snap, seeded, err := ingest.SeedBuiltin(ctx, store, time.Now().UTC())
	if err != nil {
		return err
	}
	if seeded {
		log.Info("published the built-in reference figures", "snapshot", snap.ID, "observations", snap.ObservationCount)
	}
	site, err := web.New(store, log)
	if err != nil {
		return err
	}
	ln, err := net.Listen("tcp", cfg.Addr)
	if err != nil {
		return fmt.Errorf("listen on %s: %w", cfg.Addr, err)
	}
	srv := &http.Server{
		Handler:           site.Handler(),
		ReadHeaderTimeout: readHeaderTimeout,
		ReadTimeout:       readTimeout,
		WriteTimeout:      writeTimeout,
		IdleTimeout:       idleTimeout,
		ErrorLog:          slog.NewLogLogger(log.Handler(), slog.LevelWarn),
	}
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	log.Info("serving", "addr", ln.Addr().String(), "db", cfg.DBPath, "snapshot", snap.ID)
	if ready != nil {
		ready(ln.Addr().String())
	}
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	log.Info("shutting down")
	shutdownCtx, cancel := context.WithTimeout(context.Background(), shutdownTimeout)
	defer cancel()
	if err := srv.Shutdown(shutdownCtx); err != nil {
		return fmt.Errorf("shutdown: %w", err)
	}
	if err := <-errc; !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}
