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

// figuresSentence is "3,474 figures: 3,218 read from BLS files (120 of them
// from a BLS workbook re-saved by a third party) and 256 from a list of
// figures read on web pages (235 of them on third-party pages quoting BLS)."
func figuresSentence(t data.OriginTally) string {
	n := func(v int) string { return data.GroupThousands(float64(v), 0) }
	s := fmt.Sprintf("%s figures", n(t.Total))
	var parts []string
	if t.FromFile > 0 {
		p := n(t.FromFile) + " read from BLS files"
		if t.Resaved > 0 {
			p += fmt.Sprintf(" (%s of them from a BLS workbook re-saved by a third party)", n(t.Resaved))
		}
		parts = append(parts, p)
	}
	if t.Listed > 0 {
		p := n(t.Listed) + " from a list of figures people read on web pages or copied from labdash"
		if sec := t.ByTier[data.TierSecondary]; sec > 0 {
			p += fmt.Sprintf(" (%s of them on third-party pages quoting BLS)", n(sec))
		}
		parts = append(parts, p)
	}
	if other := t.Total - t.FromFile - t.Listed; other > 0 {
		parts = append(parts, n(other)+" from other sources, each with its tier")
	}
	if len(parts) > 0 {
		s += ": " + strings.Join(parts, " and ")
	}
	return s + "."
}
