package main

import (
	"fmt"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"

	"github.com/labdash/labdash/internal/browsertest"
)

// Page-weight budgets of issue 11, in bytes over the wire (headers and
// compressed bodies, as Chromium counts them): a first visit with an empty
// cache, and a repeat visit, when the hashed assets come from the cache and
// the page itself revalidates.
const (
	firstVisitBudget  = 250_000
	repeatVisitBudget = 30_000
)

// weightVisit is one page whose weight is measured; hasMap says whether it
// may load map code (the state shapes, topojson and ECharts' map series).
type weightVisit struct {
	name, path string
	hasMap     bool
}

var weightVisits = []weightVisit{
	{"home", "/", false},
	{"occupation", "/occupation", false},
	{"settings", "/settings", false},
	{"compare", "/compare", false},
	{"trends", "/trends", false},
	{"editions", "/editions", false},
	{"places", "/places?code=29-2018&measure=mean_annual_wage&period=May+2022", true},
}

// mapCode names the requests only a page with a map may make.
var mapCode = []string{"states-albers-10m", "topojson-client", "echarts-map"}

// TestPageWeightOverTheWire counts what Chromium receives for a first and a
// repeat visit of each page, on a phone and at desktop width, and fails
// above the budgets. It also checks that pages without a map load no map
// code. Each visit has a browser context of its own, so they run side by
// side.
func TestPageWeightOverTheWire(t *testing.T) {
	base, _ := startServer(t)
	browser := browsertest.Start(t)
	for _, v := range weightVisits {
		for _, screen := range screenSizes {
			t.Run(v.name+"/"+screen.Name, func(t *testing.T) {
				t.Parallel()
				page := browser.OpenEmptyCache(t, screen)
				wire := watchWire(t, page)
				first := wire.visit(t, page, base+v.path)
				repeat := wire.visit(t, page, base+v.path)
				t.Logf("%s at %d px: first visit %d bytes in %d requests, repeat visit %d bytes\nfirst:\n%srepeat:\n%s", v.path,
					screen.Width, first.bytes(), len(first), repeat.bytes(), first, repeat)
				checkWeight(t, v, first, repeat)
			})
		}
	}
}

func checkWeight(t *testing.T, v weightVisit, first, repeat transfers) {
	t.Helper()
	if len(first) < 4 || first[0].status != 200 {
		t.Fatalf("first visit recorded %d requests, the page's status %d: is the network listener working?", len(first), first[0].status)
	}
	if repeat[0].wireStatus != 304 {
		t.Errorf("repeat visit: the page answered %d, want 304 (revalidated)", repeat[0].wireStatus)
	}
	if n := first.bytes(); n > firstVisitBudget {
		t.Errorf("first visit transfers %d bytes, budget %d", n, firstVisitBudget)
	}
	if n := repeat.bytes(); n > repeatVisitBudget {
		t.Errorf("repeat visit transfers %d bytes, budget %d:\n%s", n, repeatVisitBudget, repeat)
	}
	for _, tr := range first {
		if tr.encoding == "" && tr.bytes > 2000 {
			t.Errorf("%s came uncompressed (%d bytes)", tr.url, tr.bytes)
		}
		for _, m := range mapCode {
			if !v.hasMap && strings.Contains(tr.url, m) {
				t.Errorf("a page without a map loaded map code: %s", tr.url)
			}
		}
	}
}

// transfer is one finished request.
type transfer struct {
	url        string
	status     int64
	wireStatus int64  // 0 when the response came from the cache
	encoding   string // Content-Encoding
	bytes      int    // Chromium's encodedDataLength: headers and body as received
}

type transfers []transfer

func (ts transfers) bytes() int {
	n := 0
	for _, t := range ts {
		n += t.bytes
	}
	return n
}

func (ts transfers) String() string {
	var b strings.Builder
	for _, t := range ts {
		fmt.Fprintf(&b, "  %7d  %d %-4s %s\n", t.bytes, t.wireStatus, t.encoding, t.url)
	}
	return b.String()
}

// wire records the requests of one tab from Chromium's network events. The
// events of one request may come in any order (an ExtraInfo event can come
// before requestWillBeSent), so a request is added when first seen.
type wire struct {
	mu       sync.Mutex
	order    []network.RequestID
	requests map[network.RequestID]*transfer
	finished map[network.RequestID]bool
}

