// Command labdash-load measures the dashboard's serving speed on loopback:
// N connections for a fixed time against a cached page, beside a handler
// that returns the same bytes from a []byte, in the same run (machines here
// are noisy, so only the ratio means much). With -during-publish it
// publishes snapshots while the load runs, as an ingest would.
//
//	go run ./cmd/labdash-load -conns 32 -duration 20s -path /
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
	"sort"
	"sync"
	"sync/atomic"
	"time"

	"github.com/labdash/labdash/data"
	"github.com/labdash/labdash/ingest"
	"github.com/labdash/labdash/web"
)

func main() {
	conns := flag.Int("conns", 32, "concurrent connections")
	duration := flag.Duration("duration", 20*time.Second, "how long each load runs")
	path := flag.String("path", "/", "page to load (a cached dashboard page)")
	duringPublish := flag.Bool("during-publish", false, "also measure while snapshots are being published")
	flag.Parse()
	if err := run(*conns, *duration, *path, *duringPublish); err != nil {
		fmt.Fprintln(os.Stderr, "labdash-load:", err)
		os.Exit(1)
	}
}

func run(conns int, duration time.Duration, path string, duringPublish bool) error {
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
	body, header, err := fetch(siteURL + path)
	if err != nil {
		return err
	}
	baseURL, stopBase, err := listen(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		for k, v := range header {
			w.Header()[k] = v
		}
		w.Write(body)
	}))
	if err != nil {
		return err
	}
	defer stopBase()

	fmt.Printf("%d connections, %s each, page %s (%d bytes gzipped)\n", conns, duration, path, len(body))
	base := load(baseURL+path, conns, duration)
	report("baseline []byte handler", base, base)
	page := load(siteURL+path, conns, duration)
	report("labdash cached page", page, base)
	if duringPublish {
		stop := publishLoop(ctx, store, site)
		busy := load(siteURL+path, conns, duration)
		published := stop()
		report(fmt.Sprintf("labdash while publishing (%d snapshots)", published), busy, base)
	}
	return nil
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

func fetch(url string) ([]byte, http.Header, error) {
	req, _ := http.NewRequest("GET", url, nil)
	req.Header.Set("Accept-Encoding", "gzip")
	resp, err := (&http.Transport{DisableCompression: true}).RoundTrip(req)
	if err != nil {
		return nil, nil, err
	}
	defer resp.Body.Close()
	if resp.StatusCode != 200 {
		return nil, nil, fmt.Errorf("%s: status %d", url, resp.StatusCode)
	}
	b, err := io.ReadAll(resp.Body)
	return b, resp.Header.Clone(), err
}

// result is one load run.
type result struct {
	requests  int
	errors    int
	latencies []time.Duration
	elapsed   time.Duration
}

// load keeps conns keep-alive connections busy for d, as a browser asking
// for the gzipped page would.
func load(url string, conns int, d time.Duration) result {
	var (
		wg     sync.WaitGroup
		mu     sync.Mutex
		res    result
		errors atomic.Int64
	)
	transport := &http.Transport{MaxIdleConnsPerHost: conns, DisableCompression: true}
	client := &http.Client{Transport: transport, Timeout: 10 * time.Second}
	deadline := time.Now().Add(d)
	start := time.Now()
	for range conns {
		wg.Add(1)
		go func() {
			defer wg.Done()
			var local []time.Duration
			for time.Now().Before(deadline) {
				req, _ := http.NewRequest("GET", url, nil)
				req.Header.Set("Accept-Encoding", "gzip")
				t0 := time.Now()
				resp, err := client.Do(req)
				if err == nil {
					_, err = io.Copy(io.Discard, resp.Body)
					resp.Body.Close()
					if resp.StatusCode != 200 {
						err = fmt.Errorf("status %d", resp.StatusCode)
					}
				}
				if err != nil {
					errors.Add(1)
					continue
				}
				local = append(local, time.Since(t0))
			}
			mu.Lock()
			res.latencies = append(res.latencies, local...)
			mu.Unlock()
		}()
	}
	wg.Wait()
	transport.CloseIdleConnections()
	res.elapsed = time.Since(start)
	res.requests = len(res.latencies)
	res.errors = int(errors.Load())
	sort.Slice(res.latencies, func(i, j int) bool { return res.latencies[i] < res.latencies[j] })
	return res
}

func (r result) rps() float64 { return float64(r.requests) / r.elapsed.Seconds() }

func (r result) percentile(p float64) time.Duration {
	if len(r.latencies) == 0 {
		return 0
	}
	return r.latencies[int(float64(len(r.latencies)-1)*p)]
}

func report(name string, r, base result) {
	fmt.Printf("%-45s %9.0f req/s (%5.1f%% of baseline)  p50 %-9s p99 %-9s errors %d\n", name, r.rps(),
		100*r.rps()/base.rps(), r.percentile(0.50).Round(time.Microsecond), r.percentile(0.99).Round(time.Microsecond), r.errors)
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
