// Package obscsv writes and reads the labdash-csv layout: one observation a
// row, the layout of every CSV export and of the "labdash-csv" ingest format,
// so one instance's export is another's source.
package obscsv

import (
	"encoding/csv"
	"io"
	"reflect"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/labdash/labdash/data"
)

// Row is one exported observation. The csv tags are the column names; the
// first thirteen are the required layout, the rest add provenance.
type Row struct {
	OccupationCode  string `csv:"occupation_code"`
	OccupationTitle string `csv:"occupation_title"`
	AreaCode        string `csv:"area_code"`
	AreaTitle       string `csv:"area_title"`
	IndustryCode    string `csv:"industry_code"`
	IndustryTitle   string `csv:"industry_title"`
	Measure         string `csv:"measure"`
	Period          string `csv:"period"`
	Value           string `csv:"value"`
	Unit            string `csv:"unit"`
	Flag            string `csv:"flag"`
	Tier            string `csv:"tier"`
	SourceURL       string `csv:"source_url"`
	SourceTitle     string `csv:"source_title"`
	SourceName      string `csv:"source_name"`
	RetrievedAt     string `csv:"retrieved_at"`
	Notes           string `csv:"notes"`
}

// RequiredColumns must be present in a labdash-csv file; the others may be
// missing (older exports, hand-made files).
var RequiredColumns = []string{
	"occupation_code", "occupation_title", "area_code", "area_title", "industry_code",
	"industry_title", "measure", "period", "value", "unit", "flag", "tier", "source_url",
}

// FromObservation turns an observation into a row. Text cells that a
// spreadsheet would run as a formula are neutralised here, and invalid
// UTF-8 (a store written by an older labdash, or edited by hand) becomes
// U+FFFD, so every writer of this layout is safe and every CSV it writes is
// the UTF-8 its Content-Type says.
func FromObservation(o data.Observation) Row {
	r := PlainRow(o)
	r.neutraliseText(o.IsText())
	return r
}

// PlainRow is the row of an observation with its text as it is: for a
// writer whose cells are typed, such as a workbook's string cells, where
// text can never run as a formula and an apostrophe would change it.
func PlainRow(o data.Observation) Row {
	r := Row{
		OccupationCode:  o.OccupationCode,
		OccupationTitle: o.OccupationTitle,
		AreaCode:        o.AreaCode,
		AreaTitle:       o.AreaTitle,
		IndustryCode:    o.IndustryCode,
		IndustryTitle:   o.IndustryTitle,
		Measure:         string(o.Measure),
		Period:          o.Period,
		Value:           o.ValueString(),
		Unit:            string(o.Unit),
		Flag:            string(o.Flag),
		Tier:            string(o.Tier),
		SourceURL:       o.SourceURL,
		SourceTitle:     o.SourceTitle,
		SourceName:      o.SourceName,
		Notes:           o.Notes,
	}
	if !o.RetrievedAt.IsZero() {
		r.RetrievedAt = o.RetrievedAt.UTC().Format(time.RFC3339)
	}
	return r
}

// Columns are the labdash-csv column names, in the order of Row and Cells.
func Columns() []string {
	t := reflect.TypeOf(Row{})
	names := make([]string, t.NumField())
	for i := range names {
		names[i] = t.Field(i).Tag.Get("csv")
	}
	return names
}

// Cells are the row's cells in column order.
func (r Row) Cells() []string {
	v := reflect.ValueOf(r)
	out := make([]string, v.NumField())
	for i := range out {
		out[i] = v.Field(i).String()
	}
	return out
}

// neutraliseText makes text cells valid UTF-8 and defuses formula-looking
// text. Codes and numbers are left alone by the latter: a SOC code such as
// "29-2010" starts with a digit, and a numeric value is written by strconv,
// so neither can start with a formula character.
func (r *Row) neutraliseText(valueIsText bool) {
	for _, p := range []*string{&r.OccupationCode, &r.OccupationTitle, &r.AreaCode, &r.AreaTitle,
		&r.IndustryCode, &r.IndustryTitle, &r.Measure, &r.Period, &r.Unit, &r.Flag, &r.Tier,
		&r.SourceURL, &r.SourceTitle, &r.SourceName, &r.Notes} {
		*p = NeutraliseFormula(validUTF8(*p))
	}
	if valueIsText {
		r.Value = NeutraliseFormula(validUTF8(r.Value))
	}
}

// validUTF8 replaces each run of invalid UTF-8 with U+FFFD; valid text, all
// of it in practice, is returned as it is without copying.
func validUTF8(s string) string {
	if utf8.ValidString(s) {
		return s
	}
	return strings.ToValidUTF8(s, "\uFFFD")
}

// NeutraliseFormula prefixes a cell that starts like a spreadsheet formula
// (=, +, -, @, tab or CR) with an apostrophe, which spreadsheets show as text.
func NeutraliseFormula(s string) string {
	if s == "" {
		return s
	}
	switch s[0] {
	case '=', '+', '-', '@', '\t', '\r':
		return "'" + s
	}
	return s
}

// RestoreFormula undoes NeutraliseFormula when reading an export back.
func RestoreFormula(s string) string {
	if len(s) >= 2 && s[0] == '\'' && strings.ContainsRune("=+-@\t\r", rune(s[1])) {
		return s[1:]
	}
	return s
}

// NewCSVWriter returns the csv.Writer every export uses: RFC 4180, CRLF-free.
func NewCSVWriter(w io.Writer) *csv.Writer { return csv.NewWriter(w) }
