package format

import (
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/labdash/labdash/ingest/fileerr"

	"github.com/labdash/labdash/data"
	"github.com/labdash/labdash/obscsv"
)

// The labdash-csv format: what obscsv writes, so one instance's export is
// another's source. Reading it back is lossless for every exported column.

// labdashCSVFormat is labdash-csv: another labdash's export.
type labdashCSVFormat struct{}

func (labdashCSVFormat) Name() string                            { return "labdash-csv" }
func (labdashCSVFormat) Title() string                           { return "labdash export" }
func (f labdashCSVFormat) CheckOccupations(codes []string) error { return needNone(f.Name(), codes) }
func (labdashCSVFormat) Files(src Source) ([]Request, error)     { return single(src), nil }

func (labdashCSVFormat) Parse(in Input) ([]data.Observation, error) {
	r, _, err := in.Files[0].Open()
	if err != nil {
		return nil, err
	}
	defer r.Close()
	obs, err := parseLabdashCSV(r, in.Prov)
	if err != nil {
		return nil, fmt.Errorf("labdash-csv: %w", fileerr.At(in.Files[0].Name, 0, err))
	}
	return obs, nil
}

// ParseLabdashCSV reads a labdash-csv file into observations. Text cells
// that the export neutralised against spreadsheet formulas are restored; the
// value is a number, or text when the unit is "text", or empty with a flag.
// The file's own provenance (tier, source name, title and URL, retrieved_at)
// is kept, as it describes where each figure came from; prov fills only what
// a row leaves empty, and FileHash is always prov's (the file read now).
// Surrounding spaces in cells are not significant.
func ParseLabdashCSV(r io.Reader, prov Provenance) ([]data.Observation, error) {
	obs, err := parseLabdashCSV(r, prov)
	if err != nil {
		return nil, fmt.Errorf("labdash-csv: %w", err)
	}
	return obs, nil
}

func parseLabdashCSV(r io.Reader, prov Provenance) ([]data.Observation, error) {
	body, err := openBody(r)
	if err != nil {
		return nil, err
	}
	tail := &tailReader{r: body}
	cr := newCSVReader(tail)
	cr.FieldsPerRecord = 0 // every row as wide as the header: a cut-off row is an error, not blanks
	um, err := newUnmarshallerFor(cr, obscsv.Row{}, obscsv.RequiredColumns)
	if err != nil {
		return nil, err
	}
	c := newCollector("")
	for {
		rec, err := um.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, labdashReadError(err, cr, tail)
		}
		line, _ := cr.FieldPos(0)
		o, err := labdashObservation(rec.(obscsv.Row), prov)
		if err != nil {
			return nil, &fileerr.InputError{Line: line, Err: err}
		}
		if err := c.add(o, line); err != nil {
			return nil, err
		}
	}
	if c.n == 0 {
		return nil, fileerr.New(fileerr.ErrOccupationAbsent, "the file has a header but no rows")
	}
	return c.observations(), nil
}

// labdashReadError explains a CSV error; a short last row in a file that
// ends mid-line is a cut-off download.
func labdashReadError(err error, cr *csv.Reader, tail *tailReader) error {
	var pe *csv.ParseError
	if !errors.As(err, &pe) {
		return csvError(err)
	}
	if errors.Is(pe.Err, csv.ErrFieldCount) {
		if _, next := cr.Read(); errors.Is(next, io.EOF) && tail.endsMidLine() {
			return &fileerr.InputError{Line: pe.StartLine, Err: fileerr.New(fileerr.ErrFileTruncated,
				"the last row is incomplete and the file ends mid-line; the file is cut off, download it again")}
		}
		return &fileerr.InputError{Line: pe.StartLine, Err: fileerr.New(fileerr.ErrRowMalformed,
			"the row does not have as many cells as the header; every labdash-csv row must")}
	}
	return &fileerr.InputError{Line: pe.StartLine, Err: fileerr.New(fileerr.ErrRowMalformed, "the CSV cannot be read (%v)", pe.Err)}
}

// labdashObservation turns one row back into an observation.
func labdashObservation(row obscsv.Row, prov Provenance) (data.Observation, error) {
	// Trimmed before and after: the export's apostrophe may shield a
	// leading tab or space that would otherwise have been trimmed.
	t := func(s string) string { return strings.TrimSpace(obscsv.RestoreFormula(strings.TrimSpace(s))) }
	o := data.Observation{
		OccupationCode: t(row.OccupationCode), OccupationTitle: t(row.OccupationTitle),
		AreaCode: t(row.AreaCode), AreaTitle: t(row.AreaTitle),
		IndustryCode: t(row.IndustryCode), IndustryTitle: t(row.IndustryTitle),
		Measure: data.Measure(t(row.Measure)), Period: t(row.Period), Unit: data.Unit(t(row.Unit)),
		Flag: data.Flag(t(row.Flag)), Tier: data.Tier(t(row.Tier)),
		SourceURL: t(row.SourceURL), SourceTitle: t(row.SourceTitle), SourceName: t(row.SourceName),
		Notes: t(row.Notes), FileHash: prov.FileHash,
	}
	value := strings.TrimSpace(row.Value)
	switch {
	case o.IsText():
		o.Text = t(value)
	case value != "":
		v, ok := parseDecimal(value)
		if !ok {
			return o, fileerr.New(fileerr.ErrValueUnreadable, "the value %q of %s is not a number; a labdash-csv value is a plain "+
				"number, text when the unit is \"text\", or empty with a flag", clip(value), clip(string(o.Measure)))
		}
		o.Value = &v
	}
	if at := strings.TrimSpace(row.RetrievedAt); at != "" {
		when, err := time.Parse(time.RFC3339, at)
		if err != nil {
			return o, fileerr.New(fileerr.ErrRowMalformed, "retrieved_at %q is not an RFC 3339 time such as 2025-05-01T12:00:00Z", clip(at))
		}
		o.RetrievedAt = when
	}
	fillBlank(&o.SourceName, prov.SourceName)
	fillBlank(&o.SourceTitle, prov.SourceTitle)
	fillBlank(&o.SourceURL, prov.SourceURL)
	if o.Tier == "" {
		o.Tier = prov.Tier
	}
	if o.RetrievedAt.IsZero() {
		o.RetrievedAt = prov.RetrievedAt
	}
	return o, nil
}

func fillBlank(s *string, with string) {
	if *s == "" {
		*s = with
	}
}
