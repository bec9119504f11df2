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

// EachObservation streams the observations of a snapshot that match f, in a
// stable order, without holding them all in memory.
func (s *Store) EachObservation(ctx context.Context, snapshotID int64, f Filter, fn func(Observation) error) error {
	where, args := f.where()
	query := `SELECT ` + servedObservationColumns + ` FROM observations
		WHERE first_snapshot <= ? AND (superseded_by IS NULL OR superseded_by > ?)` + where + `
		ORDER BY occupation_code, measure, area_code, industry_code, industry_title, period`
	rows, err := s.read.QueryContext(ctx, s.d.q(query), append([]any{snapshotID, snapshotID}, args...)...)
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
