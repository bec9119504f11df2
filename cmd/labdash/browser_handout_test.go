package main

import (
	"regexp"
	"strconv"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/labdash/labdash/internal/browsertest"
)

// pdfPageCount reads the page count of a PDF from its page tree.
func pdfPageCount(pdf []byte) int {
	m := regexp.MustCompile(`/Type\s*/Pages\b[^>]*?/Count\s+(\d+)|/Count\s+(\d+)[^>]*?/Type\s*/Pages\b`).FindSubmatch(pdf)
	if m == nil {
		return 0
	}
	n, _ := strconv.Atoi(string(m[1]) + string(m[2]))
	return n
}

// The counselor handout prints on one page, A4 or Letter, charts drawn and
// the QR code present.
func TestHandoutPrintsOnOnePage(t *testing.T) {
	base, _ := startServer(t)
	browser := browsertest.Start(t)
	for _, code := range []string{"29-2010", "31-9097", "29-2012"} {
		page := browser.Open(t, base+"/s/1/handout?code="+code, 1000, 1300)
		browsertest.WaitFor(t, page, `[...document.querySelectorAll('.chart')].every(c => c.getAttribute('data-drawn') === 'true')`, 20*time.Second)
		if ok := browsertest.Eval[bool](t, page, `(() => { const img = document.querySelector('.qr img'); return !!img && img.complete && img.naturalWidth > 100; })()`); !ok {
			t.Errorf("%s: the QR code did not load", code)
		}
		browsertest.Screenshot(t, page, "handout-"+code)
		for name, paper := range map[string]chromedp.PaperSize{"Letter": chromedp.PaperLetter, "A4": chromedp.PaperA4} {
			pdf, err := chromedp.Run(page.Ctx, chromedp.PrintToPDF(chromedp.PDFPaper(paper), chromedp.PDFPrintBackground()))
			if err != nil {
				t.Fatal(err)
			}
			if n := pdfPageCount(pdf); n != 1 {
				t.Errorf("%s handout prints on %d pages of %s, want 1", code, n, name)
			}
		}
		if errs := page.Errors(); len(errs) > 0 {
			t.Errorf("%s: console errors: %v", code, errs)
		}
		if off := page.OffHostRequests(); len(off) > 0 {
			t.Errorf("%s: off-host requests: %v", code, off)
		}
	}
}
