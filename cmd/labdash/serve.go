package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"net"
	"net/http"
	"strings"
	"syscall"
	"time"

	"github.com/labdash/labdash/data"
	"github.com/labdash/labdash/ingest"
	"github.com/labdash/labdash/ingest/config"
	"github.com/labdash/labdash/ingest/schedule"
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
	fs.StringVar(&cfg.DBPath, "db", envDefault(getenv, "LABDASH_DB", defaultDBPath), dbFlagUsage)
	fs.StringVar(&cfg.Addr, "addr", envDefault(getenv, "LABDASH_ADDR", defaultAddr), "listen address (LABDASH_ADDR)")
	fs.StringVar(&cfg.SourcesPath, "sources", getenv("LABDASH_SOURCES"), "sources file (LABDASH_SOURCES; default ./sources.yaml when it exists)")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	cfg.SourcesRequired = cfg.SourcesPath != ""
	if cfg.SourcesPath == "" {
		cfg.SourcesPath = defaultSourcesPath
	}
	cfg.AdminToken = getenv("LABDASH_ADMIN_TOKEN")
	cfg.BaseURL = getenv("LABDASH_BASE_URL")
	if cfg.BaseURL == "" {
		// Citations name the pinned address; without a configured public
		// address, the one this server listens on is the honest guess.
		cfg.BaseURL = "http://" + cfg.Addr
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
	// The address is bound first: a server that cannot listen must not
	// create, migrate or seed the store, nor start an ingest, on its way
	// to failing.
	ln, err := listen(cfg.Addr)
	if err != nil {
		return err
	}
	defer ln.Close() // after a successful start, Shutdown has closed it already
	store, err := data.Open(ctx, cfg.DBPath)
	if err != nil {
		return err
	}
	defer store.Close()
	now := cfg.clock()
	store.SetClock(now)
	snap, seeded, err := ingest.SeedBuiltin(ctx, store, now())
	if err != nil {
		return err
	}
	if seeded {
		log.Info("published the built-in data", "snapshot", snap.ID, "observations", snap.ObservationCount)
	}
	ingester, err := newServerIngest(cfg, log)
	if err != nil {
		return err
	}
	opts := web.Options{AdminToken: cfg.AdminToken, BaseURL: cfg.BaseURL, Now: now}
	if ingester != nil {
		opts.Ingester = webIngester{ingester}
	}
	site, err := web.New(store, log, opts)
	if err != nil {
		return err
	}
	if ingester != nil {
		ingester.published = site.Refresh
		// Deferred after store.Close, so it runs before it on every return
		// path: an ingest never outlives the store it writes to.
		defer stopIngest(ingester, log)
		if err := ingester.start(ctx, store, now()); err != nil {
			return err
		}
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
	log.Info("serving", "addr", ln.Addr().String(), "db", store.Location(), "snapshot", snap.ID)
	if ready != nil {
		ready(ln.Addr().String())
	}
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	log.Info("shutting down")
	// Order matters: no new ingest, the running one cancelled and waited
	// for, then no new requests, then (deferred) the store closes. Each
	// step has its own time budget.
	if ingester != nil {
		stopIngest(ingester, log)
	}
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

// listen binds the server's address, with a sentence for the usual reasons
// it cannot.
func listen(addr string) (net.Listener, error) {
	ln, err := net.Listen("tcp", addr)
	switch {
	case errors.Is(err, syscall.EADDRINUSE):
		return nil, fmt.Errorf("cannot listen on %s: the address is already in use (another labdash, or another program); "+
			"choose another with --addr or LABDASH_ADDR. The store and the sources were not touched", addr)
	case errors.Is(err, syscall.EACCES):
		return nil, fmt.Errorf("cannot listen on %s: this user may not use that port (ports below 1024 need privileges); "+
			"the store and the sources were not touched", addr)
	case err != nil:
		return nil, fmt.Errorf("cannot listen on %s: %w; the store and the sources were not touched", addr, err)
	}
	return ln, nil
}

// stopIngest stops scheduling and waits for a running ingest; safe to call
// more than once.
func stopIngest(svc *ingestService, log *slog.Logger) {
	ctx, cancel := context.WithTimeout(context.Background(), shutdownTimeout)
	defer cancel()
	if err := svc.stop(ctx); err != nil {
		log.Warn("stopping ingest", "err", err)
	}
}

// newServerIngest loads the sources file and prepares scheduled ingest. A
// sources file named on the command line or in the environment must load; the
// default ./sources.yaml is optional. nil means the server does not ingest.
func newServerIngest(cfg Config, log *slog.Logger) (*ingestService, error) {
	if cfg.SourcesPath == "" {
		return nil, nil
	}
	sources, err := config.LoadConfig(cfg.SourcesPath)
	if errors.Is(err, fs.ErrNotExist) && !cfg.SourcesRequired {
		log.Info("no sources file: serving the store without ingesting", "sources", cfg.SourcesPath)
		return nil, nil
	}
	if err != nil {
		return nil, exitError{exitUsage, err}
	}
	schedule, err := schedule.Parse(sources.Schedule)
	if err != nil {
		return nil, exitError{exitUsage, fmt.Errorf("%s: schedule: %w", cfg.SourcesPath, err)}
	}
	child, err := newIngestProcess(cfg.DBPath, cfg.SourcesPath, cfg.IngestEnv, log)
	if err != nil {
		return nil, err
	}
	scheduled, note := true, ""
	if placeholderUserAgent(sources.UserAgent) {
		scheduled = false
		note = "Scheduled ingest is off: user_agent in " + cfg.SourcesPath + " is still the placeholder. " +
			"BLS refuses downloads without a real contact address; set yours to turn the schedule on."
		log.Warn(note)
	}
	svc := newIngestService(child.run, schedule, scheduled, note, log)
	svc.now = cfg.clock()
	return svc, nil
}

// placeholderUserAgent spots the shipped sources.yaml's user_agent, which an
// operator must replace with a real contact before BLS serves the files.
func placeholderUserAgent(ua string) bool {
	return strings.Contains(ua, "set-your-contact")
}
