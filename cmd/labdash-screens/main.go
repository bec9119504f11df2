// Command labdash-screens takes the README's screenshots: it serves the
// built-in figures on loopback, opens pages in Debian's headless Chromium
// on a phone (375 px, device emulation: mobile viewport, touch, 3× screen)
// and in a 1440 px desktop window, waits until every chart is drawn, and
// writes PNGs of the parts the README shows.
//
//	make assets && go run ./cmd/labdash-screens -out docs
//
// With -pages it instead saves whole pages, each on a phone and a desktop,
// for a person to look over before a change lands:
//
//	go run ./cmd/labdash-screens -out /tmp/look -pages /,/compare,/s/1/handout?code=29-2010
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
	"strings"
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
	offset   float64 // CSS pixels below the element's top; a part of a long page
}

// errPastEnd is a part of a page that starts below its end.
var errPastEnd = errors.New("past the end of the page")

var shots = []shot{
	{"screenshot-home.png", "/", browsertest.Desktop, "", 1100, 0.75, 0},
	{"screenshot-phone.png", "/", browsertest.Phone, "", 1300, 1.5, 0},
	{"screenshot-phone-chart.png", "/", browsertest.Phone, "#work-settings", 1500, 1.5, 0},
	{"screenshot-phone-handout.png", "/s/1/handout?code=31-9097", browsertest.Phone, "", 1500, 1.5, 0},
}

func main() {
	out := flag.String("out", "docs", "directory for the PNGs")
	pages := flag.String("pages", "", "comma-separated paths to save whole, on a phone and a desktop, instead of the README's shots")
	flag.Parse()
	list := shots
	if *pages != "" {
		list = wholePages(strings.Split(*pages, ","))
	}
	if err := run(*out, list); err != nil {
		fmt.Fprintln(os.Stderr, "labdash-screens:", err)
		os.Exit(1)
	}
}

// wholePages are shots of each path's whole page on a phone and a
// desktop, named after the path, in parts short enough to read at full size.
func wholePages(paths []string) []shot {
	const partPx, maxParts = 1200, 12
	var list []shot
	name := strings.NewReplacer("/", "_", "?", "_", "=", "-", "&", "_")
	for _, p := range paths {
		base := strings.Trim(name.Replace(p), "_")
		if base == "" {
			base = "home"
		}
		for _, screen := range []browsertest.Screen{browsertest.Phone, browsertest.Desktop} {
			for part := range maxParts {
				file := fmt.Sprintf("%s-%s-%d.png", base, screen.Name, part+1)
				list = append(list, shot{file, p, screen, "", partPx, 1, float64(part * partPx)})
			}
		}
	}
	return list
}

func run(out string, shots []shot) error {
	base, stop, err := serveBuiltin()
	if err != nil {
		return err
	}
	defer stop()
	ctx, cancel := chromium()
	defer cancel()
	for _, s := range shots {
		png, err := take(ctx, base, s)
		if errors.Is(err, errPastEnd) {
			continue
		}
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
	top, width := box[0]+s.offset, box[1]
	if top >= box[2] {
		return nil, errPastEnd
	}
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
