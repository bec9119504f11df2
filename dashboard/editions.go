package dashboard

import (
	"fmt"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"github.com/labdash/labdash/charts"
	"github.com/labdash/labdash/data"
)

// editionMeasure is one measure an Employment Projections edition carries.
// Base-year employment is published with a bare year ("2024") and belongs
// to the edition that starts that year.
type editionMeasure struct {
	id         string
	measure    data.Measure
	kind       data.PeriodKind
	chartTitle string
	note       string
	label      string // "": the measure's label
}

// Label names the measure in the table and its chart's heading.
func (m editionMeasure) Label() string {
	if m.label != "" {
		return m.label
	}
	return m.measure.Label()
}

var editionMeasures = []editionMeasure{
	{id: "growth", measure: data.MeasureProjectedGrowthPct, kind: data.PeriodProjection, chartTitle: "Projected growth, ten years"},
	{id: "change", measure: data.MeasureEmploymentChange, kind: data.PeriodProjection, chartTitle: "Projected employment change"},
	{id: "openings", measure: data.MeasureAnnualOpenings, kind: data.PeriodProjection, chartTitle: "Average annual openings",
		note: "average over the edition's decade"},
	{id: "base-employment", measure: data.MeasureEmployment, kind: data.PeriodYear, chartTitle: "Employment in base year",
		note: "the edition's base year; includes the self-employed", label: "Base-year employment"},
	{id: "projected-employment", measure: data.MeasureProjectedEmployment, kind: data.PeriodProjection, chartTitle: "Projected employment",
		note: "at the edition's end year; includes the self-employed"},
}

// editionTexts are the words an edition gives, shown in the edition cards.
var editionTexts = []editionMeasure{
	{measure: data.MeasureJobOutlookCategory, kind: data.PeriodProjection, note: "the thresholds behind these words change between editions"},
	{measure: data.MeasureTypicalEntryEducation, kind: data.PeriodProjection},
}

// EditionMeasures lists the measures the editions page reads.
func EditionMeasures() []data.Measure {
	var out []data.Measure
	for _, m := range append(slices.Clone(editionMeasures), editionTexts...) {
		out = append(out, m.measure)
	}
	return out
}

// ProjectionMeasures lists the measures only an edition carries (not the
// base-year count, which other figures share): the codes with any of them
// are the page's choices.
func ProjectionMeasures() []data.Measure {
	return slices.DeleteFunc(EditionMeasures(), func(m data.Measure) bool { return m == data.MeasureEmployment })
}

// EditionsQuery is the editions page's validated query.
type EditionsQuery struct {
	Controls []Control
	Subject  TrendSubject
}

// ParseEditions reads code: an occupation code with projections in the
// snapshot, or a family id for all of a family's codes side by side.
func ParseEditions(q url.Values, occupations []data.Facet) (EditionsQuery, error) {
	if err := CheckParams(q, "code"); err != nil {
		return EditionsQuery{}, err
	}
	c := subjectControl(occupations)
	c.Name, c.Label = "code", "Occupation or family"
	id, err := chooseAvailable(q, &c, data.CodeClinicalLabEP)
	if err != nil {
		return EditionsQuery{}, err
	}
	eq := EditionsQuery{Controls: []Control{c}}
	if f, ok := data.FamilyByID(id); ok {
		eq.Subject = SubjectOfFamily(f)
	} else if id != "" {
		eq.Subject = SubjectOfCode(id, titleOf(occupations, id))
	}
	return eq, nil
}

// editionFigures are the subject's national figures keyed to editions.
type editionFigures struct {
	editions []string // "2024-2034", in time order
	labels   []string // "2024-34"
	codes    []string // the subject's codes with any figure, in subject order
	titles   map[string]string
	obs      []data.Observation
	// unmatched are base-year counts' years no edition in the snapshot
	// starts in: shown on the trends page, not here.
	unmatched []string
}

