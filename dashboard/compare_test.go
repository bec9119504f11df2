package dashboard_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"net/url"
	"sort"
	"strconv"
	"strings"
	"testing"

	"github.com/labdash/labdash/dashboard"
	"github.com/labdash/labdash/data"
	"github.com/labdash/labdash/data/builtin"
	"github.com/labdash/labdash/ingest/format"
)

// analysisObs is the built-in reference figures, as the store holds them.
func analysisObs(t *testing.T) []data.Observation {
	t.Helper()
	obs, err := format.ParseReference(bytes.NewReader(builtin.ReferenceCSV), format.Provenance{SourceName: "builtin"})
	if err != nil {
		t.Fatal(err)
	}
	return obs
}

// analysisFacets lists the occupation codes of obs the way Store.Distinct
// does: ordered by code, with the largest title.
func analysisFacets(obs []data.Observation, keep func(data.Observation) bool) []data.Facet {
	byCode := map[string]*data.Facet{}
	for _, o := range obs {
		if keep != nil && !keep(o) {
			continue
		}
		f := byCode[o.OccupationCode]
		if f == nil {
			f = &data.Facet{Value: o.OccupationCode}
			byCode[o.OccupationCode] = f
		}
		f.Count++
		if o.OccupationTitle > f.Title {
			f.Title = o.OccupationTitle
		}
	}
	var out []data.Facet
	for _, f := range byCode {
		out = append(out, *f)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Value < out[j].Value })
	return out
}

func analysisBlock(t *testing.T, p dashboard.Page, id string) dashboard.Block {
	t.Helper()
	b, ok := p.Block(id)
	if !ok {
		t.Fatalf("page %q has no block %q", p.Name, id)
	}
	return b
}

// tableText flattens a block's table: "category: cell | cell" per row.
func tableText(b dashboard.Block) []string {
	var rows []string
	for _, r := range b.Table.Rows {
		var cells []string
		for _, c := range r.Cells {
			cells = append(cells, c.Text)
		}
		rows = append(rows, r.Category+": "+strings.Join(cells, " | "))
	}
	return rows
}

func categories(b dashboard.Block) []string {
	var out []string
	for _, r := range b.Table.Rows {
		out = append(out, r.Category)
	}
	return out
}

func wantParamError(t *testing.T, err error, param string) *dashboard.ParamError {
	t.Helper()
	var pe *dashboard.ParamError
	if !errors.As(err, &pe) || pe.Param != param {
		t.Fatalf("error %v, want a ParamError for %s", err, param)
	}
	return pe
}

func buildCompare(t *testing.T, obs []data.Observation, q url.Values) dashboard.Page {
	t.Helper()
	cq, err := dashboard.ParseCompare(q, analysisFacets(obs, nil))
	if err != nil {
		t.Fatal(err)
	}
	page, err := dashboard.BuildCompare(data.Snapshot{ID: 1}, cq, obs)
	if err != nil {
		t.Fatal(err)
	}
	return page
}

func fact(t *testing.T, col dashboard.FactColumn, label string) dashboard.Fact {
	t.Helper()
	for _, f := range col.Facts {
		if f.Label == label {
			return f
		}
	}
	t.Fatalf("column %q has no fact %q", col.Family.Title, label)
	return dashboard.Fact{}
}

