package data

import (
	"slices"
	"testing"
)

func TestMeasureLabelsUnitsAndKinds(t *testing.T) {
	for _, tc := range []struct {
		m            Measure
		label, lower string
		unit         Unit
		kind         MeasureKind
	}{
		{MeasureMedianAnnualWage, "Median annual wage", "median annual wage", UnitUSDPerYear, KindWage},
		{MeasurePct90HourlyWage, "90th percentile hourly wage", "90th percentile hourly wage", UnitUSDPerHour, KindWage},
		{MeasureEmployment, "Employment", "employment", UnitJobs, KindCount},
		{MeasureAnnualOpenings, "Annual openings", "annual openings", UnitOpeningsPerYear, KindCount},
		{MeasureShareOfOccupationPct, "Share of occupation employment", "share of occupation employment", UnitPercentOfOccupation, KindPercent},
		{MeasureLocationQuotient, "Location quotient", "location quotient", UnitRatio, KindRatio},
		{MeasureTypicalEntryEducation, "Typical entry education", "typical entry education", UnitText, KindText},
		// Measures a source may bring that labdash has no entry for.
		{"pct95_annual_wage", "95th percentile annual wage", "95th percentile annual wage", "", KindUnknown},
		{"night_shift_share", "Night shift share", "night shift share", "", KindUnknown},
		{"=cmd\t_x", "Figure =cmd x", "figure =cmd x", "", KindUnknown},
		{"", "", "", "", KindUnknown},
	} {
		if got := tc.m.Label(); got != tc.label {
			t.Errorf("%q.Label() = %q, want %q", tc.m, got, tc.label)
		}
		if got := tc.m.LowerLabel(); got != tc.lower {
			t.Errorf("%q.LowerLabel() = %q, want %q", tc.m, got, tc.lower)
		}
		if tc.m.Unit() != tc.unit || tc.m.Kind() != tc.kind || tc.m.Known() != (tc.kind != KindUnknown) {
			t.Errorf("%q: unit %q kind %v known %v, want %q %v", tc.m, tc.m.Unit(), tc.m.Kind(), tc.m.Known(), tc.unit, tc.kind)
		}
	}
	known := KnownMeasures()
	if len(known) != 28 || known[0] != MeasureEmployment || !slices.Contains(known, MeasureJobOutlookCategory) {
		t.Errorf("KnownMeasures() = %v", known)
	}
}

func TestUnitLabelsAndAmounts(t *testing.T) {
	for _, tc := range []struct {
		unit  Unit
		v     float64
		label string
		text  string
		shown bool
	}{
		{UnitUSDPerYear, 61890, "USD per year", "$61,890", true},
		{UnitUSDPerHour, 29.2, "USD per hour", "$29.20", true},
		{UnitPercent, 1.7, "percent", "1.7%", true},
		{UnitPercentOfOccupation, 23, "percent of the occupation's jobs", "23%", true},
		{UnitOpeningsPerYear, 22600, "openings a year", "22,600", false},
		{UnitJobs, 351200, "jobs", "351,200", false},
		{"jobs\nper\tcrew", 3, "jobs per crew", "3", false},
	} {
		text, shown := FormatAmount(tc.v, tc.unit)
		if tc.unit.Label() != tc.label || text != tc.text || shown != tc.shown {
			t.Errorf("%q: label %q, amount %q (unit shown %v); want %q, %q (%v)", tc.unit, tc.unit.Label(), text, shown, tc.label, tc.text, tc.shown)
		}
	}
}

// The 2019 classification rules, in one place: which codes describe an
// occupation, and from which year another code's figures stand for it.
func TestFamilyClassificationRules(t *testing.T) {
	lab, _ := FamilyByID("clinical-lab")
	if !slices.Equal(lab.Current(), []string{CodeClinicalLabEP, CodeClinicalLabOEWS}) || !lab.Changed() {
		t.Errorf("current codes %v, changed %v", lab.Current(), lab.Changed())
	}
	for code, want := range map[string][]string{
		CodeClinicalLabEP:    {CodeClinicalLabEP, CodeClinicalLabOEWS},
		CodeClinicalLabOEWS:  {CodeClinicalLabOEWS, CodeClinicalLabEP},
		CodeLabTechnologists: {CodeLabTechnologists},
	} {
		if got := lab.SameOccupation(code); !slices.Equal(got, want) {
			t.Errorf("SameOccupation(%s) = %v, want %v", code, got, want)
		}
	}
	figure := func(code, period string) Observation { return Observation{OccupationCode: code, Period: period} }
	for _, tc := range []struct {
		code string
		o    Observation
		want bool
	}{
		{CodeClinicalLabOEWS, figure(CodeClinicalLabOEWS, "May 2024"), true},
		{CodeClinicalLabOEWS, figure(CodeClinicalLabEP, "May 2019"), true},  // from the change on
		{CodeClinicalLabOEWS, figure(CodeClinicalLabEP, "May 2018"), false}, // 29-2018 did not exist yet
		{CodeClinicalLabEP, figure(CodeClinicalLabOEWS, "2024-2034"), true},
		{CodeClinicalLabEP, figure(CodeLabTechnologists, "May 2018"), false}, // a part is not the whole
		{CodeLabTechnologists, figure(CodeLabTechnologists, "May 2010"), true},
		{CodeClinicalLabEP, figure(CodeClinicalLabOEWS, "someday"), false},
	} {
		if got := lab.CountsFor(tc.code, tc.o); got != tc.want {
			t.Errorf("CountsFor(%s, %s %s) = %v, want %v", tc.code, tc.o.OccupationCode, tc.o.Period, got, tc.want)
		}
	}
	if lab.BreakLabel() != "SOC 2018: 29-2011 + 29-2012 combined" || lab.RetiredUntil() != "until May 2016" ||
		lab.AfterBreak("May 2018") || !lab.AfterBreak("May 2019") {
		t.Errorf("break: %q, %q", lab.BreakLabel(), lab.RetiredUntil())
	}

	phleb := OccupationFamily(CodePhlebotomists)
	if phleb.Changed() || phleb.BreakLabel() != "" || !phleb.AfterBreak("May 2001") || !phleb.CountsFor(CodePhlebotomists, figure(CodePhlebotomists, "May 2001")) {
		t.Errorf("phlebotomists never changed classification: %+v", phleb)
	}
	other := OccupationFamily("99-0001")
	if other.ID != "99-0001" || other.Title != "99-0001" || !slices.Equal(other.SameOccupation("99-0001"), []string{"99-0001"}) ||
		other.CountsFor("99-0001", figure(CodePhlebotomists, "May 2024")) {
		t.Errorf("a code of no family is a family of its own: %+v", other)
	}
	if OccupationTitle(CodeLabTechnicians, "lab techs") != "Medical and clinical laboratory technicians" ||
		OccupationTitle("99-0001", " Synthetic ") != "Synthetic" || OccupationTitle("99-0001", "") != "99-0001" {
		t.Error("OccupationTitle prefers labdash's title, then the source's, then the code")
	}
}
