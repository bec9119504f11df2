package charts

import (
	"cmp"
	"fmt"
	"slices"

	"github.com/go-echarts/go-echarts/v2/charts"
)

// rankingRowPx fits ~55 places (states, DC, territories) in a scrolling page.
const rankingRowPx = 22

// Ranking charts one measure across places (e.g. states' mean annual wage)
// as horizontal bars, highest first. Places come from Point.Category. Places
// with no figure go last, in input order, with "-" as their value: listed so
// the reader sees they were not forgotten, but not drawn. Equal values keep
// their input order. Chart.MinHeightPx grows by rankingRowPx per place.
func Ranking(spec Spec, series Series) (Chart, error) {
	places := make([]string, len(series.Points))
	for i, p := range series.Points {
		places[i] = p.Category
	}
	if series.Name == "" {
		series.Name = spec.Title // one series, no legend: the title names it
	}
	if err := checkInput(spec, places, []Series{series}); err != nil {
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
	bar.AddSeries(ranked.Name, barItems(ranked.Points))
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
