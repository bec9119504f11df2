package format

import (
	"errors"
	"strings"
	"testing"

	"github.com/labdash/labdash/ingest/fileerr"

	"github.com/labdash/labdash/data"
)

func TestParseEPOccupationWorkbook(t *testing.T) {
	occs := []string{"29-2010", "31-9097", "29-1211", "29-9999"}
	obs, err := ParseEPOccupation(strings.NewReader(epFixture(t, "occupation-workbook.csv")), occs, testProv)
	if err != nil {
		t.Fatal(err)
	}
	// 4 occupations × (5 counts + wage + 3 texts); "Total, all occupations" is not configured.
	if len(obs) != 4*9 {
		t.Fatalf("got %d observations, want 36", len(obs))
	}
	m := obsIndex(obs)
	const lab = "29-2010|0000000||"
	o := wantNumber(t, m, lab+"employment|2024", 300000, "jobs", data.FlagNone)
	if o.OccupationTitle != "Clinical laboratory technologists and technicians" || !o.CrossIndustry() || o.AreaTitle != "United States" {
		t.Errorf("keyed as %+v", o)
	}
	wantNumber(t, m, lab+"projected_employment|2024-2034", 306000, "jobs", data.FlagNone)
	wantNumber(t, m, lab+"employment_change|2024-2034", 6000, "jobs", data.FlagNone)
	wantNumber(t, m, lab+"projected_growth_pct|2024-2034", 2, "percent", data.FlagNone)
	wantNumber(t, m, lab+"annual_openings|2024-2034", 20000, "openings per year", data.FlagNone)
	wantNumber(t, m, lab+"median_annual_wage|May 2024", 61000, "USD per year", data.FlagNone)
	for measure, text := range map[string]string{
		"typical_entry_education":               "Bachelor's degree",
		"work_experience_in_related_occupation": "None",
		"on_the_job_training":                   "None",
	} {
		o := m[lab+measure+"|2024-2034"]
		if o.Text != text || o.Unit != "text" || o.Value != nil || o.Flag != data.FlagNone {
			t.Errorf("%s = %+v, want %q", measure, o, text)
		}
	}
	// Thousands separators; a top-code with its cap; "#" top-coded with no number.
	wantNumber(t, m, "31-9097|0000000||employment|2024", 1050500, "jobs", data.FlagNone)
	wantNumber(t, m, "29-1211|0000000||median_annual_wage|May 2024", 239200, "USD per year", data.FlagTopCoded)
	wantFlagged(t, m, "29-9999|0000000||median_annual_wage|May 2024", data.FlagTopCoded)
	wantNumber(t, m, "29-9999|0000000||projected_growth_pct|2024-2034", -10, "percent", data.FlagNone)
	if e := wantFlagged(t, m, "29-9999|0000000||typical_entry_education|2024-2034", data.FlagNotAvailable); e.Text != "" {
		t.Errorf("a dash became the text %q", e.Text)
	}
	if tr := m["29-1211|0000000||on_the_job_training|2024-2034"]; tr.Text != "Internship/residency" {
		t.Errorf("training %+v", tr)
	}
}

func TestParseEPOccupationExport(t *testing.T) {
	obs, err := ParseEPOccupation(strings.NewReader(epFixture(t, "occupation-export.csv")), []string{"29-2010"}, testProv)
	if err != nil {
		t.Fatal(err)
	}
	if len(obs) != 9 {
		t.Fatalf("got %d observations, want 9", len(obs))
	}
	m := obsIndex(obs)
	// Another vintage: 2023-2033, from the header.
	const lab = "29-2010|0000000||"
	wantNumber(t, m, lab+"employment|2023", 3391000, "jobs", data.FlagNone)
	wantNumber(t, m, lab+"projected_employment|2023-2033", 3400500, "jobs", data.FlagNone)
	wantNumber(t, m, lab+"projected_growth_pct|2023-2033", 0.3, "percent", data.FlagNone)
	wantNumber(t, m, lab+"annual_openings|2023-2033", 22200, "openings per year", data.FlagNone)
	wantNumber(t, m, lab+"median_annual_wage|May 2023", 60000, "USD per year", data.FlagNone)
	if o := m[lab+"typical_entry_education|2023-2033"]; o.Text != "Bachelor's degree" {
		t.Errorf("education %+v (the Education Code column must not be read as education)", o)
	}
}

