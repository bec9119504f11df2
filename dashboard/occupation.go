package dashboard

import (
	"net/url"
	"slices"
	"strings"

	"github.com/labdash/labdash/charts"
	"github.com/labdash/labdash/data"
)

// OccupationChoice is the validated query of a page about one occupation
// code: the code, its title and the controls with the choice marked.
type OccupationChoice struct {
	Code     string
	Title    string
	Controls []Control
}

// ChooseOccupation validates the occupation page's query (only "code"),
// against the codes the snapshot holds.
func ChooseOccupation(q url.Values, occupations []data.Facet) (OccupationChoice, error) {
	if err := CheckParams(q, "code"); err != nil {
		return OccupationChoice{}, err
	}
	c := occupationControl(occupations)
	code, err := choose(q, &c, defaultOccupation(occupations))
	if err != nil {
		return OccupationChoice{}, err
	}
	return OccupationChoice{Code: code, Title: titleOf(occupations, code), Controls: []Control{c}}, nil
}

// occupationControl offers every occupation code in the snapshot.
func occupationControl(occupations []data.Facet) Control {
	c := Control{Name: "code", Label: "Occupation"}
	for _, f := range occupations {
		label := f.Value + " " + titleOf(occupations, f.Value)
		if hint := codeHints[f.Value]; hint != "" {
			label += " (" + hint + ")"
		}
		c.Options = append(c.Options, Option{Value: f.Value, Label: label})
	}
	return c
}

// codeHints tell apart the codes that share a title across programs.
var codeHints = map[string]string{
	data.CodeClinicalLabEP:    "EP",
	data.CodeClinicalLabOEWS:  "OEWS",
	data.CodeLabTechnologists: "until May 2018",
	data.CodeLabTechnicians:   "until May 2018",
}

// defaultOccupation is the clinical-lab EP code when the snapshot has it,
// else its first code, so a bare address always shows something.
func defaultOccupation(occupations []data.Facet) string {
	for _, f := range occupations {
		if f.Value == data.CodeClinicalLabEP {
			return f.Value
		}
	}
	if len(occupations) > 0 {
		return occupations[0].Value
	}
	return data.CodeClinicalLabEP
}

// titleOf names a code: labdash's title for the codes it knows (sources
// word them differently, and a snapshot keeps every wording), else the title
// its figures carry, else the code itself.
func titleOf(occupations []data.Facet, code string) string {
	if t, ok := data.OccupationTitles[code]; ok {
		return t
	}
	for _, f := range occupations {
		if f.Value == code && strings.TrimSpace(f.Title) != "" {
			return f.Title
		}
	}
	return code
}

// codesIn names the codes that figures come from, in the order of codes.
func codesIn(codes []string, figures []data.Observation) string {
	var out []string
	for _, c := range codes {
		if slices.ContainsFunc(figures, func(o data.Observation) bool { return o.OccupationCode == c }) {
			out = append(out, c)
		}
	}
	return strings.Join(out, " / ")
}

// joinAnd lists items as a sentence does: "a", "a and b", "a, b and c".
func joinAnd(items []string) string {
	if len(items) < 2 {
		return strings.Join(items, "")
	}
	return strings.Join(items[:len(items)-1], ", ") + " and " + items[len(items)-1]
}

// OccupationReadCodes are the codes whose figures a page about code needs:
// its whole family (quick facts and classification history), else itself.
func OccupationReadCodes(code string) []string {
	if f, ok := data.FamilyOf(code); ok {
		return f.Codes
	}
	return []string{code}
}

// sameOccupation lists the codes that describe exactly the occupation of
// code, code first: a current code of a family shares its figures with the
// family's other current codes (29-2010 in EP is 29-2018 in OEWS). A code
// retired by a classification change (29-2011) describes only itself.
func sameOccupation(code string) []string {
	f, ok := data.FamilyOf(code)
	if !ok || slices.Contains(f.Members, code) {
		return []string{code}
	}
	out := []string{code}
	for _, c := range f.Codes {
		if c != code && !slices.Contains(f.Members, c) {
			out = append(out, c)
		}
	}
	return out
}

// BuildOccupation assembles the fact sheet of one occupation code from a
// snapshot's national observations of OccupationReadCodes(code).
func BuildOccupation(snap data.Snapshot, choice OccupationChoice, obs []data.Observation) Page {
	same := sameOccupation(choice.Code)
	p := Page{
		Name:     "occupation",
		Title:    choice.Title + " (" + choice.Code + ")",
		Snapshot: snap,
		Controls: choice.Controls,
		Intro: "Pay, where the jobs are and the ten-year outlook for SOC " + choice.Code +
			", national figures from one snapshot, each with its period, source and tier.",
		Facts: occupationFacts(choice, obs),
		Blocks: []Block{
			WageDistribution("wage-distribution", same, obs),
			occupationSettings("work-settings", same, choice.Title, obs),
			outlook("outlook-growth", same, obs, outlookGrowth),
			outlook("outlook-jobs", same, obs, outlookJobs),
		},
	}
	if f, ok := data.FamilyOf(choice.Code); ok {
		p.Intro += " Classification history: " + f.Note
	}
	return p
}

