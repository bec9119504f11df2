package ingest

import (
	"context"
	"errors"
	"time"

	"github.com/labdash/labdash/data"
	"github.com/labdash/labdash/ingest/config"
	"github.com/labdash/labdash/ingest/fetch"
	"github.com/labdash/labdash/ingest/format"
)

// A run of one source whose format can hand its figures over while it
// reads (format.Streamer) parses that source inside the publication
// (data.Publication.More): the store writes figures while the parser, on
// the other core, reads on. The whole read still comes before the commit,
// and a read that fails rolls back every figure it gave.

// streamBatch is how many figures the parser hands over at a time: enough
// that passing them between goroutines costs nothing much, few enough that
// the store starts writing early and holds little.
const streamBatch = 256

// errStreamFailed marks the error of a publication whose streamed read
// failed: the source failed, the store did not.
var errStreamFailed = errors.New("the source's read failed while it was published")

// streamRead makes read a streamed one: parsed later, by read.stream, inside
// the publication, then finished by read.pending as a read whose hash is
// pending is.
func (r *Runner) streamRead(ctx context.Context, cancel context.CancelFunc, read *sourceRead, sc config.SourceConfig,
	f format.Streamer, files []sourceFile, results []*fetch.Result, prov format.Provenance, retrieved time.Time,
	deadline time.Duration, hashed <-chan error, index int) *sourceRead {
	var (
		parseErr error
		streamed bool
		overran  bool // the deadline passed during the parse
	)
	read.stream = func(put func(*data.Observation) error) error {
		streamed = true
		parse := func(emit func(data.Observation) error) error {
			return f.ParseEach(r.formatInput(sc, files, results, prov, &read.notes), func(o data.Observation) error {
				if ctx.Err() != nil { // the parse cannot be stopped otherwise
					return context.Cause(ctx)
				}
				return emit(o)
			})
		}
		var putErr error
		parseErr, putErr = streamFigures(parse, func(o *data.Observation) error {
			o.FileHash = read.placeholder
			read.streamedRows++
			return put(o)
		})
		overran = ctx.Err() != nil
		if !overran {
			cancel() // the deadline covers the fetch and the parse, which are over
		}
		switch {
		case putErr != nil:
			return putErr
		case parseErr != nil || overran:
			return errStreamFailed
		}
		return nil
	}
	read.markPending(sc, retrieved, index, func() {
		defer cleanupAll(results)
		defer cancel() // after finish, which reads why ctx ended
		finishCtx := context.WithoutCancel(ctx)
		switch {
		case !streamed:
			parseErr = errors.New("the file was not read: publishing failed before it began")
		case overran:
			finishCtx = ctx // finish says the deadline passed
		}
		read.finish(finishCtx, sc, deadline, files, results, retrieved, <-hashed, parseErr)
	})
	return read
}

// streamFigures runs parse on a goroutine of its own and puts each figure it
// emits, in order, on this one. A put that fails stops the parse; either
// error is returned, the parse's first.
func streamFigures(parse func(emit func(data.Observation) error) error, put func(*data.Observation) error) (parseErr, putErr error) {
	batches := make(chan []data.Observation, 4)
	stop := make(chan struct{})
	parsed := make(chan error, 1)
	go func() {
		defer close(batches)
		batch := make([]data.Observation, 0, streamBatch)
		send := func() bool {
			select {
			case batches <- batch:
				batch = make([]data.Observation, 0, streamBatch) // the store may still hold the last one
				return true
			case <-stop:
				return false
			}
		}
		err := parse(func(o data.Observation) error {
			batch = append(batch, o)
			if len(batch) == streamBatch && !send() {
				return errStopped
			}
			return nil
		})
		if err == nil && len(batch) > 0 && !send() {
			err = errStopped
		}
		parsed <- err
	}()
	for batch := range batches {
		for i := range batch {
			if putErr != nil {
				break
			}
			if putErr = put(&batch[i]); putErr != nil {
				close(stop)
			}
		}
	}
	parseErr = <-parsed
	if errors.Is(parseErr, errStopped) {
		parseErr = nil // stopped because a put failed
	}
	return parseErr, putErr
}

// errStopped is what the parse is told when a put failed.
var errStopped = errors.New("stopped: the store failed")
