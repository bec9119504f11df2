package dashboard

import (
	"fmt"
	"net/url"
	"slices"
	"strings"

	"github.com/labdash/labdash/charts"
	"github.com/labdash/labdash/data"
)

// compareFactSpecs are the measures set side by side. OEWS and Employment
// Projections employment are two rows: they count different jobs.
var compareFactSpecs = []factSpec{
	{measure: data.MeasureMedianAnnualWage, kind: data.PeriodOEWS},
	{measure: data.MeasureMedianHourlyWage, kind: data.PeriodOEWS},
	{measure: data.MeasureEmployment, kind: data.PeriodOEWS, note: "OEWS estimate; excludes the self-employed", label: "Employment (OEWS)"},
	{measure: data.MeasureEmployment, kind: data.PeriodYear, note: epJobsNote, label: "Number of jobs (Employment Projections)"},
	{measure: data.MeasureProjectedGrowthPct, kind: data.PeriodProjection},
	{measure: data.MeasureAnnualOpenings, kind: data.PeriodProjection, note: "average over the projection decade"},
	{measure: data.MeasureTypicalEntryEducation, kind: data.PeriodProjection},
}

// CompareQuery is the compare page's validated query: two or three
// distinct occupation codes.
type CompareQuery struct {
	Controls []Control
	Codes    []string
	Titles   map[string]string
}

// owners maps each code whose figures count for a chosen occupation to
// that occupation: a chosen code takes the figures of the codes of the
// same occupation (data.Family.SameOccupation: 29-2010 those of 29-2018,
// one occupation under EP's and OEWS's codes), as the home page's quick
// facts do, unless that code is itself being compared. Each figure still
// shows the code it was published under.
func (cq CompareQuery) owners() owners {
	owner := owners{}
	for _, c := range cq.Codes {
		owner[c] = c
	}
	for _, c := range cq.Codes {
		for _, sibling := range data.OccupationFamily(c).SameOccupation(c) {
			if _, taken := owner[sibling]; !taken {
				owner[sibling] = c
			}
		}
	}
	return owner
}

// owners maps a published code to the chosen occupation it counts for.
type owners map[string]string

// of is the chosen occupation a figure counts for, or "": the one its code
// belongs to, if the family's rules let the figure stand for it
// (data.Family.CountsFor: from the classification change on).
func (ow owners) of(o data.Observation) string {
	owner := ow[o.OccupationCode]
	if owner == "" || !data.OccupationFamily(owner).CountsFor(owner, o) {
		return ""
	}
	return owner
}

// ReadCodes are the codes whose figures the page needs.
func (cq CompareQuery) ReadCodes() []string {
	var out []string
	for c := range cq.owners() {
		out = append(out, c)
	}
	slices.Sort(out)
	return out
}

// siblingsOf lists the codes other than code whose figures count for it.
func siblingsOf(owner owners, code string) []string {
	var out []string
	for c, o := range owner {
		if o == code && c != code {
			out = append(out, c)
		}
	}
	slices.Sort(out)
	return out
}

// ParseCompare reads a and b (required, with defaults) and c (optional).
func ParseCompare(q url.Values, occupations []data.Facet) (CompareQuery, error) {
	if err := CheckParams(q, "a", "b", "c"); err != nil {
		return CompareQuery{}, err
	}
	cq := CompareQuery{Titles: map[string]string{}}
	for _, o := range occupations {
		cq.Titles[o.Value] = titleOf(occupations, o.Value)
	}
	options := occupationOptions(occupations)
	defaults := []string{data.CodeClinicalLabEP, data.CodePhlebotomists}
	for i, name := range []string{"a", "b", "c"} {
		c := Control{Name: name, Label: fmt.Sprintf("Occupation %d", i+1), Options: slices.Clone(options)}
		var code string
		var err error
		if name == "c" {
			c.Label = "Occupation 3 (optional)"
			c.Options = append([]Option{{Value: "", Label: "(none)"}}, c.Options...)
			code, err = choose(q, &c, "")
		} else {
			code, err = chooseDefault(q, &c, defaults[i], i)
		}
		if err != nil {
			return cq, err
		}
		if code != "" && slices.Contains(cq.Codes, code) {
			return cq, &ParamError{Param: name, Value: code, Why: "is already being compared; choose a different occupation"}
		}
		if code != "" {
			cq.Codes = append(cq.Codes, code)
		}
		cq.Controls = append(cq.Controls, c)
	}
	if len(cq.Codes) < 2 {
		return cq, &ParamError{Param: "b", Value: q.Get("b"), Why: "cannot be honoured: this snapshot has fewer than two occupations to compare"}
	}
	return cq, nil
}

