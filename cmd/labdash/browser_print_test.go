package main

import (
	"bytes"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"

	"github.com/labdash/labdash/internal/browsertest"
)

// printCheckJS reads, under print media, what must not print (navigation,
// the controls form, download links, citation boxes, the skip link) and
// what must (charts, their canvases, tables, whole). It then narrows the
// page to a sheet's width (about 700 CSS px: A4 or Letter less margins),
// without a window resize that would make ECharts redraw, and checks each
// chart's canvas shrinks to fit with its proportions kept.
const printCheckJS = `(() => {
  const name = el => el.tagName.toLowerCase() + (el.id ? '#' + el.id : '') + (typeof el.className === 'string' && el.className ? '.' + el.className.split(' ')[0] : '');
  const printed = [...document.querySelectorAll('header.site nav, form.controls, .downloads, a.csv, details.cite, .skip')]
    .filter(el => el.checkVisibility()).map(name);
  const missing = [...document.querySelectorAll('.chart, .chart canvas, .table-wrap, table')]
    .filter(el => !el.checkVisibility() || el.getBoundingClientRect().height < 1).map(name);
  const clipped = [...document.querySelectorAll('.table-wrap')]
    .filter(el => el.scrollHeight > el.clientHeight + 1 || getComputedStyle(el).overflowY !== 'visible').map(name);
  const splittable = [...document.querySelectorAll('.chart')]
    .filter(el => getComputedStyle(el).breakInside !== 'avoid').map(name);
  document.querySelector('main').style.width = '700px';
  const cut = [...document.querySelectorAll('.chart canvas')].filter(c => {
    const box = c.closest('.chart').getBoundingClientRect(), r = c.getBoundingClientRect();
    const drawn = c.width / c.height, shown = r.width / r.height;
    return r.width > box.width + 1 || r.width < 100 || Math.abs(drawn - shown) > 0.02 * drawn;
  }).map(c => name(c.closest('.chart')));
  return {printed, missing, clipped, splittable, cut, charts: document.querySelectorAll('.chart canvas').length};
})()`

type printCheck struct {
	Printed, Missing, Clipped, Splittable, Cut []string
	Charts                                     int
}

// checkPrints: printing the page (from a wide window, where ECharts drew
// wide canvases) gives its charts and tables without navigation, controls
// or download links. It leaves the page in print media, narrowed to a
// sheet: it runs after every other check of the page.
func checkPrints(t *testing.T, r visitRun) {
	page := r.page
	waitForCharts(t, page)
	if _, err := chromedp.Call(page.Ctx, emulation.SetEmulatedMedia, emulation.SetEmulatedMediaParams{Media: "print"}); err != nil {
		t.Fatal(err)
	}
	got := browsertest.Eval[printCheck](t, page, printCheckJS)
	for _, c := range []struct {
		what string
		list []string
	}{
		{"printed though it should not be", got.Printed},
		{"missing from the print", got.Missing},
		{"tables cut to a scrolling box", got.Clipped},
		{"charts that may split across pages", got.Splittable},
		{"charts wider than the sheet or out of proportion", got.Cut},
	} {
		if len(c.list) > 0 {
			t.Errorf("%s: %v", c.what, c.list)
		}
	}
	if got.Charts == 0 {
		t.Error("no chart canvas on the page")
	}
	if errs := page.Errors(); len(errs) > 0 {
		t.Errorf("console errors: %v", errs)
	}
}

// checkHomePDF: the home page prints to a PDF.
func checkHomePDF(t *testing.T, r visitRun) {
	pdf, err := chromedp.Run(r.page.Ctx, chromedp.PrintToPDF(chromedp.PDFPaper(chromedp.PaperLetter)))
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.HasPrefix(pdf, []byte("%PDF-")) || !bytes.Contains(pdf[max(0, len(pdf)-64):], []byte("%%EOF")) {
		t.Fatalf("not a PDF: %q…", pdf[:min(len(pdf), 16)])
	}
	n := pdfPageCount(pdf)
	if n < 1 {
		t.Errorf("the PDF has %d pages", n)
	}
	t.Logf("home page prints on %d Letter pages (%d bytes)", n, len(pdf))
	if dir := os.Getenv("LABDASH_SCREENSHOTS"); dir != "" {
		if err := os.MkdirAll(dir, 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, "home-print.pdf"), pdf, 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

// pdfPageCount reads the page count of a PDF from its page tree.
func pdfPageCount(pdf []byte) int {
	m := regexp.MustCompile(`/Type\s*/Pages\b[^>]*?/Count\s+(\d+)|/Count\s+(\d+)[^>]*?/Type\s*/Pages\b`).FindSubmatch(pdf)
	if m == nil {
		return 0
	}
	n, _ := strconv.Atoi(string(m[1]) + string(m[2]))
	return n
}

// checkHandout: the counselor handout prints on one page, A4 or Letter,
// charts drawn and the QR code present, loading nothing from another host.
func checkHandout(t *testing.T, r visitRun) {
	page := r.page
	if ok := browsertest.Eval[bool](t, page, `(() => { const img = document.querySelector('.qr img'); return !!img && img.complete && img.naturalWidth > 100; })()`); !ok {
		t.Error("the QR code did not load")
	}
	for name, paper := range map[string]chromedp.PaperSize{"Letter": chromedp.PaperLetter, "A4": chromedp.PaperA4} {
		pdf, err := chromedp.Run(page.Ctx, chromedp.PrintToPDF(chromedp.PDFPaper(paper), chromedp.PDFPrintBackground()))
		if err != nil {
			t.Fatal(err)
		}
		if n := pdfPageCount(pdf); n != 1 {
			t.Errorf("the handout prints on %d pages of %s, want 1", n, name)
		}
	}
}

// checkCiteCopies: a reader opens a chart's "Cite" control and copies a
// citation with one click.
func checkCiteCopies(t *testing.T, r visitRun) {
	page := r.page
	browsertest.WaitFor(t, page, `document.querySelectorAll('button.copy:not([hidden])').length > 0`, time.Minute)
	copied := browsertest.Eval[string](t, page, `(async () => {
	  const details = document.querySelector('#projections details.cite');
	  details.open = false; // the Tab walk may have opened it
	  details.querySelector('summary').click();
	  if (!details.open) return 'the cite control did not open';
	  const button = details.querySelector('button.copy[data-copy$="-apa"]');
	  button.click();
	  for (let i = 0; i < 500 && button.getAttribute('data-copied') !== 'true'; i++) {
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
}
