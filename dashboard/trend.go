package dashboard

import (
	"fmt"

	"github.com/labdash/labdash/charts"
	"github.com/labdash/labdash/data"
)

// trendLine is one series of the wage trend and the figures it takes.
type trendLine struct {
	name string
	keep func(o data.Observation, p data.Period) bool
}

// WageTrend builds the national median annual wage over the years. The
// clinical-lab family is split at the SOC 2018 change: the combined figures
// before it, the combined figures after it, and technologists and technicians
// on their own, so no line joins figures across the break.
func WageTrend(id string, obs []data.Observation) Block {
	heading := "Median annual wage over the years"
	combined := func(o data.Observation) bool {
		return o.OccupationCode == data.CodeClinicalLabEP || o.OccupationCode == data.CodeClinicalLabOEWS
	}
	lines := []trendLine{
		{"Technologists and technicians, combined (before SOC 2018)", func(o data.Observation, p data.Period) bool {
			return combined(o) && p.StartYear < data.ClassificationBreakYear
		}},
		{"Technologists and technicians (29-2018, May 2019 on)", func(o data.Observation, p data.Period) bool {
			return combined(o) && p.StartYear >= data.ClassificationBreakYear
		}},
		{"Technologists (29-2011)", func(o data.Observation, _ data.Period) bool { return o.OccupationCode == data.CodeLabTechnologists }},
		{"Technicians (29-2012)", func(o data.Observation, _ data.Period) bool { return o.OccupationCode == data.CodeLabTechnicians }},
		{"Phlebotomists (31-9097)", func(o data.Observation, _ data.Period) bool { return o.OccupationCode == data.CodePhlebotomists }},
	}
	wages := selectObs(obs, func(o data.Observation) bool {
		return o.Measure == "median_annual_wage" && isNational(o) && periodKind(o.Period) == data.PeriodOEWS
	})
	var g *grid
	periods := sortedPeriods(wages)
	names := make([]string, len(lines))
	for i, l := range lines {
		names[i] = l.name
	}
	g = newGrid(periods, names)
	for _, o := range wages {
		p, _ := data.ParsePeriod(o.Period)
		for s, l := range lines {
			if l.keep(o, p) {
				putBest(g, s, indexOf(periods, o.Period), o)
			}
		}
	}
	g = g.withoutEmptySeries()
	if len(g.cells) == 0 {
		return emptyBlock(id, heading, "This snapshot has no national median annual wages.")
	}
	breakAt := ""
	for _, p := range periods {
		if pp, _ := data.ParsePeriod(p); pp.StartYear >= data.ClassificationBreakYear {
			breakAt = p
			break
		}
	}
	spec := charts.Spec{
		ID:       id,
		Title:    "Median annual wage",
		Subtitle: fmt.Sprintf("United States, %s to %s", periods[0], periods[len(periods)-1]),
		Unit:     "USD per year",
		Source:   sourceLine(g.observations()),
	}
	chart, err := charts.WageTrend(spec, periods, g.chartSeries(), breakAt, "SOC 2018: 29-2011 + 29-2012 → 29-2018")
	if err != nil {
		return emptyBlock(id, heading, "The wage trend could not be built: "+err.Error())
	}
	return Block{
		ID: id, Heading: heading, Chart: chart,
		Table:        g.table("National median annual wage by year (not adjusted for inflation)", "Period"),
		Observations: g.observations(),
		Summary:      g.summary(true),
		Caveats: []string{
			"BLS: OEWS estimates are not designed for comparisons over time; changes between years can reflect changes in method, classification and sample, not only in pay.",
			"From May 2019 OEWS combines technologists (29-2011) and technicians (29-2012) as 29-2018. Earlier combined figures come from the Occupational Outlook Handbook; the lines are not joined across the change.",
			"Wages are in current dollars, not adjusted for inflation.",
		},
	}
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
