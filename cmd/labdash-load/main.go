// Command labdash-load measures the dashboard's serving speed on loopback:
// N connections against a cached page, beside a handler that returns the
// same bytes from a []byte, in the same run. Machines here are shared and
// noisy, so the two alternate in short rounds (baseline, page, baseline,
// page, ...) and only the ratio of their totals means much. With
// -during-publish it measures both again while snapshots are published, as
// an ingest would: by default from a child process at the low priority
// labdash serve gives its ingests, or with -publish-in-process on a
// goroutine of the serving process, as labdash did before.
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
	inProcess      bool   // publish on a goroutine of this process
	publishInto    string // set in the publishing child: the store it publishes into
	clientProcess  bool   // load from a process of its own rather than goroutines of the serving process
	drive          string // set in the client child: "name baseURL pageURL" of the phase it runs
}

func main() {
	var o options
	flag.IntVar(&o.conns, "conns", 32, "concurrent connections")
	flag.DurationVar(&o.duration, "duration", 20*time.Second, "load time for each side (baseline, page) in each phase")
	flag.IntVar(&o.rounds, "rounds", 20, "alternating rounds each side's time is split into")
	flag.StringVar(&o.path, "path", "/", "page to load (a cached dashboard page)")
	flag.StringVar(&o.acceptEncoding, "accept-encoding", "gzip, deflate, br", "Accept-Encoding the clients send (Chromium's)")
	flag.BoolVar(&o.duringPublish, "during-publish", false, "also measure while snapshots are being published")
	flag.BoolVar(&o.inProcess, "publish-in-process", false, "publish on a goroutine of the serving process rather than from a low-priority child process")
	flag.StringVar(&o.publishInto, "publish-into", "", "run as the publishing child process, into this store (used by -during-publish)")
	flag.BoolVar(&o.clientProcess, "client-process", false, "run the clients in a process of their own rather than on goroutines of the serving process")
	flag.StringVar(&o.drive, "drive", "", "run as the client process of one phase: \"name baseURL pageURL\" (used by labdash-load itself)")
	flag.Parse()
	if o.drive != "" {
		if err := drivePhase(o); err != nil {
			fmt.Fprintln(os.Stderr, "labdash-load client:", err)
			os.Exit(1)
		}
		return
	}
	if o.publishInto != "" {
		if err := runPublisher(o.publishInto); err != nil {
			fmt.Fprintln(os.Stderr, "labdash-load publisher:", err)
			os.Exit(1)
		}
		return
	}
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
	dbPath := filepath.Join(dir, "labdash.db")
	store, err := data.Open(ctx, dbPath)
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
	phase := func(name string) error { return runPhase(o, name, baseURL+o.path, siteURL+o.path) }
	if err := phase("plain"); err != nil {
		return err
	}
	if o.duringPublish {
		stop, err := startPublishing(ctx, o, store, dbPath, site)
		if err != nil {
			return err
		}
		began := time.Now()
		err = phase("while publishing " + where(o))
		n := stop()
		// A publisher at low priority publishes less while the cores are
		// busy; the rate shows how much publishing the phase really had.
		fmt.Printf("  snapshots published meanwhile: %d, %.2f a second\n", n, float64(n)/time.Since(began).Seconds())
		return err
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
