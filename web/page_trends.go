package web

import (
	"context"
	"net/url"

	"github.com/labdash/labdash/dashboard"
	"github.com/labdash/labdash/data"
)

// buildTrendsPage draws a wage or employment measure over the years for a
// family or one code: /trends?family=clinical-lab&measure=median_annual_wage.
func buildTrendsPage(ctx context.Context, s *Server, snap data.Snapshot, q url.Values) (dashboard.Page, error) {
	national := data.Filter{Areas: []string{data.NationalAreaCode}, Industries: []string{""}}
	occupations, err := s.store.Distinct(ctx, snap.ID, "occupation_code", data.Filter{})
	if err != nil {
		return dashboard.Page{}, err
	}
	measures, err := s.store.Distinct(ctx, snap.ID, "measure", national)
	if err != nil {
		return dashboard.Page{}, err
	}
	tq, err := dashboard.ParseTrends(q, occupations, measures)
	if err != nil {
		return dashboard.Page{}, err
	}
	national.Occupations = tq.Subject.Codes
	national.Measures = []data.Measure{tq.Measure}
	obs, err := s.store.Observations(ctx, snap.ID, national)
	if err != nil {
		return dashboard.Page{}, err
	}
	return dashboard.BuildTrends(snap, tq, obs)
}
