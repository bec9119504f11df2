package dashboard

import (
	"errors"
	"net/url"
	"os"
	"slices"
	"strings"
	"testing"

	"github.com/labdash/labdash/data"
	"github.com/labdash/labdash/ingest/format"
)

// settingsPage builds the page the way the web layer does.
func settingsPage(t *testing.T, obs []data.Observation, query string) Page {
	t.Helper()
	q, _ := url.ParseQuery(query)
	choice, err := ChooseSettings(q, occFacets(obs))
	if err != nil {
		t.Fatal(err)
	}
	codes := SettingsReadCodes(choice.Code)
	read := selectObs(obs, func(o data.Observation) bool {
		return slices.Contains(codes, o.OccupationCode) && o.AreaCode == data.NationalAreaCode
	})
	page, err := BuildSettings(data.Snapshot{ID: 1}, choice, read)
	if err != nil {
		t.Fatal(err)
	}
	return page
}

func TestChooseSettings(t *testing.T) {
	facets := occFacets(occBuiltin(t))
	c, err := ChooseSettings(url.Values{}, facets)
	if err != nil || c.Code != data.CodeClinicalLabEP || c.Measure != "share" || len(c.Controls) != 2 {
		t.Fatalf("defaults: %+v %v", c, err)
	}
	for query, param := range map[string]string{"measure=pay": "measure", "code=29": "code", "code=29-2010&area=06": "area"} {
		q, _ := url.ParseQuery(query)
		var pe *ParamError
		if _, err := ChooseSettings(q, facets); !errors.As(err, &pe) || pe.Param != param {
			t.Errorf("%s: %v, want a ParamError for %s", query, err, param)
		}
	}
}

func TestSettingsShareOnBuiltinData(t *testing.T) {
	p := settingsPage(t, occBuiltin(t), "code=29-2010&measure=share")
	b := occBlock(t, p, "share")
	if !slices.Equal(b.Table.Columns, []string{"2018", "2020", "2021"}) || len(b.Observations) != 15 {
		t.Fatalf("columns %v, %d figures", b.Table.Columns, len(b.Observations))
	}
	// One row per setting whatever the OOH called it that year.
	if b.Table.Rows[0].Category != "Hospitals (state, local and private)" || len(b.Table.Rows) != 5 {
		t.Errorf("first setting %q of %d", b.Table.Rows[0].Category, len(b.Table.Rows))
	}
	if b.Chart.Title != "Share of clinical laboratory technologists and technicians' jobs (29-2010) by work setting" {
		t.Errorf("title %q: the name, with the code beside it", b.Chart.Title)
	}
	if got := occCell(t, b, "Medical and diagnostic laboratories", "2021"); got != "22%" {
		t.Errorf("laboratories 2021 = %s", got)
	}
	if b.Chart.Subtitle != "United States (national only), 2018 to 2021" || b.Caveats[0] != nationalOnly {
		t.Errorf("scope: %q, caveats %q", b.Chart.Subtitle, b.Caveats)
	}
	if len(p.Notes) != 0 {
		t.Errorf("notes %q repeat the chart's caveat", p.Notes)
	}
}

func TestSettingsWageOnBuiltinData(t *testing.T) {
	obs := occBuiltin(t)
	b := occBlock(t, settingsPage(t, obs, "measure=wage"), "wage")
	if !slices.Equal(b.Table.Columns, []string{"May 2018, median"}) {
		t.Fatalf("columns %v", b.Table.Columns)
	}
	if got := occCell(t, b, "Offices of physicians", "May 2018, median"); got != "$47,060" {
		t.Errorf("offices of physicians %s", got)
	}
	b = occBlock(t, settingsPage(t, obs, "code=29-2011&measure=wage"), "wage")
	if b.Table.Rows[0].Category != "Federal government" || b.Table.Rows[0].Cells[0].Text != "$62,880" {
		t.Errorf("29-2011 first row %+v", b.Table.Rows[0])
	}
}

