// Package dashboard turns a snapshot's observations into the figures and
// chart inputs a page shows: which figure answers "median pay", which
// observations feed a chart, in what order. It knows nothing of HTTP or HTML.
package dashboard

import (
	"sort"

	"github.com/labdash/labdash/data"
)

// Fact is one quick fact: a figure with everything needed to cite it.
type Fact struct {
	Label       string
	Measure     string
	Observation *data.Observation // nil when the snapshot has no such figure
	Note        string            // a caveat shown beside the figure
}

// factSpec says which measure and which kind of period answer a quick fact.
type factSpec struct {
	label   string
	measure string
	kind    data.PeriodKind
	note    string
}

var quickFactSpecs = []factSpec{
	{"Median annual wage", "median_annual_wage", data.PeriodOEWS, ""},
	{"Median hourly wage", "median_hourly_wage", data.PeriodOEWS, ""},
	{"Number of jobs", "employment", data.PeriodYear, "Employment Projections count; includes the self-employed"},
	{"Projected growth", "projected_growth_pct", data.PeriodProjection, ""},
	{"Employment change", "employment_change", data.PeriodProjection, ""},
	{"Openings each year", "annual_openings", data.PeriodProjection, "average over the projection decade"},
	{"Typical entry education", "typical_entry_education", data.PeriodProjection, ""},
}

// QuickFacts picks, for each quick fact, the national cross-industry figure
// of the family's current codes with the latest period of the right kind;
// between figures of one period the better tier wins. Codes retired by a
// classification change (family members) are not used: their figures
// describe part of the occupation only.
func QuickFacts(f data.Family, obs []data.Observation) []Fact {
	current := map[string]bool{}
	for _, c := range f.Codes {
		current[c] = true
	}
	for _, m := range f.Members {
		delete(current, m)
	}
	var facts []Fact
	for _, spec := range quickFactSpecs {
		fact := Fact{Label: spec.label, Measure: spec.measure, Note: spec.note}
		var candidates []data.Observation
		for _, o := range obs {
			if current[o.OccupationCode] && o.Measure == spec.measure && isNational(o) && periodKind(o.Period) == spec.kind {
				candidates = append(candidates, o)
			}
		}
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
