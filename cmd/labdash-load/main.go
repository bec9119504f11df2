// Command labdash-load measures the dashboard's serving speed on loopback:
// N connections against a cached page, beside a handler that returns the
// same bytes from a []byte, in the same run. Machines here are shared and
// noisy, so the two alternate in short rounds (baseline, page, baseline,
// page, ...) and only the ratio of their totals means much. With
// -during-publish it measures both again while snapshots are published, as
// an ingest would.
//
//	go run ./cmd/labdash-load -conns 32 -duration 20s -path / -during-publish
package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"time"

	"github.com/labdash/labdash/data"
	"github.com/labdash/labdash/ingest"
	"github.com/labdash/labdash/web"
)

// Targets of issue 11: a cached page at 0.95 of the same bytes served from
// memory or better, with a p99 under 5 ms at 32 connections.
const (
	targetRatio = 0.95
	targetP99   = 5 * time.Millisecond
)

// options are the command's flags.
type options struct {
	conns          int
	duration       time.Duration // per side (baseline, page) and phase
	rounds         int
	path           string
	acceptEncoding string
	duringPublish  bool
}

func main() {
	var o options
	flag.IntVar(&o.conns, "conns", 32, "concurrent connections")
	flag.DurationVar(&o.duration, "duration", 20*time.Second, "load time for each side (baseline, page) in each phase")
	flag.IntVar(&o.rounds, "rounds", 20, "alternating rounds each side's time is split into")
	flag.StringVar(&o.path, "path", "/", "page to load (a cached dashboard page)")
	flag.StringVar(&o.acceptEncoding, "accept-encoding", "gzip, deflate, br", "Accept-Encoding the clients send (Chromium's)")
	flag.BoolVar(&o.duringPublish, "during-publish", false, "also measure while snapshots are being published")
	flag.Parse()
	if err := run(o); err != nil {
		fmt.Fprintln(os.Stderr, "labdash-load:", err)
		os.Exit(1)
	}
}

func run(o options) error {
	ctx := context.Background()
	dir, err := os.MkdirTemp("", "labdash-load-*")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	store, err := data.Open(ctx, filepath.Join(dir, "labdash.db"))
	if err != nil {
		return err
	}
	defer store.Close()
	if _, _, err := ingest.SeedBuiltin(ctx, store, data.Now()); err != nil {
		return err
	}
	site, err := web.New(store, slog.New(slog.NewTextHandler(io.Discard, nil)), web.Options{})
	if err != nil {
		return err
	}
	siteURL, stopSite, err := listen(site.Handler())
	if err != nil {
		return err
	}
	defer stopSite()
	body, header, err := fetch(siteURL+o.path, o.acceptEncoding)
	if err != nil {
		return err
	}
	baseURL, stopBase, err := listen(bytesHandler(body, header))
	if err != nil {
		return err
	}
	defer stopBase()

	fmt.Printf("%d connections, %s per side and phase in %d alternating rounds, page %s: %d bytes (Content-Encoding %q)\n",
		o.conns, o.duration, o.rounds, o.path, len(body), header.Get("Content-Encoding"))
	w := &loader{conns: o.conns, acceptEncoding: o.acceptEncoding}
	w.load(siteURL+o.path, time.Second) // warm up: connections, caches
	phases := []verdict{w.compare("plain", baseURL+o.path, siteURL+o.path, o.duration, o.rounds)}
	if o.duringPublish {
		stop := publishLoop(ctx, store, site)
		v := w.compare("while publishing", baseURL+o.path, siteURL+o.path, o.duration, o.rounds)
		v.name = fmt.Sprintf("while publishing (%d snapshots)", stop())
		phases = append(phases, v)
	}
	fmt.Println()
	for _, v := range phases {
		v.print()
	}
	return nil
}

// bytesHandler is the baseline: the page's own bytes and headers, written
// from memory with no work at all.
func bytesHandler(body []byte, header http.Header) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		for k, v := range header {
			w.Header()[k] = v
		}
		w.Write(body)
	})
}

// listen serves h on a free loopback port.
func listen(h http.Handler) (string, func(), error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", nil, err
	}
	srv := &http.Server{Handler: h, ReadHeaderTimeout: 5 * time.Second}
	go srv.Serve(ln)
	return "http://" + ln.Addr().String(), func() { srv.Close() }, nil
}

func fetch(url, acceptEncoding string) ([]byte, http.Header, error) {
	req, _ := http.NewRequest("GET", url, nil)
	req.Header.Set("Accept-Encoding", acceptEncoding)
	resp, err := (&http.Transport{DisableCompression: true}).RoundTrip(req)
	if err != nil {
		return nil, nil, err
	}
	defer resp.Body.Close()
	if resp.StatusCode != 200 {
		return nil, nil, fmt.Errorf("%s: status %d", url, resp.StatusCode)
	}
	b, err := io.ReadAll(resp.Body)
	header := resp.Header.Clone()
	header.Del("Date") // the baseline's server writes its own
	return b, header, err
}

// publishLoop publishes revised snapshots until stopped, as an ingest would,
// and tells the server each time. It returns how many it published.
func publishLoop(ctx context.Context, store *data.Store, site *web.Server) func() int {
	done := make(chan struct{})
	count := make(chan int, 1)
	go func() {
		n := 0
		obs, _ := store.Observations(ctx, 1, data.Filter{})
		for v := 1.0; ; v++ {
			select {
			case <-done:
				count <- n
				return
			default:
			}
			// Synthetic revision: every figure moves, so each snapshot
			// invalidates the cached latest page.
			for i := range obs {
				if obs[i].Value != nil {
					obs[i].Value = data.Float(*obs[i].Value + 1)
				}
			}
			if _, err := store.Publish(ctx, data.Publication{Label: fmt.Sprintf("load test %v (synthetic)", v), Observations: obs}); err == nil {
				n++
				site.Refresh()
			}
			time.Sleep(500 * time.Millisecond)
		}
	}()
	return func() int { close(done); return <-count }
}
