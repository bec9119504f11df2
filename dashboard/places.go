package dashboard

import (
	"cmp"
	"fmt"
	"net/url"
	"slices"
	"strings"

	"github.com/labdash/labdash/charts"
	"github.com/labdash/labdash/data"
)

// The places page: one occupation code, one measure and one period across
// the states (a map and a sortable table) and the metro areas. Its choices
// depend on each other, so the web layer asks the store in three steps:
// ChoosePlacesCode, ChoosePlacesMeasure, ChoosePlacesPeriod, then
// BuildPlaces. Each step offers only what the snapshot can answer.

// PlacesParams are the query parameters the places page takes.
var PlacesParams = []string{"code", "measure", "period"}

// Block ids of the places page; the state map's block is drawn with the
// state shapes, which the template looks for by this id.
const (
	StateMapBlockID   = "state-map"
	MetroAreasBlockID = "metro-areas"
)

const defaultPlacesMeasure = data.MeasureMeanAnnualWage

// StateAreaCodes are the OEWS area codes of the states, DC and the
// territories: a store filter for state figures.
func StateAreaCodes() []string {
	codes := make([]string, len(data.States))
	for i, s := range data.States {
		codes[i] = s.AreaCode()
	}
	return codes
}

// drawnOnMap reports whether the state shapes (us-atlas: the 50 states and DC)
// draw a state; the territories are listed in the table only.
func drawnOnMap(s data.State) bool { return s.FIPS <= "56" }

// PlacesChoice is what the places page shows, filled in by its Choose
// methods in order: code, then measure, then period. Replaced says which
// value asked for was replaced, and why.
type PlacesChoice struct {
	Code     string
	Measure  data.Measure
	Period   string
	Replaced []string
}

// ChooseCode offers the occupation codes that have state figures
// (Store.Distinct of occupation_code among state areas) and picks the one
// asked for: by default 29-2018 when present, else the first. With no codes
// at all it picks none, unless one was asked for.
func (ch *PlacesChoice) ChooseCode(q url.Values, codes []data.Facet) (Control, error) {
	c := Control{Name: "code", Label: "Occupation"}
	def := ""
	for _, f := range codes {
		c.Options = append(c.Options, Option{Value: f.Value, Label: f.Value + " " + data.OccupationTitle(f.Value, f.Title)})
		if def == "" || f.Value == data.CodeClinicalLabOEWS {
			def = f.Value
		}
	}
	if len(codes) == 0 && q.Get(c.Name) == "" {
		return c, nil
	}
	var err error
	ch.Code, err = choose(q, &c, def)
	return c, err
}

// ChooseMeasure offers the measures with state figures for the chosen code
// and picks the one asked for, by default the mean annual wage when present,
// else the first. known are the measures with state figures for any code:
// one of those falls back to the default (see chooseDependent).
func (ch *PlacesChoice) ChooseMeasure(q url.Values, measures, known []data.Facet) (Control, error) {
	c := Control{Name: "measure", Label: "Measure"}
	def := ""
	for _, f := range measures {
		c.Options = append(c.Options, Option{Value: f.Value, Label: data.Measure(f.Value).Label()})
		if def == "" || f.Value == string(defaultPlacesMeasure) {
			def = f.Value
		}
	}
	chosen, err := ch.chooseDependent(q, &c, def, known,
		func(v string) string {
			return fmt.Sprintf("state figures of %s for %s", data.Measure(v).LowerLabel(), ch.Code)
		})
	ch.Measure = data.Measure(chosen)
	return c, err
}

