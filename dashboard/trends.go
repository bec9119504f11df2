package dashboard

import (
	"fmt"
	"net/url"
	"slices"
	"strings"

	"github.com/labdash/labdash/charts"
	"github.com/labdash/labdash/data"
)

// OEWSTimeCaveat is BLS's own warning, shown with every OEWS trend.
const OEWSTimeCaveat = "BLS: OEWS estimates are not designed for comparisons over time; changes between years " +
	"can reflect changes in method, classification and sample, not only in pay or jobs."

// trendMeasures are the wage and employment measures a trend can show, in
// the order the page offers them.
var trendMeasures = []struct{ measure, label string }{
	{"median_annual_wage", "Median annual wage"},
	{"mean_annual_wage", "Mean annual wage"},
	{"pct10_annual_wage", "10th percentile annual wage"},
	{"pct25_annual_wage", "25th percentile annual wage"},
	{"pct75_annual_wage", "75th percentile annual wage"},
	{"pct90_annual_wage", "90th percentile annual wage"},
	{"median_hourly_wage", "Median hourly wage"},
	{"mean_hourly_wage", "Mean hourly wage"},
	{"pct10_hourly_wage", "10th percentile hourly wage"},
	{"pct25_hourly_wage", "25th percentile hourly wage"},
	{"pct75_hourly_wage", "75th percentile hourly wage"},
	{"pct90_hourly_wage", "90th percentile hourly wage"},
	{"employment", "Employment"},
}

func trendMeasureLabel(measure string) string {
	for _, m := range trendMeasures {
		if m.measure == measure {
			return m.label
		}
	}
	return measure
}

// TrendSubject is whose figures a trend shows and where its lines break.
type TrendSubject struct {
	ID    string // the family id or occupation code chosen
	Title string
	Codes []string
	// Split are codes whose figures are cut into two lines at the SOC 2018
	// change (data.ClassificationBreakYear): the combined occupation before
	// and after it. Every other code is one line of its own.
	Split []string
	// BreakLabel names the change on the chart's break line.
	BreakLabel string
	Note       string // the classification history, from data.Family
}

// SubjectOfFamily follows a whole family: its combined codes split at the
// break, the codes it retired (Members) as lines of their own.
func SubjectOfFamily(f data.Family) TrendSubject {
	s := TrendSubject{ID: f.ID, Title: f.Title, Codes: f.Codes, Note: f.Note}
	if len(f.Members) > 0 {
		for _, c := range f.Codes {
			if !slices.Contains(f.Members, c) {
				s.Split = append(s.Split, c)
			}
		}
		s.BreakLabel = breakLabel(f)
	}
	return s
}

// SubjectOfCode follows one code. A combined code of a family that changed
// classification (29-2010, 29-2018) is still split at the break: its figures
// before and after describe differently classified jobs.
func SubjectOfCode(code, title string) TrendSubject {
	s := TrendSubject{ID: code, Title: title + " (" + code + ")", Codes: []string{code}}
	if f, ok := data.FamilyOf(code); ok {
		s.Note = f.Note
		if len(f.Members) > 0 && !slices.Contains(f.Members, code) {
			s.Split = []string{code}
			s.BreakLabel = breakLabel(f)
		}
	}
	return s
}

func breakLabel(f data.Family) string {
	return "SOC 2018: " + strings.Join(f.Members, " + ") + " combined"
}

// lines are the series of the subject's trend: the split codes before and
// after the break, then each other code.
func (s TrendSubject) lines(titles map[string]string) []trendLine {
	var lines []trendLine
	if len(s.Split) > 0 {
		split := func(o data.Observation) bool { return slices.Contains(s.Split, o.OccupationCode) }
		title := titles[s.Split[0]]
		lines = append(lines,
			trendLine{fmt.Sprintf("%s, before SOC 2018", title), func(o data.Observation, p data.Period) bool {
				return split(o) && p.StartYear < data.ClassificationBreakYear
			}},
			trendLine{fmt.Sprintf("%s, SOC 2018 (May %d on)", title, data.ClassificationBreakYear), func(o data.Observation, p data.Period) bool {
				return split(o) && p.StartYear >= data.ClassificationBreakYear
			}})
	}
	for _, c := range s.Codes {
		if slices.Contains(s.Split, c) {
			continue
		}
		code := c
		lines = append(lines, trendLine{titles[code], func(o data.Observation, _ data.Period) bool { return o.OccupationCode == code }})
	}
	return lines
}

