package data

import (
	"context"
	"database/sql"
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"sort"
	"strings"
	"time"

	_ "modernc.org/sqlite" // registers the "sqlite" driver (pure Go, no cgo)
)

//go:embed migrations/sqlite/*.sql migrations/postgres/*.sql
var migrationFiles embed.FS

// Errors callers can tell apart.
var (
	ErrNotLabdash      = errors.New("the file is not a labdash database")
	ErrStoreMissing    = errors.New("there is no labdash store at this path")
	ErrStoreEmpty      = errors.New("the file is empty, not a labdash store")
	ErrStoreCorrupt    = errors.New("the store file is damaged")
	ErrReadOnly        = errors.New("the store was opened by a command that only reads")
	ErrSchemaTooNew    = errors.New("the database was written by a newer labdash")
	ErrSchemaTooOld    = errors.New("the database needs migrating")
	ErrNoSnapshot      = errors.New("no snapshot has been published yet")
	ErrSnapshotMissing = errors.New("no such snapshot")
)

// Store is the labdash store: a SQLite file or a PostgreSQL database.
//
// With SQLite it keeps one connection for writes, so writers queue in Go
// rather than fail with SQLITE_BUSY, and a pool for reads, which WAL lets run
// beside a writer. With PostgreSQL both are the same pool: the server
// handles concurrent writers, and publishing takes an advisory lock.
type Store struct {
	write    *sql.DB
	read     *sql.DB
	d        dialect
	path     string // the SQLite file; "" for PostgreSQL
	location string // where the store is, without a password, for logs
	// migratedFrom is the schema version found on open, before migrating.
	migratedFrom int
	// readOnly stores were opened by a command that only reads: their
	// connections refuse every write.
	readOnly bool
	now      func() time.Time
}

// Open opens the store named by dsn: a postgres:// or postgresql:// URL, or
// else a SQLite file path.
//
// A SQLite file is created if needed and migrated to this binary's schema
// on open: it has one user at a time, so upgrading in place is safe. A
// PostgreSQL database is shared by several servers, so Open only checks it:
// a schema older or newer than this binary's is refused with a sentence
// saying to run `labdash migrate` (see Migrate).
func Open(ctx context.Context, dsn string) (*Store, error) {
	if isPostgresURL(dsn) {
		return openPostgres(ctx, dsn, readWrite, false)
	}
	return openSQLite(ctx, dsn, readWrite)
}

// OpenReadOnly opens an existing store for a command that only reads it. It
// creates, migrates and writes nothing, not even SQLite's journal mode, so
// it works on a file or folder this user may not write; every write on the
// store fails. A missing or empty file, another program's database, a store
// needing migration and one from a newer labdash are refused with a
// sentence, and left as they were.
func OpenReadOnly(ctx context.Context, dsn string) (*Store, error) {
	if isPostgresURL(dsn) {
		return openPostgres(ctx, dsn, readOnly, false)
	}
	return openSQLite(ctx, dsn, readOnly)
}

// Migrate brings the store named by dsn to this binary's schema version and
// returns the versions before and after. Migrations run one per transaction,
// each with its version bump, so a crash leaves a whole version.
func Migrate(ctx context.Context, dsn string) (from, to int, err error) {
	var s *Store
	if isPostgresURL(dsn) {
		s, err = openPostgres(ctx, dsn, readWrite, true)
	} else {
		s, err = openSQLite(ctx, dsn, readWrite)
	}
	if err != nil {
		return 0, 0, err
	}
	defer s.Close()
	return s.migratedFrom, SchemaVersion(), nil
}

// Location says where the store is, without any password: for logs.
func (s *Store) Location() string { return s.location }

// Backend is "sqlite" or "postgres".
func (s *Store) Backend() string { return s.d.name }

// SetClock replaces the clock that stamps snapshots and runs (data.Now by
// default), so a program or a test sets the time in one place.
func (s *Store) SetClock(now func() time.Time) { s.now = now }

// Close closes both pools.
func (s *Store) Close() error {
	if s.read == s.write {
		return s.write.Close()
	}
	return errors.Join(s.read.Close(), s.write.Close())
}

type migration struct {
	version int
	name    string
	sql     string
}

func loadMigrations(d dialect) ([]migration, error) {
	entries, err := fs.ReadDir(migrationFiles, d.migrations)
	if err != nil {
		return nil, err
	}
	var out []migration
	for _, e := range entries {
		body, err := fs.ReadFile(migrationFiles, d.migrations+"/"+e.Name())
		if err != nil {
			return nil, err
		}
		out = append(out, migration{name: e.Name(), sql: string(body)})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].name < out[j].name })
	for i := range out {
		out[i].version = i + 1
	}
	return out, nil
}

// SchemaVersion is the number of migrations this binary knows.
func SchemaVersion() int {
	m, _ := loadMigrations(sqliteDialect)
	return len(m)
}

// checkSchemaVersion explains a database whose schema is not this binary's.
func checkSchemaVersion(have, want int) error {
	switch {
	case have > want:
		return fmt.Errorf("%w: the database is at schema version %d, this labdash knows up to %d: upgrade labdash",
			ErrSchemaTooNew, have, want)
	case have < want:
		return fmt.Errorf("%w: the database is at schema version %d, this labdash needs %d: run `labdash migrate`",
			ErrSchemaTooOld, have, want)
	}
	return nil
}

// applyMigration runs one migration and records its version in the same
// transaction, so a crash leaves the database at a whole version.
func (s *Store) applyMigration(ctx context.Context, db *sql.Conn, m migration) error {
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	for _, stmt := range splitStatements(m.sql) {
		if _, err := tx.ExecContext(ctx, stmt); err != nil {
			return err
		}
	}
	if err := s.setSchemaVersion(ctx, tx, m.version); err != nil {
		return err
	}
	return tx.Commit()
}

// splitStatements splits a migration on ";" at line ends. Migrations are ours
// and contain no semicolons inside strings.
func splitStatements(script string) []string {
	var out []string
	for _, part := range strings.Split(script, ";\n") {
		var lines []string
		for _, l := range strings.Split(part, "\n") {
			if t := strings.TrimSpace(l); t != "" && !strings.HasPrefix(t, "--") {
				lines = append(lines, l)
			}
		}
		if stmt := strings.TrimSuffix(strings.TrimSpace(strings.Join(lines, "\n")), ";"); stmt != "" {
			out = append(out, stmt)
		}
	}
	return out
}
