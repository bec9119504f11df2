package web

import (
	"context"
	"fmt"
	"strings"

	"github.com/labdash/labdash/data"
)

// snapshotFigures says, in the snapshot bar, how many figures the snapshot
// holds (the count /snapshots shows) and where they were read, computed
// from the figures themselves.
func (s *Server) snapshotFigures(ctx context.Context, snap data.Snapshot) (string, error) {
	counts, err := s.store.FigureCounts(ctx, snap.ID)
	if err != nil {
		return "", err
	}
	return figuresSentence(snap.Origins.Tally(counts)), nil
}

// figuresSentence is "3,474 figures: 3,200 read from BLS files (120 of
// them from a BLS workbook re-saved by a third party) and 274 from
// labdash's reference list of figures read on web pages (235 of them on
// third-party pages quoting BLS)."
func figuresSentence(t data.OriginTally) string {
	count := func(v int) string { return data.GroupThousands(float64(v), 0) }
	var parts []string
	if t.FromFile > 0 {
		p := count(t.FromFile) + " read from BLS files"
		if t.Resaved > 0 {
			p += fmt.Sprintf(" (%s of them from a BLS workbook re-saved by a third party)", count(t.Resaved))
		}
		parts = append(parts, p)
	}
	if listed := t.ByList[data.FormatReferenceList]; listed > 0 {
		p := count(listed) + " from labdash's reference list of figures read on web pages"
		if secondary := t.ListedBy[data.TierSecondary]; secondary > 0 {
			p += fmt.Sprintf(" (%s of them on third-party pages quoting BLS)", count(secondary))
		}
		parts = append(parts, p)
	}
	if copied := t.ByList[data.FormatLabdashCSV]; copied > 0 {
		parts = append(parts, count(copied)+" re-imported from a labdash export, each with the tier it had there")
	}
	if other := t.Total - t.FromFile - t.Listed; other > 0 {
		parts = append(parts, count(other)+" from other sources, each with its tier")
	}
	s := count(t.Total) + " figures"
	if len(parts) > 0 {
		s += ": " + strings.Join(parts, " and ")
	}
	return s + "."
}