func TestCompareDefaultsSideBySideWithPeriods(t *testing.T) {
	p := buildCompare(t, analysisObs(t), url.Values{})
	if len(p.Facts) != 2 || !strings.HasSuffix(p.Facts[0].Family.Title, "(29-2010)") || p.Facts[1].Family.Title != "Phlebotomists (31-9097)" {
		t.Fatalf("columns %+v", p.Facts)
	}
	// A row's figures come from one release: the latest both have (May
	// 2023), never 29-2010's May 2024 beside phlebotomists' May 2023.
	lab, phleb := fact(t, p.Facts[0], "Median annual wage"), fact(t, p.Facts[1], "Median annual wage")
	if dashboard.FormatValue(*lab.Observation) != "$60,780" || lab.Observation.Period != "May 2023" ||
		dashboard.FormatValue(*phleb.Observation) != "$41,810" || phleb.Observation.Period != "May 2023" {
		t.Errorf("median wages %v %s, %v %s", *lab.Observation.Value, lab.Observation.Period, *phleb.Observation.Value, phleb.Observation.Period)
	}
	if lab.Note != "Same period for both (May 2023): a like-for-like comparison." {
		t.Errorf("wage note %q", lab.Note)
	}
	// Growth reads as on the home page's cards: the OOH's rounding, then
	// the unrounded value.
	for _, col := range p.Facts {
		g := fact(t, col, "Projected growth")
		if g.Observation == nil || g.Shown != strconv.Itoa(data.RoundGrowth(*g.Observation.Value))+"%" ||
			(float64(data.RoundGrowth(*g.Observation.Value)) != *g.Observation.Value && !strings.Contains(g.Detail, "before the OOH's rounding")) {
			t.Errorf("%s: growth shown %q, detail %q", col.Family.Title, g.Shown, g.Detail)
		}
	}
	if hourly := fact(t, p.Facts[0], "Median hourly wage"); !strings.Contains(hourly.Note, "Same period for both (May 2023)") {
		t.Errorf("hourly note %q", hourly.Note)
	}
	if jobs := fact(t, p.Facts[1], "Number of jobs (Employment Projections)"); !strings.Contains(jobs.Note, "includes the self-employed") {
		t.Errorf("EP jobs note %q", jobs.Note)
	}
	// 29-2010 takes the OEWS figures of 29-2018, its code in OEWS, and says so.
	// Every OEWS row keeps the cards' release (May 2023): phlebotomists'
	// only OEWS count is of May 2012, so their cell stays empty and the row
	// says why, rather than set May 2012 beside May 2023.
	if oews := fact(t, p.Facts[0], "Employment (OEWS)"); oews.Observation == nil || oews.Observation.OccupationCode != "29-2018" ||
		dashboard.FormatValue(*oews.Observation) != "334,400" || oews.Observation.Period != "May 2023" ||
		!strings.Contains(oews.Note, "Shown for 29-2010 only: 31-9097 has no figure for May 2023 in this snapshot, and a figure of another period would not compare.") {
		t.Errorf("OEWS employment of 29-2010: %+v", oews)
	}
	if oews := fact(t, p.Facts[1], "Employment (OEWS)"); oews.Observation != nil {
		t.Errorf("phlebotomists' OEWS employment of another release shown: %+v", oews.Observation)
	}
	if !strings.Contains(p.Facts[0].Family.Note, "Figures published under 29-2018 from 2019 on count here too") {
		t.Errorf("column note %q", p.Facts[0].Family.Note)
	}

	wage := analysisBlock(t, p, "wage")
	if got := strings.Join(categories(wage), ","); got != "May 2017,May 2021,May 2023" {
		t.Errorf("shared May periods %s", got)
	}
	if !strings.Contains(wage.Summary, "in May 2023, the latest shared:") || !strings.Contains(wage.Summary, "$60,780") || !strings.Contains(wage.Summary, "$41,810") {
		t.Errorf("wage summary %q", wage.Summary)
	}
	growth := analysisBlock(t, p, "growth")
	if got := strings.Join(categories(growth), ","); got != "2012-22,2014-24,2016-26,2022-32" {
		t.Errorf("shared editions %s", got)
	}
	if got := tableText(growth)[3]; got != "2022-32: 5% | 8%" {
		t.Errorf("2022-32 row %q", got)
	}
	if openings := analysisBlock(t, p, "openings"); strings.Join(tableText(openings), ";") != "2022-32: 24,000 | 19,500" {
		t.Errorf("openings %v", tableText(openings))
	}
	for _, b := range p.Blocks {
		if !b.HasChart() || len(b.Observations) == 0 || b.Chart.Source == "" || !strings.Contains(b.Chart.Subtitle, "United States") {
			t.Errorf("block %s: %+v", b.ID, b)
		}
	}
}

