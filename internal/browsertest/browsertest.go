// Package browsertest drives Debian's headless Chromium through chromedp for
// the end-to-end tests: it opens pages at a given window size and records
// what a person's browser would show in its console and network panels.
//
// A test binary starts one browser, on first use, and every test opens its
// pages in tabs of it, which are kept open for the next test on the same
// screen; TestMain calls StopShared when the tests are done. Tabs may run in
// parallel: each emulates a focused page, so keyboard focus behaves in every
// tab as in the one in front.
package browsertest

import (
	"context"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/cdproto/log"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"
)

// ChromiumPath is where Debian installs the browser; LABDASH_CHROMIUM overrides it.
func ChromiumPath() string {
	if p := os.Getenv("LABDASH_CHROMIUM"); p != "" {
		return p
	}
	return "/usr/bin/chromium"
}

// Browser is one headless Chromium whose tabs are a test binary's pages.
type Browser struct {
	ctx  context.Context
	mu   sync.Mutex
	idle map[Screen][]*tab // open tabs no test is using, by screen
}

// tab is an open tab, emulating one screen.
type tab struct {
	ctx    context.Context // chromedp's context of the tab: no deadline
	close  context.CancelFunc
	screen Screen
}

// shared is the test binary's one browser: the package's only state, started
// by the first Start and stopped by StopShared.
var shared struct {
	once    sync.Once
	browser *Browser
	err     error
	stop    func()
}

// Start returns the test binary's browser, launching Chromium on first use.
// It fails the test (never skips it) when the browser is missing: `make test`
// installs it.
func Start(t testing.TB) *Browser {
	t.Helper()
	shared.once.Do(func() { shared.browser, shared.stop, shared.err = launch() })
	if shared.err != nil {
		t.Fatalf("browser tests need Chromium at %s (run `make test`, which installs Debian's chromium): %v", ChromiumPath(), shared.err)
	}
	return shared.browser
}

// StopShared closes the browser Start launched, if any, and removes its
// profile. Call it from TestMain after the tests ran.
func StopShared() {
	if shared.stop != nil {
		shared.stop()
		shared.stop = nil
	}
}

// launch starts Chromium with a profile of its own.
func launch() (*Browser, func(), error) {
	path := ChromiumPath()
	if _, err := os.Stat(path); err != nil {
		return nil, nil, err
	}
	profile, err := os.MkdirTemp("", "labdash-chromium-")
	if err != nil {
		return nil, nil, err
	}
	opts := []chromedp.ExecAllocatorOption{
		chromedp.ExecPath(path),
		chromedp.Headless,
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.NoFirstRun,
		chromedp.NoDefaultBrowserCheck,
		chromedp.UserDataDir(profile),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("hide-scrollbars", true),
		// Tabs in the background keep their timers and rendering going, so
		// tabs tested in parallel run as the one in front does.
		chromedp.Flag("disable-background-timer-throttling", true),
		chromedp.Flag("disable-backgrounding-occluded-windows", true),
		chromedp.Flag("disable-renderer-backgrounding", true),
		// A window's address bar draws its popup with web pages of the
		// browser's own (WebUI), loaded into a renderer as the window
		// opens, though a headless browser never shows it: the native popup
		// instead. It halved the CPU of the weight test, which opens a
		// window for each of its browser contexts.
		chromedp.Flag("disable-features", "WebUIOmniboxPopup,WebUIOmniboxAimPopup"),
	}
	allocCtx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancel := chromedp.NewContext(allocCtx)
	stop := func() { cancel(); cancelAlloc(); os.RemoveAll(profile) }
	if err := chromedp.Do(ctx); err != nil { // starts the browser
		stop()
		return nil, nil, fmt.Errorf("starting Chromium: %w", err)
	}
	return &Browser{ctx: ctx, idle: map[Screen][]*tab{}}, stop, nil
}

// Page is one tab and what it has logged.
type Page struct {
	Ctx      context.Context
	Screen   Screen
	mu       sync.Mutex
	errors   []string
	requests []string
}

