package charts

import (
	"fmt"
	"slices"

	"github.com/go-echarts/go-echarts/v2/charts"
	"github.com/go-echarts/go-echarts/v2/opts"
)

// Trend charts series over periods ("May 2006" … "May 2024") as lines,
// periods in the order given. Within a series a line joins the figures
// across periods it has no figure for (connectNulls true): published wage
// series are sparse (OOH editions skip years) and isolated dots read as noise.
// Markers show which periods have figures. Callers split figures that must
// not be joined, such as both sides of a classification change, into
// separate series.
//
// breakAt names the period where a classification break happens (e.g.
// "May 2019"); it is drawn as a dashed vertical markLine labelled breakLabel,
// because joining figures across a break silently misleads readers.
// An empty breakAt draws no line.
func Trend(spec Spec, periods []string, series []Series, breakAt, breakLabel string) (Chart, error) {
	err := checkInput(spec, periods, series)
	if err == nil {
		err = checkBreak(periods, breakAt, breakLabel)
	}
	if err != nil {
		return Chart{}, fmt.Errorf("charts %q: trend: %w", spec.ID, err)
	}
	l := layout{legend: len(series) > 1}

	line := charts.NewLine()
	line.SetGlobalOptions(globalOpts(spec, l, ariaDescription(spec, "Line chart", series, breakNote(breakAt, breakLabel)))...)
	line.SetGlobalOptions(
		charts.WithXAxisOpts(categoryXAxis(0)),
		charts.WithYAxisOpts(valueYAxis(spec.Unit)),
	)
	line.SetXAxis(periods)
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
			options = append(options, breakLine(breakAt, breakLabel)...)
		}
		line.AddSeries(s.Name, lineItems(s.Points), options...)
	}
	line.Validate()

	return finish(spec, line.JSON(), l, series, 0)
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
