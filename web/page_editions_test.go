package web

import (
	"strings"
	"testing"
)

func TestEditionsPage(t *testing.T) {
	ts, _, _ := newTestSite(t)
	wantPage(t, ts.URL+"/editions", 200,
		"Projected growth for 29-2010 was revised from 13% (2010-20) to 1.7% (2024-34).",
		"Every edition, every measure", "2024-34 edition", "About as fast as average", "Faster than average",
		"change between editions", `id="growth-chart"`, `id="change-chart"`, `id="openings-chart"`,
		`id="base-employment-chart"`, `id="projected-employment-chart"`, "22,600", "396,500")
	wantPage(t, ts.URL+"/editions?code=clinical-lab", 200, "Projected growth for 29-2011 was revised from 11% (2010-20) to 14% (2014-24).")
	wantPage(t, ts.URL+"/editions?code=31-9097", 200, "Projected growth for 31-9097 was revised from 26.8% (2012-22) to 8% (2023-33).")
	wantPage(t, ts.URL+"/editions?code=29-2018", 400, "The code parameter", "is not available in this snapshot")
	wantPage(t, ts.URL+"/s/1/editions?code=31-9097", 200, "This address is pinned")
	if got := strings.Join(csvColumn(t, ts.URL+"/s/1/editions/growth.csv", 8), ","); got != "13,21.7,15.9,13,11,7.3,5,1.7" {
		t.Errorf("growth CSV values %s", got)
	}
	if got := strings.Join(csvColumn(t, ts.URL+"/editions/base-employment.csv?code=29-2010", 7), ","); got != "2010,2012,2014,2016,2018,2019,2020,2022,2024" {
		t.Errorf("base employment CSV periods %s", got)
	}
}
