package main

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	"github.com/labdash/labdash/internal/browsertest"
)

// mapPlacesJS reports where the drawn map puts a few states, in canvas
// pixels (y down), so the test can tell the map is upright with Alaska and
// Hawaii inset at the bottom left. It reads ECharts' own region centres.
const mapPlacesJS = `(() => {
  const chart = echarts.getInstanceByDom(document.getElementById('state-map-chart'));
  const geo = chart.getModel().getSeriesByIndex(0).coordinateSystem;
  const at = name => geo.dataToPoint(geo.getRegion(name).getCenter());
  const out = {};
  for (const s of ['Maine', 'Florida', 'Washington', 'California', 'Texas', 'Alaska', 'Hawaii']) out[s] = at(s);
  return out;
})()`

// stateTableJS lists the state table's first and last rows and its aria-sort.
const stateTableJS = `(() => {
  const table = document.querySelector('#state-map table[data-sortable]');
  const rows = [...table.tBodies[0].rows].map(r => r.cells[0].textContent.trim());
  const sort = [...table.tHead.rows[0].cells].map(th => th.getAttribute('aria-sort') || 'none');
  return [rows[0], rows[rows.length - 1], sort.join(' ')];
})()`

func TestPlacesPageInARealBrowser(t *testing.T) {
	base, _ := startServer(t)
	browser := browsertest.Start(t)
	for _, size := range screenSizes {
		t.Run(size.name, func(t *testing.T) {
			page := browser.Open(t, base+"/places?code=29-2018&measure=mean_annual_wage&period=May+2022", size.width, size.height)
			checkPlacesCharts(t, page)
			checkMapIsUpright(t, page)
			checkFitsWindow(t, page, size.width)
			browsertest.Screenshot(t, page, fmt.Sprintf("places-%d", size.width))
			checkTableSortsByKeyboard(t, page)
			checkPeriodChangeByKeyboard(t, page)
			checkCleanConsole(t, page)
			requests := strings.Join(page.Requests(), " ")
			for _, asset := range []string{"/static/vendor/topojson-client.min.", "/static/vendor/states-albers-10m."} {
				if !strings.Contains(requests, base+asset) {
					t.Errorf("the page did not load %s from its own server", asset)
				}
			}
		})
	}
}

// checkPlacesCharts waits for the map and the metro ranking, then checks each
// table twin against its CSV.
func checkPlacesCharts(t *testing.T, page *browsertest.Page) {
	t.Helper()
	browsertest.WaitFor(t, page,
		`document.querySelectorAll('.chart').length === 2 && [...document.querySelectorAll('.chart')].every(c => c.getAttribute('data-drawn') === 'true')`,
		20*time.Second)
	checks := browsertest.Eval[[]chartCheck](t, page, checkChartsJS)
	var ids []string
	for _, c := range checks {
		ids = append(ids, c.ID)
		if !c.Drawn || !c.Canvas {
			t.Errorf("chart %s not drawn", c.ID)
		}
		if c.CSVState != 200 || c.CSVRows != c.Figures {
			t.Errorf("chart %s: CSV %s gave %d with %d rows; its table has %d figures", c.ID, c.CSVHref, c.CSVState, c.CSVRows, c.Figures)
		}
	}
	if !slices.Equal(ids, []string{"state-map", "metro-areas"}) {
		t.Errorf("charts %v", ids)
	}
	if n := browsertest.Eval[int](t, page, `document.querySelectorAll('#state-map tbody tr').length`); n != 51 {
		t.Errorf("state table has %d rows, want 51", n)
	}
	if n := browsertest.Eval[int](t, page, `document.querySelectorAll('#metro-areas tbody tr').length`); n != 13 {
		t.Errorf("metro table has %d rows, want 13", n)
	}
}

// checkMapIsUpright: north at the top, west on the left, Alaska and Hawaii
// inset below the West Coast, and the map inside its element.
func checkMapIsUpright(t *testing.T, page *browsertest.Page) {
	t.Helper()
	at := browsertest.Eval[map[string][2]float64](t, page, mapPlacesJS)
	x := func(s string) float64 { return at[s][0] }
	y := func(s string) float64 { return at[s][1] }
	for _, c := range []struct {
		what string
		ok   bool
	}{
		{"Maine north of Florida", y("Maine") < y("Florida")},
		{"Washington north of California", y("Washington") < y("California")},
		{"Washington west of Maine", x("Washington") < x("Maine")},
		{"California west of Texas", x("California") < x("Texas")},
		{"Alaska inset below Washington, west of Texas", y("Alaska") > y("Washington") && x("Alaska") < x("Texas")},
		{"Hawaii inset below California", y("Hawaii") > y("California")},
	} {
		if !c.ok {
			t.Errorf("map not upright: %s is false (%v)", c.what, at)
		}
	}
	width := browsertest.Eval[float64](t, page, `document.getElementById('state-map-chart').clientWidth`)
	if x("Maine") > width || x("Alaska") < 0 {
		t.Errorf("map wider than its %v px element: %v", width, at)
	}
}

