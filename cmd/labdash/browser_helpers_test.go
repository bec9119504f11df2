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

// screenSize is a browser window a page is tested in.
type screenSize struct {
	name          string
	width, height int64
}

// screenSizes are a phone and a desktop window: every page is checked in both.
var screenSizes = []screenSize{{"phone", 375, 812}, {"desktop", 1440, 900}}

// tooWideJS names the innermost elements that stick out of the window, so a
// failure says what to fix; scrolling tables may hold wider content.
const tooWideJS = `document.documentElement.scrollWidth <= window.innerWidth + 1 ? [] :
  [...document.querySelectorAll('body *')]
    .filter(e => e.getBoundingClientRect().right > window.innerWidth + 1 && !e.closest('.table-wrap'))
    .filter(e => ![...e.children].some(c => c.getBoundingClientRect().right > window.innerWidth + 1))
    .slice(0, 8)
    .map(e => e.tagName + (e.id ? '#' + e.id : '') + ' "' + e.textContent.trim().slice(0, 30) + '" ' + Math.round(e.getBoundingClientRect().right) + 'px')`

// checkFitsWindow fails when a phone would have to scroll sideways.
func checkFitsWindow(t *testing.T, page *browsertest.Page, width int64) {
	t.Helper()
	if wide := browsertest.Eval[[]string](t, page, tooWideJS); len(wide) > 0 {
		t.Errorf("the page is wider than a %d px window: %v", width, wide)
	}
}

// checkCleanConsole fails on console errors and on requests that left the
// machine: no page may load anything from another host.
func checkCleanConsole(t *testing.T, page *browsertest.Page) {
	t.Helper()
	if errs := page.Errors(); len(errs) > 0 {
		t.Errorf("console errors: %v", errs)
	}
	if off := page.OffHostRequests(); len(off) > 0 {
		t.Errorf("requests to other hosts: %v", off)
	}
}
