package obscsv

import (
	"io"

	"github.com/gocarina/gocsv"

	"github.com/labdash/labdash/data"
)

// batchSize bounds the rows held in memory while streaming an export.
const batchSize = 2000

// Writer streams observations as labdash-csv in batches, so an export of any
// size holds at most batchSize rows.
type Writer struct {
	out     *gocsv.SafeCSVWriter
	batch   []Row
	written bool
}

// NewWriter writes to w; bom puts a UTF-8 byte order mark first for Excel.
func NewWriter(w io.Writer, bom bool) (*Writer, error) {
	if bom {
		if _, err := io.WriteString(w, "\uFEFF"); err != nil {
			return nil, err
		}
	}
	return &Writer{out: gocsv.NewSafeCSVWriter(NewCSVWriter(w))}, nil
}

// Write adds one observation.
func (w *Writer) Write(o data.Observation) error {
	w.batch = append(w.batch, FromObservation(o))
	if len(w.batch) >= batchSize {
		return w.flushBatch()
	}
	return nil
}

func (w *Writer) flushBatch() error {
	var err error
	if !w.written {
		// gocsv writes the header only with the first batch; an empty export
		// still gets its header row.
		err = gocsv.MarshalCSV(w.batch, w.out)
		w.written = true
	} else if len(w.batch) > 0 {
		err = gocsv.MarshalCSVWithoutHeaders(w.batch, w.out)
	}
	w.batch = w.batch[:0]
	return err
}

// Close writes what is left and flushes.
func (w *Writer) Close() error {
	if err := w.flushBatch(); err != nil {
		return err
	}
	w.out.Flush()
	return w.out.Error()
}

// WriteAll writes a whole slice; for small exports such as one chart's numbers.
func WriteAll(w io.Writer, obs []data.Observation, bom bool) error {
	cw, err := NewWriter(w, bom)
	if err != nil {
		return err
	}
	for _, o := range obs {
		if err := cw.Write(o); err != nil {
			return err
		}
	}
	return cw.Close()
}
