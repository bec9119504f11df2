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
	"strings"
	"sync"
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
	Run    *data.Run `json:"run,omitempty"`    // the run ended; its ID is 0 if it could not be recorded
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
// so a PostgreSQL password does not show in a process listing. extraEnv is
// added to the child's environment.
func newIngestProcess(dbPath, sourcesPath string, extraEnv []string, log *slog.Logger) (*ingestProcess, error) {
	self, err := executable()
	if err != nil {
		return nil, fmt.Errorf("cannot find this program's executable to run ingests with: %w", err)
	}
	env := append(os.Environ(), extraEnv...)
	env = append(env, "LABDASH_DB="+dbPath)
	return &ingestProcess{self: self, env: env, sourcesPath: sourcesPath, log: log}, nil
}

// executable is the file this process runs. On Linux, /proc/self/exe: the
// same program even after an upgrade replaced or removed the file, so a
// running server never starts an ingest of another version (which could
// migrate the store under it, or speak other events).
func executable() (string, error) {
	if _, err := os.Stat("/proc/self/exe"); err == nil {
		return "/proc/self/exe", nil
	}
	return os.Executable()
}

// run runs one ingest and waits for it; reading is told each source as the
// child begins to read it. Cancelling ctx asks the child to stop. A run
// can come back with an error and a snapshot: published, then not recorded.
func (p *ingestProcess) run(ctx context.Context, trigger string, reading func(string)) (data.Run, error) {
	cmd := exec.CommandContext(ctx, p.self, "ingest", "--sources", p.sourcesPath, "--trigger", trigger, "--events", "--background")
	cmd.Args[0] = "labdash"
	cmd.Env = p.env
	// SIGTERM lets the child roll back and release the store; a child that
	// has not ended by WaitDelay is killed.
	cmd.Cancel = func() error { return cmd.Process.Signal(syscall.SIGTERM) }
	cmd.WaitDelay = childStopTimeout
	// Writers rather than os/exec's pipes: after WaitDelay, Wait closes
	// them even if something the child started still holds the other end.
	outR, outW := io.Pipe()
	errR, errW := io.Pipe()
	cmd.Stdout, cmd.Stderr = outW, errW
	if err := cmd.Start(); err != nil {
		return data.Run{}, fmt.Errorf("cannot start the ingest process: %w", err)
	}
	var (
		wg    sync.WaitGroup
		end   childEnd
		crash string
	)
	wg.Add(2)
	go func() { defer wg.Done(); end = readEvents(outR, reading) }()
	go func() { defer wg.Done(); crash = p.relay(errR) }()
	waitErr := cmd.Wait()
	outW.Close()
	errW.Close()
	wg.Wait()
	return end.result(ctx, waitErr, crash)
}

// relay copies the child's log into the server's, each record at its own
// level, and returns the line that best says why a child died: the first
// "panic:" or "fatal error:" line, else the last line.
func (p *ingestProcess) relay(r io.Reader) string {
	var last, fatal string
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 64<<10), 1<<20)
	for sc.Scan() {
		line := sc.Text()
		if !p.relayRecord(line) {
			p.log.Info("ingest process", "output", line)
		}
		last = line
		if fatal == "" && (strings.HasPrefix(line, "panic: ") || strings.HasPrefix(line, "fatal error: ")) {
			fatal = line
		}
	}
	io.Copy(io.Discard, r) // a line too long for the scanner must not block the child
	if fatal != "" {
		return fatal
	}
	return last
}

// relayRecord logs one of the child's JSON log records as the server's own,
// with its level, message and attributes; false if line is not one.
func (p *ingestProcess) relayRecord(line string) bool {
	var rec map[string]any
	if !strings.HasPrefix(line, "{") || json.Unmarshal([]byte(line), &rec) != nil {
		return false
	}
	msg, _ := rec[slog.MessageKey].(string)
	levelName, _ := rec[slog.LevelKey].(string)
	var level slog.Level
	if msg == "" || level.UnmarshalText([]byte(levelName)) != nil {
		return false
	}
	attrs := []any{"process", "ingest"}
	for k, v := range rec {
		if k != slog.TimeKey && k != slog.LevelKey && k != slog.MessageKey {
			attrs = append(attrs, k, v)
		}
	}
	p.log.Log(context.Background(), level, msg, attrs...)
	return true
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
		if ev.Run != nil {
			end.run = ev.Run
		}
		if ev.Error != "" {
			end.err = &ev
		}
		if ev.Source != "" && reading != nil {
			reading(ev.Source)
		}
	}
	io.Copy(io.Discard, r) // a line too long for the scanner must not block the child
	return end
}

// result turns the child's end into the run, an error with a sentence, or
// both (a snapshot published whose run could not be recorded).
func (e childEnd) result(ctx context.Context, waitErr error, crash string) (data.Run, error) {
	var run data.Run
	if e.run != nil {
		run = *e.run
	}
	switch {
	case e.err == nil && e.run != nil:
		// Exit status 1 with a run is a run in which some source failed:
		// the run says which.
		return run, nil
	case ctx.Err() != nil:
		return run, fmt.Errorf("the ingest was stopped before it ended (%v); the store keeps the snapshot it had", exitStatus(waitErr))
	case e.err != nil && e.err.Busy:
		return run, ingest.ErrRunInProgress
	case e.err != nil:
		return run, errors.New(e.err.Error)
	}
	err := fmt.Errorf("the ingest process ended without saying how its run went (%s)", exitStatus(waitErr))
	if isKilled(waitErr) {
		err = fmt.Errorf("%w; nothing here killed it: perhaps the system ran out of memory", err)
	}
	if crash != "" {
		err = fmt.Errorf("%w: %s", err, crash)
	}
	return run, err
}

func exitStatus(waitErr error) string {
	if waitErr == nil {
		return "exit status 0"
	}
	return waitErr.Error()
}

// isKilled reports whether the child died of SIGKILL.
func isKilled(waitErr error) bool {
	var ee *exec.ExitError
	if !errors.As(waitErr, &ee) {
		return false
	}
	ws, ok := ee.Sys().(syscall.WaitStatus)
	return ok && ws.Signaled() && ws.Signal() == syscall.SIGKILL
}
