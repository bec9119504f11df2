package data

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io/fs"
	"net/url"
	"os"
	"path/filepath"
	"syscall"
)

// applicationID marks a SQLite file as a labdash store ("LDSH").
const applicationID = 0x4c445348

// openSQLite opens the SQLite store at path. In readWrite mode it creates
// the file (and its folder) when missing and applies the migrations it
// lacks; in readOnly mode it opens an existing, current store with
// connections that cannot write. Either way the file is checked first
// (prepareSQLite), so a file that is refused is never written.
func openSQLite(ctx context.Context, path string, mode openMode) (*Store, error) {
	if err := prepareSQLite(ctx, path, mode); err != nil {
		return nil, err
	}
	s := &Store{d: sqliteDialect, path: path, location: path, now: Now}
	if mode == readOnly {
		read, err := openSQLiteReader(ctx, path)
		if err != nil {
			return nil, err
		}
		s.read, s.write, s.readOnly = read, read, true
		s.migratedFrom = SchemaVersion()
		return s, nil
	}
	if err := createSQLiteFile(path); err != nil {
		return nil, err
	}
	write, err := openSQLitePool(path, 1)
	if err != nil {
		return nil, err
	}
	s.write = write
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

// storePageSize is the page size of a store this labdash creates: 16 KB,
// not SQLite's 4 KB, made publishing 32,000 figures 8-10% faster (a
// quarter of the WAL frames and of the write calls, and a commit that no
// longer reaches the WAL's automatic checkpoint; README, "Ingest
// performance"). An existing store keeps the pages it was made with.
const storePageSize = 16384

// createSQLiteFile gives a store file that does not exist yet, or is empty,
// its page size, which only a file without pages can take: the journal
// mode the pools set on open (the driver runs its pragmas in alphabetical
// order, journal_mode before page_size) would fix SQLite's default.
func createSQLiteFile(path string) error {
	if info, err := os.Stat(path); err == nil && info.Size() > 0 {
		return nil
	}
	db, err := sql.Open("sqlite", sqliteURI(path, nil))
	if err != nil {
		return fmt.Errorf("open store %s: %w", path, err)
	}
	defer db.Close()
	for _, pragma := range []string{fmt.Sprintf("PRAGMA page_size = %d", storePageSize), "PRAGMA journal_mode = WAL"} {
		if _, err := db.Exec(pragma); err != nil {
			return fmt.Errorf("create store %s: %w", path, err)
		}
	}
	return nil
}

func openSQLitePool(path string, conns int) (*sql.DB, error) {
	params := url.Values{"_pragma": {"busy_timeout(10000)", "journal_mode(WAL)", "foreign_keys(1)", "synchronous(NORMAL)"},
		"_txlock": {"immediate"}}
	if conns == 1 {
		// The writer's page cache, at SQLite's default of 2 MB. 8 MB was
		// measured no faster at publishing 32,000 new figures or revising
		// 1% of 100,000 (data's benchmarks), and cost 6 MB of an ingest's
		// peak RSS (README, "Ingest performance").
		params.Add("_pragma", "cache_size(-2000)")
	}
	db, err := sql.Open("sqlite", sqliteURI(path, params))
	if err != nil {
		return nil, fmt.Errorf("open store %s: %w", path, err)
	}
	db.SetMaxOpenConns(conns)
	db.SetMaxIdleConns(conns)
	db.SetConnMaxIdleTime(0)
	return db, nil
}

// readerConns is the size of a read-only store's pool.
const readerConns = 4

// openSQLiteReader opens a pool that cannot write: SQLite's mode=ro, which
// also never creates the file, and no journal-mode pragma, which would be a
// write. A store in a folder this user cannot write, with no -wal file
// beside it, is opened immutable: SQLite could not create its -shm file
// there, and no writer can be at work where no -wal file can be made.
func openSQLiteReader(ctx context.Context, path string) (*sql.DB, error) {
	params := url.Values{"mode": {"ro"}, "_pragma": {"busy_timeout(10000)", "query_only(1)"}}
	if _, err := os.Stat(path + "-wal"); errors.Is(err, fs.ErrNotExist) && writable(filepath.Dir(path)) != nil {
		params.Set("immutable", "1")
	}
	db, err := sql.Open("sqlite", sqliteURI(path, params))
	if err != nil {
		return nil, fmt.Errorf("open store %s: %w", path, err)
	}
	db.SetMaxOpenConns(readerConns)
	db.SetMaxIdleConns(readerConns)
	db.SetConnMaxIdleTime(0)
	if err := db.PingContext(ctx); err != nil {
		db.Close()
		return nil, explainSQLiteError(path, err)
	}
	return db, nil
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