// A valid combination with no figures is a page that says so.
func TestSettingsEmptyCombinations(t *testing.T) {
	obs := occBuiltin(t)
	p := settingsPage(t, obs, "code=29-2010&measure=change")
	if len(p.Blocks) != 2 || p.Blocks[0].HasChart() || p.Blocks[1].HasChart() {
		t.Fatalf("change blocks %+v", p.Blocks)
	}
	if !strings.HasPrefix(p.Blocks[0].Empty, "This snapshot has no projected percent changes in employment by work setting for clinical laboratory technologists and technicians (29-2010).") ||
		!strings.Contains(p.Blocks[1].Empty, "national employment matrix") {
		t.Errorf("empty sentences %q / %q", p.Blocks[0].Empty, p.Blocks[1].Empty)
	}
	if !slices.Equal(p.Notes, []string{nationalOnly}) || len(p.Controls) != 2 {
		t.Errorf("notes %q, %d controls", p.Notes, len(p.Controls))
	}
	b := occBlock(t, settingsPage(t, obs, "code=29-2018"), "share")
	if b.Empty != "This snapshot has no shares of jobs by work setting for clinical laboratory technologists and technicians (29-2018). The same occupation has them under 29-2010." {
		t.Errorf("29-2018 share: %q", b.Empty)
	}
}

// The EP matrix test fixture (synthetic numbers in the real layout) gives
// projected change by industry, with a flagged cell.
func TestSettingsChangeFromEPMatrix(t *testing.T) {
	f, err := os.Open("../ingest/format/testdata/ep/matrix-29-2010.csv")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	obs, err := format.ParseEPMatrix(f, data.CodeClinicalLabEP, format.Provenance{SourceName: "test"})
	if err != nil {
		t.Fatal(err)
	}
	p := settingsPage(t, obs, "measure=change")
	g, c := occBlock(t, p, "growth"), occBlock(t, p, "change")
	if !g.HasChart() || !c.HasChart() || !slices.Equal(g.Table.Columns, []string{"2024-34"}) {
		t.Fatalf("growth %q %v, change %q", g.Empty, g.Table.Columns, c.Empty)
	}
	if g.Table.Rows[0].Category != "Medical and diagnostic laboratories" || g.Table.Rows[0].Cells[0].Text != "10%" {
		t.Errorf("fastest-growing setting %+v", g.Table.Rows[0])
	}
	if got := occCell(t, c, "Offices of physicians", "2024-34"); got != "-1,500" {
		t.Errorf("offices of physicians change %s", got)
	}
	if got := occCell(t, g, "Merchant wholesalers, nondurable goods", "2024-34"); got != "not available" {
		t.Errorf("flagged cell %q", got)
	}
	for _, o := range g.Observations {
		if o.CrossIndustry() {
			t.Error("the cross-industry total is drawn as a work setting")
		}
	}
	share := occBlock(t, settingsPage(t, obs, "measure=share"), "share")
	if !slices.Equal(share.Table.Columns, []string{"2024", "2034"}) {
		t.Errorf("share periods %v", share.Table.Columns)
	}
}

