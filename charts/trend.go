package charts

import (
	"fmt"
	"slices"
	"time"

	"github.com/go-echarts/go-echarts/v2/charts"
	"github.com/go-echarts/go-echarts/v2/opts"
)

// TimeAxis is the periods of a trend and the dates they are drawn at, so
// that the axis is spaced by time: May 2010 to May 2014 is four times as
// wide as May 2014 to May 2015. Labels name the periods as the points'
// categories do ("May 2014"); Dates are ISO dates ("2014-05-01"), one per
// label, in increasing order.
type TimeAxis struct {
	Labels []string
	Dates  []string
}

// yearMillis is the shortest interval between two ticks: a tick per month
// would label a short trend with months no figure belongs to.
const yearMillis = 365 * 24 * 60 * 60 * 1000

// Trend charts series over periods ("May 2006" … "May 2024") as lines on a
// time axis. Within a series a line joins the figures across periods it
// has no figure for (connectNulls true): published wage series are sparse
// (OOH editions skip years) and isolated dots read as noise. Markers show
// which periods have figures. Callers split figures that must not be
// joined, such as both sides of a classification change, into separate
// series.
//
// breakAt names the period where a classification break happens (e.g.
// "May 2019"); it is drawn as a dashed vertical markLine labelled breakLabel,
// because joining figures across a break silently misleads readers.
// An empty breakAt draws no line.
//
// Each point is a data item {"name": period, "value": [date, figure]}; the
// tooltip is the hovered point's (trigger "item"), naming its period.
func Trend(spec Spec, axis TimeAxis, series []Series, breakAt, breakLabel string) (Chart, error) {
	err := checkInput(spec, axis.Labels, series)
	if err == nil {
		err = checkTimeAxis(axis)
	}
	if err == nil {
		err = checkBreak(axis.Labels, breakAt, breakLabel)
	}
	if err != nil {
		return Chart{}, fmt.Errorf("charts %q: trend: %w", spec.ID, err)
	}
	l := layout{legend: len(series) > 1}

	line := charts.NewLine()
	line.SetGlobalOptions(globalOpts(spec, l, ariaDescription(spec, "Line chart", series, breakNote(breakAt, breakLabel)))...)
	line.SetGlobalOptions(
		charts.WithXAxisOpts(timeXAxis()),
		charts.WithYAxisOpts(valueYAxis(spec.Unit)),
	)
	symbols := lineSymbols()
	for i, s := range series {
		options := []charts.SeriesOpts{charts.WithLineChartOpts(opts.LineChart{
			// A distinct marker per series tells lines apart without colour
			// (decals do not apply to lines), and always showing markers keeps
			// a lone figure between two gaps visible.
			Symbol:       symbols[i%len(symbols)],
			SymbolSize:   7,
			ShowSymbol:   opts.Bool(true),
			ConnectNulls: opts.Bool(true),
		})}
		// The break belongs to the axis, not to a series; one copy is enough,
		// more would stack their labels.
		if i == 0 && breakAt != "" {
			options = append(options, breakLine(axis.Dates[slices.Index(axis.Labels, breakAt)], breakLabel)...)
		}
		line.AddSeries(s.Name, timeItems(axis, s.Points), options...)
	}
	line.Validate()

	c, err := finish(spec, line.JSON(), l, series, 0)
	if err != nil {
		return Chart{}, err
	}
	timeOptions(c.Options)
	return c, nil
}

// timeXAxis is a horizontal time axis labelled with years.
func timeXAxis() opts.XAxis {
	label := axisLabel()
	label.Formatter = "{yyyy}"
	label.HideOverlap = opts.Bool(true)
	return opts.XAxis{Type: "time", AxisLabel: label}
}

// timeItems are a series' points at their dates; a point without a figure
// has "-" as its value, ECharts' missing.
func timeItems(axis TimeAxis, points []Point) []opts.LineData {
	items := make([]opts.LineData, len(points))
	for i, p := range points {
		items[i] = opts.LineData{Name: axis.Labels[i], Value: []any{axis.Dates[i], itemValue(p)}}
	}
	return items
}

// timeOptions adds what go-echarts has no field for: a little room at both
// ends so the first and last points are not on the plot's edge, at most one
// tick a year, the item tooltip, and which value the tooltip shows (the
// figure, not the date).
func timeOptions(options map[string]any) {
	x := firstAxis(options, "xAxis")
	x["boundaryGap"] = []any{"3%", "3%"}
	x["minInterval"] = yearMillis
	object(options, "tooltip")["trigger"] = "item"
	for _, s := range options["series"].([]any) {
		s.(map[string]any)["encode"] = map[string]any{"x": 0, "y": 1, "tooltip": []any{1}}
	}
}

// checkTimeAxis rejects dates that do not match the labels, do not parse
// or do not increase.
func checkTimeAxis(axis TimeAxis) error {
	if len(axis.Dates) != len(axis.Labels) {
		return fmt.Errorf("%w: %d dates for %d periods", ErrBadInput, len(axis.Dates), len(axis.Labels))
	}
	var last time.Time
	for i, d := range axis.Dates {
		t, err := time.Parse(time.DateOnly, d)
		if err != nil {
			return fmt.Errorf("%w: date %q of %q is not YYYY-MM-DD", ErrBadInput, d, axis.Labels[i])
		}
		if i > 0 && !t.After(last) {
			return fmt.Errorf("%w: date %q of %q is not after the one before", ErrBadInput, d, axis.Labels[i])
		}
		last = t
	}
	return nil
}

// checkBreak rejects a break that is not on the axis or has nothing to say.
func checkBreak(periods []string, breakAt, breakLabel string) error {
	if breakAt == "" {
		return nil
	}
	if !slices.Contains(periods, breakAt) {
		return fmt.Errorf("%w: break %q is not one of the periods", ErrBadInput, breakAt)
	}
	if breakLabel == "" {
		return fmt.Errorf("%w: break at %q has no label", ErrBadInput, breakAt)
	}
	return nil
}

// breakLine is the dashed vertical markLine at breakAt. The label is the
// line's name shown through the "{b}" template, so text from the data is
// never itself read as a template.
func breakLine(breakAt, breakLabel string) []charts.SeriesOpts {
	return []charts.SeriesOpts{
		charts.WithMarkLineNameXAxisItemOpts(opts.MarkLineNameXAxisItem{Name: breakLabel, XAxis: breakAt}),
		charts.WithMarkLineStyleOpts(opts.MarkLineStyle{
			Symbol:    []string{"none", "none"},
			Label:     &opts.Label{Show: opts.Bool(true), Formatter: "{b}", Position: "insideEndTop", Color: textColor},
			LineStyle: &opts.LineStyle{Type: "dashed", Color: textColor, Width: 1.5},
		}),
	}
}

// lineSymbols has one marker per palette colour.
func lineSymbols() []string {
	return []string{"circle", "rect", "triangle", "diamond", "emptyCircle", "emptyRect", "emptyTriangle"}
}

// breakNote tells screen-reader users where the break line is.
func breakNote(breakAt, breakLabel string) string {
	if breakAt == "" {
		return ""
	}
	return "A dashed line at " + breakAt + " marks: " + breakLabel + "."
}
