package data

import (
	"context"
	"database/sql"
	"strconv"
	"strings"
)

// dialect is everything that differs between SQLite and PostgreSQL, in one
// place: the rest of the package writes portable SQL with "?" placeholders
// and passes it through q. What cannot be portable (the schema version, the
// locks, how a connection is opened) lives in sqlite.go and postgres.go,
// behind the functions named here.
type dialect struct {
	name string // "sqlite" or "postgres"
	// migrations is the folder of migrationFiles holding this dialect's
	// migrations; both folders describe the same logical schema, version for
	// version.
	migrations string
	// positional turns "?" placeholders into PostgreSQL's "$1, $2, …".
	positional bool
	// sourceResultOrder orders ingest_source_results in insertion order:
	// SQLite's implicit rowid, an identity column in PostgreSQL.
	sourceResultOrder string
	// publishLock is run first in every publishing transaction. SQLite's
	// immediate transactions already serialise writers; PostgreSQL needs a
	// transaction-scoped advisory lock so two servers publishing at once
	// each read the other's committed snapshot instead of racing.
	publishLock string
	// sharedBinds inserts a batch whose rows share their provenance,
	// period, text and notes (versions.go, sharedColumns) with those
	// values bound once (versions.go, sharedInsertSQL): SQLite binds each
	// value through a C call, which is most of an insert's cost there.
	// PostgreSQL's binding is cheap, and its untyped VALUES would need casts.
	sharedBinds bool
	// orFail is how a publication's INSERTs and UPDATEs of versions handle
	// a failed constraint. SQLite's is OR FAIL: with its default, ABORT,
	// every statement of many rows keeps a statement journal (a copy of
	// each page it changes) so that it can be undone alone; a publication
	// that fails is rolled back whole, so FAIL, which leaves the rows
	// before the failing one, loses nothing and copies nothing. (The
	// references to snapshots, checked at the commit since migration 0007,
	// no longer need one either.)
	orFail string
}

var (
	sqliteDialect = dialect{
		name:              "sqlite",
		migrations:        "migrations/sqlite",
		sourceResultOrder: "rowid",
		sharedBinds:       true,
		orFail:            " OR FAIL",
	}
	postgresDialect = dialect{
		name:              "postgres",
		migrations:        "migrations/postgres",
		positional:        true,
		sourceResultOrder: "seq",
		publishLock:       "SELECT pg_advisory_xact_lock(" + strconv.FormatInt(publishLockKey, 10) + ")",
	}
)

// Advisory lock keys (PostgreSQL). Constants, so every labdash process on a
// database agrees on them; "LDSH" in the high bytes keeps them apart from
// other programs' keys.
const (
	runLockKey     int64 = 0x4c445348_0001 // one ingest at a time, held for the run
	publishLockKey int64 = 0x4c445348_0002 // one publishing transaction at a time
	migrateLockKey int64 = 0x4c445348_0003 // one migrating process at a time
)

// isPostgresURL reports whether --db names a PostgreSQL database rather than
// a SQLite file.
func isPostgresURL(dsn string) bool {
	return strings.HasPrefix(dsn, "postgres://") || strings.HasPrefix(dsn, "postgresql://")
}

// q rewrites a query written with "?" (or SQLite's numbered "?N")
// placeholders into the dialect's form. Our SQL has no "?" inside string
// literals, so a plain scan is enough.
func (d dialect) q(query string) string {
	if !d.positional || !strings.Contains(query, "?") {
		return query
	}
	var b strings.Builder
	b.Grow(len(query) + len(query)/8)
	n := 0
	for i := 0; i < len(query); i++ {
		c := query[i]
		if c != '?' {
			b.WriteByte(c)
			continue
		}
		j := i + 1
		for j < len(query) && query[j] >= '0' && query[j] <= '9' {
			j++
		}
		b.WriteByte('$')
		if j > i+1 { // "?N" keeps its number
			b.WriteString(query[i+1 : j])
			i = j - 1
			continue
		}
		n++
		b.WriteString(strconv.Itoa(n))
	}
	return b.String()
}

// setSchemaVersion records a migration's version inside its transaction.
func (s *Store) setSchemaVersion(ctx context.Context, tx *sql.Tx, version int) error {
	if s.d.name == "postgres" {
		return setPostgresVersion(ctx, tx, version)
	}
	return setSQLiteVersion(ctx, tx, version)
}

// TryRunLock takes the store-wide ingest lock without waiting: ok is false
// when another process holds it. SQLite uses a file lock beside the store;
// PostgreSQL an advisory lock, so servers on different machines sharing one
// database run one ingest at a time. Both are dropped when their holder dies.
func (s *Store) TryRunLock(ctx context.Context) (release func(), ok bool, err error) {
	if s.readOnly {
		return nil, false, ErrReadOnly
	}
	if s.d.name == "postgres" {
		return s.tryPostgresRunLock(ctx)
	}
	return s.trySQLiteRunLock()
}
