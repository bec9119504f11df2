package data

import (
	"context"
	"database/sql"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/labdash/labdash/internal/pgtest"
)

func TestMain(m *testing.M) { os.Exit(pgtest.Main(m)) }

// backends are the stores every store test runs against. Each call opens a
// fresh, migrated store: a file in t.TempDir(), or a database of its own on
// the test PostgreSQL server.
var backends = []struct {
	name string
	open func(t testing.TB) *Store
}{
	{"sqlite", func(t testing.TB) *Store { s, _ := openTestStore(t); return s }},
	{"postgres", openPostgresTestStore},
}

func forEachBackend(t *testing.T, test func(t *testing.T, s *Store)) {
	for _, b := range backends {
		t.Run(b.name, func(t *testing.T) { test(t, b.open(t)) })
	}
}

func openPostgresTestStore(t testing.TB) *Store {
	t.Helper()
	url := pgtest.NewDatabase(t)
	if _, _, err := Migrate(context.Background(), url); err != nil {
		t.Fatal(err)
	}
	s, err := Open(context.Background(), url)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

func TestPlaceholdersForPostgres(t *testing.T) {
	for in, want := range map[string]string{
		"SELECT 1":                         "SELECT 1",
		"a = ? AND b IN (?,?)":             "a = $1 AND b IN ($2,$3)",
		"x <= ?1 AND y > ?2 OR z != ?1":    "x <= $1 AND y > $2 OR z != $1",
		"VALUES (?, ?, ?, 0) RETURNING id": "VALUES ($1, $2, $3, 0) RETURNING id",
	} {
		if got := postgresDialect.q(in); got != want {
			t.Errorf("q(%q) = %q, want %q", in, got, want)
		}
		if got := sqliteDialect.q(in); got != in {
			t.Errorf("sqlite rewrote %q", in)
		}
	}
}

// Both dialects' migrations build the same tables with the same columns.
func TestMigrationsDescribeOneSchema(t *testing.T) {
	sq, _ := loadMigrations(sqliteDialect)
	pg, _ := loadMigrations(postgresDialect)
	if len(sq) != len(pg) || len(sq) != SchemaVersion() {
		t.Fatalf("%d SQLite migrations, %d PostgreSQL ones", len(sq), len(pg))
	}
	for i := range sq {
		if sq[i].name != pg[i].name {
			t.Errorf("migration %d: %s and %s", i+1, sq[i].name, pg[i].name)
		}
	}
	ctx := context.Background()
	columns := func(s *Store, query string) string {
		rows, err := s.read.QueryContext(ctx, query)
		if err != nil {
			t.Fatal(err)
		}
		defer rows.Close()
		var out []string
		for rows.Next() {
			var tbl, col string
			rows.Scan(&tbl, &col)
			out = append(out, tbl+"."+col)
		}
		return strings.Join(out, " ")
	}
	lite, _ := openTestStore(t)
	got := columns(lite, `SELECT m.name, p.name FROM sqlite_schema m, pragma_table_info(m.name) p
		WHERE m.type = 'table' ORDER BY m.name, p.name`)
	want := columns(openPostgresTestStore(t), `SELECT table_name, column_name FROM information_schema.columns
		WHERE table_schema = current_schema() AND table_name != 'labdash_schema'
		AND NOT (table_name = 'ingest_source_results' AND column_name = 'seq')
		ORDER BY table_name COLLATE "C", column_name COLLATE "C"`)
	if got != want {
		t.Errorf("schemas differ:\nsqlite   %s\npostgres %s", got, want)
	}
}

func TestPostgresRefusesForeignOlderAndNewerSchemas(t *testing.T) {
	ctx := context.Background()

	empty := pgtest.NewDatabase(t)
	_, err := Open(ctx, empty)
	if !errors.Is(err, ErrSchemaTooOld) || !strings.Contains(err.Error(), "run `labdash migrate`") {
		t.Errorf("empty database: %v", err)
	}

	foreign := pgtest.NewDatabase(t)
	db, _ := sql.Open("pgx", foreign)
	db.Exec("CREATE TABLE customers (id INTEGER)")
	db.Close()
	if _, _, err := Migrate(ctx, foreign); !errors.Is(err, ErrNotLabdash) {
		t.Errorf("other program's database, migrate: %v", err)
	}
	if _, err := Open(ctx, foreign); !errors.Is(err, ErrNotLabdash) {
		t.Errorf("other program's database, open: %v", err)
	}

	url := pgtest.NewDatabase(t)
	if from, to, err := Migrate(ctx, url); err != nil || from != 0 || to != SchemaVersion() {
		t.Fatalf("migrate: %d → %d, %v", from, to, err)
	}
	if from, _, err := Migrate(ctx, url); err != nil || from != SchemaVersion() {
		t.Fatalf("migrating again: from %d, %v", from, err)
	}
	s, err := Open(ctx, url)
	if err != nil {
		t.Fatal(err)
	}
	if s.Location() != url || s.Backend() != "postgres" {
		t.Errorf("location %q backend %q", s.Location(), s.Backend())
	}
	s.write.Exec("UPDATE labdash_schema SET version = version - 1")
	s.Close()
	_, err = Open(ctx, url)
	if !errors.Is(err, ErrSchemaTooOld) || !strings.Contains(err.Error(), "run `labdash migrate`") {
		t.Errorf("older schema: %v", err)
	}
	db, _ = sql.Open("pgx", url)
	db.Exec("UPDATE labdash_schema SET version = 999")
	_, err = Open(ctx, url)
	if !errors.Is(err, ErrSchemaTooNew) {
		t.Errorf("newer schema: %v", err)
	}
	db.Exec("UPDATE labdash_schema SET version = 3, application = 'other'")
	db.Close()
	if _, err := Open(ctx, url); !errors.Is(err, ErrNotLabdash) {
		t.Errorf("foreign marker: %v", err)
	}
}

func TestPostgresLocationHidesThePassword(t *testing.T) {
	_, err := Open(context.Background(), "postgres://labdash:s3cret@127.0.0.1:1/labdash?connect_timeout=1")
	if err == nil || strings.Contains(err.Error(), "s3cret") {
		t.Fatalf("error %v", err)
	}
}

// One run lock per store, across processes: a second store value on the
// same database (another server) cannot take it until the first lets go.
func TestRunLock(t *testing.T) {
	ctx := context.Background()
	for _, b := range []struct {
		name string
		two  func(t *testing.T) (*Store, *Store)
	}{
		{"sqlite", func(t *testing.T) (*Store, *Store) {
			path := filepath.Join(t.TempDir(), "l.db")
			a, err := Open(ctx, path)
			if err != nil {
				t.Fatal(err)
			}
			b, err := Open(ctx, path)
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { a.Close(); b.Close() })
			return a, b
		}},
		{"postgres", func(t *testing.T) (*Store, *Store) {
			url := pgtest.NewDatabase(t)
			if _, _, err := Migrate(ctx, url); err != nil {
				t.Fatal(err)
			}
			a, err := Open(ctx, url)
			if err != nil {
				t.Fatal(err)
			}
			b, err := Open(ctx, url)
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { a.Close(); b.Close() })
			return a, b
		}},
	} {
		t.Run(b.name, func(t *testing.T) {
			one, two := b.two(t)
			release, ok, err := one.TryRunLock(ctx)
			if err != nil || !ok {
				t.Fatalf("first lock: %v %v", ok, err)
			}
			if _, ok, err := two.TryRunLock(ctx); err != nil || ok {
				t.Fatalf("second lock while the first is held: %v %v", ok, err)
			}
			release()
			release2, ok, err := two.TryRunLock(ctx)
			if err != nil || !ok {
				t.Fatalf("second lock after release: %v %v", ok, err)
			}
			release2()
		})
	}
}

