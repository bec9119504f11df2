package format

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"regexp"
	"strconv"
	"strings"

	"github.com/labdash/labdash/ingest/fileerr"

	"github.com/labdash/labdash/data"
)

// sniffLen is how much of a body is looked at before parsing.
const sniffLen = 512

// openBody refuses an empty body or an HTML page before any parsing, so the
// user reads what went wrong rather than a confusing "missing column".
func openBody(r io.Reader) (*bufio.Reader, error) {
	br := bufio.NewReaderSize(r, 64<<10)
	head, err := br.Peek(sniffLen)
	if err != nil && !errors.Is(err, io.EOF) && !errors.Is(err, bufio.ErrBufferFull) {
		return nil, fmt.Errorf("reading the file: %w", err)
	}
	if len(bytes.TrimSpace(bytes.TrimPrefix(head, fileerr.UTF8BOM))) == 0 && len(head) < sniffLen {
		return nil, fileerr.New(fileerr.ErrFileEmpty, "the file is empty; the download may have failed")
	}
	if fileerr.LooksLikeHTML(head) {
		return nil, fileerr.New(fileerr.ErrFileIsHTML, "the file is an HTML page, not data; the server probably sent an error "+
			"or log-in page instead (check the URL, and for bls.gov a User-Agent with a contact e-mail address)")
	}
	return br, nil
}

// tailReader remembers the last byte read, so a parser can tell a file that
// ends mid-line (a cut-off download) from one that ends with a newline.
type tailReader struct {
	r    io.Reader
	last byte
	n    int64
}

func (t *tailReader) Read(p []byte) (int, error) {
	n, err := t.r.Read(p)
	if n > 0 {
		t.last = p[n-1]
		t.n += int64(n)
	}
	return n, err
}

// endsMidLine reports whether the bytes read so far stop inside a line.
func (t *tailReader) endsMidLine() bool { return t.n > 0 && t.last != '\n' && t.last != '\r' }

// nonNegativeMeasures can never be below zero.
var nonNegativeMeasures = map[data.Measure]bool{
	data.MeasureEmployment: true, data.MeasureProjectedEmployment: true, data.MeasureAnnualOpenings: true,
	data.MeasureEmploymentRSEPct: true, data.MeasureWageRSEPct: true, data.MeasureEmploymentPer1000: true,
	data.MeasureLocationQuotient: true,
}

// checkPlausible refuses values no source can mean: a negative wage or job
// count, a share outside 0-100, a decline of more than everything.
// Percentile order is deliberately not checked (top-coding breaks it).
func checkPlausible(o data.Observation) error {
	if o.Value == nil {
		return nil
	}
	return checkPlausibleValue(o.Measure, *o.Value)
}

func checkPlausibleValue(measure data.Measure, v float64) error {
	shown := func() string { return strconv.FormatFloat(v, 'f', -1, 64) }
	switch {
	case (nonNegativeMeasures[measure] || measure.Kind() == data.KindWage) && v < 0:
		return fileerr.New(fileerr.ErrValueImpossible, "%s cannot be negative, but the file gives %s", measure, shown())
	case strings.HasPrefix(string(measure), "share_of_") && (v < 0 || v > 100):
		return fileerr.New(fileerr.ErrValueImpossible, "%s is a percentage share and must lie between 0 and 100, but the file gives %s",
			measure, shown())
	case measure == "projected_growth_pct" && v < -100:
		return fileerr.New(fileerr.ErrValueImpossible, "projected_growth_pct cannot fall below -100 percent, but the file gives %s", shown())
	}
	return nil
}

// collector gathers one file's observations and refuses, with the line, any
// that is unfit: Check fails, the value is impossible, or the key was already
// given another value. A repeat of the same figure is kept once.
//
// Observations are kept in chunks that are never reallocated, so a large
// ingest does not copy what it has kept each time the slice would grow; they
// are joined once at the end.
type collector struct {
	file       string
	chunks     [][]data.Observation
	n          int
	seen       map[data.Key]seenAt
	duplicates int
}

// seenAt is where a key was first read.
type seenAt struct {
	obs  *data.Observation
	line int
}

