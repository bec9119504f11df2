// Package dashboard turns a snapshot's observations into the figures and
// chart inputs a page shows: which figure answers "median pay", which
// observations feed a chart, in what order. It knows nothing of HTTP or HTML.
package dashboard

import (
	"fmt"
	"slices"
	"sort"
	"strconv"
	"strings"

	"github.com/labdash/labdash/data"
)

// Fact is one quick fact: a figure with everything needed to cite it.
type Fact struct {
	Label       string
	Measure     data.Measure
	Observation *data.Observation // nil when the snapshot has no such figure
	Note        string            // a caveat shown beside the figure
	// Shown is the figure as the card writes it when that differs from
	// FormatValue: projected growth as the OOH rounds it ("2%").
	Shown string
	// Detail follows the figure: growth's unrounded value and BLS's
	// outlook words, or why there are none.
	Detail string
}

// Text is the figure as the card shows it.
func (f Fact) Text() string {
	switch {
	case f.Shown != "":
		return f.Shown
	case f.Observation != nil:
		return FormatValue(*f.Observation)
	}
	return ""
}

// factSpec says which measure and which kind of period answer a quick fact.
// A fact is labelled with its measure's label, unless label says which of
// two programs' figures of one measure it is.
type factSpec struct {
	measure data.Measure
	kind    data.PeriodKind
	note    string
	label   string
}

func (s factSpec) Label() string {
	if s.label != "" {
		return s.label
	}
	return s.measure.Label()
}

// epJobsNote says what an Employment Projections job count counts.
const epJobsNote = "Employment Projections count for the edition's base year; includes the self-employed"

// payFacts come from one OEWS release; outlookFacts and becomeFacts from
// one Employment Projections edition (the base-year count is the edition's
// first year).
var (
	payFacts = []factSpec{
		{measure: data.MeasureMedianAnnualWage, kind: data.PeriodOEWS},
		{measure: data.MeasureMedianHourlyWage, kind: data.PeriodOEWS},
	}
	growthFact   = factSpec{measure: data.MeasureProjectedGrowthPct, kind: data.PeriodProjection}
	outlookFacts = []factSpec{
		{measure: data.MeasureEmployment, kind: data.PeriodYear, note: epJobsNote, label: "Number of jobs"},
		growthFact,
		{measure: data.MeasureEmploymentChange, kind: data.PeriodProjection},
		{measure: data.MeasureAnnualOpenings, kind: data.PeriodProjection, note: "average over the projection decade"},
		{measure: data.MeasureTypicalEntryEducation, kind: data.PeriodProjection},
	}
	becomeFacts = []factSpec{
		{measure: data.MeasureTypicalEntryEducation, kind: data.PeriodProjection},
		{measure: data.MeasureWorkExperience, kind: data.PeriodProjection},
		{measure: data.MeasureOnTheJobTraining, kind: data.PeriodProjection},
	}
)

// FactColumn is one occupation's card of quick facts.
type FactColumn struct {
	Family data.Family
	Facts  []Fact
	// Release and Edition are the OEWS release ("May 2024") and the
	// Employment Projections edition ("2019-2029") of the card's figures;
	// "" when the snapshot has none.
	Release, Edition string
	// Releases says which OEWS release and which Employment Projections
	// edition the card's figures come from.
	Releases string
	// Newer names a newer release or edition the snapshot has only as
	// listed figures, with those figures: never a quick fact itself.
	Newer []string
	// Become is how to enter the occupation (education, experience,
	// training), from the card's edition.
	Become []Fact
}

// QuickFacts is the card's facts alone (FactCard).
func QuickFacts(f data.Family, obs []data.Observation, origins data.Origins) []Fact {
	return FactCard(f, obs, origins).Facts
}

