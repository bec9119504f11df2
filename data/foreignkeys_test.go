package data

import (
	"context"
	"database/sql"
	"fmt"
	"path/filepath"
	"strings"
	"testing"
)

// The observations' references to snapshots are checked at the commit
// (migration 0007): the rows of every publication, new, revised, withdrawn
// and failed, must pass SQLite's own check afterwards.
func TestPublishedRowsKeepTheirForeignKeys(t *testing.T) {
	ctx := context.Background()
	s, path := openTestStore(t)
	pub := oeLikePublication(2*insertBatch + 50)
	if _, err := s.Publish(ctx, pub); err != nil {
		t.Fatal(err)
	}
	for i := 0; i < len(pub.Observations); i += 3 { // revisions: old versions get superseded_by
		pub.Observations[i].Value = Float(*pub.Observations[i].Value + 1)
	}
	pub.Remove = []Key{pub.Observations[1].Key()}
	pub.Observations = pub.Observations[2:]
	if _, err := s.Publish(ctx, pub); err != nil {
		t.Fatal(err)
	}
	twice := Publication{Label: "twice", More: more(pub.Observations[0], pub.Observations[0])}
	if _, err := s.Publish(ctx, twice); err == nil {
		t.Fatal("a publication giving one key twice was accepted")
	}
	db := openRaw(t, path)
	if bad := foreignKeyViolations(t, db); len(bad) > 0 {
		t.Errorf("rows refer to snapshots that do not exist: %v", bad)
	}
	var superseded int
	if err := db.QueryRowContext(ctx, "SELECT count(*) FROM observations WHERE superseded_by IS NOT NULL").Scan(&superseded); err != nil || superseded < 200 {
		t.Fatalf("%d superseded versions (%v): the check did not cover superseded_by", superseded, err)
	}
}

// Checked at the commit, a reference to a snapshot that does not exist
// still fails the transaction, on both backends.
func TestSnapshotReferencesAreCheckedAtTheCommit(t *testing.T) {
	forEachBackend(t, func(t *testing.T, s *Store) {
		ctx := context.Background()
		if _, err := s.Publish(ctx, oeLikePublication(10)); err != nil {
			t.Fatal(err)
		}
		for _, stmt := range []string{
			`UPDATE observations SET first_snapshot = 999 WHERE id = (SELECT min(id) FROM observations)`,
			`UPDATE observations SET superseded_by = 999 WHERE id = (SELECT min(id) FROM observations)`,
		} {
			tx, err := s.write.BeginTx(ctx, nil)
			if err != nil {
				t.Fatal(err)
			}
			_, err = tx.ExecContext(ctx, stmt)
			if err == nil {
				err = tx.Commit()
			} else {
				tx.Rollback()
			}
			if err == nil || !strings.Contains(strings.ToLower(err.Error()), "foreign key") {
				t.Errorf("%s: committed (%v)", stmt, err)
			}
		}
		if got := values(t, s, 1); len(got) != 10 {
			t.Errorf("snapshot 1 after the refused changes: %d figures", len(got))
		}
	})
}

// A store of schema version 6, whose keys were checked statement by
// statement, keeps every row, id and index through migration 0007.
func TestMigrationRebuildsObservationsWithDeferredKeys(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "v6.db")
	db := openRaw(t, path)
	migrations, err := loadMigrations(sqliteDialect)
	if err != nil {
		t.Fatal(err)
	}
	for _, m := range migrations[:6] {
		for _, stmt := range splitStatements(m.sql) {
			if _, err := db.ExecContext(ctx, stmt); err != nil {
				t.Fatalf("%s: %v", m.name, err)
			}
		}
	}
	for _, stmt := range []string{
		fmt.Sprintf("PRAGMA application_id = %d", applicationID), "PRAGMA user_version = 6",
		`INSERT INTO snapshots VALUES (1, '2025-01-01T00:00:00Z', 'one', '[]', 2, 2, 0, 0), (2, '2025-02-01T00:00:00Z', 'two', '[]', 2, 0, 1, 0)`,
		`INSERT INTO observations VALUES
			(7, '11-1111|0000000||employment|2024', '11-1111', 'T', '0000000', 'U.S.', '', '', 'employment', '2024', 10, '', 'jobs', '', 'primary', 's', 'S', 'u', 'r', 'h', '', 1, 2),
			(8, '22-2222|0000000||employment|2024', '22-2222', 'T', '0000000', 'U.S.', '', '', 'employment', '2024', NULL, '', 'jobs', 'not_available', 'primary', 's', 'S', 'u', 'r', 'h', 'n', 1, NULL),
			(9, '11-1111|0000000||employment|2024', '11-1111', 'T', '0000000', 'U.S.', '', '', 'employment', '2024', 11, '', 'jobs', '', 'primary', 's', 'S', 'u', 'r', 'h', '', 2, NULL)`,
	} {
		if _, err := db.ExecContext(ctx, stmt); err != nil {
			t.Fatalf("%s: %v", stmt, err)
		}
	}
	before := tableRows(t, db)
	db.Close()

	s, err := Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if s.migratedFrom != 6 {
		t.Errorf("migrated from %d, want 6", s.migratedFrom)
	}
	after := openRaw(t, path)
	if got := tableRows(t, after); got != before {
		t.Errorf("rows after the migration:\n%s\nbefore:\n%s", got, before)
	}
	var table string
	if err := after.QueryRowContext(ctx, "SELECT sql FROM sqlite_schema WHERE name = 'observations'").Scan(&table); err != nil ||
		strings.Count(table, "DEFERRABLE INITIALLY DEFERRED") != 2 {
		t.Errorf("observations after the migration (%v):\n%s", err, table)
	}
	for _, index := range []string{"observations_live", "observations_versions", "observations_superseded"} {
		var n int
		if err := after.QueryRowContext(ctx, "SELECT count(*) FROM sqlite_schema WHERE type = 'index' AND name = ?", index).Scan(&n); err != nil || n != 1 {
			t.Errorf("index %s after the migration: %d (%v)", index, n, err)
		}
	}
	obs, err := s.Observations(ctx, 2, Filter{})
	if err != nil || len(obs) != 2 || obs[0].Value == nil || *obs[0].Value != 11 || obs[1].Value != nil || obs[1].Notes != "n" {
		t.Errorf("snapshot 2 after the migration: %+v (%v)", obs, err)
	}
}

func openRaw(t *testing.T, path string) *sql.DB {
	t.Helper()
	db, err := sql.Open("sqlite", path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

// foreignKeyViolations lists the rows SQLite's foreign_key_check finds.
func foreignKeyViolations(t *testing.T, db *sql.DB) []string {
	return rowStrings(t, db, "PRAGMA foreign_key_check")
}

// tableRows is every observation row, in id order, as text.
func tableRows(t *testing.T, db *sql.DB) string {
	return strings.Join(rowStrings(t, db, "SELECT * FROM observations ORDER BY id"), "\n")
}

// rowStrings runs query and gives each row's values, NULL as <nil>.
func rowStrings(t *testing.T, db *sql.DB, query string) []string {
	t.Helper()
	rows, err := db.Query(query)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	columns, _ := rows.Columns()
	values := make([]any, len(columns))
	var out []string
	for rows.Next() {
		for i := range values {
			values[i] = new(any)
		}
		if err := rows.Scan(values...); err != nil {
			t.Fatal(err)
		}
		line := make([]string, len(values))
		for i, v := range values {
			line[i] = fmt.Sprint(*v.(*any))
		}
		out = append(out, strings.Join(line, "|"))
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}
