package main

import (
	"bufio"
	"context"
	"fmt"
	"os"
	"os/exec"
	"syscall"
	"time"

	"github.com/labdash/labdash/data"
	"github.com/labdash/labdash/internal/priority"
	"github.com/labdash/labdash/web"
)

// publishPause is the rest between two publishes: one snapshot about every
// 0.7 s, each moving every figure, far more often than any real ingest.
const publishPause = 500 * time.Millisecond

func where(o options) string {
	if o.inProcess {
		return "in the serving process"
	}
	return fmt.Sprintf("from a child process at nice +%d", priority.Background)
}

// startPublishing publishes revised snapshots until the returned stop is
// called, which says how many it published; the server is told after each.
func startPublishing(ctx context.Context, o options, store *data.Store, dbPath string, site *web.Server) (func() int, error) {
	if o.inProcess {
		return publishLoop(ctx, store, site), nil
	}
	return publishChild(dbPath, site)
}

// publishChild runs the publishing loop in a child process at the priority
// of labdash serve's ingests; it writes a line after each publish, and the
// server is told, as labdash serve is told by its ingest process.
func publishChild(dbPath string, site *web.Server) (func() int, error) {
	self, err := os.Executable()
	if err != nil {
		return nil, err
	}
	cmd := exec.Command(self, "-publish-into", dbPath)
	cmd.Stderr = os.Stderr
	out, err := cmd.StdoutPipe()
	if err != nil {
		return nil, err
	}
	if err := cmd.Start(); err != nil {
		return nil, err
	}
	count := make(chan int, 1)
	go func() {
		n := 0
		for lines := bufio.NewScanner(out); lines.Scan(); n++ {
			site.Refresh()
		}
		count <- n
	}()
	return func() int {
		cmd.Process.Signal(syscall.SIGTERM)
		n := <-count
		if err := cmd.Wait(); n == 0 {
			fmt.Fprintf(os.Stderr, "labdash-load: the publishing process published nothing (%v)\n", err)
		}
		return n
	}, nil
}

// runPublisher is the child: it publishes until it is signalled.
func runPublisher(dbPath string) error {
	if err := priority.Lower(priority.Background); err != nil {
		return err
	}
	ctx := context.Background()
	store, err := data.Open(ctx, dbPath)
	if err != nil {
		return err
	}
	defer store.Close()
	obs, err := store.Observations(ctx, 1, data.Filter{})
	if err != nil {
		return err
	}
	for v := 1; ; v++ {
		if err := publishRevision(ctx, store, obs, v); err != nil {
			return err
		}
		fmt.Println("published")
		time.Sleep(publishPause)
	}
}

// publishRevision publishes obs with every value moved, a synthetic
// revision that makes each snapshot invalidate the cached latest page.
func publishRevision(ctx context.Context, store *data.Store, obs []data.Observation, v int) error {
	for i := range obs {
		if obs[i].Value != nil {
			obs[i].Value = data.Float(*obs[i].Value + 1)
		}
	}
	_, err := store.Publish(ctx, data.Publication{Label: fmt.Sprintf("load test %d (synthetic)", v), Observations: obs})
	return err
}

// publishLoop publishes revised snapshots on a goroutine of this process
// until stopped, and tells the server each time. It returns how many it
// published.
func publishLoop(ctx context.Context, store *data.Store, site *web.Server) func() int {
	done := make(chan struct{})
	count := make(chan int, 1)
	go func() {
		n := 0
		obs, _ := store.Observations(ctx, 1, data.Filter{})
		for v := 1; ; v++ {
			select {
			case <-done:
				count <- n
				return
			default:
			}
			if publishRevision(ctx, store, obs, v) == nil {
				n++
				site.Refresh()
			}
			time.Sleep(publishPause)
		}
	}()
	return func() int { close(done); return <-count }
}
