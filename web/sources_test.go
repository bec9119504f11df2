package web

import (
	"html"
	"regexp"
	"strings"
	"testing"
)

// The snapshot bar counts the snapshot's figures, the same number
// /snapshots shows, and says where they were read.
func TestSnapshotBarCountsTheSnapshotsFigures(t *testing.T) {
	ts, _, _ := newTestSite(t)
	_, home := get(t, ts.URL+"/")
	m := regexp.MustCompile(`It holds ([0-9,]+) figures: ([0-9,]+) read from BLS files \(([0-9]+) of them from a BLS workbook re-saved by a third party\) and ([0-9]+) from labdash's reference list of figures read on web pages \(([0-9]+) of them on third-party pages quoting BLS\)\.`).
		FindStringSubmatch(html.UnescapeString(home))
	if m == nil {
		t.Fatalf("the snapshot bar does not count the figures:\n%s", home[:min(len(home), 3000)])
	}
	_, list := get(t, ts.URL+"/snapshots")
	count := regexp.MustCompile(`<td data-label="Figures">([0-9]+)</td>`).FindStringSubmatch(list)
	if count == nil || strings.ReplaceAll(m[1], ",", "") != count[1] {
		t.Errorf("the snapshot bar says %s figures, /snapshots %v", m[1], count)
	}
	if m[1] != "3,474" || m[2] != "3,200" || m[3] != "120" || m[4] != "274" || m[5] != "235" {
		t.Errorf("counts %q", m[1:])
	}
}

// Every source line and citation is computed from the figures it covers:
// the state map whose figures a trade magazine gave says so; a chart of
// BLS files names its release only.
func TestSourceLinesSayWhatTheFiguresCameFrom(t *testing.T) {
	ts, _, _ := newTestSite(t)
	home := wantPage(t, ts.URL+"/", 200,
		"Source: U.S. Bureau of Labor Statistics, OEWS May 2022. 51 of 52 figures from third-party pages quoting BLS (beckershospitalreview.com).",
		// The cards: one release, one edition, each said; the newer edition
		// only listed, named beside, not used.
		"Pay: OEWS May 2024, read from a BLS workbook re-saved by a third party. Outlook: Employment Projections 2019-29, read from BLS files.",
		"Newer: the 2024-34 edition gives 1.7% growth (OOH: 2%) and 22,600 openings a year — read on third-party pages quoting BLS.",
		"7.3% before the OOH's rounding.",
		"No outlook words: no published table of BLS's thresholds for 2019-29 was found.",
		"Share of clinical laboratory technologists and technicians' jobs (29-2010)")
	if strings.Contains(home, "OEWS, Employment Projections, OOH") || strings.Contains(home, "figures by tier") {
		t.Error("a source line still names every program whatever its figures")
	}
	wantPage(t, ts.URL+"/places?code=29-2018&measure=mean_annual_wage&period=May+2022", 200,
		"51 of 52 figures from third-party pages quoting BLS (beckershospitalreview.com)",
		"United States, the same release: $59,130 (29-2010, read from BLS files)")
	wantPage(t, ts.URL+"/occupation?code=31-9097", 200,
		"Source: U.S. Bureau of Labor Statistics, OEWS May 2024. 5 of 5 figures from a BLS workbook re-saved by a third party.",
		"How to become one", "Work experience in a related occupation", "Typical on-the-job training",
		"Newer: the 2023-33 edition gives 8% growth, 19,600 openings a year and an employment change of 11,000 jobs — read on a bls.gov page (not a BLS file)")
	// Each quick fact's period is marked up inside its card.
	card := home[strings.Index(home, `<article class="fact-column"`):]
	card = card[:strings.Index(card, "</article>")]
	periods := regexp.MustCompile(`<span class="period">([^<]+)</span>`).FindAllStringSubmatch(card, -1)
	var got []string
	for _, p := range periods {
		got = append(got, p[1])
	}
	if strings.Join(got, ",") != "May 2024,May 2024,2019,2019-29,2019-29,2019-29,2019-29" {
		t.Errorf("the card's periods %v: one release, one edition", got)
	}
}