// chooseDefault picks def, or when the snapshot lacks it the option at
// position i, so that a and b default to two different occupations.
func chooseDefault(q url.Values, c *Control, def string, i int) (string, error) {
	if !slices.ContainsFunc(c.Options, func(o Option) bool { return o.Value == def }) && i < len(c.Options) {
		def = c.Options[i].Value
	}
	return choose(q, c, def)
}

// BuildCompare sets two or three occupations side by side: their quick
// facts, each with its own period, and charts on the periods they share.
func BuildCompare(snap data.Snapshot, cq CompareQuery, obs []data.Observation) (Page, error) {
	names := make([]string, len(cq.Codes))
	for i, c := range cq.Codes {
		names[i] = cq.Titles[c] + " (" + c + ")"
	}
	p := Page{
		Name:     "compare",
		Title:    "Compare: " + strings.Join(names, " · "),
		Snapshot: snap,
		Controls: cq.Controls,
		Intro: "National figures side by side. Each figure carries its own period; a comparison is like-for-like " +
			"only where the periods match, and the charts use only the periods the occupations share.",
		Facts: compareFacts(cq, obs, snap.Origins),
	}
	if history := classificationHistory(cq.Codes); history != "" {
		p.Intro += " " + history
	}
	owner := cq.owners()
	var bs blocks
	for _, sc := range []sharedChart{
		{"wage", "Median annual wage in shared May periods", "Median annual wage", data.MeasureMedianAnnualWage, data.PeriodOEWS},
		{"growth", "Projected growth in shared editions", "Projected growth, ten years", data.MeasureProjectedGrowthPct, data.PeriodProjection},
		{"openings", "Annual openings in shared editions", "Average annual openings", data.MeasureAnnualOpenings, data.PeriodProjection},
	} {
		bs.add(sharedPeriodBlock(sc, cq.Codes, names, owner, obs))
	}
	if bs.err != nil {
		return Page{}, bs.err
	}
	p.Blocks = bs.list
	seen := map[string]bool{}
	for _, c := range cq.Codes {
		if f, ok := data.FamilyOf(c); ok && !seen[f.ID] {
			seen[f.ID] = true
			p.Notes = append(p.Notes, f.Title+": "+f.Note)
		}
	}
	return p, nil
}

