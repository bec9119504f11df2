package dashboard

import (
	"fmt"
	"slices"
	"sort"

	"github.com/labdash/labdash/charts"
	"github.com/labdash/labdash/data"
)

// minStatesForRanking is how many states a period needs before the state
// chart prefers it over an older, fuller period.
const minStatesForRanking = 40

// nationalRowName names the table row of the national figure shown beside
// the states'.
const nationalRowName = "United States (national)"

// StateWages ranks the states by mean annual wage for one occupation code,
// in the latest period that covers most states, with the national figure of
// the same release drawn as a line and listed first in the table, and the
// states' medians beside their means where the snapshot has them.
func StateWages(id, occupationCode, occupationTitle string, obs []data.Observation, origins data.Origins) (Block, error) {
	heading := "Mean annual wage by state"
	measure := data.MeasureMeanAnnualWage
	wages := selectObs(obs, func(o data.Observation) bool {
		return o.OccupationCode == occupationCode && o.Measure == measure && o.CrossIndustry() &&
			data.KindOfArea(o.AreaCode) == data.AreaState
	})
	period := fullestRecentPeriod(wages)
	if period == "" {
		return emptyBlock(id, heading, "This snapshot has no state wages for "+occupationTitle+" ("+occupationCode+")."), nil
	}
	wages = selectObs(wages, func(o data.Observation) bool { return o.Period == period })
	sort.SliceStable(wages, func(i, j int) bool { return placesStateName(wages[i]) < placesStateName(wages[j]) })
	var states []string
	for _, o := range wages {
		if indexOf(states, placesStateName(o)) < 0 {
			states = append(states, placesStateName(o))
		}
	}
	g := newGrid(states, []string{period})
	for _, o := range wages {
		putBest(g, 0, indexOf(states, placesStateName(o)), o)
	}
	beside := besideStates(occupationCode, measure, period, states, obs, origins, placesStateName)
	spec := charts.Spec{
		ID:       id,
		Title:    "Mean annual wage of " + lowerFirst(occupationTitle) + " (" + occupationCode + ") by state",
		Subtitle: "States and the District of Columbia, " + period,
		Unit:     measure.Unit().Label(),
		Source:   sourceLine(beside.table.observations()),
	}
	chart, err := charts.Ranking(spec, g.chartSeries()[0], beside.refs...)
	if err != nil {
		return Block{}, chartError(id, err)
	}
	return Block{
		ID: id, Heading: heading, Chart: chart,
		Table:        beside.tableOf("Mean annual wage of "+occupationTitle+" by state, "+period+", with the national figure of the same release", "State"),
		Observations: beside.table.observations(),
		Summary:      joinSentenceParts(g.summary(false), beside.sentence),
		Caveats:      append([]string{"Mean wages of wage and salary workers from OEWS; the self-employed are not included."}, beside.caveats...),
	}, nil
}

// stateTable is what a state chart shows beside the states' figures: the
// grid with the national row first and a median column where there are
// medians, the line of the national figure, and the words for both.
type stateTable struct {
	table    *grid
	refs     []charts.Reference
	sentence string
	caveats  []string
}

// besideStates builds the table of states' figures of one measure and
// period (states, by name), with the national figure of the same
// occupation, measure and release first (from a BLS file where one gives
// it) and, for a mean, the states' medians of the same release where the
// snapshot has them.
func besideStates(code string, measure data.Measure, period string, states []string, obs []data.Observation, origins data.Origins,
	name func(data.Observation) string) stateTable {
	family := data.OccupationFamily(code)
	columns := []string{measure.Label() + ", " + period}
	median := measure == data.MeasureMeanAnnualWage
	if median {
		columns = append(columns, data.MeasureMedianAnnualWage.Label()+", "+period)
	}
	national, hasNational := nationalFigure(code, measure, period, obs, origins)
	rows := states
	if hasNational {
		rows = append([]string{nationalRowName}, states...)
	}
	t := stateTable{table: newGrid(rows, columns)}
	for _, o := range obs {
		if o.OccupationCode != code || o.Period != period || !o.CrossIndustry() || data.KindOfArea(o.AreaCode) != data.AreaState {
			continue
		}
		if s := indexOf(rows, name(o)); s >= 0 {
			switch {
			case o.Measure == measure:
				putBest(t.table, 0, s, o)
			case median && o.Measure == data.MeasureMedianAnnualWage:
				putBest(t.table, 1, s, o)
			}
		}
	}
	stateMedians := 0
	for s := range states {
		if _, ok := t.table.get(1, s+len(rows)-len(states)); ok {
			stateMedians++
		}
	}
	if hasNational {
		t.table.set(0, 0, national)
		if m, ok := nationalFigure(code, data.MeasureMedianAnnualWage, period, obs, origins); ok && median && stateMedians > 0 {
			t.table.set(1, 0, m)
		}
		label := fmt.Sprintf("United States: %s", FormatValue(national))
		if national.Value != nil {
			t.refs = []charts.Reference{{Label: label, Value: *national.Value}}
		}
		t.sentence = fmt.Sprintf("United States, the same release: %s (%s, %s)", FormatValue(national), national.OccupationCode,
			readWhere([]data.Observation{national}, origins))
	} else {
		t.caveats = append(t.caveats, "This snapshot has no national "+measure.LowerLabel()+" of "+family.Title+" for "+period+
			", so none is shown beside the states.")
	}
	if median {
		n := stateMedians
		if n == 0 {
			t.caveats = append(t.caveats, "This snapshot has no state medians for "+period+", so the table shows means only.")
			t.table = t.table.withoutEmptySeries()
		} else {
			t.caveats = append(t.caveats, fmt.Sprintf("Medians: %d of the %d states have one in this snapshot for %s; BLS publishes a median for a state where its survey allows.",
				n, len(states), period))
		}
	}
	return t
}

// nationalFigure is the national, all-industries figure of the occupation
// of code for one measure and release: under code itself or another code of
// the same occupation (data.Family.CountsFor), from a BLS file first.
func nationalFigure(code string, measure data.Measure, period string, obs []data.Observation, origins data.Origins) (data.Observation, bool) {
	family := data.OccupationFamily(code)
	same := family.SameOccupation(code)
	fp := factPicker{origins: origins}
	return fp.best(selectObs(obs, func(o data.Observation) bool {
		return slices.Contains(same, o.OccupationCode) && family.CountsFor(code, o) && isNational(o) &&
			o.Measure == measure && o.Period == period
	}))
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

// tableOf is the state table: the states' rows, the national row apart in
// the footer.
func (t stateTable) tableOf(caption, header string) Table {
	tab := t.table.table(caption, header)
	if len(tab.Rows) > 0 && tab.Rows[0].Category == nationalRowName {
		tab.Footer, tab.Rows = tab.Rows[:1], tab.Rows[1:]
	}
	return tab
}
