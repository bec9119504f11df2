package charts

import (
	"fmt"

	"github.com/go-echarts/go-echarts/v2/charts"
)

// flagTopCoded is the Point flag of a figure at or above the published cap.
const flagTopCoded = "top_coded"

// Distribution charts a wage distribution as grouped columns: one group per
// percentile in the order given ("10th", "25th", "Median", "75th", "90th"),
// one column per series (a period), so the shape of the distribution reads
// left to right and periods compare within each group. A missing percentile
// is a gap, never a zero column. A top-coded point is drawn at its cap with
// a dashed outline and a "top-coded" label, because BLS publishes only that
// the wage is at or above the cap: a plain column would claim a figure.
// A percentile no series has a figure for is labelled "(no figure)" on the
// axis, so its empty slot does not read as a wage of zero.
func Distribution(spec Spec, percentiles []string, series []Series) (Chart, error) {
	if err := checkInput(spec, percentiles, series); err != nil {
		return Chart{}, fmt.Errorf("charts %q: distribution: %w", spec.ID, err)
	}
	l := layout{legend: len(series) > 1, allCategoryLabels: true}

	bar := charts.NewBar()
	bar.SetGlobalOptions(globalOpts(spec, l, ariaDescription(spec, "Column chart", series, topCodedNote(series)))...)
	bar.SetGlobalOptions(
		charts.WithXAxisOpts(categoryXAxis(0)),
		charts.WithYAxisOpts(valueYAxis(spec.Unit)),
	)
	bar.SetXAxis(axisLabels(percentiles, series))
	for _, s := range series {
		bar.AddSeries(s.Name, barItems(s.Points))
	}
	bar.Validate()

	c, err := finish(spec, bar.JSON(), l, series, 0)
	if err != nil {
		return Chart{}, err
	}
	markTopCoded(c.Options, series)
	return c, nil
}

// markTopCoded styles top-coded items. go-echarts' ItemStyle has no
// borderType, so the style is added to the plain options; the label is a
// fixed string, never a template holding data.
func markTopCoded(options map[string]any, series []Series) {
	out, _ := options["series"].([]any)
	for i, s := range series {
		items, _ := out[i].(map[string]any)["data"].([]any)
		for j, p := range s.Points {
			if p.Flag != flagTopCoded || p.Value == nil {
				continue
			}
			item := items[j].(map[string]any)
			item["itemStyle"] = map[string]any{
				"opacity": 0.55, "borderColor": textColor, "borderWidth": 2, "borderType": "dashed",
			}
			item["label"] = map[string]any{
				"show": true, "position": "top", "formatter": "top-coded", "color": textColor, "fontSize": 11,
			}
		}
	}
}

// topCodedNote tells screen-reader users which columns are only a floor.
func topCodedNote(series []Series) string {
	for _, s := range series {
		for _, p := range s.Points {
			if p.Flag == flagTopCoded {
				return "Columns labelled top-coded show the cap: the wage is at or above it."
			}
		}
	}
	return ""
}

// axisLabels marks the percentiles that have no figure in any series.
func axisLabels(percentiles []string, series []Series) []string {
	labels := make([]string, len(percentiles))
	for i, p := range percentiles {
		labels[i] = p + "\n(no figure)"
		for _, s := range series {
			if s.Points[i].Value != nil {
				labels[i] = p
				break
			}
		}
	}
	return labels
}