// compareFacts is one fact column per occupation. Every figure of a column
// comes from one OEWS release and one Employment Projections edition, and
// every row from one period, so that no May 2012 count stands beside a May
// 2023 one, nor a 2016-26 figure under a 2014-24 one: the pay rows share the
// release of the median annual wage (compareAnchors), the outlook rows the
// edition of projected growth (the jobs row its base year). A row whose
// anchor no period shares falls back to the latest period every
// occupation has (sharedPeriod), else each shows its own latest and the row
// says so.
func compareFacts(cq CompareQuery, obs []data.Observation, origins data.Origins) []FactColumn {
	owner := cq.owners()
	columns := make([]FactColumn, len(cq.Codes))
	for i, code := range cq.Codes {
		f, _ := data.FamilyOf(code)
		note := f.Note
		if siblings := siblingsOf(owner, code); len(siblings) > 0 {
			note = joinSentenceParts(fmt.Sprintf("Figures published under %s from %d on count here too: the same occupation under another program's code", strings.Join(siblings, ", "), f.BreakYear), note)
		}
		columns[i].Family = data.Family{ID: "occupation-" + code, Title: cq.Titles[code] + " (" + code + ")", Note: note}
	}
	fp := factPicker{obs: obs, origins: origins}
	anchors := compareAnchors(cq, owner, obs, origins)
	for _, spec := range compareFactSpecs {
		figures := selectObs(obs, func(o data.Observation) bool { return owner.of(o) != "" && spec.answers(o) })
		mine := func(code, period string) []data.Observation {
			return selectObs(figures, func(o data.Observation) bool {
				return owner.of(o) == code && (period == "" || o.Period == period)
			})
		}
		has := func(code, period string) (exists, file bool) {
			c := mine(code, period)
			return len(c) > 0, slices.ContainsFunc(c, origins.FromBLSFile)
		}
		shared, fromFile := "", false
		if anchor := anchors[spec.kind]; anchor.period != "" {
			shared = periodFor(spec, anchor.period)
			fromFile = everyCodeHas(cq.Codes, shared, has, true)
		} else {
			shared, fromFile = sharedPeriod(cq.Codes, sortedPeriods(figures), has)
		}
		picked := make([]*data.Observation, len(cq.Codes))
		for i, code := range cq.Codes {
			var best data.Observation
			var ok bool
			if shared != "" {
				best, ok = fp.best(mine(code, shared))
			} else {
				best, ok = latestBest(mine(code, ""))
			}
			if ok {
				picked[i] = &best
			}
		}
		note := joinSentenceParts(spec.note, periodComparison(cq.Codes, picked, shared, fromFile))
		for i := range cq.Codes {
			f := Fact{Label: spec.Label(), Measure: spec.measure, Observation: picked[i], Note: note}
			if spec.measure == data.MeasureProjectedGrowthPct && picked[i] != nil {
				// As on the home page's cards: the OOH's rounding, then the
				// unrounded value and the edition's outlook words.
				f.Shown, f.Detail = fp.growthWords(*picked[i])
			}
			columns[i].Facts = append(columns[i].Facts, f)
		}
	}
	return columns
}

// compareAnchor is the release or edition a group of rows shares.
type compareAnchor struct{ period string }

// compareAnchors picks, for the OEWS rows, the release of the median annual
// wage and, for the Employment Projections rows (the base-year count is the
// edition's first year), the edition of projected growth: the latest period
// every occupation has from a BLS file, else the latest every occupation
// has at all. A kind no period is shared for gets no anchor.
func compareAnchors(cq CompareQuery, owner owners, obs []data.Observation, origins data.Origins) map[data.PeriodKind]compareAnchor {
	out := map[data.PeriodKind]compareAnchor{}
	for _, spec := range []factSpec{payFacts[0], growthFact} {
		figures := selectObs(obs, func(o data.Observation) bool { return owner.of(o) != "" && spec.answers(o) })
		period, _ := sharedPeriod(cq.Codes, sortedPeriods(figures), func(code, period string) (exists, file bool) {
			c := selectObs(figures, func(o data.Observation) bool { return owner.of(o) == code && o.Period == period })
			return len(c) > 0, slices.ContainsFunc(c, origins.FromBLSFile)
		})
		if period == "" {
			continue
		}
		out[spec.kind] = compareAnchor{period}
		if spec.kind == data.PeriodProjection {
			out[data.PeriodYear] = compareAnchor{period}
		}
	}
	return out
}

// everyCodeHas reports whether every code has a figure in period (from a
// BLS file, when fileOnly).
func everyCodeHas(codes []string, period string, has func(code, period string) (exists, file bool), fileOnly bool) bool {
	for _, c := range codes {
		a, f := has(c, period)
		if !a || (fileOnly && !f) {
			return false
		}
	}
	return true
}

