package data

import (
	"context"
	"database/sql"
	"path/filepath"
	"testing"
)

// A store this labdash creates has 16 KB pages (storePageSize); a store
// made with SQLite's 4 KB pages keeps them, and is read and written as
// before.
func TestNewStoresTakeTheStorePageSize(t *testing.T) {
	ctx := context.Background()
	_, path := openTestStore(t)
	if got := pageSize(t, path); got != storePageSize {
		t.Errorf("a new store has %d-byte pages, want %d", got, storePageSize)
	}

	old := filepath.Join(t.TempDir(), "old.db")
	db, err := sql.Open("sqlite", old)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.Exec("PRAGMA page_size = 4096; PRAGMA journal_mode = WAL"); err != nil {
		t.Fatal(err)
	}
	db.Close()
	s, err := Open(ctx, old)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if _, err := s.Publish(ctx, Publication{Label: "old pages", Observations: []Observation{testObs("11-1111", "employment", "May 2024", 1)}}); err != nil {
		t.Fatal(err)
	}
	if got := pageSize(t, old); got != 4096 {
		t.Errorf("a store made with 4 KB pages has %d-byte pages after opening", got)
	}
}

func pageSize(t *testing.T, path string) int {
	t.Helper()
	db, err := sql.Open("sqlite", path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var size int
	if err := db.QueryRow("PRAGMA page_size").Scan(&size); err != nil {
		t.Fatal(err)
	}
	return size
}
