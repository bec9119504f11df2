package format

import (
	"path/filepath"
	"testing"

	"github.com/labdash/labdash/data"
)

// realBLS is where the real BLS workbooks committed for the built-in data live.
var realBLS = filepath.Join("..", "..", "data", "builtin", "bls")

// published is one figure as BLS published it.
type published struct {
	occ, industry string
	measure       data.Measure
	value         float64
	flag          data.Flag
}

func findFigure(obs []data.Observation, occ, industry string, measure data.Measure) (data.Observation, bool) {
	for _, o := range obs {
		if o.OccupationCode == occ && o.IndustryCode == industry && o.Measure == measure && o.AreaCode == data.NationalAreaCode {
			return o, true
		}
	}
	return data.Observation{}, false
}

func checkPublished(t *testing.T, obs []data.Observation, period string, want []published) {
	t.Helper()
	for _, w := range want {
		o, ok := findFigure(obs, w.occ, w.industry, w.measure)
		switch {
		case !ok:
			t.Errorf("%s %s %s: missing", w.occ, w.industry, w.measure)
		case o.Period != period:
			t.Errorf("%s %s: period %q, want %q", w.occ, w.measure, o.Period, period)
		case o.Flag != w.flag:
			t.Errorf("%s %s %s: flag %q, want %q", w.occ, w.industry, w.measure, o.Flag, w.flag)
		case w.flag == data.FlagNone && (o.Value == nil || *o.Value != w.value):
			t.Errorf("%s %s %s = %v, want %v", w.occ, w.industry, w.measure, o.ValueString(), w.value)
		}
	}
}

// TestOEWSRealNationalReleases reads every committed national workbook and
// checks figures SOURCES.md quotes from BLS's tables.
func TestOEWSRealNationalReleases(t *testing.T) {
	cases := []struct {
		file   string
		occs   []string
		period string
		want   []published
	}{
		{"national_M2014_dl.xlsx", []string{"29-2010", "29-2011", "29-2012", "31-9097", "00-0000"}, "May 2014", []published{
			{occ: "29-2011", measure: "median_annual_wage", value: 59430}, {occ: "29-2012", measure: "median_annual_wage", value: 38370},
			{occ: "31-9097", measure: "median_annual_wage", value: 30670}, {occ: "29-2010", measure: "employment", value: 322170},
			{occ: "29-2011", measure: "median_hourly_wage", value: 28.57}, {occ: "00-0000", measure: "pct90_hourly_wage", value: 43.30},
		}},
		// May 2014 marks top-coded wages with "#" but states no cap in the
		// workbook: the flag stands alone, with no number.
		{"national_M2014_dl.xlsx", []string{"11-0000"}, "May 2014", []published{
			{occ: "11-0000", measure: "pct90_hourly_wage", flag: data.FlagTopCoded},
		}},
		{"national_M2015_dl.xlsx", []string{"29-2011", "29-2012", "31-9097", "00-0000"}, "May 2015", []published{
			{occ: "29-2011", measure: "median_annual_wage", value: 60520}, {occ: "29-2012", measure: "median_annual_wage", value: 38970},
			{occ: "31-9097", measure: "median_annual_wage", value: 31630}, {occ: "00-0000", measure: "median_hourly_wage", value: 17.40},
		}},
		{"national_M2016_dl.xlsx", []string{"29-2011", "29-2012", "31-9097"}, "May 2016", []published{
			{occ: "29-2011", measure: "median_annual_wage", value: 61070}, {occ: "29-2012", measure: "median_annual_wage", value: 38950},
			{occ: "31-9097", measure: "median_annual_wage", value: 32710},
		}},
		{"national_M2017_dl.xlsx", []string{"29-2010", "31-9097"}, "May 2017", []published{
			{occ: "29-2010", measure: "median_annual_wage", value: 51770}, {occ: "31-9097", measure: "median_annual_wage", value: 33670},
		}},
		{"national_M2018_dl.xlsx", []string{"29-2010", "31-9097"}, "May 2018", []published{
			{occ: "29-2010", measure: "median_annual_wage", value: 52330}, {occ: "31-9097", measure: "median_annual_wage", value: 34480},
			{occ: "29-2010", measure: "pct90_hourly_wage", value: 38.62}, {occ: "29-2010", measure: "pct25_hourly_wage", value: 18.42},
		}},
		{"national_M2019_dl.xlsx", []string{"29-2010", "31-9097"}, "May 2019", []published{
			{occ: "29-2010", measure: "median_annual_wage", value: 53120}, {occ: "31-9097", measure: "median_annual_wage", value: 35510},
			{occ: "29-2010", measure: "employment", value: 326020},
		}},
		{"national_M2020_dl.xlsx", []string{"29-2010", "31-9097"}, "May 2020", []published{
			{occ: "29-2010", measure: "median_annual_wage", value: 54180}, {occ: "31-9097", measure: "median_annual_wage", value: 36320},
			{occ: "29-2010", measure: "employment_rse_pct", value: 1.1},
		}},
		{"national_M2021_dl.xlsx", []string{"29-2010", "31-9097"}, "May 2021", []published{
			{occ: "29-2010", measure: "median_annual_wage", value: 57800}, {occ: "31-9097", measure: "median_annual_wage", value: 37380},
		}},
		{"national_M2022_dl.xlsx", []string{"29-2010", "31-9097"}, "May 2022", []published{
			{occ: "29-2010", measure: "median_annual_wage", value: 57380}, {occ: "31-9097", measure: "median_annual_wage", value: 38530},
		}},
	}
	for _, c := range cases {
		t.Run(c.file, func(t *testing.T) {
			obs, err := ParseOEWS(Input{Source: Source{Occupations: c.occs},
				Files: []File{{Name: c.file, Path: filepath.Join(realBLS, "oews", c.file)}}})
			if err != nil {
				t.Fatal(err)
			}
			checkPublished(t, obs, c.period, c.want)
		})
	}
}

