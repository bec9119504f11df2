package main

import (
	"fmt"
	"testing"

	"github.com/labdash/labdash/internal/browsertest"
)

// chartCheck is what the page reports about one chart block.
type chartCheck struct {
	ID       string `json:"id"`
	Drawn    bool   `json:"drawn"`
	Canvas   bool   `json:"canvas"`
	Figures  int    `json:"figures"`
	CSVHref  string `json:"csvHref"`
	CSVRows  int    `json:"csvRows"`
	CSVState int    `json:"csvStatus"`
}

// checkChartsJS waits for nothing: it reads every chart block, fetches its
// CSV link the way a click would, and counts the data rows.
const checkChartsJS = `(async () => {
  const out = [];
  for (const section of document.querySelectorAll('section.block')) {
    const chart = section.querySelector('.chart');
    if (!chart) continue;
    const link = section.querySelector('a.csv');
    const res = await fetch(link.href);
    const text = await res.text();
    const rows = text.trim().split('\n').length - 1;
    const figures = section.querySelectorAll('td').length - section.querySelectorAll('td .none').length;
    out.push({id: section.id, drawn: chart.getAttribute('data-drawn') === 'true',
      canvas: !!chart.querySelector('canvas'), figures, csvHref: link.getAttribute('href'),
      csvRows: rows, csvStatus: res.status});
  }
  return out;
})()`

// checkChartBlocks checks every chart of a drawn page: there are want of
// them (unless want is -1), each drawn, each with a table twin whose figures
// match its CSV row for row.
func checkChartBlocks(t *testing.T, page *browsertest.Page, want int) []chartCheck {
	t.Helper()
	checks := browsertest.Eval[[]chartCheck](t, page, checkChartsJS)
	if want >= 0 && len(checks) != want {
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
	return checks
}

// screenSize is a browser window a page is tested in.
type screenSize = browsertest.Screen

var (
	phone   = browsertest.Phone
	desktop = browsertest.Desktop
)

// screenSizes are a phone and a desktop window: every page is checked in both.
var screenSizes = []screenSize{phone, desktop}

// tooWideJS names the innermost elements that stick out of a screen W CSS
// pixels wide, so a failure says what to fix. A phone does not scroll a
// page wider than its screen sideways at first: it widens its viewport and
// shows the page zoomed out (innerWidth grows), so both are compared with W.
const tooWideJS = `((W) => {
  const wide = Math.max(document.documentElement.scrollWidth, window.innerWidth);
  if (wide <= W + 1) return [];
  const out = [...document.querySelectorAll('body *')]
    .filter(e => e.getBoundingClientRect().right > W + 1)
    .filter(e => ![...e.children].some(c => c.getBoundingClientRect().right > W + 1))
    .slice(0, 8)
    .map(e => e.tagName + (e.id ? '#' + e.id : '') + ' "' + e.textContent.trim().slice(0, 30) + '" ' + Math.round(e.getBoundingClientRect().right) + 'px');
  return out.length ? out : ['the page is ' + wide + ' px wide'];
})(%d)`

// checkFitsWindow fails when a phone would have to scroll sideways.
func checkFitsWindow(t *testing.T, page *browsertest.Page, width int64) {
	t.Helper()
	if wide := browsertest.Eval[[]string](t, page, fmt.Sprintf(tooWideJS, width)); len(wide) > 0 {
		t.Errorf("the page is wider than a %d px screen: %v", width, wide)
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
