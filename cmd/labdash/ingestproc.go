package main

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/exec"
	"syscall"
	"time"

	"github.com/labdash/labdash/data"
	"github.com/labdash/labdash/ingest"
)

// The server runs each ingest as a child process, `labdash ingest --events
// --background`, rather than on goroutines of its own: at a lower CPU
// priority the operating system gives the server's requests the cores
// first, which Go cannot do for one goroutine; the ingest's memory and any
// crash stay out of the server; and the run lock, the transaction and the
// run record are the same as for a run from the command line.

// ingestEvent is one line of `labdash ingest --events`.
type ingestEvent struct {
	Source string    `json:"source,omitempty"` // a source's read began
	Run    *data.Run `json:"run,omitempty"`    // the run ended and was recorded
	Error  string    `json:"error,omitempty"`  // the run did not happen, or ended in an error
	Busy   bool      `json:"busy,omitempty"`   // another ingest holds the lock
}

// eventWriter writes the events of the ingest command.
type eventWriter struct{ w io.Writer }

func (e *eventWriter) write(ev ingestEvent) {
	// One line each: the server reads them as they come.
	json.NewEncoder(e.w).Encode(ev)
}

func (e *eventWriter) reading(source string) { e.write(ingestEvent{Source: source}) }

func (e *eventWriter) ran(run data.Run) { e.write(ingestEvent{Run: &run}) }

func (e *eventWriter) failed(err error) {
	e.write(ingestEvent{Error: err.Error(), Busy: errors.Is(err, ingest.ErrRunInProgress)})
}

// ingestChildEnv is added to the environment of ingest processes (tests
// set it, so that the test binary runs as the labdash command).
var ingestChildEnv []string

// childStopTimeout is how long a cancelled ingest process has to roll back
// and end after SIGTERM before it is killed (a kill loses nothing either:
// the transaction is undone when the store is next opened).
const childStopTimeout = 15 * time.Second

// ingestProcess runs ingests in child processes of this program.
type ingestProcess struct {
	self        string   // this program's executable
	env         []string // the child's: ours, with the store's location
	sourcesPath string
	log         *slog.Logger
}

// newIngestProcess prepares ingests of the sources file into the store at
// dbPath. The store's location goes in the environment, not the arguments,
// so a PostgreSQL password does not show in a process listing.
func newIngestProcess(dbPath, sourcesPath string, log *slog.Logger) (*ingestProcess, error) {
	self, err := os.Executable()
	if err != nil {
		return nil, fmt.Errorf("cannot find this program's executable to run ingests with: %w", err)
	}
	env := append(os.Environ(), ingestChildEnv...)
	env = append(env, "LABDASH_DB="+dbPath)
	return &ingestProcess{self: self, env: env, sourcesPath: sourcesPath, log: log}, nil
}

// run runs one ingest and waits for it; reading is told each source as the
// child begins to read it. Cancelling ctx asks the child to stop.
func (p *ingestProcess) run(ctx context.Context, trigger string, reading func(string)) (data.Run, error) {
	cmd := exec.CommandContext(ctx, p.self, "ingest", "--sources", p.sourcesPath, "--trigger", trigger, "--events", "--background")
	cmd.Env = p.env
	// SIGTERM lets the child roll back and release the store; a child that
	// has not ended by WaitDelay is killed.
	cmd.Cancel = func() error { return cmd.Process.Signal(syscall.SIGTERM) }
	cmd.WaitDelay = childStopTimeout
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		return data.Run{}, err
	}
	stderr, err := cmd.StderrPipe()
	if err != nil {
		return data.Run{}, err
	}
	if err := cmd.Start(); err != nil {
		return data.Run{}, fmt.Errorf("cannot start the ingest process: %w", err)
	}
	lastLine := make(chan string, 1)
	go func() { lastLine <- p.relay(stderr) }()
	end := readEvents(stdout, reading)
	said := <-lastLine
	waitErr := cmd.Wait() // after every read, as os/exec requires
	return end.result(ctx, waitErr, said)
}

// relay copies the child's log and progress lines into the server's log
// and returns the last one, which names the failure of a child that died.
func (p *ingestProcess) relay(r io.Reader) string {
	var last string
	sc := bufio.NewScanner(r)
	for sc.Scan() {
		last = sc.Text()
		p.log.Info("ingest process", "output", last)
	}
	return last
}

// childEnd is what the child's events said about how its run ended.
type childEnd struct {
	run *data.Run
	err *ingestEvent
}

// readEvents reads the child's events until its stdout closes. A line that
// is not an event is ignored: the result then comes from the exit status.
func readEvents(r io.Reader, reading func(string)) childEnd {
	var end childEnd
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 64<<10), 4<<20) // a run lists every source and its message
	for sc.Scan() {
		var ev ingestEvent
		if json.Unmarshal(sc.Bytes(), &ev) != nil {
			continue
		}
		switch {
		case ev.Run != nil:
			end.run = ev.Run
		case ev.Error != "":
			end.err = &ev
		case ev.Source != "" && reading != nil:
			reading(ev.Source)
		}
	}
	io.Copy(io.Discard, r) // a line too long for the scanner must not block the child
	return end
}

// result turns the child's end into the run or an error with a sentence.
func (e childEnd) result(ctx context.Context, waitErr error, lastLine string) (data.Run, error) {
	switch {
	case e.run != nil:
		// Exit status 1 with a run is a run in which some source failed:
		// the run says which.
		return *e.run, nil
	case e.err != nil && e.err.Busy:
		return data.Run{}, ingest.ErrRunInProgress
	case e.err != nil:
		return data.Run{}, errors.New(e.err.Error)
	case ctx.Err() != nil:
		return data.Run{}, fmt.Errorf("the ingest was stopped before it ended (%v); the store keeps the snapshot it had", waitErr)
	case lastLine != "":
		return data.Run{}, fmt.Errorf("the ingest process ended without a result (%v): %s", waitErr, lastLine)
	default:
		return data.Run{}, fmt.Errorf("the ingest process ended without a result (%v)", waitErr)
	}
}
