package web

import (
	"context"
	"net/url"

	"github.com/labdash/labdash/dashboard"
	"github.com/labdash/labdash/data"
)

// buildLadderPage is the career ladder (/ladder): phlebotomist, technician,
// technologist, from the releases that list them separately.
func buildLadderPage(ctx context.Context, s *Server, snap data.Snapshot, q url.Values) (dashboard.Page, error) {
	if err := dashboard.CheckParams(q); err != nil {
		return dashboard.Page{}, err
	}
	obs, err := s.store.Observations(ctx, snap.ID, data.Filter{Occupations: dashboard.LadderCodes(), Areas: []string{data.NationalAreaCode}})
	if err != nil {
		return dashboard.Page{}, err
	}
	return dashboard.BuildLadder(snap, obs)
}