// checkTableSortsByKeyboard focuses the header buttons and presses Enter.
func checkTableSortsByKeyboard(t *testing.T, page *browsertest.Page) {
	t.Helper()
	want := func(step string, first, last, sort string) {
		t.Helper()
		got := browsertest.Eval[[]string](t, page, stateTableJS)
		if got[0] != first || got[1] != last || got[2] != sort {
			t.Errorf("%s: rows %s … %s, aria-sort %q; want %s … %s, %q", step, got[0], got[1], got[2], first, last, sort)
		}
	}
	want("server order", "New York", "Mississippi", "none descending")
	press := func(column int) {
		t.Helper()
		focused := browsertest.Eval[bool](t, page, fmt.Sprintf(
			`(() => { const b = document.querySelectorAll('#state-map thead th button.sort')[%d]; b.focus(); return document.activeElement === b; })()`, column))
		if !focused {
			t.Fatalf("header button %d cannot take the focus", column)
		}
		if err := chromedp.Do(page.Ctx, chromedp.KeyEvent(kb.Enter)); err != nil {
			t.Fatal(err)
		}
	}
	press(0)
	want("by name", "Alabama", "Wyoming", "ascending none")
	press(0)
	want("by name again", "Wyoming", "Alabama", "descending none")
	press(1)
	want("by value", "New York", "Mississippi", "none descending")
	press(1)
	want("by value again", "Mississippi", "New York", "none ascending")
}

// checkPeriodChangeByKeyboard reaches the period select with Tab, picks the
// next (older) period with an arrow key, submits with Enter and checks the
// URL carries it; Back returns to May 2022.
func checkPeriodChangeByKeyboard(t *testing.T, page *browsertest.Page) {
	t.Helper()
	param := `new URLSearchParams(location.search).get('period')`
	browsertest.Eval[bool](t, page, `(document.activeElement.blur(), window.scrollTo(0, 0), true)`)
	focusByTab(t, page, `document.activeElement.tagName === 'SELECT' && document.activeElement.name === 'period'`)
	if err := chromedp.Do(page.Ctx, chromedp.KeyEvent(kb.ArrowDown)); err != nil {
		t.Fatal(err)
	}
	if v := browsertest.Eval[string](t, page, `document.querySelector('select[name=period]').value`); v != "May 2019" {
		t.Fatalf("ArrowDown chose %q, want May 2019", v)
	}
	focusByTab(t, page, `document.activeElement.tagName === 'BUTTON' && document.activeElement.type === 'submit'`)
	if err := chromedp.Do(page.Ctx, chromedp.KeyEvent(kb.Enter)); err != nil {
		t.Fatal(err)
	}
	waitThroughNavigation(t, page, param+` === 'May 2019' && document.readyState === 'complete'`)
	waitThroughNavigation(t, page, `document.querySelector('#state-map-chart')?.getAttribute('data-drawn') === 'true'`)
	if n := browsertest.Eval[int](t, page, `document.querySelectorAll('#state-map tbody tr').length`); n != 20 {
		t.Errorf("May 2019 shows %d states, want 20", n)
	}
	width := browsertest.Eval[int](t, page, `window.innerWidth`)
	browsertest.Screenshot(t, page, fmt.Sprintf("places-may2019-%d", width)) // 31 states with no data
	browsertest.Eval[bool](t, page, `(history.back(), true)`)
	waitThroughNavigation(t, page, param+` === 'May 2022' && document.readyState === 'complete'`)
	waitThroughNavigation(t, page, `document.querySelector('#state-map-chart')?.getAttribute('data-drawn') === 'true'`)
	if n := browsertest.Eval[int](t, page, `document.querySelectorAll('#state-map tbody tr').length`); n != 51 {
		t.Errorf("back on May 2022, the page shows %d states, want 51", n)
	}
	// Not checked here: the select's value after Back. Chromium may restore
	// the page from its back-forward cache with the select still on May 2019
	// (autocomplete="off" does not prevent that); a fix belongs to every
	// page's form, not to this one (reset form.controls on a persisted
	// pageshow), and the analysis pages' test checks it.
}

// waitThroughNavigation polls expr until it holds, retrying while the page
// is between documents: an evaluation then fails, or waits for the new
// document's context, so each try has a short deadline of its own.
func waitThroughNavigation(t *testing.T, page *browsertest.Page, expr string) {
	t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for {
		try, cancel := context.WithTimeout(page.Ctx, 2*time.Second)
		ok, err := chromedp.Run(try, chromedp.Evaluate[bool](expr, chromedp.EvalAsValue))
		cancel()
		if err == nil && ok {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("waiting for %s: %v (page errors: %v)", expr, err, page.Errors())
		}
		time.Sleep(100 * time.Millisecond)
	}
}