func watchWire(t *testing.T, page *browsertest.Page) *wire {
	w := &wire{}
	w.reset()
	if err := chromedp.Listen(page.Ctx, w.record); err != nil {
		t.Fatal(err)
	}
	return w
}

func (w *wire) reset() {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.order, w.requests, w.finished = nil, map[network.RequestID]*transfer{}, map[network.RequestID]bool{}
}

// request returns the record of a request, adding it when new; w.mu is held.
func (w *wire) request(id network.RequestID) *transfer {
	tr := w.requests[id]
	if tr == nil {
		tr = &transfer{}
		w.requests[id] = tr
		w.order = append(w.order, id)
	}
	return tr
}

func (w *wire) record(ev any) {
	w.mu.Lock()
	defer w.mu.Unlock()
	switch ev := ev.(type) {
	case *network.EventRequestWillBeSent:
		w.request(ev.RequestID).url = ev.Request.URL
	case *network.EventResponseReceived:
		tr := w.request(ev.RequestID)
		tr.status = ev.Response.Status
		for k, v := range ev.Response.Headers {
			if enc, ok := v.(string); ok && strings.EqualFold(k, "Content-Encoding") {
				tr.encoding = enc
			}
		}
	case *network.EventResponseReceivedExtraInfo:
		// The status on the wire: a revalidated page shows up in
		// responseReceived as the cached 200, here as the 304 it was.
		w.request(ev.RequestID).wireStatus = ev.StatusCode
	case *network.EventLoadingFinished:
		w.request(ev.RequestID).bytes = int(ev.EncodedDataLength)
		w.finished[ev.RequestID] = true
	case *network.EventLoadingFailed:
		w.request(ev.RequestID)
		w.finished[ev.RequestID] = true
	}
}

// visit navigates to url, waits until every chart is drawn and every
// request has finished, and returns what went over the wire, the page first.
func (w *wire) visit(t *testing.T, page *browsertest.Page, url string) transfers {
	t.Helper()
	w.reset()
	if err := chromedp.Do(page.Ctx, chromedp.Navigate(url)); err != nil {
		t.Fatalf("opening %s: %v", url, err)
	}
	browsertest.WaitFor(t, page, `document.readyState === 'complete' && `+
		`[...document.querySelectorAll('.chart')].every(c => c.getAttribute('data-drawn') === 'true')`, time.Minute)
	// Network events reach the listener on their own schedule: wait until
	// it has seen every resource the page says came over the network.
	fetched := append(browsertest.Eval[[]string](t, page,
		`performance.getEntriesByType('resource').filter(e => e.transferSize > 0).map(e => e.name)`), url)
	// A ceiling for a machine busy with other work, never a measurement.
	deadline := time.Now().Add(time.Minute)
	for missing := w.unfinished(fetched); len(missing) > 0; missing = w.unfinished(fetched) {
		if time.Now().After(deadline) {
			t.Fatalf("%s: no network events after a minute for %v", url, missing)
		}
		time.Sleep(20 * time.Millisecond)
	}
	w.mu.Lock()
	defer w.mu.Unlock()
	var document, resources transfers
	for _, id := range w.order {
		switch tr := *w.requests[id]; {
		case tr.url == "":
			// Late events of a request of the visit before: its
			// requestWillBeSent came before reset.
		case tr.url == url && len(document) == 0:
			document = append(document, tr)
		default:
			resources = append(resources, tr)
		}
	}
	if len(document) == 0 {
		t.Fatalf("no request for the page %s was recorded", url)
	}
	// The page first, then its resources by address.
	sort.SliceStable(resources, func(i, j int) bool { return resources[i].url < resources[j].url })
	return append(document, resources...)
}

// unfinished lists the page's document and those of urls whose requests
// the listener has not seen finish.
func (w *wire) unfinished(urls []string) []string {
	w.mu.Lock()
	defer w.mu.Unlock()
	done := map[string]bool{}
	for _, id := range w.order {
		done[w.requests[id].url] = done[w.requests[id].url] || w.finished[id]
	}
	var out []string
	for _, u := range urls {
		if !done[u] {
			out = append(out, u)
		}
	}
	return out
}
