package dashboard_test

import (
	"cmp"
	"errors"
	"net/url"
	"slices"
	"strings"
	"testing"

	"github.com/labdash/labdash/dashboard"
	"github.com/labdash/labdash/data"
)

// placesBuiltin is the built-in reference figures, one per key as the
// store keeps them.
func placesBuiltin(t *testing.T) []data.Observation {
	t.Helper()
	seen := map[string]bool{}
	var out []data.Observation
	for _, o := range analysisObs(t) {
		if k := o.Key().String(); !seen[k] {
			seen[k] = true
			out = append(out, o)
		}
	}
	return out
}

// placesFacets lists the distinct values of one column among obs that keep
// accepts, ordered by value, as Store.Distinct does.
func placesFacets(obs []data.Observation, column func(data.Observation) string, keep func(data.Observation) bool) []data.Facet {
	count := map[string]int{}
	for _, o := range obs {
		if keep(o) {
			count[column(o)]++
		}
	}
	var out []data.Facet
	for v, n := range count {
		out = append(out, data.Facet{Value: v, Count: n})
	}
	slices.SortFunc(out, func(a, b data.Facet) int { return strings.Compare(a.Value, b.Value) })
	return out
}

func isStateFigure(o data.Observation) bool {
	return o.CrossIndustry() && data.KindOfArea(o.AreaCode) == data.AreaState
}

// buildPlaces runs the page's steps the way web/page_places.go does, on obs
// instead of a store.
func buildPlaces(t *testing.T, obs []data.Observation, q url.Values) (dashboard.Page, dashboard.PlacesChoice, error) {
	t.Helper()
	var ch dashboard.PlacesChoice
	code := func(o data.Observation) string { return o.OccupationCode }
	measure := func(o data.Observation) string { return string(o.Measure) }
	period := func(o data.Observation) string { return o.Period }
	codeControl, err := ch.ChooseCode(q, placesFacets(obs, code, isStateFigure))
	if err != nil || ch.Code == "" {
		p, buildErr := dashboard.BuildPlaces(data.Snapshot{ID: 1}, nil, ch, nil, nil)
		return p, ch, cmp.Or(err, buildErr)
	}
	measureControl, err := ch.ChooseMeasure(q,
		placesFacets(obs, measure, func(o data.Observation) bool { return isStateFigure(o) && o.OccupationCode == ch.Code }),
		placesFacets(obs, measure, isStateFigure))
	if err != nil {
		return dashboard.Page{}, ch, err
	}
	chosen := slices.DeleteFunc(slices.Clone(obs), func(o data.Observation) bool {
		return o.OccupationCode != ch.Code || o.Measure != ch.Measure
	})
	periodControl, err := ch.ChoosePeriod(q, chosen, placesFacets(obs, period, isStateFigure))
	if err != nil {
		return dashboard.Page{}, ch, err
	}
	controls := []dashboard.Control{codeControl, measureControl, periodControl}
	p, err := dashboard.BuildPlaces(data.Snapshot{ID: 1}, controls, ch, chosen, chosen)
	return p, ch, err
}

func optionValues(c dashboard.Control) []string {
	var out []string
	for _, o := range c.Options {
		out = append(out, o.Value)
	}
	return out
}

