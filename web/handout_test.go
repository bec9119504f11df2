package web

import (
	"strings"
	"testing"
)

func TestHandout(t *testing.T) {
	ts, _, _ := newTestSite(t)
	resp, body := get(t, ts.URL+"/s/1/handout?code=31-9097")
	if resp.StatusCode != 200 {
		t.Fatalf("status %d", resp.StatusCode)
	}
	for _, want := range []string{
		`src="data:image/png;base64,`, "$43,660", "May 2024", "labdash snapshot 1",
		DefaultBaseURL + "/s/1/handout?code=31-9097", "Cite this sheet", `class="chart"`,
		// The sheet's citation names the releases of its figures, grouped
		// (cite.Releases), and how many came through a third party.
		"U.S. Bureau of Labor Statistics, OEWS May 2024; EP 2012-22 to 2023-33 (8 editions); EP 2019 base-year employment.",
		"Of its 22 figures, 7 from a re-saved BLS workbook, 5 from third-party pages quoting BLS; each figure",
		// The card's releases, the newer edition only listed, and how to
		// become one, all from the card's edition.
		"Quick facts · pay: OEWS May 2024 · outlook: EP 2019-29", "Projected growth: 17.2% before the OOH",
		"Newer: the 2023-33 edition gives 8% growth",
		"How to become one", "Postsecondary nondegree award", "work experience in a related occupation: None", "typical on-the-job training: None",
	} {
		if !strings.Contains(body, want) {
			t.Errorf("the handout lacks %q", want)
		}
	}
	if resp, _ := get(t, ts.URL+"/handout?code=99-9999"); resp.StatusCode != 400 {
		t.Errorf("unknown code: %d", resp.StatusCode)
	}
	_, sheet := get(t, ts.URL+"/occupation?code=31-9097")
	if !strings.Contains(sheet, `href="/s/1/handout?code=31-9097"`) {
		t.Error("the fact sheet does not link to its pinned handout")
	}
}