// ChoosePeriod offers the periods with state figures among obs (the chosen
// code and measure, any area), latest first, and picks the one asked for: by
// default the latest period that covers most states. known are the periods
// with state figures for any code and measure.
func (ch *PlacesChoice) ChoosePeriod(q url.Values, obs []data.Observation, known []data.Facet) (Control, error) {
	c := Control{Name: "period", Label: "Period"}
	states := placesStateObs(obs)
	count := map[string]int{}
	for _, o := range states {
		count[o.Period]++
	}
	periods := sortedPeriods(states)
	for i := len(periods) - 1; i >= 0; i-- {
		p := periods[i]
		c.Options = append(c.Options, Option{Value: p, Label: fmt.Sprintf("%s (%d %s)", p, count[p], placesPlural(count[p], "state", "states"))})
	}
	var err error
	ch.Period, err = ch.chooseDependent(q, &c, fullestRecentPeriod(states), known,
		func(v string) string {
			return fmt.Sprintf("state figures of %s for %s in %s", ch.Measure.LowerLabel(), ch.Code, v)
		})
	return c, err
}

// chooseDependent is choose() for a control whose options depend on an
// earlier choice. A value the snapshot has state figures for under another
// choice (in known) is replaced by def and the page says so, so that
// changing the occupation in the form never ends on an error page; any other
// value not offered is a ParamError.
func (ch *PlacesChoice) chooseDependent(q url.Values, c *Control, def string, known []data.Facet, what func(string) string) (string, error) {
	asked := q.Get(c.Name)
	for _, o := range c.Options {
		if o.Value == asked {
			return choose(q, c, def)
		}
	}
	for _, f := range known {
		if asked != "" && f.Value == asked {
			v, err := choose(url.Values{}, c, def)
			if err == nil {
				ch.Replaced = append(ch.Replaced, fmt.Sprintf("This snapshot has no %s, so this page shows %s instead.",
					what(asked), placesSelectedLabel(*c)))
			}
			return v, err
		}
	}
	return choose(q, c, def)
}

// BuildPlaces assembles the places page from the observations of the chosen
// code and measure (every area; other periods are ignored), and around: the
// national figures of the same occupation and the states' medians, which
// the state table shows beside the chosen figures (PlacesAroundFilter).
func BuildPlaces(snap data.Snapshot, controls []Control, ch PlacesChoice, obs, around []data.Observation) (Page, error) {
	p := Page{Name: "places", Snapshot: snap, Controls: controls, Title: "Places"}
	if ch.Code == "" {
		p.Intro = "Compare states and metro areas for one occupation, measure and period."
		p.Blocks = []Block{emptyBlock(StateMapBlockID, "States", "This snapshot has no state figures for any occupation.")}
		return p, nil
	}
	occupation := placesOccupation(ch.Code, obs)
	p.Title = fmt.Sprintf("%s (%s): %s by state and metro area, %s", occupation, ch.Code, ch.Measure.LowerLabel(), ch.Period)
	p.Intro = strings.Join(append(ch.Replaced,
		"Each state's figure on a map and in a table you can sort, with the national figure of the same release, then the metro areas this snapshot has figures for.",
		"States with no figure, or only a marker such as \"not available\", are grey on the map, never zero."), " ")
	inPeriod := selectObs(obs, func(o data.Observation) bool {
		return o.Period == ch.Period && o.CrossIndustry() && o.OccupationCode == ch.Code && o.Measure == ch.Measure
	})
	var bs blocks
	bs.add(placesStateBlock(ch, placesStateObs(inPeriod), append(slices.Clone(inPeriod), around...), snap.Origins))
	bs.add(placesMetroBlock(ch, selectObs(inPeriod, func(o data.Observation) bool {
		return data.KindOfArea(o.AreaCode) == data.AreaMetro
	})))
	if bs.err != nil {
		return Page{}, bs.err
	}
	p.Blocks = bs.list
	return p, nil
}

// PlacesAroundFilter is what the places page reads besides the chosen
// figures: the national figures of the same occupation (under any of its
// codes) and the states' medians, of the chosen measure and period.
func PlacesAroundFilter(ch PlacesChoice) data.Filter {
	measures := []data.Measure{ch.Measure}
	if ch.Measure == data.MeasureMeanAnnualWage {
		measures = append(measures, data.MeasureMedianAnnualWage)
	}
	return data.Filter{
		Occupations: data.OccupationFamily(ch.Code).SameOccupation(ch.Code),
		Areas:       append([]string{data.NationalAreaCode}, StateAreaCodes()...),
		Industries:  []string{""},
		Measures:    measures,
		Periods:     []string{ch.Period},
	}
}

