package format

import (
	"bufio"
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"strings"
	"unicode/utf8"

	"github.com/labdash/labdash/ingest/fileerr"

	"github.com/gocarina/gocsv"
)

// newCSVReader returns a reader for one CSV file with the BOM removed,
// padded fields trimmed and rows of any length allowed (lengths are checked
// against the header by the caller). CRLF line ends are handled by encoding/csv.
func newCSVReader(r io.Reader) *csv.Reader {
	br := bufio.NewReader(r)
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
		return nil, fmt.Errorf("reading the header: %w", err)
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
	if err := requireColumns(um.Headers, required); err != nil {
		return nil, err
	}
	return um, nil
}

// cp1252 maps the bytes 0x80-0x9F of Windows-1252 (what Excel's plain "CSV"
// writes on Windows) to runes; the other high bytes are Latin-1.
var cp1252 = [32]rune{
	'€', 0xFFFD, '‚', 'ƒ', '„', '…', '†', '‡', 'ˆ', '‰', 'Š', '‹', 'Œ', 0xFFFD, 'Ž', 0xFFFD,
	0xFFFD, '‘', '’', '“', '”', '•', '–', '—', '˜', '™', 'š', '›', 'œ', 0xFFFD, 'ž', 'Ÿ',
}

// cellText returns a cell as UTF-8: a cell that is not valid UTF-8 is read as
// Windows-1252, so the en dash of "2024–34" and the apostrophe of "Bachelor’s
// degree" survive a workbook saved as plain CSV.
func cellText(s string) string {
	if utf8.ValidString(s) {
		return s
	}
	var b strings.Builder
	b.Grow(len(s) + 8)
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c < 0x80:
			b.WriteByte(c)
		case c < 0xA0:
			b.WriteRune(cp1252[c-0x80])
		default:
			b.WriteRune(rune(c))
		}
	}
	return b.String()
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
