package charts

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// All figures in these tests are synthetic test data, not BLS figures.

var distributionPercentiles = []string{"10th", "25th", "Median", "75th", "90th"}

func distributionCases() []chartCase {
	return []chartCase{
		{"distribution", func() (Chart, error) {
			return Distribution(testSpec("wage-distribution", "USD per year"), distributionPercentiles, []Series{
				{Name: "Period 1", Points: []Point{{Value: num(100)}, {Value: num(150)}, {Value: num(200)}, {Value: num(250)}, {Value: num(300)}}},
				{Name: "Period 2", Points: []Point{
					{Value: num(110)}, {Value: nil, Flag: "not_available"}, {Value: num(210)}, {}, {Value: num(400), Flag: "top_coded"},
				}},
			})
		}},
		{"distribution_one_period", func() (Chart, error) {
			return Distribution(testSpec("wage-distribution-one", "USD per year"), distributionPercentiles, []Series{
				{Name: "Period 1", Points: []Point{{Value: num(100), Flag: "secondary"}, {}, {Value: num(200)}, {}, {Value: num(300)}}},
			})
		}},
	}
}

func TestDistributionGolden(t *testing.T) {
	for _, tc := range distributionCases() {
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
				t.Errorf("%s differs: %s", path, firstDiff(string(want), string(got)))
			}
		})
	}
}

// A missing percentile is ECharts' "-", never 0; a top-coded one keeps its
// cap, is outlined and labelled; other points carry no label.
func TestDistributionMarksMissingAndTopCoded(t *testing.T) {
	c, err := distributionCases()[0].build()
	if err != nil {
		t.Fatal(err)
	}
	o := decode(t, c)
	checks := []struct {
		name      string
		got, want any
	}{
		{"flagged missing", at(t, o, "series", 1, "data", 1, "value"), "-"},
		{"flag kept", at(t, o, "series", 1, "data", 1, "flag"), "not_available"},
		{"absent", at(t, o, "series", 1, "data", 3, "value"), "-"},
		{"top-coded value is the cap", at(t, o, "series", 1, "data", 4, "value"), 400.0},
		{"top-coded outline", at(t, o, "series", 1, "data", 4, "itemStyle", "borderType"), "dashed"},
		{"top-coded label", at(t, o, "series", 1, "data", 4, "label", "formatter"), "top-coded"},
		{"plain point unlabelled", at(t, o, "series", 0, "data", 4, "label"), nil},
		{"value axis unit", at(t, o, "yAxis", 0, "name"), "USD per year"},
		{"category axis", at(t, o, "xAxis", 0, "data", 2), "Median"},
		{"a percentile with a figure in one period only", at(t, o, "xAxis", 0, "data", 1), "25th"},
		{"legend for two periods", at(t, o, "legend", "show"), true},
		{"every percentile labelled", at(t, o, "xAxis", 0, "axisLabel", "interval"), 0.0},
	}
	for _, ch := range checks {
		if ch.got != ch.want {
			t.Errorf("%s = %v, want %v", ch.name, ch.got, ch.want)
		}
	}
	if !strings.Contains(at(t, o, "aria", "label", "description").(string), "top-coded") {
		t.Error("the aria description does not mention the top-coded column")
	}
	if c.ValueFormat != FormatUSD || len(c.Flags) != 2 {
		t.Errorf("ValueFormat %q, Flags %v", c.ValueFormat, c.Flags)
	}
}

// A percentile no period has a figure for says so on the axis.
func TestDistributionLabelsEmptyPercentiles(t *testing.T) {
	c, err := distributionCases()[1].build()
	if err != nil {
		t.Fatal(err)
	}
	o := decode(t, c)
	for i, want := range []string{"10th", "25th\n(no figure)", "Median", "75th\n(no figure)", "90th"} {
		if got := at(t, o, "xAxis", 0, "data", i); got != want {
			t.Errorf("axis label %d = %q, want %q", i, got, want)
		}
	}
}

func TestDistributionRefusesBadInput(t *testing.T) {
	_, err := Distribution(testSpec("d", "USD per year"), []string{"10th", "10th"},
		[]Series{{Name: "P", Points: []Point{{}, {}}}})
	if !errors.Is(err, ErrBadInput) {
		t.Errorf("duplicate percentiles: %v", err)
	}
	_, err = Distribution(testSpec("d", "USD per year"), distributionPercentiles, []Series{{Name: "P"}})
	if !errors.Is(err, ErrBadInput) {
		t.Errorf("points not aligned: %v", err)
	}
}
