package data

import (
	"context"
	"database/sql"
	"errors"
	"maps"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/labdash/labdash/internal/dirstate"
	"github.com/labdash/labdash/internal/pgtest"
)

// foreignSQLite writes another program's SQLite database, in its own
// journal mode.
func foreignSQLite(t testing.TB, path, journalMode string, pragmas ...string) {
	t.Helper()
	db, err := sql.Open("sqlite", path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	db.SetMaxOpenConns(1)
	for _, stmt := range append([]string{"PRAGMA journal_mode = " + journalMode,
		"CREATE TABLE customers (id INTEGER PRIMARY KEY, name TEXT)",
		"INSERT INTO customers (name) VALUES ('Ada'), ('Grace')"}, pragmas...) {
		if _, err := db.Exec(stmt); err != nil {
			t.Fatalf("%s: %v", stmt, err)
		}
	}
}

// newerStore writes a labdash store whose schema version is from the future.
func newerStore(t testing.TB, path, journalMode string) {
	t.Helper()
	s, err := Open(context.Background(), path)
	if err != nil {
		t.Fatal(err)
	}
	s.Publish(context.Background(), Publication{Observations: []Observation{testObs("11-1111", "employment", "2024", 1)}})
	s.Close()
	db, _ := sql.Open("sqlite", path)
	defer db.Close()
	db.SetMaxOpenConns(1)
	for _, stmt := range []string{"PRAGMA journal_mode = " + journalMode, "PRAGMA user_version = 99"} {
		if _, err := db.Exec(stmt); err != nil {
			t.Fatalf("%s: %v", stmt, err)
		}
	}
}

// Opening a file that is refused — another program's database, a store
// from a newer labdash, a damaged file, a text file — changes no byte of it
// and creates nothing beside it, whichever way it is opened. Before, opening
// another program's database switched it to WAL and bumped its change
// counter.
func TestRefusedStoreFilesAreLeftByteForByte(t *testing.T) {
	ctx := context.Background()
	openers := map[string]func(string) error{
		"Open":         func(p string) error { s, err := Open(ctx, p); closeIfOpen(s); return err },
		"OpenReadOnly": func(p string) error { s, err := OpenReadOnly(ctx, p); closeIfOpen(s); return err },
		"Migrate":      func(p string) error { _, _, err := Migrate(ctx, p); return err },
	}
	for _, c := range []struct {
		name string
		make func(t *testing.T, path string)
		want error
		says string
	}{
		{"text file", func(t *testing.T, p string) { os.WriteFile(p, []byte("name,phone\nAda,555\n"), 0o644) },
			ErrNotLabdash, "not a SQLite file"},
		{"another program's database", func(t *testing.T, p string) { foreignSQLite(t, p, "DELETE") },
			ErrNotLabdash, "another program"},
		{"another program's database in WAL mode", func(t *testing.T, p string) { foreignSQLite(t, p, "WAL") },
			ErrNotLabdash, "another program"},
		{"another program's application id", func(t *testing.T, p string) {
			foreignSQLite(t, p, "DELETE", "PRAGMA application_id = 305419896")
		}, ErrNotLabdash, "application id 0x12345678"},
		{"a store from a newer labdash", func(t *testing.T, p string) { newerStore(t, p, "WAL") },
			ErrSchemaTooNew, "schema version 99"},
		{"a store from a newer labdash, rollback journal", func(t *testing.T, p string) { newerStore(t, p, "DELETE") },
			ErrSchemaTooNew, "upgrade labdash"},
		{"a file cut short in its header", func(t *testing.T, p string) {
			newerStore(t, p, "DELETE")
			os.Truncate(p, 60)
		}, ErrStoreCorrupt, "ends after 60 bytes"},
		{"a store whose first page is garbled", func(t *testing.T, p string) {
			foreignSQLite(t, p, "DELETE", "PRAGMA application_id = 1279546184")
			f, _ := os.OpenFile(p, os.O_WRONLY, 0)
			f.WriteAt([]byte(strings.Repeat("\xff\x00garbage", 200)), 100)
			f.Close()
		}, ErrStoreCorrupt, "restore it from a backup"},
	} {
		for name, open := range openers {
			t.Run(c.name+"/"+name, func(t *testing.T) {
				dir := t.TempDir()
				path := filepath.Join(dir, "store.db")
				c.make(t, path)
				before := dirstate.Of(t, dir)
				err := open(path)
				if !errors.Is(err, c.want) || !strings.Contains(err.Error(), c.says) {
					t.Errorf("got %v, want %v saying %q", err, c.want, c.says)
				}
				if after := dirstate.Of(t, dir); !maps.Equal(before, after) {
					t.Errorf("the refused file was touched:\nbefore %v\nafter  %v", before, after)
				}
			})
		}
	}
}

func closeIfOpen(s *Store) {
	if s != nil {
		s.Close()
	}
}

// A command that only reads refuses a missing or empty file with a sentence
// saying which, and creates nothing: before, a zero-byte file became a new
// store.
func TestOpenReadOnlyCreatesNothing(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	empty := filepath.Join(dir, "empty.db")
	os.WriteFile(empty, nil, 0o644)
	noTables := filepath.Join(dir, "no-tables.db")
	db, _ := sql.Open("sqlite", noTables)
	db.Exec("PRAGMA user_version = 0") // writes the header, no table
	db.Exec("VACUUM")
	db.Close()
	before := dirstate.Of(t, dir)
	for _, c := range []struct {
		path string
		want error
		says string
	}{
		{empty, ErrStoreEmpty, "it was left as it is"},
		{noTables, ErrStoreEmpty, "no tables"},
		{filepath.Join(dir, "missing.db"), ErrStoreMissing, "`labdash serve` or `labdash ingest` creates one"},
		{filepath.Join(dir, "no-such-folder", "l.db"), ErrStoreMissing, "the folder " + filepath.Join(dir, "no-such-folder") + " does not exist"},
	} {
		_, err := OpenReadOnly(ctx, c.path)
		if !errors.Is(err, c.want) || !strings.Contains(err.Error(), c.says) {
			t.Errorf("%s: got %v, want %v saying %q", filepath.Base(c.path), err, c.want, c.says)
		}
	}
	if _, err := OpenReadOnly(ctx, dir); err == nil || !strings.Contains(err.Error(), "is a folder, not a store file") {
		t.Errorf("a folder: %v", err)
	}
	if after := dirstate.Of(t, dir); !maps.Equal(before, after) {
		t.Errorf("opening read-only wrote:\nbefore %v\nafter  %v", before, after)
	}
}

// A path with characters a URI gives meaning to ("?", "#", "%", a space)
// names the same file whichever way it is opened.
func TestStorePathsWithURICharacters(t *testing.T) {
	ctx := context.Background()
	dir := filepath.Join(t.TempDir(), "a b?c#d%20e")
	path := filepath.Join(dir, "l.db")
	s, err := Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	s.Publish(ctx, Publication{Observations: []Observation{testObs("11-1111", "employment", "2024", 1)}})
	s.Close()
	ro, err := OpenReadOnly(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer ro.Close()
	if snap, err := ro.LatestSnapshot(ctx); err != nil || snap.ObservationCount != 1 {
		t.Fatalf("%+v %v", snap, err)
	}
	if entries, _ := os.ReadDir(filepath.Dir(dir)); len(entries) != 1 || entries[0].Name() != filepath.Base(dir) {
		t.Errorf("folders made: %v", entries)
	}
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		if !strings.HasPrefix(e.Name(), "l.db") {
			t.Errorf("a stray file %q", e.Name())
		}
	}
}

// A store opened read-only serves reads and refuses every write, on both
// backends; the SQLite file's bytes stay as they were.
func TestReadOnlyStoreRefusesWrites(t *testing.T) {
	ctx := context.Background()
	t.Run("sqlite", func(t *testing.T) {
		s, path := openTestStore(t)
		s.Publish(ctx, Publication{Observations: []Observation{testObs("11-1111", "employment", "2024", 1)}})
		s.Close()
		before := dirstate.Of(t, filepath.Dir(path))
		ro, err := OpenReadOnly(ctx, path)
		if err != nil {
			t.Fatal(err)
		}
		checkReadOnly(t, ro)
		ro.Close()
		after := dirstate.Of(t, filepath.Dir(path))
		if before[filepath.Base(path)] != after[filepath.Base(path)] {
			t.Error("the store file changed under a read-only store")
		}
	})
	t.Run("postgres", func(t *testing.T) {
		url := pgtest.NewDatabase(t)
		if _, _, err := Migrate(ctx, url); err != nil {
			t.Fatal(err)
		}
		s, err := Open(ctx, url)
		if err != nil {
			t.Fatal(err)
		}
		defer s.Close()
		s.Publish(ctx, Publication{Observations: []Observation{testObs("11-1111", "employment", "2024", 1)}})
		ro, err := OpenReadOnly(ctx, url)
		if err != nil {
			t.Fatal(err)
		}
		defer ro.Close()
		checkReadOnly(t, ro)
	})
}

func checkReadOnly(t *testing.T, ro *Store) {
	t.Helper()
	ctx := context.Background()
	if snap, err := ro.LatestSnapshot(ctx); err != nil || snap.ObservationCount != 1 {
		t.Fatalf("read: %+v %v", snap, err)
	}
	if _, err := ro.Publish(ctx, Publication{Observations: []Observation{testObs("11-1111", "employment", "2025", 2)}}); !errors.Is(err, ErrReadOnly) {
		t.Errorf("publish on a read-only store: %v", err)
	}
	if _, _, err := ro.TryRunLock(ctx); !errors.Is(err, ErrReadOnly) {
		t.Errorf("run lock on a read-only store: %v", err)
	}
	// Below the guards, the connections themselves refuse to write.
	if _, err := ro.read.ExecContext(ctx, "UPDATE snapshots SET label = 'changed'"); err == nil {
		t.Error("a read-only connection wrote")
	}
}