// MeasureTrend generalises WageTrend to any OEWS wage or employment measure
// and any subject: national figures with May periods, one line per series
// of the subject, split at the classification break and never joined
// across it, with the break drawn as a dashed line.
func MeasureTrend(id string, subj TrendSubject, measure string, obs []data.Observation) Block {
	label := trendMeasureLabel(measure)
	heading := label + " over the years"
	figures := selectObs(obs, func(o data.Observation) bool {
		return o.Measure == measure && isNational(o) && periodKind(o.Period) == data.PeriodOEWS &&
			slices.Contains(subj.Codes, o.OccupationCode)
	})
	g, periods := trendGrid(subj, figures, obs)
	if len(g.cells) == 0 {
		return emptyBlock(id, heading, fmt.Sprintf("This snapshot has no national %s figures with a May (OEWS) period for %s.",
			strings.ToLower(label), subj.Title))
	}
	breakAt := breakPeriod(subj, periods)
	spec := charts.Spec{
		ID:       id,
		Title:    label + " (OEWS)",
		Subtitle: fmt.Sprintf("%sUnited States, %s to %s", whoseFigures(g), periods[0], periods[len(periods)-1]),
		Unit:     UnitLabel(g.observations()[0].Unit),
		Source:   sourceLine(g.observations()),
	}
	chart, err := charts.WageTrend(spec, periods, g.chartSeries(), breakAt, subj.BreakLabel)
	if err != nil {
		return emptyBlock(id, heading, "The trend chart could not be built: "+err.Error())
	}
	caveats := []string{OEWSTimeCaveat}
	if len(subj.Split) > 0 {
		caveats = append(caveats, fmt.Sprintf("Classification break: %s The figures on either side of May %d are separate lines and are never joined.",
			subj.Note, data.ClassificationBreakYear))
	}
	if measure == "employment" {
		caveats = append(caveats, "OEWS employment counts wage and salary jobs and excludes the self-employed. "+
			"Employment Projections counts, which include them, are a different measure: they are in their own chart below, never on this line.")
	} else {
		caveats = append(caveats, "Wages are in current dollars, not adjusted for inflation.")
	}
	return Block{
		ID: id, Heading: heading, Chart: chart,
		Table:        g.table(fmt.Sprintf("National %s by OEWS period, %s", strings.ToLower(label), subj.Title), "Period"),
		Observations: g.observations(),
		Summary:      g.summary(true),
		Caveats:      caveats,
	}
}

// EPEmploymentTrend draws the Employment Projections job counts ("2024",
// including the self-employed) on a chart of their own: they measure
// something else than OEWS employment, so the two never share a line.
func EPEmploymentTrend(id string, subj TrendSubject, obs []data.Observation) Block {
	heading := "Number of jobs, Employment Projections counts"
	figures := selectObs(obs, func(o data.Observation) bool {
		return o.Measure == "employment" && isNational(o) && periodKind(o.Period) == data.PeriodYear &&
			slices.Contains(subj.Codes, o.OccupationCode)
	})
	// EP counts are not split at the OEWS break: 29-2010 is EP's combined
	// code throughout, so each code is one line.
	perCode := subj
	perCode.Split, perCode.BreakLabel = nil, ""
	g, periods := trendGrid(perCode, figures, obs)
	if len(g.cells) == 0 {
		return emptyBlock(id, heading, "This snapshot has no Employment Projections job counts (periods like \"2024\") for "+subj.Title+".")
	}
	spec := charts.Spec{
		ID:       id,
		Title:    "Number of jobs (EP)",
		Subtitle: fmt.Sprintf("%sincl. self-employed, United States, %s to %s", whoseFigures(g), periods[0], periods[len(periods)-1]),
		Unit:     "jobs",
		Source:   sourceLine(g.observations()),
	}
	chart, err := charts.WageTrend(spec, periods, g.chartSeries(), "", "")
	if err != nil {
		return emptyBlock(id, heading, "The job-count chart could not be built: "+err.Error())
	}
	return Block{
		ID: id, Heading: heading, Chart: chart,
		Table:        g.table("Employment Projections job counts by base year, "+subj.Title, "Year"),
		Observations: g.observations(),
		Summary:      g.summary(true),
		Caveats: []string{
			"Employment Projections counts include the self-employed and come from each edition's base year; OEWS employment does not include them. The two are different measures and are not joined.",
			"Each count was published with a different projections edition; methods and classification change between editions.",
		},
	}
}

