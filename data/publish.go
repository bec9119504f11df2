package data

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"hash/maphash"
	"strings"
	"time"
)

// ErrNothingChanged is returned by Publish when the publication would produce
// a snapshot identical to the latest one; nothing is written.
var ErrNothingChanged = errors.New("nothing changed since the latest snapshot")

// Publication is what a run wants to publish: the figures its sources now
// give (new keys are added, changed ones revise the live version, identical
// ones cost nothing) and keys to withdraw.
type Publication struct {
	Label        string
	Sources      []SourceInfo
	Observations []Observation
	Remove       []Key
	// SourceStates are saved in the same transaction as the snapshot, so a
	// file is remembered as read only when its figures were published.
	SourceStates []SourceState
	// More, when set, gives figures after Observations, one at a time, as
	// its caller reads them from a file: the store writes them while the
	// reading goes on. put checks and writes one; More returns the first
	// error put gave, or its own, and any error rolls everything back.
	// Their occupations are read as they first come.
	More func(put func(*Observation) error) error
	// Settle, when set, is called once the figures are written and before
	// the commit: the caller started publishing before the hashes of its
	// files were known, so that writing overlaps hashing. Figures whose
	// FileHash is a PendingHash are stored with a reference to the hash,
	// which Settle gives. An error rolls everything back and is returned;
	// nothing is published.
	Settle func() (Settled, error)
}

// Settled is what a publication learns when it settles: the file hash of
// each PendingHash its figures carried, and the final sources and file
// states, which replace the publication's.
type Settled struct {
	FileHashes   map[string]string // PendingHash → hash
	Sources      []SourceInfo
	SourceStates []SourceState
}

// Publish writes a new snapshot in one transaction: the previous latest
// snapshot plus the publication. Readers see either all of it or none. When
// nothing would change it returns the latest snapshot and ErrNothingChanged.
func (s *Store) Publish(ctx context.Context, p Publication) (Snapshot, error) {
	if s.readOnly {
		return Snapshot{}, ErrReadOnly
	}
	if err := checkPublication(p); err != nil {
		return Snapshot{}, err
	}
	// One connection, held for the publication: the version writer runs
	// its batches on it directly (versionWriter.execFull).
	conn, err := s.write.Conn(ctx)
	if err != nil {
		return Snapshot{}, fmt.Errorf("publish: %w", err)
	}
	defer conn.Close()
	tx, err := conn.BeginTx(ctx, nil)
	if err != nil {
		return Snapshot{}, fmt.Errorf("publish: %w", err)
	}
	defer tx.Rollback()
	if s.d.publishLock != "" {
		if _, err := tx.ExecContext(ctx, s.d.publishLock); err != nil {
			return Snapshot{}, fmt.Errorf("publish: %w", err)
		}
	}

	var prevCount int
	err = tx.QueryRowContext(ctx, `SELECT observation_count FROM snapshots ORDER BY id DESC LIMIT 1`).Scan(&prevCount)
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return Snapshot{}, fmt.Errorf("publish: %w", err)
	}
	snap := Snapshot{CreatedAt: s.now().UTC().Truncate(time.Millisecond), Label: p.Label, Sources: p.Sources}
	if snap.ID, err = s.insertSnapshot(ctx, tx, snap); err != nil {
		return Snapshot{}, fmt.Errorf("publish: %w", err)
	}
	w, err := newVersionWriter(ctx, s.d, conn, tx, snap.ID, p.occupations())
	if err != nil {
		return Snapshot{}, fmt.Errorf("publish: %w", err)
	}
	defer w.close()
	for i := range p.Observations {
		if err := w.put(ctx, &p.Observations[i]); err != nil {
			return Snapshot{}, fmt.Errorf("publish %s: %w", p.Observations[i].Key(), err)
		}
	}
	if p.More != nil {
		for i := range p.Observations { // a key both give is refused as twice
			w.noteMore(p.Observations[i].Key().String())
		}
		if err := p.More(func(o *Observation) error { return w.putMore(ctx, o, p.Settle != nil) }); err != nil {
			return Snapshot{}, err
		}
	}
	for _, k := range p.Remove {
		if err := w.remove(ctx, k); err != nil {
			return Snapshot{}, fmt.Errorf("publish: remove %s: %w", k, err)
		}
	}
	if err := w.flush(ctx, true); err != nil {
		return Snapshot{}, fmt.Errorf("publish: %w", err)
	}
	snap.Added, snap.Revised, snap.Removed = w.added, w.revised, w.removed
	if p.Settle != nil {
		if err := s.settle(ctx, tx, &p, &snap); err != nil {
			return Snapshot{}, err
		}
	}
	if snap.Added+snap.Revised+snap.Removed == 0 {
		latest, err := s.LatestSnapshot(ctx)
		if err != nil {
			return Snapshot{}, err
		}
		return latest, ErrNothingChanged
	}
	snap.ObservationCount = prevCount + snap.Added - snap.Removed
	if err := saveSourceStates(ctx, s.d, tx, p.SourceStates); err != nil {
		return Snapshot{}, fmt.Errorf("publish: %w", err)
	}
	if _, err := tx.ExecContext(ctx, s.d.q(`UPDATE snapshots SET sources_json = ?, observation_count = ?, added = ?, revised = ?, removed = ? WHERE id = ?`),
		sourcesJSON(snap.Sources), snap.ObservationCount, snap.Added, snap.Revised, snap.Removed, snap.ID); err != nil {
		return Snapshot{}, fmt.Errorf("publish: %w", err)
	}
	if err := tx.Commit(); err != nil {
		return Snapshot{}, fmt.Errorf("publish: commit: %w", err)
	}
	return snap, nil
}

