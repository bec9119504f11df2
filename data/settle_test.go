package data

import (
	"context"
	"database/sql"
	"errors"
	"path/filepath"
	"testing"
)

const settledHash = "5f0c0ffee5f0c0ffee5f0c0ffee5f0c0ffee5f0c0ffee5f0c0ffee5f0c0ffee5"

// pendingPublication publishes two figures whose file hash is not known
// yet; settle decides what the publication learns before its commit.
func pendingPublication(settle func() (Settled, error)) Publication {
	obs := []Observation{testObs("11-1111", "employment", "2024", 5), testObs("11-1111", "employment", "2025", 6)}
	for i := range obs {
		obs[i].FileHash = PendingHash(0)
	}
	return Publication{Label: "pending", Observations: obs, Settle: settle}
}

// A publication that begins before its file is hashed is written and then
// settled: every read shows the hash learnt at the end, the snapshot lists
// the settled sources, and a store read by an earlier labdash (the hash in
// each row) reads the same.
func TestSettledHashIsWhatReadsShow(t *testing.T) { forEachBackend(t, testSettledHashIsWhatReadsShow) }

func testSettledHashIsWhatReadsShow(t *testing.T, s *Store) {
	ctx := context.Background()
	settled := false
	snap, err := s.Publish(ctx, pendingPublication(func() (Settled, error) {
		settled = true
		return Settled{FileHashes: map[string]string{PendingHash(0): settledHash},
			Sources: []SourceInfo{{Name: "test", FileHash: settledHash, Rows: 2}}}, nil
	}))
	if err != nil || !settled {
		t.Fatalf("publish: %v (settled: %v)", err, settled)
	}
	obs, err := s.Observations(ctx, snap.ID, Filter{})
	if err != nil || len(obs) != 2 {
		t.Fatalf("observations: %d, %v", len(obs), err)
	}
	for _, o := range obs {
		if o.FileHash != settledHash {
			t.Errorf("%s: file hash %q, want the settled one", o.Key(), o.FileHash)
		}
	}
	counts, err := s.FigureCounts(ctx, snap.ID)
	if err != nil || len(counts) != 1 || counts[0].FileHash != settledHash || counts[0].Count != 2 {
		t.Errorf("figure counts: %+v, %v", counts, err)
	}
	latest, err := s.LatestSnapshot(ctx)
	if err != nil || len(latest.Sources) != 1 || latest.Sources[0].FileHash != settledHash {
		t.Errorf("latest snapshot's sources: %+v, %v", latest.Sources, err)
	}
}

// When settling fails (the file turned out unchanged, or failed a check),
// nothing the publication wrote is kept: no snapshot, no version, no hash.
func TestFailedSettleLeavesTheStore(t *testing.T) { forEachBackend(t, testFailedSettleLeavesTheStore) }

func testFailedSettleLeavesTheStore(t *testing.T, s *Store) {
	ctx := context.Background()
	first, err := s.Publish(ctx, Publication{Label: "first", Observations: []Observation{testObs("22-2222", "employment", "2024", 1)}})
	if err != nil {
		t.Fatal(err)
	}
	unchanged := errors.New("the file is the one read last time")
	_, err = s.Publish(ctx, pendingPublication(func() (Settled, error) { return Settled{}, unchanged }))
	if !errors.Is(err, unchanged) {
		t.Fatalf("publish: %v, want the settle's error", err)
	}
	all, _ := s.Snapshots(ctx)
	if len(all) != 1 || all[0].ID != first.ID {
		t.Fatalf("%d snapshots after a failed settle, want 1", len(all))
	}
	for table, want := range map[string]int{"observations": 1, "file_hashes": 0} {
		var n int
		if err := s.read.QueryRowContext(ctx, "SELECT count(*) FROM "+table).Scan(&n); err != nil || n != want {
			t.Errorf("%s: %d rows (%v), want %d", table, n, err, want)
		}
	}
}

// A pending hash with nothing to settle it would be stored as a reference
// to nothing: refused.
func TestPendingHashNeedsSettle(t *testing.T) {
	s, _ := openTestStore(t)
	if _, err := s.Publish(context.Background(), pendingPublication(nil)); err == nil {
		t.Fatal("a pending hash without Settle was published")
	}
}

// A store written before file_hashes existed (schema version 4) gains the
// table when opened, and its figures keep showing the hash in their rows.
func TestStoreBeforeFileHashesMigrates(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "old.db")
	s, err := Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	o := testObs("33-3333", "employment", "2024", 7)
	o.FileHash = settledHash
	if _, err := s.Publish(ctx, Publication{Label: "old", Observations: []Observation{o}}); err != nil {
		t.Fatal(err)
	}
	s.Close()
	db, err := sql.Open("sqlite", path)
	if err != nil {
		t.Fatal(err)
	}
	for _, q := range []string{"DROP TABLE file_hashes", "DROP INDEX observations_superseded", "PRAGMA user_version = 4"} {
		if _, err := db.Exec(q); err != nil {
			t.Fatal(err)
		}
	}
	db.Close()

	s, err = Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if s.migratedFrom != 4 {
		t.Errorf("migrated from %d, want 4", s.migratedFrom)
	}
	obs, err := s.Observations(ctx, 1, Filter{})
	if err != nil || len(obs) != 1 || obs[0].FileHash != settledHash {
		t.Fatalf("old figure after the migration: %+v, %v", obs, err)
	}
	snap, err := s.Publish(ctx, pendingPublication(func() (Settled, error) {
		return Settled{FileHashes: map[string]string{PendingHash(0): settledHash}}, nil
	}))
	if err != nil {
		t.Fatal(err)
	}
	if counts, err := s.FigureCounts(ctx, snap.ID); err != nil || len(counts) != 1 || counts[0].Count != 3 {
		t.Errorf("figure counts after a settled publish: %+v, %v", counts, err)
	}
}
