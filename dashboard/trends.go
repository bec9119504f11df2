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
var trendMeasures = []data.Measure{
	data.MeasureMedianAnnualWage, data.MeasureMeanAnnualWage,
	data.MeasurePct10AnnualWage, data.MeasurePct25AnnualWage, data.MeasurePct75AnnualWage, data.MeasurePct90AnnualWage,
	data.MeasureMedianHourlyWage, data.MeasureMeanHourlyWage,
	data.MeasurePct10HourlyWage, data.MeasurePct25HourlyWage, data.MeasurePct75HourlyWage, data.MeasurePct90HourlyWage,
	data.MeasureEmployment,
}

// TrendSubject is whose figures a trend shows and where its lines break.
type TrendSubject struct {
	ID    string // the family id or occupation code chosen
	Title string
	Codes []string
	// Split are codes whose figures are cut into two lines at Family's
	// classification change (data.Family.AfterBreak): the combined
	// occupation before and after it. Every other code is one line of its own.
	Split  []string
	Family data.Family // the family whose change splits the lines
	Note   string      // the classification history, from data.Family
}

// BreakLabel names the change on the chart's break line; "" when no line
// is split.
func (s TrendSubject) BreakLabel() string {
	if len(s.Split) == 0 {
		return ""
	}
	return s.Family.BreakLabel()
}

// SubjectOfFamily follows a whole family: the codes that describe the whole
// occupation today split at the change, the codes it retired as lines of
// their own.
func SubjectOfFamily(f data.Family) TrendSubject {
	s := TrendSubject{ID: f.ID, Title: f.Title, Codes: f.Codes, Note: f.Note, Family: f}
	if f.Changed() {
		s.Split = f.Current()
	}
	return s
}

// SubjectOfCode follows one code. A combined code of a family that changed
// classification (29-2010, 29-2018) is still split at the break: its figures
// before and after describe differently classified jobs.
func SubjectOfCode(code, title string) TrendSubject {
	f := data.OccupationFamily(code)
	s := TrendSubject{ID: code, Title: title + " (" + code + ")", Codes: []string{code}, Note: f.Note, Family: f}
	if f.Changed() && !f.IsRetired(code) {
		s.Split = []string{code}
	}
	return s
}

// homeTrendSubject is the home page's wage trend: the clinical-lab family
// split at its change, with the other families' codes as lines beside it.
func homeTrendSubject() TrendSubject {
	s := SubjectOfFamily(data.Families[0])
	s.Codes = slices.Clone(s.Codes)
	for _, f := range data.Families[1:] {
		s.Codes = append(s.Codes, f.Codes...)
	}
	return s
}

// lines are the series of the subject's trend: the split codes before and
// after the break, then each other code.
func (s TrendSubject) lines(titles map[string]string) []trendLine {
	var lines []trendLine
	if len(s.Split) > 0 {
		split := func(o data.Observation) bool { return slices.Contains(s.Split, o.OccupationCode) }
		title := titles[s.Split[0]]
		lines = append(lines,
			trendLine{fmt.Sprintf("%s, before SOC 2018", title), func(o data.Observation) bool {
				return split(o) && !s.Family.AfterBreak(o.Period)
			}},
			trendLine{fmt.Sprintf("%s, SOC 2018 (May %d on)", title, s.Family.BreakYear), func(o data.Observation) bool {
				return split(o) && s.Family.AfterBreak(o.Period)
			}})
	}
	for _, c := range s.Codes {
		if !slices.Contains(s.Split, c) {
			lines = append(lines, codeLine(titles[c], c))
		}
	}
	return lines
}

