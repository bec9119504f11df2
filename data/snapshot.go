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
	// Origins tells the snapshot's figures parsed from a BLS file from
	// listed ones, by the sources of this snapshot and the ones before it.
	// The store sets it when it reads a snapshot; it is not stored.
	Origins Origins `json:"-"`
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
	return s.withOrigins(ctx, snap)
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
	return s.withOrigins(ctx, snap)
}

// withOrigins sets snap.Origins from the sources of the snapshots up to it:
// a figure may have been published by any of them.
func (s *Store) withOrigins(ctx context.Context, snap Snapshot) (Snapshot, error) {
	rows, err := s.read.QueryContext(ctx, s.d.q(`SELECT sources_json FROM snapshots WHERE id <= ?`), snap.ID)
	if err != nil {
		return Snapshot{}, fmt.Errorf("sources up to snapshot %d: %w", snap.ID, err)
	}
	defer rows.Close()
	var all []SourceInfo
	for rows.Next() {
		var text string
		var sources []SourceInfo
		if err := rows.Scan(&text); err != nil {
			return Snapshot{}, err
		}
		if err := json.Unmarshal([]byte(text), &sources); err != nil {
			return Snapshot{}, fmt.Errorf("sources up to snapshot %d: %w", snap.ID, err)
		}
		all = append(all, sources...)
	}
	if err := rows.Err(); err != nil {
		return Snapshot{}, err
	}
	snap.Origins = OriginsOf(all)
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
	if err := rows.Err(); err != nil {
		return nil, err
	}
	// Newest first: each snapshot's origins are its sources and those of
	// every older one.
	var sources []SourceInfo
	for i := len(out) - 1; i >= 0; i-- {
		sources = append(sources, out[i].Sources...)
		out[i].Origins = OriginsOf(sources)
	}
	return out, nil
}
