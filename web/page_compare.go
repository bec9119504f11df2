package web

import (
	"context"
	"net/url"

	"github.com/labdash/labdash/dashboard"
	"github.com/labdash/labdash/data"
)

// buildComparePage sets two or three occupations of the snapshot side by
// side: /compare?a=29-2010&b=31-9097&c=.
func buildComparePage(ctx context.Context, s *Server, snap data.Snapshot, q url.Values) (dashboard.Page, error) {
	occupations, err := s.store.Distinct(ctx, snap.ID, "occupation_code", data.Filter{})
	if err != nil {
		return dashboard.Page{}, err
	}
	cq, err := dashboard.ParseCompare(q, occupations)
	if err != nil {
		return dashboard.Page{}, err
	}
	obs, err := s.store.Observations(ctx, snap.ID, data.Filter{Occupations: cq.ReadCodes(), Areas: []string{data.NationalAreaCode}})
	if err != nil {
		return dashboard.Page{}, err
	}
	return dashboard.BuildCompare(snap, cq, obs)
}
