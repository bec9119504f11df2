package dashboard

import (
	"fmt"
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

// occupationControl offers every occupation in the snapshot, once
// (occupationOptions).
func occupationControl(occupations []data.Facet) Control {
	return Control{Name: "code", Label: "Occupation", Options: occupationOptions(occupations)}
}

// occupationOptions is one option per occupation: codes whose figures
// describe one occupation (data.Family.SameOccupation: 29-2010 in
// Employment Projections is 29-2018 in OEWS) share an option, valued with
// the first and standing for the others, so the list has no two entries of
// one title. A code retired by a classification change says until when it
// was published.
func occupationOptions(occupations []data.Facet) []Option {
	var out []Option
	taken := map[string]bool{}
	for _, f := range occupations {
		if taken[f.Value] {
			continue
		}
		family := data.OccupationFamily(f.Value)
		codes := []string{f.Value}
		for _, c := range family.SameOccupation(f.Value)[1:] {
			if slices.ContainsFunc(occupations, func(o data.Facet) bool { return o.Value == c }) {
				codes = append(codes, c)
			}
		}
		for _, c := range codes {
			taken[c] = true
		}
		label := titleOf(occupations, f.Value) + " (" + strings.Join(codes, " / ")
		if family.IsRetired(f.Value) {
			label += ", " + family.RetiredUntil()
		}
		out = append(out, Option{Value: f.Value, Label: label + ")", Also: codes[1:]})
	}
	return out
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

// titleOf names a code (data.OccupationTitle), with the title its figures
// carry in the snapshot for a code labdash does not know.
func titleOf(occupations []data.Facet, code string) string {
	for _, f := range occupations {
		if f.Value == code && strings.TrimSpace(f.Title) != "" {
			return data.OccupationTitle(code, f.Title)
		}
	}
	return data.OccupationTitle(code, "")
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

// namedCodes names the occupation of code in a sentence with the codes its
// figures were published under: "clinical laboratory technologists and
// technicians (29-2010 / 29-2018)". Names, not bare codes, in titles.
func namedCodes(code string, codes []string, figures, all []data.Observation) string {
	return lowerFirst(titlesOfCodes([]string{code}, all)[code]) + " (" + codesIn(codes, figures) + ")"
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
func OccupationReadCodes(code string) []string { return data.OccupationFamily(code).Codes }

// BuildOccupation assembles the fact sheet of one occupation code from a
// snapshot's national observations of OccupationReadCodes(code).
func BuildOccupation(snap data.Snapshot, choice OccupationChoice, obs []data.Observation) (Page, error) {
	same := data.OccupationFamily(choice.Code).SameOccupation(choice.Code)
	facts := occupationFacts(choice, obs, snap.Origins)
	var bs blocks
	// The pay distribution is of the release the chosen code's card quotes.
	bs.add(WageDistribution("wage-distribution", choice.Code, facts[0].Release, obs))
	bs.add(occupationSettings("work-settings", same, choice.Title, obs))
	bs.add(outlook("outlook-growth", choice.Code, obs, outlookGrowth))
	bs.add(outlook("outlook-jobs", choice.Code, obs, outlookJobs))
	if bs.err != nil {
		return Page{}, bs.err
	}
	p := Page{
		Name:     "occupation",
		Title:    choice.Title + " (" + choice.Code + ")",
		Snapshot: snap,
		Controls: choice.Controls,
		Intro: "Pay, where the jobs are and the ten-year outlook for SOC " + choice.Code +
			", national figures from one snapshot, each with its period, source and tier.",
		Facts:  facts,
		Blocks: bs.list,
	}
	if f, ok := data.FamilyOf(choice.Code); ok {
		p.Intro += " Classification history: " + f.Note
	}
	return p, nil
}

// occupationFacts gives a family code its family's quick facts. A code
// retired by a classification change gets its own column first, then the
// family's today; a code of no family gets a family of its own.
func occupationFacts(choice OccupationChoice, obs []data.Observation, origins data.Origins) []FactColumn {
	own := data.Family{
		ID:    "code-" + choice.Code,
		Title: choice.Title + " (" + choice.Code + ")",
		Codes: []string{choice.Code},
	}
	f, ok := data.FamilyOf(choice.Code)
	if !ok {
		return []FactColumn{FactCard(own, obs, origins)}
	}
	today := f
	today.Note = "" // the page's introduction already tells the classification history
	if current := f.Current(); len(current) > 1 {
		today.Note = "Quick facts from the codes in use today: " + joinAnd(current) + "."
	}
	if !f.IsRetired(choice.Code) {
		return []FactColumn{FactCard(today, obs, origins)}
	}
	own.Note = "Figures published under " + choice.Code + " itself, which was retired by the classification change."
	today.Title += " (today)"
	return []FactColumn{
		FactCard(own, obs, origins),
		FactCard(today, obs, origins),
	}
}

// occupationSettings is the work-settings chart of the first of codes that
// has share figures, saying so when it is not the chosen code.
func occupationSettings(id string, codes []string, title string, obs []data.Observation) (Block, error) {
	for _, code := range codes {
		b, err := WorkSettings(id, code, title, obs)
		if err != nil {
			return Block{}, err
		}
		if !b.HasChart() {
			continue
		}
		if code != codes[0] {
			b.Caveats = append(b.Caveats, "Shown under "+code+", the code another BLS program uses for the same occupation; "+
				codes[0]+" itself has no work-setting figures in this snapshot.")
		}
		return b, nil
	}
	return WorkSettings(id, codes[0], title, obs)
}

// percentiles are the annual wage percentiles of a distribution, in order,
// with their short axis labels and their names in a sentence.
var percentiles = []struct {
	measure     data.Measure
	label, name string
}{
	{data.MeasurePct10AnnualWage, "10th", "10th percentile"},
	{data.MeasurePct25AnnualWage, "25th", "25th percentile"},
	{data.MeasureMedianAnnualWage, "Median", "median"},
	{data.MeasurePct75AnnualWage, "75th", "75th percentile"},
	{data.MeasurePct90AnnualWage, "90th", "90th percentile"},
}

func percentileIndex(measure data.Measure) int {
	for i, p := range percentiles {
		if p.measure == measure {
			return i
		}
	}
	return -1
}

// WageDistribution charts the national annual wage percentiles of the
// occupation of code, under every code of that occupation
// (data.Family.SameOccupation; the chart's title names the codes its figures
// were published under), in one OEWS release: the release of the quick
// facts beside it, so figures shown together come from one release. With
// release "" it takes the latest release with any percentile besides the
// median.
func WageDistribution(id, code, release string, obs []data.Observation) (Block, error) {
	heading := "How pay is spread"
	codes := data.OccupationFamily(code).SameOccupation(code)
	who := strings.Join(codes, " / ")
	wages := selectObs(obs, func(o data.Observation) bool {
		return slices.Contains(codes, o.OccupationCode) && isNational(o) &&
			periodKind(o.Period) == data.PeriodOEWS && percentileIndex(o.Measure) >= 0
	})
	all := sortedPeriods(selectObs(wages, func(o data.Observation) bool { return o.Measure != data.MeasureMedianAnnualWage }))
	if len(all) == 0 {
		return emptyBlock(id, heading, "This snapshot has no annual wage percentiles (10th to 90th) for "+who+
			"; the median, where there is one, is among the quick facts."), nil
	}
	if release == "" {
		release = all[len(all)-1]
	}
	if !slices.Contains(all, release) {
		return emptyBlock(id, heading, fmt.Sprintf("This snapshot has no annual wage percentiles (10th to 90th) for %s in OEWS %s, "+
			"the release of the quick facts, and a chart of another release would mix releases under them. "+
			"Releases with percentiles: %s (the trends page shows them).", who, release, strings.Join(all, ", "))), nil
	}
	periods := []string{release}
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
	spec := chartsSpec(id, "Annual wage percentiles of "+namedCodes(code, codes, g.observations(), obs),
		"United States, all industries, OEWS "+release, data.UnitUSDPerYear.Label(), g)
	chart, err := charts.Distribution(spec, labels, g.chartSeries())
	if err != nil {
		return Block{}, chartError(id, err)
	}
	return Block{
		ID: id, Heading: heading, Chart: chart,
		Table:        g.table("Annual wage percentiles, United States, OEWS "+release+" (current dollars)", "Percentile"),
		Observations: g.observations(),
		Summary:      distributionSummary(g),
		Caveats:      distributionCaveats(g, slices.DeleteFunc(slices.Clone(all), func(p string) bool { return p == release })),
	}, nil
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
		out = append(out, "Only the release of the quick facts is shown, so that figures shown together come from one release; the trends page shows the other releases with percentiles ("+strings.Join(older, ", ")+").")
	}
	return out
}

// outlookSpec says which projection measures one outlook chart shows.
type outlookSpec struct {
	heading, title, caption string
	unit                    data.Unit
	noun                    string // what is missing, in the empty sentence
	measures                []outlookSeries
	caveats                 []string
}

// outlookSeries is one measure of an outlook chart and its legend entry.
type outlookSeries struct {
	measure data.Measure
	name    string
}

var (
	outlookGrowth = outlookSpec{
		heading: "Projected growth by edition", title: "Projected growth",
		unit: data.UnitPercent, noun: "projected growth figures", caption: "Projected percent change in employment over each edition's decade",
		measures: []outlookSeries{{data.MeasureProjectedGrowthPct, data.MeasureProjectedGrowthPct.Label()}},
	}
	outlookJobs = outlookSpec{
		heading: "Jobs added and openings by edition", title: "Jobs added and openings",
		unit: data.UnitJobs, noun: "projected employment change or openings figures", caption: "Jobs added over each edition's decade, and average openings a year",
		measures: []outlookSeries{
			{data.MeasureEmploymentChange, "Employment change over the decade"},
			{data.MeasureAnnualOpenings, "Openings a year (average)"},
		},
		caveats: []string{"Employment change is over the whole decade; openings are a yearly average and include " +
			"replacing workers who leave the occupation."},
	}
)

// outlook charts projection measures of the occupation of code, under
// every code of that occupation (data.Family.SameOccupation; the title names
// them), by Employment Projections edition, one series per measure.
func outlook(id, code string, obs []data.Observation, spec outlookSpec) (Block, error) {
	codes := data.OccupationFamily(code).SameOccupation(code)
	who := strings.Join(codes, " / ")
	var names []string
	var measures []data.Measure
	for _, m := range spec.measures {
		names, measures = append(names, m.name), append(measures, m.measure)
	}
	figures := selectObs(obs, func(o data.Observation) bool {
		return slices.Contains(codes, o.OccupationCode) && slices.Contains(measures, o.Measure) &&
			isNational(o) && periodKind(o.Period) == data.PeriodProjection
	})
	if len(figures) == 0 {
		return emptyBlock(id, spec.heading, "This snapshot has no "+spec.noun+" for "+who+"."), nil
	}
	editions := sortedPeriods(figures)
	labels := shortPeriods(editions)
	g := newGrid(labels, names)
	for _, o := range figures {
		putBest(g, slices.Index(measures, o.Measure), indexOf(editions, o.Period), o)
	}
	g = g.withoutEmptySeries()
	who = codesIn(codes, g.observations())
	cs := chartsSpec(id, spec.title+" of "+namedCodes(code, codes, g.observations(), obs), "United States, editions "+labels[0]+" to "+labels[len(labels)-1], spec.unit.Label(), g)
	chart, err := charts.Projections(cs, labels, g.chartSeries())
	if err != nil {
		return Block{}, chartError(id, err)
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
	}, nil
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
