package main

import (
	"fmt"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	"github.com/labdash/labdash/internal/browsertest"
)

// keyboardControl is the select a keyboard user changes on a page and the
// arrow key that changes it.
type keyboardControl struct {
	name string
	key  string
}

// checkKeyboardChangesURL reaches the control with Tab from the top of the
// page, changes it with an arrow key, submits with Enter on the button, and
// checks the choice moved into the URL and the page shows it; then that Back
// restores the address and the page, whose form must say so too, not keep
// the value changed before leaving (the back-forward cache keeps the live
// form, so app.js resets it on pageshow).
func checkKeyboardChangesURL(t *testing.T, page *browsertest.Page, c keyboardControl) {
	t.Helper()
	live := fmt.Sprintf(`document.querySelector('select[name=%q]').value`, c.name)
	// The option the server marked: what the page shows. A browser may
	// restore a changed select's value on Back, so .value alone is not it.
	served := fmt.Sprintf(`document.querySelector('select[name=%q] option[selected]').value`, c.name)
	focusPageStart(t, page)
	before := browsertest.Eval[string](t, page, `location.search`)
	browsertest.TabUntil(t, page, fmt.Sprintf(`document.activeElement.tagName === 'SELECT' && document.activeElement.name === %q`, c.name))
	oldValue := browsertest.Eval[string](t, page, live)
	if err := chromedp.Do(page.Ctx, chromedp.KeyEvent(c.key)); err != nil {
		t.Fatal(err)
	}
	newValue := browsertest.Eval[string](t, page, live)
	if newValue == oldValue {
		t.Fatalf("an arrow key left %s at %q", c.name, oldValue)
	}
	browsertest.TabUntil(t, page, `document.activeElement.tagName === 'BUTTON' && document.activeElement.type === 'submit'`)
	if err := chromedp.Do(page.Ctx, chromedp.KeyEvent(kb.Enter)); err != nil {
		t.Fatal(err)
	}
	browsertest.WaitAcrossNavigation(t, page, fmt.Sprintf(`location.search.includes(%q) && document.readyState === 'complete' && %s === %q && %s === %q`,
		c.name+"="+newValue, served, newValue, live, newValue), time.Minute)
	browsertest.Eval[bool](t, page, `(history.back(), true)`)
	browsertest.WaitAcrossNavigation(t, page, fmt.Sprintf(`location.search === %q && document.readyState === 'complete' && %s === %q`,
		before, served, oldValue), time.Minute)
	if !pollPage(t, page, fmt.Sprintf(`%s === %q`, live, oldValue), 30*time.Second) {
		shown := browsertest.Eval[string](t, page, live)
		t.Errorf("after Back the URL is %q again but the %s control shows %q, not %q", before, c.name, shown, oldValue)
	}
	waitForCharts(t, page) // the page is whole again for the checks after this one
}

// focusPageStart moves the keyboard focus to the first element of the page
// that takes it, scrolled to the top, as on a page just opened: Tab then
// walks the page from its start.
func focusPageStart(t *testing.T, page *browsertest.Page) {
	t.Helper()
	browsertest.Eval[bool](t, page, `(() => {
	  window.scrollTo(0, 0);
	  const first = document.querySelector('a[href], button, select, input, textarea, [tabindex]');
	  if (first) first.focus(); else if (document.activeElement) document.activeElement.blur();
	  return true;
	})()`)
}

// pollPage reports whether a JavaScript expression became true within
// timeout, polling it across navigations.
func pollPage(t *testing.T, page *browsertest.Page, expr string, timeout time.Duration) bool {
	t.Helper()
	return waitUntil(timeout, func() bool {
		ok, err := chromedp.Run(page.Ctx, chromedp.Evaluate[bool](expr, chromedp.EvalAsValue))
		return err == nil && ok
	})
}
