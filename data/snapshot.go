package data

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"time"
)

// SourceInfo records where a snapshot's new figures came from.
type SourceInfo struct {
	Name        string    `json:"name"`
	Format      string    `json:"format"`
	URL         string    `json:"url"`
	FileHash    string    `json:"file_hash,omitempty"`
	RetrievedAt time.Time `json:"retrieved_at"`
	Rows        int       `json:"rows"`
}

// Snapshot is one published, immutable state of the store. Its JSON form is
// the one `labdash snapshots --json` prints and the API serves.
type Snapshot struct {
	ID               int64        `json:"id"`
	CreatedAt        time.Time    `json:"created_at"`
	Label            string       `json:"label"`
	ObservationCount int          `json:"observation_count"`
	Added            int          `json:"added"`   // keys new in this snapshot
	Revised          int          `json:"revised"` // keys whose figure changed
	Removed          int          `json:"removed"` // keys no longer present
	Sources          []SourceInfo `json:"sources"` // never nil once stored
}

const snapshotColumns = `id, created_at, label, sources_json, observation_count, added, revised, removed`

func scanSnapshot(row interface{ Scan(...any) error }) (Snapshot, error) {
	var (
		s       Snapshot
		created string
		sources string
	)
	if err := row.Scan(&s.ID, &created, &s.Label, &sources, &s.ObservationCount, &s.Added, &s.Revised, &s.Removed); err != nil {
		return Snapshot{}, err
	}
	t, err := time.Parse(time.RFC3339Nano, created)
	if err != nil {
		return Snapshot{}, fmt.Errorf("snapshot %d: created_at %q: %w", s.ID, created, err)
	}
	s.CreatedAt = t
	if err := json.Unmarshal([]byte(sources), &s.Sources); err != nil {
		return Snapshot{}, fmt.Errorf("snapshot %d: sources: %w", s.ID, err)
	}
	if s.Sources == nil {
		s.Sources = []SourceInfo{}
	}
	return s, nil
}

// LatestSnapshot returns the newest snapshot, or ErrNoSnapshot.
func (s *Store) LatestSnapshot(ctx context.Context) (Snapshot, error) {
	row := s.read.QueryRowContext(ctx, `SELECT `+snapshotColumns+` FROM snapshots ORDER BY id DESC LIMIT 1`)
	snap, err := scanSnapshot(row)
	if errors.Is(err, sql.ErrNoRows) {
		return Snapshot{}, ErrNoSnapshot
	}
	if err != nil {
		return Snapshot{}, fmt.Errorf("latest snapshot: %w", err)
	}
	return snap, nil
}

// Snapshot returns the snapshot with that id, or ErrSnapshotMissing.
func (s *Store) Snapshot(ctx context.Context, id int64) (Snapshot, error) {
	row := s.read.QueryRowContext(ctx, s.d.q(`SELECT `+snapshotColumns+` FROM snapshots WHERE id = ?`), id)
	snap, err := scanSnapshot(row)
	if errors.Is(err, sql.ErrNoRows) {
		return Snapshot{}, fmt.Errorf("snapshot %d: %w", id, ErrSnapshotMissing)
	}
	if err != nil {
		return Snapshot{}, fmt.Errorf("snapshot %d: %w", id, err)
	}
	return snap, nil
}

// Snapshots lists every snapshot, newest first.
func (s *Store) Snapshots(ctx context.Context) ([]Snapshot, error) {
	rows, err := s.read.QueryContext(ctx, `SELECT `+snapshotColumns+` FROM snapshots ORDER BY id DESC`)
	if err != nil {
		return nil, fmt.Errorf("list snapshots: %w", err)
	}
	defer rows.Close()
	var out []Snapshot
	for rows.Next() {
		snap, err := scanSnapshot(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, snap)
	}
	return out, rows.Err()
}
