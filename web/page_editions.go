package web

import (
	"context"
	"net/url"

	"github.com/labdash/labdash/dashboard"
	"github.com/labdash/labdash/data"
)

// buildEditionsPage sets every Employment Projections edition of a code or
// family side by side: /editions?code=29-2010.
func buildEditionsPage(ctx context.Context, s *Server, snap data.Snapshot, q url.Values) (dashboard.Page, error) {
	national := data.Filter{Areas: []string{data.NationalAreaCode}, Industries: []string{""}, Measures: dashboard.EditionMeasures()}
	withEditions := national
	withEditions.Measures = dashboard.ProjectionMeasures()
	occupations, err := s.store.Distinct(ctx, snap.ID, "occupation_code", withEditions)
	if err != nil {
		return dashboard.Page{}, err
	}
	eq, err := dashboard.ParseEditions(q, occupations)
	if err != nil {
		return dashboard.Page{}, err
	}
	national.Occupations = eq.Subject.Codes
	obs, err := s.store.Observations(ctx, snap.ID, national)
	if err != nil {
		return dashboard.Page{}, err
	}
	return dashboard.BuildEditions(snap, eq, obs)
}
