package charts

import (
	"cmp"
	"fmt"
	"math"
	"slices"

	"github.com/go-echarts/go-echarts/v2/charts"
	"github.com/go-echarts/go-echarts/v2/opts"
)

// rankingRowPx fits ~55 places (states, DC, territories) in a scrolling page.
const rankingRowPx = 22

// Reference is a figure drawn as a dashed line across a ranking, such as
// the national figure beside the states': its label says what and how much.
type Reference struct {
	Label string
	Value float64
}

// Ranking charts one measure across places (e.g. states' mean annual wage)
// as horizontal bars, highest first. Places come from Point.Category. Places
// with no figure go last, in input order, with "-" as their value: listed so
// the reader sees they were not forgotten, but not drawn. Equal values keep
// their input order. Chart.MinHeightPx grows by rankingRowPx per place.
//
// Each reference is a dashed vertical line at its value, named by its label
// (through the "{b}" template, so no text from data is read as one).
func Ranking(spec Spec, series Series, refs ...Reference) (Chart, error) {
	places := make([]string, len(series.Points))
	for i, p := range series.Points {
		places[i] = p.Category
	}
	if series.Name == "" {
		series.Name = spec.Title // one series, no legend: the title names it
	}
	err := checkInput(spec, places, []Series{series})
	for _, r := range refs {
		if err == nil && (r.Label == "" || math.IsNaN(r.Value) || math.IsInf(r.Value, 0)) {
			err = fmt.Errorf("%w: reference %q at %v", ErrBadInput, r.Label, r.Value)
		}
	}
	if err != nil {
		return Chart{}, fmt.Errorf("charts %q: ranking: %w", spec.ID, err)
	}

	ranked := Series{Name: series.Name, Points: slices.Clone(series.Points)}
	slices.SortStableFunc(ranked.Points, byValueDescending)
	for i, p := range ranked.Points {
		places[i] = p.Category
	}
	l := layout{horizontal: true, allCategoryLabels: true}

	bar := charts.NewBar()
	bar.SetGlobalOptions(globalOpts(spec, l, ariaDescription(spec, "Ranked bar chart", []Series{ranked}, ""))...)
	bar.SetGlobalOptions(
		charts.WithXAxisOpts(valueXAxis(spec.Unit)),
		// Rows are too tight to wrap; place names rarely need cutting.
		charts.WithYAxisOpts(categoryYAxis("truncate")),
	)
	bar.SetXAxis(places).XYReversal()
	var lines []charts.SeriesOpts
	for _, r := range refs {
		lines = append(lines, charts.WithMarkLineNameXAxisItemOpts(opts.MarkLineNameXAxisItem{Name: r.Label, XAxis: r.Value}))
	}
	if len(refs) > 0 {
		lines = append(lines, charts.WithMarkLineStyleOpts(opts.MarkLineStyle{
			Symbol:    []string{"none", "none"},
			Label:     &opts.Label{Show: opts.Bool(true), Formatter: "{b}", Position: "start", Color: textColor},
			LineStyle: &opts.LineStyle{Type: "dashed", Color: textColor, Width: 1.5},
		}))
	}
	bar.AddSeries(ranked.Name, barItems(ranked.Points), lines...)
	bar.Validate()

	return finish(spec, bar.JSON(), l, []Series{ranked}, horizontalHeight(l, len(places), rankingRowPx))
}

// byValueDescending orders points highest first, with no-figure points last.
func byValueDescending(a, b Point) int {
	switch {
	case a.Value == nil && b.Value == nil:
		return 0
	case a.Value == nil:
		return 1
	case b.Value == nil:
		return -1
	}
	return cmp.Compare(*b.Value, *a.Value)
}
