package format

import (
	"bufio"
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/labdash/labdash/ingest/fileerr"

	"github.com/gocarina/gocsv"
)

// newCSVReader returns a reader for one CSV file with the BOM removed,
// padded fields trimmed and rows of any length allowed (lengths are checked
// against the header by the caller). CRLF line ends are handled by
// encoding/csv. A row over maxRowBytes ends the reading with errLongRow
// (an *fileerr.InputError) before it is held whole; csvError explains it.
func newCSVReader(r io.Reader) *csv.Reader {
	br := bufio.NewReader(newRowLimiter(r))
	if head, err := br.Peek(3); err == nil && bytes.Equal(head, fileerr.UTF8BOM) {
		br.Discard(3)
	}
	cr := csv.NewReader(br)
	cr.TrimLeadingSpace = true
	cr.FieldsPerRecord = -1
	cr.ReuseRecord = false
	return cr
}

// requireColumns reports the required columns a header lacks, in one sentence.
func requireColumns(header, required []string) error {
	have := make(map[string]bool, len(header))
	for _, h := range header {
		have[strings.TrimSpace(h)] = true
	}
	var missing []string
	for _, r := range required {
		if !have[r] {
			missing = append(missing, r)
		}
	}
	if len(missing) > 0 {
		return fileerr.New(fileerr.ErrColumnsMissing, "the header lacks the required column(s) %s", strings.Join(missing, ", "))
	}
	return nil
}

// newUnmarshaller reads the header of a CSV through our own csv.Reader (never
// gocsv's global setters), trims the header names and checks that the
// required columns are there: gocsv alone would fill a missing column with
// zero values and say nothing.
func newUnmarshaller(r io.Reader, row any, required []string) (*gocsv.Unmarshaller, error) {
	return newUnmarshallerFor(newCSVReader(r), row, required)
}

// newUnmarshallerFor is newUnmarshaller over a csv.Reader the caller has set
// up (for instance with FieldsPerRecord = 0, so that a row shorter than the
// header, as a cut-off download leaves, is an error).
func newUnmarshallerFor(cr *csv.Reader, row any, required []string) (*gocsv.Unmarshaller, error) {
	um, err := gocsv.NewUnmarshaller(cr, row)
	if errors.Is(err, io.EOF) {
		return nil, fileerr.New(fileerr.ErrFileEmpty, "the file is empty")
	}
	if err != nil {
		return nil, csvError(err)
	}
	trim := func(h []string) []string {
		out := make([]string, len(h))
		for i, s := range h {
			out[i] = strings.TrimSpace(s)
		}
		return out
	}
	if err := um.RenormalizeHeaders(trim); err != nil {
		return nil, fmt.Errorf("reading the header: %w", err)
	}
	if err := checkRow(um.Headers, columnWhere(nil)); err != nil {
		return nil, &fileerr.InputError{Line: 1, Err: err}
	}
	if err := requireColumns(um.Headers, required); err != nil {
		return nil, err
	}
	return um, nil
}

// csvError explains an error of a CSV reader in one sentence with its line:
// a row over the limit, a malformed row, or a read that failed.
func csvError(err error) error {
	var ie *fileerr.InputError
	if errors.As(err, &ie) {
		return err
	}
	var pe *csv.ParseError
	if errors.As(err, &pe) {
		return &fileerr.InputError{Line: pe.StartLine, Err: fileerr.New(fileerr.ErrRowMalformed, "the CSV cannot be read (%v)", pe.Err)}
	}
	return fmt.Errorf("reading the file: %w", err)
}

// splitTabbed splits a tab-separated line and trims the space padding.
func splitTabbed(line string) []string {
	f := strings.Split(strings.TrimRight(line, "\r\n"), "\t")
	for i := range f {
		f[i] = strings.TrimSpace(f[i])
	}
	return f
}

func indexOf(list []string, s string) int {
	for i, v := range list {
		if strings.EqualFold(v, s) {
			return i
		}
	}
	return -1
}
