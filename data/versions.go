package data

import (
	"context"
	"database/sql"
	"errors"
	"time"
)

// observationColumns are the stored fields of a version, in scan order.
const observationColumns = `occupation_code, occupation_title, area_code, area_title, industry_code, industry_title,
	measure, period, value, text_value, unit, flag, tier, source_name, source_title, source_url, retrieved_at, file_hash, notes`

// versionWriter compares incoming figures with the live versions and writes
// only the differences, inside the publishing transaction.
type versionWriter struct {
	snapshotID               int64
	findLive, supersede, ins *sql.Stmt
	added, revised, removed  int
}

func newVersionWriter(ctx context.Context, tx *sql.Tx, snapshotID int64) (*versionWriter, error) {
	w := &versionWriter{snapshotID: snapshotID}
	var err error
	if w.findLive, err = tx.PrepareContext(ctx, `SELECT id, `+observationColumns+
		` FROM observations WHERE obs_key = ? AND superseded_by IS NULL`); err != nil {
		return nil, err
	}
	if w.supersede, err = tx.PrepareContext(ctx, `UPDATE observations SET superseded_by = ? WHERE id = ?`); err != nil {
		return nil, err
	}
	w.ins, err = tx.PrepareContext(ctx, `INSERT INTO observations (obs_key, `+observationColumns+`, first_snapshot)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`)
	return w, err
}

func (w *versionWriter) close() {
	for _, st := range []*sql.Stmt{w.findLive, w.supersede, w.ins} {
		if st != nil {
			st.Close()
		}
	}
}

// live returns the live version of key, if any.
func (w *versionWriter) live(ctx context.Context, key string) (int64, *Observation, error) {
	var id int64
	o, err := scanObservation(w.findLive.QueryRowContext(ctx, key), &id)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, nil, nil
	}
	return id, &o, err
}

func (w *versionWriter) put(ctx context.Context, o *Observation) error {
	key := o.Key().String()
	oldID, old, err := w.live(ctx, key)
	if err != nil {
		return err
	}
	if old != nil && old.SameFigure(*o) {
		return nil
	}
	if old != nil {
		if _, err := w.supersede.ExecContext(ctx, w.snapshotID, oldID); err != nil {
			return err
		}
		w.revised++
	} else {
		w.added++
	}
	_, err = w.ins.ExecContext(ctx, key, o.OccupationCode, o.OccupationTitle, o.AreaCode, o.AreaTitle,
		o.IndustryCode, o.IndustryTitle, o.Measure, o.Period, o.Value, o.Text, o.Unit, string(o.Flag),
		string(o.Tier), o.SourceName, o.SourceTitle, o.SourceURL, o.RetrievedAt.UTC().Format(time.RFC3339Nano),
		o.FileHash, o.Notes, w.snapshotID)
	return err
}

func (w *versionWriter) remove(ctx context.Context, k Key) error {
	oldID, old, err := w.live(ctx, k.String())
	if err != nil || old == nil {
		return err
	}
	if _, err := w.supersede.ExecContext(ctx, w.snapshotID, oldID); err != nil {
		return err
	}
	w.removed++
	return nil
}

// scanObservation reads observationColumns, preceded by an id when id is not nil.
func scanObservation(row interface{ Scan(...any) error }, id *int64) (Observation, error) {
	var (
		o         Observation
		value     sql.NullFloat64
		flag      string
		tier      string
		retrieved string
	)
	dest := []any{&o.OccupationCode, &o.OccupationTitle, &o.AreaCode, &o.AreaTitle, &o.IndustryCode,
		&o.IndustryTitle, &o.Measure, &o.Period, &value, &o.Text, &o.Unit, &flag, &tier, &o.SourceName,
		&o.SourceTitle, &o.SourceURL, &retrieved, &o.FileHash, &o.Notes}
	if id != nil {
		dest = append([]any{id}, dest...)
	}
	if err := row.Scan(dest...); err != nil {
		return Observation{}, err
	}
	if value.Valid {
		o.Value = Float(value.Float64)
	}
	o.Flag, o.Tier = Flag(flag), Tier(tier)
	o.RetrievedAt, _ = time.Parse(time.RFC3339Nano, retrieved)
	return o, nil
}
