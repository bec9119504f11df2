package format

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/labdash/labdash/ingest/fileerr"

	"github.com/labdash/labdash/data"
)

func epFixture(t testing.TB, name string) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", "ep", name))
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func TestParseEPMatrixFixture(t *testing.T) {
	obs, err := ParseEPMatrix(strings.NewReader(epFixture(t, "matrix-29-2010.csv")), "29-2010", testProv)
	if err != nil {
		t.Fatal(err)
	}
	// 7 industries × (employment, projected, change, growth, 4 shares).
	if len(obs) != 7*8 {
		t.Fatalf("got %d observations, want 56", len(obs))
	}
	m := obsIndex(obs)
	// The total is the cross-industry figure, keyed like national OEWS figures.
	tot := wantNumber(t, m, "29-2010|0000000||employment|2024", 300000, "jobs", data.FlagNone)
	if !tot.CrossIndustry() || tot.AreaTitle != "United States" || tot.Tier != data.TierPrimary ||
		tot.OccupationTitle != "Clinical laboratory technologists and technicians" {
		t.Errorf("total row: %+v", tot)
	}
	wantNumber(t, m, "29-2010|0000000||projected_employment|2024-2034", 306000, "jobs", data.FlagNone)
	wantNumber(t, m, "29-2010|0000000||employment_change|2024-2034", 6000, "jobs", data.FlagNone)
	wantNumber(t, m, "29-2010|0000000||projected_growth_pct|2024-2034", 2, "percent", data.FlagNone)
	wantNumber(t, m, "29-2010|0000000||share_of_occupation_pct|2024", 100, "percent of occupation employment", data.FlagNone)
	wantNumber(t, m, "29-2010|0000000||share_of_industry_pct|2034", 0.2, "percent of industry employment", data.FlagNone)

	lab := wantNumber(t, m, "29-2010|0000000|621500|employment|2024", 60000, "jobs", data.FlagNone)
	if lab.IndustryTitle != "Medical and diagnostic laboratories" {
		t.Errorf("industry title %q", lab.IndustryTitle)
	}
	wantNumber(t, m, "29-2010|0000000|621500|share_of_occupation_pct|2034", 21.6, "percent of occupation employment", data.FlagNone)
	wantNumber(t, m, "29-2010|0000000|621500|share_of_industry_pct|2024", 15, "percent of industry employment", data.FlagNone)
	// EP's own codes kept as they are; negative changes are fine.
	wantNumber(t, m, "29-2010|0000000|31-330|projected_growth_pct|2024-2034", -1.2, "percent", data.FlagNone)
	wantNumber(t, m, "29-2010|0000000|TE1100|employment|2024", 2000, "jobs", data.FlagNone)
	wantNumber(t, m, "29-2010|0000000|621100|employment_change|2024-2034", -1500, "jobs", data.FlagNone)
	// 0.4 thousand is 400 jobs, not 400.00000000000006; an em dash is not available.
	wantNumber(t, m, "29-2010|0000000|4240A2|employment|2024", 400, "jobs", data.FlagNone)
	wantFlagged(t, m, "29-2010|0000000|4240A2|projected_growth_pct|2024-2034", data.FlagNotAvailable)
	hosp := wantNumber(t, m, "29-2010|0000000|622000|projected_employment|2024-2034", 151500, "jobs", data.FlagNone)
	if hosp.IndustryTitle != "Hospitals; state, local, and private" {
		t.Errorf("hospital title %q", hosp.IndustryTitle)
	}
}

