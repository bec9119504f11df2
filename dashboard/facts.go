// Package dashboard turns a snapshot's observations into the figures and
// chart inputs a page shows: which figure answers "median pay", which
// observations feed a chart, in what order. It knows nothing of HTTP or HTML.
package dashboard

import (
	"slices"
	"sort"

	"github.com/labdash/labdash/data"
)

// Fact is one quick fact: a figure with everything needed to cite it.
type Fact struct {
	Label       string
	Measure     data.Measure
	Observation *data.Observation // nil when the snapshot has no such figure
	Note        string            // a caveat shown beside the figure
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
const epJobsNote = "Employment Projections count; includes the self-employed"

var quickFactSpecs = []factSpec{
	{measure: data.MeasureMedianAnnualWage, kind: data.PeriodOEWS},
	{measure: data.MeasureMedianHourlyWage, kind: data.PeriodOEWS},
	{measure: data.MeasureEmployment, kind: data.PeriodYear, note: epJobsNote, label: "Number of jobs"},
	{measure: data.MeasureProjectedGrowthPct, kind: data.PeriodProjection},
	{measure: data.MeasureEmploymentChange, kind: data.PeriodProjection},
	{measure: data.MeasureAnnualOpenings, kind: data.PeriodProjection, note: "average over the projection decade"},
	{measure: data.MeasureTypicalEntryEducation, kind: data.PeriodProjection},
}

// QuickFacts picks, for each quick fact, the national cross-industry figure
// of the family's current codes with the latest period of the right kind;
// between figures of one period the better tier wins. Codes retired by a
// classification change (Family.Retired) are not used: their figures
// describe part of the occupation only.
func QuickFacts(f data.Family, obs []data.Observation) []Fact {
	current := f.Current()
	var facts []Fact
	for _, spec := range quickFactSpecs {
		fact := Fact{Label: spec.Label(), Measure: spec.measure, Note: spec.note}
		candidates := selectObs(obs, func(o data.Observation) bool {
			return slices.Contains(current, o.OccupationCode) && spec.answers(o)
		})
		if best, ok := latestBest(candidates); ok {
			fact.Observation = &best
		}
		facts = append(facts, fact)
	}
	return facts
}

// latestBest returns the observation with the latest period, the better
// tier breaking ties, then the occupation code (stable across runs).
func latestBest(obs []data.Observation) (data.Observation, bool) {
	if len(obs) == 0 {
		return data.Observation{}, false
	}
	sort.SliceStable(obs, func(i, j int) bool { return better(obs[i], obs[j]) })
	return obs[0], true
}

func better(a, b data.Observation) bool {
	if a.Period != b.Period {
		return data.PeriodLess(b.Period, a.Period)
	}
	if a.Tier.Rank() != b.Tier.Rank() {
		return a.Tier.Rank() < b.Tier.Rank()
	}
	return a.OccupationCode > b.OccupationCode // 29-2018 (OEWS) before 29-2010 for wages
}

// answers reports whether o is a national figure of the spec's measure and
// period kind.
func (s factSpec) answers(o data.Observation) bool {
	return o.Measure == s.measure && isNational(o) && periodKind(o.Period) == s.kind
}

func isNational(o data.Observation) bool {
	return o.AreaCode == data.NationalAreaCode && o.CrossIndustry()
}

func periodKind(s string) data.PeriodKind {
	p, err := data.ParsePeriod(s)
	if err != nil {
		return data.PeriodInvalid
	}
	return p.Kind
}