// collectEditions finds every edition any of the subject's codes has a
// projection figure for; base-year counts join the edition starting that year.
func collectEditions(subj TrendSubject, obs []data.Observation) editionFigures {
	mine := selectObs(obs, func(o data.Observation) bool {
		return isNational(o) && slices.Contains(subj.Codes, o.OccupationCode)
	})
	projections := selectObs(mine, func(o data.Observation) bool { return periodKind(o.Period) == data.PeriodProjection })
	ef := editionFigures{editions: sortedPeriods(projections), titles: titlesOfCodes(subj.Codes, obs)}
	starts := map[string]bool{}
	for _, e := range ef.editions {
		ef.labels = append(ef.labels, data.ShortPeriod(e))
		p, _ := data.ParsePeriod(e)
		starts[strconv.Itoa(p.StartYear)] = true
	}
	ef.obs = selectObs(mine, func(o data.Observation) bool {
		return periodKind(o.Period) == data.PeriodProjection || (o.Measure == data.MeasureEmployment && starts[o.Period])
	})
	for _, o := range mine {
		if o.Measure == data.MeasureEmployment && periodKind(o.Period) == data.PeriodYear && !starts[o.Period] && !slices.Contains(ef.unmatched, o.Period) {
			ef.unmatched = append(ef.unmatched, o.Period)
		}
	}
	slices.Sort(ef.unmatched)
	for _, c := range subj.Codes {
		if slices.ContainsFunc(ef.obs, func(o data.Observation) bool { return o.OccupationCode == c }) {
			ef.codes = append(ef.codes, c)
		}
	}
	return ef
}

// edition is the index of the edition an observation belongs to, or -1.
func (ef editionFigures) edition(o data.Observation, m editionMeasure) int {
	if o.Measure != m.measure || periodKind(o.Period) != m.kind {
		return -1
	}
	for i, e := range ef.editions {
		p, _ := data.ParsePeriod(e)
		if o.Period == e || (m.kind == data.PeriodYear && o.Period == strconv.Itoa(p.StartYear)) {
			return i
		}
	}
	return -1
}

func (ef editionFigures) name(code string) string { return ef.titles[code] + " (" + code + ")" }

// EditionBlock charts one measure across every edition in the store, one
// bar per code, so revisions from edition to edition read side by side.
func EditionBlock(m editionMeasure, subj TrendSubject, ef editionFigures) (Block, error) {
	heading := m.Label() + " by edition"
	names := make([]string, len(ef.codes))
	for i, c := range ef.codes {
		names[i] = ef.name(c)
	}
	g := newGrid(ef.labels, names)
	for _, o := range ef.obs {
		if e := ef.edition(o, m); e >= 0 {
			putBest(g, indexOf(ef.codes, o.OccupationCode), e, o)
		}
	}
	g = g.withoutEmptySeries()
	if len(g.cells) == 0 {
		return emptyBlock(m.id, heading, fmt.Sprintf("This snapshot has no %s figures for %s in any edition.", strings.ToLower(m.Label()), subj.Title)), nil
	}
	spec := charts.Spec{
		ID:       m.id,
		Title:    m.chartTitle,
		Subtitle: fmt.Sprintf("%sUnited States, editions %s to %s", whoseFigures(g), ef.labels[0], ef.labels[len(ef.labels)-1]),
		Unit:     g.observations()[0].Unit.Label(),
		Source:   sourceLine(g.observations()),
	}
	chart, err := charts.Projections(spec, ef.labels, g.chartSeries())
	if err != nil {
		return Block{}, chartError(m.id, err)
	}
	caveats := []string{"Each edition is a separate projection made that year; a later edition revises, not continues, the earlier ones. A missing bar means the snapshot has no figure for that edition, not zero."}
	if m.measure == data.MeasureEmployment {
		caveats = append(caveats, "Base-year employment is the Employment Projections count for the year an edition starts (e.g. 2024 for 2024-34); it includes the self-employed, unlike OEWS employment.")
	}
	return Block{
		ID: m.id, Heading: heading, Chart: chart,
		Table:        g.table(m.chartTitle+", United States, by edition", "Edition"),
		Observations: g.observations(),
		Summary:      g.summary(true),
		Caveats:      caveats,
	}, nil
}

// editionTable is the all-measures table: one row per edition, one column
// per measure (and code), the outlook words and entry education included. It
// is a block with a table and no chart; its CSV holds exactly its figures.
func editionTable(ef editionFigures) Block {
	all := append(slices.Clone(editionMeasures), editionTexts...)
	var columns []string
	type column struct {
		code string
		m    editionMeasure
	}
	var cols []column
	for _, code := range ef.codes {
		for _, m := range all {
			label := m.Label()
			if len(ef.codes) > 1 {
				label += " · " + code
			}
			columns = append(columns, label)
			cols = append(cols, column{code, m})
		}
	}
	g := newGrid(ef.labels, columns)
	for _, o := range ef.obs {
		for c, col := range cols {
			if o.OccupationCode == col.code {
				if e := ef.edition(o, col.m); e >= 0 {
					putBest(g, c, e, o)
				}
			}
		}
	}
	g = g.withoutEmptySeries()
	return Block{
		ID:           "all-editions",
		Heading:      "Every edition, every measure",
		Table:        g.table("Employment Projections editions: every figure this snapshot holds, United States", "Edition"),
		Observations: g.observations(),
		Caveats:      []string{"Employment and openings are jobs (the self-employed included); growth is percent over the edition's decade; a dash means the snapshot has no figure for that edition."},
	}
}

