package main

import (
	"fmt"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	"github.com/labdash/labdash/internal/browsertest"
)

// analysisPage is one of the compare, trends and editions pages, with the
// control the keyboard test changes.
type analysisPage struct {
	name, path string
	charts     int    // charts drawn on the built-in data
	control    string // the select a keyboard user changes
	key        string // the arrow key that changes it
}

var analysisPages = []analysisPage{
	{"compare", "/compare", 3, "b", kb.ArrowUp}, // b is the last code, 31-9097
	{"trends", "/trends", 1, "family", kb.ArrowDown},
	{"trends-employment", "/trends?family=clinical-lab&measure=employment", 2, "measure", kb.ArrowUp},
	{"editions", "/editions", 5, "code", kb.ArrowDown},
}

func TestAnalysisPagesInARealBrowser(t *testing.T) {
	base, _ := startServer(t)
	browser := browsertest.Start(t)
	for _, ap := range analysisPages {
		for _, size := range screenSizes {
			t.Run(ap.name+"/"+size.name, func(t *testing.T) {
				page := browser.Open(t, base+ap.path, size.width, size.height)
				checkChartBlocks(t, page, ap.charts)
				checkFitsWindow(t, page, size.width)
				browsertest.Screenshot(t, page, fmt.Sprintf("%s-%d", ap.name, size.width))
				checkKeyboardChangesURL(t, page, ap)
				checkCleanConsole(t, page)
			})
		}
	}
}

// checkKeyboardChangesURL reaches the control with Tab, changes it with
// an arrow key, submits with Enter on the button, and checks the state moved
// into the URL and that Back restores it.
func checkKeyboardChangesURL(t *testing.T, page *browsertest.Page, ap analysisPage) {
	t.Helper()
	before := browsertest.Eval[string](t, page, `location.search`)
	focusByTab(t, page, fmt.Sprintf(`document.activeElement.tagName === 'SELECT' && document.activeElement.name === %q`, ap.control))
	oldValue := browsertest.Eval[string](t, page, fmt.Sprintf(`document.querySelector('select[name=%q]').value`, ap.control))
	if err := chromedp.Do(page.Ctx, chromedp.KeyEvent(ap.key)); err != nil {
		t.Fatal(err)
	}
	newValue := browsertest.Eval[string](t, page, fmt.Sprintf(`document.querySelector('select[name=%q]').value`, ap.control))
	if newValue == oldValue {
		t.Fatalf("an arrow key left %s at %q", ap.control, oldValue)
	}
	focusByTab(t, page, `document.activeElement.tagName === 'BUTTON' && document.activeElement.type === 'submit'`)
	if err := chromedp.Do(page.Ctx, chromedp.KeyEvent(kb.Enter)); err != nil {
		t.Fatal(err)
	}
	want := ap.control + "=" + newValue
	waitAcrossNavigation(t, page, fmt.Sprintf(`location.search.includes(%q) && document.readyState === 'complete' && document.querySelector('select[name=%q]').value === %q`,
		want, ap.control, newValue))
	browsertest.Eval[bool](t, page, `(history.back(), true)`)
	waitAcrossNavigation(t, page, fmt.Sprintf(`location.search === %q && document.readyState === 'complete'`, before))
	// The page is the previous one again; its form must say so too, not
	// keep the value changed before leaving (the back-forward cache keeps
	// the live form, so app.js has to reset it on pageshow).
	time.Sleep(300 * time.Millisecond)
	if shown := browsertest.Eval[string](t, page, fmt.Sprintf(`document.querySelector('select[name=%q]').value`, ap.control)); shown != oldValue {
		t.Errorf("after Back the URL is %q again but the %s control shows %q, not %q", before, ap.control, shown, oldValue)
	}
}

// waitAcrossNavigation polls an expression while the page navigates: an
// evaluation that fails because the document is being replaced is retried.
func waitAcrossNavigation(t *testing.T, page *browsertest.Page, expr string) {
	t.Helper()
	deadline := time.Now().Add(15 * time.Second)
	for time.Now().Before(deadline) {
		ok, err := chromedp.Run(page.Ctx, chromedp.Evaluate[bool](expr))
		if err == nil && ok {
			return
		}
		time.Sleep(100 * time.Millisecond)
	}
	state, _ := chromedp.Run(page.Ctx, chromedp.Evaluate[string](`location.search + ' ' + [...document.querySelectorAll('select')].map(s => s.name + '=' + s.value).join('&')`))
	t.Fatalf("waiting for %s: timed out; the page has %s (page errors: %v)", expr, state, page.Errors())
}

// focusByTab presses Tab until the expression holds, as a keyboard user would.
func focusByTab(t *testing.T, page *browsertest.Page, focused string) {
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
