package dashboard_test

import (
	"net/url"
	"slices"
	"strings"
	"testing"

	"github.com/labdash/labdash/dashboard"
	"github.com/labdash/labdash/data"
)

func buildEditions(t *testing.T, obs []data.Observation, q url.Values) dashboard.Page {
	t.Helper()
	withEditions := analysisFacets(obs, func(o data.Observation) bool {
		return slices.Contains(dashboard.ProjectionMeasures(), o.Measure)
	})
	eq, err := dashboard.ParseEditions(q, withEditions)
	if err != nil {
		t.Fatal(err)
	}
	page, err := dashboard.BuildEditions(data.Snapshot{ID: 1}, eq, obs)
	if err != nil {
		t.Fatal(err)
	}
	return page
}

func TestEditionsShowEveryEditionAndTheRevision(t *testing.T) {
	p := buildEditions(t, analysisObs(t), url.Values{})
	if !strings.Contains(p.Intro, "Projected growth for 29-2010 was revised from 13% (2010-20) to 1.7% (2024-34).") {
		t.Errorf("intro %q", p.Intro)
	}
	growth := analysisBlock(t, p, "growth")
	want := "2010-20: 13%;2012-22: 21.7%;2014-24: 16%;2016-26: 13%;2018-28: 11%;2019-29: 7%;2022-32: 5%;2024-34: 1.7%"
	if got := strings.Join(tableText(growth), ";"); got != want {
		t.Errorf("growth by edition\n got %s\nwant %s", got, want)
	}
	base := analysisBlock(t, p, "base-employment")
	rows := strings.Join(tableText(base), ";")
	if !strings.Contains(rows, "2010-20: 330,600") || !strings.Contains(rows, "2024-34: 351,200") || !strings.Contains(rows, "2019-29: —") {
		t.Errorf("base employment %s", rows)
	}
	// Counts for years no edition starts in (2020, 2021) are not on this page.
	for _, o := range base.Observations {
		if o.Period == "2020" || o.Period == "2021" {
			t.Errorf("count %s has no edition", o.Period)
		}
	}
	if got := strings.Join(tableText(analysisBlock(t, p, "openings")), ";"); !strings.Contains(got, "2022-32: 24,000;2024-34: 22,600") {
		t.Errorf("openings %s", got)
	}
	if got := strings.Join(tableText(analysisBlock(t, p, "change")), ";"); !strings.Contains(got, "2010-20: 42,900") {
		t.Errorf("employment change %s", got)
	}
	if b := analysisBlock(t, p, "projected-employment"); len(b.Observations) != 1 || *b.Observations[0].Value != 396500 {
		t.Errorf("projected employment %v", b.Observations)
	}

	// The all-measures table: one row per edition, the outlook words and
	// entry education among the columns.
	all := analysisBlock(t, p, "all-editions")
	if all.HasChart() || len(all.Table.Rows) != 8 || all.Table.Rows[6].Category != "2022-32" {
		t.Fatalf("editions table: chart %t, %d rows", all.HasChart(), len(all.Table.Rows))
	}
	allRows := strings.Join(tableText(all), ";")
	for _, want := range []string{"Faster than average", "Bachelor's degree", "2010-20: 13%"} {
		if !strings.Contains(allRows, want) {
			t.Errorf("editions table lacks %q: %s", want, allRows)
		}
	}
	notes := strings.Join(p.Notes, " ")
	for _, want := range []string{"change between editions", `2010-20 growth of 13% for 29-2010 was "About as fast as average"`, `2022-32 growth of 5% for 29-2010 was "Faster than average"`} {
		if !strings.Contains(notes, want) {
			t.Errorf("notes lack %q: %s", want, notes)
		}
	}
}

func TestEditionsOfAFamilyAndEmptyMeasures(t *testing.T) {
	obs := analysisObs(t)
	p := buildEditions(t, obs, url.Values{"code": {"clinical-lab"}})
	growth := analysisBlock(t, p, "growth")
	if len(growth.Table.Columns) != 3 || tableText(growth)[0] != "2010-20: 13% | 11% | 15%" {
		t.Errorf("family growth %q %v", growth.Table.Columns, tableText(growth))
	}
	// The family's table has a column per code and measure with figures.
	if cols := analysisBlock(t, p, "all-editions").Table.Columns; len(cols) < 3 || !strings.Contains(strings.Join(cols, ";"), "· 29-2011") {
		t.Errorf("family editions table columns %q", cols)
	}

	p = buildEditions(t, obs, url.Values{"code": {"31-9097"}})
	if b := analysisBlock(t, p, "change"); !b.HasChart() || tableText(b)[len(b.Table.Rows)-1] != "2023-33: 11,000" {
		t.Errorf("phlebotomists change %v", tableText(b))
	}
	if b := analysisBlock(t, p, "projected-employment"); !strings.Contains(strings.Join(tableText(b), ";"), "2016-26: 152,800") {
		t.Errorf("phlebotomists projected employment %v", tableText(b))
	}

	// Synthetic (made up for this test): a code with growth only.
	synthetic := []data.Observation{{OccupationCode: "11-1111", AreaCode: data.NationalAreaCode, Measure: "projected_growth_pct",
		Period: "2030-2040", Value: data.Float(3), Unit: "percent", Tier: data.TierPrimary}}
	p = buildEditions(t, synthetic, url.Values{})
	if b := analysisBlock(t, p, "openings"); b.HasChart() || !strings.Contains(b.Empty, "no annual openings figures") {
		t.Errorf("openings %+v", b)
	}
	if p.Intro == "" || strings.Contains(p.Intro, "revised") {
		t.Errorf("one edition is no revision: %q", p.Intro)
	}
}

func TestEditionsRefuseBadParameters(t *testing.T) {
	facets := analysisFacets(analysisObs(t), nil)
	_, err := dashboard.ParseEditions(url.Values{"code": {"99-9999"}}, facets)
	wantParamError(t, err, "code")
	_, err = dashboard.ParseEditions(url.Values{"family": {"clinical-lab"}}, facets)
	wantParamError(t, err, "family")
}
