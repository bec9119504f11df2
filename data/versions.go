package data

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"encoding/binary"
	"errors"
	"fmt"
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

// sharedColumns are the values a whole batch usually has in common: one
// source's provenance, the snapshot, the period of the source's release,
// and the text and notes a source of numbers leaves empty. When every row
// of a full batch has the same, SQLite gets them bound once for the
// statement instead of once a row (sharedInsertSQL): binding is much of
// what an insert costs there, and these are half of each row's values
// (period, text and notes took 8% off publishing the OEWS benchmark's
// figures).
const (
	sharedColumns = 10 // period, text_value, notes, tier, source_name, source_title, source_url, retrieved_at, file_hash, first_snapshot
	ownColumns    = insertColumns - sharedColumns
)

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
	pending                 []pendingVersion
	args                    []any // reused for each statement's values
	superseded              []any
	conn                    *sql.Conn           // the connection tx runs on
	insertFull              driver.Stmt         // the INSERT of a full batch, prepared once on conn
	insertShared            driver.Stmt         // the same, for a batch that shares its sharedColumns
	named                   []driver.NamedValue // reused for each full batch's values
	refs                    map[string]string   // PendingHash → its reference (hashRef)
	added, revised, removed int
	loaded                  map[string]bool     // occupations whose live versions are in live
	more                    map[string]struct{} // keys put by putMore, to refuse one twice
}

// pendingVersion is a version waiting for its INSERT.
type pendingVersion struct {
	key string
	o   *Observation
}

// newVersionWriter writes versions in tx, which runs on conn.
func newVersionWriter(ctx context.Context, d dialect, conn *sql.Conn, tx *sql.Tx, snapshotID int64, occupations []string) (*versionWriter, error) {
	w := &versionWriter{d: d, conn: conn, tx: tx, snapshotID: snapshotID, live: map[string]liveVersion{},
		refs: map[string]string{}, loaded: map[string]bool{}}
	return w, w.loadLive(ctx, occupations)
}

// putMore is put for a figure of Publication.More: it is checked as
// checkPublication checks the others, and its occupation's live versions
// are read when the first of its figures comes.
func (w *versionWriter) putMore(ctx context.Context, o *Observation, settles bool) error {
	k := o.Key()
	if err := o.checkPublishable(k, settles); err != nil {
		return err
	}
	key := k.String()
	if w.noteMore(key) {
		return fmt.Errorf("publish: key %s appears twice", k)
	}
	if !w.loaded[o.OccupationCode] {
		if err := w.loadLive(ctx, []string{o.OccupationCode}); err != nil {
			return fmt.Errorf("publish: %w", err)
		}
	}
	if err := w.putKeyed(ctx, key, o); err != nil {
		return fmt.Errorf("publish %s: %w", k, err)
	}
	return nil
}

// noteMore records a key of a publication with More, and reports whether
// it was there already.
func (w *versionWriter) noteMore(key string) bool {
	if w.more == nil {
		w.more = map[string]struct{}{}
	}
	_, dup := w.more[key]
	w.more[key] = struct{}{}
	return dup
}

// loadLive reads the live versions of the given occupations.
func (w *versionWriter) loadLive(ctx context.Context, occupations []string) error {
	for _, occ := range occupations {
		w.loaded[occ] = true
	}
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
	return w.putKeyed(ctx, o.Key().String(), o)
}

// putKeyed is put with the key of o as a string, made once by the caller.
func (w *versionWriter) putKeyed(ctx context.Context, key string, o *Observation) error {
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
	w.pending = append(w.pending, pendingVersion{key: key, o: o})
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
		if _, err := w.tx.ExecContext(ctx, w.d.q(`UPDATE`+w.d.orFail+` observations SET superseded_by = ? WHERE id IN (`+placeholders(n)+`)`), args...); err != nil {
			return err
		}
		w.superseded = w.superseded[n:]
	}
	for len(w.pending) >= insertBatch || (final && len(w.pending) > 0) {
		if len(w.superseded) > 0 {
			return w.flush(ctx, true)
		}
		n := min(len(w.pending), insertBatch)
		if err := w.insertRows(ctx, w.pending[:n]); err != nil {
			return err
		}
		// Moved to the front, so that the slice is reused, never regrown.
		w.pending = w.pending[:copy(w.pending, w.pending[n:])]
	}
	return nil
}

