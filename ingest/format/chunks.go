package format

import (
	"bytes"
	"errors"
	"fmt"
	"io"
)

// chunkSize is how much of a large text file is read at a time: big reads
// cost few system calls, and a chunk is what a sink (a hash on another
// core) is lent at a time.
const chunkSize = 256 << 10

// errLongLine ends readLines at a line over maxRowBytes.
var errLongLine = errors.New("line over the limit")

// readLines reads r in chunks and calls lines with each run of whole lines
// (each ending in '\n'), in order, then once more with the last line if the
// input does not end with a newline. A line longer than maxRowBytes ends the
// reading with errLongLine before it is held whole. When sink is set, every
// byte read is lent to it, in order; it releases each chunk when done, and
// only then is that buffer read into again.
func readLines(r io.Reader, sink func([]byte, func()), lines func(block []byte) error) error {
	buffers := 2
	if sink != nil {
		buffers = 4 // the sink may hold some while the next are read
	}
	free := make(chan []byte, buffers)
	for range buffers {
		free <- make([]byte, chunkSize+maxRowBytes)
	}
	var prev, tail []byte // tail: the start of a line cut by the end of prev
	for {
		buf := <-free
		// When buf is prev (the sink released it), copy moves tail to the front.
		n := copy(buf, tail)
		if prev != nil && sink == nil {
			free <- prev // its tail is copied out
		}
		prev = buf
		k, err := io.ReadFull(r, buf[n:n+chunkSize])
		end := errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF)
		if err != nil && !end {
			return fmt.Errorf("reading the file: %w", err)
		}
		if k > 0 && sink != nil {
			sink(buf[n:n+k], func() { free <- buf })
		}
		data := buf[:n+k]
		whole := bytes.LastIndexByte(data, '\n') + 1
		if end {
			whole = len(data)
		}
		if whole > 0 {
			if err := lines(data[:whole]); err != nil {
				return err
			}
		}
		if len(data)-whole > maxRowBytes {
			return errLongLine
		}
		if end {
			return nil
		}
		tail = data[whole:]
	}
}
