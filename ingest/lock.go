package ingest

import (
	"errors"
	"fmt"
	"os"
	"sync"
	"syscall"
)

// ErrRunInProgress is returned when another ingest holds the lock, in this
// process or another one (a CLI run beside the server).
var ErrRunInProgress = errors.New("another ingest is running; try again when it has finished")

// runLock keeps runs from overlapping: a mutex for this process and an
// advisory file lock (flock) for other processes on the same store. The
// kernel drops the file lock when its holder dies, so a killed run never
// leaves the store locked.
type runLock struct {
	mu   sync.Mutex
	path string
}

func (l *runLock) acquire() (release func(), err error) {
	if !l.mu.TryLock() {
		return nil, ErrRunInProgress
	}
	f, err := os.OpenFile(l.path, os.O_CREATE|os.O_RDWR, 0o644)
	if err != nil {
		l.mu.Unlock()
		return nil, fmt.Errorf("ingest lock %s: %w", l.path, err)
	}
	if err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB); err != nil {
		f.Close()
		l.mu.Unlock()
		if errors.Is(err, syscall.EWOULDBLOCK) {
			return nil, ErrRunInProgress
		}
		return nil, fmt.Errorf("ingest lock %s: %w", l.path, err)
	}
	return func() {
		syscall.Flock(int(f.Fd()), syscall.LOCK_UN)
		f.Close()
		l.mu.Unlock()
	}, nil
}
