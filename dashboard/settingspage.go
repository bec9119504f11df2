package dashboard

import (
	"fmt"
	"net/url"
	"slices"
	"strings"

	"github.com/labdash/labdash/charts"
	"github.com/labdash/labdash/data"
)

// SettingsChoice is the validated query of the work-settings page.
type SettingsChoice struct {
	OccupationChoice
	Measure string // a key of industryMetrics
}

// settingsMeasures are the figures the page can show by work setting.
func settingsMeasures() []Option {
	return []Option{
		{Value: "share", Label: "Share of the occupation's jobs"},
		{Value: "wage", Label: "Annual wage (median, else mean)"},
		{Value: "change", Label: "Projected employment change"},
	}
}

// ChooseSettings validates the work-settings page's query: code (any
// occupation in the snapshot, default 29-2010) and measure (default share).
func ChooseSettings(q url.Values, occupations []data.Facet) (SettingsChoice, error) {
	if err := CheckParams(q, "code", "measure"); err != nil {
		return SettingsChoice{}, err
	}
	occ := occupationControl(occupations)
	code, err := choose(q, &occ, defaultOccupation(occupations))
	if err != nil {
		return SettingsChoice{}, err
	}
	m := Control{Name: "measure", Label: "Measure", Options: settingsMeasures()}
	measure, err := choose(q, &m, "share")
	if err != nil {
		return SettingsChoice{}, err
	}
	return SettingsChoice{
		OccupationChoice: OccupationChoice{Code: code, Title: titleOf(occupations, code), Controls: []Control{occ, m}},
		Measure:          measure,
	}, nil
}

// SettingsReadCodes are the codes the page reads: the chosen one, and the
// other codes of the same occupation, to point to them when it has nothing.
func SettingsReadCodes(code string) []string {
	return data.OccupationFamily(code).SameOccupation(code)
}

// industryMetric is one chart the page draws by work setting.
type industryMetric struct {
	id, heading string
	title       string         // chart title: %[1]s the occupation's name, %[2]s its possessive, %[3]s its code
	noun        string         // what the figures are, in a sentence: "shares of jobs"
	unit        data.Unit      // axis unit
	measures    []data.Measure // per period, the first measure with figures is drawn
	series      func(period string, measure data.Measure) string
	caveats     []string
	whereFrom   string // where such figures come from, for the empty sentence
}

const epMatrixNote = "Projected change by work setting comes from the Employment Projections national employment matrix of the occupation (the bls-ep-matrix format), once it is ingested."

const nationalOnly = "National only: OEWS and Employment Projections publish industry detail for the United States as a whole, never for a state or metro area."

var industryMetrics = map[string][]industryMetric{
	"share": {{
		id: "share", heading: "Share of the occupation's jobs by work setting", title: "Share of %[2]s jobs (%[3]s) by work setting", noun: "shares of jobs",
		unit: data.UnitPercentOfOccupation, measures: []data.Measure{data.MeasureShareOfOccupationPct}, series: periodName,
		caveats: []string{"A missing bar means the source did not list that setting for that period, not zero. " +
			"Sources list industry groups and some of their parts, so shares need not add to 100."},
	}},
	"wage": {{
		id: "wage", heading: "Annual wage by work setting", title: "Annual wage of %[1]s (%[3]s) by work setting", noun: "median or mean annual wages",
		unit: data.UnitUSDPerYear, measures: []data.Measure{data.MeasureMedianAnnualWage, data.MeasureMeanAnnualWage}, series: wageSeriesName,
		caveats: []string{"Each period shows the median annual wage by setting where the snapshot has it, else the mean; the legend says which. " +
			"Current dollars; OEWS is not designed for comparisons over time."},
	}},
	"change": {{
		id: "growth", heading: "Projected growth by work setting", title: "Projected growth of %[1]s (%[3]s) by setting", noun: "projected percent changes in employment",
		unit: data.UnitPercent, measures: []data.Measure{data.MeasureProjectedGrowthPct}, series: editionName,
		caveats:   []string{"Each Employment Projections edition is a separate projection over its decade; self-employed workers are their own row."},
		whereFrom: epMatrixNote,
	}, {
		id: "change", heading: "Projected jobs added by work setting", title: "Projected change in %[2]s jobs (%[3]s) by setting", noun: "projected changes in employment",
		unit: data.UnitJobs, measures: []data.Measure{data.MeasureEmploymentChange}, series: editionName,
		caveats:   []string{"Change in jobs over each edition's decade; a negative figure is a projected loss."},
		whereFrom: epMatrixNote,
	}},
}

