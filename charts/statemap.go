package charts

import (
	"fmt"
	"math"
	"slices"

	"github.com/go-echarts/go-echarts/v2/charts"
	"github.com/go-echarts/go-echarts/v2/opts"
)

// MapName is the name under which app.js registers the U.S. state shapes
// (us-atlas states-albers-10m.json, served by our binary) with ECharts. The
// shapes are already projected (Albers, Alaska and Hawaii inset); app.js
// flips their y axis, which points down, so ECharts draws them upright.
const MapName = "usa-albers"

// StateValue is one state's figure on the map. Name is the state's name as
// the map's shapes spell it ("District of Columbia"); Value nil means no
// figure, drawn as "no data", never as zero; Flag is as in Point.
type StateValue struct {
	Name  string
	Value *float64
	Flag  string
}

// Map colours. The scale is ColorBrewer's single-hue "Blues", which every
// common colour-vision deficiency reads as light to dark. "No data" is a
// neutral grey with a hatch, so it differs from the lightest blue by pattern
// as well as by hue.
const (
	noDataColor  = "#c8c8c8"
	noDataHatch  = "#8a8a8a"
	borderColor  = "#ffffff"
	emphasisFill = "#E69F00" // Okabe-Ito orange: a hovered state stands out from the blue scale
)

func mapScale() []string {
	return []string{"#deebf7", "#9ecae1", "#4292c6", "#08519c", "#08306b"}
}

// Vertical layout of the map chart, in pixels: the title block above, one
// legend row and the source line below. app.js reads the series' top and
// bottom to size the chart to the map's aspect ratio at any width.
const (
	mapTopPx       = titleBlockPx + 8
	mapLegendRowPx = 32
	mapBottomPx    = mapLegendRowPx + sourceLinePx + 4
	mapSidePx      = 8 // app.js keeps as much room either side of the map
	// mapLegendLeftPx leaves room at the left of the legend row for the
	// "No data" swatch drawn by noDataLegend.
	mapLegendLeftPx = 84
	// mapMinHeightPx is the height before app.js fits the element to the
	// map's aspect at its width (about 320px on a 375px phone).
	mapMinHeightPx = 320
)

// StateMap draws one measure across U.S. states as a choropleth on the map
// app.js registers as MapName: a continuous colour scale from the lowest to
// the highest figure, states with no figure grey and hatched. Every state
// the map should colour must be given, with a nil Value when it has no
// figure, so no state is left to ECharts' defaults. The legend's end labels
// are left empty: app.js fills them with the page's named number format.
func StateMap(spec Spec, states []StateValue) (Chart, error) {
	names := make([]string, len(states))
	series := Series{Name: spec.Title, Points: make([]Point, len(states))}
	for i, s := range states {
		names[i] = s.Name
		series.Points[i] = Point{Category: s.Name, Value: s.Value, Flag: s.Flag}
	}
	if err := checkInput(spec, names, []Series{series}); err != nil {
		return Chart{}, fmt.Errorf("charts %q: state map: %w", spec.ID, err)
	}
	low, high, ok := valueRange(series.Points)
	if !ok {
		return Chart{}, fmt.Errorf("charts %q: state map: %w: no state has a figure", spec.ID, ErrBadInput)
	}

	m := charts.NewMap()
	m.RegisterMapType(MapName)
	m.SetGlobalOptions(mapGlobalOpts(spec)...)
	m.AddSeries(series.Name, mapItems(series.Points))
	m.Validate()

	options, err := plainJSON(m.JSON())
	if err != nil {
		return Chart{}, fmt.Errorf("charts %s: normalise options: %w", spec.ID, err)
	}
	completeMapOptions(options, spec, low, high, slices.ContainsFunc(series.Points, func(p Point) bool { return p.Value == nil }))
	if err := annotateFlags(options, []Series{series}); err != nil {
		return Chart{}, fmt.Errorf("charts %s: %w", spec.ID, err)
	}
	return Chart{
		Spec:        spec,
		Options:     options,
		MinHeightPx: mapMinHeightPx,
		ValueFormat: valueFormat(spec.Unit),
		Flags:       flagsOf([]Series{series}),
	}, nil
}