const maxCollectorChunk = 8192

func newCollector(file string) *collector {
	return &collector{file: file, seen: make(map[data.Key]seenAt)}
}

func (c *collector) add(o data.Observation, line int) error {
	if c.n >= maxFigures {
		return &fileerr.InputError{File: c.file, Line: line, Err: errFigures()}
	}
	if err := o.Check(); err != nil {
		return &fileerr.InputError{File: c.file, Line: line, Err: checkError(o, err)}
	}
	if err := checkPlausible(o); err != nil {
		return &fileerr.InputError{File: c.file, Line: line, Err: err}
	}
	k := o.Key()
	if prev, dup := c.seen[k]; dup {
		if sameValue(*prev.obs, o) {
			c.duplicates++
			return nil
		}
		return &fileerr.InputError{File: c.file, Line: line, Err: fileerr.New(fileerr.ErrValuesConflict,
			"%s is %q here but %q on line %d; the file contradicts itself",
			describeKey(o), describeValue(o), describeValue(*prev.obs), prev.line)}
	}
	last := len(c.chunks) - 1
	if last < 0 || len(c.chunks[last]) == cap(c.chunks[last]) {
		c.chunks = append(c.chunks, make([]data.Observation, 0, min(max(64, c.n), maxCollectorChunk)))
		last++
	}
	c.chunks[last] = append(c.chunks[last], o)
	c.seen[k] = seenAt{obs: &c.chunks[last][len(c.chunks[last])-1], line: line}
	c.n++
	return nil
}

// checkError explains why data.Observation.Check refused o. A text field
// over its limit or not UTF-8 is named by its column, with no key: the
// oversized field may be the key.
func checkError(o data.Observation, err error) error {
	switch {
	case errors.Is(err, data.ErrTextTooLong):
		return fileerr.As(fileerr.ErrOverLimit, err)
	case errors.Is(err, data.ErrTextNotUTF8):
		return fileerr.As(fileerr.ErrNotText, err)
	}
	return fileerr.New(fileerr.ErrRowMalformed, "%s cannot be stored: %v", describeKey(o), err)
}

// observations returns what was kept, in the order first read; nil when nothing was.
func (c *collector) observations() []data.Observation {
	if c.n == 0 {
		return nil
	}
	out := make([]data.Observation, 0, c.n)
	for _, ch := range c.chunks {
		out = append(out, ch...)
	}
	return out
}

// sameValue compares what a figure says, not where it was read.
func sameValue(a, b data.Observation) bool {
	if (a.Value == nil) != (b.Value == nil) || (a.Value != nil && *a.Value != *b.Value) {
		return false
	}
	return a.Text == b.Text && a.Flag == b.Flag && a.Unit == b.Unit
}

// describeKey names a figure for a user: "median_annual_wage of 29-2018 in
// area 0000000, industry 621500, May 2024".
func describeKey(o data.Observation) string {
	s := string(o.Measure) + " of " + o.OccupationCode + " in area " + o.AreaCode
	switch {
	case o.IndustryCode != "":
		s += ", industry " + o.IndustryCode
	case o.IndustryTitle != "":
		s += ", industry " + strconv.Quote(o.IndustryTitle)
	}
	return s + ", " + o.Period
}

func describeValue(o data.Observation) string {
	s := o.ValueString()
	if o.Flag != data.FlagNone {
		s = strings.TrimSpace(s + " " + o.Flag.Label())
	}
	return s
}

// socCode is a SOC occupation code as configured: "29-2018".
var socCode = regexp.MustCompile(`^\d{2}-\d{4}$`)

// checkOccupations refuses a configuration the parsers cannot match.
func checkOccupations(codes []string) error {
	if len(codes) == 0 {
		return errNoOccupations
	}
	for _, c := range codes {
		if !socCode.MatchString(c) {
			return fmt.Errorf("the configured occupation %q is not a SOC code like 29-2018", c)
		}
	}
	return nil
}

// withDefaultTier makes BLS files primary unless the caller said otherwise.
func withDefaultTier(p Provenance) Provenance {
	if p.Tier == "" {
		p.Tier = data.TierPrimary
	}
	return p
}