// insertRows writes rows in one statement. A full batch goes through a
// statement prepared once: with the shared values bound once when every row
// has the same (sharedColumns), else with every value of every row.
func (w *versionWriter) insertRows(ctx context.Context, rows []pendingVersion) error {
	shared := len(rows) == insertBatch && w.d.sharedBinds && sameShared(rows)
	w.args = w.args[:0]
	if shared {
		w.args = w.appendShared(w.args, rows[0].o)
	}
	for _, r := range rows {
		w.args = appendOwn(w.args, r)
		if !shared {
			w.args = w.appendShared(w.args, r.o)
		}
	}
	if len(rows) < insertBatch {
		_, err := w.tx.ExecContext(ctx, w.d.q(insertSQL(w.d, len(rows))), w.args...)
		return err
	}
	return w.execFull(ctx, shared)
}

// execFull runs the statement of a full batch with w.args, straight on the
// driver's connection, inside the transaction: through database/sql, which
// checks and converts each of a batch's thousands of values on every call,
// publishing the 32,000 figures of the OEWS benchmark took 8% longer
// (README, "Ingest performance"). The values are already the driver's
// kinds (appendOwn, appendShared).
func (w *versionWriter) execFull(ctx context.Context, shared bool) error {
	// database/sql rolls the transaction back when ctx ends; a statement
	// run on the connection after that would run outside it. (The drivers
	// also refuse an ended context before they run anything.)
	if err := ctx.Err(); err != nil {
		return err
	}
	w.named = w.named[:0]
	for i, v := range w.args {
		w.named = append(w.named, driver.NamedValue{Ordinal: i + 1, Value: v})
	}
	return w.onConn(func(dc any) error {
		st, err := w.prepared(ctx, dc, shared)
		if err != nil {
			return err
		}
		exec, ok := st.(driver.StmtExecContext)
		if !ok {
			return fmt.Errorf("the database driver cannot run a statement with a context (%T)", st)
		}
		_, err = exec.ExecContext(ctx, w.named)
		return err
	})
}

// onConn runs f on the driver's connection of the open transaction. Raw
// closes a connection whose f panicked or returned driver.ErrBadConn, and
// waits for that until the transaction, which holds the connection, has
// ended: which it never would, since only this goroutine can end it. So f
// does neither here: a broken connection comes back as a plain error (the
// transaction's rollback then discards the connection), and a panic is
// raised again once Raw has returned.
func (w *versionWriter) onConn(f func(dc any) error) error {
	var panicked any
	err := w.conn.Raw(func(dc any) (err error) {
		defer func() {
			if p := recover(); p != nil {
				panicked, err = p, errors.New("panicked")
			}
		}()
		if err = f(dc); errors.Is(err, driver.ErrBadConn) {
			err = fmt.Errorf("the database connection failed: %v", err)
		}
		return err
	})
	if panicked != nil {
		panic(panicked)
	}
	return err
}

// prepared is the statement of a full batch, prepared on first use.
func (w *versionWriter) prepared(ctx context.Context, dc any, shared bool) (driver.Stmt, error) {
	st, query := &w.insertFull, insertSQL(w.d, insertBatch)
	if shared {
		st, query = &w.insertShared, sharedInsertSQL(w.d, insertBatch)
	}
	if *st == nil {
		conn, ok := dc.(driver.ConnPrepareContext)
		if !ok {
			return nil, fmt.Errorf("the database driver cannot prepare a statement with a context (%T)", dc)
		}
		p, err := conn.PrepareContext(ctx, w.d.q(query))
		if err != nil {
			return nil, err
		}
		*st = p
	}
	return *st, nil
}

