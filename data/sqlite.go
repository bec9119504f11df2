package data

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"syscall"
)

// applicationID marks a SQLite file as a labdash store ("LDSH").
const applicationID = 0x4c445348

// openSQLite opens (creating if needed) the SQLite store at path and applies
// the migrations it lacks.
func openSQLite(ctx context.Context, path string) (*Store, error) {
	if dir := filepath.Dir(path); dir != "" {
		if err := os.MkdirAll(dir, 0o755); err != nil {
			return nil, fmt.Errorf("open store: %w", err)
		}
	}
	if err := checkIsSQLite(path); err != nil {
		return nil, err
	}
	write, err := openSQLitePool(path, 1)
	if err != nil {
		return nil, err
	}
	s := &Store{write: write, d: sqliteDialect, path: path, location: path, now: Now}
	if err := s.migrateSQLite(ctx); err != nil {
		write.Close()
		return nil, fmt.Errorf("open store %s: %w", path, err)
	}
	if s.read, err = openSQLitePool(path, 4); err != nil {
		write.Close()
		return nil, err
	}
	return s, nil
}

func openSQLitePool(path string, conns int) (*sql.DB, error) {
	dsn := "file:" + path + "?_pragma=busy_timeout(10000)&_pragma=journal_mode(WAL)" +
		"&_pragma=foreign_keys(1)&_pragma=synchronous(NORMAL)&_txlock=immediate"
	if conns == 1 {
		// The writer's page cache: a publish updates the indexes over tens
		// of thousands of rows, and the 2 MB default evicts pages it is
		// about to touch again. 8 MB keeps a large ingest under 100 MB RSS.
		dsn += "&_pragma=cache_size(-8000)"
	}
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

// migrateSQLite applies the migrations the file lacks. A SQLite store has one
// user at a time, so it is upgraded on open.
func (s *Store) migrateSQLite(ctx context.Context) error {
	migrations, err := loadMigrations(s.d)
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
		return checkSchemaVersion(version, len(migrations))
	}
	s.migratedFrom = version
	conn, err := s.write.Conn(ctx)
	if err != nil {
		return err
	}
	defer conn.Close()
	for _, m := range migrations[version:] {
		if err := s.applyMigration(ctx, conn, m); err != nil {
			return fmt.Errorf("migration %s: %w", m.name, err)
		}
	}
	return nil
}

// setSQLiteVersion marks the file as labdash's and records its version.
func setSQLiteVersion(ctx context.Context, tx *sql.Tx, version int) error {
	if _, err := tx.ExecContext(ctx, fmt.Sprintf("PRAGMA application_id = %d", applicationID)); err != nil {
		return err
	}
	_, err := tx.ExecContext(ctx, fmt.Sprintf("PRAGMA user_version = %d", version))
	return err
}

// trySQLiteRunLock takes an advisory file lock (flock) beside the store. The
// kernel drops it when its holder dies, so a killed run never leaves the
// store locked.
func (s *Store) trySQLiteRunLock() (release func(), ok bool, err error) {
	path := s.path + ".ingest.lock"
	f, err := os.OpenFile(path, os.O_CREATE|os.O_RDWR, 0o644)
	if err != nil {
		return nil, false, fmt.Errorf("ingest lock %s: %w", path, err)
	}
	if err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB); err != nil {
		f.Close()
		if errors.Is(err, syscall.EWOULDBLOCK) {
			return nil, false, nil
		}
		return nil, false, fmt.Errorf("ingest lock %s: %w", path, err)
	}
	return func() {
		syscall.Flock(int(f.Fd()), syscall.LOCK_UN)
		f.Close()
	}, true, nil
}
