package charts

import (
	"bytes"
	"errors"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// Synthetic test data, not BLS figures. Names are real state names because
// they must match the map's shapes; the values are made up.
func syntheticStates() []StateValue {
	return []StateValue{
		{Name: "Alaska", Value: num(70000)},
		{Name: "Hawaii", Value: nil, Flag: "not_available"},
		{Name: "New York", Value: num(80000), Flag: "secondary"},
		{Name: "Texas", Value: num(50000)},
		{Name: "District of Columbia", Value: nil},
	}
}

func TestStateMapGolden(t *testing.T) {
	cases := map[string]func() (Chart, error){
		"statemap": func() (Chart, error) {
			return StateMap(testSpec("state-map", "USD per year"), syntheticStates())
		},
		"statemap_one_state": func() (Chart, error) {
			return StateMap(testSpec("state-map-one", "ratio"), []StateValue{{Name: "Ohio", Value: num(1.2)}})
		},
	}
	for name, build := range cases {
		t.Run(name, func(t *testing.T) {
			c, err := build()
			if err != nil {
				t.Fatal(err)
			}
			got := goldenBytes(t, c)
			path := filepath.Join("testdata", name+".golden.json")
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
				t.Errorf("%s differs: %s\nrun go test ./charts -update if the change is intended",
					path, firstDiff(string(want), string(got)))
			}
		})
	}
}

func TestStateMapOptions(t *testing.T) {
	c, err := StateMap(testSpec("state-map", "USD per year"), syntheticStates())
	if err != nil {
		t.Fatal(err)
	}
	o := decode(t, c)
	checks := []struct {
		name      string
		got, want any
	}{
		{"series type", at(t, o, "series", 0, "type"), "map"},
		{"map name", at(t, o, "series", 0, "map"), MapName},
		{"no squash of projected shapes", at(t, o, "series", 0, "aspectScale"), 1.0},
		{"state name", at(t, o, "series", 0, "data", 0, "name"), "Alaska"},
		{"value", at(t, o, "series", 0, "data", 0, "value"), 70000.0},
		{"flagged state is missing, not zero", at(t, o, "series", 0, "data", 1, "value"), "-"},
		{"flag kept", at(t, o, "series", 0, "data", 1, "flag"), "not_available"},
		{"no-data grey", at(t, o, "series", 0, "data", 1, "itemStyle", "areaColor"), noDataColor},
		{"no-data hatch", at(t, o, "series", 0, "data", 1, "itemStyle", "decal", "symbol"), "rect"},
		{"unflagged missing state is missing too", at(t, o, "series", 0, "data", 4, "value"), "-"},
		{"coloured state has no no-data style", at(t, o, "series", 0, "data", 2, "itemStyle"), nil},
		{"scale min", at(t, o, "visualMap", 0, "min"), 50000.0},
		{"scale max", at(t, o, "visualMap", 0, "max"), 80000.0},
		{"legend text colour", at(t, o, "visualMap", 0, "textStyle", "color"), textColor},
		{"no-data legend", at(t, o, "graphic", 0, "children", 4, "style", "text"), "No data"},
		{"title", at(t, o, "title", 0, "text"), c.Title},
		{"subtitle", at(t, o, "title", 0, "subtext"), c.Subtitle},
		{"source line", at(t, o, "title", 1, "text"), c.Source},
		{"tooltip per state", at(t, o, "tooltip", "trigger"), "item"},
		{"png", at(t, o, "toolbox", "feature", "saveAsImage", "type"), "png"},
		{"aria", at(t, o, "aria", "enabled"), true},
		{"animation", at(t, o, "animation"), false},
	}
	for _, ch := range checks {
		if ch.got != ch.want {
			t.Errorf("%s = %#v, want %#v", ch.name, ch.got, ch.want)
		}
	}
	if _, ok := o["xAxis"]; ok {
		t.Error("a map has no axes")
	}
	if c.ValueFormat != FormatUSD || c.MinHeightPx < mapMinHeightPx {
		t.Errorf("ValueFormat %q, MinHeightPx %d", c.ValueFormat, c.MinHeightPx)
	}
	if strings.Join(c.Flags, ",") != "not_available,secondary" {
		t.Errorf("Flags = %v", c.Flags)
	}
}

// The "No data" swatch is shown only when some state has no figure.
func TestStateMapNoDataLegendOnlyWhenNeeded(t *testing.T) {
	c, err := StateMap(testSpec("state-map", "ratio"), []StateValue{{Name: "Ohio", Value: num(1)}, {Name: "Iowa", Value: num(2)}})
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := decode(t, c)["graphic"]; ok {
		t.Error("every state has a figure, yet the legend has a No data swatch")
	}
}

func TestStateMapRejectsBadInput(t *testing.T) {
	spec := testSpec("state-map", "USD per year")
	cases := map[string][]StateValue{
		"no states":        nil,
		"no figure at all": {{Name: "Ohio"}, {Name: "Iowa", Flag: "not_available"}},
		"unnamed state":    {{Name: "", Value: num(1)}},
		"duplicate state":  {{Name: "Ohio", Value: num(1)}, {Name: "Ohio", Value: num(2)}},
		"NaN":              {{Name: "Ohio", Value: num(math.NaN())}},
	}
	for name, states := range cases {
		if _, err := StateMap(spec, states); !errors.Is(err, ErrBadInput) {
			t.Errorf("%s: err = %v, want ErrBadInput", name, err)
		}
	}
	if _, err := StateMap(Spec{ID: "x", Title: "t"}, syntheticStates()); !errors.Is(err, ErrBadInput) {
		t.Errorf("spec without subtitle, unit and source: err = %v", err)
	}
}

func TestStateMapHostileNamesStayInert(t *testing.T) {
	evil := `</script><script>alert(1)</script>`
	spec := testSpec("state-map", "percent")
	spec.Title = evil
	c, err := StateMap(spec, []StateValue{{Name: evil, Value: num(1)}, {Name: "__f__function(){}__f__", Value: num(2)}})
	if err != nil {
		t.Fatal(err)
	}
	raw, err := c.OptionsJSON()
	if err != nil {
		t.Fatal(err)
	}
	for _, bad := range []string{"</script>", "<", ">"} {
		if bytes.Contains(raw, []byte(bad)) {
			t.Errorf("OptionsJSON contains %q unescaped", bad)
		}
	}
	if got := at(t, decode(t, c), "series", 0, "data", 0, "name"); got != evil {
		t.Errorf("name = %q", got)
	}
}
