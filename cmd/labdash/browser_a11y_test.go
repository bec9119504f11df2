package main

import (
	"slices"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	"github.com/labdash/labdash/internal/browsertest"
)

// checkAxe fails on serious and critical violations and logs the rest.
func checkAxe(t *testing.T, page *browsertest.Page) {
	t.Helper()
	for _, v := range browsertest.Axe(t, page) {
		if v.Impact == "serious" || v.Impact == "critical" {
			t.Errorf("axe: %s", v)
		} else {
			t.Logf("axe (not failing): %s", v)
		}
	}
}

// checkChartNames: every chart is an image with a name a screen reader reads.
func checkChartNames(t *testing.T, page *browsertest.Page) {
	t.Helper()
	bad := browsertest.Eval[[]string](t, page, `[...document.querySelectorAll('.chart')]
	  .filter(c => c.getAttribute('role') !== 'img' || !(c.getAttribute('aria-label') || '').trim())
	  .map(c => c.id + ' role=' + c.getAttribute('role') + ' aria-label=' + c.getAttribute('aria-label'))`)
	for _, b := range bad {
		t.Errorf("chart without role=img and a name: %s", b)
	}
}

// controlNamesJS lists visible form controls without an accessible name:
// aria-label, aria-labelledby, a label's own text (not the options of a
// select inside it), a button's text, or a title.
const controlNamesJS = `[...document.querySelectorAll('select, input:not([type=hidden]), textarea, button')]
  .filter(el => el.checkVisibility())
  .filter(el => {
    const text = n => (n ? n.textContent : '').trim();
    const labelText = l => { const c = l.cloneNode(true); c.querySelectorAll('select, option, textarea').forEach(x => x.remove()); return c.textContent.trim(); };
    const names = [el.getAttribute('aria-label') || '',
      (el.getAttribute('aria-labelledby') || '').split(/\s+/).filter(Boolean).map(id => text(document.getElementById(id))).join(' '),
      [...(el.labels || [])].map(labelText).join(' '),
      el.tagName === 'BUTTON' ? text(el) : '', el.title || ''];
    return !names.some(n => n.trim());
  })
  .map(el => el.outerHTML.slice(0, 120))`

func checkControlNames(t *testing.T, page *browsertest.Page) {
	t.Helper()
	for _, c := range browsertest.Eval[[]string](t, page, controlNamesJS) {
		t.Errorf("form control without an accessible name: %s", c)
	}
}

// tabSetupJS marks what Tab must reach (every visible select and button,
// and the first scrollable table region; buttons inside closed details
// are not visible until opened), records each element that gets
// focus with whether its focus is drawn, and returns how many elements can
// take focus: the most Tab presses a walk round the page can need.
const tabSetupJS = `(() => {
  const cite = document.querySelector('details.cite');
  if (cite) cite.open = true; // one citation box open, so its text and copy buttons are walked too
  const shown = el => el.checkVisibility();
  const want = [...document.querySelectorAll('select, button')].filter(shown);
  const region = document.querySelector('.table-wrap[tabindex]');
  if (region) want.push(region);
  want.forEach((el, i) => el.setAttribute('data-a11y-want', i));
  // WCAG relative luminance of an rgb() colour, for the 3:1 a focus
  // outline needs against the white page ('auto' is the browser's own ring).
  const lum = rgb => { const [r, g, b] = rgb.match(/[\d.]+/g).slice(0, 3).map(v => { v /= 255; return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4; }); return 0.2126 * r + 0.7152 * g + 0.0722 * b; };
  window.__a11yFocus = [];
  window.__a11yWrapped = false;
  document.addEventListener('focusin', e => {
    const el = e.target, cs = getComputedStyle(el);
    if (el.__a11ySeen) { window.__a11yWrapped = true; return; } // Tab wrapped round to the top: count each element once
    el.__a11ySeen = true;
    const outline = cs.outlineStyle !== 'none' && parseFloat(cs.outlineWidth) > 0 &&
      (cs.outlineStyle === 'auto' || 1.05 / (lum(cs.outlineColor) + 0.05) >= 3);
    const shadow = cs.boxShadow && cs.boxShadow !== 'none';
    window.__a11yFocus.push({want: el.getAttribute('data-a11y-want'), visible: outline || !!shadow,
      what: el.tagName.toLowerCase() + (el.id ? '#' + el.id : '') + (el.className && typeof el.className === 'string' ? '.' + el.className.split(' ')[0] : '') + ' ' + (el.textContent || el.name || '').trim().slice(0, 40)});
  });
  if (document.activeElement) document.activeElement.blur();
  window.scrollTo(0, 0);
  return {want: want.length, focusable: document.querySelectorAll('a[href], button, select, input, textarea, [tabindex]').length};
})()`

type tabFocus struct {
	Want    *string `json:"want"`
	Visible bool    `json:"visible"`
	What    string  `json:"what"`
}

// checkTabWalk presses Tab from the top of the page through every element
// that can take focus, and checks each wanted control was reached with a
// visible focus indicator.
func checkTabWalk(t *testing.T, page *browsertest.Page) {
	t.Helper()
	counts := browsertest.Eval[struct{ Want, Focusable int }](t, page, tabSetupJS)
	// Tab goes round the page once: until focus comes back to an element it
	// had (the walk has wrapped), and never more often than there are
	// elements that can take focus, plus two.
	const burst = 8
	for pressed := 0; pressed < counts.Focusable+2 && !browsertest.Eval[bool](t, page, `window.__a11yWrapped`); pressed += burst {
		if err := chromedp.Do(page.Ctx, chromedp.KeyEvent(strings.Repeat(kb.Tab, min(burst, counts.Focusable+2-pressed)))); err != nil {
			t.Fatal(err)
		}
	}
	focused := browsertest.Eval[[]tabFocus](t, page, `window.__a11yFocus`)
	var reached []string
	for _, f := range focused {
		if !f.Visible {
			t.Errorf("focus is not visible (no outline of 3:1 contrast or shadow) on %s", f.What)
		}
		if f.Want != nil && !slices.Contains(reached, *f.Want) {
			reached = append(reached, *f.Want)
		}
	}
	if len(reached) != counts.Want {
		missed := browsertest.Eval[[]string](t, page, `[...document.querySelectorAll('[data-a11y-want]')].map(e => e.getAttribute('data-a11y-want') + ' ' + e.outerHTML.slice(0, 100))`)
		t.Errorf("Tab reached %d of %d selects, buttons and the first table region (reached %v of %v)", len(reached), counts.Want, reached, missed)
	}
	t.Logf("Tab reached %d of %d selects, buttons and first table region; %d elements took focus", len(reached), counts.Want, len(focused))
}

// checkAxeFindsViolations: the checks above are only as good as axe
// itself: on a page made to break two rules, it must report both. It
// changes the page, so it runs last.
func checkAxeFindsViolations(t *testing.T, r visitRun) {
	page := r.page
	browsertest.Eval[bool](t, page, `(() => {
	  const p = document.createElement('p');
	  p.textContent = 'synthetic low-contrast text for the test';
	  p.style.color = '#ddd';
	  document.querySelector('main').append(p, document.createElement('select'));
	  return true;
	})()`)
	var ids []string
	for _, v := range browsertest.Axe(t, page) {
		ids = append(ids, v.ID)
	}
	for _, want := range []string{"color-contrast", "select-name"} {
		if !slices.Contains(ids, want) {
			t.Errorf("axe did not report %s; it reported %v", want, ids)
		}
	}
	if errs := page.Errors(); len(errs) > 0 {
		t.Errorf("console errors (a CSP report would show here): %v", errs)
	}
}
