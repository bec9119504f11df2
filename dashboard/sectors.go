package dashboard

import (
	"fmt"
	"regexp"
	"slices"
	"strings"

	"github.com/labdash/labdash/charts"
	"github.com/labdash/labdash/data"
)

// sectorCode is a NAICS sector as OEWS's sector release codes it: two
// digits, or a range of two ("31-33"); 99 is OEWS's government designation.
var sectorCode = regexp.MustCompile(`^\d\d(-\d\d)?$`)

// isSector reports whether o is a figure of a whole industry sector.
func isSector(o data.Observation) bool { return sectorCode.MatchString(o.IndustryCode) }

// sectorMetric is one chart of a measure by industry sector.
type sectorMetric struct {
	id, heading string
	measure     data.Measure
	title       string // %[1]s the occupation's name, %[2]s its possessive, %[3]s its code
}

// sectorMetrics are the sector charts of the work-settings page, by the
// page's measure choice.
var sectorMetrics = map[string]sectorMetric{
	"share": {id: "sector-jobs", heading: "Jobs by industry sector", measure: data.MeasureEmployment,
		title: "Employment of %[1]s (%[3]s) by sector"},
	"wage": {id: "sector-wages", heading: "Median annual wage by industry sector", measure: data.MeasureMedianAnnualWage,
		title: "Median annual wage of %[1]s (%[3]s) by sector"},
}

// sectorBlock charts one measure of the occupation of code by NAICS sector,
// in one OEWS release (the latest with sector figures), one bar per
// sector, with the occupation's figure for all industries of the same
// release beside them in the caveats. Figures under another code of the
// same occupation count from the classification change on
// (data.Family.CountsFor).
func sectorBlock(m sectorMetric, code, title string, codes []string, obs []data.Observation) (Block, error) {
	family := data.OccupationFamily(code)
	mine := selectObs(obs, func(o data.Observation) bool {
		return slices.Contains(codes, o.OccupationCode) && family.CountsFor(code, o) && o.Measure == m.measure &&
			o.AreaCode == data.NationalAreaCode && periodKind(o.Period) == data.PeriodOEWS
	})
	sectors := selectObs(mine, isSector)
	if len(sectors) == 0 {
		return emptyBlock(m.id, m.heading, fmt.Sprintf("This snapshot has no OEWS %s figures by industry sector for %s (%s); "+
			"BLS publishes them in its national sector release (natsector).", m.measure.LowerLabel(), lowerFirst(title), code)), nil
	}
	periods := sortedPeriods(sectors)
	release := periods[len(periods)-1]
	sectors = selectObs(sectors, func(o data.Observation) bool { return o.Period == release })
	var places []string
	for _, o := range sectors {
		if name := sectorName(o); !slices.Contains(places, name) {
			places = append(places, name)
		}
	}
	g := newGrid(places, []string{m.measure.Label() + ", " + release})
	for _, o := range sectors {
		putBest(g, 0, indexOf(places, sectorName(o)), o)
	}
	spec := chartsSpec(m.id, fmt.Sprintf(m.title, lowerFirst(title), possessive(title), code),
		"United States, NAICS sectors, OEWS "+release, m.measure.Unit().Label(), g)
	chart, err := charts.Ranking(spec, g.chartSeries()[0])
	if err != nil {
		return Block{}, chartError(m.id, err)
	}
	caveats := []string{"OEWS counts wage and salary jobs; the self-employed are not included. BLS lists only the sectors with enough " +
		"jobs in the occupation to publish; sector 99 is OEWS's federal, state and local government (without state and local schools and hospitals)."}
	if all, ok := latestBest(selectObs(mine, func(o data.Observation) bool { return o.CrossIndustry() && o.Period == release })); ok {
		caveats = append([]string{fmt.Sprintf("All industries, the same release: %s (%s, %s).",
			FormatValue(all), all.OccupationCode, release)}, caveats...)
	}
	return Block{
		ID: m.id, Heading: m.heading, Chart: chart,
		Table:        g.table(fmt.Sprintf("%s of %s (%s) by industry sector, United States, OEWS %s", m.measure.Label(), lowerFirst(title), code, release), "Sector"),
		Observations: g.observations(),
		Summary:      g.summary(false),
		Caveats:      caveats,
	}, nil
}

// sectorName is a sector's title with its NAICS code.
func sectorName(o data.Observation) string {
	t := strings.TrimSpace(o.IndustryTitle)
	if t == "" {
		return "Sector " + o.IndustryCode
	}
	return t + " (" + o.IndustryCode + ")"
}