func TestPlacesDefaultsOnBuiltinFigures(t *testing.T) {
	p, ch, err := buildPlaces(t, placesBuiltin(t), url.Values{})
	if err != nil {
		t.Fatal(err)
	}
	if ch.Code != "29-2018" || ch.Measure != "mean_annual_wage" || ch.Period != "May 2022" || len(ch.Replaced) > 0 {
		t.Errorf("choice %+v, want 29-2018 mean_annual_wage May 2022", ch)
	}
	for i, want := range [][]string{
		{"29-2018", "31-9097"},
		{"employment", "mean_annual_wage", "mean_hourly_wage"},
		{"May 2023", "May 2022", "May 2019"}, // latest first
	} {
		if got := optionValues(p.Controls[i]); !slices.Equal(got, want) {
			t.Errorf("control %s offers %v, want %v", p.Controls[i].Name, got, want)
		}
	}
	if got := p.Controls[2].Options[1].Label; got != "May 2022 (51 states)" {
		t.Errorf("period label %q", got)
	}
	for _, want := range []string{"29-2018", "mean annual wage", "by state", "May 2022"} {
		if !strings.Contains(p.Title, want) {
			t.Errorf("title %q lacks %q", p.Title, want)
		}
	}

	states := analysisBlock(t, p, dashboard.StateMapBlockID)
	if !states.HasChart() {
		t.Fatalf("state block empty: %s", states.Empty)
	}
	rows := states.Table.Rows
	// The 50 states and DC, and apart from them (the table's footer, never
	// sorted among them) the national figure of the same release.
	if len(rows) != 51 || len(states.Observations) != 52 || len(states.Table.Footer) != 1 || states.Table.Footer[0].Category != "United States (national)" {
		t.Fatalf("%d rows, %d observations, footer %+v, want 51 (50 states and DC) and the national row", len(rows), len(states.Observations), states.Table.Footer)
	}
	if o := states.Table.Footer[0].Cells[0].Observation; o.Period != "May 2022" || o.AreaCode != data.NationalAreaCode || o.Measure != data.MeasureMeanAnnualWage {
		t.Errorf("national row %+v", o)
	}
	first, last := rows[0], rows[len(rows)-1]
	if first.Category != "New York" || first.Cells[0].Text != "$76,110" || last.Category != "Mississippi" || last.Cells[0].Text != "$43,870" {
		t.Errorf("table runs from %s %s to %s %s, want New York $76,110 to Mississippi $43,870",
			first.Category, first.Cells[0].Text, last.Category, last.Cells[0].Text)
	}
	for i, o := range states.Observations[1:] { // the national figure first
		if got := dashboard.FormatValue(o); got != rows[i].Cells[0].Text {
			t.Fatalf("observation %d is %s, table row says %s: CSV and table disagree", i, got, rows[i].Cells[0].Text)
		}
	}
	if !strings.HasPrefix(states.Summary, "Largest: $76,110 (New York); smallest: $43,870 (Mississippi). United States, the same release: ") {
		t.Errorf("summary %q", states.Summary)
	}
	if !strings.Contains(states.Chart.Subtitle, "May 2022") || !strings.Contains(states.Heading, "May 2022") {
		t.Errorf("map subtitle %q / heading %q without the period", states.Chart.Subtitle, states.Heading)
	}
	onMap := states.Chart.Options["series"].([]any)[0].(map[string]any)["data"].([]any)
	if len(onMap) != 51 {
		t.Errorf("map has %d states, want 51", len(onMap))
	}
	for _, d := range onMap {
		if d.(map[string]any)["value"] == "-" {
			t.Errorf("%v has no figure on the map, but May 2022 covers every state", d)
		}
	}

	metros := analysisBlock(t, p, dashboard.MetroAreasBlockID)
	if len(metros.Table.Rows) != 13 {
		t.Fatalf("%d metro areas, want 13", len(metros.Table.Rows))
	}
	if r := metros.Table.Rows[0]; r.Category != "San Francisco-Oakland-Berkeley" || r.Cells[0].Text != "$78,490" {
		t.Errorf("first metro %s %s, want San Francisco-Oakland-Berkeley $78,490", r.Category, r.Cells[0].Text)
	}
}

func TestPlacesPartialPeriodDrawsMissingStatesAsNoData(t *testing.T) {
	p, _, err := buildPlaces(t, placesBuiltin(t), url.Values{"period": {"May 2019"}})
	if err != nil {
		t.Fatal(err)
	}
	states := analysisBlock(t, p, dashboard.StateMapBlockID)
	if len(states.Table.Rows) != 20 || len(states.Table.Footer) != 1 {
		t.Errorf("%d rows and %d footer rows, want the 20 states of May 2019 and the national row", len(states.Table.Rows), len(states.Table.Footer))
	}
	missing := 0
	for _, d := range states.Chart.Options["series"].([]any)[0].(map[string]any)["data"].([]any) {
		if d.(map[string]any)["value"] == "-" {
			missing++
		}
	}
	if missing != 31 {
		t.Errorf("%d states drawn as no data, want 31", missing)
	}
	if !slices.ContainsFunc(states.Caveats, func(c string) bool { return strings.HasPrefix(c, "31 of the 50 states and DC have no figure") }) {
		t.Errorf("caveats %q do not say 31 states have no figure", states.Caveats)
	}
	if metros := analysisBlock(t, p, dashboard.MetroAreasBlockID); metros.HasChart() || !strings.Contains(metros.Empty, "no metropolitan") {
		t.Errorf("metro block for May 2019: %q", metros.Empty)
	}
}

func TestPlacesInvalidParameters(t *testing.T) {
	for _, tc := range []struct {
		q     url.Values
		param string
	}{
		{url.Values{"code": {"99-9999"}}, "code"},
		{url.Values{"measure": {"shoe_size"}}, "measure"},
		{url.Values{"period": {"May 1999"}}, "period"},
		{url.Values{"period": {"</script>"}}, "period"},
	} {
		_, _, err := buildPlaces(t, placesBuiltin(t), tc.q)
		var pe *dashboard.ParamError
		if !errors.As(err, &pe) || pe.Param != tc.param {
			t.Errorf("%v: err = %v, want a ParamError for %s", tc.q, err, tc.param)
		}
	}
}

// Changing the occupation in the form keeps the other parameters; a measure
// or period the snapshot has for other choices falls back, and says so.
func TestPlacesDependentChoicesFallBack(t *testing.T) {
	p, ch, err := buildPlaces(t, placesBuiltin(t), url.Values{
		"code": {"31-9097"}, "measure": {"mean_hourly_wage"}, "period": {"May 2022"},
	})
	if err != nil {
		t.Fatal(err)
	}
	if ch.Measure != "mean_annual_wage" || ch.Period != "May 2012" || len(ch.Replaced) != 2 {
		t.Fatalf("choice %+v", ch)
	}
	for _, want := range []string{"no state figures of mean hourly wage for 31-9097", "in May 2022", "shows May 2012 (5 states) instead"} {
		if !strings.Contains(p.Intro, want) {
			t.Errorf("intro %q lacks %q", p.Intro, want)
		}
	}
	if rows := analysisBlock(t, p, dashboard.StateMapBlockID).Table.Rows; len(rows) != 5 || rows[0].Category != "Alaska" {
		t.Errorf("phlebotomists' May 2012 states: %v", rows)
	}
}