// placesStateBlock is the map with its sortable table twin, the national
// figure of the same release first in the table and the states' medians
// beside a mean.
func placesStateBlock(ch PlacesChoice, obs, around []data.Observation, origins data.Origins) (Block, error) {
	label := ch.Measure.Label()
	heading := label + " by state, " + ch.Period
	if len(obs) == 0 {
		return emptyBlock(StateMapBlockID, heading, fmt.Sprintf("This snapshot has no state figures for %s %s in %s.", ch.Code, ch.Measure.LowerLabel(), ch.Period)), nil
	}
	if !slices.ContainsFunc(obs, func(o data.Observation) bool { return o.Value != nil && !o.IsText() }) {
		return emptyBlock(StateMapBlockID, heading, fmt.Sprintf(
			"The snapshot lists %d states for %s, each with a marker (such as \"not available\") instead of a figure.", len(obs), ch.Period)), nil
	}
	ranked := placesGrid(obs, placesStateName, ch.Measure, obs[0].Unit)
	beside := besideStates(ch.Code, ch.Measure, ch.Period, ranked.categories, around, origins, placesStateName)
	// Titles short enough for a 375px phone: the code goes with the geography.
	spec := charts.Spec{
		ID:       StateMapBlockID,
		Title:    label + " by state",
		Subtitle: ch.Code + ", U.S. states and DC, " + ch.Period,
		Unit:     obs[0].Unit.Label(),
		Source:   sourceLine(beside.table.observations()),
	}
	chart, err := charts.StateMap(spec, placesMapValues(obs))
	if err != nil {
		return Block{}, chartError(StateMapBlockID, err)
	}
	return Block{
		ID: StateMapBlockID, Heading: heading, Chart: chart,
		Table: beside.tableOf(fmt.Sprintf("%s of %s (%s) by state, %s, with the national figure of the same release",
			label, ch.Code, obs[0].Unit.Label(), ch.Period), "State"),
		Observations: beside.table.observations(),
		Summary:      joinSentenceParts(ranked.summary(false), beside.sentence),
		Caveats:      append(placesStateCaveats(obs), beside.caveats...),
	}, nil
}

// placesMetroBlock ranks the metropolitan and nonmetropolitan areas.
func placesMetroBlock(ch PlacesChoice, obs []data.Observation) (Block, error) {
	label := ch.Measure.Label()
	heading := label + " by metro area, " + ch.Period
	if len(obs) == 0 {
		return emptyBlock(MetroAreasBlockID, heading, fmt.Sprintf(
			"This snapshot has no metropolitan or nonmetropolitan area figures for %s %s in %s.", ch.Code, ch.Measure.LowerLabel(), ch.Period)), nil
	}
	g := placesGrid(obs, func(o data.Observation) string { return o.AreaTitle }, ch.Measure, obs[0].Unit)
	spec := charts.Spec{
		ID:       MetroAreasBlockID,
		Title:    label + " by metro area",
		Subtitle: ch.Code + ", metro and nonmetro areas, " + ch.Period,
		Unit:     obs[0].Unit.Label(),
		Source:   sourceLine(g.observations()),
	}
	chart, err := charts.Ranking(spec, g.chartSeries()[0])
	if err != nil {
		return Block{}, chartError(MetroAreasBlockID, err)
	}
	return Block{
		ID: MetroAreasBlockID, Heading: heading, Chart: chart,
		Table:        g.table(fmt.Sprintf("%s of %s (%s) by metro area, %s", label, ch.Code, obs[0].Unit.Label(), ch.Period), "Metro area"),
		Observations: g.observations(),
		Summary:      g.summary(false),
		Caveats: []string{fmt.Sprintf("The snapshot has figures for %d %s; BLS publishes estimates for several hundred. "+
			"Metro areas follow the delineation of each OEWS year.", len(obs), placesPlural(len(obs), "area", "areas"))},
	}, nil
}

