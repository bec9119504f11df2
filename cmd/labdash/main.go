// Command labdash serves the clinical-laboratory labor-market dashboard and
// runs its ingests and exports. Run `labdash help` for the subcommands.
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"runtime/debug"
	"syscall"
)

// Exit codes.
const (
	exitOK     = 0
	exitFailed = 1
	exitUsage  = 2
)

// softMemoryLimit keeps the heap of a large ingest small: the garbage
// collector works harder near it instead of letting the heap double.
// GOMEMLIMIT in the environment overrides it.
const softMemoryLimit = 64 << 20

func main() {
	if os.Getenv("GOMEMLIMIT") == "" {
		debug.SetMemoryLimit(softMemoryLimit)
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := run(ctx, os.Args[1:], os.Stdout, os.Stderr, os.Getenv)
	stop()
	os.Exit(code)
}

// usageError is a mistake in the command line: exit 2 with the usage.
type usageError struct{ msg string }

func (e usageError) Error() string { return e.msg }

const usage = `labdash: labor-market outlook dashboard for clinical laboratory occupations

Usage:
  labdash serve   [--db PATH] [--addr HOST:PORT] [--sources FILE]
                                                          serve the dashboard and ingest on the schedule
  labdash ingest  [--db PATH] [--sources FILE] [--source NAME]
                                                          ingest the sources once
  labdash snapshots [--db PATH] [--json]                  list the snapshots
  labdash export  [--db PATH] [--snapshot ID|latest] [--format csv|datapackage] [-o FILE] [--bom]
                                                          write a snapshot's observations
  labdash diff    [--db PATH] FROM TO                     what changed between two snapshots
  labdash cite    [--db PATH] [--snapshot ID|latest] [--occupation CODE]
                  [--style apa|mla|chicago|bibtex|text] [--base-url URL]
                                                          citations of the quick facts
  labdash migrate [--db PATH|URL]                         bring the store's schema up to this labdash
  labdash copy    --from PATH|URL --to URL|PATH           move a whole store into an empty one
  labdash version                                         print the version

--db is a SQLite file path or a PostgreSQL URL (postgres://user:pass@host/db).
A SQLite file is migrated when opened; a PostgreSQL database, shared by several
servers, only by "labdash migrate": the others refuse a schema not their own.

Flags can also be set in the environment: LABDASH_DB, LABDASH_ADDR, LABDASH_SOURCES,
LABDASH_BASE_URL (the public address used in citations);
LABDASH_ADMIN_TOKEN turns on POST /admin/ingest; LABDASH_BLS_API_KEY is the
BLS API registration key for bls-api sources.
The store defaults to ./var/labdash.db; on first start it is filled with the
built-in data: real BLS workbooks (OEWS, Employment Projections) and reference figures.
`

// run is the whole program behind main, so tests can run it in-process.
func run(ctx context.Context, args []string, stdout, stderr io.Writer, getenv func(string) string) int {
	if len(args) == 0 {
		fmt.Fprint(stderr, usage)
		return exitUsage
	}
	var err error
	switch args[0] {
	case "serve":
		err = runServe(ctx, args[1:], stdout, stderr, getenv)
	case "ingest":
		err = runIngest(ctx, args[1:], stdout, stderr, getenv)
	case "snapshots":
		err = runSnapshots(ctx, args[1:], stdout, stderr, getenv)
	case "cite":
		err = runCite(ctx, args[1:], stdout, stderr, getenv)
	case "diff":
		err = runDiff(ctx, args[1:], stdout, stderr, getenv)
	case "export":
		err = runExport(ctx, args[1:], stdout, stderr, getenv)
	case "migrate":
		err = runMigrate(ctx, args[1:], stdout, stderr, getenv)
	case "copy":
		err = runCopy(ctx, args[1:], stdout, stderr, getenv)
	case "version":
		fmt.Fprintln(stdout, "labdash", version)
	case "help", "-h", "--help":
		fmt.Fprint(stdout, usage)
	default:
		err = usageError{fmt.Sprintf("unknown command %q", args[0])}
	}
	var (
		ue usageError
		ee exitError
	)
	switch {
	case err == nil:
		return exitOK
	case errors.As(err, &ee):
		fmt.Fprintf(stderr, "labdash: %v\n", err)
		return ee.code
	case errors.As(err, &ue):
		fmt.Fprintf(stderr, "labdash: %v\n\n%s", err, usage)
		return exitUsage
	default:
		fmt.Fprintf(stderr, "labdash: %v\n", err)
		return exitFailed
	}
}

// version is set at build time with -ldflags "-X main.version=...".
var version = "dev"
