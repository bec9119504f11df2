package charts

import (
	"fmt"

	"github.com/go-echarts/go-echarts/v2/charts"
)

// WorkSettings charts the share of an occupation's jobs by industry as
// horizontal grouped bars: one row per industry, top down in the order given,
// one series per year (e.g. "2018", "2020", "2021"). Long industry names wrap
// within categoryLabelPx; the tooltip shows them in full.
func WorkSettings(spec Spec, industries []string, series []Series) (Chart, error) {
	if err := checkInput(spec, industries, series); err != nil {
		return Chart{}, fmt.Errorf("charts %q: work settings: %w", spec.ID, err)
	}
	l := layout{horizontal: true, legend: len(series) > 1, allCategoryLabels: true}

	bar := charts.NewBar()
	bar.SetGlobalOptions(globalOpts(spec, l, ariaDescription(spec, "Bar chart", series, ""))...)
	bar.SetGlobalOptions(
		charts.WithXAxisOpts(valueXAxis(spec.Unit)),
		charts.WithYAxisOpts(categoryYAxis("break")),
	)
	bar.SetXAxis(industries).XYReversal()
	for _, s := range series {
		bar.AddSeries(s.Name, barItems(s.Points))
	}
	bar.Validate()

	return finish(spec, bar.JSON(), l, series, horizontalHeight(l, len(industries), settingsRowPx(len(series))))
}

// settingsRowPx gives each bar of a group about 12px, enough for its decal
// pattern to show, and wrapped two-line labels room to breathe.
func settingsRowPx(seriesCount int) int {
	return max(seriesCount*12+16, 32)
}