// checkPublication refuses input the store cannot keep honestly: a key
// twice, an unknown flag or tier, a number and a flag at once. Text is left
// to Check, which every format runs on each figure it keeps: a store written
// before the text limits may hold longer or invalid text, which pages and
// exports clip and repair when they read it (served.go), and tests of that
// stand such a store up through Publish.
func checkPublication(p Publication) error {
	seen := keySet{seed: maphash.MakeSeed(), first: make(map[uint64]int32, len(p.Observations)+len(p.Remove)),
		keyAt: func(i int32) Key {
			if int(i) < len(p.Remove) {
				return p.Remove[i]
			}
			return p.Observations[int(i)-len(p.Remove)].Key()
		}}
	for i, k := range p.Remove {
		if seen.add(k, int32(i)) {
			return fmt.Errorf("publish: key %s is removed twice", k)
		}
	}
	for i, o := range p.Observations {
		k := o.Key()
		if seen.add(k, int32(len(p.Remove)+i)) {
			return fmt.Errorf("publish: key %s appears twice (or is also removed)", k)
		}
		if err := o.checkPublishable(k, p.Settle != nil); err != nil {
			return err
		}
	}
	return nil
}

// checkPublishable checks one figure of a publication, keyed k: what it
// says (checkFigure), and that a pending file hash has a Settle to end it.
func (o Observation) checkPublishable(k Key, settles bool) error {
	if err := o.checkFigure(); err != nil {
		return fmt.Errorf("publish: %s: %w", k, err)
	}
	if !settles && strings.HasPrefix(o.FileHash, pendingPrefix) {
		return fmt.Errorf("publish: %s: a pending file hash, and nothing to settle it", k)
	}
	return nil
}

// keySet remembers keys by a 64-bit hash and where the first key of that
// hash is, not by the keys themselves: a large publication holds tens of
// thousands, and their strings five times over. Keys whose hash an earlier,
// different key had are kept whole, which almost never happens.
type keySet struct {
	seed   maphash.Seed
	first  map[uint64]int32
	keyAt  func(int32) Key
	shared map[Key]struct{}
}

// add records k, found at i, and reports whether it was there already.
func (s *keySet) add(k Key, i int32) bool {
	h := maphash.Comparable(s.seed, k)
	j, taken := s.first[h]
	switch {
	case !taken:
		s.first[h] = i
		return false
	case s.keyAt(j) == k:
		return true
	}
	if s.shared == nil {
		s.shared = map[Key]struct{}{}
	}
	_, dup := s.shared[k]
	s.shared[k] = struct{}{}
	return dup
}