// trendGrid puts figures on a grid of the subject's lines, drops empty
// lines, and names each line with the codes its figures were published
// under, so a reader sees which code stands behind every point.
func trendGrid(subj TrendSubject, figures, all []data.Observation) (*grid, []string) {
	titles := titlesOfCodes(subj.Codes, all)
	lines := subj.lines(titles)
	periods := sortedPeriods(figures)
	names := make([]string, len(lines))
	for i, l := range lines {
		names[i] = l.name
	}
	g := newGrid(periods, names)
	for _, o := range figures {
		p, _ := data.ParsePeriod(o.Period)
		for s, l := range lines {
			if l.keep(o, p) {
				putBest(g, s, indexOf(periods, o.Period), o)
			}
		}
	}
	g = g.withoutEmptySeries()
	for s := range g.series {
		var codes []string
		for c := range g.categories {
			if o, ok := g.get(s, c); ok && !slices.Contains(codes, o.OccupationCode) {
				codes = append(codes, o.OccupationCode)
			}
		}
		slices.Sort(codes)
		g.series[s] += " (" + strings.Join(codes, ", ") + ")"
	}
	return g, periods
}

// whoseFigures names the codes of a one-series chart, whose legend is
// hidden, so a saved image still says whose figures it shows: "31-9097, ".
func whoseFigures(g *grid) string {
	if len(g.series) != 1 {
		return ""
	}
	var codes []string
	for c := range g.categories {
		if o, ok := g.get(0, c); ok && !slices.Contains(codes, o.OccupationCode) {
			codes = append(codes, o.OccupationCode)
		}
	}
	slices.Sort(codes)
	return strings.Join(codes, ", ") + ", "
}

// breakPeriod is the first period on or after the break, when the subject
// is split and the chart has periods on both sides of it.
func breakPeriod(subj TrendSubject, periods []string) string {
	if len(subj.Split) == 0 {
		return ""
	}
	before, at := false, ""
	for _, s := range periods {
		p, _ := data.ParsePeriod(s)
		if p.StartYear < data.ClassificationBreakYear {
			before = true
		} else if at == "" {
			at = s
		}
	}
	if !before {
		return ""
	}
	return at
}

// titlesOfCodes names each code: the title labdash knows, else the one its
// figures carry, else the code itself.
func titlesOfCodes(codes []string, obs []data.Observation) map[string]string {
	titles := map[string]string{}
	for _, c := range codes {
		titles[c] = data.OccupationTitles[c]
	}
	for _, o := range obs {
		if titles[o.OccupationCode] == "" && slices.Contains(codes, o.OccupationCode) {
			titles[o.OccupationCode] = o.OccupationTitle
		}
	}
	for _, c := range codes {
		if titles[c] == "" {
			titles[c] = c
		}
	}
	return titles
}

// TrendsQuery is the trends page's validated query.
type TrendsQuery struct {
	Controls []Control
	Subject  TrendSubject
	Measure  string
}

