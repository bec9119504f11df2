package web

import (
	"strings"
	"testing"
)

func TestTrendsPage(t *testing.T) {
	ts, _, _ := newTestSite(t)
	wantPage(t, ts.URL+"/trends", 200,
		"OEWS estimates are not designed for comparisons over time",
		"before SOC 2018 (29-2010)", "SOC 2018 (May 2019 on) (29-2010)",
		"$61,890", "$32,840", `id="trend-chart"`, `name="family"`, `name="measure"`,
		`<option value="clinical-lab" selected>`, `<option value="median_annual_wage" selected>`)
	wantPage(t, ts.URL+"/trends?family=clinical-lab&measure=employment", 200,
		"334,400", "May 2023", // OEWS employment
		`id="ep-employment-chart"`, "351,200", "incl. self-employed", "never joined to the OEWS line")
	wantPage(t, ts.URL+"/trends?family=29-2018&measure=pct90_annual_wage", 200,
		"This snapshot has no national 90th percentile annual wage figures")
	wantPage(t, ts.URL+"/trends?measure=projected_growth_pct", 400, "The measure parameter", "is not available in this snapshot")
	wantPage(t, ts.URL+"/trends?family=nurses", 400, "The family parameter")
	wantPage(t, ts.URL+"/s/1/trends?family=31-9097", 200, "This address is pinned", "$41,810")
	if got := strings.Join(csvColumn(t, ts.URL+"/s/1/trends/trend.csv?family=31-9097", 8), ","); got != "30670,31630,32710,33670,34480,35510,36320,37380,38530,41810,43660" {
		t.Errorf("phlebotomists' trend CSV values %s", got)
	}
	if got := strings.Join(csvColumn(t, ts.URL+"/trends/ep-employment.csv?family=31-9097&measure=employment", 7), ","); got != "2012,2014,2016,2019,2020,2021,2023" {
		t.Errorf("EP employment CSV periods %s", got)
	}
}
