package charts

import (
	"bytes"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

var update = flag.Bool("update", false, "rewrite testdata/*.golden.json from the current output")

// All figures in these tests are synthetic test data, not BLS figures.

func num(f float64) *float64 { return &f }

func testSpec(id, unit string) Spec {
	return Spec{
		ID:       id,
		Title:    "Synthetic measure",
		Subtitle: "Synthetic area, synthetic periods",
		Unit:     unit,
		Source:   "Source: synthetic test data, not BLS figures",
	}
}

// chartCase builds one chart from small synthetic inputs; the golden file
// testdata/<name>.golden.json holds its pretty-printed OptionsJSON.
type chartCase struct {
	name  string
	build func() (Chart, error)
}

func chartCases() []chartCase {
	return []chartCase{
		{"worksettings", func() (Chart, error) {
			industries := []string{
				"Synthetic industry A with a long name that has to wrap",
				"Synthetic industry B",
				"Synthetic industry C",
			}
			return WorkSettings(testSpec("work-settings", "percent of jobs"), industries, []Series{
				{Name: "2018", Points: []Point{{Value: num(50.5)}, {Value: num(30)}, {Value: num(19.5)}}},
				{Name: "2020", Points: []Point{{Value: num(48)}, {Value: nil, Flag: "not_available"}, {Value: num(20)}}},
			})
		}},
		{"worksettings_one_series", func() (Chart, error) {
			return WorkSettings(testSpec("work-settings-one", "percent of jobs"),
				[]string{"Synthetic industry A", "Synthetic industry B"},
				[]Series{{Name: "2021", Points: []Point{{Value: num(60)}, {Value: num(40)}}}})
		}},
		{"trend", func() (Chart, error) {
			periods := []string{"Period 1", "Period 2", "Period 3", "Period 4"}
			// Uneven dates: the axis must space them by time.
			axis := TimeAxis{Labels: periods, Dates: []string{"2010-05-01", "2014-05-01", "2015-05-01", "2019-05-01"}}
			return Trend(testSpec("wage-trend", "USD per year"), axis, []Series{
				{Name: "Synthetic combined group", Points: []Point{{Value: num(100)}, {Value: num(110)}, {}, {}}},
				{Name: "Synthetic group A", Points: []Point{{}, {}, {Value: num(120), Flag: "top_coded"}, {Value: num(125)}}},
			}, "Period 3", "Synthetic classification break")
		}},
		{"trend_no_break", func() (Chart, error) {
			return Trend(testSpec("wage-trend-plain", "USD per hour"),
				testAxis("Period 1", "Period 2", "Period 3"),
				[]Series{{Name: "Synthetic group", Points: []Point{{Value: num(10)}, {}, {Value: num(12)}}}}, "", "")
		}},
		{"projections", func() (Chart, error) {
			editions := []string{"Edition 1", "Edition 2", "Edition 3"}
			return Projections(testSpec("projections", "percent"), editions, []Series{
				{Name: "Synthetic occupation A", Points: []Point{{Value: num(5)}, {Value: num(-2)}, {Value: num(0)}}},
				{Name: "Synthetic occupation B", Points: []Point{{Value: num(3)}, {Value: nil, Flag: "not_released"}, {Value: num(1.5), Flag: "secondary"}}},
			})
		}},
		{"projections_many_editions", func() (Chart, error) {
			editions := []string{"E1", "E2", "E3", "E4", "E5", "E6", "E7"}
			points := make([]Point, len(editions))
			for i := range points {
				points[i] = Point{Category: editions[i], Value: num(float64(i))}
			}
			return Projections(testSpec("projections-many", "percent"), editions,
				[]Series{{Name: "Synthetic occupation", Points: points}})
		}},
		{"ranking", func() (Chart, error) {
			return Ranking(testSpec("ranking", "USD per year"), Series{Name: "Synthetic mean wage", Points: []Point{
				{Category: "Place A", Value: num(10)},
				{Category: "Place B", Value: nil, Flag: "not_available"},
				{Category: "Place C", Value: num(30)},
				{Category: "Place D", Value: num(20), Flag: "low_reporting"},
				{Category: "Place E", Value: num(0)},
			}})
		}},
	}
}

func goldenBytes(t *testing.T, c Chart) []byte {
	t.Helper()
	raw, err := c.OptionsJSON()
	if err != nil {
		t.Fatalf("OptionsJSON: %v", err)
	}
	var pretty bytes.Buffer
	if err := json.Indent(&pretty, raw, "", "  "); err != nil {
		t.Fatalf("indent: %v", err)
	}
	pretty.WriteByte('\n')
	return pretty.Bytes()
}

func TestGolden(t *testing.T) {
	for _, tc := range chartCases() {
		t.Run(tc.name, func(t *testing.T) {
			c, err := tc.build()
			if err != nil {
				t.Fatalf("build: %v", err)
			}
			got := goldenBytes(t, c)
			path := filepath.Join("testdata", tc.name+".golden.json")
			if *update {
				if err := os.WriteFile(path, got, 0o644); err != nil {
					t.Fatal(err)
				}
			}
			want, err := os.ReadFile(path)
			if err != nil {
				t.Fatalf("%v (run go test ./charts -update to create it)", err)
			}
			if !bytes.Equal(got, want) {
				t.Errorf("%s differs from the output; first difference: %s\nrun go test ./charts -update if the change is intended",
					path, firstDiff(string(want), string(got)))
			}
		})
	}
}

func firstDiff(want, got string) string {
	w, g := strings.Split(want, "\n"), strings.Split(got, "\n")
	for i := 0; i < max(len(w), len(g)); i++ {
		var wl, gl string
		if i < len(w) {
			wl = w[i]
		}
		if i < len(g) {
			gl = g[i]
		}
		if wl != gl {
			return "line " + strconv.Itoa(i+1) + ": want " + strings.TrimSpace(wl) + ", got " + strings.TrimSpace(gl)
		}
	}
	return "none"
}

// decode returns a chart's options as they reach the browser.
func decode(t *testing.T, c Chart) map[string]any {
	t.Helper()
	raw, err := c.OptionsJSON()
	if err != nil {
		t.Fatalf("OptionsJSON: %v", err)
	}
	var m map[string]any
	if err := json.Unmarshal(raw, &m); err != nil {
		t.Fatalf("decode: %v", err)
	}
	return m
}

// at walks decoded JSON by object keys and array indexes.
func at(t *testing.T, v any, path ...any) any {
	t.Helper()
	for _, p := range path {
		switch k := p.(type) {
		case string:
			m, ok := v.(map[string]any)
			if !ok {
				t.Fatalf("at %v: %T is not an object", path, v)
			}
			v = m[k]
		case int:
			a, ok := v.([]any)
			if !ok || k >= len(a) {
				t.Fatalf("at %v: no element %d in %T", path, k, v)
			}
			v = a[k]
		}
	}
	return v
}

func TestEveryChartHasCommonOptions(t *testing.T) {
	for _, tc := range chartCases() {
		t.Run(tc.name, func(t *testing.T) {
			c, err := tc.build()
			if err != nil {
				t.Fatal(err)
			}
			o := decode(t, c)
			horizontal := at(t, o, "yAxis", 0, "type") == "category"
			valueAxis := "yAxis"
			if horizontal {
				valueAxis = "xAxis"
			}
			multi := len(at(t, o, "series").([]any)) > 1
			trigger := "axis"
			if at(t, o, "xAxis", 0, "type") == "time" {
				trigger = "item" // a time axis: the hovered point names its period
			}
			checks := []struct {
				name      string
				got, want any
			}{
				{"title", at(t, o, "title", 0, "text"), c.Title},
				{"subtitle", at(t, o, "title", 0, "subtext"), c.Subtitle},
				{"subtitle colour", at(t, o, "title", 0, "subtextStyle", "color"), textColor},
				{"source line", at(t, o, "title", 1, "text"), c.Source},
				{"unit on value axis", at(t, o, valueAxis, 0, "name"), c.Unit},
				{"value axis label colour", at(t, o, valueAxis, 0, "axisLabel", "color"), textColor},
				{"tooltip trigger", at(t, o, "tooltip", "trigger"), trigger},
				{"legend shown", at(t, o, "legend", "show"), multi},
				{"grid containLabel", at(t, o, "grid", 0, "containLabel"), true},
				{"aria", at(t, o, "aria", "enabled"), true},
				{"decal", at(t, o, "aria", "decal", "show"), true},
				{"aria description names the measure", strings.Contains(at(t, o, "aria", "label", "description").(string), c.Title), true},
				{"palette first colour", at(t, o, "color", 0), "#0072B2"},
				{"palette size (no yellow)", len(at(t, o, "color").([]any)), 7},
				{"save as", at(t, o, "toolbox", "feature", "saveAsImage", "type"), "png"},
				{"png name", at(t, o, "toolbox", "feature", "saveAsImage", "name"), c.ID},
				{"png pixel ratio", at(t, o, "toolbox", "feature", "saveAsImage", "pixelRatio"), 2.0},
				{"png background", at(t, o, "toolbox", "feature", "saveAsImage", "backgroundColor"), "#fff"},
				{"animation", at(t, o, "animation"), false},
				{"background", at(t, o, "backgroundColor"), "#fff"},
			}
			if multi {
				checks = append(checks, struct {
					name      string
					got, want any
				}{"legend type", at(t, o, "legend", "type"), "scroll"})
			}
			for _, ch := range checks {
				if ch.got != ch.want {
					t.Errorf("%s = %v, want %v", ch.name, ch.got, ch.want)
				}
			}
			if strings.Contains(strings.ToUpper(string(mustJSON(t, o["color"]))), "F0E442") {
				t.Error("palette includes Okabe-Ito yellow, unreadable on white")
			}
			if c.MinHeightPx < verticalChartPx {
				t.Errorf("MinHeightPx = %d, want at least %d", c.MinHeightPx, verticalChartPx)
			}
		})
	}
}

func mustJSON(t *testing.T, v any) []byte {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// testAxis dates labels a year apart from 2001.
func testAxis(labels ...string) TimeAxis {
	axis := TimeAxis{Labels: labels}
	for i := range labels {
		axis.Dates = append(axis.Dates, fmt.Sprintf("%04d-05-01", 2001+i))
	}
	return axis
}

// A long title, subtitle and source line stay whole in the options: the
// page wraps them to the width the chart is drawn at (web/static/app.js,
// checked in a real browser by cmd/labdash's layout tests), so the plot's
// room here does not depend on how long they are.
func TestLongTitlesLeftWhole(t *testing.T) {
	spec := testSpec("long", "percent of jobs")
	spec.Title = "Share of synthetic laboratory technologists and technicians' jobs (99-0001)"
	spec.Subtitle = "By work setting, United States (industry detail is national only), 2018 to 2021"
	short := testSpec("short", "percent of jobs")
	series := []Series{{Name: "2021", Points: []Point{{Value: num(1)}}}}
	long, err := WorkSettings(spec, []string{"A"}, series)
	if err != nil {
		t.Fatal(err)
	}
	plain, err := WorkSettings(short, []string{"A"}, series)
	if err != nil {
		t.Fatal(err)
	}
	o := decode(t, long)
	if text := at(t, o, "title", 0, "text"); text != spec.Title {
		t.Errorf("title %q, want %q whole", text, spec.Title)
	}
	if sub := at(t, o, "title", 0, "subtext"); sub != spec.Subtitle {
		t.Errorf("subtitle %q, want %q whole", sub, spec.Subtitle)
	}
	top := func(c Chart) any { return at(t, decode(t, c), "grid", 0, "top") }
	if top(long) != top(plain) || long.MinHeightPx != plain.MinHeightPx {
		t.Errorf("grid top %v vs %v, height %d vs %d: the title's length changed the plot's room", top(long), top(plain), long.MinHeightPx, plain.MinHeightPx)
	}
}
