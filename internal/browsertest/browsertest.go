// Package browsertest drives Debian's headless Chromium through chromedp for
// the end-to-end tests: it opens pages at a given window size and records
// what a person's browser would show in its console and network panels.
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

	"github.com/chromedp/cdproto/log"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"
)

// ChromiumPath is where Debian installs the browser; LABDASH_CHROMIUM overrides it.
func ChromiumPath() string {
	if p := os.Getenv("LABDASH_CHROMIUM"); p != "" {
		return p
	}
	return "/usr/bin/chromium"
}

// Browser is one headless Chromium shared by a test's pages.
type Browser struct {
	ctx context.Context
}

// Start launches Chromium, failing the test (not skipping it) when the
// browser is missing: `make test` installs it.
func Start(t testing.TB) *Browser {
	t.Helper()
	path := ChromiumPath()
	if _, err := os.Stat(path); err != nil {
		t.Fatalf("browser tests need Chromium at %s (run `make test`, which installs Debian's chromium): %v", path, err)
	}
	opts := []chromedp.ExecAllocatorOption{
		chromedp.ExecPath(path),
		chromedp.Headless,
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.NoFirstRun,
		chromedp.NoDefaultBrowserCheck,
		chromedp.UserDataDir(t.TempDir()),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("hide-scrollbars", true),
	}
	allocCtx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancel := chromedp.NewContext(allocCtx)
	if err := chromedp.Do(ctx); err != nil { // starts the browser
		cancel()
		cancelAlloc()
		t.Fatalf("starting Chromium: %v", err)
	}
	t.Cleanup(func() { cancel(); cancelAlloc() })
	return &Browser{ctx: ctx}
}

// Page is one tab and what it has logged.
type Page struct {
	Ctx      context.Context
	mu       sync.Mutex
	errors   []string
	requests []string
}

// Open opens a new tab at width×height and navigates to rawURL.
func (b *Browser) Open(t testing.TB, rawURL string, width, height int64) *Page {
	t.Helper()
	p := &Page{}
	ctx, cancel := chromedp.NewContext(b.ctx, chromedp.WithListener(p.record))
	t.Cleanup(cancel)
	ctx, cancelTimeout := context.WithTimeout(ctx, 60*time.Second)
	t.Cleanup(cancelTimeout)
	p.Ctx = ctx
	if err := chromedp.Do(ctx, chromedp.EmulateViewport(width, height), chromedp.Navigate(rawURL)); err != nil {
		t.Fatalf("opening %s: %v", rawURL, err)
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

// WaitFor polls a JavaScript expression until it is true.
func WaitFor(t testing.TB, p *Page, expr string, timeout time.Duration) {
	t.Helper()
	if _, err := chromedp.Run(p.Ctx, chromedp.Poll[bool](expr, chromedp.WithPollingTimeout(timeout))); err != nil {
		t.Fatalf("waiting for %s: %v (page errors: %v)", expr, err, p.Errors())
	}
}

// Screenshot saves a full-page PNG under $LABDASH_SCREENSHOTS, when set, so
// a person can look at what the test saw.
func Screenshot(t testing.TB, p *Page, name string) {
	t.Helper()
	dir := os.Getenv("LABDASH_SCREENSHOTS")
	if dir == "" {
		return
	}
	png, err := chromedp.Run(p.Ctx, chromedp.FullScreenshot(100))
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