// ParseTrends reads family (a family id or an occupation code in the
// snapshot) and measure (a wage or employment measure in the snapshot).
func ParseTrends(q url.Values, occupations, measures []data.Facet) (TrendsQuery, error) {
	if err := CheckParams(q, "family", "measure"); err != nil {
		return TrendsQuery{}, err
	}
	subjects := subjectControl(occupations)
	measure := Control{Name: "measure", Label: "Measure"}
	for _, m := range trendMeasures {
		if slices.ContainsFunc(measures, func(f data.Facet) bool { return f.Value == m.measure }) {
			measure.Options = append(measure.Options, Option{Value: m.measure, Label: m.label})
		}
	}
	var tq TrendsQuery
	id, err := chooseAvailable(q, &subjects, "clinical-lab")
	if err != nil {
		return tq, err
	}
	tq.Measure, err = chooseAvailable(q, &measure, "median_annual_wage")
	if err != nil {
		return tq, err
	}
	if f, ok := data.FamilyByID(id); ok {
		tq.Subject = SubjectOfFamily(f)
	} else {
		tq.Subject = SubjectOfCode(id, titleFromFacets(occupations, id))
	}
	tq.Controls = []Control{subjects, measure}
	return tq, nil
}

// subjectControl offers the families with a code in the snapshot, then
// every occupation code in it.
func subjectControl(occupations []data.Facet) Control {
	c := Control{Name: "family", Label: "Occupation or family"}
	for _, f := range data.Families {
		if slices.ContainsFunc(occupations, func(o data.Facet) bool { return slices.Contains(f.Codes, o.Value) }) {
			c.Options = append(c.Options, Option{Value: f.ID, Label: f.Title + " (family: " + strings.Join(f.Codes, ", ") + ")"})
		}
	}
	for _, o := range occupations {
		c.Options = append(c.Options, Option{Value: o.Value, Label: o.Value + " " + titleFromFacets(occupations, o.Value)})
	}
	return c
}

// chooseAvailable is choose with a default that falls back to the first
// option when the snapshot lacks it, so the page without a query never
// answers 400. A control with no options yields "".
func chooseAvailable(q url.Values, c *Control, def string) (string, error) {
	if len(c.Options) == 0 {
		if v := q.Get(c.Name); v != "" {
			return "", &ParamError{Param: c.Name, Value: v, Why: "is not available: this snapshot has nothing to choose from"}
		}
		return "", nil
	}
	if !slices.ContainsFunc(c.Options, func(o Option) bool { return o.Value == def }) {
		def = c.Options[0].Value
	}
	return choose(q, c, def)
}

func titleFromFacets(facets []data.Facet, value string) string {
	for _, f := range facets {
		if f.Value == value && f.Title != "" {
			return f.Title
		}
	}
	if t := data.OccupationTitles[value]; t != "" {
		return t
	}
	return value
}

// BuildTrends assembles the trends page: the chosen measure over OEWS May
// periods and, for employment, the Employment Projections counts apart.
func BuildTrends(snap data.Snapshot, tq TrendsQuery, obs []data.Observation) Page {
	p := Page{
		Name:     "trends",
		Title:    "Trends: " + strings.ToLower(trendMeasureLabel(tq.Measure)) + " over the years",
		Snapshot: snap,
		Controls: tq.Controls,
		Intro: "National figures for " + tq.Subject.Title + " by OEWS May period. " + OEWSTimeCaveat +
			" Classification changes are drawn as breaks: lines on either side are never joined.",
	}
	if tq.Measure == "" {
		p.Notes = append(p.Notes, "This snapshot has no wage or employment figures to draw.")
		return p
	}
	p.Blocks = []Block{MeasureTrend("trend", tq.Subject, tq.Measure, obs)}
	if tq.Measure == "employment" {
		// Two measures of jobs: OEWS's line, and EP's counts in a chart of
		// their own, so that no line ever joins them.
		p.Blocks = append(p.Blocks, EPEmploymentTrend("ep-employment", tq.Subject, obs))
		p.Intro += " Employment in the first chart is OEWS's (May periods, wage and salary jobs only). " +
			"Employment Projections counts (bare years, including the self-employed) are a different measure: " +
			"they are in the second chart, never joined to the OEWS line, and the occupation fact sheet shows the latest of them."
	}
	// A split subject's history is already the chart's caveat.
	if tq.Subject.Note != "" && len(tq.Subject.Split) == 0 {
		p.Notes = append(p.Notes, tq.Subject.Note)
	}
	return p
}
