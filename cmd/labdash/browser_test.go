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

func TestHomePageInARealBrowser(t *testing.T) {
	base, _ := startServer(t)
	browser := browsertest.Start(t)
	for _, size := range screenSizes {
		t.Run(size.name, func(t *testing.T) {
			page := browser.Open(t, base+"/", size.width, size.height)
			// The home page has five charts (two work settings, wage trend,
			// projections, states).
			checkChartBlocks(t, page, 5)
			checkFitsWindow(t, page, size.width)
			browsertest.Screenshot(t, page, fmt.Sprintf("home-%d", size.width))
			checkCleanConsole(t, page)
			if n := len(page.Requests()); n < 4 {
				t.Errorf("only %d requests recorded; is the network listener working?", n)
			}
		})
	}
}
