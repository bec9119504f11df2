package data

import (
	"context"
	"fmt"
)

// Change kinds.
const (
	ChangeAdded   = "added"
	ChangeRevised = "revised"
	ChangeRemoved = "removed"
)

// Change is one key that differs between two snapshots.
type Change struct {
	Kind string
	Old  *Observation // nil when added
	New  *Observation // nil when removed
}

// Observation returns the newer side, or the removed one.
func (c Change) Observation() Observation {
	if c.New != nil {
		return *c.New
	}
	return *c.Old
}

// Diff lists what differs between snapshot from and snapshot to, ordered by
// key. It reads only the versions valid at exactly one of the two, so it
// costs what changed, not the size of the snapshots.
func (s *Store) Diff(ctx context.Context, from, to int64) ([]Change, error) {
	for _, id := range []int64{from, to} {
		if _, err := s.Snapshot(ctx, id); err != nil {
			return nil, err
		}
	}
	validAt := func(n int) string {
		return fmt.Sprintf("(first_snapshot <= ?%d AND (superseded_by IS NULL OR superseded_by > ?%d))", n, n)
	}
	query := `SELECT obs_key, ` + validAt(1) + `, ` + servedObservationColumns + ` FROM observations
		WHERE ` + validAt(1) + ` != ` + validAt(2) + ` ORDER BY obs_key, first_snapshot`
	rows, err := s.read.QueryContext(ctx, s.d.q(query), from, to)
	if err != nil {
		return nil, fmt.Errorf("diff %d..%d: %w", from, to, err)
	}
	defer rows.Close()
	var (
		out     []Change
		lastKey string
	)
	for rows.Next() {
		var (
			key   string
			inOld bool
		)
		o, err := scanServedObservation(prefixScanner{rows, []any{&key, &inOld}})
		if err != nil {
			return nil, err
		}
		if key == lastKey && len(out) > 0 {
			// The key's other version: the pair is a revision.
			c := &out[len(out)-1]
			if inOld {
				c.Old = &o
			} else {
				c.New = &o
			}
			c.Kind = ChangeRevised
			if c.Old.SameFigure(*c.New) {
				// Changed and changed back between the two snapshots.
				out = out[:len(out)-1]
			}
			continue
		}
		lastKey = key
		if inOld {
			out = append(out, Change{Kind: ChangeRemoved, Old: &o})
		} else {
			out = append(out, Change{Kind: ChangeAdded, New: &o})
		}
	}
	return out, rows.Err()
}

// prefixScanner scans leading columns into extra destinations, then the rest.
type prefixScanner struct {
	row   interface{ Scan(...any) error }
	extra []any
}

func (p prefixScanner) Scan(dest ...any) error {
	return p.row.Scan(append(append([]any{}, p.extra...), dest...)...)
}