// revisionSentence says how projected growth moved from the first edition
// to the last, for each code with two or more editions.
func revisionSentence(ef editionFigures) string {
	var out []string
	for _, code := range ef.codes {
		var first, last *data.Observation
		for _, o := range ef.obs {
			if o.OccupationCode != code || ef.edition(o, editionMeasures[0]) < 0 || o.Value == nil {
				continue
			}
			o := o
			if first == nil || better(*first, o) {
				first = &o
			}
			if last == nil || better(o, *last) {
				last = &o
			}
		}
		if first != nil && first.Period != last.Period {
			out = append(out, fmt.Sprintf("Projected growth for %s was revised from %s (%s) to %s (%s).",
				code, FormatValue(*first), data.ShortPeriod(first.Period), FormatValue(*last), data.ShortPeriod(last.Period)))
		}
	}
	return strings.Join(out, " ")
}

// outlookWordsNote explains that the OOH's words follow thresholds that
// change between editions, with the snapshot's own examples.
func outlookWordsNote(ef editionFigures) string {
	note := "The Occupational Outlook Handbook turns projected growth into words (\"faster than average\", " +
		"\"about as fast as average\") by comparing it with the projected growth of all occupations in the same edition, " +
		"so the growth rates behind each phrase change between editions."
	var examples []string
	for _, o := range ef.obs {
		if o.Measure != data.MeasureJobOutlookCategory {
			continue
		}
		growth := selectObs(ef.obs, func(g data.Observation) bool {
			return g.OccupationCode == o.OccupationCode && g.Period == o.Period && g.Measure == data.MeasureProjectedGrowthPct && g.Value != nil
		})
		if best, ok := latestBest(growth); ok {
			examples = append(examples, fmt.Sprintf("%s growth of %s for %s was \"%s\"", data.ShortPeriod(o.Period), FormatValue(best), o.OccupationCode, o.Text))
		}
	}
	slices.Sort(examples) // they start with the edition: time order
	if len(examples) > 0 {
		note += " In this snapshot: " + strings.Join(examples, "; ") + "."
	}
	return note
}

// BuildEditions assembles the editions page: one chart per measure across
// every edition, the edition cards with all measures, and the revision.
func BuildEditions(snap data.Snapshot, eq EditionsQuery, obs []data.Observation) (Page, error) {
	ef := collectEditions(eq.Subject, obs)
	p := Page{
		Name:     "editions",
		Title:    "Projection editions: how the outlook for " + eq.Subject.Title + " was revised",
		Snapshot: snap,
		Controls: eq.Controls,
	}
	if len(ef.editions) == 0 {
		p.Notes = []string{"This snapshot has no Employment Projections figures for " + eq.Subject.Title + "."}
		return p, nil
	}
	p.Intro = joinSentenceParts("Every Employment Projections edition in this snapshot ("+ef.labels[0]+" to "+ef.labels[len(ef.labels)-1]+
		") side by side; each edition is a new projection, so the differences are revisions", revisionSentence(ef),
		"The table lists every figure of each edition; the charts below it follow one measure across editions")
	bs := blocks{list: []Block{editionTable(ef)}}
	for _, m := range editionMeasures {
		bs.add(EditionBlock(m, eq.Subject, ef))
	}
	if bs.err != nil {
		return Page{}, bs.err
	}
	p.Blocks = bs.list
	p.Notes = append(p.Notes, outlookWordsNote(ef))
	if len(ef.unmatched) > 0 {
		p.Notes = append(p.Notes, "Employment Projections job counts for "+strings.Join(ef.unmatched, ", ")+
			" belong to editions this snapshot does not hold, so they are not shown here; the trends page (measure: employment) shows every count.")
	}
	if eq.Subject.Note != "" {
		p.Notes = append(p.Notes, eq.Subject.Note)
	}
	return p, nil
}