// MeasureTrend draws any OEWS wage or employment measure for a subject:
// national figures with May periods, one line per series of the subject,
// split at the classification break and never joined across it, with the
// break drawn as a dashed line.
func MeasureTrend(id string, subj TrendSubject, measure data.Measure, obs []data.Observation) (Block, error) {
	label := measure.Label()
	heading := label + " over the years"
	figures := selectObs(obs, func(o data.Observation) bool {
		return o.Measure == measure && isNational(o) && periodKind(o.Period) == data.PeriodOEWS &&
			slices.Contains(subj.Codes, o.OccupationCode)
	})
	g, periods := trendGrid(subj, figures, obs)
	if len(g.cells) == 0 {
		return emptyBlock(id, heading, fmt.Sprintf("This snapshot has no national %s figures with a May (OEWS) period for %s.",
			measure.LowerLabel(), subj.Title)), nil
	}
	breakAt := breakPeriod(subj, periods)
	spec := charts.Spec{
		ID:       id,
		Title:    label + " (OEWS)",
		Subtitle: fmt.Sprintf("%sUnited States, %s to %s", whoseFigures(g), periods[0], periods[len(periods)-1]),
		Unit:     g.observations()[0].Unit.Label(),
		Source:   sourceLine(g.observations()),
	}
	chart, err := charts.Trend(spec, timeAxis(periods), g.chartSeries(), breakAt, subj.BreakLabel())
	if err != nil {
		return Block{}, chartError(id, err)
	}
	caveats := []string{OEWSTimeCaveat}
	if len(subj.Split) > 0 {
		caveats = append(caveats, fmt.Sprintf("Classification break: %s The figures on either side of May %d are separate lines and are never joined.",
			subj.Note, subj.Family.BreakYear))
	}
	if measure.Kind() == data.KindWage {
		caveats = append(caveats, "Wages are in current dollars, not adjusted for inflation.")
	} else {
		caveats = append(caveats, "OEWS employment counts wage and salary jobs and excludes the self-employed. "+
			"Employment Projections counts, which include them, are a different measure: they are in their own chart below, never on this line.")
	}
	return Block{
		ID: id, Heading: heading, Chart: chart,
		Table:        g.table(fmt.Sprintf("National %s by OEWS period, %s", measure.LowerLabel(), subj.Title), "Period"),
		Observations: g.observations(),
		Summary:      g.summary(true),
		Caveats:      caveats,
	}, nil
}

// EPEmploymentTrend draws the Employment Projections job counts ("2024",
// including the self-employed) on a chart of their own: they measure
// something else than OEWS employment, so the two never share a line.
func EPEmploymentTrend(id string, subj TrendSubject, obs []data.Observation) (Block, error) {
	heading := "Number of jobs, Employment Projections counts"
	figures := selectObs(obs, func(o data.Observation) bool {
		return o.Measure == data.MeasureEmployment && isNational(o) && periodKind(o.Period) == data.PeriodYear &&
			slices.Contains(subj.Codes, o.OccupationCode)
	})
	// EP counts are not split at the OEWS break: 29-2010 is EP's combined
	// code throughout, so each code is one line.
	perCode := subj
	perCode.Split = nil
	g, periods := trendGrid(perCode, figures, obs)
	if len(g.cells) == 0 {
		return emptyBlock(id, heading, "This snapshot has no Employment Projections job counts (periods like \"2024\") for "+subj.Title+"."), nil
	}
	spec := charts.Spec{
		ID:       id,
		Title:    "Number of jobs (EP)",
		Subtitle: fmt.Sprintf("%sincl. self-employed, United States, %s to %s", whoseFigures(g), periods[0], periods[len(periods)-1]),
		Unit:     data.UnitJobs.Label(),
		Source:   sourceLine(g.observations()),
	}
	chart, err := charts.Trend(spec, timeAxis(periods), g.chartSeries(), "", "")
	if err != nil {
		return Block{}, chartError(id, err)
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
	}, nil
}

// trendGrid puts figures on a grid of the subject's lines, drops empty
// lines, and names each line with the codes its figures were published
// under, so a reader sees which code stands behind every point.
func trendGrid(subj TrendSubject, figures, all []data.Observation) (*grid, []string) {
	periods := sortedPeriods(figures)
	g := gridOfLines(periods, periods, subj.lines(titlesOfCodes(subj.Codes, all)), figures)
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
	for _, p := range periods {
		if !subj.Family.AfterBreak(p) {
			before = true
		} else if at == "" {
			at = p
		}
	}
	if !before {
		return ""
	}
	return at
}

