package data

import (
	"context"
	"database/sql"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net/url"
	"os"
	"path/filepath"
	"syscall"

	"modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"
)

// A store file is looked at before anything writes to it: another program's
// database, a store from a newer labdash, a damaged file or an empty one
// given to a command that only reads must each be left byte for byte as
// they were. So the checks here read the file's header with plain file I/O,
// then ask SQLite through a read-only connection that creates no -wal or
// -shm file, and only then does the caller open the store for real.

// openMode says whether a command may write the store.
type openMode int

const (
	// readWrite may create the file and its folder and migrate the schema:
	// serve, ingest, migrate, the target of copy.
	readWrite openMode = iota
	// readOnly creates, migrates and writes nothing: snapshots, diff,
	// export, cite, the source of copy.
	readOnly
)

// sqliteHeaderSize is the fixed header at the start of every SQLite file.
const sqliteHeaderSize = 100

// prepareSQLite refuses, with a sentence, a store path that cannot be
// opened in mode, before anything opens, creates or writes the file. A
// missing or zero-byte file passes only in readWrite mode, where it becomes
// a new store.
func prepareSQLite(ctx context.Context, path string, mode openMode) error {
	info, err := os.Stat(path)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return checkMissingStore(path, mode)
	case errors.Is(err, fs.ErrPermission):
		return fmt.Errorf("cannot reach the store %s: %w: a folder on its path is not open to this user", path, err)
	case err != nil:
		return fmt.Errorf("open store %s: %w", path, err)
	case info.IsDir():
		return fmt.Errorf("%s is a folder, not a store file: --db names the store file itself", path)
	case info.Size() == 0 && mode == readOnly:
		return fmt.Errorf("%s: %w; it was left as it is: commands that only read never make a store of it "+
			"(`labdash serve` or `labdash ingest` does)", path, ErrStoreEmpty)
	}
	if info.Size() > 0 {
		if err := checkSQLiteHeader(path); err != nil {
			return err
		}
		facts, err := inspectSQLite(ctx, path)
		if err != nil {
			return err
		}
		if err := facts.check(path, mode, SchemaVersion()); err != nil {
			return err
		}
	}
	if mode == readWrite {
		return checkWritableStore(path)
	}
	return nil
}

// checkMissingStore explains a store file that does not exist: a command
// that only reads has nothing to read, and one that writes needs a folder it
// can create the file in.
func checkMissingStore(path string, mode openMode) error {
	dir := filepath.Dir(path)
	if mode == readOnly {
		if _, err := os.Stat(dir); errors.Is(err, fs.ErrNotExist) {
			return fmt.Errorf("%s: %w: the folder %s does not exist", path, ErrStoreMissing, dir)
		}
		return fmt.Errorf("%s: %w; commands that only read create none (`labdash serve` or `labdash ingest` creates one)",
			path, ErrStoreMissing)
	}
	// The folder is made for a new store (./var on a fresh install); an
	// existing one must let this user create the store and SQLite's -wal
	// and -shm files in it.
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return fmt.Errorf("cannot create the folder of the store %s: %w", path, err)
	}
	if err := writable(dir); err != nil {
		return fmt.Errorf("cannot create the store %s: the folder %s is not writable by this user: %w", path, dir, err)
	}
	return nil
}

// checkWritableStore refuses an existing store this user cannot write, and
// a folder SQLite cannot keep its -wal and -shm files in.
func checkWritableStore(path string) error {
	if err := writable(path); err != nil {
		return fmt.Errorf("the store %s is read-only for this user: %w; commands that only read it, "+
			"such as snapshots and export, still can", path, err)
	}
	dir := filepath.Dir(path)
	if _, err := os.Stat(path + "-wal"); err == nil {
		return nil // a writer's -wal is already there
	}
	if err := writable(dir); err != nil {
		return fmt.Errorf("SQLite cannot keep its -wal and -shm files beside the store %s: "+
			"the folder %s is not writable by this user: %w", path, dir, err)
	}
	return nil
}

// writable asks the kernel whether this user may write path, without
// writing: the answer covers modes, ownership and read-only mounts.
func writable(path string) error {
	const wOK = 0x2 // W_OK in unistd.h
	return syscall.Access(path, wOK)
}