// sharedPeriod is the latest of periods (in time order) in which every code
// has a figure from a BLS file, else the latest in which every code has one
// at all, else "".
func sharedPeriod(codes, periods []string, has func(code, period string) (exists, file bool)) (period string, fromFile bool) {
	for _, fileOnly := range []bool{true, false} {
		for i := len(periods) - 1; i >= 0; i-- {
			if everyCodeHas(codes, periods[i], has, fileOnly) {
				return periods[i], fileOnly
			}
		}
	}
	return "", false
}

// periodComparison says which release or edition a fact row's figures come
// from, or why they do not share one.
func periodComparison(codes []string, picked []*data.Observation, shared string, fromFile bool) string {
	var have, parts []string
	for i, o := range picked {
		if o != nil {
			have = append(have, codes[i])
			parts = append(parts, codes[i]+": "+data.ShortPeriod(o.Period))
		}
	}
	all := "all of them"
	if len(have) == 2 {
		all = "both"
	}
	switch {
	case len(have) == 0:
		return ""
	case shared != "" && len(have) < len(codes):
		return fmt.Sprintf("Shown for %s only: %s has no figure for %s in this snapshot, and a figure of another period would not compare.",
			strings.Join(have, " and "), strings.Join(missingCodes(codes, picked), " and "), data.ShortPeriod(shared))
	case len(have) == 1:
		return "Only " + have[0] + " has this figure in this snapshot, so there is nothing to set it beside."
	case shared != "":
		s := fmt.Sprintf("Same period for %s (%s): a like-for-like comparison", all, data.ShortPeriod(shared))
		if !fromFile {
			s += "; no period has this figure from a BLS file for " + all
		}
		return s + "."
	}
	return "No period has this figure for " + all + " (" + strings.Join(parts, "; ") +
		"), so each shows its latest: do not compare these figures with each other."
}

// missingCodes are the codes with no picked figure.
func missingCodes(codes []string, picked []*data.Observation) []string {
	var out []string
	for i, o := range picked {
		if o == nil {
			out = append(out, codes[i])
		}
	}
	return out
}

// classificationHistory explains how the chosen codes relate when two of
// them belong to one family across a classification change.
func classificationHistory(codes []string) string {
	var out []string
	for i, a := range codes {
		for _, b := range codes[i+1:] {
			fa, oka := data.FamilyOf(a)
			fb, okb := data.FamilyOf(b)
			if oka && okb && fa.ID == fb.ID && fa.Changed() {
				out = append(out, familyPair(fa, a, b))
			}
		}
	}
	return strings.Join(out, " ")
}

// familyPair says how two codes of one family relate: part and whole,
// two parts, or one occupation under two programs' codes.
func familyPair(f data.Family, a, b string) string {
	parts := strings.Join(f.Retired, " + ")
	switch {
	case f.IsRetired(a) && f.IsRetired(b):
		return fmt.Sprintf("%s and %s are the two parts of one occupation, published separately %s; from May %d OEWS publishes them together as %s (= %s).",
			a, b, f.RetiredUntil(), f.BreakYear, data.CodeClinicalLabOEWS, parts)
	case f.IsRetired(a) || f.IsRetired(b):
		part, whole := a, b
		if f.IsRetired(b) {
			part, whole = b, a
		}
		return fmt.Sprintf("%s, so %s is part of %s, not a separate occupation.", combinedCode(f, whole, parts), part, whole)
	}
	return fmt.Sprintf("%s and %s are one occupation under the codes of different programs: %s; %s.",
		a, b, combinedCode(f, data.CodeClinicalLabOEWS, parts), combinedCode(f, data.CodeClinicalLabEP, parts))
}

// combinedCode says what a combined code covers and since when.
func combinedCode(f data.Family, code, parts string) string {
	if code == data.CodeClinicalLabOEWS {
		return fmt.Sprintf("%s = %s from May %d (OEWS, SOC 2018)", code, parts, f.BreakYear)
	}
	return fmt.Sprintf("%s = %s (the Employment Projections and OOH code)", code, parts)
}