// tabTimeout bounds everything one test does in a tab: a failure, not a
// pace.
const tabTimeout = 4 * time.Minute

// Screen is the window a page is opened in. A phone is emulated as the
// device it is, not as a narrow desktop window: a mobile viewport that
// follows the page's <meta name="viewport"> (and widens when the page is
// wider than the screen, as a phone's does), touch input, and Scale device
// pixels to a CSS pixel.
type Screen struct {
	Name          string
	Width, Height int64 // CSS pixels
	Mobile        bool
	Scale         float64 // device pixels per CSS pixel
}

// Phone is a 375 px wide phone with a 3× screen; Desktop a 1440 px window.
var (
	Phone   = Screen{Name: "phone", Width: 375, Height: 812, Mobile: true, Scale: 3}
	Desktop = Screen{Name: "desktop", Width: 1440, Height: 900, Scale: 1}
)

// Emulate sets the tab's viewport and input to the screen's.
func (s Screen) Emulate() chromedp.Action[chromedp.Void] {
	opts := []chromedp.EmulateViewportOption{chromedp.EmulateScale(max(s.Scale, 1))}
	if s.Mobile {
		opts = append(opts, chromedp.EmulateMobile, chromedp.EmulateTouch)
	}
	return chromedp.EmulateViewport(s.Width, s.Height, opts...)
}

// Open navigates a tab on screen s to rawURL: a tab an earlier test left
// open on that screen, or a new one. Tabs are kept because a new tab is a
// window of its own (so that it is shown and draws), and each window starts
// a renderer and the browser's own pages for its address bar: with a tab a
// test, that took more CPU than the pages tested. The page records what
// happens from now on, and its actions end at tabTimeout. When the test
// ends the tab is kept for another test, unless the test failed: then it
// may be in any state, and it is closed.
func (b *Browser) Open(t testing.TB, rawURL string, s Screen) *Page {
	t.Helper()
	tb, err := b.take(s)
	if err != nil {
		t.Fatalf("opening a tab for %s: %v", rawURL, err)
	}
	t.Cleanup(func() { b.release(t, tb) })
	p := tb.page(t)
	// An earlier test may have left the tab printing (checks of printing
	// emulate print media): the screen's media again.
	if _, err := chromedp.Call(p.Ctx, emulation.SetEmulatedMedia, emulation.SetEmulatedMediaParams{}); err != nil {
		t.Fatalf("resetting the media of the tab for %s: %v", rawURL, err)
	}
	if err := chromedp.Do(p.Ctx, chromedp.Navigate(rawURL)); err != nil {
		t.Fatalf("opening %s: %v", rawURL, err)
	}
	return p
}

// OpenEmptyCache opens a tab on screen s in a browser context of its own,
// which starts with an empty cache, as a first visitor's browser does,
// whatever other tests left in the browser's cache (clearing that cache
// would leave the renderer's memory cache). It navigates nowhere; tab and
// browser context close when the test ends.
func (b *Browser) OpenEmptyCache(t testing.TB, s Screen) *Page {
	t.Helper()
	tb, err := b.newTab(s, chromedp.WithNewBrowserContext())
	if err != nil {
		t.Fatalf("opening a tab in a new browser context: %v", err)
	}
	t.Cleanup(tb.close)
	return tb.page(t)
}

// take returns an idle tab on screen s, or opens one.
func (b *Browser) take(s Screen) (*tab, error) {
	b.mu.Lock()
	if idle := b.idle[s]; len(idle) > 0 {
		tb := idle[len(idle)-1]
		b.idle[s] = idle[:len(idle)-1]
		b.mu.Unlock()
		return tb, nil
	}
	b.mu.Unlock()
	return b.newTab(s)
}