// checkSQLiteHeader reads the file's header with plain file I/O and refuses
// what is plainly not a labdash store, before SQLite is asked anything.
func checkSQLiteHeader(path string) error {
	f, err := os.Open(path)
	if errors.Is(err, fs.ErrPermission) {
		return fmt.Errorf("cannot read the store %s: %w: the file is not readable by this user", path, fs.ErrPermission)
	}
	if err != nil {
		return fmt.Errorf("open store %s: %w", path, err)
	}
	defer f.Close()
	buf := make([]byte, sqliteHeaderSize)
	n, err := io.ReadFull(f, buf)
	if err != nil && !errors.Is(err, io.ErrUnexpectedEOF) {
		return fmt.Errorf("read store %s: %w", path, err)
	}
	if n < 16 || string(buf[:16]) != "SQLite format 3\x00" {
		return fmt.Errorf("%s: %w (it is not a SQLite file); it was left as it is", path, ErrNotLabdash)
	}
	if n < sqliteHeaderSize {
		return fmt.Errorf("%s: %w: the file ends after %d bytes, inside the SQLite header", path, ErrStoreCorrupt, n)
	}
	// The application id, at offset 68, marks the file's program.
	if id := binary.BigEndian.Uint32(buf[68:72]); id != 0 && id != applicationID {
		return fmt.Errorf("%s: %w: it is a SQLite database of another program (application id %#x); it was left as it is",
			path, ErrNotLabdash, id)
	}
	return nil
}

// storeFacts is what SQLite says about a file that passed the header check.
type storeFacts struct {
	applicationID int
	version       int
	tables        int
}

// inspectSQLite asks SQLite, through a read-only connection, whose file this
// is and at which schema version. Without a -wal file beside it the file is
// opened immutable, so SQLite creates no -wal or -shm file either; with one,
// a writer is at work and its files are already there.
func inspectSQLite(ctx context.Context, path string) (storeFacts, error) {
	params := url.Values{"mode": {"ro"}}
	if _, err := os.Stat(path + "-wal"); errors.Is(err, fs.ErrNotExist) {
		params.Set("immutable", "1")
	}
	db, err := sql.Open("sqlite", sqliteURI(path, params))
	if err != nil {
		return storeFacts{}, fmt.Errorf("open store %s: %w", path, err)
	}
	defer db.Close()
	db.SetMaxOpenConns(1)
	var f storeFacts
	for _, q := range []struct {
		query string
		dest  *int
	}{
		{"PRAGMA application_id", &f.applicationID},
		{"PRAGMA user_version", &f.version},
		{"SELECT count(*) FROM sqlite_schema", &f.tables},
	} {
		if err := db.QueryRowContext(ctx, q.query).Scan(q.dest); err != nil {
			return storeFacts{}, explainSQLiteError(path, err)
		}
	}
	return f, nil
}

// check refuses a file that is not a labdash store, or one from a
// newer labdash, or (in readOnly mode) one that would need migrating.
func (f storeFacts) check(path string, mode openMode, known int) error {
	switch {
	case f.applicationID == 0 && f.tables > 0:
		return fmt.Errorf("%s: %w: it is a SQLite database of another program (it has tables of its own and no labdash mark); "+
			"it was left as it is", path, ErrNotLabdash)
	case f.applicationID != 0 && f.applicationID != applicationID:
		return fmt.Errorf("%s: %w: it is a SQLite database of another program (application id %#x); it was left as it is",
			path, ErrNotLabdash, f.applicationID)
	case f.version > known:
		return fmt.Errorf("%s: %w; it was left as it is", path, checkSchemaVersion(f.version, known))
	case mode == readOnly && f.tables == 0:
		return fmt.Errorf("%s: %w (a SQLite file with no tables); it was left as it is", path, ErrStoreEmpty)
	case mode == readOnly && f.version < known:
		return fmt.Errorf("%s: %w", path, checkSchemaVersion(f.version, known))
	}
	return nil
}

// explainSQLiteError turns SQLite's answer about a store file into a
// sentence: damaged, unreadable, or the driver's own words.
func explainSQLiteError(path string, err error) error {
	var se *sqlite.Error
	if errors.As(err, &se) {
		switch se.Code() & 0xff {
		case sqlite3.SQLITE_CORRUPT, sqlite3.SQLITE_NOTADB:
			return fmt.Errorf("%s: %w (SQLite says: %v); it was left as it is: restore it from a backup", path, ErrStoreCorrupt, err)
		}
	}
	return fmt.Errorf("open store %s: %w", path, err)
}

// sqliteURI is a file: URI for path with SQLite's and the driver's
// parameters. The path is escaped, so a "?" or "#" in a folder name stays
// part of the name.
func sqliteURI(path string, params url.Values) string {
	u := url.URL{Scheme: "file", Opaque: (&url.URL{Path: path}).EscapedPath(), RawQuery: params.Encode()}
	return u.String()
}
