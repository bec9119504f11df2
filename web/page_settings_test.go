package web

import (
	"context"
	"os"
	"strings"
	"testing"

	"github.com/labdash/labdash/data"
	"github.com/labdash/labdash/ingest/format"
)

func TestSettingsPage(t *testing.T) {
	ts, _, _ := newTestSite(t)
	resp, body := get(t, ts.URL+"/settings")
	if resp.StatusCode != 200 {
		t.Fatalf("status %d: %s", resp.StatusCode, body)
	}
	for _, want := range []string{
		`<option value="29-2010" selected>`, `<option value="share" selected>`,
		"General medical and surgical hospitals; state, local, and private", "22%", "2021",
		"United States (national only), 2018 to 2021", "National only:",
		`id="share-chart"`, `href="/s/1/settings/share.csv"`,
	} {
		if !strings.Contains(body, want) {
			t.Errorf("/settings lacks %q", want)
		}
	}
	_, body = get(t, ts.URL+"/settings?code=29-2011&measure=wage")
	if !strings.Contains(body, "$62,880") || !strings.Contains(body, "May 2010, median") {
		t.Error("29-2011 wages by setting missing")
	}
}

// A valid combination with no figures is a 200 page with its controls.
func TestSettingsPageEmptyAndBadCombinations(t *testing.T) {
	ts, _, _ := newTestSite(t)
	resp, body := get(t, ts.URL+"/settings?code=29-2010&measure=change")
	if resp.StatusCode != 200 || !strings.Contains(body, "This snapshot has no projected percent changes in employment by work setting for clinical laboratory technologists and technicians (29-2010).") ||
		!strings.Contains(body, `<option value="change" selected>`) || !strings.Contains(body, `name="code"`) {
		t.Errorf("empty combination: %d", resp.StatusCode)
	}
	_, body = get(t, ts.URL+"/settings?code=29-2018&measure=share")
	if !strings.Contains(body, "The same occupation has them under 29-2010.") {
		t.Error("29-2018 share page does not point to 29-2010")
	}
	for path, says := range map[string]string{
		"/settings?measure=pay":      "The measure parameter &#34;pay&#34; is not available",
		"/settings?code=29":          "The code parameter &#34;29&#34; is not available",
		"/settings?measure=share&x=": "The x parameter",
	} {
		resp, body := get(t, ts.URL+path)
		if resp.StatusCode != 400 || !strings.Contains(body, says) {
			t.Errorf("%s: %d, want 400 saying %q", path, resp.StatusCode, says)
		}
	}
}

func TestSettingsPageCSVAndPinning(t *testing.T) {
	ts, store, site := newTestSite(t)
	_, body := get(t, ts.URL+"/settings/share.csv?code=29-2010&measure=share")
	rows := readCSV(t, body)
	if len(rows) != 16 {
		t.Errorf("share CSV has %d rows, want 15 figures and a header", len(rows))
	}
	for _, r := range rows[1:] {
		if r[6] != "share_of_occupation_pct" || r[5] == "" {
			t.Errorf("share CSV row %v", r[:9])
		}
	}

	// Publish the EP matrix test fixture (synthetic numbers in the real
	// layout): the latest page shows projected change, the pinned one
	// still says it has none.
	f, err := os.Open("../ingest/format/testdata/ep/matrix-29-2010.csv")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	obs, err := format.ParseEPMatrix(f, data.CodeClinicalLabEP, format.Provenance{SourceName: "test", SourceURL: "https://example.test/matrix"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := store.Publish(context.Background(), data.Publication{Label: "EP matrix (synthetic test data)", Observations: obs}); err != nil {
		t.Fatal(err)
	}
	site.Refresh()
	_, body = get(t, ts.URL+"/settings?measure=change")
	if !strings.Contains(body, `id="growth-chart"`) || !strings.Contains(body, "-1,500") || !strings.Contains(body, "2024-34") {
		t.Error("latest change page lacks the matrix figures")
	}
	_, body = get(t, ts.URL+"/settings/change.csv?measure=change")
	if rows := readCSV(t, body); len(rows) != 7 { // 6 industries and the header; TE1000 is not a setting
		t.Errorf("change CSV has %d rows", len(rows))
	}
	_, body = get(t, ts.URL+"/s/1/settings?measure=change")
	if !strings.Contains(body, "This snapshot has no projected percent changes") {
		t.Error("the pinned page changed after a publish")
	}
}

// A hostile industry title stays text in the page and the chart options.
func TestSettingsPageHostileIndustryTitle(t *testing.T) {
	ts, store, site := newTestSite(t)
	hostile := `</script><script>alert(1)</script>"onmouseover="x`
	o := data.Observation{
		OccupationCode: data.CodeClinicalLabEP, AreaCode: data.NationalAreaCode, AreaTitle: "United States",
		IndustryTitle: hostile, Measure: "median_annual_wage", Period: "May 2030",
		Value: data.Float(1), Unit: "USD per year", Tier: data.TierSecondary, SourceName: "test (synthetic)",
	}
	if _, err := store.Publish(context.Background(), data.Publication{Label: "hostile (synthetic test data)", Observations: []data.Observation{o}}); err != nil {
		t.Fatal(err)
	}
	site.Refresh()
	resp, body := get(t, ts.URL+"/settings?measure=wage")
	if resp.StatusCode != 200 || strings.Contains(body, "<script>alert") || strings.Contains(body, `"onmouseover="`) {
		t.Fatalf("a data string became markup (status %d)", resp.StatusCode)
	}
	if !strings.Contains(body, "May 2030, median") {
		t.Error("the synthetic period is not shown")
	}
}
