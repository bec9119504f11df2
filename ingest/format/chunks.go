package format

import (
	"bytes"
	"errors"
	"fmt"
	"io"
)

// chunkSize is how much of a large text file is read at a time: big reads
// cost few system calls.
const chunkSize = 256 << 10

// errLongLine ends readLines at a line over maxRowBytes.
var errLongLine = errors.New("line over the limit")

// readLines reads r in chunks and calls lines with each run of whole lines
// (each ending in '\n'), in order, then once more with the last line if the
// input does not end with a newline. A line longer than maxRowBytes ends the
// reading with errLongLine before it is held whole.
func readLines(r io.Reader, lines func(block []byte) error) error {
	// Two buffers: the next chunk is read into one while the tail of the
	// line cut by the end of the other is copied over.
	free := make(chan []byte, 2)
	for range 2 {
		free <- make([]byte, chunkSize+maxRowBytes)
	}
	var prev, tail []byte // tail: the start of a line cut by the end of prev
	for {
		buf := <-free
		n := copy(buf, tail)
		if prev != nil {
			free <- prev // its tail is copied out
		}
		prev = buf
		k, err := io.ReadFull(r, buf[n:n+chunkSize])
		end := errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF)
		if err != nil && !end {
			return fmt.Errorf("reading the file: %w", err)
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
