package format

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/labdash/labdash/data"
)

type epFigure struct {
	occ     string
	measure data.Measure
	period  string
	value   float64
	text    string
	flag    data.Flag
}

func checkEP(t *testing.T, obs []data.Observation, want []epFigure) {
	t.Helper()
	for _, w := range want {
		var got *data.Observation
		for i, o := range obs {
			if o.OccupationCode == w.occ && o.Measure == w.measure && o.Period == w.period {
				got = &obs[i]
			}
		}
		switch {
		case got == nil:
			t.Errorf("%s %s %s: missing", w.occ, w.measure, w.period)
		case got.Flag != w.flag:
			t.Errorf("%s %s %s: flag %q, want %q", w.occ, w.measure, w.period, got.Flag, w.flag)
		case w.text != "" && got.Text != w.text:
			t.Errorf("%s %s %s = %q, want %q", w.occ, w.measure, w.period, got.Text, w.text)
		case w.text == "" && w.flag == data.FlagNone && (got.Value == nil || *got.Value != w.value):
			t.Errorf("%s %s %s = %s, want %v", w.occ, w.measure, w.period, got.ValueString(), w.value)
		}
	}
}

func parseRealEP(t *testing.T, f Format, rel string, occs ...string) []data.Observation {
	t.Helper()
	obs, err := f.Parse(Input{Source: Source{Occupations: occs},
		Files: []File{{Name: filepath.Base(rel), Path: filepath.Join(realBLS, "ep", rel)}}})
	if err != nil {
		t.Fatal(err)
	}
	return obs
}

// TestEPOccupationRealWorkbooks reads the 2014-24 workbook (a three-row
// header, title and code under one heading, openings over the decade) and
// the 2019-29 one (one-row header, annual openings), finding the table by
// its columns.
func TestEPOccupationRealWorkbooks(t *testing.T) {
	obs := parseRealEP(t, epOccupationFormat{}, "2014-24/occupation.xlsx", "29-2010", "29-2011", "31-9097")
	checkEP(t, obs, []epFigure{
		{occ: "29-2010", measure: "employment", period: "2014", value: 328200},
		{occ: "29-2010", measure: "projected_employment", period: "2014-2024", value: 380300},
		{occ: "29-2010", measure: "employment_change", period: "2014-2024", value: 52100},
		{occ: "29-2010", measure: "projected_growth_pct", period: "2014-2024", value: 15.9},
		{occ: "29-2010", measure: "median_annual_wage", period: "May 2015", value: 50550},
		{occ: "29-2010", measure: "typical_entry_education", period: "2014-2024", flag: data.FlagNotAvailable},
		{occ: "31-9097", measure: "employment", period: "2014", value: 112700},
		{occ: "31-9097", measure: "projected_employment", period: "2014-2024", value: 140800},
	})
	for _, o := range obs {
		if o.Measure == "annual_openings" {
			t.Errorf("2014-24 counts openings over the decade, not a year: %+v", o)
		}
	}
	obs = parseRealEP(t, epOccupationFormat{}, "2019-29_version-2021-04-12/occupation.xlsx", "29-2010", "31-9097")
	checkEP(t, obs, []epFigure{
		{occ: "29-2010", measure: "employment", period: "2019", value: 337800},
		{occ: "29-2010", measure: "projected_employment", period: "2019-2029", value: 362500},
		{occ: "29-2010", measure: "projected_growth_pct", period: "2019-2029", value: 7.3},
		{occ: "29-2010", measure: "annual_openings", period: "2019-2029", value: 21600},
		{occ: "29-2010", measure: "median_annual_wage", period: "May 2020", value: 54180},
		{occ: "29-2010", measure: "typical_entry_education", period: "2019-2029", text: "Bachelor's degree"},
		{occ: "31-9097", measure: "employment", period: "2019", value: 132600},
		{occ: "31-9097", measure: "projected_employment", period: "2019-2029", value: 155500},
	})
}

// TestEPEducationRealWorkbooks reads the assignments of four editions,
// whose sheets are named "Assignment" (2014-24) or "Table 5.4".
func TestEPEducationRealWorkbooks(t *testing.T) {
	cases := []struct {
		rel, occ, span, education string
	}{
		{"2014-24/education.xlsx", "29-2011", "2014-2024", "Bachelor's degree"},
		{"2014-24/education.xlsx", "31-9097", "2014-2024", "Postsecondary nondegree award"},
		{"2019-29/education.xlsx", "29-2010", "2019-2029", "Bachelor's degree"},
		{"2020-30/education.xlsx", "31-9097", "2020-2030", "Postsecondary nondegree award"},
		{"2023-33/education.xlsx", "29-2010", "2023-2033", "Bachelor's degree"},
	}
	for _, c := range cases {
		obs := parseRealEP(t, epEducationFormat{}, c.rel, c.occ)
		checkEP(t, obs, []epFigure{
			{occ: c.occ, measure: "typical_entry_education", period: c.span, text: c.education},
			{occ: c.occ, measure: "work_experience_in_related_occupation", period: c.span, text: "None"},
		})
	}
}

// TestEPProjectionsExportAsPublished reads the data.bls.gov projections CSV
// export as it comes: codes as ="29-2010", N/A for a missing wage, sample
// job titles after a "*". Numbers are synthetic.
func TestEPProjectionsExportAsPublished(t *testing.T) {
	body := "Occupation Title,Occupation Code,Employment 2024,Employment 2034,\"Employment Change, 2024-2034\"," +
		"\"Employment Percent Change, 2024-2034\",\"Occupational Openings, 2024-2034 Annual Average\",Median Annual Wage 2024," +
		"Typical Entry-Level Education,Education Code,Work Experience in a Related Occupation,Workex Code,Typical on-the-job Training,trCode\n" +
		"\"Clinical laboratory technologists and technicians* Medical technologist, Histotechnologist\",=\"29-2010\",340.0,346.0,6.0,1.8,22.0,N/A,Bachelor's degree,2,None,3,None,6\n"
	obs, err := epOccupationFormat{}.Parse(Input{Source: Source{Occupations: []string{"29-2010"}},
		Files: []File{{Name: "occupation.csv", Data: []byte(body)}}})
	if err != nil {
		t.Fatal(err)
	}
	checkEP(t, obs, []epFigure{
		{occ: "29-2010", measure: "employment", period: "2024", value: 340000},
		{occ: "29-2010", measure: "median_annual_wage", period: "May 2024", flag: data.FlagNotAvailable},
		{occ: "29-2010", measure: "typical_entry_education", period: "2024-2034", text: "Bachelor's degree"},
	})
	for _, o := range obs {
		if o.OccupationTitle != "Clinical laboratory technologists and technicians" {
			t.Fatalf("title %q keeps the sample job titles", o.OccupationTitle)
		}
	}
	_, err = epOccupationFormat{}.Parse(Input{Source: Source{Occupations: []string{"29-2010"}},
		Files: []File{{Name: "occupation.xls", Data: append([]byte{0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1}, make([]byte, 600)...)}}})
	if err == nil || !strings.Contains(err.Error(), ".xls") {
		t.Errorf("a legacy .xls = %v, want a sentence naming the format", err)
	}
}