func periodName(period string, _ data.Measure) string  { return period }
func editionName(period string, _ data.Measure) string { return data.ShortPeriod(period) }
func wageSeriesName(period string, measure data.Measure) string {
	if measure == data.MeasureMeanAnnualWage {
		return period + ", mean"
	}
	return period + ", median"
}

// BuildSettings assembles the work-settings page from a snapshot's national
// observations of SettingsReadCodes(choice.Code): first what a BLS file
// gives by industry sector (OEWS, one release), then the figures by work
// setting, one row per setting across editions (data.WorkSettingOf).
func BuildSettings(snap data.Snapshot, choice SettingsChoice, obs []data.Observation) (Page, error) {
	p := Page{
		Name:     "settings",
		Title:    "Work settings of " + choice.Title + " (" + choice.Code + ")",
		Snapshot: snap,
		Controls: choice.Controls,
		Intro: "Where " + lowerFirst(choice.Title) + " (" + choice.Code + ") work: jobs and pay by industry sector from the latest OEWS " +
			"release BLS publishes by sector, then each work setting the Occupational Outlook Handbook lists, one row per setting across its editions.",
	}
	codes := SettingsReadCodes(choice.Code)
	var bs blocks
	if m, ok := sectorMetrics[choice.Measure]; ok {
		bs.add(sectorBlock(m, choice.Code, choice.Title, codes, obs))
	}
	settings := selectObs(obs, func(o data.Observation) bool { return !isSector(o) })
	for _, m := range industryMetrics[choice.Measure] {
		bs.add(industryBlock(m, choice.Title, codes, settings))
	}
	if bs.err != nil {
		return Page{}, bs.err
	}
	p.Blocks = bs.list
	if !slices.ContainsFunc(p.Blocks, Block.HasChart) { // a chart carries the caveat itself
		p.Notes = []string{nationalOnly}
	}
	return p, nil
}

// industryBlock charts one metric of codes[0] by work setting, one series
// per period. When there is none it says so, and names another code of the
// same occupation that has some.
func industryBlock(m industryMetric, title string, codes []string, obs []data.Observation) (Block, error) {
	code := codes[0]
	figures := industryFigures(m, code, obs)
	if len(figures) == 0 {
		why := fmt.Sprintf("This snapshot has no %s by work setting for %s (%s).", m.noun, lowerFirst(title), code)
		for _, other := range codes[1:] {
			if len(industryFigures(m, other, obs)) > 0 {
				why += " The same occupation has them under " + other + "."
			}
		}
		if m.whereFrom != "" {
			why += " " + m.whereFrom
		}
		return emptyBlock(m.id, m.heading, why), nil
	}
	periods := sortedPeriods(figures)
	names := make([]string, len(periods))
	for _, o := range figures {
		names[indexOf(periods, o.Period)] = m.series(o.Period, o.Measure)
	}
	rows := settingRows(figures, periods[len(periods)-1])
	g := newGrid(rows.names, names)
	for _, o := range figures {
		putBest(g, indexOf(periods, o.Period), rows.index(o), o)
	}
	// The scope first; the periods as a range, since the legend lists them.
	scope := "United States (national only), " + names[0]
	if len(names) > 1 {
		scope += " to " + names[len(names)-1]
	}
	spec := chartsSpec(m.id, fmt.Sprintf(m.title, lowerFirst(title), possessive(title), code), scope, m.unit.Label(), g)
	chart, err := charts.WorkSettings(spec, rows.names, g.chartSeries())
	if err != nil {
		return Block{}, chartError(m.id, err)
	}
	return Block{
		ID: m.id, Heading: m.heading, Chart: chart,
		Table: g.table(strings.ToUpper(m.noun[:1])+m.noun[1:]+" of "+lowerFirst(title)+" ("+code+") by work setting and period, United States",
			"Work setting"),
		Observations: g.observations(),
		Summary:      g.summary(false),
		Caveats:      append(append([]string{nationalOnly}, m.caveats...), rows.caveats...),
	}, nil
}

// industryFigures keeps code's national figures by industry of m's
// measures and, per period, only the first measure of m.measures that has
// any, so one series never mixes medians and means.
func industryFigures(m industryMetric, code string, obs []data.Observation) []data.Observation {
	figures := selectObs(obs, func(o data.Observation) bool {
		return o.OccupationCode == code && o.AreaCode == data.NationalAreaCode && !o.CrossIndustry() &&
			slices.Contains(m.measures, o.Measure)
	})
	first := map[string]int{}
	for _, o := range figures {
		i := slices.Index(m.measures, o.Measure)
		if j, ok := first[o.Period]; !ok || i < j {
			first[o.Period] = i
		}
	}
	return selectObs(figures, func(o data.Observation) bool { return m.measures[first[o.Period]] == o.Measure })
}
