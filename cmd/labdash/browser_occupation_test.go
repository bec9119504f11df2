package main

import (
	"fmt"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	"github.com/labdash/labdash/internal/browsertest"
)

// occVisit is one page of the occupation and settings browser tests: how
// many charts it draws on the built-in data, and the select a keyboard
// user changes with an arrow key.
type occVisit struct {
	name, path string
	charts     int
	control    string
	key        string
}

func TestOccupationPageInARealBrowser(t *testing.T) {
	occVisitPages(t, []occVisit{
		{"occupation", "/occupation", 4, "code", kb.ArrowDown}, // 29-2010 → 29-2011
		// The OEWS workbooks give phlebotomists' wage percentiles too, so
		// "How pay is spread" is drawn for them as well.
		{"occupation-phlebotomists", "/occupation?code=31-9097", 4, "code", kb.ArrowUp},
	})
}

// occVisitPages opens each page at both sizes and checks charts, tables, CSVs,
// width, console, network and the keyboard round trip through the URL.
func occVisitPages(t *testing.T, visits []occVisit) {
	base, _ := startServer(t)
	browser := browsertest.Start(t)
	for _, v := range visits {
		for _, size := range screenSizes {
			t.Run(v.name+"/"+size.name, func(t *testing.T) {
				page := browser.Open(t, base+v.path, size.width, size.height)
				checkChartBlocks(t, page, v.charts)
				checkFitsWindow(t, page, size.width)
				browsertest.Screenshot(t, page, fmt.Sprintf("%s-%d", v.name, size.width))
				if v.control != "" {
					occCheckControl(t, page, v)
				}
				checkCleanConsole(t, page)
			})
		}
	}
}

// occCheckControl reaches the select with Tab, changes it with an
// arrow key, submits with Enter on the button, checks the choice is in the
// URL, and that Back restores the previous state.
func occCheckControl(t *testing.T, page *browsertest.Page, v occVisit) {
	t.Helper()
	before := browsertest.Eval[string](t, page, `location.search`)
	value := fmt.Sprintf(`document.querySelector('select[name=%q]').value`, v.control)
	// The option the server marked: what the page shows. A browser may
	// restore a changed select's value on Back, so .value is not the state.
	served := fmt.Sprintf(`document.querySelector('select[name=%q] option[selected]').value`, v.control)
	occTabUntil(t, page, fmt.Sprintf(`document.activeElement.tagName === 'SELECT' && document.activeElement.name === %q`, v.control))
	oldValue := browsertest.Eval[string](t, page, value)
	if err := chromedp.Do(page.Ctx, chromedp.KeyEvent(v.key)); err != nil {
		t.Fatal(err)
	}
	newValue := browsertest.Eval[string](t, page, value)
	if newValue == oldValue {
		t.Fatalf("the arrow key left %s at %q", v.control, oldValue)
	}
	occTabUntil(t, page, `document.activeElement.tagName === 'BUTTON' && document.activeElement.type === 'submit'`)
	if err := chromedp.Do(page.Ctx, chromedp.KeyEvent(kb.Enter)); err != nil {
		t.Fatal(err)
	}
	occWaitAcrossNavigation(t, page, fmt.Sprintf(`location.search.includes(%q) && document.readyState === 'complete' && %s === %q`,
		v.control+"="+newValue, served, newValue))
	browsertest.Eval[bool](t, page, `(history.back(), true)`)
	occWaitAcrossNavigation(t, page, fmt.Sprintf(`location.search === %q && document.readyState === 'complete' && %s === %q`,
		before, served, oldValue))
}

// occWaitAcrossNavigation polls expr until it holds, retrying the evaluations
// a navigation interrupts (chromedp's Poll fails when the page it polls
// goes away).
func occWaitAcrossNavigation(t *testing.T, page *browsertest.Page, expr string) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for {
		ok, err := chromedp.Run(page.Ctx, chromedp.Evaluate[bool](expr, chromedp.EvalAsValue))
		if err == nil && ok {
			return
		}
		if time.Now().After(deadline) {
			state, _ := chromedp.Run(page.Ctx, chromedp.Evaluate[string](`location.search + ' ' + new URLSearchParams(new FormData(document.querySelector('form.controls'))).toString()`, chromedp.EvalAsValue))
			t.Fatalf("waiting for %s: last error %v; the page has %s", expr, err, state)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// occTabUntil presses Tab until the expression holds, as a keyboard user would.
func occTabUntil(t *testing.T, page *browsertest.Page, focused string) {
	t.Helper()
	for range 60 {
		if browsertest.Eval[bool](t, page, focused) {
			return
		}
		if err := chromedp.Do(page.Ctx, chromedp.KeyEvent(kb.Tab)); err != nil {
			t.Fatal(err)
		}
	}
	t.Fatalf("60 Tab presses never reached: %s", focused)
}
