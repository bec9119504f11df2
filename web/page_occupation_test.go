package web

import (
	"context"
	"strings"
	"testing"

	"github.com/labdash/labdash/data"
)

func TestOccupationPage(t *testing.T) {
	ts, _, _ := newTestSite(t)
	resp, body := get(t, ts.URL+"/occupation")
	if resp.StatusCode != 200 {
		t.Fatalf("status %d: %s", resp.StatusCode, body)
	}
	for _, want := range []string{
		`<option value="29-2010" selected>`,
		"$61,890", "May 2024", // quick facts: median pay
		// Every percentile of the latest May release (the OEWS workbooks);
		// a distribution with gaps is checked in dashboard's tests.
		"May 2024: 10th percentile $38,020, 25th percentile $46,580, median $61,890, 75th percentile $80,010, 90th percentile $97,990.",
		"Classification history: BLS published technologists (29-2011)",
		"General medical and surgical hospitals", // where the jobs are
		"1.7%", "22,600", "16,800",               // outlook
		`id="wage-distribution-chart"`, `id="work-settings-chart"`, `id="outlook-growth-chart"`, `id="outlook-jobs-chart"`,
		`href="/s/1/occupation/wage-distribution.csv"`,
		"secondary", "primary-archived",
	} {
		if !strings.Contains(body, want) {
			t.Errorf("/occupation lacks %q", want)
		}
	}
	_, body = get(t, ts.URL+"/occupation?code=31-9097")
	if !strings.Contains(body, "May 2024: 10th percentile $34,860, 25th percentile $37,540, median $43,660, 75th percentile $48,170, 90th percentile $57,750.") ||
		!strings.Contains(body, `<option value="31-9097" selected>`) {
		t.Error("phlebotomists' page does not show their May 2024 wage percentiles")
	}
}

func TestOccupationPageRefusesBadParameters(t *testing.T) {
	ts, _, _ := newTestSite(t)
	for path, says := range map[string]string{
		"/occupation?code=99-9999":              "The code parameter &#34;99-9999&#34; is not available in this snapshot",
		"/occupation?code=%3Cscript%3E":         "The code parameter &#34;&lt;script&gt;&#34; is not available",
		"/occupation?code=29-2010&measure=wage": "The measure parameter &#34;wage&#34; is not one this page takes",
		"/s/1/occupation?code=":                 "", // empty is the default: fine
	} {
		resp, body := get(t, ts.URL+path)
		if says == "" {
			if resp.StatusCode != 200 {
				t.Errorf("%s: %d", path, resp.StatusCode)
			}
			continue
		}
		if resp.StatusCode != 400 || !strings.Contains(body, says) {
			t.Errorf("%s: %d, want 400 saying %q", path, resp.StatusCode, says)
		}
	}
}

func TestOccupationPagePinnedAndCSV(t *testing.T) {
	ts, store, _ := newTestSite(t)
	resp, page := get(t, ts.URL+"/s/1/occupation?code=29-2012")
	if resp.StatusCode != 200 || !strings.Contains(resp.Header.Get("Cache-Control"), "immutable") {
		t.Fatalf("pinned: %d %q", resp.StatusCode, resp.Header.Get("Cache-Control"))
	}
	for _, want := range []string{"$31,250", "May 2006", "May 2012", "Medical and clinical laboratory technicians (29-2012)"} {
		if !strings.Contains(page, want) {
			t.Errorf("pinned 29-2012 page lacks %q", want)
		}
	}
	resp, body := get(t, ts.URL+"/s/1/occupation/wage-distribution.csv?code=29-2012")
	if resp.StatusCode != 200 {
		t.Fatalf("CSV %d: %s", resp.StatusCode, body)
	}
	rows := readCSV(t, body)
	for _, r := range rows[1:] {
		if r[0] != "29-2012" || r[2] != "0000000" || !strings.HasSuffix(r[6], "_annual_wage") {
			t.Errorf("CSV row %v is not a national 29-2012 wage", r[:9])
		}
	}
	// The table twin has one figure per CSV row.
	section := page[strings.Index(page, `id="wage-distribution"`):]
	section = section[:strings.Index(section, "</table>")]
	// The five percentiles of May 2016, the release of the quick facts
	// beside the chart (the last OEWS workbook that lists 29-2012).
	if cells := strings.Count(section, "<td ") - strings.Count(section, `title="No figure"`); cells != len(rows)-1 || cells != 5 {
		t.Errorf("table has %d figures, CSV %d, want 5", cells, len(rows)-1)
	}
	if !strings.Contains(section, "OEWS May 2016") {
		t.Error("the distribution of 29-2012 does not say it is of OEWS May 2016")
	}
	// Every built-in occupation has wage percentiles now: an occupation
	// with a median only (synthetic test data) has an empty block.
	medianOnly := data.Observation{OccupationCode: "99-0002", OccupationTitle: "Median-only testers", AreaCode: data.NationalAreaCode,
		AreaTitle: "United States", Measure: "median_annual_wage", Period: "May 2024", Value: data.Float(50000), Unit: "USD per year",
		Tier: data.TierPrimary, SourceName: "test", SourceURL: "https://example.test/synthetic"}
	if _, err := store.Publish(context.Background(), data.Publication{Label: "a median only (synthetic test data)",
		Observations: []data.Observation{medianOnly}}); err != nil {
		t.Fatal(err)
	}
	if _, body := get(t, ts.URL+"/occupation?code=99-0002"); !strings.Contains(body, "This snapshot has no annual wage percentiles (10th to 90th) for 99-0002") {
		t.Error("the page of an occupation with a median only does not say it has no percentiles")
	}
	if resp, body := get(t, ts.URL+"/occupation/wage-distribution.csv?code=99-0002"); resp.StatusCode != 404 {
		t.Errorf("CSV of an empty block: %d, want 404: %.200s", resp.StatusCode, body)
	}
}
