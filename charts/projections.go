package charts

import (
	"fmt"

	"github.com/go-echarts/go-echarts/v2/charts"
)

// Projections charts projected growth by projection edition ("2010-20" …
// "2024-34") as grouped vertical bars, one series per occupation, so that
// revisions between editions show side by side.
func Projections(spec Spec, editions []string, series []Series) (Chart, error) {
	if err := checkInput(spec, editions, series); err != nil {
		return Chart{}, fmt.Errorf("charts %q: projections: %w", spec.ID, err)
	}
	// Every edition is labelled; past six they are tilted so that labels
	// like "2024-34" still fit side by side on a phone.
	l := layout{legend: len(series) > 1, allCategoryLabels: true}
	rotate := 0.0
	if len(editions) > 6 {
		rotate = 45
	}

	bar := charts.NewBar()
	bar.SetGlobalOptions(globalOpts(spec, l, ariaDescription(spec, "Column chart", series, ""))...)
	bar.SetGlobalOptions(
		charts.WithXAxisOpts(categoryXAxis(rotate)),
		charts.WithYAxisOpts(valueYAxis(spec.Unit)),
	)
	bar.SetXAxis(editions)
	for _, s := range series {
		bar.AddSeries(s.Name, barItems(s.Points))
	}
	bar.Validate()

	return finish(spec, bar.JSON(), l, series, 0)
}
