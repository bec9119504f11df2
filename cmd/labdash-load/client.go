package main

import (
	"fmt"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"time"
)

// runPhase loads the baseline and the page in alternating rounds and
// prints the verdict. The clients run on goroutines of the serving process
// by default, as every earlier measurement did; with -client-process in a
// process of their own. On two cores the second costs both servers about
// a millisecond of p99 (loopback hand-offs between processes), so the
// default keeps results comparable.
func runPhase(o options, name, baseURL, pageURL string) error {
	if !o.clientProcess {
		w := &loader{conns: o.conns, acceptEncoding: o.acceptEncoding}
		w.load(pageURL, time.Second) // warm up: connections, caches
		v := w.compare(name, baseURL, pageURL, o.duration, o.rounds)
		fmt.Println() // past the rounds' progress line
		v.print()
		return nil
	}
	self, err := os.Executable()
	if err != nil {
		return err
	}
	cmd := exec.Command(self, "-drive", strings.Join([]string{name, baseURL, pageURL}, "\t"),
		"-conns", strconv.Itoa(o.conns), "-duration", o.duration.String(), "-rounds", strconv.Itoa(o.rounds),
		"-accept-encoding", o.acceptEncoding)
	cmd.Stdout, cmd.Stderr = os.Stdout, os.Stderr
	if err := cmd.Run(); err != nil {
		return fmt.Errorf("the client process of phase %q: %w", name, err)
	}
	return nil
}

// drivePhase is the client process: one phase, then its verdict.
func drivePhase(o options) error {
	parts := strings.Split(o.drive, "\t")
	if len(parts) != 3 {
		return fmt.Errorf("-drive wants name, baseline URL and page URL separated by tabs, got %q", o.drive)
	}
	o.clientProcess = false
	return runPhase(o, parts[0], parts[1], parts[2])
}
