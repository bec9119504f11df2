package data

import (
	"context"
	"database/sql"
	"encoding/binary"
	"hash/fnv"
	"math"
	"strings"
	"time"
)

// observationColumns are the stored fields of a version, in scan order.
const observationColumns = `occupation_code, occupation_title, area_code, area_title, industry_code, industry_title,
	measure, period, value, text_value, unit, flag, tier, source_name, source_title, source_url, retrieved_at, file_hash, notes`

// insertColumns is how many values one inserted version binds.
const insertColumns = 21

// insertBatch is how many versions one INSERT statement writes: per-statement
// overhead dominates single-row inserts in SQLite.
const insertBatch = 300

// liveVersion is what the writer remembers of a live version: its row and a
// fingerprint of the figure, so comparing costs no query.
type liveVersion struct {
	id          int64
	fingerprint [16]byte
	figure      liveFigure
}

// versionWriter compares incoming figures with the live versions and writes
// only the differences, inside the publishing transaction. The live versions
// of the occupations being published are read in one query up front.
type versionWriter struct {
	d                       dialect
	tx                      *sql.Tx
	snapshotID              int64
	live                    map[string]liveVersion
	pendingRows             []any
	superseded              []any
	insertFull              *sql.Stmt // the INSERT of a full batch, prepared once
	added, revised, removed int
}

func newVersionWriter(ctx context.Context, d dialect, tx *sql.Tx, snapshotID int64, occupations []string) (*versionWriter, error) {
	w := &versionWriter{d: d, tx: tx, snapshotID: snapshotID, live: map[string]liveVersion{}}
	return w, w.loadLive(ctx, occupations)
}

// loadLive reads the live versions of the given occupations.
func (w *versionWriter) loadLive(ctx context.Context, occupations []string) error {
	for start := 0; start < len(occupations); start += 500 {
		chunk := occupations[start:min(start+500, len(occupations))]
		args := make([]any, len(chunk))
		for i, c := range chunk {
			args[i] = c
		}
		rows, err := w.tx.QueryContext(ctx, w.d.q(`SELECT id, obs_key, `+observationColumns+` FROM observations
			WHERE superseded_by IS NULL AND occupation_code IN (`+placeholders(len(chunk))+`)`), args...)
		if err != nil {
			return err
		}
		for rows.Next() {
			var (
				id  int64
				key string
			)
			o, err := scanObservation(prefixScanner{rows, []any{&id, &key}}, nil)
			if err != nil {
				rows.Close()
				return err
			}
			w.live[key] = liveVersion{id: id, fingerprint: o.fingerprint(), figure: liveFigureOf(o)}
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
	}
	return nil
}

func (w *versionWriter) put(ctx context.Context, o *Observation) error {
	key := o.Key().String()
	old, ok := w.live[key]
	if ok && (old.fingerprint == o.fingerprint() || o.defersTo(old.figure)) {
		return nil
	}
	if ok {
		w.superseded = append(w.superseded, old.id)
		w.revised++
	} else {
		w.added++
	}
	w.pendingRows = append(w.pendingRows, key, o.OccupationCode, o.OccupationTitle, o.AreaCode, o.AreaTitle,
		o.IndustryCode, o.IndustryTitle, string(o.Measure), o.Period, o.Value, o.Text, string(o.Unit), string(o.Flag),
		string(o.Tier), o.SourceName, o.SourceTitle, o.SourceURL, o.RetrievedAt.UTC().Format(time.RFC3339Nano),
		o.FileHash, o.Notes, w.snapshotID)
	delete(w.live, key) // a key appears once per publication
	return w.flush(ctx, false)
}

// remove withdraws a key. Every live key of the publication's occupations
// was loaded, so a key not in w.live is not live.
func (w *versionWriter) remove(ctx context.Context, k Key) error {
	key := k.String()
	old, ok := w.live[key]
	if !ok {
		return nil
	}
	delete(w.live, key)
	w.superseded = append(w.superseded, old.id)
	w.removed++
	return w.flush(ctx, false)
}

// flush writes pending inserts and supersessions, all of them when final.
// Old versions are superseded before new ones are inserted: the unique index
// allows one live version per key.
func (w *versionWriter) flush(ctx context.Context, final bool) error {
	for len(w.superseded) >= insertBatch || (final && len(w.superseded) > 0) {
		n := min(len(w.superseded), insertBatch)
		args := append([]any{w.snapshotID}, w.superseded[:n]...)
		if _, err := w.tx.ExecContext(ctx, w.d.q(`UPDATE observations SET superseded_by = ? WHERE id IN (`+placeholders(n)+`)`), args...); err != nil {
			return err
		}
		w.superseded = w.superseded[n:]
	}
	for len(w.pendingRows) >= insertBatch*insertColumns || (final && len(w.pendingRows) > 0) {
		if len(w.superseded) > 0 {
			return w.flush(ctx, true)
		}
		n := min(len(w.pendingRows)/insertColumns, insertBatch)
		if err := w.insertRows(ctx, n); err != nil {
			return err
		}
		w.pendingRows = w.pendingRows[n*insertColumns:]
	}
	return nil
}

// insertRows writes the first n pending rows in one statement.
func (w *versionWriter) insertRows(ctx context.Context, n int) error {
	args := w.pendingRows[:n*insertColumns]
	if n == insertBatch {
		if w.insertFull == nil {
			st, err := w.tx.PrepareContext(ctx, w.d.q(insertSQL(insertBatch)))
			if err != nil {
				return err
			}
			w.insertFull = st
		}
		_, err := w.insertFull.ExecContext(ctx, args...)
		return err
	}
	_, err := w.tx.ExecContext(ctx, w.d.q(insertSQL(n)), args...)
	return err
}

func insertSQL(rows int) string {
	row := "(" + placeholders(insertColumns) + ")"
	return `INSERT INTO observations (obs_key, ` + observationColumns + `, first_snapshot) VALUES ` +
		strings.TrimSuffix(strings.Repeat(row+",", rows), ",")
}

// close releases the prepared statement.
func (w *versionWriter) close() {
	if w.insertFull != nil {
		w.insertFull.Close()
	}
}

func placeholders(n int) string {
	return strings.TrimSuffix(strings.Repeat("?,", n), ",")
}

// fingerprint hashes what makes a figure (FNV-128a): value or text, unit,
// flag, tier, titles, source (name, title, URL) and notes. Two versions with the same
// fingerprint say the same thing; when and from which file a figure was read
// is left out, so re-reading an unchanged figure publishes nothing.
func (o Observation) fingerprint() [16]byte {
	h := fnv.New128a()
	var buf [9]byte
	if o.Value != nil {
		buf[0] = 1
		binary.LittleEndian.PutUint64(buf[1:], math.Float64bits(*o.Value))
	}
	h.Write(buf[:])
	for _, s := range []string{o.Text, string(o.Unit), string(o.Flag), string(o.Tier), o.OccupationTitle, o.AreaTitle,
		o.IndustryTitle, o.SourceName, o.SourceURL, o.SourceTitle, o.Notes} {
		h.Write([]byte(s))
		h.Write([]byte{0})
	}
	var out [16]byte
	h.Sum(out[:0])
	return out
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

// SameFigure reports whether two versions say the same thing (see fingerprint).
func (o Observation) SameFigure(p Observation) bool { return o.fingerprint() == p.fingerprint() }
