package format

import (
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/labdash/labdash/data"
	"github.com/labdash/labdash/ingest/fileerr"
)

// oewsFormat is bls-oews: an OEWS spreadsheet release as BLS ships it (the
// zip, such as oesm24nat.zip, oesm24st.zip, oesm24ma.zip, oesm24in4.zip or
// oesm24all.zip), one .xlsx out of it, or its data sheet saved as CSV. Every
// layout from May 2014 on is read by its header (oewslayout.go); the
// reference period comes from the file (oewsperiod.go) or sources.yaml.
type oewsFormat struct{}

func (oewsFormat) Name() string { return "bls-oews" }
func (oewsFormat) Title() string {
	return "BLS Occupational Employment and Wage Statistics (OEWS), spreadsheet release"
}
func (f oewsFormat) CheckOccupations(codes []string) error    { return needSome(f.Name(), codes) }
func (oewsFormat) Files(src Source) ([]Request, error)        { return single(src), nil }
func (oewsFormat) Parse(in Input) ([]data.Observation, error) { return ParseOEWS(in) }

// ParseOEWS reads an OEWS release and returns the figures of the configured
// occupations: every value column (employment, its RSE, employment per
// 1,000 jobs, location quotient, share of the industry, establishments
// reporting, mean and percentile wages hourly and annual, the wage RSE) of
// every area and industry the file has. Markers become flags; "#" keeps the
// top-code cap the workbook states as the value.
func ParseOEWS(in Input) ([]data.Observation, error) {
	if err := checkOccupations(in.Source.Occupations); err != nil {
		return nil, fmt.Errorf("bls-oews: %w", err)
	}
	if len(in.Files) != 1 {
		return nil, fmt.Errorf("bls-oews: one file is needed, %d given", len(in.Files))
	}
	p := newOEWSParser(in)
	if err := p.readFile(in.Files[0]); err != nil {
		return nil, fmt.Errorf("bls-oews: %w", err)
	}
	obs, err := p.finish()
	if err != nil {
		return nil, fmt.Errorf("bls-oews: %w", err)
	}
	return obs, nil
}

// readFile reads a zip, an .xlsx or a CSV, told apart by their bytes.
func (p *oewsParser) readFile(f File) error {
	r, size, err := f.Open()
	if err != nil {
		return err
	}
	kind := sniffFile(r)
	if kind == kindText {
		defer r.Close()
		return p.readCSV(f.Name, r)
	}
	if kind != kindZip {
		defer r.Close()
		return refuseKind(f.Name, kind, r, size)
	}
	r.Close()
	books, err := openWorkbooks(f, isOEWSWorkbook)
	if err != nil {
		return err
	}
	defer closeAll(books)
	for _, wb := range books {
		if err := p.readWorkbook(f.Name, wb); err != nil {
			return err
		}
	}
	return nil
}

// isOEWSWorkbook picks the data workbooks of a release zip: not the field
// descriptions, and not the by-ownership tables, whose rows repeat an
// industry once per ownership.
func isOEWSWorkbook(base string) bool {
	b := strings.ToLower(base)
	return !strings.HasPrefix(b, "field_descriptions") && !strings.Contains(b, "_own")
}

// readWorkbook finds the data sheet by its header, reads the period and the
// top-code caps from the field descriptions, and streams the data rows.
func (p *oewsParser) readWorkbook(outer string, wb *workbook) error {
	p.file = wb.name
	periods := []namedPeriod{{outer, periodInName(outer)}, {wb.name, periodInName(wb.name)}}
	var dataSheet string
	for _, sheet := range wb.x.GetSheetList() {
		head, err := wb.firstRows(sheet, 60)
		if err != nil {
			return err
		}
		if len(head) > 0 && hasOEWSHeader(head[0]) && dataSheet == "" {
			dataSheet = sheet
			periods = append(periods, namedPeriod{"sheet " + sheet, periodInName(sheet)})
			continue
		}
		if period, caps := readFieldDescriptions(head); period != "" || caps.hourly != 0 {
			periods = append(periods, namedPeriod{"sheet " + sheet, period})
			p.caps = caps
		}
	}
	if dataSheet == "" {
		return fileerr.At(wb.name, 0, fileerr.New(fileerr.ErrColumnsMissing,
			"no sheet has the OEWS header (OCC_CODE, OCC_TITLE, TOT_EMP, A_MEDIAN, …) in its first row; is this an OEWS release?"))
	}
	if err := p.setPeriod(wb.name, periods); err != nil {
		return err
	}
	return wb.eachRow(dataSheet, func(n int, cells []string) error {
		if n == 1 {
			return p.setLayout(cells)
		}
		return p.row(cells, n)
	})
}

// readCSV reads the data sheet saved as CSV, in UTF-8 or, as Excel saves
// a plain CSV, Windows-1252 (textenc.go).
func (p *oewsParser) readCSV(name string, r io.ReadSeeker) error {
	p.file = name
	if err := p.setPeriod(name, []namedPeriod{{name, periodInName(name)}}); err != nil {
		return err
	}
	text, enc, err := openText(r)
	if err != nil {
		return fileerr.At(name, 0, err)
	}
	if enc == encWindows1252 {
		p.in.note("%s: %s", name, windows1252Note)
	}
	cr := newCSVReader(text)
	cr.ReuseRecord = true
	var header []string
	for n := 1; ; n++ {
		cells, err := cr.Read()
		if errors.Is(err, io.EOF) {
			if n == 1 {
				return fileerr.New(fileerr.ErrFileEmpty, "%s is empty", name)
			}
			return nil
		}
		if err != nil {
			return fileerr.At(name, 0, csvError(err))
		}
		line, _ := cr.FieldPos(0)
		if err := checkRow(cells, columnWhere(header)); err != nil {
			return fileerr.At(name, line, err)
		}
		if n == 1 {
			header = append([]string(nil), cells...)
			err = p.setLayout(cells)
		} else {
			err = p.row(cells, line)
		}
		if err != nil {
			return err
		}
	}
}
