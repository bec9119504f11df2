package main

import (
	"flag"
	"io"
	"strings"
	"time"

	"github.com/labdash/labdash/data"
)

// Config is what the command line and the environment say; flags win over
// the environment, the environment over defaults.
type Config struct {
	DBPath          string
	Addr            string
	SourcesPath     string
	SourcesRequired bool   // named by flag or environment: it must load
	AdminToken      string // LABDASH_ADMIN_TOKEN; "" turns POST /admin/ingest off
	BaseURL         string // LABDASH_BASE_URL: the public address citations name
	// Now is the program's clock, handed to the store, the web server and
	// the ingest service (when runs start, whether one was missed); data.Now
	// when nil. Ingests run in processes of their own, on the real clock.
	Now func() time.Time
	// IngestEnv is added to the environment of the ingest processes the
	// server starts (tests make their binary run as labdash with it).
	IngestEnv []string
}

// clock is cfg.Now, or data.Now.
func (cfg Config) clock() func() time.Time {
	if cfg.Now != nil {
		return cfg.Now
	}
	return data.Now
}

// dbFlagUsage describes --db for every subcommand.
const dbFlagUsage = "SQLite store path or postgres:// URL (LABDASH_DB)"

const (
	defaultDBPath = "./var/labdash.db"
	defaultAddr   = "127.0.0.1:8080"
)

// newFlagSet returns a flag set that reports errors instead of exiting.
func newFlagSet(name string, stderr io.Writer) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(stderr)
	return fs
}

// envDefault returns the environment's value or the default.
func envDefault(getenv func(string) string, key, def string) string {
	if v := strings.TrimSpace(getenv(key)); v != "" {
		return v
	}
	return def
}

// parseFlags parses args and turns a flag error into a usage error.
func parseFlags(fs *flag.FlagSet, args []string) error {
	if err := fs.Parse(args); err != nil {
		return usageError{err.Error()}
	}
	if fs.NArg() > 0 {
		return usageError{"unexpected argument " + fs.Arg(0)}
	}
	return nil
}
