package data

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"
)

// SourceState is what the ingester remembers of a source file.
type SourceState struct {
	Source       string
	ETag         string
	LastModified string
	FileHash     string
	FetchedAt    time.Time
}

// Run outcomes.
const (
	RunPublished = "published" // a new snapshot
	RunUnchanged = "unchanged" // every source unchanged, or nothing new in them
	RunFailed    = "failed"    // every source failed
	RunPartial   = "partial"   // some sources failed; the others were published
)

// Source outcomes within a run.
const (
	SourceFetched   = "fetched"
	SourceUnchanged = "unchanged"
	SourceFailed    = "failed"
)

// Run is one finished ingest run.
type Run struct {
	ID         int64
	Trigger    string
	StartedAt  time.Time
	FinishedAt time.Time
	Outcome    string
	SnapshotID int64 // 0 when none was published
	Message    string
	Sources    []SourceResult
}

// SourceResult is what one source did in a run.
type SourceResult struct {
	Source   string
	Outcome  string
	Rows     int
	Bytes    int64
	Duration time.Duration
	Error    string
}

// SourceStates returns every remembered source state by source key.
func (s *Store) SourceStates(ctx context.Context) (map[string]SourceState, error) {
	rows, err := s.read.QueryContext(ctx, `SELECT source, etag, last_modified, file_hash, fetched_at FROM source_state`)
	if err != nil {
		return nil, fmt.Errorf("source states: %w", err)
	}
	defer rows.Close()
	out := map[string]SourceState{}
	for rows.Next() {
		var st SourceState
		var fetched string
		if err := rows.Scan(&st.Source, &st.ETag, &st.LastModified, &st.FileHash, &fetched); err != nil {
			return nil, err
		}
		st.FetchedAt, _ = time.Parse(time.RFC3339Nano, fetched)
		out[st.Source] = st
	}
	return out, rows.Err()
}

// SaveSourceStates records source states on their own, for files that were
// read but brought nothing new (so the snapshot was not needed).
func (s *Store) SaveSourceStates(ctx context.Context, states []SourceState) error {
	tx, err := s.write.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	if err := saveSourceStates(ctx, s.d, tx, states); err != nil {
		return err
	}
	return tx.Commit()
}

func saveSourceStates(ctx context.Context, d dialect, tx *sql.Tx, states []SourceState) error {
	for _, st := range states {
		_, err := tx.ExecContext(ctx, d.q(`INSERT INTO source_state (source, etag, last_modified, file_hash, fetched_at)
			VALUES (?, ?, ?, ?, ?) ON CONFLICT (source) DO UPDATE SET etag = excluded.etag,
			last_modified = excluded.last_modified, file_hash = excluded.file_hash, fetched_at = excluded.fetched_at`),
			st.Source, st.ETag, st.LastModified, st.FileHash, st.FetchedAt.UTC().Format(time.RFC3339Nano))
		if err != nil {
			return fmt.Errorf("source state %s: %w", st.Source, err)
		}
	}
	return nil
}

// RecordRun stores a finished run and returns its id.
func (s *Store) RecordRun(ctx context.Context, r Run) (int64, error) {
	tx, err := s.write.BeginTx(ctx, nil)
	if err != nil {
		return 0, err
	}
	defer tx.Rollback()
	var snapshot any
	if r.SnapshotID != 0 {
		snapshot = r.SnapshotID
	}
	var id int64
	err = tx.QueryRowContext(ctx, s.d.q(`INSERT INTO ingest_runs (trigger, started_at, finished_at, outcome, snapshot_id, message)
		VALUES (?, ?, ?, ?, ?, ?) RETURNING id`), r.Trigger, r.StartedAt.UTC().Format(time.RFC3339Nano),
		r.FinishedAt.UTC().Format(time.RFC3339Nano), r.Outcome, snapshot, r.Message).Scan(&id)
	if err != nil {
		return 0, fmt.Errorf("record run: %w", err)
	}
	for _, sr := range r.Sources {
		if _, err := tx.ExecContext(ctx, s.d.q(`INSERT INTO ingest_source_results (run_id, source, outcome, rows, bytes, duration_ms, error)
			VALUES (?, ?, ?, ?, ?, ?, ?)`), id, sr.Source, sr.Outcome, sr.Rows, sr.Bytes, sr.Duration.Milliseconds(), sr.Error); err != nil {
			return 0, fmt.Errorf("record run: %w", err)
		}
	}
	return id, tx.Commit()
}

// Runs returns the latest runs, newest first, with their source results.
func (s *Store) Runs(ctx context.Context, limit int) ([]Run, error) {
	rows, err := s.read.QueryContext(ctx, s.d.q(`SELECT id, trigger, started_at, finished_at, outcome, coalesce(snapshot_id, 0), message
		FROM ingest_runs ORDER BY id DESC LIMIT ?`), limit)
	if err != nil {
		return nil, fmt.Errorf("list runs: %w", err)
	}
	var runs []Run
	for rows.Next() {
		var r Run
		var started, finished string
		if err := rows.Scan(&r.ID, &r.Trigger, &started, &finished, &r.Outcome, &r.SnapshotID, &r.Message); err != nil {
			rows.Close()
			return nil, err
		}
		r.StartedAt, _ = time.Parse(time.RFC3339Nano, started)
		r.FinishedAt, _ = time.Parse(time.RFC3339Nano, finished)
		runs = append(runs, r)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	for i := range runs {
		if runs[i].Sources, err = s.runSources(ctx, runs[i].ID); err != nil {
			return nil, err
		}
	}
	return runs, nil
}

func (s *Store) runSources(ctx context.Context, runID int64) ([]SourceResult, error) {
	rows, err := s.read.QueryContext(ctx, s.d.q(`SELECT source, outcome, rows, bytes, duration_ms, error
		FROM ingest_source_results WHERE run_id = ? ORDER BY `+s.d.sourceResultOrder), runID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []SourceResult
	for rows.Next() {
		var sr SourceResult
		var ms int64
		if err := rows.Scan(&sr.Source, &sr.Outcome, &sr.Rows, &sr.Bytes, &ms, &sr.Error); err != nil {
			return nil, err
		}
		sr.Duration = time.Duration(ms) * time.Millisecond
		out = append(out, sr)
	}
	return out, rows.Err()
}

// LastSuccessfulRun returns when the last run that did not fail finished;
// zero time when there is none.
func (s *Store) LastSuccessfulRun(ctx context.Context) (time.Time, error) {
	var finished string
	err := s.read.QueryRowContext(ctx, s.d.q(`SELECT finished_at FROM ingest_runs WHERE outcome != ? ORDER BY id DESC LIMIT 1`),
		RunFailed).Scan(&finished)
	if errors.Is(err, sql.ErrNoRows) {
		return time.Time{}, nil
	}
	if err != nil {
		return time.Time{}, err
	}
	return time.Parse(time.RFC3339Nano, finished)
}
