package main

import (
	"testing"

	"github.com/chromedp/chromedp/kb"
)

func TestSettingsPageInARealBrowser(t *testing.T) {
	occVisitPages(t, []occVisit{
		{"settings", "/settings", 1, "measure", kb.ArrowDown}, // share → wage
		{"settings-wage", "/settings?code=29-2011&measure=wage", 1, "code", kb.ArrowDown},
		// A valid combination with no figures: no chart, the controls still work.
		{"settings-change", "/settings?code=29-2010&measure=change", 0, "measure", kb.ArrowUp},
	})
}
