package dashboard

import "github.com/labdash/labdash/data"

// FactColumn is one family's quick facts.
type FactColumn struct {
	Family data.Family
	Facts  []Fact
}

// HomeOccupations are the codes the home page reads.
func HomeOccupations() []string {
	var codes []string
	for _, f := range data.Families {
		codes = append(codes, f.Codes...)
	}
	return codes
}

// BuildHome assembles the home page of the clinical-lab family, with
// phlebotomists beside it, from one snapshot's observations.
func BuildHome(snap data.Snapshot, obs []data.Observation) Page {
	p := Page{
		Name:     "",
		Title:    "Clinical laboratory technologists and technicians, and phlebotomists",
		Snapshot: snap,
	}
	for _, f := range data.Families {
		p.Facts = append(p.Facts, FactColumn{Family: f, Facts: QuickFacts(f, obs)})
	}
	p.Blocks = []Block{
		WorkSettings("work-settings", data.CodeClinicalLabEP, data.OccupationTitles[data.CodeClinicalLabEP], obs),
		WorkSettings("work-settings-phlebotomists", data.CodePhlebotomists, data.OccupationTitles[data.CodePhlebotomists], obs),
		WageTrend("wage-trend", obs),
		Projections("projections", obs),
		StateWages("state-wages", data.CodeClinicalLabOEWS, data.OccupationTitles[data.CodeClinicalLabOEWS], obs),
	}
	return p
}
