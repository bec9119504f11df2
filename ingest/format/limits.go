package format

import (
	"bytes"
	"fmt"
	"io"
	"unicode/utf8"

	"github.com/labdash/labdash/data"
	"github.com/labdash/labdash/ingest/fileerr"
)

// What a format reads is bounded at sizes no real BLS file comes near (the
// longest line of any BLS file labdash reads is under 1 KiB, the longest
// cell 568 characters, the widest table 32 columns), so a hostile or broken
// file is refused with a sentence before it can fill memory or the store.
// The stored fields have limits of their own (data/fieldlimits.go); both
// are listed in the README ("Limits").
const (
	// maxRowBytes bounds a line of a text file and a CSV row (line breaks
	// inside quotes included). Readers stop at it: a longer row is never
	// held whole.
	maxRowBytes = 64 << 10
	// maxCellChars bounds a cell of a CSV or workbook row.
	maxCellChars = 4096
	// maxRowCells bounds the cells of one row.
	maxRowCells = 1000
	// maxLookupLines bounds oe.area, oe.industry, oe.occupation and
	// oe.footnote, which are read whole (BLS's have under 1,200 lines).
	maxLookupLines = 100_000
	// maxTableRows bounds an EP table, read whole (BLS's have under 7,000 rows).
	maxTableRows = 20_000
	// maxAnswerBytes bounds one BLS API answer, read whole (50 series of
	// 20 years is about 600 KB).
	maxAnswerBytes = 32 << 20
	// maxFigures bounds the figures one source gives (the largest real
	// source, every area and industry of a few occupations, gives under
	// 100,000).
	maxFigures = 1_000_000
)

// count writes n with thousands separators, for limits in messages.
func count(n int) string { return data.GroupThousands(float64(n), 0) }

// errFigures is what a source with too many figures is told.
func errFigures() error {
	return fileerr.New(fileerr.ErrOverLimit, "the source gives more than %s figures, the most labdash keeps from one source; "+
		"list fewer occupations, or split the file", count(maxFigures))
}

// errLongRow is a row over maxRowBytes; line is where it starts.
func errLongRow(line int) error {
	return &fileerr.InputError{Line: line, Err: fileerr.New(fileerr.ErrOverLimit,
		"the row is longer than %s bytes, the most labdash reads in one row (a BLS file's rows are under 1 KiB); "+
			"this is not a file of this format", count(maxRowBytes))}
}

// rowLimiter refuses a CSV row over maxRowBytes before the CSV reader holds
// it whole. It follows quotes only as far as rows need: a line break inside
// an odd number of quotes does not end the row.
type rowLimiter struct {
	r        io.Reader
	inQuotes bool
	rowBytes int
	line     int // the line being read, from 1
	rowLine  int // the line the current row started on
	err      error
}

func newRowLimiter(r io.Reader) *rowLimiter { return &rowLimiter{r: r, line: 1, rowLine: 1} }

func (l *rowLimiter) Read(p []byte) (int, error) {
	if l.err != nil {
		return 0, l.err
	}
	n, err := l.r.Read(p)
	for rest := p[:n]; len(rest) > 0; {
		seg := rest
		nl := bytes.IndexByte(rest, '\n')
		if nl >= 0 {
			seg = rest[:nl+1]
		}
		rest = rest[len(seg):]
		l.rowBytes += len(seg)
		if l.rowBytes > maxRowBytes {
			l.err = errLongRow(l.rowLine)
			return 0, l.err
		}
		if bytes.Count(seg, []byte{'"'})%2 == 1 {
			l.inQuotes = !l.inQuotes
		}
		if nl >= 0 {
			l.line++
			if !l.inQuotes {
				l.rowBytes, l.rowLine = 0, l.line
			}
		}
	}
	return n, err
}

// checkRow refuses a row with more than maxRowCells cells or a cell over
// maxCellChars; where says where a cell is ("column 3 (OCC_TITLE)", "cell
// C5") for the message.
func checkRow(cells []string, where func(i int) string) error {
	if len(cells) > maxRowCells {
		return fileerr.New(fileerr.ErrOverLimit, "the row has %s cells; labdash reads at most %s in one row (BLS tables have under 40)",
			count(len(cells)), count(maxRowCells))
	}
	for i, c := range cells {
		if len(c) > maxCellChars {
			if n := utf8.RuneCountInString(c); n > maxCellChars {
				return fileerr.New(fileerr.ErrOverLimit, "%s holds %s characters; labdash reads at most %s in one cell",
					where(i), count(n), count(maxCellChars))
			}
		}
	}
	return nil
}

// columnWhere names a CSV cell by its column number and, when the header
// has one, its name.
func columnWhere(header []string) func(int) string {
	return func(i int) string {
		if i < len(header) && header[i] != "" && len(header[i]) <= 80 {
			return fmt.Sprintf("column %d (%s)", i+1, header[i])
		}
		return fmt.Sprintf("column %d", i+1)
	}
}

// clip shortens a value quoted in a message: a message names what was
// wrong, it does not repeat a field of megabytes.
func clip(s string) string {
	const most = 80
	if len(s) <= most {
		return s
	}
	n := 0
	for i := range s {
		if n == most {
			return s[:i] + fmt.Sprintf("… (%s bytes)", count(len(s)))
		}
		n++
	}
	return s
}