// FactCard builds the quick facts of the family's current codes (national,
// all industries; codes retired by a classification change describe part
// of the occupation only and are not used): the pay figures from one OEWS
// release, the latest in which all of them were read from a BLS file, and
// the outlook figures from one Employment Projections edition, the latest
// whose projected growth was read from a BLS file (see chooseEdition). A
// newer release or edition that the snapshot has only as listed figures is
// named in a note, never used as a quick fact.
func FactCard(f data.Family, obs []data.Observation, origins data.Origins) FactColumn {
	current := f.Current()
	mine := selectObs(obs, func(o data.Observation) bool {
		return slices.Contains(current, o.OccupationCode) && isNational(o)
	})
	col := FactColumn{Family: f}
	fp := factPicker{obs: mine, origins: origins}

	release, payFromFile := fp.chooseRelease(payFacts)
	for _, spec := range payFacts {
		col.Facts = append(col.Facts, fp.fact(spec, release))
	}
	edition, outlookFromFile := fp.chooseEdition()
	for _, spec := range outlookFacts {
		col.Facts = append(col.Facts, fp.fact(spec, edition))
	}
	for _, spec := range becomeFacts {
		col.Become = append(col.Become, fp.fact(spec, edition))
	}
	col.Release, col.Edition = release, edition
	col.Releases = releasesSentence(release, payFromFile, edition, outlookFromFile, col.Facts, origins)
	if note := fp.newerRelease(release); note != "" {
		col.Newer = append(col.Newer, note)
	}
	if note := fp.newerEdition(edition); note != "" {
		col.Newer = append(col.Newer, note)
	}
	return col
}

// factPicker picks a card's figures among one occupation's national
// figures.
type factPicker struct {
	obs     []data.Observation
	origins data.Origins
}

// periodFor is the period a fact of spec has in a release or edition: the
// release or edition itself, or an edition's base year.
func periodFor(spec factSpec, releaseOrEdition string) string {
	if spec.kind != data.PeriodYear {
		return releaseOrEdition
	}
	p, err := data.ParsePeriod(releaseOrEdition)
	if err != nil {
		return ""
	}
	return strconv.Itoa(p.StartYear)
}

// candidates are the figures answering spec in a release or edition.
func (fp factPicker) candidates(spec factSpec, releaseOrEdition string) []data.Observation {
	period := periodFor(spec, releaseOrEdition)
	return selectObs(fp.obs, func(o data.Observation) bool {
		return o.Measure == spec.measure && o.Period == period && periodKind(o.Period) == spec.kind
	})
}

// best is the figure to show among candidates: one from a BLS file first,
// then the better tier, then the code order of better.
func (fp factPicker) best(cands []data.Observation) (data.Observation, bool) {
	if len(cands) == 0 {
		return data.Observation{}, false
	}
	sort.SliceStable(cands, func(i, j int) bool {
		a, b := fp.origins.FromBLSFile(cands[i]), fp.origins.FromBLSFile(cands[j])
		if a != b {
			return a
		}
		return better(cands[i], cands[j])
	})
	return cands[0], true
}

// fromFile reports whether spec has a figure from a BLS file in a release
// or edition.
func (fp factPicker) fromFile(spec factSpec, releaseOrEdition string) bool {
	return slices.ContainsFunc(fp.candidates(spec, releaseOrEdition), fp.origins.FromBLSFile)
}

func (fp factPicker) fact(spec factSpec, releaseOrEdition string) Fact {
	f := Fact{Label: spec.Label(), Measure: spec.measure, Note: spec.note}
	if o, ok := fp.best(fp.candidates(spec, releaseOrEdition)); ok {
		f.Observation = &o
		if spec.measure == data.MeasureProjectedGrowthPct {
			f.Shown, f.Detail = fp.growthWords(o)
		}
	}
	return f
}

// periodsOf lists the periods of kind among the figures of specs, latest
// first.
func (fp factPicker) periodsOf(specs []factSpec, kind data.PeriodKind) []string {
	var measures []data.Measure
	for _, s := range specs {
		measures = append(measures, s.measure)
	}
	periods := sortedPeriods(selectObs(fp.obs, func(o data.Observation) bool {
		return slices.Contains(measures, o.Measure) && periodKind(o.Period) == kind
	}))
	slices.Reverse(periods)
	return periods
}

