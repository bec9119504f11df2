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
		// The sheet names releases as every citation does (cite.Release).
		"Employment Projections 2023-33; Employment Projections, base-year 2023 employment;",
		"Occupational Employment and Wage Statistics (OEWS), May 2024.",
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