// Check reports what makes an observation unfit to store: its text first
// (CheckFields: UTF-8, within the limits), so that no message quotes a
// field of megabytes, then its figure.
func (o Observation) Check() error {
	if err := o.CheckFields(); err != nil {
		return err
	}
	return o.checkFigure()
}

// checkFigure checks what an observation says: its key, flag, tier, value
// and period.
func (o Observation) checkFigure() error {
	switch {
	case o.OccupationCode == "" || o.AreaCode == "" || o.Measure == "" || o.Period == "":
		return errors.New("occupation, area, measure and period are required")
	case !o.Flag.Valid():
		return fmt.Errorf("unknown flag %q", o.Flag)
	case !o.Tier.Valid():
		return fmt.Errorf("unknown tier %q", o.Tier)
	case o.Value != nil && o.Flag != FlagNone && o.Flag != FlagTopCoded:
		return fmt.Errorf("a value and the flag %q at once", o.Flag)
	case o.Value == nil && o.Flag == FlagNone && !o.IsText():
		return errors.New("no value and no flag")
	}
	if _, err := ParsePeriod(o.Period); err != nil {
		return err
	}
	return nil
}

// settle waits for what the publication did not know when it began, inside
// its transaction: an error from p.Settle rolls back every row written so
// far. Each pending hash is then written once, under the reference its
// figures were stored with.
func (s *Store) settle(ctx context.Context, tx *sql.Tx, p *Publication, snap *Snapshot) error {
	settled, err := p.Settle()
	if err != nil {
		return err
	}
	for pending, hash := range settled.FileHashes {
		ref, ok := hashRef(snap.ID, pending)
		if !ok {
			return fmt.Errorf("publish: %q is not a pending hash", pending)
		}
		if _, err := tx.ExecContext(ctx, s.d.q(`INSERT INTO file_hashes (ref, hash) VALUES (?, ?)`), ref, hash); err != nil {
			return fmt.Errorf("publish: %w", err)
		}
	}
	p.SourceStates, snap.Sources = settled.SourceStates, settled.Sources
	return nil
}

// sourcesJSON is the stored form of a snapshot's sources: never null.
func sourcesJSON(sources []SourceInfo) string {
	if sources == nil {
		return "[]"
	}
	b, err := json.Marshal(sources)
	if err != nil { // SourceInfo holds strings, a time and an int
		panic(err)
	}
	return string(b)
}

func (s *Store) insertSnapshot(ctx context.Context, tx *sql.Tx, snap Snapshot) (int64, error) {
	sources := sourcesJSON(snap.Sources)
	// The id is the next number, chosen here rather than by a PostgreSQL
	// sequence: a publication that changes nothing rolls back, and a
	// sequence would still have spent its number, leaving gaps in the
	// snapshot numbers people cite. Publishing transactions are serialised
	// (see dialect.publishLock), so max+1 cannot be taken twice.
	var id int64
	if err := tx.QueryRowContext(ctx, `SELECT coalesce(max(id), 0) + 1 FROM snapshots`).Scan(&id); err != nil {
		return 0, err
	}
	_, err := tx.ExecContext(ctx, s.d.q(`INSERT INTO snapshots (id, created_at, label, sources_json, observation_count, added, revised, removed)
		VALUES (?, ?, ?, ?, 0, 0, 0, 0)`), id, snap.CreatedAt.Format(time.RFC3339Nano), snap.Label, sources)
	return id, err
}

// occupations lists the distinct occupation codes a publication touches.
func (p Publication) occupations() []string {
	seen := map[string]bool{}
	var out []string
	for _, o := range p.Observations {
		if !seen[o.OccupationCode] {
			seen[o.OccupationCode] = true
			out = append(out, o.OccupationCode)
		}
	}
	for _, k := range p.Remove {
		if !seen[k.Occupation] {
			seen[k.Occupation] = true
			out = append(out, k.Occupation)
		}
	}
	return out
}