// mapGlobalOpts are the options go-echarts has types for. Unlike the other
// charts the tooltip is per state, and there is no decal palette: ECharts
// would give every state its own pattern.
func mapGlobalOpts(spec Spec) []charts.GlobalOpts {
	return []charts.GlobalOpts{
		charts.WithInitializationOpts(opts.Initialization{ChartID: spec.ID, BackgroundColor: background}),
		charts.WithTitleOpts(opts.Title{
			Title:         spec.Title,
			Subtitle:      spec.Subtitle,
			Left:          "left",
			TitleStyle:    &opts.TextStyle{Color: titleColor, FontSize: 16, FontWeight: "bold"},
			SubtitleStyle: &opts.TextStyle{Color: textColor, FontSize: 12},
		}),
		charts.WithTooltipOpts(opts.Tooltip{Show: opts.Bool(true), Trigger: "item"}),
		charts.WithLegendOpts(opts.Legend{Show: opts.Bool(false)}),
		charts.WithToolboxOpts(opts.Toolbox{
			Show: opts.Bool(true), Right: "8", Top: "0",
			Feature: &opts.ToolBoxFeature{SaveAsImage: &opts.ToolBoxFeatureSaveAsImage{
				Show: opts.Bool(true), Type: "png", Name: spec.ID, Title: "Save as PNG",
			}},
		}),
		charts.WithAriaOpts(&opts.Aria{
			Enabled: opts.Bool(true),
			Label: &opts.AriaLabel{Enabled: opts.Bool(true), Description: fmt.Sprintf(
				"Map of the United States coloured by %s (%s), %s. States with no figure are grey. %s. The table with this map lists every figure.",
				spec.Title, spec.Unit, spec.Subtitle, spec.Source)},
		}),
		charts.WithAnimation(false),
	}
}

// mapItems are the states as map data: "-" (ECharts' missing value) and the
// no-data style for a state without a figure.
func mapItems(points []Point) []opts.MapData {
	items := make([]opts.MapData, len(points))
	for i, p := range points {
		items[i] = opts.MapData{Name: p.Category, Value: itemValue(p)}
	}
	return items
}

// completeMapOptions adds what go-echarts has no typed field for: the source
// line, the series' layout and styles, the colour scale and its legend, with
// a "No data" swatch when some state is missing.
func completeMapOptions(options map[string]any, spec Spec, low, high float64, missing bool) {
	options["title"] = []any{options["title"], sourceTitle(spec)}
	delete(options, "color") // go-echarts' default palette; the visualMap colours the map

	tooltip := object(options, "tooltip")
	tooltip["confine"] = true
	tooltip["textStyle"] = map[string]any{"color": textColor}

	toolbox := object(options, "toolbox")
	toolbox["iconStyle"] = map[string]any{"borderColor": textColor}
	save := object(object(toolbox, "feature"), "saveAsImage")
	save["pixelRatio"] = 2
	save["backgroundColor"] = background

	series := options["series"].([]any)[0].(map[string]any)
	styleMapSeries(series)

	legendLeft := mapSidePx
	if missing {
		legendLeft = mapLegendLeftPx
	}
	options["visualMap"] = []any{map[string]any{
		"type":        "continuous",
		"seriesIndex": 0,
		"min":         low,
		"max":         high,
		"calculable":  false,
		"orient":      "horizontal",
		"left":        legendLeft,
		"bottom":      sourceLinePx + 6,
		"itemWidth":   12,
		"itemHeight":  120,
		"text":        []any{"", ""}, // [high, low], formatted by app.js
		"textStyle":   map[string]any{"color": textColor, "fontSize": 12},
		"inRange":     map[string]any{"color": toAny(mapScale())},
	}}
	if missing {
		options["graphic"] = []any{noDataLegend()}
	}
}