// Synthetic test data, not BLS figures.
func syntheticPlaceObs() []data.Observation {
	obs := func(area, title string, v *float64, flag data.Flag) data.Observation {
		return data.Observation{OccupationCode: "11-1111", OccupationTitle: "Synthetic occupation", AreaCode: area, AreaTitle: title,
			Measure: "location_quotient", Period: "May 2030", Value: v, Unit: "ratio", Flag: flag, Tier: data.TierPrimary}
	}
	return []data.Observation{
		obs("0100000", "Alabama", data.Float(0.8), ""),
		obs("0200000", "Alaska", nil, data.FlagNotAvailable),
		obs("0400000", "Arizona", data.Float(1.4), ""),
		obs("7200000", "Puerto Rico", data.Float(2.5), ""),
		obs("0000000", "U.S.", data.Float(1), ""),
	}
}

func TestPlacesFlaggedStatesAndTerritories(t *testing.T) {
	p, ch, err := buildPlaces(t, syntheticPlaceObs(), url.Values{})
	if err != nil {
		t.Fatal(err)
	}
	if ch.Measure != "location_quotient" {
		t.Errorf("measure %q: the only one, so the default", ch.Measure)
	}
	b := analysisBlock(t, p, dashboard.StateMapBlockID)
	var order []string
	for _, r := range b.Table.Rows {
		order = append(order, r.Category+" "+r.Cells[0].Text)
	}
	want := []string{"Puerto Rico 2.5", "Arizona 1.4", "Alabama 0.8", "Alaska not available"}
	if !slices.Equal(order, want) {
		t.Errorf("table %v, want %v (flagged last)", order, want)
	}
	if f := b.Table.Footer; len(f) != 1 || f[0].Category != "United States (national)" || f[0].Cells[0].Text != "1" {
		t.Errorf("footer %+v, want the national figure", f)
	}
	byName := map[string]map[string]any{}
	for _, d := range b.Chart.Options["series"].([]any)[0].(map[string]any)["data"].([]any) {
		byName[d.(map[string]any)["name"].(string)] = d.(map[string]any)
	}
	if a := byName["Alaska"]; a["value"] != "-" || a["flag"] != "not_available" {
		t.Errorf("Alaska on the map: %v, want no data with its flag", a)
	}
	if _, ok := byName["Puerto Rico"]; ok {
		t.Error("Puerto Rico is not on the map's shapes")
	}
	if got := b.Chart.Options["visualMap"].([]any)[0].(map[string]any)["max"]; got != 1.4 {
		t.Errorf("scale max %v: Puerto Rico (not drawn) must not stretch it", got)
	}
	if !slices.ContainsFunc(b.Caveats, func(c string) bool { return strings.HasPrefix(c, "Puerto Rico is in the table but not on the map") }) {
		t.Errorf("caveats %q", b.Caveats)
	}
}

func TestPlacesEmptySnapshots(t *testing.T) {
	p, ch, err := buildPlaces(t, nil, url.Values{})
	if err != nil || ch.Code != "" {
		t.Fatalf("no figures: %v, %+v", err, ch)
	}
	if b := analysisBlock(t, p, dashboard.StateMapBlockID); b.Empty != "This snapshot has no state figures for any occupation." {
		t.Errorf("empty page says %q", b.Empty)
	}
	if _, _, err := buildPlaces(t, nil, url.Values{"code": {"29-2018"}}); err == nil {
		t.Error("asking for a code the snapshot lacks must be an error")
	}

	flagged := syntheticPlaceObs()[1:2] // only Alaska, not available
	p, _, err = buildPlaces(t, flagged, url.Values{})
	if err != nil {
		t.Fatal(err)
	}
	if b := analysisBlock(t, p, dashboard.StateMapBlockID); b.HasChart() || !strings.Contains(b.Empty, "marker") {
		t.Errorf("a period with only flagged states: %q", b.Empty)
	}
}

// The map's state names must be the ones the charts package is given.
func TestPlacesMapNamesAreStateNames(t *testing.T) {
	p, _, _ := buildPlaces(t, placesBuiltin(t), url.Values{})
	names := map[string]bool{}
	for _, s := range data.States {
		names[s.Name] = true
	}
	for _, d := range analysisBlock(t, p, dashboard.StateMapBlockID).Chart.Options["series"].([]any)[0].(map[string]any)["data"].([]any) {
		if n := d.(map[string]any)["name"].(string); !names[n] {
			t.Errorf("map name %q is not a data.States name", n)
		}
	}
}
