package web

import (
	"context"
	"net/url"

	"github.com/labdash/labdash/dashboard"
	"github.com/labdash/labdash/data"
)

// buildPlacesPage serves /places?code=29-2018&measure=mean_annual_wage&period=May+2022:
// one occupation's measure across the states and metro areas. Each choice
// is offered from what the snapshot holds given the choices before it.
func buildPlacesPage(ctx context.Context, s *Server, snap data.Snapshot, q url.Values) (dashboard.Page, error) {
	if err := dashboard.CheckParams(q, dashboard.PlacesParams...); err != nil {
		return dashboard.Page{}, err
	}
	anyState := data.Filter{Areas: dashboard.StateAreaCodes(), Industries: []string{""}}
	facets := map[string][]data.Facet{}
	for _, column := range []string{"occupation_code", "measure", "period"} {
		f, err := s.store.Distinct(ctx, snap.ID, column, anyState)
		if err != nil {
			return dashboard.Page{}, err
		}
		facets[column] = f
	}
	var choice dashboard.PlacesChoice
	codeControl, err := choice.ChooseCode(q, facets["occupation_code"])
	if err != nil {
		return dashboard.Page{}, err
	}
	if choice.Code == "" { // no state figures at all: the page says so
		return dashboard.BuildPlaces(snap, nil, choice, nil, nil)
	}
	codeStates := anyState
	codeStates.Occupations = []string{choice.Code}
	measures, err := s.store.Distinct(ctx, snap.ID, "measure", codeStates)
	if err != nil {
		return dashboard.Page{}, err
	}
	measureControl, err := choice.ChooseMeasure(q, measures, facets["measure"])
	if err != nil {
		return dashboard.Page{}, err
	}
	// Every area, not only states: the metro areas come from the same figures.
	obs, err := s.store.Observations(ctx, snap.ID, data.Filter{Occupations: []string{choice.Code}, Measures: []data.Measure{choice.Measure}})
	if err != nil {
		return dashboard.Page{}, err
	}
	periodControl, err := choice.ChoosePeriod(q, obs, facets["period"])
	if err != nil {
		return dashboard.Page{}, err
	}
	controls := []dashboard.Control{codeControl, measureControl, periodControl}
	around, err := s.store.Observations(ctx, snap.ID, dashboard.PlacesAroundFilter(choice))
	if err != nil {
		return dashboard.Page{}, err
	}
	return dashboard.BuildPlaces(snap, controls, choice, obs, around)
}
