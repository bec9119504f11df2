package dashboard

import (
	"github.com/labdash/labdash/charts"
	"github.com/labdash/labdash/data"
)

// projectionLines are the occupations drawn on the projections chart, with
// legend names short enough for a phone.
var projectionLines = []trendLine{
	codeLine("Technologists and technicians (29-2010)", data.CodeClinicalLabEP),
	codeLine("Technologists (29-2011)", data.CodeLabTechnologists),
	codeLine("Technicians (29-2012)", data.CodeLabTechnicians),
	codeLine("Phlebotomists (31-9097)", data.CodePhlebotomists),
}

// Projections builds projected ten-year growth by Employment Projections
// edition, one bar per occupation: how the outlook was revised.
func Projections(id string, obs []data.Observation) (Block, error) {
	heading := "Projected growth by edition"
	growth := selectObs(obs, func(o data.Observation) bool {
		return o.Measure == data.MeasureProjectedGrowthPct && isNational(o) && periodKind(o.Period) == data.PeriodProjection
	})
	editions := sortedPeriods(growth)
	labels := shortPeriods(editions)
	g := gridOfLines(labels, editions, projectionLines, growth)
	if len(g.cells) == 0 {
		return emptyBlock(id, heading, "This snapshot has no projected growth figures."), nil
	}
	spec := charts.Spec{
		ID:       id,
		Title:    "Projected employment growth over ten years",
		Subtitle: "United States, Employment Projections editions " + labels[0] + " to " + labels[len(labels)-1],
		Unit:     data.MeasureProjectedGrowthPct.Unit().Label(),
		Source:   sourceLine(g.observations()),
	}
	chart, err := charts.Projections(spec, labels, g.chartSeries())
	if err != nil {
		return Block{}, chartError(id, err)
	}
	return Block{
		ID: id, Heading: heading, Chart: chart,
		Table:        g.table("Projected percent change in employment over each edition's decade", "Edition"),
		Observations: g.observations(),
		Summary:      g.summary(true),
		Caveats: []string{
			"Each edition is a separate projection made that year; a later edition revises, not continues, the earlier ones.",
			"Projected employment includes the self-employed, so it differs from OEWS employment.",
		},
	}, nil
}
