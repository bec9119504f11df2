package main

import (
	"context"
	"fmt"
	"io"

	"github.com/labdash/labdash/data"
)

// runCopy moves a whole store (snapshots with their ids, every observation
// version, source states, ingest runs) into an empty one: typically from the
// SQLite file of a single server to the PostgreSQL database several servers
// will share. The target is migrated first; the source should not be
// written to while the copy runs.
func runCopy(ctx context.Context, args []string, stdout, stderr io.Writer, getenv func(string) string) error {
	fs := newFlagSet("copy", stderr)
	from := fs.String("from", "", "the store to read: a SQLite path or a postgres:// URL")
	to := fs.String("to", "", "the empty store to fill: a postgres:// URL or a SQLite path")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if *from == "" || *to == "" {
		return usageError{"copy needs --from and --to"}
	}
	if *from == *to {
		return usageError{"--from and --to name the same store"}
	}
	src, err := data.OpenReadOnly(ctx, *from)
	if err != nil {
		return err
	}
	defer src.Close()
	if _, _, err := data.Migrate(ctx, *to); err != nil {
		return err
	}
	dst, err := data.Open(ctx, *to)
	if err != nil {
		return err
	}
	defer dst.Close()
	stats, err := data.Copy(ctx, src, dst)
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "copied %s to %s: %d snapshots, %d observation versions, %d source states, %d ingest runs\n",
		src.Location(), dst.Location(), stats["snapshots"], stats["observations"], stats["source_state"], stats["ingest_runs"])
	return nil
}
