package data

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
)

// ErrTargetNotEmpty is returned by Copy when the target already holds data.
var ErrTargetNotEmpty = errors.New("the target store is not empty")

// copyTables lists every table in the order foreign keys need, with the
// columns copied and the order rows are read in. Ids are copied as they are,
// so snapshot numbers (and pinned addresses naming them) survive the move.
var copyTables = []struct {
	name    string
	columns string
	orderBy func(d dialect) string
}{
	{"snapshots", snapshotColumns, func(dialect) string { return "id" }},
	{"observations", "id, obs_key, " + observationColumns + ", first_snapshot, superseded_by", func(dialect) string { return "id" }},
	{"file_hashes", "ref, hash", func(dialect) string { return "ref" }},
	{"source_state", "source, etag, last_modified, file_hash, fetched_at", func(dialect) string { return "source" }},
	{"ingest_runs", "id, trigger, started_at, finished_at, outcome, snapshot_id, message", func(dialect) string { return "id" }},
	{"ingest_source_results", "run_id, source, outcome, rows, bytes, duration_ms, error",
		func(d dialect) string { return d.sourceResultOrder }},
}

// CopyStats counts the rows Copy wrote per table.
type CopyStats map[string]int64

// Copy moves everything in from into to, which must be empty and at the same
// schema version: snapshots with their ids, every observation version with
// its first_snapshot and superseded_by, source states and ingest runs. It
// writes in one transaction on the target, so a failed copy leaves it empty,
// and streams rows in batches, so memory does not grow with the store.
func Copy(ctx context.Context, from, to *Store) (CopyStats, error) {
	tx, err := to.write.BeginTx(ctx, nil)
	if err != nil {
		return nil, fmt.Errorf("copy: %w", err)
	}
	defer tx.Rollback()
	if to.d.publishLock != "" {
		if _, err := tx.ExecContext(ctx, to.d.publishLock); err != nil {
			return nil, fmt.Errorf("copy: %w", err)
		}
	}
	for _, tbl := range copyTables {
		var n int
		if err := tx.QueryRowContext(ctx, "SELECT count(*) FROM "+tbl.name).Scan(&n); err != nil {
			return nil, fmt.Errorf("copy: %w", err)
		}
		if n > 0 {
			return nil, fmt.Errorf("copy to %s: %w (%s has %d rows)", to.Location(), ErrTargetNotEmpty, tbl.name, n)
		}
	}
	stats := CopyStats{}
	for _, tbl := range copyTables {
		n, err := copyTable(ctx, from, to.d, tx, tbl.name, tbl.columns, tbl.orderBy(from.d))
		if err != nil {
			return nil, fmt.Errorf("copy %s: %w", tbl.name, err)
		}
		stats[tbl.name] = n
	}
	if to.d.name == "postgres" {
		// Rows came with their ids; the identity sequences must continue
		// after them.
		for _, tbl := range []string{"snapshots", "observations", "ingest_runs"} {
			if _, err := tx.ExecContext(ctx, `SELECT setval(pg_get_serial_sequence('`+tbl+`', 'id'),
				coalesce((SELECT max(id) FROM `+tbl+`), 0) + 1, false)`); err != nil {
				return nil, fmt.Errorf("copy: sequence of %s: %w", tbl, err)
			}
		}
	}
	if err := tx.Commit(); err != nil {
		return nil, fmt.Errorf("copy: commit: %w", err)
	}
	return stats, nil
}

// copyTable streams one table from the source into the target transaction,
// a batch of rows per INSERT.
func copyTable(ctx context.Context, from *Store, to dialect, tx *sql.Tx, table, columns, orderBy string) (int64, error) {
	ncols := len(strings.Split(columns, ","))
	batch := max(1, min(500, 30000/ncols)) // well under PostgreSQL's 65535 parameters
	rows, err := from.read.QueryContext(ctx, "SELECT "+columns+" FROM "+table+" ORDER BY "+orderBy)
	if err != nil {
		return 0, err
	}
	defer rows.Close()
	row := "(" + placeholders(ncols) + ")"
	insert := func(n int) string {
		return to.q("INSERT INTO " + table + " (" + columns + ") VALUES " +
			strings.TrimSuffix(strings.Repeat(row+",", n), ","))
	}
	full := insert(batch)
	var (
		args  = make([]any, 0, batch*ncols)
		total int64
	)
	flush := func() error {
		if len(args) == 0 {
			return nil
		}
		query := full
		if n := len(args) / ncols; n != batch {
			query = insert(n)
		}
		if _, err := tx.ExecContext(ctx, query, args...); err != nil {
			return err
		}
		args = args[:0]
		return nil
	}
	for rows.Next() {
		vals := make([]any, ncols)
		ptrs := make([]any, ncols)
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		if err := rows.Scan(ptrs...); err != nil {
			return total, err
		}
		for i, v := range vals {
			if b, ok := v.([]byte); ok { // text, never binary, in our schema
				vals[i] = string(b)
			}
		}
		args = append(args, vals...)
		total++
		if len(args) == batch*ncols {
			if err := flush(); err != nil {
				return total, err
			}
		}
	}
	if err := rows.Err(); err != nil {
		return total, err
	}
	return total, flush()
}
