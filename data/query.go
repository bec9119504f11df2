package data

import (
	"context"
	"fmt"
	"strings"
)

// Filter narrows a snapshot's observations; an empty field matches all.
type Filter struct {
	Occupations []string
	Areas       []string
	Industries  []string // industry codes; "" selects cross-industry figures
	Measures    []Measure
	Periods     []string
}

func (f Filter) where() (string, []any) {
	var (
		parts []string
		args  []any
	)
	add := func(column string, values []string) {
		if len(values) == 0 {
			return
		}
		parts = append(parts, column+" IN ("+strings.TrimSuffix(strings.Repeat("?,", len(values)), ",")+")")
		for _, v := range values {
			args = append(args, v)
		}
	}
	add("occupation_code", f.Occupations)
	add("area_code", f.Areas)
	add("industry_code", f.Industries)
	add("measure", measureStrings(f.Measures))
	add("period", f.Periods)
	if len(parts) == 0 {
		return "", nil
	}
	return " AND " + strings.Join(parts, " AND "), args
}

// versionsAtSQL is what a query of one snapshot's figures reads FROM, in
// place of the observations table, under the same name: the versions valid
// at that snapshot (versionsAtArgs binds its id). They are the live versions
// the snapshot already had, read through the partial index
// observations_live, and the versions superseded after it, found by
// observations_superseded: so reading the latest snapshot costs its own
// figures, however many older versions the store keeps. The plain condition
// (first_snapshot <= id AND (superseded_by IS NULL OR superseded_by > id))
// can use neither index and reads every version.
const versionsAtSQL = `(SELECT * FROM observations WHERE superseded_by IS NULL AND first_snapshot <= ?
	UNION ALL SELECT * FROM observations WHERE superseded_by > ? AND first_snapshot <= ?) AS observations`

// versionsAtArgs binds versionsAtSQL to a snapshot, followed by the
// query's other arguments.
func versionsAtArgs(snapshotID int64, more ...any) []any {
	return append([]any{snapshotID, snapshotID, snapshotID}, more...)
}

// EachObservation streams the observations of a snapshot that match f, in a
// stable order, without holding them all in memory.
func (s *Store) EachObservation(ctx context.Context, snapshotID int64, f Filter, fn func(Observation) error) error {
	where, args := f.where()
	rows, err := s.read.QueryContext(ctx, s.d.q(observationsQuery(where)), versionsAtArgs(snapshotID, args...)...)
	if err != nil {
		return fmt.Errorf("observations of snapshot %d: %w", snapshotID, err)
	}
	defer rows.Close()
	for rows.Next() {
		o, err := scanServedObservation(rows)
		if err != nil {
			return fmt.Errorf("observations of snapshot %d: %w", snapshotID, err)
		}
		if err := fn(o); err != nil {
			return err
		}
	}
	return rows.Err()
}

// observationsQuery selects a snapshot's figures (versionsAtSQL) that
// match where (Filter.where), in EachObservation's order. The first sort
// key is occupation_code joined to an empty string (the same order) so
// that no index can give that order: SQLite would otherwise read the live
// versions in occupation_code order through observations_versions, an
// index of every version, rather than through observations_live, then sort.
func observationsQuery(where string) string {
	return `SELECT ` + servedObservationColumns + ` FROM ` + versionsAtSQL + `
		WHERE TRUE` + where + `
		ORDER BY occupation_code || '', measure, area_code, industry_code, industry_title, period`
}

// Observations returns the observations of a snapshot that match f.
func (s *Store) Observations(ctx context.Context, snapshotID int64, f Filter) ([]Observation, error) {
	var out []Observation
	err := s.EachObservation(ctx, snapshotID, f, func(o Observation) error {
		out = append(out, o)
		return nil
	})
	return out, err
}

func measureStrings(ms []Measure) []string {
	out := make([]string, len(ms))
	for i, m := range ms {
		out[i] = string(m)
	}
	return out
}
