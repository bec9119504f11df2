package main

import (
	"fmt"
	"io"
	"net/http"
	"slices"
	"sync"
	"sync/atomic"
	"time"
)

// result is what one or more load runs of one side measured.
type result struct {
	latencies []time.Duration
	errors    int
	elapsed   time.Duration
}

func (r result) rps() float64 { return float64(len(r.latencies)) / r.elapsed.Seconds() }

// add merges another run of the same side.
func (r *result) add(o result) {
	r.latencies = append(r.latencies, o.latencies...)
	r.errors += o.errors
	r.elapsed += o.elapsed
}

// percentile expects sorted latencies.
func (r result) percentile(p float64) time.Duration {
	if len(r.latencies) == 0 {
		return 0
	}
	return r.latencies[int(float64(len(r.latencies)-1)*p)]
}

// loader keeps conns keep-alive connections busy, as browsers asking for
// the compressed page would.
type loader struct {
	conns          int
	acceptEncoding string
}

// load runs for d against url.
func (l *loader) load(url string, d time.Duration) result {
	var (
		wg     sync.WaitGroup
		mu     sync.Mutex
		res    result
		errors atomic.Int64
	)
	transport := &http.Transport{MaxIdleConnsPerHost: l.conns, DisableCompression: true}
	client := &http.Client{Transport: transport, Timeout: 10 * time.Second}
	start := time.Now()
	deadline := start.Add(d)
	for range l.conns {
		wg.Add(1)
		go func() {
			defer wg.Done()
			var local []time.Duration
			for time.Now().Before(deadline) {
				t0 := time.Now()
				if err := l.get(client, url); err != nil {
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
	res.elapsed = time.Since(start)
	transport.CloseIdleConnections()
	res.errors = int(errors.Load())
	return res
}

func (l *loader) get(client *http.Client, url string) error {
	req, _ := http.NewRequest("GET", url, nil)
	req.Header.Set("Accept-Encoding", l.acceptEncoding)
	resp, err := client.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	if _, err := io.Copy(io.Discard, resp.Body); err != nil {
		return err
	}
	if resp.StatusCode != 200 {
		return fmt.Errorf("status %d", resp.StatusCode)
	}
	return nil
}

// verdict compares the page with its baseline over one phase.
type verdict struct {
	name       string
	base, page result
	ratios     []float64 // page over baseline, one per round, sorted
}

// compare alternates baseline and page in rounds, so drift in the
// machine's load falls on both sides alike.
func (l *loader) compare(name, baseURL, pageURL string, d time.Duration, rounds int) verdict {
	v := verdict{name: name}
	slice := d / time.Duration(rounds)
	for i := range rounds {
		fmt.Printf("  %s: round %d of %d\r", name, i+1, rounds)
		base, page := l.load(baseURL, slice), l.load(pageURL, slice)
		v.base.add(base)
		v.page.add(page)
		v.ratios = append(v.ratios, page.rps()/base.rps())
	}
	slices.Sort(v.base.latencies)
	slices.Sort(v.page.latencies)
	slices.Sort(v.ratios)
	return v
}

// ratio is the median of the rounds' ratios: each round's two sides ran
// back to back, and a burst of other work on the machine spoils one round,
// not the result.
func (v verdict) ratio() float64 { return v.ratios[len(v.ratios)/2] }

func (v verdict) print() {
	fmt.Printf("%s\n", v.name)
	line := func(side string, r result) {
		fmt.Printf("  %-26s %8.0f req/s  p50 %-9s p99 %-9s errors %d\n", side, r.rps(),
			r.percentile(0.50).Round(time.Microsecond), r.percentile(0.99).Round(time.Microsecond), r.errors)
	}
	line("baseline []byte handler", v.base)
	line("labdash cached page", v.page)
	p99 := v.page.percentile(0.99)
	fmt.Printf("  serving ratio %.3f, median of %d rounds from %.3f to %.3f; of the totals %.3f (target >= %.2f: %s)\n",
		v.ratio(), len(v.ratios), v.ratios[0], v.ratios[len(v.ratios)-1], v.page.rps()/v.base.rps(), targetRatio, met(v.ratio() >= targetRatio))
	fmt.Printf("  p99 %s (target < %s: %s; the baseline's own p99 %s)\n", p99.Round(time.Microsecond), targetP99,
		met(p99 < targetP99), v.base.percentile(0.99).Round(time.Microsecond))
}

func met(ok bool) string {
	if ok {
		return "met"
	}
	return "NOT met"
}
