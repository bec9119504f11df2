package charts

import (
	"slices"
	"testing"
)

// A missing figure must reach ECharts as "-", never as 0, and a real zero
// must stay 0.
func TestNilValueIsMissingNotZero(t *testing.T) {
	spec := testSpec("missing", "percent")
	cats := []string{"A", "B"}
	series := []Series{{Name: "S", Points: []Point{{Value: nil, Flag: "not_available"}, {Value: num(0)}}}}
	builds := map[string]func() (Chart, error){
		"WorkSettings": func() (Chart, error) { return WorkSettings(spec, cats, series) },
		"Trend":        func() (Chart, error) { return Trend(spec, testAxis(cats...), series, "", "") },
		"Projections":  func() (Chart, error) { return Projections(spec, cats, series) },
	}
	for name, build := range builds {
		t.Run(name, func(t *testing.T) {
			c, err := build()
			if err != nil {
				t.Fatal(err)
			}
			o := decode(t, c)
			value := func(i int) any { return at(t, o, "series", 0, "data", i, "value") }
			if name == "Trend" { // [date, figure] on a time axis
				value = func(i int) any { return at(t, o, "series", 0, "data", i, "value", 1) }
			}
			if got := value(0); got != "-" {
				t.Errorf("nil value = %#v, want \"-\"", got)
			}
			if got := at(t, o, "series", 0, "data", 0, "flag"); got != "not_available" {
				t.Errorf("flag = %#v, want not_available", got)
			}
			if got := value(1); got != 0.0 {
				t.Errorf("zero value = %#v, want 0", got)
			}
			if !slices.Equal(c.Flags, []string{"not_available"}) {
				t.Errorf("Flags = %v", c.Flags)
			}
		})
	}
}

func TestTrendGapsAndBreak(t *testing.T) {
	c, err := Trend(testSpec("trend", "USD per year"), testAxis("P1", "P2", "P3"),
		[]Series{
			{Name: "A", Points: []Point{{Value: num(1)}, {}, {Value: num(3)}}},
			{Name: "B", Points: []Point{{}, {Value: num(2)}, {Value: num(3)}}},
		}, "P2", "Synthetic break")
	if err != nil {
		t.Fatal(err)
	}
	o := decode(t, c)
	for i := range 2 {
		if got := at(t, o, "series", i, "connectNulls"); got != true {
			t.Errorf("series %d connectNulls = %v, want true", i, got)
		}
	}
	if got := at(t, o, "series", 0, "markLine", "data", 0, "xAxis"); got != "2002-05-01" {
		t.Errorf("break at %v, want P2's date 2002-05-01", got)
	}
	if got := at(t, o, "series", 0, "markLine", "data", 0, "name"); got != "Synthetic break" {
		t.Errorf("break label %v", got)
	}
	if got := at(t, o, "series", 0, "markLine", "lineStyle", "type"); got != "dashed" {
		t.Errorf("break line type %v, want dashed", got)
	}
	if _, ok := at(t, o, "series", 1).(map[string]any)["markLine"]; ok {
		t.Error("break line drawn more than once")
	}
	if c.ValueFormat != FormatUSD {
		t.Errorf("ValueFormat = %q", c.ValueFormat)
	}
}

func TestRankingOrder(t *testing.T) {
	c, err := Ranking(testSpec("rank", "USD per year"), Series{Points: []Point{
		{Category: "N1", Value: nil},
		{Category: "A", Value: num(1)},
		{Category: "B", Value: num(3)},
		{Category: "N2", Value: nil, Flag: "not_available"},
		{Category: "C", Value: num(2)},
		{Category: "D", Value: num(3)}, // ties keep input order
	}})
	if err != nil {
		t.Fatal(err)
	}
	o := decode(t, c)
	var places []string
	for _, p := range at(t, o, "yAxis", 0, "data").([]any) {
		places = append(places, p.(string))
	}
	if want := []string{"B", "D", "C", "A", "N1", "N2"}; !slices.Equal(places, want) {
		t.Errorf("order %v, want %v", places, want)
	}
	wantValues := []any{3.0, 3.0, 2.0, 1.0, "-", "-"}
	for i, want := range wantValues {
		if got := at(t, o, "series", 0, "data", i, "value"); got != want {
			t.Errorf("value %d = %#v, want %#v", i, got, want)
		}
	}
	if got := at(t, o, "series", 0, "data", 5, "flag"); got != "not_available" {
		t.Errorf("flag did not follow its place: %v", got)
	}
	if got := at(t, o, "series", 0, "name"); got != c.Title {
		t.Errorf("unnamed series should take the title, got %v", got)
	}
	if got := at(t, o, "yAxis", 0, "inverse"); got != true {
		t.Error("highest value must be at the top (inverse y axis)")
	}
}

func TestRankingHeightGrowsWithPlaces(t *testing.T) {
	points := make([]Point, 55)
	for i := range points {
		points[i] = Point{Category: "Place " + string(rune('A'+i%26)) + string(rune('a'+i/26)), Value: num(float64(i))}
	}
	c, err := Ranking(testSpec("rank", "USD per year"), Series{Name: "S", Points: points})
	if err != nil {
		t.Fatal(err)
	}
	if c.MinHeightPx < 55*rankingRowPx {
		t.Errorf("MinHeightPx = %d, too short for 55 places", c.MinHeightPx)
	}
	o := decode(t, c)
	if got := at(t, o, "yAxis", 0, "axisLabel", "interval"); got != 0.0 {
		t.Errorf("every place must be labelled: interval = %#v", got)
	}
}

func TestValueFormat(t *testing.T) {
	for unit, want := range map[string]string{
		"USD per year":    FormatUSD,
		"USD per hour":    FormatUSD,
		"percent":         FormatPercent,
		"percent of jobs": FormatPercent,
		"jobs":            FormatNumber,
	} {
		if got := valueFormat(unit); got != want {
			t.Errorf("valueFormat(%q) = %q, want %q", unit, got, want)
		}
	}
}

func TestOptionsJSONWithoutOptions(t *testing.T) {
	if _, err := (Chart{}).OptionsJSON(); err == nil {
		t.Error("want an error for a chart that was never built")
	}
}