// chooseRelease is the latest OEWS release in which every spec has a
// figure from a BLS file; failing that the latest in which every spec has
// a figure at all, else the latest with any ("" when there is none).
func (fp factPicker) chooseRelease(specs []factSpec) (release string, fromFile bool) {
	periods := fp.periodsOf(specs, data.PeriodOEWS)
	all := func(p string, has func(factSpec, string) bool) bool {
		return !slices.ContainsFunc(specs, func(s factSpec) bool { return !has(s, p) })
	}
	for _, p := range periods {
		if all(p, fp.fromFile) {
			return p, true
		}
	}
	for _, p := range periods {
		if all(p, func(s factSpec, p string) bool { return len(fp.candidates(s, p)) > 0 }) {
			return p, false
		}
	}
	if len(periods) > 0 {
		return periods[0], false
	}
	return "", false
}

// chooseEdition is the Employment Projections edition the outlook facts
// come from: the latest whose projected growth was read from a BLS file
// (an edition of which a BLS file gives only the education table, as
// education.xlsx does for some, has no outlook to show); failing that the
// latest with any outlook figure from a BLS file, else the latest edition.
func (fp factPicker) chooseEdition() (edition string, fromFile bool) {
	editions := fp.periodsOf(append(slices.Clone(outlookFacts), becomeFacts...), data.PeriodProjection)
	for _, e := range editions {
		if fp.fromFile(growthFact, e) {
			return e, true
		}
	}
	for _, e := range editions {
		for _, s := range outlookFacts {
			if fp.fromFile(s, e) {
				return e, true
			}
		}
	}
	if len(editions) > 0 {
		return editions[0], false
	}
	return "", false
}

// growthWords writes growth as the OOH rounds it, and after it the
// unrounded figure and BLS's outlook words for the edition: the words BLS
// gave this occupation (job_outlook_category) where the snapshot has them,
// else the words of the edition's published thresholds, else why none.
func (fp factPicker) growthWords(o data.Observation) (shown, detail string) {
	if o.Value == nil {
		return "", ""
	}
	rounded := data.RoundGrowth(*o.Value)
	shown = strconv.Itoa(rounded) + "%"
	var parts []string
	if float64(rounded) != *o.Value {
		parts = append(parts, FormatValue(o)+" before the OOH's rounding")
	}
	words := selectObs(fp.obs, func(w data.Observation) bool {
		return w.Measure == data.MeasureJobOutlookCategory && w.Period == o.Period && strings.TrimSpace(w.Text) != ""
	})
	if w, ok := fp.best(words); ok {
		parts = append(parts, fmt.Sprintf("BLS's outlook words for %s: %q (%s)", data.ShortPeriod(o.Period), w.Text, readWhere([]data.Observation{w}, fp.origins)))
	} else if text, why := data.OutlookWords(o.Period, *o.Value); text != "" {
		parts = append(parts, fmt.Sprintf("BLS's outlook words for %s: %q, from that edition's thresholds", data.ShortPeriod(o.Period), text))
	} else {
		parts = append(parts, "No outlook words: "+why)
	}
	return shown, strings.Join(parts, ". ") + "."
}

// Figures are the card's figures, the quick facts' and how-to-become-one's,
// each once.
func (c FactColumn) Figures() []data.Observation {
	var out []data.Observation
	seen := map[data.Key]bool{}
	for _, f := range append(slices.Clone(c.Facts), c.Become...) {
		if f.Observation != nil && !seen[f.Observation.Key()] {
			seen[f.Observation.Key()] = true
			out = append(out, *f.Observation)
		}
	}
	return out
}

// Notes are the card's words beside its figures, in order: each fact's
// detail (growth unrounded, outlook words), then the newer releases only
// listed.
func (c FactColumn) Notes() []string {
	var out []string
	for _, f := range c.Facts {
		if f.Detail != "" {
			out = append(out, f.Label+": "+f.Detail)
		}
	}
	return append(out, c.Newer...)
}
