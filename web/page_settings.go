package web

import (
	"context"
	"net/url"

	"github.com/labdash/labdash/dashboard"
	"github.com/labdash/labdash/data"
)

// buildSettingsPage shows one measure of one occupation by work setting
// (/settings?code=29-2010&measure=share|wage|change). A combination the
// snapshot has no figures for is a page that says so, not an error.
func buildSettingsPage(ctx context.Context, s *Server, snap data.Snapshot, q url.Values) (dashboard.Page, error) {
	occupations, err := s.store.Distinct(ctx, snap.ID, "occupation_code", data.Filter{})
	if err != nil {
		return dashboard.Page{}, err
	}
	choice, err := dashboard.ChooseSettings(q, occupations)
	if err != nil {
		return dashboard.Page{}, err
	}
	obs, err := s.store.Observations(ctx, snap.ID, data.Filter{
		Occupations: dashboard.SettingsReadCodes(choice.Code),
		Areas:       []string{data.NationalAreaCode},
	})
	if err != nil {
		return dashboard.Page{}, err
	}
	return dashboard.BuildSettings(snap, choice, obs)
}
