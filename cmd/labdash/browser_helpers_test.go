package main

import (
	"testing"
	"time"

	"github.com/labdash/labdash/internal/browsertest"
)

// checkChartBlocks waits for every chart of a page, then checks there are
// want of them, each drawn, each with a table twin whose figures match its
// CSV row for row.
func checkChartBlocks(t *testing.T, page *browsertest.Page, want int) {
	t.Helper()
	browsertest.WaitFor(t, page, `document.readyState === 'complete' && `+
		`[...document.querySelectorAll('.chart')].every(c => c.getAttribute('data-drawn') === 'true')`, 20*time.Second)
	checks := browsertest.Eval[[]chartCheck](t, page, checkChartsJS)
	if len(checks) != want {
		t.Errorf("%d charts, want %d", len(checks), want)
	}
	for _, c := range checks {
		if !c.Drawn || !c.Canvas {
			t.Errorf("chart %s not drawn", c.ID)
		}
		if c.CSVState != 200 || c.CSVRows == 0 || c.CSVRows != c.Figures {
			t.Errorf("chart %s: CSV %s gave %d with %d rows; its table has %d figures", c.ID, c.CSVHref, c.CSVState, c.CSVRows, c.Figures)
		}
	}
	if tables := browsertest.Eval[int](t, page, `document.querySelectorAll('section.block .chart + .summary ~ .table-wrap table').length`); tables != len(checks) {
		t.Errorf("%d tables for %d charts", tables, len(checks))
	}
}