// A workbook saved by Excel as plain CSV on Windows is Windows-1252: the en
// dash of "2024–34" is the byte 0x96.
func TestParseEPOccupationWindows1252(t *testing.T) {
	body := "2024 National Employment Matrix code,\"Employment, 2024\",\"Employment, 2034\",\"Employment change, percent, 2024\x9634\"," +
		"Typical education needed for entry\r\n29-2010,300.0,306.0,2.0,Bachelor\x92s degree\r\n"
	obs, err := ParseEPOccupation(strings.NewReader(body), []string{"29-2010"}, testProv)
	if err != nil {
		t.Fatal(err)
	}
	m := obsIndex(obs)
	wantNumber(t, m, "29-2010|0000000||projected_growth_pct|2024-2034", 2, "percent", data.FlagNone)
	if o := m["29-2010|0000000||typical_entry_education|2024-2034"]; o.Text != "Bachelor’s degree" {
		t.Errorf("education %q", o.Text)
	}
	if o := m["29-2010|0000000||employment|2024"]; o.OccupationTitle != "Clinical laboratory technologists and technicians" {
		t.Errorf("a file without a title column should fall back to the known title, got %q", o.OccupationTitle)
	}
}

func TestClassifyEPHeader(t *testing.T) {
	cases := []struct {
		header   string
		kind     epKind
		from, to int
	}{
		{"2024 National Employment Matrix title", epOccupationTitle, 2024, 2024},
		{"2024 National Employment Matrix code", epOccupationCode, 2024, 2024},
		{"Occupation Code", epOccupationCode, 0, 0},
		{"Occupation type", epOther, 0, 0},
		{"Employment, 2024", epEmployment, 2024, 2024},
		{"EMPLOYMENT  2034", epEmployment, 2034, 2034},
		{"Projected 2030 Employment", epEmployment, 2030, 2030},
		{"Employment distribution, percent, 2024", epOther, 2024, 2024},
		{"Percent self employed, 2024", epOther, 2024, 2024},
		{"Employment change, numeric, 2024–34", epChange, 2024, 2034},
		{"Employment change, percent, 2024—34", epPercentChange, 2024, 2034},
		{"Employment Percent Change, 2020-2030", epPercentChange, 2020, 2030},
		{"Employment Change, 2095-05", epChange, 2095, 2105},
		{"Occupational openings, 2024–34 annual average", epOpenings, 2024, 2034},
		{"Occupational Openings, 2024 - 2034 Annual Average", epOpenings, 2024, 2034},
		{"Median annual wage, dollars, 2024[1]", epMedianWage, 2024, 2024},
		{"Median Annual Wage 2024 (1)", epMedianWage, 2024, 2024},
		{"Mean annual wage, 2024", epOther, 2024, 2024},
		{"Typical Entry-Level Education", epEducation, 0, 0},
		{"Education Code", epOther, 0, 0},
		{"Work Experience in a Related Occupation", epExperience, 0, 0},
		{"Workex Code", epOther, 0, 0},
		{"Typical on-the-job Training", epTraining, 0, 0},
		{"Typical on-the-job training needed to attain competency in the occupation", epTraining, 0, 0},
		{"trCode", epOther, 0, 0},
		{"Industry Title", epIndustryTitle, 0, 0},
		{" industry code ", epIndustryCode, 0, 0},
		{"Industry Type", epOther, 0, 0},
		{"Projected 2034 Percent of Occupation", epShareOfOccupation, 2034, 2034},
		{"2024 Percent of Industry", epShareOfIndustry, 2024, 2024},
		{"Industry Sort", epOther, 0, 0},
		{"Display Level", epOther, 0, 0},
	}
	for _, c := range cases {
		got := classifyEPHeader(0, c.header)
		if got.kind != c.kind || got.from != c.from || got.to != c.to {
			t.Errorf("%q: kind %v years %d-%d, want kind %v years %d-%d", c.header, got.kind, got.from, got.to, c.kind, c.from, c.to)
		}
	}
}

