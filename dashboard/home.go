package dashboard

import "github.com/labdash/labdash/data"

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
func BuildHome(snap data.Snapshot, obs []data.Observation) (Page, error) {
	p := Page{
		Name:     "",
		Title:    "Clinical laboratory technologists and technicians, and phlebotomists",
		Snapshot: snap,
	}
	for _, f := range data.Families {
		p.Facts = append(p.Facts, FactCard(f, obs, snap.Origins))
	}
	var bs blocks
	bs.add(WorkSettings("work-settings", data.CodeClinicalLabEP, data.OccupationTitle(data.CodeClinicalLabEP, ""), obs))
	bs.add(WorkSettings("work-settings-phlebotomists", data.CodePhlebotomists, data.OccupationTitle(data.CodePhlebotomists, ""), obs))
	bs.add(MeasureTrend("wage-trend", homeTrendSubject(), data.MeasureMedianAnnualWage, obs))
	bs.add(Projections("projections", obs))
	bs.add(StateWages("state-wages", data.CodeClinicalLabOEWS, data.OccupationTitle(data.CodeClinicalLabOEWS, ""), obs, snap.Origins))
	if bs.err != nil {
		return Page{}, bs.err
	}
	p.Blocks = bs.list
	return p, nil
}
