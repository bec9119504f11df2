package dashboard

import (
	"strings"
	"testing"

	"github.com/labdash/labdash/data"
)

// The home page on the built-in snapshot: both cards from one OEWS release
// and one EP edition, from BLS files; the state chart's source says its
// states' figures came from a third-party page, and the national figure
// beside them from a BLS file of the same release.
func TestHomeOnBuiltinData(t *testing.T) {
	obs, snap := fullBuiltin(t)
	p, err := BuildHome(snap, obs)
	if err != nil {
		t.Fatal(err)
	}
	for _, col := range p.Facts {
		if col.Release != "May 2024" || col.Edition != "2019-2029" {
			t.Errorf("%s: card from %q and %q", col.Family.Title, col.Release, col.Edition)
		}
		for _, f := range col.Facts {
			if f.Observation == nil || !snap.Origins.FromBLSFile(*f.Observation) {
				t.Errorf("%s: %s not from a BLS file", col.Family.Title, f.Label)
			}
		}
	}
	phleb := p.Facts[1]
	if len(phleb.Newer) != 1 || !strings.HasPrefix(phleb.Newer[0], "Newer: the 2023-33 edition gives 8% growth, 19,600 openings a year") ||
		!strings.Contains(phleb.Newer[0], "read on a bls.gov page (not a BLS file)") {
		t.Errorf("phlebotomists' newer note %q", phleb.Newer)
	}
	states := occBlock(t, p, "state-wages")
	if want := "Source: U.S. Bureau of Labor Statistics, OEWS May 2022. 51 of 52 figures from third-party pages quoting BLS (beckershospitalreview.com)."; states.Chart.Source != want {
		t.Errorf("state source %q, want %q", states.Chart.Source, want)
	}
	if len(states.Table.Footer) != 1 || states.Table.Footer[0].Category != nationalRowName || states.Table.Footer[0].Cells[0].Text != "$59,130" ||
		!strings.Contains(states.Summary, "United States, the same release: $59,130 (29-2010, read from BLS files)") {
		t.Errorf("national beside the states: %+v, summary %q", states.Table.Footer, states.Summary)
	}
	if ref := states.Chart.Options["series"].([]any)[0].(map[string]any)["markLine"]; ref == nil {
		t.Error("no national line across the state ranking")
	}
	if states.Chart.Title != "Mean annual wage of clinical laboratory technologists and technicians (29-2018) by state" {
		t.Errorf("state title %q", states.Chart.Title)
	}
	trend := occBlock(t, p, "wage-trend")
	for _, want := range []string{"OEWS May 2006 to May 2024", "from third-party pages quoting BLS"} {
		if !strings.Contains(trend.Chart.Source, want) {
			t.Errorf("trend source %q lacks %q", trend.Chart.Source, want)
		}
	}
}

// Synthetic figures, not BLS's: a newer OEWS release given only by a list
// is named in a note, never used as the quick fact; pay and outlook each
// come from one release.
func TestFactCardNewerReleaseOnlyListed(t *testing.T) {
	fig := func(m data.Measure, period string, v float64, hash string, tier data.Tier) data.Observation {
		return data.Observation{OccupationCode: "99-0001", AreaCode: data.NationalAreaCode, Measure: m, Period: period,
			Value: data.Float(v), Unit: m.Unit(), Tier: tier, FileHash: hash, SourceURL: "https://example.test/" + hash}
	}
	obs := []data.Observation{
		fig(data.MeasureMedianAnnualWage, "May 2023", 50000, "book", data.TierPrimary),
		fig(data.MeasureMedianHourlyWage, "May 2023", 24.04, "book", data.TierPrimary),
		fig(data.MeasureMedianAnnualWage, "May 2024", 52000, "list", data.TierPrimary),
		fig(data.MeasureMedianHourlyWage, "May 2024", 25, "list", data.TierSecondary),
		fig(data.MeasureProjectedGrowthPct, "2022-2032", 4.5, "book", data.TierPrimary),
		fig(data.MeasureAnnualOpenings, "2022-2032", 1200, "book", data.TierPrimary),
	}
	origins := data.OriginsOf([]data.SourceInfo{{Format: data.FormatReferenceList, FileHash: "list"}, {Format: "bls-oews", FileHash: "book"}})
	col := FactCard(data.OccupationFamily("99-0001"), obs, origins)
	if col.Release != "May 2023" || col.Facts[0].Text() != "$50,000" || col.Facts[1].Text() != "$24.04" {
		t.Errorf("pay from %q: %s, %s", col.Release, col.Facts[0].Text(), col.Facts[1].Text())
	}
	want := "Newer: OEWS May 2024 gives a median annual wage of $52,000 and a median hourly wage of $25.00 — read on a bls.gov page (not a BLS file) and on a third-party page quoting BLS."
	if len(col.Newer) != 1 || col.Newer[0] != want {
		t.Errorf("newer %q, want %q", col.Newer, want)
	}
	if g := col.Facts[3]; g.Text() != "5%" || !strings.HasPrefix(g.Detail, "4.5% before the OOH's rounding.") {
		t.Errorf("growth %q %q: 4.5 rounds half away from zero, as the OOH shows it", g.Text(), g.Detail)
	}
}
