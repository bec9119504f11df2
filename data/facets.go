package data

import (
	"context"
	"fmt"
)

// Facet is one distinct value of a column in a snapshot, with a title where
// the column has one and the number of observations carrying it.
type Facet struct {
	Value string
	Title string
	Count int
}

// facetColumns are the columns Distinct may list, with their title column.
var facetColumns = map[string]string{
	"occupation_code": "occupation_title",
	"area_code":       "area_title",
	"industry_code":   "industry_title",
	"measure":         "CAST('' AS TEXT)",
	"period":          "CAST('' AS TEXT)",
	"unit":            "CAST('' AS TEXT)",
}

// Distinct lists the distinct values of a column among a snapshot's
// observations that match f, ordered by value. It is how pages offer only
// choices the snapshot can answer.
func (s *Store) Distinct(ctx context.Context, snapshotID int64, column string, f Filter) ([]Facet, error) {
	title, ok := facetColumns[column]
	if !ok {
		return nil, fmt.Errorf("distinct: column %q cannot be listed", column)
	}
	where, args := f.where()
	rows, err := s.read.QueryContext(ctx, s.d.q(distinctQuery(column, title, where)), versionsAtArgs(snapshotID, args...)...)
	if err != nil {
		return nil, fmt.Errorf("distinct %s of snapshot %d: %w", column, snapshotID, err)
	}
	defer rows.Close()
	var out []Facet
	for rows.Next() {
		var fc Facet
		if err := rows.Scan(&fc.Value, &fc.Title, &fc.Count); err != nil {
			return nil, err
		}
		fc.Title = clipString(fc.Title)
		out = append(out, fc)
	}
	return out, rows.Err()
}

// distinctQuery counts a snapshot's figures (versionsAtSQL) that match
// where by the values of column, with the title of each that sorts last.
func distinctQuery(column, title, where string) string {
	return `SELECT ` + column + `, max(` + clipSQL(title) + `), count(*) FROM ` + versionsAtSQL + `
		WHERE TRUE` + where + `
		GROUP BY ` + column + ` ORDER BY ` + column
}
