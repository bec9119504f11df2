package dashboard

import "github.com/labdash/labdash/data"

// FactColumn is one family's quick facts.
type FactColumn struct {
	Family data.Family
	Facts  []Fact
}

// Home is everything the home page shows.
type Home struct {
	Snapshot data.Snapshot
	Facts    []FactColumn
	Blocks   []Block
}

// BuildHome assembles the home page of the clinical-lab family, with
// phlebotomists beside it, from one snapshot's observations.
func BuildHome(snap data.Snapshot, obs []data.Observation) Home {
	h := Home{Snapshot: snap}
	for _, f := range data.Families {
		h.Facts = append(h.Facts, FactColumn{Family: f, Facts: QuickFacts(f, obs)})
	}
	h.Blocks = []Block{
		WorkSettings("work-settings", data.CodeClinicalLabEP, data.OccupationTitles[data.CodeClinicalLabEP], obs),
		WorkSettings("work-settings-phlebotomists", data.CodePhlebotomists, data.OccupationTitles[data.CodePhlebotomists], obs),
		WageTrend("wage-trend", obs),
		Projections("projections", obs),
		StateWages("state-wages", data.CodeClinicalLabOEWS, data.OccupationTitles[data.CodeClinicalLabOEWS], obs),
	}
	return h
}

// Block returns the home block with that id.
func (h Home) Block(id string) (Block, bool) {
	for _, b := range h.Blocks {
		if b.ID == id {
			return b, true
		}
	}
	return Block{}, false
}
