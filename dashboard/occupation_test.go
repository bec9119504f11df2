package dashboard

import (
	"bytes"
	"errors"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

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

// fullBuiltin is the built-in snapshot as a fresh store publishes it: the
// workbooks' figures and the reference figures, with the origins its
// sources give (the reference list's figures are listed, not from a BLS
// file).
func fullBuiltin(t *testing.T) ([]data.Observation, data.Snapshot) {
	t.Helper()
	pub, err := builtin.Publication(time.Unix(0, 0))
	if err != nil {
		t.Fatal(err)
	}
	return pub.Observations, data.Snapshot{ID: 1, Sources: pub.Sources, Origins: data.OriginsOf(pub.Sources)}
}

// occPage builds the fact sheet the way the web layer does: national
// figures of the codes OccupationReadCodes names.
func occPage(t *testing.T, obs []data.Observation, query string) Page {
	t.Helper()
	return occPageOf(t, obs, data.Snapshot{ID: 1}, query)
}

// occPageOf is occPage in a given snapshot.
func occPageOf(t *testing.T, obs []data.Observation, snap data.Snapshot, query string) Page {
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
	page, err := BuildOccupation(snap, choice, read)
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
	// Six codes, five occupations: 29-2010 and 29-2018 are one occupation
	// under two programs' codes, so one entry, not two near-identical ones.
	if n := len(c.Controls[0].Options); n != 5 {
		t.Errorf("%d occupation options, want the 5 occupations of the built-in data", n)
	}
	for _, o := range c.Controls[0].Options {
		switch o.Value {
		case data.CodeClinicalLabEP:
			if o.Label != "Clinical laboratory technologists and technicians (29-2010 / 29-2018)" || !slices.Equal(o.Also, []string{"29-2018"}) {
				t.Errorf("29-2010 option %+v", o)
			}
		case data.CodeClinicalLabOEWS:
			t.Errorf("29-2018 has an option of its own: %+v", o)
		case data.CodeLabTechnologists:
			if o.Label != "Medical and clinical laboratory technologists (29-2011, until May 2016)" {
				t.Errorf("29-2011 option %q", o.Label)
			}
		}
	}
	// 29-2018 is still an address that works, and shows the shared entry.
	c, err = ChooseOccupation(url.Values{"code": {"29-2018"}}, facets)
	if err != nil || c.Code != "29-2018" || !c.Controls[0].Options[1].Selected {
		t.Errorf("code=29-2018: %+v %v", c, err)
	}
	for query, param := range map[string]string{"code=99-9999": "code", "code=29-2010&year=2020": "year", "code=29-2010&code=31-9097": "code"} {
		q, _ := url.ParseQuery(query)
		var pe *ParamError
		if _, err := ChooseOccupation(q, facets); !errors.As(err, &pe) || pe.Param != param {
			t.Errorf("%s: %v, want a ParamError for %s", query, err, param)
		}
	}
}

// The fact sheet of 29-2010 on the built-in snapshot as a store holds it:
// a card from one OEWS release and one EP edition, the latest from a BLS
// file, the newer edition only listed named in a note; the pay
// distribution of the card's release.
func TestOccupationClinicalLabOnBuiltinData(t *testing.T) {
	obs, snap := fullBuiltin(t)
	p := occPageOf(t, obs, snap, "")
	if p.Name != "occupation" || !strings.Contains(p.Intro, "separately until OEWS May 2016") {
		t.Errorf("name %q, intro %q", p.Name, p.Intro)
	}
	if len(p.Facts) != 1 {
		t.Fatalf("facts %+v", p.Facts)
	}
	card := p.Facts[0]
	if card.Release != "May 2024" || card.Edition != "2019-2029" {
		t.Errorf("card from %q and %q, want May 2024 and 2019-2029", card.Release, card.Edition)
	}
	want := map[string]string{
		"Median annual wage": "$61,890 May 2024", "Median hourly wage": "$29.75 May 2024",
		"Number of jobs": "337,800 2019", "Projected growth": "7% 2019-2029", "Employment change": "24,700 2019-2029",
		"Annual openings": "21,600 2019-2029", "Typical entry education": "Bachelor's degree 2019-2029",
	}
	for _, f := range card.Facts {
		if got := f.Text() + " " + f.Observation.Period; got != want[f.Label] {
			t.Errorf("%s = %q, want %q", f.Label, got, want[f.Label])
		}
		if !snap.Origins.FromBLSFile(*f.Observation) {
			t.Errorf("%s is not from a BLS file: %s", f.Label, f.Observation.SourceURL)
		}
	}
	growth := card.Facts[3]
	if !strings.HasPrefix(growth.Detail, "7.3% before the OOH's rounding. No outlook words: no published table of BLS's thresholds for 2019-29 was found.") {
		t.Errorf("growth detail %q", growth.Detail)
	}
	if card.Releases != "Pay: OEWS May 2024, read from a BLS workbook re-saved by a third party. Outlook: Employment Projections 2019-29, read from BLS files." {
		t.Errorf("releases %q", card.Releases)
	}
	if len(card.Newer) != 1 || card.Newer[0] != "Newer: the 2024-34 edition gives 1.7% growth (OOH: 2%) and 22,600 openings a year — read on third-party pages quoting BLS." {
		t.Errorf("newer %q", card.Newer)
	}
	for i, want := range []string{"Bachelor's degree", "None", "None"} {
		if f := card.Become[i]; f.Observation == nil || f.Text() != want || f.Observation.Period != "2019-2029" {
			t.Errorf("become %s: %+v", f.Label, f.Observation)
		}
	}

	d := occBlock(t, p, "wage-distribution")
	if !d.HasChart() || !slices.Equal(d.Table.Columns, []string{"May 2024"}) {
		t.Fatalf("distribution: %q, columns %v", d.Empty, d.Table.Columns)
	}
	if want := "May 2024: 10th percentile $38,020, 25th percentile $46,580, median $61,890, 75th percentile $80,010, 90th percentile $97,990."; d.Summary != want {
		t.Errorf("summary %q", d.Summary)
	}
	if d.Chart.Title != "Annual wage percentiles of clinical laboratory technologists and technicians (29-2010)" {
		t.Errorf("chart %q: the name, with the code beside it", d.Chart.Title)
	}

	s := occBlock(t, p, "work-settings")
	if !s.HasChart() || len(s.Observations) != 15 || s.Chart.Title != "Share of clinical laboratory technologists and technicians' jobs (29-2010)" {
		t.Errorf("work settings: %q, %d figures, title %q", s.Empty, len(s.Observations), s.Chart.Title)
	}
	if got := occCell(t, s, "Hospitals (state, local and private)", "2021"); got != "45%" {
		t.Errorf("hospitals 2021 = %s", got)
	}
	g := occBlock(t, p, "outlook-growth")
	if got := occCell(t, g, "2024-34", "Projected growth"); got != "1.7%" {
		t.Errorf("growth 2024-34 = %s", got)
	}
	j := occBlock(t, p, "outlook-jobs")
	if a, b := occCell(t, j, "2022-32", "Employment change over the decade"), occCell(t, j, "2024-34", "Openings a year (average)"); a != "16,800" || b != "22,600" {
		t.Errorf("jobs: change %s, openings %s", a, b)
	}
}

// A retired code gets its own quick facts beside today's family, from the
// last release that lists it, and the distribution of that release.
func TestOccupationRetiredCodes(t *testing.T) {
	obs, snap := fullBuiltin(t)
	p := occPageOf(t, obs, snap, "code=29-2011")
	if len(p.Facts) != 2 || p.Facts[0].Family.ID != "code-29-2011" || p.Facts[0].Release != "May 2016" ||
		FormatValue(*p.Facts[0].Facts[0].Observation) != "$61,070" {
		t.Fatalf("facts %+v", p.Facts[0])
	}
	if p.Facts[1].Facts[0].Observation.OccupationCode == data.CodeLabTechnologists {
		t.Error("today's column uses the retired code")
	}
	if p.Facts[0].Edition != "2014-2024" || p.Facts[0].Become[0].Text() != "Bachelor's degree" {
		t.Errorf("29-2011 outlook from %q, education %+v", p.Facts[0].Edition, p.Facts[0].Become[0])
	}
	d := occBlock(t, occPageOf(t, obs, snap, "code=29-2012"), "wage-distribution")
	if !slices.Equal(d.Table.Columns, []string{"May 2016"}) || occCell(t, d, "25th", "May 2016") != "$31,250" {
		t.Fatalf("29-2012 distribution %v", d.Table.Columns)
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
		"work-settings":  "This snapshot has no figures for the share of all occupations' jobs (00-0000) by work setting.",
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
	obs, snap := fullBuiltin(t)
	p := occPageOf(t, obs, snap, "code=29-2018")
	s := occBlock(t, p, "work-settings")
	if !s.HasChart() || !strings.Contains(strings.Join(s.Caveats, " "), "Shown under 29-2010") {
		t.Errorf("work settings %q, caveats %q", s.Empty, s.Caveats)
	}
	if d := occBlock(t, p, "wage-distribution"); d.Chart.Title != "Annual wage percentiles of clinical laboratory technologists and technicians (29-2010)" {
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
	b, err := WageDistribution("d", "99-0001", "", obs)
	if err != nil {
		t.Fatal(err)
	}
	// One release: with none given, the latest with percentiles.
	if !slices.Equal(b.Table.Columns, []string{"May 2023"}) {
		t.Fatalf("periods %v", b.Table.Columns)
	}
	caveats := strings.Join(b.Caveats, "\n")
	for _, want := range []string{
		"May 2023: the 90th percentile is top-coded: BLS publishes only that it is at or above $239,200",
		"May 2023: no figure for the 25th percentile and 75th percentile",
		"the trends page shows the other releases with percentiles (May 2020, May 2021, May 2022)",
	} {
		if !strings.Contains(caveats, want) {
			t.Errorf("caveats lack %q:\n%s", want, caveats)
		}
	}
	if got := occCell(t, b, "25th", "May 2023"); got != "not available" {
		t.Errorf("flagged 25th shown as %q", got)
	}
	last := b.Chart.Options["series"].([]any)[0].(map[string]any)["data"].([]any)
	if last[1].(map[string]any)["value"] != "-" || last[4].(map[string]any)["value"] != 239200.0 {
		t.Errorf("chart data %v", last)
	}
	if len(b.Observations) != 4 {
		t.Errorf("%d figures in the CSV, want the 4 drawn", len(b.Observations))
	}
	// A release without percentiles: no chart of another release under it.
	other, err := WageDistribution("d", "99-0001", "May 2024", obs)
	if err != nil || !strings.Contains(other.Empty, "no annual wage percentiles (10th to 90th) for 99-0001 in OEWS May 2024") {
		t.Errorf("release without percentiles: %q %v", other.Empty, err)
	}
}