// sameShared reports whether every row has the first row's shared values.
func sameShared(rows []pendingVersion) bool {
	a := rows[0].o
	for _, r := range rows[1:] {
		b := r.o
		if b.Period != a.Period || b.Text != a.Text || b.Notes != a.Notes || b.Tier != a.Tier ||
			b.SourceName != a.SourceName || b.SourceTitle != a.SourceTitle || b.SourceURL != a.SourceURL ||
			!b.RetrievedAt.Equal(a.RetrievedAt) || b.FileHash != a.FileHash {
			return false
		}
	}
	return true
}

// appendOwn appends a row's own values, in insertColumnList order, as the
// driver's kinds of value (execFull passes them on unconverted).
func appendOwn(args []any, r pendingVersion) []any {
	o := r.o
	var value any // NULL
	if o.Value != nil {
		value = *o.Value
	}
	return append(args, r.key, o.OccupationCode, o.OccupationTitle, o.AreaCode, o.AreaTitle, o.IndustryCode,
		o.IndustryTitle, string(o.Measure), value, string(o.Unit), string(o.Flag))
}

// appendShared appends the values a batch usually shares, in
// insertColumnList order.
func (w *versionWriter) appendShared(args []any, o *Observation) []any {
	return append(args, o.Period, o.Text, o.Notes, string(o.Tier), o.SourceName, o.SourceTitle, o.SourceURL,
		o.RetrievedAt.UTC().Format(time.RFC3339Nano), w.storedHash(o.FileHash), w.snapshotID)
}

// storedHash is the file_hash a version is written with: a pending hash
// (checkPublication lets one through only when the publication settles)
// becomes its reference, formatted once per file, not once a row.
func (w *versionWriter) storedHash(hash string) string {
	if !strings.HasPrefix(hash, pendingPrefix) {
		return hash
	}
	if ref, ok := w.refs[hash]; ok {
		return ref
	}
	ref, _ := hashRef(w.snapshotID, hash)
	w.refs[hash] = ref
	return ref
}

// insertColumnList names the inserted columns: each row's own, then the
// shared ones.
const insertColumnList = `obs_key, occupation_code, occupation_title, area_code, area_title, industry_code, industry_title,
	measure, value, unit, flag,
	period, text_value, notes, tier, source_name, source_title, source_url, retrieved_at, file_hash, first_snapshot`

// insertSQL inserts rows of insertColumns values each.
func insertSQL(d dialect, rows int) string {
	row := "(" + placeholders(insertColumns) + ")"
	return `INSERT` + d.orFail + ` INTO observations (` + insertColumnList + `) VALUES ` + strings.TrimSuffix(strings.Repeat(row+",", rows), ",")
}

// sharedInsertSQL inserts rows whose last sharedColumns values are the
// same: they are bound once, in a one-row subquery joined to every row.
// Parameters stay anonymous ("?"): SQLite looks a numbered one up by a scan
// of the statement's names, which over thousands of them costs more than
// it saves.
func sharedInsertSQL(d dialect, rows int) string {
	row := "(" + placeholders(ownColumns) + ")"
	own := make([]string, ownColumns)
	for i := range own {
		own[i] = fmt.Sprintf("v.column%d", i+1)
	}
	return `INSERT` + d.orFail + ` INTO observations (` + insertColumnList + `) SELECT ` + strings.Join(own, ", ") +
		`, s.* FROM (SELECT ` + placeholders(sharedColumns) + `) AS s, (VALUES ` +
		strings.TrimSuffix(strings.Repeat(row+",", rows), ",") + `) AS v`
}

// close releases the prepared statements.
func (w *versionWriter) close() {
	if w.insertFull == nil && w.insertShared == nil {
		return
	}
	w.onConn(func(any) error { // the driver's statements are closed under the connection's lock
		for _, st := range []driver.Stmt{w.insertFull, w.insertShared} {
			if st != nil {
				st.Close()
			}
		}
		return nil
	})
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
