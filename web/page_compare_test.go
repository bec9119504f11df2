package web

import (
	"context"
	"html"
	"strings"
	"testing"

	"github.com/labdash/labdash/data"
)

// wantPage fetches a page and checks its status and that it says each want.
func wantPage(t *testing.T, url string, status int, wants ...string) string {
	t.Helper()
	resp, body := get(t, url)
	if resp.StatusCode != status {
		t.Fatalf("%s: status %d, want %d: %.300s", url, resp.StatusCode, status, body)
	}
	text := html.UnescapeString(body)
	for _, w := range wants {
		if !strings.Contains(text, w) {
			t.Errorf("%s lacks %q", url, w)
		}
	}
	return body
}

// csvColumn reads one column of a chart CSV, after its header.
func csvColumn(t *testing.T, url string, column int) []string {
	t.Helper()
	resp, body := get(t, url)
	if resp.StatusCode != 200 {
		t.Fatalf("%s: %d %s", url, resp.StatusCode, body)
	}
	var out []string
	for _, r := range readCSV(t, body)[1:] {
		out = append(out, r[column])
	}
	return out
}

func TestComparePage(t *testing.T) {
	ts, _, _ := newTestSite(t)
	body := wantPage(t, ts.URL+"/compare", 200,
		"Compare: Clinical laboratory technologists and technicians (29-2010) · Phlebotomists (31-9097)",
		"$61,890", "$43,660", "May 2024",
		// Every row's figures come from one release or edition: the latest
		// both have from a BLS file.
		"Same period for both (May 2024): a like-for-like comparison.",
		"Same period for both (2019-29): a like-for-like comparison.",
		"Same period for both (2019): a like-for-like comparison.",
		`name="a"`, `name="b"`, `name="c"`, `<option value="" selected>(none)</option>`,

		`id="wage-chart"`, `id="growth-chart"`, `id="openings-chart"`,
		`href="/s/1/compare/wage.csv"`)
	facts := body[strings.Index(body, `<section class="facts"`):]
	facts = facts[:strings.Index(facts, "</section>")]
	if strings.Contains(facts, "Different periods") || strings.Contains(facts, "May 2023") || strings.Contains(facts, "2024-34") {
		t.Error("/compare's quick facts set figures of different releases side by side")
	}
	wantPage(t, ts.URL+"/compare?a=29-2010&b=31-9097&c=", 200, "Compare: Clinical laboratory technologists and technicians (29-2010) · Phlebotomists (31-9097)")
	wantPage(t, ts.URL+"/compare?a=29-2011&b=29-2018", 200,
		"29-2018 = 29-2011 + 29-2012 from May 2019", "29-2011 is part of 29-2018")
	wantPage(t, ts.URL+"/compare?a=29-2010&b=29-2010", 400, `The b parameter "29-2010" is already being compared`)
	wantPage(t, ts.URL+"/compare?a=29-2010&b=31-9097&c=31-9097", 400, "The c parameter")
	wantPage(t, ts.URL+"/compare?a=12-3456", 400, "is not available in this snapshot")
	pinned := wantPage(t, ts.URL+"/s/1/compare?a=29-2010&b=31-9097&c=29-2011", 200, "This address is pinned", "(29-2011)")
	if !strings.Contains(pinned, `href="/s/1/compare/wage.csv?a=29-2010&amp;b=31-9097&amp;c=29-2011"`) {
		t.Error("pinned page's CSV link does not keep the query")
	}
	periods := csvColumn(t, ts.URL+"/s/1/compare/wage.csv?a=29-2010&b=31-9097", 7)
	// Both occupations have a national median in every May release from
	// 2014 on (the OEWS workbooks; May 2023 from the reference figures).
	want := "May 2014,May 2014,May 2015,May 2015,May 2016,May 2016,May 2017,May 2017,May 2018,May 2018,May 2019,May 2019," +
		"May 2020,May 2020,May 2021,May 2021,May 2022,May 2022,May 2023,May 2023,May 2024,May 2024"
	if got := strings.Join(periods, ","); got != want {
		t.Errorf("wage CSV periods %s", got)
	}
}

// Occupation titles come from ingested files: they stay text.
func TestComparePageEscapesTitles(t *testing.T) {
	ts, store, _ := newTestSite(t)
	hostile := `</script><script>alert(1)</script>"'`
	o := data.Observation{OccupationCode: "99-0001", OccupationTitle: hostile, AreaCode: data.NationalAreaCode, AreaTitle: "United States",
		Measure: "median_annual_wage", Period: "May 2023", Value: data.Float(1), Unit: "USD per year", Tier: data.TierPrimary,
		SourceName: "test", SourceURL: "https://example.test/synthetic"}
	if _, err := store.Publish(context.Background(), data.Publication{Label: "hostile title (synthetic test data)", Observations: []data.Observation{o}}); err != nil {
		t.Fatal(err)
	}
	body := wantPage(t, ts.URL+"/compare?a=99-0001&b=31-9097", 200, "99-0001")
	if strings.Contains(body, "<script>alert") {
		t.Fatal("an occupation title became markup")
	}
}
