package dashboard

import (
	"sort"

	"github.com/labdash/labdash/data"
)

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
