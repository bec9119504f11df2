package web

import (
	"context"
	"net/url"

	"github.com/labdash/labdash/dashboard"
	"github.com/labdash/labdash/data"
)

// buildOccupationPage is the fact sheet of one occupation code
// (/occupation?code=29-2010): quick facts, pay distribution, work settings
// and outlook. Any code in the snapshot may be chosen.
func buildOccupationPage(ctx context.Context, s *Server, snap data.Snapshot, q url.Values) (dashboard.Page, error) {
	occupations, err := s.store.Distinct(ctx, snap.ID, "occupation_code", data.Filter{})
	if err != nil {
		return dashboard.Page{}, err
	}
	choice, err := dashboard.ChooseOccupation(q, occupations)
	if err != nil {
		return dashboard.Page{}, err
	}
	obs, err := s.store.Observations(ctx, snap.ID, data.Filter{
		Occupations: dashboard.OccupationReadCodes(choice.Code),
		Areas:       []string{data.NationalAreaCode},
	})
	if err != nil {
		return dashboard.Page{}, err
	}
	return dashboard.BuildOccupation(snap, choice, obs)
}
