package data

import (
	"context"
	"database/sql"
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"

	_ "modernc.org/sqlite" // registers the "sqlite" driver (pure Go, no cgo)
)

//go:embed migrations/*.sql
var migrationFiles embed.FS

// applicationID marks a SQLite file as a labdash store ("LDSH").
const applicationID = 0x4c445348

// Errors callers can tell apart.
var (
	ErrNotLabdash      = errors.New("the file is not a labdash database")
	ErrSchemaTooNew    = errors.New("the database was written by a newer labdash")
	ErrNoSnapshot      = errors.New("no snapshot has been published yet")
	ErrSnapshotMissing = errors.New("no such snapshot")
)

// Store is the SQLite store. It keeps one connection for writes, so writers
// queue in Go rather than fail with SQLITE_BUSY, and a pool for reads, which
// WAL lets run beside a writer.
type Store struct {
	write *sql.DB
	read  *sql.DB
	now   func() time.Time
}

// Open opens (creating if needed) the store at path and applies migrations.
func Open(ctx context.Context, path string) (*Store, error) {
	if dir := filepath.Dir(path); dir != "" {
		if err := os.MkdirAll(dir, 0o755); err != nil {
			return nil, fmt.Errorf("open store: %w", err)
		}
	}
	if err := checkIsSQLite(path); err != nil {
		return nil, err
	}
	write, err := openPool(path, 1)
	if err != nil {
		return nil, err
	}
	s := &Store{write: write, now: func() time.Time { return time.Now().UTC() }}
	if err := s.migrate(ctx); err != nil {
		write.Close()
		return nil, fmt.Errorf("open store %s: %w", path, err)
	}
	if s.read, err = openPool(path, 4); err != nil {
		write.Close()
		return nil, err
	}
	return s, nil
}

func openPool(path string, conns int) (*sql.DB, error) {
	dsn := "file:" + path + "?_pragma=busy_timeout(10000)&_pragma=journal_mode(WAL)" +
		"&_pragma=foreign_keys(1)&_pragma=synchronous(NORMAL)&_txlock=immediate"
	db, err := sql.Open("sqlite", dsn)
	if err != nil {
		return nil, fmt.Errorf("open store %s: %w", path, err)
	}
	db.SetMaxOpenConns(conns)
	db.SetMaxIdleConns(conns)
	db.SetConnMaxIdleTime(0)
	return db, nil
}

// checkIsSQLite refuses a non-empty file without the SQLite header, so that
// pointing --db at the wrong file gives a sentence instead of a driver error.
func checkIsSQLite(path string) error {
	f, err := os.Open(path)
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("open store: %w", err)
	}
	defer f.Close()
	header := make([]byte, 16)
	n, _ := f.Read(header)
	if n == 0 {
		return nil
	}
	if string(header[:n]) != "SQLite format 3\x00" {
		return fmt.Errorf("%s: %w (it is not a SQLite file)", path, ErrNotLabdash)
	}
	return nil
}

// SetClock replaces the clock used to stamp snapshots; for tests.
func (s *Store) SetClock(now func() time.Time) { s.now = now }

// Close closes both pools.
func (s *Store) Close() error {
	return errors.Join(s.read.Close(), s.write.Close())
}

type migration struct {
	version int
	name    string
	sql     string
}

func loadMigrations() ([]migration, error) {
	entries, err := fs.ReadDir(migrationFiles, "migrations")
	if err != nil {
		return nil, err
	}
	var out []migration
	for i, e := range entries {
		body, err := fs.ReadFile(migrationFiles, "migrations/"+e.Name())
		if err != nil {
			return nil, err
		}
		out = append(out, migration{version: i + 1, name: e.Name(), sql: string(body)})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].name < out[j].name })
	return out, nil
}

// SchemaVersion is the number of migrations this binary knows.
func SchemaVersion() int {
	m, _ := loadMigrations()
	return len(m)
}

// migrate applies the migrations the file lacks, each in its own
// transaction together with the user_version bump, so a crash leaves the
// file at a whole version.
func (s *Store) migrate(ctx context.Context) error {
	migrations, err := loadMigrations()
	if err != nil {
		return err
	}
	var appID, version, tables int
	if err := s.write.QueryRowContext(ctx, "PRAGMA application_id").Scan(&appID); err != nil {
		return fmt.Errorf("%w (%v)", ErrNotLabdash, err)
	}
	if err := s.write.QueryRowContext(ctx, "PRAGMA user_version").Scan(&version); err != nil {
		return err
	}
	if err := s.write.QueryRowContext(ctx, "SELECT count(*) FROM sqlite_schema").Scan(&tables); err != nil {
		return fmt.Errorf("%w (%v)", ErrNotLabdash, err)
	}
	switch {
	case appID == 0 && tables > 0:
		return fmt.Errorf("%w: it is a SQLite database of another program", ErrNotLabdash)
	case appID != 0 && appID != applicationID:
		return fmt.Errorf("%w: its application id is %#x", ErrNotLabdash, appID)
	case version > len(migrations):
		return fmt.Errorf("%w: schema version %d, this binary knows up to %d; upgrade labdash",
			ErrSchemaTooNew, version, len(migrations))
	}
	for _, m := range migrations[version:] {
		if err := s.applyMigration(ctx, m); err != nil {
			return fmt.Errorf("migration %s: %w", m.name, err)
		}
	}
	return nil
}

func (s *Store) applyMigration(ctx context.Context, m migration) error {
	tx, err := s.write.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	for _, stmt := range splitStatements(m.sql) {
		if _, err := tx.ExecContext(ctx, stmt); err != nil {
			return err
		}
	}
	if _, err := tx.ExecContext(ctx, fmt.Sprintf("PRAGMA application_id = %d", applicationID)); err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, fmt.Sprintf("PRAGMA user_version = %d", m.version)); err != nil {
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