func TestParseEPOccupationRejectsBadFiles(t *testing.T) {
	header := "Occupation Title,Occupation Code,Employment 2024,Employment 2034,\"Employment Percent Change, 2024-2034\",Median Annual Wage 2024\n"
	row := "Clinical laboratory technologists and technicians,29-2010,300.0,306.0,2.0,\"61,000\"\n"
	cases := []struct {
		name, body string
		want       error
		says       string
	}{
		{"empty", "", fileerr.ErrFileEmpty, "empty"},
		{"html", "<!doctype html>\n<p>Service unavailable</p>", fileerr.ErrFileIsHTML, "HTML page"},
		{"occupation absent", header + strings.Replace(row, "29-2010", "29-2011", 1), fileerr.ErrOccupationAbsent, "no row for the configured occupation 29-2010"},
		{"header only", header, fileerr.ErrOccupationAbsent, "29-2010"},
		{"no code column", "Occupation Title,Employment 2024,Employment 2034,Median Annual Wage 2024\nX,1,2,3\n", fileerr.ErrColumnsMissing, "occupation code"},
		{"one employment column", "Occupation Title,Occupation Code,Employment 2024,Median Annual Wage 2024\nX,29-2010,1,3\n", fileerr.ErrColumnsMissing, "one base-year and one projected"},
		{"same year twice", "Occupation Title,Occupation Code,Employment 2024,\"Employment, 2024\"\nX,29-2010,1,3\n", fileerr.ErrRowMalformed, "two different years"},
		{"two wage columns", strings.TrimSuffix(header, "\n") + ",\"Median annual wage, dollars, 2024[1]\"\n" + row, fileerr.ErrRowMalformed, "ambiguous"},
		{"bad wage", header + strings.Replace(row, `"61,000"`, "sixty thousand", 1), fileerr.ErrValueUnreadable, "sixty thousand"},
		{"bad grouping", header + strings.Replace(row, `"61,000"`, `"61,00"`, 1), fileerr.ErrValueUnreadable, "61,00"},
		{"negative employment", header + strings.Replace(row, "300.0", "-300.0", 1), fileerr.ErrValueImpossible, "negative"},
		{"growth below -100", header + strings.Replace(row, "2.0,", "-120.0,", 1), fileerr.ErrValueImpossible, "-100"},
		{"conflicting rows", header + row + strings.Replace(row, "306.0", "307.0", 1), fileerr.ErrValuesConflict, "contradicts"},
		{"cut off", header + "Clinical laboratory technologists and technicians,29-2010,300.0,30", fileerr.ErrFileTruncated, "cut off"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			obs, err := ParseEPOccupation(strings.NewReader(c.body), []string{"29-2010"}, testProv)
			if err == nil {
				t.Fatalf("accepted a bad file: %d observations", len(obs))
			}
			if !errors.Is(err, c.want) || !strings.Contains(err.Error(), c.says) || !strings.HasPrefix(err.Error(), "bls-ep-occupation: ") {
				t.Fatalf("error %q, want %v saying %q", err, c.want, c.says)
			}
		})
	}
	// The same row twice is tolerated.
	if obs, err := ParseEPOccupation(strings.NewReader(header+row+row), []string{"29-2010"}, testProv); err != nil || len(obs) != 4 {
		t.Errorf("a repeated identical row: %d observations, %v", len(obs), err)
	}
}