// Synthetic test data: one setting worded three ways across periods is
// one row (data.WorkSettingOf), and a period with only a mean wage shows
// the mean, never beside a median.
func TestIndustryRowsAndWageMeasures(t *testing.T) {
	o := func(code, title string, measure data.Measure, period string, v float64) data.Observation {
		return data.Observation{OccupationCode: "99-0001", AreaCode: data.NationalAreaCode, IndustryCode: code, IndustryTitle: title,
			Measure: measure, Period: period, Value: data.Float(v), Unit: "USD per year", Tier: data.TierPrimary}
	}
	obs := []data.Observation{
		o("", "General medical and surgical hospitals; state, local, and private", "median_annual_wage", "May 2023", 60000),
		o("", "General medical and surgical hospitals; state, local, and private", "mean_annual_wage", "May 2023", 61000),
		o("", "  hospitals;  state, local, and private", "mean_annual_wage", "May 2022", 55000),
		o("", "Hospitals", "mean_annual_wage", "May 2021", 54000),
		o("", "Laboratories", "mean_annual_wage", "May 2022", 50000),
	}
	m := industryMetrics["wage"][0]
	b, err := industryBlock(m, "Synthetic testers", []string{"99-0001"}, obs)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(b.Table.Columns, []string{"May 2021, mean", "May 2022, mean", "May 2023, median"}) {
		t.Fatalf("columns %v", b.Table.Columns)
	}
	var rows []string
	for _, r := range b.Table.Rows {
		rows = append(rows, r.Category)
	}
	if !slices.Equal(rows, []string{"Hospitals (state, local and private)", "Laboratories"}) {
		t.Errorf("rows %q: one row per setting, however it was worded", rows)
	}
	for column, want := range map[string]string{"May 2021, mean": "$54,000", "May 2022, mean": "$55,000", "May 2023, median": "$60,000"} {
		if got := occCell(t, b, "Hospitals (state, local and private)", column); got != want {
			t.Errorf("hospitals %s = %s, want %s", column, got, want)
		}
	}
	if len(b.Observations) != 4 {
		t.Errorf("%d figures, want 4: the May 2023 mean is not drawn beside the median", len(b.Observations))
	}
	if want := `In May 2023 the source listed "General medical and surgical hospitals; state, local, and private" (NAICS 6221), part of hospitals (state, local and private) (NAICS 622); its figures are on that row.`; !slices.Contains(b.Caveats, want) {
		t.Errorf("caveats %q lack %q", b.Caveats, want)
	}
	if b.Chart.Title != "Annual wage of synthetic testers (99-0001) by work setting" {
		t.Errorf("title %q: the name, with the code beside it", b.Chart.Title)
	}
}

// What a BLS file gives by sector (OEWS May 2024, natsector) opens the
// page: one release, the occupation's all-industries figure beside it.
func TestSettingsSectorsFromTheBLSFile(t *testing.T) {
	obs, snap := fullBuiltin(t)
	codes := SettingsReadCodes(data.CodeClinicalLabEP)
	read := selectObs(obs, func(o data.Observation) bool {
		return slices.Contains(codes, o.OccupationCode) && o.AreaCode == data.NationalAreaCode
	})
	for measure, want := range map[string]struct{ id, cell, all string }{
		"share": {"sector-jobs", "288,450", "All industries, the same release: 343,040 (29-2010, May 2024)."},
		"wage":  {"sector-wages", "$62,420", "All industries, the same release: $61,890 (29-2010, May 2024)."},
	} {
		q, _ := url.ParseQuery("code=29-2010&measure=" + measure)
		choice, err := ChooseSettings(q, occFacets(obs))
		if err != nil {
			t.Fatal(err)
		}
		p, err := BuildSettings(snap, choice, read)
		if err != nil {
			t.Fatal(err)
		}
		if p.Blocks[0].ID != want.id {
			t.Fatalf("%s: first block %q", measure, p.Blocks[0].ID)
		}
		b := p.Blocks[0]
		if got := occCell(t, b, "Health Care and Social Assistance (62)", b.Table.Columns[0]); got != want.cell || b.Caveats[0] != want.all {
			t.Errorf("%s: health care %s, caveat %q", measure, got, b.Caveats[0])
		}
		for _, o := range b.Observations {
			if o.Period != "May 2024" || !snap.Origins.FromBLSFile(o) {
				t.Errorf("%s: figure %s %s of %s, tier %s", measure, o.IndustryCode, o.Period, o.SourceURL, o.Tier)
			}
		}
		if b.Chart.Source != "Source: U.S. Bureau of Labor Statistics, OEWS May 2024." {
			t.Errorf("%s: source %q", measure, b.Chart.Source)
		}
	}
}