// styleMapSeries places the map between the title and the legend row, keeps
// it still (no zoom or pan to get lost in) and styles states with no figure.
func styleMapSeries(series map[string]any) {
	series["aspectScale"] = 1 // the shapes are already projected
	series["roam"] = false
	series["selectedMode"] = false
	series["showLegendSymbol"] = false // no dot in every state
	// Top and bottom fix the map's height and ECharts keeps its aspect,
	// centred; left and right as well would stretch it to the full width.
	series["top"] = mapTopPx
	series["bottom"] = mapBottomPx
	series["left"] = "center"
	series["label"] = map[string]any{"show": false}
	series["itemStyle"] = map[string]any{"areaColor": noDataColor, "borderColor": borderColor, "borderWidth": 0.5}
	series["emphasis"] = map[string]any{
		"label":     map[string]any{"show": true, "color": titleColor, "fontSize": 12},
		"itemStyle": map[string]any{"areaColor": emphasisFill},
	}
	for _, d := range series["data"].([]any) {
		item := d.(map[string]any)
		if item["value"] == "-" {
			item["itemStyle"] = noDataStyle()
		}
	}
}

// noDataStyle is grey with a diagonal hatch.
func noDataStyle() map[string]any {
	return map[string]any{
		"areaColor": noDataColor,
		"decal": map[string]any{
			"symbol":     "rect", // dashes of rectangles, which dashArrayX joins into lines
			"color":      noDataHatch,
			"dashArrayX": []any{1, 0},
			"dashArrayY": []any{1, noDataHatchGapPx},
			"rotation":   -math.Pi / 4,
		},
	}
}

// noDataHatchGapPx is the space between the hatch lines of "no data".
const noDataHatchGapPx = 4

// noDataLegend is the "No data" swatch at the left of the legend row, drawn
// in the canvas so a saved PNG carries it: grey with the same hatch, drawn
// as lines because a graphic element cannot take a decal from JSON. Its
// bottom sits a little higher than the scale's, whose box includes room for
// the hover pointer, so the two rows of text line up.
func noDataLegend() map[string]any {
	hatch := func(x1, y1, x2, y2 int) map[string]any {
		return map[string]any{
			"type":  "line",
			"shape": map[string]any{"x1": x1, "y1": y1, "x2": x2, "y2": y2},
			"style": map[string]any{"stroke": noDataHatch, "lineWidth": 1},
		}
	}
	return map[string]any{
		"type":   "group",
		"left":   mapSidePx,
		"bottom": sourceLinePx + 8,
		"children": []any{
			map[string]any{
				"type":  "rect",
				"shape": map[string]any{"x": 0, "y": 0, "width": 14, "height": 12},
				"style": map[string]any{"fill": noDataColor, "stroke": noDataHatch, "lineWidth": 1},
			},
			hatch(0, 6, 6, 0), hatch(0, 12, 12, 0), hatch(6, 12, 14, 4),
			map[string]any{
				"type": "text",
				"x":    20,
				"y":    6, // the middle of the swatch, as the scale's labels sit on its bar
				"style": map[string]any{
					"text": "No data", "fill": textColor, "fontSize": 12, "verticalAlign": "middle",
				},
			},
		},
	}
}

// sourceTitle is the source line at the bottom, as on every chart.
func sourceTitle(spec Spec) map[string]any {
	return map[string]any{
		"text":      spec.Source,
		"left":      "left",
		"bottom":    "4",
		"textStyle": map[string]any{"color": textColor, "fontSize": 11, "fontWeight": "normal"},
	}
}

// valueRange is the lowest and highest figure; ok is false when no point
// has one. A single figure gets a range around it, so the scale is valid.
func valueRange(points []Point) (low, high float64, ok bool) {
	for _, p := range points {
		if p.Value == nil {
			continue
		}
		if !ok || *p.Value < low {
			low = *p.Value
		}
		if !ok || *p.Value > high {
			high = *p.Value
		}
		ok = true
	}
	if ok && low == high {
		low, high = low-math.Max(1, math.Abs(low)*0.05), high+math.Max(1, math.Abs(high)*0.05)
	}
	return low, high, ok
}

func toAny(ss []string) []any {
	out := make([]any, len(ss))
	for i, s := range ss {
		out[i] = s
	}
	return out
}
