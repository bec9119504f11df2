package data

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"fmt"
	"net/url"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/stdlib" // also registers the "pgx" driver
)

// postgresConns bounds the pool each labdash process keeps on a shared
// PostgreSQL server; one more is held for the duration of an ingest run.
const postgresConns = 16

// openPostgres opens the PostgreSQL database at dsn. With migrate it brings
// the schema up to this binary's version; without, it refuses any other
// version, because other servers on the same database may be running an
// older or newer labdash. Opening writes nothing unless migrating; in
// readOnly mode every session is read-only, so no later write can slip
// through either.
func openPostgres(ctx context.Context, dsn string, mode openMode, migrate bool) (*Store, error) {
	location := dsn
	if u, err := url.Parse(dsn); err == nil {
		location = u.Redacted()
	}
	cfg, err := pgx.ParseConfig(dsn)
	if err != nil {
		return nil, fmt.Errorf("open store %s: %w", location, err)
	}
	if mode == readOnly {
		cfg.RuntimeParams["default_transaction_read_only"] = "on"
	}
	db := stdlib.OpenDB(*cfg)
	db.SetMaxOpenConns(postgresConns)
	db.SetMaxIdleConns(postgresConns)
	db.SetConnMaxIdleTime(5 * time.Minute)
	s := &Store{write: db, read: db, d: postgresDialect, location: location, readOnly: mode == readOnly, now: Now}
	if err := s.preparePostgres(ctx, migrate); err != nil {
		db.Close()
		return nil, fmt.Errorf("open store %s: %w", location, err)
	}
	return s, nil
}

// preparePostgres checks that the database is labdash's (or empty) and at
// this binary's schema version, migrating first when asked.
func (s *Store) preparePostgres(ctx context.Context, migrate bool) error {
	migrations, err := loadMigrations(s.d)
	if err != nil {
		return err
	}
	conn, err := s.write.Conn(ctx)
	if err != nil {
		return err
	}
	defer conn.Close()
	if migrate {
		// Two `labdash migrate` at once would both apply version 1; the
		// second waits here and then finds nothing to do.
		if _, err := conn.ExecContext(ctx, "SELECT pg_advisory_lock($1)", migrateLockKey); err != nil {
			return err
		}
		defer conn.ExecContext(context.WithoutCancel(ctx), "SELECT pg_advisory_unlock($1)", migrateLockKey)
	}
	version, err := postgresSchemaVersion(ctx, conn)
	if err != nil {
		return err
	}
	s.migratedFrom = version
	if !migrate || version > len(migrations) {
		return checkSchemaVersion(version, len(migrations))
	}
	for _, m := range migrations[version:] {
		if err := s.applyMigration(ctx, conn, m); err != nil {
			return fmt.Errorf("migration %s: %w", m.name, err)
		}
	}
	return nil
}

// postgresSchemaVersion reads labdash_schema, the one-row table that marks a
// database as labdash's (like SQLite's application_id) and holds its version.
// An empty database is at version 0; one with other tables and no marker
// belongs to another program.
func postgresSchemaVersion(ctx context.Context, conn *sql.Conn) (int, error) {
	var marked bool
	if err := conn.QueryRowContext(ctx, "SELECT to_regclass('labdash_schema') IS NOT NULL").Scan(&marked); err != nil {
		return 0, err
	}
	if !marked {
		var tables int
		err := conn.QueryRowContext(ctx, `SELECT count(*) FROM information_schema.tables
			WHERE table_schema = current_schema()`).Scan(&tables)
		if err != nil {
			return 0, err
		}
		if tables > 0 {
			return 0, fmt.Errorf("%w: it is a PostgreSQL database of another program (%d tables and no labdash_schema)",
				ErrNotLabdash, tables)
		}
		return 0, nil
	}
	var (
		app     string
		version int
	)
	if err := conn.QueryRowContext(ctx, "SELECT application, version FROM labdash_schema").Scan(&app, &version); err != nil {
		return 0, fmt.Errorf("%w: labdash_schema: %v", ErrNotLabdash, err)
	}
	if app != postgresApplication {
		return 0, fmt.Errorf("%w: its labdash_schema names %q", ErrNotLabdash, app)
	}
	return version, nil
}

// postgresApplication is the marker in labdash_schema.application.
const postgresApplication = "labdash"

// setPostgresVersion records the schema version in labdash_schema, creating
// the table with the first migration.
func setPostgresVersion(ctx context.Context, tx *sql.Tx, version int) error {
	for _, stmt := range []string{
		"CREATE TABLE IF NOT EXISTS labdash_schema (application TEXT NOT NULL, version INTEGER NOT NULL)",
		"DELETE FROM labdash_schema",
	} {
		if _, err := tx.ExecContext(ctx, stmt); err != nil {
			return err
		}
	}
	_, err := tx.ExecContext(ctx, "INSERT INTO labdash_schema (application, version) VALUES ($1, $2)",
		postgresApplication, version)
	return err
}

// tryPostgresRunLock takes a session-level advisory lock on a connection kept
// out of the pool for the run. PostgreSQL drops the lock when the session
// ends, so a server that dies mid-run never leaves the database locked.
func (s *Store) tryPostgresRunLock(ctx context.Context) (release func(), ok bool, err error) {
	conn, err := s.write.Conn(ctx)
	if err != nil {
		return nil, false, fmt.Errorf("ingest lock: %w", err)
	}
	if err := conn.QueryRowContext(ctx, "SELECT pg_try_advisory_lock($1)", runLockKey).Scan(&ok); err != nil {
		conn.Close()
		return nil, false, fmt.Errorf("ingest lock: %w", err)
	}
	if !ok {
		conn.Close()
		return nil, false, nil
	}
	return func() {
		if _, err := conn.ExecContext(context.Background(), "SELECT pg_advisory_unlock($1)", runLockKey); err != nil {
			// Close the session instead, which drops the lock too.
			conn.Raw(func(any) error { return driver.ErrBadConn })
		}
		conn.Close()
	}, true, nil
}
