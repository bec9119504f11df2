package dashboard

import (
	"cmp"
	"fmt"
	"sort"

	"github.com/labdash/labdash/charts"
	"github.com/labdash/labdash/cite"
	"github.com/labdash/labdash/data"
)

// Block is one chart with its table twin and the exact observations behind
// both. Empty is set, and Chart left zero, when the snapshot has no figures
// for it: the page then says so in words.
type Block struct {
	ID           string
	Heading      string
	Chart        charts.Chart
	Table        Table
	Observations []data.Observation
	Caveats      []string
	Summary      string // one sentence: largest, smallest, change
	Empty        string
}

// HasChart reports whether the block has something to draw. A block may
// also be a table alone (a zero Chart with Table rows).
func (b Block) HasChart() bool { return b.Empty == "" && b.Chart.Options != nil }

// HasTable reports whether the block has a table to show.
func (b Block) HasTable() bool { return len(b.Table.Rows) > 0 }

// sourceLine says what a block's figures came from, computed from them
// (cite.SourceLine): the BLS programs and releases, and how many figures
// came through something other than BLS itself.
func sourceLine(obs []data.Observation) string { return cite.SourceLine(obs) }

// blocks collects a page's blocks in order and keeps the first error of a
// block builder, so a page lists its builders as plainly as a slice literal.
type blocks struct {
	list []Block
	err  error
}

func (bs *blocks) add(b Block, err error) {
	if err != nil {
		bs.err = cmp.Or(bs.err, err)
		return
	}
	bs.list = append(bs.list, b)
}

// chartError is a chart that could not be built from figures the page
// chose: a fault in labdash, never a property of the data (a builder says
// in words when the snapshot has nothing to draw). The page is not built:
// the server logs the error and answers 500, and no page carrying it is
// cached.
func chartError(id string, err error) error {
	return fmt.Errorf("building chart %s: %w", id, err)
}

func emptyBlock(id, heading, why string) Block {
	return Block{ID: id, Heading: heading, Empty: why}
}

// selectObs returns the observations that satisfy keep.
func selectObs(obs []data.Observation, keep func(data.Observation) bool) []data.Observation {
	var out []data.Observation
	for _, o := range obs {
		if keep(o) {
			out = append(out, o)
		}
	}
	return out
}

// sortedPeriods returns the distinct periods of obs in time order.
func sortedPeriods(obs []data.Observation) []string {
	seen := map[string]bool{}
	var out []string
	for _, o := range obs {
		if !seen[o.Period] {
			seen[o.Period] = true
			out = append(out, o.Period)
		}
	}
	sort.Slice(out, func(i, j int) bool { return data.PeriodLess(out[i], out[j]) })
	return out
}

// shortPeriods writes periods the way BLS does, for chart axes: "2024-34".
func shortPeriods(periods []string) []string {
	out := make([]string, len(periods))
	for i, p := range periods {
		out[i] = data.ShortPeriod(p)
	}
	return out
}

func indexOf(list []string, s string) int {
	for i, v := range list {
		if v == s {
			return i
		}
	}
	return -1
}

// putBest stores o in the grid unless a better figure for the same cell is
// already there (latest-best rules: better tier, then code order).
func putBest(g *grid, s, c int, o data.Observation) {
	if old, ok := g.get(s, c); ok && !better(o, old) {
		return
	}
	g.set(s, c, o)
}
