package dashboard

import (
	"sort"

	"github.com/labdash/labdash/charts"
	"github.com/labdash/labdash/data"
)

// minStatesForRanking is how many states a period needs before the state
// chart prefers it over an older, fuller period.
const minStatesForRanking = 40

// StateWages ranks the states by mean annual wage for one occupation code,
// in the latest period that covers most states.
func StateWages(id, occupationCode, occupationTitle string, obs []data.Observation) (Block, error) {
	heading := "Mean annual wage by state"
	wages := selectObs(obs, func(o data.Observation) bool {
		return o.OccupationCode == occupationCode && o.Measure == data.MeasureMeanAnnualWage && o.CrossIndustry() &&
			data.KindOfArea(o.AreaCode) == data.AreaState
	})
	period := fullestRecentPeriod(wages)
	if period == "" {
		return emptyBlock(id, heading, "This snapshot has no state wages for "+occupationCode+"."), nil
	}
	wages = selectObs(wages, func(o data.Observation) bool { return o.Period == period })
	sort.SliceStable(wages, func(i, j int) bool { return wages[i].AreaTitle < wages[j].AreaTitle })
	var states []string
	for _, o := range wages {
		if indexOf(states, o.AreaTitle) < 0 {
			states = append(states, o.AreaTitle)
		}
	}
	g := newGrid(states, []string{period})
	for _, o := range wages {
		putBest(g, 0, indexOf(states, o.AreaTitle), o)
	}
	spec := charts.Spec{
		ID:       id,
		Title:    "Mean annual wage of " + occupationCode + " by state",
		Subtitle: "States and the District of Columbia, " + period,
		Unit:     data.MeasureMeanAnnualWage.Unit().Label(),
		Source:   sourceLine(g.observations()),
	}
	chart, err := charts.Ranking(spec, g.chartSeries()[0])
	if err != nil {
		return Block{}, chartError(id, err)
	}
	return Block{
		ID: id, Heading: heading, Chart: chart,
		Table:        g.table("Mean annual wage of "+occupationTitle+" by state, "+period, "State"),
		Observations: g.observations(),
		Summary:      g.summary(false),
		Caveats:      []string{"Mean wages of wage and salary workers from OEWS; the self-employed are not included."},
	}, nil
}

// fullestRecentPeriod is the latest period with at least
// minStatesForRanking states, else the period with the most states.
func fullestRecentPeriod(obs []data.Observation) string {
	count := map[string]int{}
	for _, o := range obs {
		count[o.Period]++
	}
	periods := sortedPeriods(obs)
	for i := len(periods) - 1; i >= 0; i-- {
		if count[periods[i]] >= minStatesForRanking {
			return periods[i]
		}
	}
	best := ""
	for _, p := range periods {
		if count[p] > count[best] || best == "" {
			best = p
		}
	}
	return best
}
