package main

import (
	"strings"
	"testing"
	"time"

	"github.com/labdash/labdash/internal/browsertest"
)

// A reader opens a chart's "Cite" control and copies a citation with one click.
func TestCiteControlCopiesInARealBrowser(t *testing.T) {
	base, _ := startServer(t)
	browser := browsertest.Start(t)
	page := browser.Open(t, base+"/", 1440, 900)
	browsertest.WaitFor(t, page, `document.querySelectorAll('button.copy:not([hidden])').length > 0`, 10*time.Second)
	copied := browsertest.Eval[string](t, page, `(async () => {
	  const details = document.querySelector('#projections details.cite');
	  details.querySelector('summary').click();
	  if (!details.open) return 'the cite control did not open';
	  const button = details.querySelector('button.copy[data-copy$="-apa"]');
	  button.click();
	  for (let i = 0; i < 50 && button.getAttribute('data-copied') !== 'true'; i++) {
	    await new Promise(r => setTimeout(r, 20));
	  }
	  if (button.getAttribute('data-copied') !== 'true') return 'the copy button did not copy';
	  return document.getElementById(button.getAttribute('data-copy')).textContent;
	})()`)
	for _, want := range []string{"U.S. Bureau of Labor Statistics", "Employment Projections", "snapshot 1", "/s/1/"} {
		if !strings.Contains(copied, want) {
			t.Errorf("copied citation lacks %q: %s", want, copied)
		}
	}
	if errs := page.Errors(); len(errs) > 0 {
		t.Errorf("console errors: %v", errs)
	}
}