// A session that dies drops its advisory lock: a killed server never leaves
// the database locked.
func TestPostgresRunLockDiesWithTheSession(t *testing.T) {
	ctx := context.Background()
	url := pgtest.NewDatabase(t)
	Migrate(ctx, url)
	a, _ := Open(ctx, url)
	b, _ := Open(ctx, url)
	defer b.Close()
	if _, ok, err := a.TryRunLock(ctx); !ok || err != nil {
		t.Fatal(ok, err)
	}
	// Closing the pool with the lock's connection still checked out would
	// wait for it; terminating the backend is what a crash looks like.
	b.write.Exec(`SELECT pg_terminate_backend(pid) FROM pg_locks WHERE locktype = 'advisory' AND objid = $1`,
		uint32(runLockKey&0xffffffff))
	for i := 0; i < 50; i++ {
		if release, ok, _ := b.TryRunLock(ctx); ok {
			release()
			return
		}
		time.Sleep(20 * time.Millisecond)
	}
	t.Fatal("the lock outlived its session")
}

// A publication that changes nothing spends no snapshot number, on either
// backend: the numbers people cite have no gaps.
func TestSnapshotNumbersHaveNoGaps(t *testing.T) {
	forEachBackend(t, func(t *testing.T, s *Store) {
		ctx := context.Background()
		pub := Publication{Observations: []Observation{testObs("11-1111", "employment", "2024", 1)}}
		s.Publish(ctx, pub)
		if _, err := s.Publish(ctx, pub); !errors.Is(err, ErrNothingChanged) {
			t.Fatal(err)
		}
		pub.Observations[0].Value = Float(2)
		if snap, err := s.Publish(ctx, pub); err != nil || snap.ID != 2 {
			t.Fatalf("%+v %v", snap, err)
		}
	})
}
