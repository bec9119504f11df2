package dashboard

import (
	"fmt"
	"strings"

	"github.com/labdash/labdash/data"
)

// summary writes the one-sentence text twin of a chart: its largest and
// smallest figure and, when the categories are periods, the change of the
// first series from its first to its last figure.
func (g *grid) summary(timeAxis bool) string {
	var largest, smallest *cellRef
	for s := range g.series {
		for c := range g.categories {
			o, ok := g.get(s, c)
			if !ok || o.Value == nil {
				continue
			}
			ref := &cellRef{s: s, c: c, o: o}
			if largest == nil || *o.Value > *largest.o.Value {
				largest = ref
			}
			if smallest == nil || *o.Value < *smallest.o.Value {
				smallest = ref
			}
		}
	}
	if largest == nil {
		return "The chart has no figures to draw."
	}
	parts := []string{"Largest: " + g.describe(largest), "smallest: " + g.describe(smallest)}
	if timeAxis {
		if change := g.seriesChange(); change != "" {
			parts = append(parts, change)
		}
	}
	return strings.Join(parts, "; ") + "."
}

type cellRef struct {
	s, c int
	o    data.Observation
}

func (g *grid) describe(r *cellRef) string {
	where := g.categories[r.c]
	if len(g.series) > 1 {
		where = g.series[r.s] + ", " + where
	}
	return fmt.Sprintf("%s (%s)", FormatValue(r.o), where)
}

// seriesChange describes, for each series with two or more figures, its
// first and last figure.
func (g *grid) seriesChange() string {
	var out []string
	for s, name := range g.series {
		var first, last *data.Observation
		var firstCat, lastCat string
		for c, cat := range g.categories {
			if o, ok := g.get(s, c); ok && o.Value != nil {
				o := o
				if first == nil {
					first, firstCat = &o, cat
				}
				last, lastCat = &o, cat
			}
		}
		if first != nil && firstCat != lastCat {
			out = append(out, fmt.Sprintf("%s went from %s in %s to %s in %s", name, FormatValue(*first), firstCat, FormatValue(*last), lastCat))
		}
	}
	return strings.Join(out, "; ")
}
