// Package charts turns plain figures into ECharts options for labdash's pages.
//
// Every function is pure: data in, a Chart out, no HTTP and no SQL. Charts are
// built with go-echarts types, validated, and taken as JSON with chart.JSON();
// they are never rendered by go-echarts, whose Render/RenderSnippet put options
// into an inline <script> unescaped (a title containing </script> breaks out
// of it) and turn "__f__…__f__" strings into live JavaScript. The web layer
// puts OptionsJSON, which encoding/json escapes, in the chart element's
// data-options attribute, and one static JS file calls
// echarts.init(el).setOption(options).
//
// Shape of the options, for that JS file and the table twin:
//   - series[i].data[j] is always an object {"value": number} or, for a point
//     with no figure, {"value": "-"} (ECharts' "missing"; never 0). A point
//     with a Flag also carries "flag": "top_coded" etc., which ECharts ignores
//     and a named tooltip formatter may show.
//   - title is an array: title[0] is Spec.Title with Spec.Subtitle as subtext,
//     title[1] is Spec.Source at the bottom, so a saved PNG carries both.
//   - no option holds a JavaScript function; number formatting is left to the
//     JS, which may pick a named formatter from Chart.ValueFormat.
package charts

import (
	"encoding/json"
	"errors"
)

// Point is one category's figure. Value nil means no figure; Flag (e.g.
// "not_available", "top_coded", "low_reporting", "not_released", or
// "secondary" for a secondary-source figure) says why or qualifies it. A nil
// value is never drawn as zero: it becomes ECharts' "-" (missing).
type Point struct {
	Category string
	Value    *float64
	Flag     string
}

// Series is one named line or set of bars. Points are aligned with the
// chart's categories by position; a non-empty Point.Category must equal the
// category at that position, which catches misaligned input.
type Series struct {
	Name   string
	Points []Point
}

// Spec is what every chart shows besides its data. All fields are required:
// a figure without its period and source is not shown (README, "What you
// see": every chart has a title with measure, geography and period, axis
// units and a source line).
type Spec struct {
	ID       string // DOM id, also the saved PNG's file name: a letter, then letters, digits, '-' or '_'
	Title    string // measure, e.g. "Median annual wage"
	Subtitle string // geography and period, e.g. "United States, May 2010 - May 2024"
	Unit     string // axis unit, e.g. "USD per year", "percent", "percent of jobs"
	Source   string // source line shown under the chart, e.g. "Source: BLS OEWS; OOH"
}

// Value formats named in Chart.ValueFormat, derived from Spec.Unit.
const (
	FormatUSD     = "usd"     // Unit starts with "USD"
	FormatPercent = "percent" // Unit mentions "percent"
	FormatNumber  = "number"  // anything else
)

// Chart is a built chart.
type Chart struct {
	Spec
	// Options is go-echarts' chart.JSON() after Validate(), normalised to plain
	// JSON values (maps, slices, strings, float64, bool) and completed with
	// the options go-echarts has no type for.
	Options map[string]any
	// MinHeightPx is the container height the chart needs to stay legible;
	// the web layer sizes the element to at least this.
	MinHeightPx int
	// ValueFormat names the formatter the JS may apply to value-axis labels
	// and tooltip values: FormatUSD, FormatPercent or FormatNumber.
	ValueFormat string
	// Flags lists, sorted and once each, the Point flags present in the data,
	// so the page can print a footnote for each.
	Flags []string
}

// OptionsJSON encodes Options with encoding/json, which escapes <, > and &
// so that the bytes are safe inside a <script type="application/json"> block.
func (c Chart) OptionsJSON() ([]byte, error) {
	if c.Options == nil {
		return nil, errors.New("charts: chart has no options")
	}
	return json.Marshal(c.Options)
}
