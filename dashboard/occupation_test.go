package dashboard

import (
	"bytes"
	"errors"
	"net/url"
	"slices"
	"strings"
	"testing"

	"github.com/labdash/labdash/data"
	"github.com/labdash/labdash/data/builtin"
	"github.com/labdash/labdash/ingest/format"
)

// occBuiltin returns the built-in reference figures, as a fresh store
// publishes them.
func occBuiltin(t *testing.T) []data.Observation {
	t.Helper()
	obs, err := format.ParseReference(bytes.NewReader(builtin.ReferenceCSV), format.Provenance{SourceName: builtin.SourceName})
	if err != nil {
		t.Fatal(err)
	}
	return obs
}

// occFacets lists the occupation codes of obs the way Store.Distinct does.
func occFacets(obs []data.Observation) []data.Facet {
	var out []data.Facet
	for _, o := range obs {
		if !slices.ContainsFunc(out, func(f data.Facet) bool { return f.Value == o.OccupationCode }) {
			out = append(out, data.Facet{Value: o.OccupationCode, Title: o.OccupationTitle})
		}
	}
	slices.SortFunc(out, func(a, b data.Facet) int { return strings.Compare(a.Value, b.Value) })
	return out
}

// occPage builds the fact sheet the way the web layer does: national
// figures of the codes OccupationReadCodes names.
func occPage(t *testing.T, obs []data.Observation, query string) Page {
	t.Helper()
	q, _ := url.ParseQuery(query)
	choice, err := ChooseOccupation(q, occFacets(obs))
	if err != nil {
		t.Fatal(err)
	}
	codes := OccupationReadCodes(choice.Code)
	read := selectObs(obs, func(o data.Observation) bool {
		return slices.Contains(codes, o.OccupationCode) && o.AreaCode == data.NationalAreaCode
	})
	page, err := BuildOccupation(data.Snapshot{ID: 1}, choice, read)
	if err != nil {
		t.Fatal(err)
	}
	return page
}

func occBlock(t *testing.T, p Page, id string) Block {
	t.Helper()
	b, ok := p.Block(id)
	if !ok {
		t.Fatalf("no block %q", id)
	}
	return b
}

// occCell returns the figure of a table row and column, "—" for none.
func occCell(t *testing.T, b Block, row, column string) string {
	t.Helper()
	col := slices.Index(b.Table.Columns, column)
	for _, r := range b.Table.Rows {
		if r.Category == row && col >= 0 {
			return r.Cells[col].Text
		}
	}
	t.Fatalf("block %s has no cell %q / %q (columns %v)", b.ID, row, column, b.Table.Columns)
	return ""
}

func TestChooseOccupation(t *testing.T) {
	facets := occFacets(occBuiltin(t))
	c, err := ChooseOccupation(url.Values{}, facets)
	if err != nil || c.Code != data.CodeClinicalLabEP || c.Title != "Clinical laboratory technologists and technicians" {
		t.Fatalf("default: %+v %v", c, err)
	}
	if n := len(c.Controls[0].Options); n != 6 {
		t.Errorf("%d occupation options, want the 6 codes of the built-in data", n)
	}
	for _, o := range c.Controls[0].Options {
		if o.Value == data.CodeClinicalLabOEWS && o.Label != "29-2018 Clinical laboratory technologists and technicians (OEWS)" {
			t.Errorf("29-2018 option %q", o.Label)
		}
	}
	for query, param := range map[string]string{"code=99-9999": "code", "code=29-2010&year=2020": "year", "code=29-2010&code=31-9097": "code"} {
		q, _ := url.ParseQuery(query)
		var pe *ParamError
		if _, err := ChooseOccupation(q, facets); !errors.As(err, &pe) || pe.Param != param {
			t.Errorf("%s: %v, want a ParamError for %s", query, err, param)
		}
	}
}

