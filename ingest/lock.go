package ingest

import (
	"context"
	"errors"
	"sync"

	"github.com/labdash/labdash/data"
)

// ErrRunInProgress is returned when another ingest holds the lock, in this
// process or another one (a CLI run beside the server, or another server on
// the same PostgreSQL database).
var ErrRunInProgress = errors.New("another ingest is running; try again when it has finished")

// runLock keeps runs from overlapping: a mutex for this process and the
// store's own lock for other processes (a file lock beside a SQLite store, an
// advisory lock in PostgreSQL). Both store locks are dropped when their
// holder dies, so a killed run never leaves the store locked.
type runLock struct {
	mu    sync.Mutex
	store *data.Store
}

func (l *runLock) acquire(ctx context.Context) (release func(), err error) {
	if !l.mu.TryLock() {
		return nil, ErrRunInProgress
	}
	unlock, ok, err := l.store.TryRunLock(ctx)
	if err != nil {
		l.mu.Unlock()
		return nil, err
	}
	if !ok {
		l.mu.Unlock()
		return nil, ErrRunInProgress
	}
	return func() {
		unlock()
		l.mu.Unlock()
	}, nil
}