func TestCompareExplainsTheClassificationChange(t *testing.T) {
	p := buildCompare(t, analysisObs(t), url.Values{"a": {"29-2011"}, "b": {"29-2018"}})
	want := "29-2018 = 29-2011 + 29-2012 from May 2019"
	if !strings.Contains(p.Intro, want) || !strings.Contains(p.Intro, "29-2011 is part of 29-2018") {
		t.Errorf("intro %q lacks %q", p.Intro, want)
	}
	wage := analysisBlock(t, p, "wage")
	if wage.HasChart() || !strings.Contains(wage.Empty, "No May period") || !strings.Contains(wage.Empty, want) {
		t.Errorf("wage block %+v", wage)
	}
	p = buildCompare(t, analysisObs(t), url.Values{"a": {"29-2011"}, "b": {"29-2012"}, "c": {"31-9097"}})
	if !strings.Contains(p.Intro, "29-2011 and 29-2012 are the two parts of one occupation") {
		t.Errorf("intro %q", p.Intro)
	}
	// Technologists and technicians share May 2008 and 2010; phlebotomists none.
	wage = analysisBlock(t, p, "wage")
	if got := strings.Join(tableText(wage), ";"); got != "May 2008: $53,500 | $35,380 | —;May 2010: $56,130 | $36,280 | —" {
		t.Errorf("three-way wage table %s", got)
	}
	p = buildCompare(t, analysisObs(t), url.Values{"a": {"29-2010"}, "b": {"29-2018"}})
	if !strings.Contains(p.Intro, "one occupation under the codes of different programs") {
		t.Errorf("intro %q", p.Intro)
	}
	// Compared with each other, each code keeps to its own figures.
	// (29-2018's only median, May 2022, is a period 29-2010 has none for.)
	if wage := analysisBlock(t, p, "wage"); wage.HasChart() {
		t.Errorf("29-2010 vs 29-2018 wages share a period: %v", tableText(wage))
	}
	for _, b := range p.Blocks {
		for _, o := range b.Observations {
			if o.OccupationCode != "29-2010" && o.OccupationCode != "29-2018" {
				t.Errorf("block %s shows %s", b.ID, o.OccupationCode)
			}
		}
	}
}

func TestCompareRefusesBadParameters(t *testing.T) {
	facets := analysisFacets(analysisObs(t), nil)
	for _, tc := range []struct {
		q     url.Values
		param string
		why   string
	}{
		{url.Values{"a": {"29-2010"}, "b": {"29-2010"}}, "b", "already being compared"},
		{url.Values{"a": {"31-9097"}}, "b", "already being compared"}, // b defaults to 31-9097
		{url.Values{"c": {"29-2010"}}, "c", "already being compared"},
		{url.Values{"a": {"99-9999"}}, "a", "not available in this snapshot"},
		{url.Values{"d": {"29-2010"}}, "d", "not one this page takes"},
	} {
		_, err := dashboard.ParseCompare(tc.q, facets)
		if pe := wantParamError(t, err, tc.param); !strings.Contains(pe.Error(), tc.why) {
			t.Errorf("%v: %q lacks %q", tc.q, pe.Error(), tc.why)
		}
	}
}

// Synthetic figures (made up for this test): a flagged wage is never drawn
// as zero, and a snapshot without the default codes still has a page.
func TestCompareSyntheticFlaggedFigures(t *testing.T) {
	mk := func(code, period string, v *float64, flag data.Flag) data.Observation {
		return data.Observation{OccupationCode: code, OccupationTitle: "Synthetic " + code, AreaCode: data.NationalAreaCode,
			Measure: "median_annual_wage", Period: period, Value: v, Unit: "USD per year", Flag: flag, Tier: data.TierPrimary}
	}
	obs := []data.Observation{
		mk("11-1111", "May 2020", data.Float(100000), ""), mk("22-2222", "May 2020", nil, data.FlagNotAvailable),
		mk("11-1111", "May 2021", data.Float(110000), ""), mk("22-2222", "May 2021", data.Float(50000), ""),
	}
	p := buildCompare(t, obs, url.Values{})
	wage := analysisBlock(t, p, "wage")
	if got := strings.Join(tableText(wage), ";"); got != "May 2020: $100,000 | not available;May 2021: $110,000 | $50,000" {
		t.Errorf("table %s", got)
	}
	js, _ := json.Marshal(wage.Chart.Options["series"])
	if !strings.Contains(string(js), `"value":"-"`) || strings.Contains(string(js), `"value":0`) {
		t.Errorf("flagged figure drawn as a number: %s", js)
	}
	if growth := analysisBlock(t, p, "growth"); growth.HasChart() || !strings.Contains(growth.Empty, "No projections edition") {
		t.Errorf("growth %+v", growth)
	}
}
