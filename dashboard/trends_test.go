package dashboard_test

import (
	"encoding/json"
	"net/url"
	"strings"
	"testing"

	"github.com/labdash/labdash/dashboard"
	"github.com/labdash/labdash/data"
)

// measureFacets lists the measures of obs the way Store.Distinct does.
func measureFacets(obs []data.Observation) []data.Facet {
	seen := map[data.Measure]bool{}
	var out []data.Facet
	for _, o := range obs {
		if !seen[o.Measure] {
			seen[o.Measure] = true
			out = append(out, data.Facet{Value: string(o.Measure)})
		}
	}
	return out
}

func buildTrends(t *testing.T, obs []data.Observation, q url.Values) dashboard.Page {
	t.Helper()
	tq, err := dashboard.ParseTrends(q, analysisFacets(obs, nil), measureFacets(obs))
	if err != nil {
		t.Fatal(err)
	}
	page, err := dashboard.BuildTrends(data.Snapshot{ID: 1}, tq, obs)
	if err != nil {
		t.Fatal(err)
	}
	return page
}

// seriesPoints reads the chart's series as name → values ("-" for none).
func seriesPoints(t *testing.T, b dashboard.Block) map[string][]any {
	t.Helper()
	js, err := json.Marshal(b.Chart.Options["series"])
	if err != nil {
		t.Fatal(err)
	}
	var series []struct {
		Name string
		Data []struct{ Value any }
	}
	if err := json.Unmarshal(js, &series); err != nil {
		t.Fatal(err)
	}
	out := map[string][]any{}
	for _, s := range series {
		for _, d := range s.Data {
			v := d.Value
			if pair, ok := v.([]any); ok && len(pair) == 2 { // [date, figure] on a time axis
				v = pair[1]
			}
			out[s.Name] = append(out[s.Name], v)
		}
	}
	return out
}

func TestTrendsSplitTheFamilyAtTheBreak(t *testing.T) {
	p := buildTrends(t, analysisObs(t), url.Values{})
	if p.Controls[0].Name != "family" || p.Controls[1].Name != "measure" {
		t.Fatalf("controls %+v", p.Controls)
	}
	if !strings.Contains(p.Intro, "OEWS estimates are not designed for comparisons over time") {
		t.Errorf("intro %q", p.Intro)
	}
	b := analysisBlock(t, p, "trend")
	if !b.HasChart() {
		t.Fatal(b.Empty)
	}
	if got := b.Table.Columns; len(got) != 4 ||
		got[0] != "Clinical laboratory technologists and technicians, before SOC 2018 (29-2010)" ||
		got[1] != "Clinical laboratory technologists and technicians, SOC 2018 (May 2019 on) (29-2010, 29-2018)" ||
		got[2] != "Medical and clinical laboratory technologists (29-2011)" {
		t.Errorf("series %q", got)
	}
	rows := strings.Join(tableText(b), ";")
	for _, want := range []string{"May 2018: $52,330 | — | — | —", "May 2019: — | $53,120 | — | —", "May 2024: — | $61,890 | — | —", "May 2006: — | — | — | $32,840"} {
		if !strings.Contains(rows, want) {
			t.Errorf("table lacks %q: %s", want, rows)
		}
	}
	// No series has figures on both sides of the break: the lines never join.
	periods := categories(b)
	for name, values := range seriesPoints(t, b) {
		before, after := false, false
		for i, v := range values {
			if v == "-" {
				continue
			}
			p, _ := data.ParsePeriod(periods[i])
			before = before || p.StartYear < data.ClassificationBreakYear
			after = after || p.StartYear >= data.ClassificationBreakYear
		}
		if before && after {
			t.Errorf("series %q joins figures across the break", name)
		}
	}
	js, _ := json.Marshal(b.Chart.Options)
	if !strings.Contains(string(js), `"xAxis":"2019-05-01"`) || !strings.Contains(string(js), "SOC 2018: 29-2011 + 29-2012 combined") {
		t.Errorf("no break markLine at May 2019")
	}
	// The axis is spaced by time: each period at its May, so May 2010 to
	// May 2014 is four times as wide as May 2014 to May 2015.
	if b.Chart.Options["xAxis"].([]any)[0].(map[string]any)["type"] != "time" ||
		!strings.Contains(string(js), `{"name":"May 2010","value":["2010-05-01",`) ||
		!strings.Contains(string(js), `{"name":"May 2014","value":["2014-05-01",`) {
		t.Errorf("the trend is not on a time axis with each period at its date")
	}
	if !strings.Contains(strings.Join(b.Caveats, " "), "not designed for comparisons over time") {
		t.Errorf("caveats %q", b.Caveats)
	}
}

