package main

import (
	"fmt"
	"testing"
	"time"

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

func TestHomePageInARealBrowser(t *testing.T) {
	base, _ := startServer(t)
	browser := browsertest.Start(t)
	for _, size := range []struct {
		name          string
		width, height int64
	}{{"phone", 375, 812}, {"desktop", 1440, 900}} {
		t.Run(size.name, func(t *testing.T) {
			page := browser.Open(t, base+"/", size.width, size.height)
			browsertest.WaitFor(t, page,
				`document.querySelectorAll('.chart').length > 0 && [...document.querySelectorAll('.chart')].every(c => c.getAttribute('data-drawn') === 'true')`,
				20*time.Second)
			checks := browsertest.Eval[[]chartCheck](t, page, checkChartsJS)
			if len(checks) < 4 {
				t.Fatalf("%d charts on the home page, want at least 4", len(checks))
			}
			for _, c := range checks {
				if !c.Drawn || !c.Canvas {
					t.Errorf("chart %s not drawn", c.ID)
				}
				if c.CSVState != 200 || c.CSVRows == 0 || c.CSVRows != c.Figures {
					t.Errorf("chart %s: CSV %s gave %d with %d rows; its table has %d figures",
						c.ID, c.CSVHref, c.CSVState, c.CSVRows, c.Figures)
				}
			}
			// Nothing wider than the window: a phone must not scroll sideways.
			if overflow := browsertest.Eval[bool](t, page, `document.documentElement.scrollWidth > window.innerWidth + 1`); overflow {
				t.Errorf("the page is wider than a %d px window", size.width)
			}
			browsertest.Screenshot(t, page, fmt.Sprintf("home-%d", size.width))
			if errs := page.Errors(); len(errs) > 0 {
				t.Errorf("console errors: %v", errs)
			}
			if off := page.OffHostRequests(); len(off) > 0 {
				t.Errorf("requests to other hosts: %v", off)
			}
			if n := len(page.Requests()); n < 4 {
				t.Errorf("only %d requests recorded; is the network listener working?", n)
			}
		})
	}
}