// occupationFacts gives a family code its family's quick facts. A code
// retired by a classification change gets its own column first, then the
// family's today; a code of no family gets a family of its own.
func occupationFacts(choice OccupationChoice, obs []data.Observation) []FactColumn {
	own := data.Family{
		ID:    "code-" + choice.Code,
		Title: choice.Title + " (" + choice.Code + ")",
		Codes: []string{choice.Code},
	}
	f, ok := data.FamilyOf(choice.Code)
	if !ok {
		return []FactColumn{{Family: own, Facts: QuickFacts(own, obs)}}
	}
	today := f
	today.Note = "" // the page's introduction already tells the classification history
	if current := sameOccupation(f.Codes[0]); len(current) > 1 {
		today.Note = "Quick facts from the codes in use today: " + joinAnd(current) + "."
	}
	if !slices.Contains(f.Members, choice.Code) {
		return []FactColumn{{Family: today, Facts: QuickFacts(today, obs)}}
	}
	own.Note = "Figures published under " + choice.Code + " itself, which was retired by the classification change."
	today.Title += " (today)"
	return []FactColumn{
		{Family: own, Facts: QuickFacts(own, obs)},
		{Family: today, Facts: QuickFacts(today, obs)},
	}
}

// occupationSettings is the work-settings chart of the first of codes that
// has share figures, saying so when it is not the chosen code.
func occupationSettings(id string, codes []string, title string, obs []data.Observation) Block {
	for _, code := range codes {
		b := WorkSettings(id, code, title, obs)
		if !b.HasChart() {
			continue
		}
		if code != codes[0] {
			b.Caveats = append(b.Caveats, "Shown under "+code+", the code another BLS program uses for the same occupation; "+
				codes[0]+" itself has no work-setting figures in this snapshot.")
		}
		return b
	}
	return WorkSettings(id, codes[0], title, obs)
}

// percentiles are the annual wage percentiles of a distribution, in order.
var percentiles = []struct{ measure, label, name string }{
	{"pct10_annual_wage", "10th", "10th percentile"},
	{"pct25_annual_wage", "25th", "25th percentile"},
	{"median_annual_wage", "Median", "median"},
	{"pct75_annual_wage", "75th", "75th percentile"},
	{"pct90_annual_wage", "90th", "90th percentile"},
}

// maxDistributionPeriods keeps the chart readable on a phone: three columns
// a group, five groups.
const maxDistributionPeriods = 3

func percentileIndex(measure string) int {
	for i, p := range percentiles {
		if p.measure == measure {
			return i
		}
	}
	return -1
}

// WageDistribution charts the national annual wage percentiles of codes
// (one occupation, see sameOccupation) for the latest OEWS periods that
// have any percentile besides the median, one series per period.
func WageDistribution(id string, codes []string, obs []data.Observation) Block {
	heading := "How pay is spread"
	who := strings.Join(codes, " / ")
	wages := selectObs(obs, func(o data.Observation) bool {
		return slices.Contains(codes, o.OccupationCode) && isNational(o) &&
			periodKind(o.Period) == data.PeriodOEWS && percentileIndex(o.Measure) >= 0
	})
	all := sortedPeriods(selectObs(wages, func(o data.Observation) bool { return o.Measure != "median_annual_wage" }))
	if len(all) == 0 {
		return emptyBlock(id, heading, "This snapshot has no annual wage percentiles (10th to 90th) for "+who+
			"; the median, where there is one, is among the quick facts.")
	}
	periods := all[max(0, len(all)-maxDistributionPeriods):]
	labels := make([]string, len(percentiles))
	for i, p := range percentiles {
		labels[i] = p.label
	}
	g := newGrid(labels, periods)
	for _, o := range wages {
		if s := indexOf(periods, o.Period); s >= 0 {
			putBest(g, s, percentileIndex(o.Measure), o)
		}
	}
	spec := chartsSpec(id, "Annual wage percentiles, "+codesIn(codes, g.observations()),
		"United States, all industries, "+strings.Join(periods, ", "), "USD per year", g)
	chart, err := charts.Distribution(spec, labels, g.chartSeries())
	if err != nil {
		return emptyBlock(id, heading, "The pay distribution chart could not be built: "+err.Error())
	}
	return Block{
		ID: id, Heading: heading, Chart: chart,
		Table:        g.table("Annual wage percentiles, United States, by period (current dollars)", "Percentile"),
		Observations: g.observations(),
		Summary:      distributionSummary(g),
		Caveats:      distributionCaveats(g, all[:len(all)-len(periods)]),
	}
}

// distributionSummary reads the latest period's percentiles in a sentence,
// naming those without a figure.
func distributionSummary(g *grid) string {
	s := len(g.series) - 1
	var have, missing []string
	for c, p := range percentiles {
		if o, ok := g.get(s, c); ok && o.Value != nil {
			have = append(have, p.name+" "+FormatValue(o))
		} else {
			missing = append(missing, p.name)
		}
	}
	out := g.series[s] + ": " + strings.Join(have, ", ")
	if len(have) == 0 {
		out += "no percentile has a figure"
	}
	if len(missing) > 0 {
		out += "; no figure for the " + joinAnd(missing)
	}
	return out + "."
}