// placesGrid is one column of figures by place, highest first and places with
// no figure last (then by name): the order the table has without JavaScript.
func placesGrid(obs []data.Observation, name func(data.Observation) string, measure data.Measure, unit data.Unit) *grid {
	sorted := slices.Clone(obs)
	slices.SortStableFunc(sorted, func(a, b data.Observation) int {
		switch {
		case a.Value == nil && b.Value == nil:
		case a.Value == nil:
			return 1
		case b.Value == nil:
			return -1
		case *a.Value != *b.Value:
			return cmp.Compare(*b.Value, *a.Value)
		}
		return cmp.Compare(name(a), name(b))
	})
	var places []string
	for _, o := range sorted {
		places = append(places, name(o))
	}
	g := newGrid(places, []string{measure.Label() + " (" + unit.Label() + ")"})
	for i, o := range sorted {
		g.set(0, i, o)
	}
	return g
}

// placesMapValues gives every state the map draws its figure, or none.
func placesMapValues(obs []data.Observation) []charts.StateValue {
	byArea := map[string]data.Observation{}
	for _, o := range obs {
		byArea[o.AreaCode] = o
	}
	var out []charts.StateValue
	for _, s := range data.States {
		if !drawnOnMap(s) {
			continue
		}
		v := charts.StateValue{Name: s.Name}
		if o, ok := byArea[s.AreaCode()]; ok && !o.IsText() {
			v.Value, v.Flag = o.Value, pointFlag(o)
		}
		out = append(out, v)
	}
	return out
}

// placesStateCaveats say what the map cannot: states without figures, territories
// listed but not drawn, and the OEWS scope.
func placesStateCaveats(obs []data.Observation) []string {
	out := []string{"OEWS estimates cover wage and salary workers; the self-employed are not included."}
	have := map[string]bool{}
	var territories []string
	for _, o := range obs {
		have[o.AreaCode] = true
		if s, _ := data.StateByAreaCode(o.AreaCode); !drawnOnMap(s) {
			territories = append(territories, s.Name)
		}
	}
	missing := 0
	for _, s := range data.States {
		if drawnOnMap(s) && !have[s.AreaCode()] {
			missing++
		}
	}
	if missing > 0 {
		out = append(out, fmt.Sprintf("%d of the 50 states and DC have no figure for this period in this snapshot; the map draws them grey as \"no data\".", missing))
	}
	if len(territories) > 0 {
		out = append(out, strings.Join(territories, ", ")+" "+placesPlural(len(territories), "is", "are")+" in the table but not on the map, which draws the 50 states and DC.")
	}
	return out
}

// placesStateObs keeps the cross-industry figures of states, DC and territories.
func placesStateObs(obs []data.Observation) []data.Observation {
	return selectObs(obs, func(o data.Observation) bool {
		return o.CrossIndustry() && data.KindOfArea(o.AreaCode) == data.AreaState
	})
}

// placesStateName is the state's name as data.States spells it, which is also how
// the map's shapes name it; the area title for an unknown code.
func placesStateName(o data.Observation) string {
	if s, ok := data.StateByAreaCode(o.AreaCode); ok {
		return s.Name
	}
	return o.AreaTitle
}

// placesSelectedLabel is the label of the control's selected option.
func placesSelectedLabel(c Control) string {
	for _, o := range c.Options {
		if o.Selected {
			return o.Label
		}
	}
	return ""
}

func placesOccupation(code string, obs []data.Observation) string {
	for _, o := range obs {
		if o.OccupationTitle != "" {
			return data.OccupationTitle(code, o.OccupationTitle)
		}
	}
	return data.OccupationTitle(code, "Occupation")
}

func placesPlural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}
