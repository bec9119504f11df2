package web

import (
	"strings"
	"testing"
)

func TestPagesOfferCitations(t *testing.T) {
	ts, _, _ := newTestSite(t)
	_, page := get(t, ts.URL+"/")
	for _, want := range []string{
		`<details class="cite">`, "Cite this chart", ">APA<", ">BibTeX<", "@misc{",
		// A quick fact's plain-sentence citation with its period, tier and pinned address.
		"Median annual wage of clinical laboratory technologists and technicians (SOC 29-2010): $61,890, May 2024.",
		"(secondary source: a third-party page quoting BLS)",
		"Shown in labdash snapshot 1",
		DefaultBaseURL + "/s/1/",
	} {
		if !strings.Contains(page, want) {
			t.Errorf("the home page lacks %q", want)
		}
	}
	if n := strings.Count(page, `<details class="cite">`); n < 10 {
		t.Errorf("%d citation controls, want one per chart and per quick fact", n)
	}
	_, occ := get(t, ts.URL+"/s/1/occupation?code=31-9097")
	if !strings.Contains(occ, DefaultBaseURL+"/s/1/occupation?code=31-9097") {
		t.Error("a fact-sheet citation does not name the fact sheet's pinned address")
	}
}