// titlesOfCodes names each code (data.OccupationTitle), with the title its
// figures carry for a code labdash does not know.
func titlesOfCodes(codes []string, obs []data.Observation) map[string]string {
	carried := map[string]string{}
	for _, o := range obs {
		if carried[o.OccupationCode] == "" {
			carried[o.OccupationCode] = o.OccupationTitle
		}
	}
	titles := map[string]string{}
	for _, c := range codes {
		titles[c] = data.OccupationTitle(c, carried[c])
	}
	return titles
}

// TrendsQuery is the trends page's validated query.
type TrendsQuery struct {
	Controls []Control
	Subject  TrendSubject
	Measure  data.Measure
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
		if slices.ContainsFunc(measures, func(f data.Facet) bool { return f.Value == string(m) }) {
			measure.Options = append(measure.Options, Option{Value: string(m), Label: m.Label()})
		}
	}
	var tq TrendsQuery
	id, err := chooseAvailable(q, &subjects, "clinical-lab")
	if err != nil {
		return tq, err
	}
	chosen, err := chooseAvailable(q, &measure, string(data.MeasureMedianAnnualWage))
	if err != nil {
		return tq, err
	}
	tq.Measure = data.Measure(chosen)
	if f, ok := data.FamilyByID(id); ok {
		tq.Subject = SubjectOfFamily(f)
	} else {
		tq.Subject = SubjectOfCode(id, titleOf(occupations, id))
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
	c.Options = append(c.Options, occupationOptions(occupations)...)
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

// BuildTrends assembles the trends page: the chosen measure over OEWS May
// periods and, for employment, the Employment Projections counts apart.
func BuildTrends(snap data.Snapshot, tq TrendsQuery, obs []data.Observation) (Page, error) {
	p := Page{
		Name:     "trends",
		Title:    "Trends: " + tq.Measure.LowerLabel() + " over the years",
		Snapshot: snap,
		Controls: tq.Controls,
		Intro: "National figures for " + tq.Subject.Title + " by OEWS May period. " + OEWSTimeCaveat +
			" Classification changes are drawn as breaks: lines on either side are never joined.",
	}
	if tq.Measure == "" {
		p.Notes = append(p.Notes, "This snapshot has no wage or employment figures to draw.")
		return p, nil
	}
	trend, err := MeasureTrend("trend", tq.Subject, tq.Measure, obs)
	if err != nil {
		return Page{}, err
	}
	p.Blocks = []Block{trend}
	if tq.Measure == data.MeasureEmployment {
		// Two measures of jobs: OEWS's line, and EP's counts in a chart of
		// their own, so that no line ever joins them.
		counts, err := EPEmploymentTrend("ep-employment", tq.Subject, obs)
		if err != nil {
			return Page{}, err
		}
		p.Blocks = append(p.Blocks, counts)
		p.Intro += " Employment in the first chart is OEWS's (May periods, wage and salary jobs only). " +
			"Employment Projections counts (bare years, including the self-employed) are a different measure: " +
			"they are in the second chart, never joined to the OEWS line, and the occupation fact sheet shows the latest of them."
	}
	// A split subject's history is already the chart's caveat.
	if tq.Subject.Note != "" && len(tq.Subject.Split) == 0 {
		p.Notes = append(p.Notes, tq.Subject.Note)
	}
	return p, nil
}

// timeAxis dates each period for a chart spaced by time: an OEWS estimate
// at its May reference date, a base-year count at the middle of its year.
func timeAxis(periods []string) charts.TimeAxis {
	axis := charts.TimeAxis{Labels: periods}
	for _, period := range periods {
		p, err := data.ParsePeriod(period)
		date := ""
		switch {
		case err != nil:
		case p.Kind == data.PeriodOEWS:
			date = fmt.Sprintf("%04d-05-01", p.StartYear)
		default:
			date = fmt.Sprintf("%04d-07-01", p.StartYear)
		}
		axis.Dates = append(axis.Dates, date) // "" fails the chart: a fault in labdash
	}
	return axis
}
