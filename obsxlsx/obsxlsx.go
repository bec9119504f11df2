// Package obsxlsx writes figures as an Excel workbook: a "Figures" sheet in
// the labdash-csv columns, where codes, periods and words are text cells and
// values are number cells, and a "Sources" sheet with what the figures are,
// their citation and every source they were read from.
//
// Text is only ever written as a string cell, never as a formula: a title
// such as "=HYPERLINK(...)" from a downloaded file stays the text it is.
package obsxlsx

import (
	"fmt"
	"io"
	"slices"
	"strings"
	"unicode"

	"github.com/xuri/excelize/v2"

	"github.com/labdash/labdash/data"
	"github.com/labdash/labdash/obscsv"
)

// Sheet names.
const (
	FiguresSheet = "Figures"
	SourcesSheet = "Sources"
)

// About is what the Sources sheet says of the figures.
type About struct {
	Title     string   // what the figures are: a chart's title, or "labdash snapshot 3"
	Lines     []string // further lines: the source line, the snapshot, the pinned address
	Citations []Citation
}

// Citation is one citation of the figures in one style.
type Citation struct {
	Style, Text string
}

// columns are the labdash-csv columns, in its order; value is the one
// number column.
var columns = obscsv.Columns()

// Write writes the workbook of the figures each streams, then about, to w.
// The Figures sheet is streamed, so a whole snapshot costs memory for its
// distinct sources only.
func Write(w io.Writer, about About, each func(fn func(data.Observation) error) error) error {
	f := excelize.NewFile()
	defer f.Close()
	if err := f.SetSheetName(f.GetSheetName(0), FiguresSheet); err != nil {
		return err
	}
	sw, err := f.NewStreamWriter(FiguresSheet)
	if err != nil {
		return err
	}
	header := make([]any, len(columns))
	for i, c := range columns {
		header[i] = c
	}
	if err := sw.SetRow("A1", header); err != nil {
		return err
	}
	sources := &sourceList{}
	row := 2
	err = each(func(o data.Observation) error {
		sources.add(o)
		cell, _ := excelize.CoordinatesToCellName(1, row)
		row++
		return sw.SetRow(cell, figureRow(o))
	})
	if err != nil {
		return fmt.Errorf("figures sheet: %w", err)
	}
	if err := sw.Flush(); err != nil {
		return err
	}
	if err := writeSources(f, about, sources, row-2); err != nil {
		return fmt.Errorf("sources sheet: %w", err)
	}
	return f.Write(w)
}

// figureRow is one figure's cells: strings for every column but value,
// which is a number, or the text of a text measure, or empty when flagged.
func figureRow(o data.Observation) []any {
	r := obscsv.PlainRow(o).Cells()
	out := make([]any, len(r))
	for i, v := range r {
		out[i] = Text(v)
	}
	i := slices.Index(columns, "value")
	switch {
	case o.IsText():
		out[i] = Text(o.Text)
	case o.Value != nil:
		out[i] = *o.Value
	default:
		out[i] = nil // no cell: a missing figure is never zero
	}
	return out
}

// Text makes data text fit for a cell: invalid UTF-8 becomes U+FFFD and
// control characters other than tab and line feed are dropped (XML cannot
// carry them). It stays text: callers write it as a string cell.
func Text(s string) string {
	s = strings.ToValidUTF8(s, "\uFFFD")
	return strings.Map(func(r rune) rune {
		if unicode.IsControl(r) && r != '\t' && r != '\n' {
			return -1
		}
		return r
	}, s)
}

// sourceList gathers the distinct sources of the figures, in first-seen
// order, with how many figures each gave.
type sourceList struct {
	keys []string
	rows map[string]*sourceRow
}

type sourceRow struct {
	title, url string
	tier       data.Tier
	figures    int
}

func (s *sourceList) add(o data.Observation) {
	if s.rows == nil {
		s.rows = map[string]*sourceRow{}
	}
	k := o.SourceTitle + "\x00" + o.SourceURL + "\x00" + string(o.Tier)
	r, ok := s.rows[k]
	if !ok {
		r = &sourceRow{title: o.SourceTitle, url: o.SourceURL, tier: o.Tier}
		s.rows[k] = r
		s.keys = append(s.keys, k)
	}
	r.figures++
}

// writeSources fills the Sources sheet: the title and lines, each
// citation, then one row per source.
func writeSources(f *excelize.File, about About, sources *sourceList, figures int) error {
	if _, err := f.NewSheet(SourcesSheet); err != nil {
		return err
	}
	row := 1
	put := func(values ...any) error {
		for i, v := range values {
			cell, _ := excelize.CoordinatesToCellName(i+1, row)
			var err error
			switch v := v.(type) {
			case string:
				err = f.SetCellStr(SourcesSheet, cell, Text(v))
			case int:
				err = f.SetCellInt(SourcesSheet, cell, int64(v))
			}
			if err != nil {
				return err
			}
		}
		row++
		return nil
	}
	lines := append([]string{Text(about.Title), fmt.Sprintf("%d figures, on the sheet %q.", figures, FiguresSheet)}, about.Lines...)
	for _, l := range lines {
		if err := put(l); err != nil {
			return err
		}
	}
	row++
	for _, c := range about.Citations {
		if err := put("Citation ("+c.Style+")", c.Text); err != nil {
			return err
		}
	}
	row++
	if err := put("Source title", "Source address", "Tier", "Figures"); err != nil {
		return err
	}
	for _, k := range sources.keys {
		r := sources.rows[k]
		if err := put(r.title, r.url, string(r.tier), r.figures); err != nil {
			return err
		}
	}
	return nil
}
