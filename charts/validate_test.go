package charts

import (
	"errors"
	"math"
	"testing"
)

func TestBadInputIsRejected(t *testing.T) {
	spec := testSpec("bad", "percent")
	two := []string{"A", "B"}
	ok := func(name string) Series {
		return Series{Name: name, Points: []Point{{Value: num(1)}, {Value: num(2)}}}
	}
	cases := []struct {
		name  string
		build func() (Chart, error)
	}{
		{"no categories", func() (Chart, error) { return WorkSettings(spec, nil, []Series{{Name: "S"}}) }},
		{"empty category", func() (Chart, error) { return Projections(spec, []string{"A", ""}, []Series{ok("S")}) }},
		{"duplicate categories", func() (Chart, error) { return WorkSettings(spec, []string{"A", "A"}, []Series{ok("S")}) }},
		{"too few points", func() (Chart, error) {
			return Projections(spec, two, []Series{{Name: "S", Points: []Point{{Value: num(1)}}}})
		}},
		{"too many points", func() (Chart, error) {
			return WorkSettings(spec, []string{"A"}, []Series{ok("S")})
		}},
		{"point for another category", func() (Chart, error) {
			return Projections(spec, two, []Series{{Name: "S", Points: []Point{{Category: "B"}, {Category: "A"}}}})
		}},
		{"NaN", func() (Chart, error) {
			return WorkSettings(spec, two, []Series{{Name: "S", Points: []Point{{Value: num(math.NaN())}, {}}}})
		}},
		{"infinity", func() (Chart, error) {
			return Trend(spec, testAxis(two...), []Series{{Name: "S", Points: []Point{{}, {Value: num(math.Inf(1))}}}}, "", "")
		}},
		{"no series", func() (Chart, error) { return Projections(spec, two, nil) }},
		{"unnamed series", func() (Chart, error) { return WorkSettings(spec, two, []Series{ok("")}) }},
		{"duplicate series", func() (Chart, error) { return Trend(spec, testAxis(two...), []Series{ok("S"), ok("S")}, "", "") }},
		{"break not a period", func() (Chart, error) { return Trend(spec, testAxis(two...), []Series{ok("S")}, "C", "break") }},
		{"break without label", func() (Chart, error) { return Trend(spec, testAxis(two...), []Series{ok("S")}, "B", "") }},
		{"dates not increasing", func() (Chart, error) {
			return Trend(spec, TimeAxis{Labels: two, Dates: []string{"2014-05-01", "2010-05-01"}}, []Series{ok("S")}, "", "")
		}},
		{"date not a date", func() (Chart, error) {
			return Trend(spec, TimeAxis{Labels: two, Dates: []string{"May 2014", "2015-05-01"}}, []Series{ok("S")}, "", "")
		}},
		{"a date missing", func() (Chart, error) {
			return Trend(spec, TimeAxis{Labels: two, Dates: []string{"2014-05-01"}}, []Series{ok("S")}, "", "")
		}},
		{"ranking without places", func() (Chart, error) { return Ranking(spec, Series{Name: "S"}) }},
		{"ranking duplicate place", func() (Chart, error) {
			return Ranking(spec, Series{Points: []Point{{Category: "A", Value: num(1)}, {Category: "A", Value: num(2)}}})
		}},
		{"ranking unnamed place", func() (Chart, error) {
			return Ranking(spec, Series{Points: []Point{{Category: "", Value: num(1)}}})
		}},
		{"no id", func() (Chart, error) {
			s := spec
			s.ID = ""
			return Projections(s, two, []Series{ok("S")})
		}},
		{"id with a space", func() (Chart, error) {
			s := spec
			s.ID = "wage trend"
			return Projections(s, two, []Series{ok("S")})
		}},
		{"no title", func() (Chart, error) {
			s := spec
			s.Title = ""
			return Projections(s, two, []Series{ok("S")})
		}},
		{"no period", func() (Chart, error) {
			s := spec
			s.Subtitle = ""
			return Projections(s, two, []Series{ok("S")})
		}},
		{"no unit", func() (Chart, error) {
			s := spec
			s.Unit = ""
			return Projections(s, two, []Series{ok("S")})
		}},
		{"no source", func() (Chart, error) {
			s := spec
			s.Source = ""
			return Ranking(s, Series{Points: []Point{{Category: "A", Value: num(1)}}})
		}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			c, err := tc.build()
			if err == nil {
				t.Fatalf("no error; options %v", c.Options)
			}
			if !errors.Is(err, ErrBadInput) {
				t.Errorf("error %v does not wrap ErrBadInput", err)
			}
		})
	}
}
