package charts

import (
	"bytes"
	"encoding/json"
	"testing"
)

// Category and series names come from remote files. Whatever they hold must
// leave OptionsJSON as inert JSON strings: nothing that closes the
// <script type="application/json"> block, and nothing go-echarts' renderer
// would have turned into JavaScript ("__f__…__f__") means anything here.
func TestHostileNamesStayInertStrings(t *testing.T) {
	for _, evil := range []string{
		`</script><script>alert(1)</script>`,
		`__f__function(){alert(1)}__f__`,
		`{b}{a}{c} & "quotes" \ <!-- >`,
	} {
		spec := testSpec("hostile", "percent")
		points := func() []Point { return []Point{{Value: num(1)}, {Value: num(2)}} }
		cats := []string{evil, "Other"}
		series := []Series{{Name: evil, Points: points()}, {Name: "Other series", Points: points()}}
		builds := map[string]func() (Chart, error){
			"WorkSettings": func() (Chart, error) { return WorkSettings(spec, cats, series) },
			"Trend":        func() (Chart, error) { return Trend(spec, testAxis(cats...), series, evil, evil) },
			"Projections":  func() (Chart, error) { return Projections(spec, cats, series) },
			"Ranking": func() (Chart, error) {
				return Ranking(spec, Series{Name: evil, Points: []Point{
					{Category: evil, Value: num(1)}, {Category: "Other", Value: num(2)},
				}})
			},
		}
		for name, build := range builds {
			t.Run(name, func(t *testing.T) {
				c, err := build()
				if err != nil {
					t.Fatal(err)
				}
				raw, err := c.OptionsJSON()
				if err != nil {
					t.Fatal(err)
				}
				for _, bad := range []string{"</script>", "<", ">", "&"} {
					if bytes.Contains(raw, []byte(bad)) {
						t.Errorf("OptionsJSON contains %q unescaped", bad)
					}
				}
				var decoded any
				if err := json.Unmarshal(raw, &decoded); err != nil {
					t.Fatal(err)
				}
				strs := map[string]int{}
				collectStrings(decoded, strs)
				if strs[evil] == 0 {
					t.Fatalf("decoded options do not give back %q exactly", evil)
				}
				o := decoded.(map[string]any)
				categoryAxis := "xAxis"
				if name == "WorkSettings" || name == "Ranking" {
					categoryAxis = "yAxis"
				}
				category := func() any { return at(t, o, categoryAxis, 0, "data", 0) }
				if name == "Trend" { // a time axis: the period names the point
					category = func() any { return at(t, o, "series", 0, "data", 0, "name") }
				}
				if got := category(); got != evil && name != "Ranking" {
					t.Errorf("category = %q, want %q", got, evil)
				}
				if got := at(t, o, "series", 0, "name"); got != evil {
					t.Errorf("series name = %q, want %q", got, evil)
				}
			})
		}
	}
}

func collectStrings(v any, into map[string]int) {
	switch v := v.(type) {
	case string:
		into[v]++
	case map[string]any:
		for k, e := range v {
			into[k]++
			collectStrings(e, into)
		}
	case []any:
		for _, e := range v {
			collectStrings(e, into)
		}
	}
}

func TestHostileIDRejected(t *testing.T) {
	spec := testSpec(`x"><script>alert(1)</script>`, "percent")
	_, err := Projections(spec, []string{"A"}, []Series{{Name: "S", Points: []Point{{Value: num(1)}}}})
	if err == nil {
		t.Error("an id that is not a plain DOM id must be rejected")
	}
}