func TestOccupationClinicalLabOnBuiltinData(t *testing.T) {
	p := occPage(t, occBuiltin(t), "")
	if p.Name != "occupation" || !strings.Contains(p.Intro, "from May 2019 OEWS combines them as 29-2018") {
		t.Errorf("name %q, intro %q", p.Name, p.Intro)
	}
	if len(p.Facts) != 1 || FormatValue(*p.Facts[0].Facts[0].Observation) != "$61,890" {
		t.Fatalf("facts %+v", p.Facts)
	}

	d := occBlock(t, p, "wage-distribution")
	if !d.HasChart() || !slices.Equal(d.Table.Columns, []string{"May 2018"}) {
		t.Fatalf("distribution: %q, columns %v", d.Empty, d.Table.Columns)
	}
	for row, want := range map[string]string{"10th": "$29,910", "25th": "—", "Median": "$52,330", "75th": "—", "90th": "$80,330"} {
		if got := occCell(t, d, row, "May 2018"); got != want {
			t.Errorf("distribution %s = %s, want %s", row, got, want)
		}
	}
	if want := "May 2018: 10th percentile $29,910, median $52,330, 90th percentile $80,330; no figure for the 25th percentile and 75th percentile."; d.Summary != want {
		t.Errorf("summary %q", d.Summary)
	}
	if !slices.Contains(d.Caveats, "May 2018: no figure for the 25th percentile and 75th percentile; the gap in the chart is not zero.") {
		t.Errorf("caveats %q", d.Caveats)
	}
	data0 := d.Chart.Options["series"].([]any)[0].(map[string]any)["data"].([]any)
	if v := data0[1].(map[string]any)["value"]; v != "-" {
		t.Errorf("missing 25th percentile drawn as %v", v)
	}
	if d.Chart.Title != "Annual wage percentiles, 29-2010" || !strings.Contains(d.Chart.Subtitle, "United States") {
		t.Errorf("chart %q / %q", d.Chart.Title, d.Chart.Subtitle)
	}

	if s := occBlock(t, p, "work-settings"); !s.HasChart() || len(s.Observations) != 15 {
		t.Errorf("work settings: %q, %d figures", s.Empty, len(s.Observations))
	}
	g := occBlock(t, p, "outlook-growth")
	if got := occCell(t, g, "2024-34", "Projected growth"); got != "1.7%" {
		t.Errorf("growth 2024-34 = %s", got)
	}
	if len(g.Observations) != 8 || g.Chart.Title != "Projected growth, 29-2010" {
		t.Errorf("growth: %d figures, title %q", len(g.Observations), g.Chart.Title)
	}
	j := occBlock(t, p, "outlook-jobs")
	if a, b := occCell(t, j, "2022-32", "Employment change over the decade"), occCell(t, j, "2024-34", "Openings a year (average)"); a != "16,800" || b != "22,600" {
		t.Errorf("jobs: change %s, openings %s", a, b)
	}
	if occCell(t, j, "2024-34", "Employment change over the decade") != "—" {
		t.Error("an edition without a change figure shows one")
	}
}

// A retired code gets its own quick facts beside today's family, and its
// own distribution: three periods, gaps named.
func TestOccupationRetiredCodes(t *testing.T) {
	obs := occBuiltin(t)
	p := occPage(t, obs, "code=29-2011")
	if len(p.Facts) != 2 || p.Facts[0].Family.ID != "code-29-2011" || FormatValue(*p.Facts[0].Facts[0].Observation) != "$59,430" {
		t.Fatalf("facts %+v", p.Facts)
	}
	if p.Facts[1].Facts[0].Observation.OccupationCode == data.CodeLabTechnologists {
		t.Error("today's column uses the retired code")
	}

	d := occBlock(t, occPage(t, obs, "code=29-2012"), "wage-distribution")
	if !slices.Equal(d.Table.Columns, []string{"May 2006", "May 2008", "May 2012"}) {
		t.Fatalf("periods %v", d.Table.Columns)
	}
	if occCell(t, d, "Median", "May 2012") != "—" || occCell(t, d, "25th", "May 2006") != "$26,430" {
		t.Error("29-2012 distribution cells")
	}
	if !strings.HasPrefix(d.Summary, "May 2012: 25th percentile $29,750") {
		t.Errorf("summary %q", d.Summary)
	}
}

