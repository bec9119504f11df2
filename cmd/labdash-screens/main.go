// Command labdash-screens takes the README's screenshots: it serves the
// built-in figures on loopback, opens pages in Debian's headless Chromium
// on a phone (375 px, device emulation: mobile viewport, touch, 3× screen)
// and in a 1440 px desktop window, waits until every chart is drawn, and
// writes PNGs of the parts the README shows.
//
//	make assets && go run ./cmd/labdash-screens -out docs
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"time"

	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"

	"github.com/labdash/labdash/data"
	"github.com/labdash/labdash/ingest"
	"github.com/labdash/labdash/internal/browsertest"
	"github.com/labdash/labdash/web"
)

// shot is one screenshot: a page on a screen, from the top of the element
// at selector (the page's top when empty), at most height CSS pixels,
// saved with scale image pixels to a CSS pixel.
type shot struct {
	file     string
	path     string
	screen   browsertest.Screen
	selector string
	height   float64
	scale    float64
}

var shots = []shot{
	{"screenshot-home.png", "/", browsertest.Desktop, "", 1100, 0.75},
	{"screenshot-phone.png", "/", browsertest.Phone, "", 1300, 1.5},
	{"screenshot-phone-chart.png", "/", browsertest.Phone, "#work-settings", 1500, 1.5},
	{"screenshot-phone-handout.png", "/s/1/handout?code=31-9097", browsertest.Phone, "", 1500, 1.5},
}

func main() {
	out := flag.String("out", "docs", "directory for the PNGs")
	flag.Parse()
	if err := run(*out); err != nil {
		fmt.Fprintln(os.Stderr, "labdash-screens:", err)
		os.Exit(1)
	}
}

func run(out string) error {
	base, stop, err := serveBuiltin()
	if err != nil {
		return err
	}
	defer stop()
	ctx, cancel := chromium()
	defer cancel()
	for _, s := range shots {
		png, err := take(ctx, base, s)
		if err != nil {
			return fmt.Errorf("%s: %w", s.file, err)
		}
		path := filepath.Join(out, s.file)
		if err := os.WriteFile(path, png, 0o644); err != nil {
			return err
		}
		fmt.Printf("%s: %s on a %s, %d bytes\n", path, s.path, s.screen.Name, len(png))
	}
	return nil
}

// serveBuiltin serves the built-in snapshot from a store in a temporary
// directory on a free loopback port.
func serveBuiltin() (string, func(), error) {
	ctx := context.Background()
	dir, err := os.MkdirTemp("", "labdash-screens-*")
	if err != nil {
		return "", nil, err
	}
	store, err := data.Open(ctx, filepath.Join(dir, "labdash.db"))
	if err != nil {
		os.RemoveAll(dir)
		return "", nil, err
	}
	cleanup := func() { store.Close(); os.RemoveAll(dir) }
	if _, _, err := ingest.SeedBuiltin(ctx, store, data.Now()); err != nil {
		cleanup()
		return "", nil, err
	}
	site, err := web.New(store, slog.New(slog.NewTextHandler(io.Discard, nil)), web.Options{})
	if err != nil {
		cleanup()
		return "", nil, err
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		cleanup()
		return "", nil, err
	}
	srv := &http.Server{Handler: site.Handler(), ReadHeaderTimeout: 10 * time.Second}
	go srv.Serve(ln)
	return "http://" + ln.Addr().String(), func() { srv.Close(); cleanup() }, nil
}

// chromium starts the headless browser with the flags the tests use.
func chromium() (context.Context, context.CancelFunc) {
	alloc, cancelAlloc := chromedp.NewExecAllocator(context.Background(),
		chromedp.ExecPath(browsertest.ChromiumPath()), chromedp.Headless, chromedp.NoSandbox, chromedp.DisableGPU,
		chromedp.NoFirstRun, chromedp.NoDefaultBrowserCheck,
		chromedp.Flag("disable-background-networking", true), chromedp.Flag("disable-component-update", true),
		chromedp.Flag("hide-scrollbars", true))
	ctx, cancel := chromedp.NewContext(alloc)
	return ctx, func() { cancel(); cancelAlloc() }
}

// take opens s.path in a tab of its own, waits for its charts and captures
// the part s asks for.
func take(browser context.Context, base string, s shot) ([]byte, error) {
	ctx, cancel := chromedp.NewContext(browser)
	defer cancel()
	ctx, cancelTimeout := context.WithTimeout(ctx, time.Minute)
	defer cancelTimeout()
	if err := chromedp.Do(ctx, s.screen.Emulate(), chromedp.Navigate(base+s.path)); err != nil {
		return nil, err
	}
	if err := waitUntil(ctx, `document.readyState === 'complete' && `+
		`[...document.querySelectorAll('.chart')].every(c => c.getAttribute('data-drawn') === 'true')`); err != nil {
		return nil, err
	}
	box, err := chromedp.Run(ctx, chromedp.Evaluate[[]float64](fmt.Sprintf(`(() => {
	  const el = %q ? document.querySelector(%q) : document.documentElement;
	  const r = el.getBoundingClientRect();
	  return [r.top + scrollY, document.documentElement.scrollWidth, document.documentElement.scrollHeight];
	})()`, s.selector, s.selector), chromedp.EvalAsValue))
	if err != nil {
		return nil, err
	}
	top, width := box[0], box[1]
	height := min(s.height, box[2]-top)
	yes := true
	shot, err := chromedp.Call(ctx, page.CaptureScreenshot, page.CaptureScreenshotParams{
		Format:                page.CaptureScreenshotFormatPng,
		CaptureBeyondViewport: &yes,
		FromSurface:           &yes,
		// Clip.Scale multiplies the screen's own device pixels.
		Clip: &page.Viewport{Y: top, Width: width, Height: height, Scale: s.scale / s.screen.Scale},
	})
	if err != nil {
		return nil, err
	}
	return shot.Data, nil
}

// waitUntil polls a JavaScript expression until it is true.
func waitUntil(ctx context.Context, expr string) error {
	for {
		ok, err := chromedp.Run(ctx, chromedp.Evaluate[bool](expr, chromedp.EvalAsValue))
		if err == nil && ok {
			return nil
		}
		select {
		case <-ctx.Done():
			return errors.Join(ctx.Err(), err)
		case <-time.After(50 * time.Millisecond):
		}
	}
}
