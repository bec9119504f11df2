package charts

import (
	"encoding/json"
	"fmt"
	"slices"
	"strings"

	"github.com/go-echarts/go-echarts/v2/opts"
)

// barItems turns points into go-echarts bar data. A nil Value becomes "-",
// ECharts' missing value: drawn as nothing, never as a zero-length bar.
func barItems(points []Point) []opts.BarData {
	items := make([]opts.BarData, len(points))
	for i, p := range points {
		items[i] = opts.BarData{Value: itemValue(p)}
	}
	return items
}

// lineItems is barItems for lines; with connectNulls false a "-" is a gap.
func lineItems(points []Point) []opts.LineData {
	items := make([]opts.LineData, len(points))
	for i, p := range points {
		items[i] = opts.LineData{Value: itemValue(p)}
	}
	return items
}

func itemValue(p Point) any {
	if p.Value == nil {
		return "-"
	}
	return *p.Value
}

// finish turns the JSON of a validated go-echarts chart into a Chart. series
// must be in the order the chart's series and points were added.
func finish(spec Spec, raw map[string]any, l layout, series []Series, minHeightPx int) (Chart, error) {
	options, err := plainJSON(raw)
	if err != nil {
		return Chart{}, fmt.Errorf("charts %s: normalise options: %w", spec.ID, err)
	}
	completeOptions(options, spec, l)
	if err := annotateFlags(options, series); err != nil {
		return Chart{}, fmt.Errorf("charts %s: %w", spec.ID, err)
	}
	return Chart{
		Spec:        spec,
		Options:     options,
		MinHeightPx: max(minHeightPx, verticalChartPx),
		ValueFormat: valueFormat(spec.Unit),
		Flags:       flagsOf(series),
	}, nil
}

// plainJSON round-trips go-echarts' map of typed structs through
// encoding/json, so Options holds only plain JSON values: the options
// go-echarts has no type for can then be added by key, and tests can read
// them. Nulls are dropped: go-echarts writes some unset fields as null
// (axisLabel.showMinLabel), which ECharts treats as unset anyway.
func plainJSON(raw map[string]any) (map[string]any, error) {
	b, err := json.Marshal(raw)
	if err != nil {
		return nil, err
	}
	var options map[string]any
	if err := json.Unmarshal(b, &options); err != nil {
		return nil, err
	}
	dropNulls(options)
	return options, nil
}

func dropNulls(v any) {
	switch v := v.(type) {
	case map[string]any:
		for k, e := range v {
			if e == nil {
				delete(v, k)
				continue
			}
			dropNulls(e)
		}
	case []any:
		for _, e := range v {
			dropNulls(e)
		}
	}
}

// completeOptions adds what go-echarts v2.6.7 has no typed field for.
func completeOptions(options map[string]any, spec Spec, l layout) {
	// A second title component carries the source at the bottom, so a saved
	// PNG shows it; ECharts' aria description reads title[0].
	options["title"] = []any{options["title"], map[string]any{
		"text":      spec.Source,
		"left":      "left",
		"bottom":    "4",
		"textStyle": map[string]any{"color": textColor, "fontSize": 11, "fontWeight": "normal"},
	}}

	tooltip := object(options, "tooltip")
	tooltip["confine"] = true // keep the tooltip on a phone screen
	tooltip["textStyle"] = map[string]any{"color": textColor}

	toolbox := object(options, "toolbox")
	toolbox["iconStyle"] = map[string]any{"borderColor": textColor}
	save := object(object(toolbox, "feature"), "saveAsImage")
	save["pixelRatio"] = 2
	save["backgroundColor"] = background

	valueAxis, categoryAxis := "yAxis", "xAxis"
	if l.horizontal {
		valueAxis, categoryAxis = "xAxis", "yAxis"
	}
	nameStyle := map[string]any{"color": textColor, "fontSize": 12}
	if !l.horizontal {
		// The unit sits above the y axis; left-aligned it runs into the plot
		// instead of off the left edge of a narrow screen.
		nameStyle["align"] = "left"
	}
	firstAxis(options, valueAxis)["nameTextStyle"] = nameStyle
	if l.horizontal {
		// Wrapped industry names need a tighter line than ECharts' default to
		// fit three lines in a row; a number, as zrender multiplies it.
		object(firstAxis(options, categoryAxis), "axisLabel")["lineHeight"] = 14
	}
	if l.allCategoryLabels {
		// A number, not go-echarts' string "0": ECharts computes the label
		// step as interval+1, which a string would turn into concatenation.
		object(firstAxis(options, categoryAxis), "axisLabel")["interval"] = 0
	}
}

// object returns m[key] as an object, creating it when absent.
func object(m map[string]any, key string) map[string]any {
	if o, ok := m[key].(map[string]any); ok {
		return o
	}
	o := map[string]any{}
	m[key] = o
	return o
}

// firstAxis returns the first axis of options[key] ("xAxis" or "yAxis"),
// which go-echarts always writes as a one-element array here.
func firstAxis(options map[string]any, key string) map[string]any {
	axes, _ := options[key].([]any)
	if len(axes) == 0 {
		axes = []any{map[string]any{}}
		options[key] = axes
	}
	axis, ok := axes[0].(map[string]any)
	if !ok {
		axis = map[string]any{}
		axes[0] = axis
	}
	return axis
}

// annotateFlags copies each point's Flag onto its data item as "flag".
func annotateFlags(options map[string]any, series []Series) error {
	out, _ := options["series"].([]any)
	if len(out) != len(series) {
		return fmt.Errorf("options have %d series, input %d", len(out), len(series))
	}
	for i, s := range series {
		data, _ := out[i].(map[string]any)["data"].([]any)
		if len(data) != len(s.Points) {
			return fmt.Errorf("series %q: options have %d points, input %d", s.Name, len(data), len(s.Points))
		}
		for j, p := range s.Points {
			item, ok := data[j].(map[string]any)
			if !ok {
				return fmt.Errorf("series %q: data item %d is not an object", s.Name, j)
			}
			if p.Flag != "" {
				item["flag"] = p.Flag
			}
		}
	}
	return nil
}

// valueFormat names the formatter for a unit; see FormatUSD and friends.
func valueFormat(unit string) string {
	switch {
	case strings.HasPrefix(strings.ToUpper(unit), "USD"):
		return FormatUSD
	case strings.Contains(strings.ToLower(unit), "percent"):
		return FormatPercent
	}
	return FormatNumber
}

// flagsOf lists the flags present in series, sorted, once each.
func flagsOf(series []Series) []string {
	var flags []string
	for _, s := range series {
		for _, p := range s.Points {
			if p.Flag != "" && !slices.Contains(flags, p.Flag) {
				flags = append(flags, p.Flag)
			}
		}
	}
	slices.Sort(flags)
	return flags
}
