package format

import (
	"bytes"
	"strings"
	"testing"

	"github.com/labdash/labdash/data"
	"github.com/labdash/labdash/data/builtin"
)

func TestParseReferenceBuiltIn(t *testing.T) {
	obs, err := ParseReference(bytes.NewReader(builtin.ReferenceCSV), Provenance{SourceName: "builtin"})
	if err != nil {
		t.Fatal(err)
	}
	// 306 rows, 7 keys appear twice (docs/DATA.md, "Reference figures").
	if len(obs) != 299 {
		t.Fatalf("got %d observations, want 299", len(obs))
	}
	find := func(occ string, measure data.Measure, period string) data.Observation {
		t.Helper()
		for _, o := range obs {
			if o.OccupationCode == occ && o.Measure == measure && o.Period == period && o.AreaCode == data.NationalAreaCode && o.CrossIndustry() {
				return o
			}
		}
		t.Fatalf("no %s %s %s", occ, measure, period)
		return data.Observation{}
	}
	// Same tier, rounding only: the more precise figure wins.
	if g := find("29-2010", "projected_growth_pct", "2024-2034"); *g.Value != 1.7 || !strings.Contains(g.Notes, "also reported as 2") {
		t.Errorf("2024-34 growth = %v (%q), want 1.7 noting the rounded 2", *g.Value, g.Notes)
	}
	if g := find("31-9097", "projected_growth_pct", "2012-2022"); *g.Value != 26.8 {
		t.Errorf("phlebotomist 2012-22 growth = %v, want 26.8", *g.Value)
	}
	if o := find("29-2010", "annual_openings", "2024-2034"); o.Unit != "openings per year" || *o.Value != 22600 {
		t.Errorf("openings 2024-34 = %v %q", *o.Value, o.Unit)
	}
	if o := find("29-2010", "typical_entry_education", "2022-2032"); o.Text != "Bachelor's degree" || o.Value != nil {
		t.Errorf("education = %+v", o)
	}
	if o := find("29-2010", "median_annual_wage", "May 2023"); o.Tier != data.TierPrimary || *o.Value != 60780 {
		t.Errorf("median May 2023 = %v %s", *o.Value, o.Tier)
	}
	var metro, state int
	for _, o := range obs {
		switch data.KindOfArea(o.AreaCode) {
		case data.AreaMetro:
			metro++
		case data.AreaState:
			state++
		}
	}
	if metro == 0 || state < 51 {
		t.Errorf("metro rows %d, state rows %d", metro, state)
	}
}

func TestParseReferenceRejectsBadFiles(t *testing.T) {
	header := "occupation_code,occupation_title,measure,value,unit,period,geography,industry_code,industry_title,tier,source_title,source_url,notes\n"
	cases := map[string]string{
		"empty":           "",
		"missing column":  "occupation_code,measure,value\n29-2010,employment,1\n",
		"not a number":    header + "29-2010,X,employment,lots,jobs,2024,United States,,,primary,t,u,\n",
		"unknown place":   header + "29-2010,X,employment,1,jobs,2024,Atlantis,,,primary,t,u,\n",
		"bad period":      header + "29-2010,X,employment,1,jobs,Spring 2024,United States,,,primary,t,u,\n",
		"unknown tier":    header + "29-2010,X,employment,1,jobs,2024,United States,,,gossip,t,u,\n",
		"header only":     header,
		"html error page": "<!DOCTYPE html><html><body>Access Denied</body></html>\n",
	}
	for name, body := range cases {
		t.Run(name, func(t *testing.T) {
			if _, err := ParseReference(strings.NewReader(body), Provenance{}); err == nil {
				t.Fatal("accepted a bad file")
			}
		})
	}
}

func TestParseReferenceAcceptsBOMAndCRLF(t *testing.T) {
	body := "\uFEFFoccupation_code,occupation_title,measure,value,unit,period,geography,industry_code,industry_title,tier,source_title,source_url,notes\r\n" +
		"31-9097, Phlebotomists ,median_annual_wage, 41810 ,USD per year,May 2023,United States,,,primary,t,https://www.bls.gov/x,\r\n"
	obs, err := ParseReference(strings.NewReader(body), Provenance{})
	if err != nil {
		t.Fatal(err)
	}
	if len(obs) != 1 || *obs[0].Value != 41810 || obs[0].OccupationTitle != "Phlebotomists" {
		t.Fatalf("got %+v", obs)
	}
}
