package main

import (
	"context"
	"fmt"
	"io"

	"github.com/labdash/labdash/data"
)

// runMigrate brings the store's schema to this binary's version. A SQLite
// file is also migrated whenever it is opened; a PostgreSQL database only
// here, because other servers sharing it may still run the older labdash,
// and `serve` refuses a schema that is not its own.
func runMigrate(ctx context.Context, args []string, stdout, stderr io.Writer, getenv func(string) string) error {
	fs := newFlagSet("migrate", stderr)
	dbPath := fs.String("db", envDefault(getenv, "LABDASH_DB", defaultDBPath), dbFlagUsage)
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	from, to, err := data.Migrate(ctx, *dbPath)
	if err != nil {
		return err
	}
	if from == to {
		fmt.Fprintf(stdout, "the store is at schema version %d already\n", to)
		return nil
	}
	fmt.Fprintf(stdout, "migrated the store from schema version %d to %d\n", from, to)
	return nil
}
