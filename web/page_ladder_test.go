package web

import (
	"strings"
	"testing"
)

// The career ladder on the built-in data, as a counselor reads it: each
// figure with its period and source, the classification change explained,
// pinned like every page, linked from the fact sheets and in the
// navigation.
func TestLadderPage(t *testing.T) {
	ts, _, _ := newTestSite(t)
	wantPage(t, ts.URL+"/ladder", 200,
		"Career ladder in the clinical laboratory: phlebotomist → technician → technologist",
		"What each step pays", "Annual wage percentiles of each step, United States, OEWS May 2016",
		"$32,710", "$38,950", "$61,070", // medians, May 2016
		"What each step takes to enter", "Postsecondary nondegree award", "Associate's degree", "Bachelor's degree",
		"Employment Projections 2014-24",
		"Openings at each step", "16,900", "12,900",
		"Source: U.S. Bureau of Labor Statistics, EP 2016-26. 3 of 3 figures from BLS tables copied into public repositories.",
		"OEWS lists them separately until May 2016 in this snapshot; its later releases publish them together (29-2010 in May 2017 and 2018, 29-2018 from May 2019).",
		`href="/s/1/ladder/ladder-pay.csv"`, `href="/s/1/ladder/ladder-entry.csv"`, `href="/s/1/ladder/ladder-pay.xlsx"`)
	resp, _ := get(t, ts.URL+"/s/1/ladder")
	if resp.StatusCode != 200 || !strings.Contains(resp.Header.Get("Cache-Control"), "immutable") {
		t.Errorf("pinned ladder: %d %q", resp.StatusCode, resp.Header.Get("Cache-Control"))
	}
	rows := readCSV(t, csvBody(t, ts.URL+"/s/1/ladder/ladder-pay.csv"))
	if len(rows) != 16 {
		t.Errorf("pay CSV: %d figures, want 15 (five percentiles of three steps)", len(rows)-1)
	}
	for _, r := range rows[1:] {
		if r[7] != "May 2016" {
			t.Errorf("pay CSV row of %s", r[7])
		}
	}
	if entry := readCSV(t, csvBody(t, ts.URL+"/s/1/ladder/ladder-entry.csv")); len(entry) != 10 {
		t.Errorf("entry CSV: %d figures, want 9", len(entry)-1)
	}
	wantPage(t, ts.URL+"/ladder?code=29-2010", 400, "is not one this page takes")
	wantPage(t, ts.URL+"/occupation", 200, `href="/ladder">Career ladder: phlebotomist → technician → technologist</a>`)
	wantPage(t, ts.URL+"/s/1/occupation", 200, `href="/s/1/ladder">Career ladder`)
	if !strings.Contains(strings.Join(navPaths(), " "), "/ladder") {
		t.Error("the navigation list has no ladder")
	}
}

func csvBody(t *testing.T, url string) string {
	t.Helper()
	resp, body := get(t, url)
	if resp.StatusCode != 200 {
		t.Fatalf("%s: %d %s", url, resp.StatusCode, body)
	}
	return body
}

func navPaths() []string {
	var out []string
	for _, l := range siteNav {
		out = append(out, l.Path)
	}
	return out
}