func joinSentenceParts(parts ...string) string {
	var out []string
	for _, p := range parts {
		if p = strings.TrimSpace(p); p != "" {
			if !strings.HasSuffix(p, ".") {
				p += "."
			}
			out = append(out, strings.ToUpper(p[:1])+p[1:])
		}
	}
	return strings.Join(out, " ")
}

// sharedChart is one chart of the compare page.
type sharedChart struct {
	id, heading, title string
	measure            data.Measure
	kind               data.PeriodKind
}

// sharedPeriodBlock draws one measure for the chosen occupations only in
// periods where at least two of them have a figure, as grouped bars, so
// every bar has a like-for-like neighbour.
func sharedPeriodBlock(sc sharedChart, codes, names []string, owner owners, obs []data.Observation) (Block, error) {
	figures := selectObs(obs, func(o data.Observation) bool {
		return o.Measure == sc.measure && isNational(o) && periodKind(o.Period) == sc.kind && owner.of(o) != ""
	})
	byPeriod := map[string]map[string]bool{}
	for _, o := range figures {
		if byPeriod[o.Period] == nil {
			byPeriod[o.Period] = map[string]bool{}
		}
		byPeriod[o.Period][owner.of(o)] = true
	}
	figures = selectObs(figures, func(o data.Observation) bool { return len(byPeriod[o.Period]) >= 2 })
	periodWord := map[data.PeriodKind]string{data.PeriodOEWS: "May period", data.PeriodProjection: "projections edition"}[sc.kind]
	if len(figures) == 0 {
		why := fmt.Sprintf("No %s has a national %s figure for at least two of %s in this snapshot, so there is nothing to compare like for like.",
			periodWord, strings.ToLower(sc.title), strings.Join(codes, ", "))
		if sc.kind == data.PeriodOEWS { // OEWS May periods are where the 2019 change bites
			why = joinSentenceParts(why, classificationHistory(codes))
		}
		return emptyBlock(sc.id, sc.heading, why), nil
	}
	periods := sortedPeriods(figures)
	labels := shortPeriods(periods)
	g := newGrid(labels, names)
	for _, o := range figures {
		putBest(g, indexOf(codes, owner.of(o)), indexOf(periods, o.Period), o)
	}
	spec := charts.Spec{
		ID:       sc.id,
		Title:    sc.title,
		Subtitle: fmt.Sprintf("United States, %s to %s (shared)", labels[0], labels[len(labels)-1]),
		Unit:     figures[0].Unit.Label(),
		Source:   sourceLine(g.observations()),
	}
	if len(labels) == 1 {
		spec.Subtitle = fmt.Sprintf("United States, %s (shared)", labels[0])
	}
	chart, err := charts.Projections(spec, labels, g.chartSeries())
	if err != nil {
		return Block{}, chartError(sc.id, err)
	}
	caveats := []string{fmt.Sprintf("Only %ss in which at least two of the chosen occupations have a figure are shown; a missing bar means no figure, not zero.", periodWord)}
	if sc.kind == data.PeriodOEWS {
		caveats = append(caveats, "Wages are in current dollars, not adjusted for inflation.")
	} else {
		caveats = append(caveats, "Each edition is a separate projection; compare occupations within an edition, not across editions.")
	}
	return Block{
		ID: sc.id, Heading: sc.heading, Chart: chart,
		Table:        g.table(sc.title+", United States, by shared "+periodWord, strings.ToUpper(periodWord[:1])+periodWord[1:]),
		Observations: g.observations(),
		Summary:      compareSummary(g),
		Caveats:      caveats,
	}, nil
}

// compareSummary is the chart's sentence: largest and smallest figure, and
// the figures of the latest shared period side by side.
func compareSummary(g *grid) string {
	s := strings.TrimSuffix(g.summary(false), ".")
	last := len(g.categories) - 1
	var parts []string
	for i, name := range g.series {
		if o, ok := g.get(i, last); ok {
			parts = append(parts, name+" "+FormatValue(o))
		}
	}
	if len(parts) >= 2 {
		s += "; in " + g.categories[last] + ", the latest shared: " + strings.Join(parts, ", ")
	}
	return s + "."
}
