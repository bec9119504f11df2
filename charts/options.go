package charts

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/go-echarts/go-echarts/v2/charts"
	"github.com/go-echarts/go-echarts/v2/opts"
)

// Colours. Text uses textColor (12.6:1 on white) rather than ECharts' default
// greys (#6E7079 axis labels, #aaa subtitles), which fail WCAG AA for small text.
const (
	textColor  = "#333"
	titleColor = "#111"
	background = "#fff"
)

// palette is Okabe-Ito, safe for the common colour-vision deficiencies, minus
// its yellow (#F0E442), which is unreadable on white. The first five, enough
// for every chart the pages draw, each have at least the 3:1 contrast with
// white that WCAG 2.1 (1.4.11) asks of lines and bars; orange (2.3:1) and
// sky blue (2.3:1) come last, for a sixth and seventh series only. A
// function, not a package variable, so no caller can change it for everyone.
func palette() []string {
	return []string{"#0072B2", "#D55E00", "#009E73", "#CC79A7", "#000000", "#E69F00", "#56B4E9"}
}

// Vertical space, in pixels, for the parts around the plot. ECharts places
// them absolutely, so the grid has to leave room for each.
const (
	titleBlockPx = 64 // 16px title + 12px subtitle, with ECharts' padding and gaps
	legendPx     = 28 // one scrollable legend row
	axisNamePx   = 30 // unit name drawn above a vertical value axis
	sourceLinePx = 24 // source line at the very bottom
	xLabelsPx    = 24 // one row of x-axis labels
	xAxisNamePx  = 24 // unit name under a horizontal value axis

	verticalChartPx = 400 // line and column charts read well at this height on a phone
)

// layout says where the categories and the legend go.
type layout struct {
	horizontal bool // categories on the y axis, values along x
	legend     bool // more than one series
	// allCategoryLabels shows every category label; otherwise ECharts skips
	// labels that would overlap, which suits a long run of periods.
	allCategoryLabels bool
}

// Titles, subtitles and source lines are left whole, one line each: the
// page (web/static/app.js) wraps them to the width each chart is drawn at,
// measured in the font it draws with, and moves the plot down by the extra
// lines. Wrapping here as well, at a guessed width, counted those lines twice
// and squeezed narrow charts (the handout's) until their axes crossed.

// gridTop is the space above the plot: title, legend, and for vertical value
// axes the unit name, which ECharts draws above the axis outside containLabel.
func (l layout) gridTop() int {
	top := titleBlockPx
	if l.legend {
		top += legendPx
	}
	if l.horizontal {
		return top + 8
	}
	return top + axisNamePx
}

// gridBottom is the space below the plot's labels: the source line, and for
// horizontal charts the unit name under the value axis.
func (l layout) gridBottom() int {
	if l.horizontal {
		return sourceLinePx + xAxisNamePx
	}
	return sourceLinePx + 4
}

// globalOpts are the options every chart shares. description is the
// chart's aria-label; see ariaDescription.
func globalOpts(spec Spec, l layout, description string) []charts.GlobalOpts {
	pointer := "line"
	if l.horizontal {
		pointer = "shadow" // a band is easier to follow across long bars
	}
	return []charts.GlobalOpts{
		charts.WithInitializationOpts(opts.Initialization{
			ChartID:         spec.ID,
			BackgroundColor: background, // the canvas, and so any screenshot, is white
		}),
		charts.WithTitleOpts(opts.Title{
			Title:         spec.Title,
			Subtitle:      spec.Subtitle,
			Left:          "left",
			TitleStyle:    &opts.TextStyle{Color: titleColor, FontSize: 16, FontWeight: "bold"},
			SubtitleStyle: &opts.TextStyle{Color: textColor, FontSize: 12},
		}),
		charts.WithTooltipOpts(opts.Tooltip{
			Show:        opts.Bool(true),
			Trigger:     "axis",
			AxisPointer: &opts.AxisPointer{Type: pointer},
		}),
		charts.WithLegendOpts(legendOpts(l)),
		charts.WithToolboxOpts(opts.Toolbox{
			Show:  opts.Bool(true),
			Right: "8",
			Top:   "0",
			Feature: &opts.ToolBoxFeature{SaveAsImage: &opts.ToolBoxFeatureSaveAsImage{
				Show:  opts.Bool(true),
				Type:  "png",
				Name:  spec.ID,
				Title: "Save as PNG",
			}},
		}),
		charts.WithGridOpts(opts.Grid{
			Left:         "8",
			Right:        "24",
			Top:          strconv.Itoa(l.gridTop()),
			Bottom:       strconv.Itoa(l.gridBottom()),
			ContainLabel: opts.Bool(true), // keeps axis labels inside a 375px-wide phone screen
		}),
		charts.WithColorsOpts(palette()),
		charts.WithAriaOpts(&opts.Aria{
			Enabled: opts.Bool(true),
			// ECharts' generated description reads category charts badly
			// ("the data for May 2006 is 0, NaN"); ours names the chart and
			// points to the table twin, which holds every figure.
			Label: &opts.AriaLabel{Enabled: opts.Bool(true), Description: description},
			Decal: &opts.AriaDecal{Show: opts.Bool(true)}, // patterns, so bars differ without colour
		}),
		// The browser test waits for ECharts' 'finished' event; without
		// animation it comes at once, and motion-sensitive readers are spared.
		charts.WithAnimation(false),
	}
}

