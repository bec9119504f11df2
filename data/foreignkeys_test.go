package data

import (
	"context"
	"database/sql"
	"testing"
)

// SQLite publishes with its foreign-key checks off (publishWithoutForeignKeys):
// the rows of every publication, new, revised and superseded, must still
// pass them, and the connection must have them on again afterwards, also
// after a publication that failed.
func TestPublishedRowsKeepTheirForeignKeys(t *testing.T) {
	ctx := context.Background()
	s, path := openTestStore(t)
	pub := oeLikePublication(2*insertBatch + 50)
	if _, err := s.Publish(ctx, pub); err != nil {
		t.Fatal(err)
	}
	checksOn(t, s)
	for i := 0; i < len(pub.Observations); i += 3 { // revisions: old versions get superseded_by
		pub.Observations[i].Value = Float(*pub.Observations[i].Value + 1)
	}
	pub.Remove = []Key{pub.Observations[1].Key()}
	pub.Observations = pub.Observations[2:]
	if _, err := s.Publish(ctx, pub); err != nil {
		t.Fatal(err)
	}
	checksOn(t, s)
	twice := Publication{Label: "twice", More: more(pub.Observations[0], pub.Observations[0])}
	if _, err := s.Publish(ctx, twice); err == nil {
		t.Fatal("a publication giving one key twice was accepted")
	}
	checksOn(t, s)

	db, err := sql.Open("sqlite", path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	rows, err := db.QueryContext(ctx, "PRAGMA foreign_key_check")
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	for rows.Next() {
		var table, parent string
		var rowid, fk sql.NullInt64
		if err := rows.Scan(&table, &rowid, &parent, &fk); err != nil {
			t.Fatal(err)
		}
		t.Errorf("%s row %v refers to a %s row that does not exist", table, rowid.Int64, parent)
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	var superseded int
	if err := db.QueryRowContext(ctx, "SELECT count(*) FROM observations WHERE superseded_by IS NOT NULL").Scan(&superseded); err != nil || superseded < 200 {
		t.Fatalf("%d superseded versions (%v): the check did not cover superseded_by", superseded, err)
	}
}

// checksOn fails unless the store's writing connection checks foreign keys.
func checksOn(t *testing.T, s *Store) {
	t.Helper()
	var on int
	if err := s.write.QueryRowContext(context.Background(), "PRAGMA foreign_keys").Scan(&on); err != nil || on != 1 {
		t.Fatalf("foreign_keys = %d (%v) on the writing connection after a publication", on, err)
	}
}