// TestOEWSRealSectorRelease reads the 3 MB May 2024 by-sector workbook: the
// broad and detailed rows of 29-2010 are one figure, "**" and "~" are flags.
func TestOEWSRealSectorRelease(t *testing.T) {
	obs, err := ParseOEWS(Input{Source: Source{Occupations: []string{"29-2010", "31-9097"}},
		Files: []File{{Name: "natsector_M2024_dl.xlsx", Path: filepath.Join(realBLS, "oews", "natsector_M2024_dl.xlsx")}}})
	if err != nil {
		t.Fatal(err)
	}
	checkPublished(t, obs, "May 2024", []published{
		{occ: "29-2010", industry: "62", measure: "employment", value: 288450},
		{occ: "29-2010", industry: "62", measure: "median_annual_wage", value: 62420},
		{occ: "31-9097", industry: "62", measure: "employment", value: 132900},
		{occ: "31-9097", industry: "62", measure: "median_annual_wage", value: 43660},
		{occ: "29-2010", industry: "55", measure: "share_of_industry_pct", value: 0.07},
		{occ: "29-2010", industry: "31-33", measure: "employment_rse_pct", value: 8},
		{occ: "29-2010", industry: "44-45", measure: "employment", flag: data.FlagNotAvailable},
		{occ: "29-2010", industry: "44-45", measure: "mean_hourly_wage", value: 25.63},
		{occ: "29-2010", industry: "31-33", measure: "establishments_reporting_pct", flag: data.FlagLowReporting},
	})
	n := 0
	for _, o := range obs {
		if o.OccupationCode == "29-2010" && o.IndustryCode == "62" && o.Measure == "median_annual_wage" {
			n++
		}
	}
	if n != 1 {
		t.Errorf("29-2010 in sector 62 has %d median wages, want 1 (broad and detailed are one figure)", n)
	}
}

// TestOEWSRealResavedRelease reads the re-saved May 2024 copy: the period
// comes from the field descriptions as well as the name, and "#" takes the
// cap the workbook states.
func TestOEWSRealResavedRelease(t *testing.T) {
	obs, err := ParseOEWS(Input{Source: Source{Occupations: []string{"29-2010", "31-9097", "11-0000"}},
		Files: []File{{Name: "national_M2024_dl.xlsx", Path: filepath.Join(realBLS, "oews-resaved", "national_M2024_dl.xlsx")}}})
	if err != nil {
		t.Fatal(err)
	}
	checkPublished(t, obs, "May 2024", []published{
		{occ: "29-2010", measure: "employment", value: 343040},
		{occ: "29-2010", measure: "median_annual_wage", value: 61890},
		{occ: "29-2010", measure: "median_hourly_wage", value: 29.75},
		{occ: "31-9097", measure: "employment", value: 138880},
		{occ: "31-9097", measure: "median_annual_wage", value: 43660},
	})
	top, ok := findFigure(obs, "11-0000", "", "pct90_hourly_wage")
	if !ok || top.Flag != data.FlagTopCoded || top.Value == nil || *top.Value != 115 {
		t.Errorf("11-0000 pct90_hourly_wage = %+v, want the cap 115 flagged top_coded", top)
	}
}