// release keeps the tab of a test that passed for the next test and
// closes that of one that failed.
func (b *Browser) release(t testing.TB, tb *tab) {
	if t.Failed() {
		tb.close()
		return
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	b.idle[tb.screen] = append(b.idle[tb.screen], tb)
}

// newTab opens a tab on screen s.
func (b *Browser) newTab(s Screen, opts ...chromedp.ContextOption) (*tab, error) {
	ctx, cancel := chromedp.NewContext(b.ctx, opts...)
	tb := &tab{ctx: ctx, close: cancel, screen: s}
	if err := chromedp.Do(ctx, s.Emulate()); err != nil {
		cancel()
		return nil, err
	}
	// Every tab behaves as the focused one: Tab moves focus and focus rings
	// show in tabs tested side by side.
	if _, err := chromedp.Call(ctx, emulation.SetFocusEmulationEnabled, emulation.SetFocusEmulationEnabledParams{Enabled: true}); err != nil {
		cancel()
		return nil, fmt.Errorf("emulating focus: %w", err)
	}
	return tb, nil
}

// page starts a test's page in the tab: it records the tab's events until
// the test ends, and its context ends then or at tabTimeout.
func (tb *tab) page(t testing.TB) *Page {
	t.Helper()
	p := &Page{Screen: tb.screen}
	ctx, cancel := context.WithTimeout(tb.ctx, tabTimeout)
	t.Cleanup(cancel)
	p.Ctx = ctx
	if err := chromedp.Listen(ctx, p.record); err != nil {
		t.Fatalf("listening to a tab: %v", err)
	}
	return p
}

// record keeps console errors, exceptions, browser-log errors (CSP
// violations land there) and the address of every request.
func (p *Page) record(ev any) {
	p.mu.Lock()
	defer p.mu.Unlock()
	switch ev := ev.(type) {
	case *runtime.EventConsoleAPICalled:
		if ev.Type == runtime.ConsoleAPICalledTypeError || ev.Type == runtime.ConsoleAPICalledTypeAssert {
			var parts []string
			for _, a := range ev.Args {
				parts = append(parts, string(a.Value)+a.Description)
			}
			p.errors = append(p.errors, "console."+string(ev.Type)+": "+strings.Join(parts, " "))
		}
	case *runtime.EventExceptionThrown:
		text := ev.ExceptionDetails.Text
		if ev.ExceptionDetails.Exception != nil {
			text += " " + ev.ExceptionDetails.Exception.Description
		}
		p.errors = append(p.errors, "exception: "+text)
	case *log.EventEntryAdded:
		if ev.Entry.Level == log.EntryLevelError {
			p.errors = append(p.errors, "browser log: "+ev.Entry.Text+" "+ev.Entry.URL)
		}
	case *network.EventRequestWillBeSent:
		p.requests = append(p.requests, ev.Request.URL)
	}
}

// Errors returns what the page reported as an error so far.
func (p *Page) Errors() []string {
	p.mu.Lock()
	defer p.mu.Unlock()
	return append([]string(nil), p.errors...)
}

// Requests returns the address of every request so far.
func (p *Page) Requests() []string {
	p.mu.Lock()
	defer p.mu.Unlock()
	return append([]string(nil), p.requests...)
}

// OffHostRequests lists requests to anything but a loopback address. data:
// and blob: URLs (a saved chart image) never leave the machine.
func (p *Page) OffHostRequests() []string {
	var out []string
	for _, r := range p.Requests() {
		u, err := url.Parse(r)
		if err != nil {
			out = append(out, r)
			continue
		}
		switch {
		case u.Scheme == "data" || u.Scheme == "blob" || u.Scheme == "about":
		case u.Hostname() == "127.0.0.1" || u.Hostname() == "localhost" || u.Hostname() == "::1":
		default:
			out = append(out, r)
		}
	}
	return out
}

// Eval evaluates a JavaScript expression in the page.
func Eval[T any](t testing.TB, p *Page, expr string) T {
	t.Helper()
	v, err := chromedp.Run(p.Ctx, chromedp.Evaluate[T](expr, chromedp.EvalAsValue, awaitPromise))
	if err != nil {
		t.Fatalf("evaluating %s: %v", expr, err)
	}
	return v
}

// awaitPromise lets an expression be an async fetch whose result we wait for.
func awaitPromise(p *runtime.EvaluateParams) { yes := true; p.AwaitPromise = &yes }

// WaitFor polls a JavaScript expression until it is true. It is
// WaitAcrossNavigation: a page restored from the back-forward cache leaves
// chromedp's Poll waiting on a document that is gone, so no wait relies on it.
func WaitFor(t testing.TB, p *Page, expr string, timeout time.Duration) {
	t.Helper()
	WaitAcrossNavigation(t, p, expr, timeout)
}

// WaitAcrossNavigation polls a JavaScript expression until it is true while
// the page navigates: an evaluation that fails, or waits, because one
// document is replacing another is tried again, each try with a short
// deadline of its own (chromedp's Poll gives up when its document goes).
func WaitAcrossNavigation(t testing.TB, p *Page, expr string, timeout time.Duration) {
	t.Helper()
	tick := time.NewTicker(50 * time.Millisecond)
	defer tick.Stop()
	deadline := time.After(timeout)
	for {
		try, cancel := context.WithTimeout(p.Ctx, 5*time.Second)
		ok, err := chromedp.Run(try, chromedp.Evaluate[bool](expr, chromedp.EvalAsValue))
		cancel()
		if err == nil && ok {
			return
		}
		select {
		case <-tick.C:
		case <-deadline:
			state, _ := chromedp.Run(p.Ctx, chromedp.Evaluate[string](`location.search + ' ' + [...document.querySelectorAll('select')].map(s => s.name + '=' + s.value).join('&')`, chromedp.EvalAsValue))
			t.Fatalf("waiting for %s: last error %v; the page has %q (page errors: %v)", expr, err, state, p.Errors())
		}
	}
}

// TabUntil presses Tab until the expression holds, as a keyboard user
// would, at most 60 times.
func TabUntil(t testing.TB, p *Page, focused string) {
	t.Helper()
	for range 60 {
		if Eval[bool](t, p, focused) {
			return
		}
		if err := chromedp.Do(p.Ctx, chromedp.KeyEvent(kb.Tab)); err != nil {
			t.Fatal(err)
		}
	}
	t.Fatalf("60 Tab presses never reached: %s", focused)
}

// Screenshot saves a full-page PNG under $LABDASH_SCREENSHOTS, when set, so
// a person can look at what the test saw. A phone's page is saved at two
// image pixels to a CSS pixel (a 750 px wide image, as sharp as a README
// needs), a desktop's at one.
func Screenshot(t testing.TB, p *Page, name string) {
	t.Helper()
	dir := os.Getenv("LABDASH_SCREENSHOTS")
	if dir == "" {
		return
	}
	png, err := FullScreenshot(p, min(p.Screen.Scale, 2)/max(p.Screen.Scale, 1))
	if err != nil {
		t.Fatalf("screenshot: %v", err)
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(dir, name+".png")
	if err := os.WriteFile(path, png, 0o644); err != nil {
		t.Fatal(err)
	}
	fmt.Fprintf(os.Stderr, "screenshot: %s\n", path)
}

// FullScreenshot captures the whole page as a PNG at scale × the screen's
// device pixels per CSS pixel.
func FullScreenshot(p *Page, scale float64) ([]byte, error) {
	size, err := chromedp.Run(p.Ctx, chromedp.Evaluate[[]float64](
		`[document.documentElement.scrollWidth, document.documentElement.scrollHeight]`, chromedp.EvalAsValue))
	if err != nil {
		return nil, err
	}
	yes := true
	shot, err := chromedp.Call(p.Ctx, page.CaptureScreenshot, page.CaptureScreenshotParams{
		Format:                page.CaptureScreenshotFormatPng,
		CaptureBeyondViewport: &yes,
		FromSurface:           &yes,
		Clip:                  &page.Viewport{Width: size[0], Height: size[1], Scale: scale},
	})
	if err != nil {
		return nil, err
	}
	return shot.Data, nil
}