// The header of docs/DATA.md (2020-2030), with BOM and CRLF: the years come
// from the header, never from the code.
func TestParseEPMatrixOtherVintage(t *testing.T) {
	body := "\uFEFFIndustry Title,Industry Code,Industry Type,2020 Employment,2020 Percent of Occupation,2020 Percent of Industry," +
		"Projected 2030 Employment,Projected 2030 Percent of Occupation,Projected 2030 Percent of Industry," +
		"\"Employment Change, 2020-2030\",\"Employment Percent Change, 2020-2030\",Industry Sort,Display Level\r\n" +
		"Total employment,TE1000,Summary,81.4,100.0,0.1,89.9,100.0,0.1,8.6,10.5,0,0\r\n" +
		"Manufacturing,31-330,Summary,0.1,0.1,0.0,0.1,0.1,0.0,0.0,5.5,60,2\r\n"
	obs, err := ParseEPMatrix(strings.NewReader(body), "29-2010", testProv)
	if err != nil {
		t.Fatal(err)
	}
	m := obsIndex(obs)
	wantNumber(t, m, "29-2010|0000000||employment|2020", 81400, "jobs", data.FlagNone)
	wantNumber(t, m, "29-2010|0000000||projected_employment|2020-2030", 89900, "jobs", data.FlagNone)
	wantNumber(t, m, "29-2010|0000000||projected_growth_pct|2020-2030", 10.5, "percent", data.FlagNone)
	wantNumber(t, m, "29-2010|0000000|31-330|share_of_industry_pct|2030", 0, "percent of industry employment", data.FlagNone)
}

func TestParseEPMatrixRejectsBadFiles(t *testing.T) {
	header := "Industry Title,Industry Code,Industry Type,2024 Employment,2024 Percent of Occupation,Projected 2034 Employment," +
		"\"Employment Change, 2024-2034\",\"Employment Percent Change, 2024-2034\"\n"
	row := "Total employment,TE1000,Summary,300.0,100.0,306.0,6.0,2.0\n"
	cases := []struct {
		name, body string
		want       error
		says       string
	}{
		{"empty", "", fileerr.ErrFileEmpty, "empty"},
		{"blank lines", "\n\n  \n", fileerr.ErrFileEmpty, "empty"},
		{"html", "<html><head><title>Error</title></head></html>", fileerr.ErrFileIsHTML, "HTML page"},
		{"not a table", "a,b,c\n1,2,3\n", fileerr.ErrColumnsMissing, "no header row"},
		{"no projected column", "Industry Title,Industry Code,2024 Employment,2024 Percent of Occupation\n" + row, fileerr.ErrColumnsMissing, "one base-year and one projected employment column"},
		{"no industry code", "Industry Title,2024 Employment,Projected 2034 Employment\nTotal employment,1,2\n", fileerr.ErrColumnsMissing, "industry code"},
		{"years disagree", strings.Replace(header, "Employment Change, 2024-2034", "Employment Change, 2022-2032", 1) + row, fileerr.ErrRowMalformed, "contradicts itself"},
		{"unreadable value", header + "Hospitals,622000,Summary,lots,50.0,151.5,1.5,1.0\n", fileerr.ErrValueUnreadable, `"lots"`},
		{"negative employment", header + "Hospitals,622000,Summary,-150.0,50.0,151.5,1.5,1.0\n", fileerr.ErrValueImpossible, "negative"},
		{"share over 100", header + "Hospitals,622000,Summary,150.0,150.0,151.5,1.5,1.0\n", fileerr.ErrValueImpossible, "between 0 and 100"},
		{"conflicting rows", header + row + strings.Replace(row, "300.0", "301.0", 1), fileerr.ErrValuesConflict, "contradicts itself"},
		{"cut off", header + row + "Hospitals,622000,Summary,150.0,50", fileerr.ErrFileTruncated, "cut off"},
		{"broken quotes", header + row + "\"Hospitals,622000\n", fileerr.ErrRowMalformed, ""},
		{"no rows", header + "\nSource: Employment Projections program\n", fileerr.ErrOccupationAbsent, "no industry rows"},
		{"another occupation", "\"Employment by industry for 31-9097 Phlebotomists\"\n" + header + row, fileerr.ErrRowMalformed, "configured for 29-2010"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			obs, err := ParseEPMatrix(strings.NewReader(c.body), "29-2010", testProv)
			if err == nil {
				t.Fatalf("accepted a bad file: %d observations", len(obs))
			}
			if !errors.Is(err, c.want) || !strings.Contains(err.Error(), c.says) || !strings.HasPrefix(err.Error(), "bls-ep-matrix: ") {
				t.Fatalf("error %q, want %v saying %q", err, c.want, c.says)
			}
		})
	}
	if _, err := ParseEPMatrix(strings.NewReader(header+row), "29-20", testProv); err == nil {
		t.Error("accepted an occupation that is not a SOC code")
	}
}