func TestOccupationWithoutFigures(t *testing.T) {
	obs := occBuiltin(t)
	p := occPage(t, obs, "code=31-9097")
	if d := occBlock(t, p, "wage-distribution"); d.Empty != "This snapshot has no annual wage percentiles (10th to 90th) for 31-9097; the median, where there is one, is among the quick facts." {
		t.Errorf("phlebotomists distribution: %q", d.Empty)
	}
	p = occPage(t, obs, "code=00-0000")
	if p.Facts[0].Family.Title != "All occupations (00-0000)" || len(p.Facts) != 1 {
		t.Errorf("one-code family %+v", p.Facts[0].Family)
	}
	for id, want := range map[string]string{
		"work-settings":  "This snapshot has no figures for the share of 00-0000 jobs by work setting.",
		"outlook-growth": "This snapshot has no projected growth figures for 00-0000.",
		"outlook-jobs":   "This snapshot has no projected employment change or openings figures for 00-0000.",
	} {
		if b := occBlock(t, p, id); b.Empty != want {
			t.Errorf("%s: %q", id, b.Empty)
		}
	}
}

// 29-2018 is the OEWS code of 29-2010's occupation: its page shows the
// work settings published under 29-2010 and says so.
func TestOccupationOEWSCodeBorrowsSameOccupation(t *testing.T) {
	p := occPage(t, occBuiltin(t), "code=29-2018")
	s := occBlock(t, p, "work-settings")
	if !s.HasChart() || !strings.Contains(strings.Join(s.Caveats, " "), "Shown under 29-2010") {
		t.Errorf("work settings %q, caveats %q", s.Empty, s.Caveats)
	}
	if d := occBlock(t, p, "wage-distribution"); d.Chart.Title != "Annual wage percentiles, 29-2010" {
		t.Errorf("distribution title %q", d.Chart.Title)
	}
}

// Synthetic test data: a top-coded and a not-available percentile, and
// more periods than the chart shows.
func TestDistributionFlagsAndPeriods(t *testing.T) {
	wage := func(measure data.Measure, period string, v *float64, flag data.Flag) data.Observation {
		return data.Observation{OccupationCode: "99-0001", OccupationTitle: "Synthetic occupation", AreaCode: data.NationalAreaCode,
			Measure: measure, Period: period, Value: v, Flag: flag, Unit: "USD per year", Tier: data.TierPrimary}
	}
	var obs []data.Observation
	for _, y := range []string{"May 2020", "May 2021", "May 2022", "May 2023"} {
		obs = append(obs, wage("pct10_annual_wage", y, data.Float(100), ""), wage("median_annual_wage", y, data.Float(200), ""))
	}
	obs = append(obs, wage("pct25_annual_wage", "May 2023", nil, data.FlagNotAvailable),
		wage("pct90_annual_wage", "May 2023", data.Float(239200), data.FlagTopCoded))
	b, err := WageDistribution("d", "99-0001", obs)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(b.Table.Columns, []string{"May 2021", "May 2022", "May 2023"}) {
		t.Fatalf("periods %v", b.Table.Columns)
	}
	caveats := strings.Join(b.Caveats, "\n")
	for _, want := range []string{
		"May 2023: the 90th percentile is top-coded: BLS publishes only that it is at or above $239,200",
		"May 2023: no figure for the 25th percentile and 75th percentile",
		"Earlier periods with percentiles in this snapshot (May 2020) are left off",
	} {
		if !strings.Contains(caveats, want) {
			t.Errorf("caveats lack %q:\n%s", want, caveats)
		}
	}
	if got := occCell(t, b, "25th", "May 2023"); got != "not available" {
		t.Errorf("flagged 25th shown as %q", got)
	}
	last := b.Chart.Options["series"].([]any)[2].(map[string]any)["data"].([]any)
	if last[1].(map[string]any)["value"] != "-" || last[4].(map[string]any)["value"] != 239200.0 {
		t.Errorf("chart data %v", last)
	}
	if len(b.Observations) != 8 {
		t.Errorf("%d figures in the CSV, want the 8 drawn", len(b.Observations))
	}
}