// distributionCaveats explain gaps, top-codes and periods left off.
func distributionCaveats(g *grid, older []string) []string {
	out := []string{"Percentiles of wage and salary workers' annual wages (OEWS); the self-employed are not included. Current dollars, not adjusted for inflation."}
	for s, period := range g.series {
		var missing, capped []string
		for c, p := range percentiles {
			o, ok := g.get(s, c)
			switch {
			case !ok || o.Value == nil:
				missing = append(missing, p.name)
			case o.Flag == data.FlagTopCoded:
				o.Flag = data.FlagNone // the cap itself, without the "≥"
				capped = append(capped, "the "+p.name+" is top-coded: BLS publishes only that it is at or above "+FormatValue(o))
			}
		}
		if len(missing) > 0 {
			out = append(out, period+": no figure for the "+joinAnd(missing)+"; the gap in the chart is not zero.")
		}
		if len(capped) > 0 {
			out = append(out, period+": "+strings.Join(capped, "; ")+" (drawn at the cap with a dashed outline).")
		}
	}
	if len(older) > 0 {
		out = append(out, "Earlier periods with percentiles in this snapshot ("+strings.Join(older, ", ")+") are left off to keep the chart readable.")
	}
	return out
}

// outlookSpec says which projection measures one outlook chart shows.
type outlookSpec struct {
	heading, title, unit, caption string
	noun                          string // what is missing, in the empty sentence
	measures                      []struct{ measure, name string }
	caveats                       []string
}

var (
	outlookGrowth = outlookSpec{
		heading: "Projected growth by edition", title: "Projected growth",
		unit: "percent", noun: "projected growth figures", caption: "Projected percent change in employment over each edition's decade",
		measures: []struct{ measure, name string }{{"projected_growth_pct", "Projected growth"}},
	}
	outlookJobs = outlookSpec{
		heading: "Jobs added and openings by edition", title: "Jobs added and openings",
		unit: "jobs", noun: "projected employment change or openings figures", caption: "Jobs added over each edition's decade, and average openings a year",
		measures: []struct{ measure, name string }{
			{"employment_change", "Employment change over the decade"},
			{"annual_openings", "Openings a year (average)"},
		},
		caveats: []string{"Employment change is over the whole decade; openings are a yearly average and include " +
			"replacing workers who leave the occupation."},
	}
)

// outlook charts projection measures of one occupation by Employment
// Projections edition, one series per measure.
func outlook(id string, codes []string, obs []data.Observation, spec outlookSpec) Block {
	who := strings.Join(codes, " / ")
	var names, measures []string
	for _, m := range spec.measures {
		names, measures = append(names, m.name), append(measures, m.measure)
	}
	figures := selectObs(obs, func(o data.Observation) bool {
		return slices.Contains(codes, o.OccupationCode) && slices.Contains(measures, o.Measure) &&
			isNational(o) && periodKind(o.Period) == data.PeriodProjection
	})
	if len(figures) == 0 {
		return emptyBlock(id, spec.heading, "This snapshot has no "+spec.noun+" for "+who+".")
	}
	editions := sortedPeriods(figures)
	labels := make([]string, len(editions))
	for i, e := range editions {
		labels[i] = data.ShortPeriod(e)
	}
	g := newGrid(labels, names)
	for _, o := range figures {
		putBest(g, indexOf(measures, o.Measure), indexOf(editions, o.Period), o)
	}
	g = g.withoutEmptySeries()
	who = codesIn(codes, g.observations())
	// Short title and subtitle: an ECharts title does not wrap on a phone.
	cs := chartsSpec(id, spec.title+", "+who, "United States, editions "+labels[0]+" to "+labels[len(labels)-1], spec.unit, g)
	chart, err := charts.Projections(cs, labels, g.chartSeries())
	if err != nil {
		return emptyBlock(id, spec.heading, "The outlook chart could not be built: "+err.Error())
	}
	return Block{
		ID: id, Heading: spec.heading, Chart: chart,
		Table:        g.table(spec.caption+", "+who, "Edition"),
		Observations: g.observations(),
		Summary:      oneOrSummary(g),
		Caveats: append([]string{
			"Each edition is a separate projection made that year; a later edition revises, not continues, the earlier ones.",
			"Projected employment includes the self-employed, so it differs from OEWS employment.",
		}, spec.caveats...),
	}
}

// oneOrSummary is the grid's summary, or for a lone figure a sentence that
// does not call it both largest and smallest.
func oneOrSummary(g *grid) string {
	obs := g.observations()
	if len(obs) != 1 || obs[0].Value == nil {
		return g.summary(true)
	}
	return "One figure: " + FormatValue(obs[0]) + " (" + data.ShortPeriod(obs[0].Period) + ")."
}

// chartsSpec is a chart's title, scope, unit and the source line of the
// figures in g.
func chartsSpec(id, title, subtitle, unit string, g *grid) charts.Spec {
	return charts.Spec{ID: id, Title: title, Subtitle: subtitle, Unit: unit, Source: sourceLine(g.observations())}
}