// legendOpts shows a scrollable legend row under the title when there is more
// than one series; with one series the title already names it.
func legendOpts(l layout) opts.Legend {
	if !l.legend {
		return opts.Legend{Show: opts.Bool(false)}
	}
	return opts.Legend{
		Show:      opts.Bool(true),
		Type:      "scroll",
		Left:      "left",
		Top:       strconv.Itoa(titleBlockPx),
		TextStyle: &opts.TextStyle{Color: textColor, FontSize: 12},
	}
}

// axisLabel is the label style shared by every axis.
func axisLabel() *opts.AxisLabel {
	return &opts.AxisLabel{Show: opts.Bool(true), Color: textColor, FontSize: 12}
}

// valueYAxis is a vertical value axis named with the unit. The name sits
// above the axis; see completeOptions for its left alignment.
func valueYAxis(unit string) opts.YAxis {
	label := axisLabel()
	// A plain template: the JS swaps in a named formatter for ValueFormat.
	label.Formatter = "{value}"
	return opts.YAxis{Type: "value", Name: unit, NameLocation: "end", NameGap: 12, AxisLabel: label}
}

// valueXAxis is a horizontal value axis with the unit centred under it.
func valueXAxis(unit string) opts.XAxis {
	label := axisLabel()
	label.Formatter = "{value}"
	return opts.XAxis{Type: "value", Name: unit, NameLocation: "middle", NameGap: 28, AxisLabel: label}
}

// categoryXAxis is a horizontal category axis. rotate tilts labels that would
// otherwise collide on a narrow screen.
func categoryXAxis(rotate float64) opts.XAxis {
	label := axisLabel()
	label.Rotate = rotate
	label.HideOverlap = opts.Bool(true)
	return opts.XAxis{Type: "category", AxisLabel: label}
}

// categoryYAxis is a vertical category axis listing categories top down.
// Labels are limited to categoryLabelPx and wrapped ("break") or cut
// ("truncate"); the tooltip header always shows the full name.
func categoryYAxis(overflow string) opts.YAxis {
	label := axisLabel()
	label.Width = categoryLabelPx
	label.Overflow = overflow
	return opts.YAxis{
		Type:      "category",
		Inverse:   opts.Bool(true), // ECharts starts a y category axis at the bottom; readers start at the top
		AxisLabel: label,
	}
}

// categoryLabelPx leaves about 200px for bars on a 375px-wide phone.
const categoryLabelPx = 120

// horizontalHeight is the height a horizontal bar chart needs for rows of
// rowPx each, plus the title, legend, value-axis labels and source line.
func horizontalHeight(l layout, rows, rowPx int) int {
	return l.gridTop() + rows*rowPx + xLabelsPx + l.gridBottom()
}

// ariaDescription is the text a screen reader announces for the chart.
// ECharts sets it with setAttribute, so names from the data stay text.
func ariaDescription(spec Spec, kind string, series []Series, extra string) string {
	names := make([]string, len(series))
	for i, s := range series {
		names[i] = s.Name
	}
	d := fmt.Sprintf("%s of %s (%s), %s. Series: %s.", kind, spec.Title, spec.Unit, spec.Subtitle, strings.Join(names, "; "))
	if extra != "" {
		d += " " + extra
	}
	return d + " " + strings.TrimSuffix(spec.Source, ".") + ". The table with this chart lists every figure."
}
