package format

import (
	"archive/zip"
	"bytes"
	"errors"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"github.com/labdash/labdash/data"
	"github.com/labdash/labdash/ingest/fileerr"
)

// Fixtures in the OEWS spreadsheet layouts, written here by hand with
// excelize. All numbers are synthetic.

type sheet struct {
	name string
	rows [][]any
}

func xlsxBytes(t testing.TB, sheets ...sheet) []byte {
	t.Helper()
	f := excelize.NewFile()
	defer f.Close()
	for i, s := range sheets {
		if i == 0 {
			if err := f.SetSheetName("Sheet1", s.name); err != nil {
				t.Fatal(err)
			}
		} else if _, err := f.NewSheet(s.name); err != nil {
			t.Fatal(err)
		}
		for r, row := range s.rows {
			cell, _ := excelize.CoordinatesToCellName(1, r+1)
			if err := f.SetSheetRow(s.name, cell, &row); err != nil {
				t.Fatal(err)
			}
		}
	}
	var b bytes.Buffer
	if err := f.Write(&b); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func zipBytes(t testing.TB, members map[string][]byte) []byte {
	t.Helper()
	var b bytes.Buffer
	zw := zip.NewWriter(&b)
	for name, body := range members {
		w, err := zw.Create(name)
		if err != nil {
			t.Fatal(err)
		}
		w.Write(body)
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

var (
	header2021 = []any{"AREA", "AREA_TITLE", "AREA_TYPE", "PRIM_STATE", "NAICS", "NAICS_TITLE", "I_GROUP", "OWN_CODE",
		"OCC_CODE", "OCC_TITLE", "O_GROUP", "TOT_EMP", "EMP_PRSE", "JOBS_1000", "LOC_QUOTIENT", "PCT_TOTAL", "PCT_RPT",
		"H_MEAN", "A_MEAN", "MEAN_PRSE", "H_PCT10", "H_PCT25", "H_MEDIAN", "H_PCT75", "H_PCT90",
		"A_PCT10", "A_PCT25", "A_MEDIAN", "A_PCT75", "A_PCT90", "ANNUAL", "HOURLY"}
	header2014 = []any{"OCC_CODE", "OCC_TITLE", "OCC_GROUP", "TOT_EMP", "EMP_PRSE", "H_MEAN", "A_MEAN", "MEAN_PRSE",
		"H_PCT10", "H_PCT25", "H_MEDIAN", "H_PCT75", "H_PCT90", "A_PCT10", "A_PCT25", "A_MEDIAN", "A_PCT75", "A_PCT90", "ANNUAL", "HOURLY"}
	fieldDescriptions = sheet{"Field Descriptions", [][]any{{"May 2023 OEWS Estimates"}, {}, {"#  = indicates a wage equal to or greater than $115.00 per hour or $239,200 per year "}}}
)

// row2021 is a data row in the May 2021+ layout with synthetic figures.
func row2021(area, areaTitle, areaType, naics, occ, group string, emp any, hMedian any, aMedian any) []any {
	return []any{area, areaTitle, areaType, "US", naics, "Industry", "sector", "1235", occ, "Occupation " + occ, group,
		emp, 1.1000000000000001, "", "", "", "~", 30.5, 63440, 0.3, 18.2, 22.3, hMedian, 38.4, "#",
		37000, 46000, aMedian, 80000, "#", "", ""}
}

func parseFixture(t *testing.T, name string, body []byte, src Source) ([]data.Observation, []string, error) {
	t.Helper()
	var notes []string
	obs, err := ParseOEWS(Input{Source: src, Files: []File{{Name: name, Data: body}},
		Note: func(s string) { notes = append(notes, s) }})
	return obs, notes, err
}

func TestOEWSQuirks(t *testing.T) {
	wb := xlsxBytes(t, sheet{"national_M2023_dl", [][]any{header2021,
		row2021("99", "U.S.", "1", "000000", "29-2010", "broad", 300000, 29.75, 61890),
		row2021("99", "U.S.", "1", "000000", "29-2010", "detailed", 300000, 29.750000000000004, 61890),
		row2021("06", "California", "2", "000000", "29-2010", "detailed", "**", "*", "*"),
		row2021("31080", "Los Angeles", "4", "000000", "29-2010", "detailed", 5000, 35.1, 73000),
		row2021("0600001", "North Coast nonmetro", "6", "000000", "29-2010", "detailed", 120, 33, 68640),
		row2021("99", "U.S.", "1", "000000", "15-1252", "detailed", 1000, 50, 104000),
	}}, fieldDescriptions)
	obs, notes, err := parseFixture(t, "oesm23nat.zip", zipBytes(t, map[string][]byte{
		"oesm23nat/national_M2023_dl.xlsx": wb, "oesm23nat/field_descriptions.xlsx": []byte("not read")}),
		Source{Occupations: []string{"29-2010"}})
	if err != nil {
		t.Fatal(err)
	}
	if len(notes) != 0 {
		t.Errorf("identical broad and detailed rows gave notes %q", notes)
	}
	want := map[[3]string]string{
		{"0000000", "median_hourly_wage", ""}:           "29.75",
		{"0000000", "pct90_annual_wage", ""}:            "239200 top_coded",
		{"0000000", "pct90_hourly_wage", ""}:            "115 top_coded",
		{"0000000", "employment_rse_pct", ""}:           "1.1",
		{"0000000", "establishments_reporting_pct", ""}: " low_reporting",
		{"0600000", "employment", ""}:                   " not_available",
		{"0600000", "median_annual_wage", ""}:           " not_available",
		{"0031080", "median_annual_wage", ""}:           "73000",
		{"0600001", "employment", ""}:                   "120",
	}
	got := map[[3]string]string{}
	for _, o := range obs {
		if o.OccupationCode == "15-1252" {
			t.Fatalf("an unconfigured occupation was kept: %+v", o)
		}
		if o.Period != "May 2023" {
			t.Errorf("period %q, want May 2023", o.Period)
		}
		k := [3]string{o.AreaCode, string(o.Measure), o.IndustryCode}
		if _, dup := got[k]; dup {
			t.Errorf("%v given twice", k)
		}
		got[k] = strings.TrimSpace(o.ValueString() + " " + string(o.Flag))
		if o.Flag != data.FlagNone && o.Flag != data.FlagTopCoded && o.Value != nil {
			t.Errorf("%v: a marker became the number %v", k, *o.Value)
		}
	}
	for k, w := range want {
		if strings.TrimSpace(got[k]) != strings.TrimSpace(w) {
			t.Errorf("%v = %q, want %q", k, got[k], w)
		}
	}
	if _, ok := got[[3]string{"0000000", "employment_per_1000", ""}]; ok {
		t.Error("a blank JOBS_1000 cell became a figure")
	}
}

func TestOEWSBroadAndDetailedDiffer(t *testing.T) {
	wb := xlsxBytes(t, sheet{"data", [][]any{header2021,
		row2021("99", "U.S.", "1", "000000", "29-2010", "broad", 300000, 29.75, 61890),
		row2021("99", "U.S.", "1", "000000", "29-2010", "detailed", 300010, 29.75, 61900),
	}})
	obs, notes, err := parseFixture(t, "national_M2023_dl.xlsx", wb, Source{Occupations: []string{"29-2010"}})
	if err != nil {
		t.Fatal(err)
	}
	if len(notes) != 1 || !strings.Contains(notes[0], "detailed row is kept") {
		t.Errorf("notes = %q, want one saying the detailed row is kept", notes)
	}
	if o, _ := findFigure(obs, "29-2010", "", "median_annual_wage"); o.Value == nil || *o.Value != 61900 {
		t.Errorf("kept %v, want the detailed 61900", o.ValueString())
	}
}

func TestOEWSOldLayoutsAndCSV(t *testing.T) {
	lower := make([]any, len(header2021))
	for i, h := range header2021 {
		lower[i] = strings.ToLower(h.(string))
	}
	old := xlsxBytes(t, sheet{"national_dl", [][]any{header2014,
		{"29-2011", "Medical and Clinical Laboratory Technologists", "detailed", 161710, 1, 29.12, 60560, 0.3, 19.54, 24.02, 28.57, 34.27, 39.51, 40640, 49970, 59430, 71270, 82180},
	}})
	obs, _, err := parseFixture(t, "national_M2014_dl.xlsx", old, Source{Occupations: []string{"29-2011"}})
	if err != nil {
		t.Fatal(err)
	}
	checkPublished(t, obs, "May 2014", []published{{occ: "29-2011", measure: "median_annual_wage", value: 59430}})

	low := xlsxBytes(t, sheet{"national_M2019_dl", [][]any{lower, row2021("99", "U.S.", "1", "000000", "29-2010", "broad", 1, 2, 3)}})
	obs, _, err = parseFixture(t, "book.xlsx", low, Source{Occupations: []string{"29-2010"}})
	if err != nil {
		t.Fatal(err)
	}
	checkPublished(t, obs, "May 2019", []published{{occ: "29-2010", measure: "median_annual_wage", value: 3}})

	csv := "OCC_CODE,OCC_TITLE,OCC_GROUP,TOT_EMP,A_MEDIAN,H_MEDIAN\n29-2010,Clinical lab,broad,\"322,170\",\"49,310\",23.71\n"
	obs, _, err = parseFixture(t, "lab.csv", []byte(csv), Source{Occupations: []string{"29-2010"}, Period: "May 2014"})
	if err != nil {
		t.Fatal(err)
	}
	checkPublished(t, obs, "May 2014", []published{{occ: "29-2010", measure: "employment", value: 322170}})
}

func TestOEWSRefusesBadInput(t *testing.T) {
	good := xlsxBytes(t, sheet{"d", [][]any{header2014, {"29-2010", "Lab", "broad", 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1}}})
	noOcc := xlsxBytes(t, sheet{"d", [][]any{{"OCC_TITLE", "TOT_EMP"}, {"Lab", 1}}})
	var bomb bytes.Buffer
	zw := zip.NewWriter(&bomb)
	w, _ := zw.Create("oesm23nat/national_M2023_dl.xlsx")
	w.Write(make([]byte, 40<<20))
	zw.Close()
	ole := append([]byte{0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1}, make([]byte, 1024)...)
	encrypted := append(append([]byte(nil), ole...), []byte("E\x00n\x00c\x00r\x00y\x00p\x00t\x00e\x00d\x00P\x00a\x00c\x00k\x00a\x00g\x00e\x00")...)
	cases := []struct {
		name, file string
		body       []byte
		src        Source
		kind       error
		says       string
	}{
		{"period unknown", "book.xlsx", good, Source{}, fileerr.ErrPeriodUnknown, "period"},
		{"period contradicts sources.yaml", "national_M2014_dl.xlsx", good, Source{Period: "May 2015"}, fileerr.ErrPeriodUnknown, "May 2015"},
		{"column missing", "national_M2014_dl.xlsx", noOcc, Source{}, fileerr.ErrColumnsMissing, "OEWS header"},
		{"occupation absent", "national_M2014_dl.xlsx", good, Source{Occupations: []string{"31-9097"}}, fileerr.ErrOccupationAbsent, "31-9097"},
		{"zip without the workbook", "oesm23nat.zip", zipBytes(t, map[string][]byte{"readme.txt": []byte("hi")}), Source{}, fileerr.ErrFileUnreadable, "no workbook"},
		{"zip of field descriptions only", "oesm23nat.zip", zipBytes(t, map[string][]byte{"field_descriptions.xlsx": good}), Source{}, fileerr.ErrFileUnreadable, "field_descriptions.xlsx"},
		{"zip bomb", "oesm23nat.zip", bomb.Bytes(), Source{}, fileerr.ErrFileUnreadable, "zip bomb"},
		{"corrupt", "national_M2023_dl.xlsx", good[:len(good)/2], Source{}, fileerr.ErrFileUnreadable, "damaged"},
		{"HTML as xlsx", "national_M2023_dl.xlsx", []byte("<!DOCTYPE html><html><body>Access Denied</body></html>"), Source{}, fileerr.ErrFileIsHTML, "HTML"},
		{"legacy xls", "national_M2013_dl.xls", ole, Source{}, fileerr.ErrFileUnreadable, ".xls"},
		{"encrypted", "national_M2023_dl.xlsx", encrypted, Source{}, fileerr.ErrFileUnreadable, "password"},
		{"empty", "national_M2023_dl.xlsx", nil, Source{}, fileerr.ErrFileEmpty, "empty"},
		{"unknown marker", "lab.csv", []byte("OCC_CODE,OCC_TITLE,TOT_EMP\n29-2010,Lab,n.a.x\n"), Source{Period: "May 2014"}, fileerr.ErrValueUnreadable, "n.a.x"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if c.src.Occupations == nil {
				c.src.Occupations = []string{"29-2010"}
			}
			obs, _, err := parseFixture(t, c.file, c.body, c.src)
			if err == nil || !errors.Is(err, c.kind) || !strings.Contains(err.Error(), c.says) {
				t.Fatalf("err = %v (%d observations), want %v saying %q", err, len(obs), c.kind, c.says)
			}
			if obs != nil {
				t.Errorf("a refused file still gave %d observations", len(obs))
			}
		})
	}
}
