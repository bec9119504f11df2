package dashboard

import (
	"github.com/labdash/labdash/charts"
	"github.com/labdash/labdash/data"
)

// grid holds a chart's figures by series and category, the one structure
// from which the chart, its table twin and its CSV are all derived, so the
// three cannot disagree.
type grid struct {
	categories []string
	series     []string
	cells      map[[2]int]data.Observation // [series, category]
}

func newGrid(categories, series []string) *grid {
	return &grid{categories: categories, series: series, cells: map[[2]int]data.Observation{}}
}

func (g *grid) set(series, category int, o data.Observation) { g.cells[[2]int{series, category}] = o }

func (g *grid) get(series, category int) (data.Observation, bool) {
	o, ok := g.cells[[2]int{series, category}]
	return o, ok
}

// chartSeries gives the charts package its plain input: a nil value where
// there is no figure or only a flag, so nothing missing is drawn as zero.
func (g *grid) chartSeries() []charts.Series {
	out := make([]charts.Series, len(g.series))
	for s, name := range g.series {
		out[s].Name = name
		for c, cat := range g.categories {
			p := charts.Point{Category: cat}
			if o, ok := g.get(s, c); ok {
				p.Value = o.Value
				p.Flag = pointFlag(o)
			}
			out[s].Points = append(out[s].Points, p)
		}
	}
	return out
}

// pointFlag is the badge a point carries: its marker, else "secondary" for a
// figure read from a third-party page.
func pointFlag(o data.Observation) string {
	if o.Flag != data.FlagNone {
		return string(o.Flag)
	}
	if o.Tier == data.TierSecondary {
		return "secondary"
	}
	return ""
}

// observations lists the figures on the chart in table order.
func (g *grid) observations() []data.Observation {
	var out []data.Observation
	for c := range g.categories {
		for s := range g.series {
			if o, ok := g.get(s, c); ok {
				out = append(out, o)
			}
		}
	}
	return out
}

// table is the chart's twin: one row per category, one column per series.
func (g *grid) table(caption, categoryHeader string) Table {
	t := Table{Caption: caption, CategoryHeader: categoryHeader, Columns: g.series}
	for c, cat := range g.categories {
		row := TableRow{Category: cat}
		for s := range g.series {
			cell := Cell{Text: "—"}
			if o, ok := g.get(s, c); ok {
				o := o
				cell = Cell{Text: FormatValue(o), Observation: &o}
			}
			row.Cells = append(row.Cells, cell)
		}
		t.Rows = append(t.Rows, row)
	}
	return t
}

// Table is the HTML twin of a chart.
type Table struct {
	Caption        string
	CategoryHeader string
	Columns        []string
	Rows           []TableRow
	// Footer rows stand apart from Rows: a reference such as the national
	// figure beside the states', never sorted among them.
	Footer []TableRow
}

// TableRow is one category.
type TableRow struct {
	Category string
	Cells    []Cell
}

// Cell is one figure of the table; Observation is nil for "no figure".
type Cell struct {
	Text        string
	Observation *data.Observation
}

// withoutEmptySeries drops series with no figure, so the legend lists only
// lines the chart draws.
func (g *grid) withoutEmptySeries() *grid {
	var keep []int
	for s := range g.series {
		for c := range g.categories {
			if _, ok := g.get(s, c); ok {
				keep = append(keep, s)
				break
			}
		}
	}
	out := newGrid(g.categories, nil)
	for i, s := range keep {
		out.series = append(out.series, g.series[s])
		for c := range g.categories {
			if o, ok := g.get(s, c); ok {
				out.set(i, c, o)
			}
		}
	}
	return out
}

// trendLine is one series of a chart over periods and the figures it takes.
type trendLine struct {
	name string
	keep func(o data.Observation) bool
}

// codeLine is the line of one occupation code's figures.
func codeLine(name, code string) trendLine {
	return trendLine{name, func(o data.Observation) bool { return o.OccupationCode == code }}
}

// gridOfLines puts each figure on every line that keeps it, in the column
// of its period (periods, shown as labels), keeping the better of two
// figures for one cell, and drops the lines with no figure.
func gridOfLines(labels, periods []string, lines []trendLine, figures []data.Observation) *grid {
	names := make([]string, len(lines))
	for i, l := range lines {
		names[i] = l.name
	}
	g := newGrid(labels, names)
	for _, o := range figures {
		for s, l := range lines {
			if l.keep(o) {
				putBest(g, s, indexOf(periods, o.Period), o)
			}
		}
	}
	return g.withoutEmptySeries()
}