func TestTrendsOfOneCodeAndOfEmployment(t *testing.T) {
	obs := analysisObs(t)
	p := buildTrends(t, obs, url.Values{"family": {"31-9097"}, "measure": {"median_annual_wage"}})
	b := analysisBlock(t, p, "trend")
	if got := strings.Join(tableText(b), ";"); got != "May 2017: $33,670;May 2021: $37,380;May 2023: $41,810" {
		t.Errorf("phlebotomists %s", got)
	}
	if js, _ := json.Marshal(b.Chart.Options); strings.Contains(string(js), "markLine") {
		t.Error("a code that never changed has a break line")
	}

	p = buildTrends(t, obs, url.Values{"family": {"clinical-lab"}, "measure": {"employment"}})
	if len(p.Blocks) != 2 {
		t.Fatalf("%d blocks, want the OEWS and the EP chart", len(p.Blocks))
	}
	oews, ep := analysisBlock(t, p, "trend"), analysisBlock(t, p, "ep-employment")
	if got := strings.Join(tableText(oews), ";"); got != "May 2019: 326,000;May 2022: 333,600;May 2023: 334,400" {
		t.Errorf("OEWS employment %s", got)
	}
	if got := strings.Join(categories(ep), ","); got != "2010,2012,2014,2016,2018,2020,2021,2022,2024" {
		t.Errorf("EP years %s", got)
	}
	if !strings.Contains(strings.Join(tableText(ep), ";"), "2024: 351,200 | — | —") || !strings.Contains(ep.Chart.Subtitle, "incl. self-employed") {
		t.Errorf("EP block %v %q", tableText(ep), ep.Chart.Subtitle)
	}
	if !strings.Contains(p.Intro, "never joined to the OEWS line") {
		t.Errorf("intro %q", p.Intro)
	}

	p = buildTrends(t, obs, url.Values{"family": {"31-9097"}, "measure": {"pct90_annual_wage"}})
	if b := analysisBlock(t, p, "trend"); b.HasChart() || !strings.Contains(b.Empty, "no national 90th percentile annual wage figures") {
		t.Errorf("empty block %+v", b)
	}
}

func TestTrendsRefuseBadParameters(t *testing.T) {
	obs := analysisObs(t)
	for _, tc := range []struct {
		q     url.Values
		param string
	}{
		{url.Values{"family": {"no-such-family"}}, "family"},
		{url.Values{"measure": {"projected_growth_pct"}}, "measure"}, // not a wage or employment measure
		{url.Values{"measure": {"median_annual_wage"}, "code": {"29-2010"}}, "code"},
	} {
		_, err := dashboard.ParseTrends(tc.q, analysisFacets(obs, nil), measureFacets(obs))
		wantParamError(t, err, tc.param)
	}
}

// Synthetic figures (made up for this test) for one code across the break,
// one of them flagged.
func TestTrendsSyntheticBreakAndFlags(t *testing.T) {
	mk := func(period string, v *float64, flag data.Flag) data.Observation {
		return data.Observation{OccupationCode: data.CodeClinicalLabOEWS, AreaCode: data.NationalAreaCode, Measure: "mean_hourly_wage",
			Period: period, Value: v, Unit: "USD per hour", Flag: flag, Tier: data.TierPrimary}
	}
	obs := []data.Observation{mk("May 2017", data.Float(20), ""), mk("May 2018", nil, data.FlagNotReleased), mk("May 2020", data.Float(30), "")}
	subj := dashboard.SubjectOfCode(data.CodeClinicalLabOEWS, "Synthetic lab")
	b, err := dashboard.MeasureTrend("t", subj, "mean_hourly_wage", obs)
	if err != nil {
		t.Fatal(err)
	}
	if got := strings.Join(tableText(b), ";"); got != "May 2017: $20.00 | —;May 2018: not released | —;May 2020: — | $30.00" {
		t.Errorf("table %s", got)
	}
	points := seriesPoints(t, b)
	if len(points) != 2 {
		t.Fatalf("series %v", points)
	}
	for name, values := range points {
		for i, v := range values {
			if v == 0.0 {
				t.Errorf("series %s point %d drawn as zero", name, i)
			}
		}
	}
	if js, _ := json.Marshal(b.Chart.Options); !strings.Contains(string(js), `"xAxis":"2020-05-01"`) {
		t.Error("break not at the first period after it")
	}
}
