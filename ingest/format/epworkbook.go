package format

import (
	"fmt"
	"io"
	"strings"

	"github.com/labdash/labdash/data"
	"github.com/labdash/labdash/ingest/fileerr"
)

// epOccupationFormat is bls-ep-occupation: the EP occupation table, one row
// per occupation. It reads the workbook BLS publishes (occupation.xlsx,
// every edition from 2014-24 on: the table is found by its columns, not by
// its sheet's name or place), that table saved as CSV, or the CSV export of
// the data.bls.gov projections search.
type epOccupationFormat struct{}

func (epOccupationFormat) Name() string { return "bls-ep-occupation" }
func (epOccupationFormat) Title() string {
	return "BLS Employment Projections, occupation table"
}
func (f epOccupationFormat) CheckOccupations(codes []string) error { return needSome(f.Name(), codes) }
func (epOccupationFormat) Files(src Source) ([]Request, error)     { return single(src), nil }

func (epOccupationFormat) Parse(in Input) ([]data.Observation, error) {
	occupations, prov := in.Source.Occupations, withDefaultTier(in.Prov)
	fromCSV := func(r io.ReadSeeker) ([]data.Observation, error) {
		obs, err := parseEPOccupation(r, occupations, prov, in.note)
		if err != nil {
			return nil, fmt.Errorf("bls-ep-occupation: %w", fileerr.At(in.Files[0].Name, 0, err))
		}
		return obs, nil
	}
	return parseEPFile(in, "bls-ep-occupation", fromCSV, func(t epTable) ([]data.Observation, error) {
		return epOccupationRows(t.layout, t.rows, false, occupations, prov)
	}, epOccupationRequired)
}

// parseEPFile reads a workbook's best table with fromTable, and anything
// that is text with fromCSV.
func parseEPFile(in Input, name string, fromCSV func(r io.ReadSeeker) ([]data.Observation, error),
	fromTable func(epTable) ([]data.Observation, error), required []epKind) ([]data.Observation, error) {
	if err := checkOccupations(in.Source.Occupations); err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	f := in.Files[0]
	r, size, err := f.Open()
	if err != nil {
		return nil, err
	}
	defer r.Close()
	switch kind := sniffFile(r); kind {
	case kindText:
		return fromCSV(r)
	case kindZip:
	default:
		return nil, fmt.Errorf("%s: %w", name, refuseKind(f.Name, kind, r, size))
	}
	books, err := openWorkbooks(f, func(string) bool { return true })
	if err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	defer closeAll(books)
	t, err := bestEPTable(books[0], required)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	obs, err := fromTable(t)
	if err != nil {
		return nil, fmt.Errorf("%s: %s: %w", name, t.where, err)
	}
	return obs, nil
}

// epTable is a table read from a workbook sheet.
type epTable struct {
	where  string // "occupation.xlsx, sheet Table 1.7"
	layout *epLayout
	rows   []epRecord
	score  int
}

// maxEPSheetRows bounds a sheet read whole: EP tables hold about a
// thousand occupations.
const maxEPSheetRows = 20000

// bestEPTable reads every sheet and keeps the one whose header names the
// most of what labdash reads: the sheets' numbers and titles differ between
// editions (the full table is 1.7 in some, 1.2 in others).
func bestEPTable(wb *workbook, required []epKind) (epTable, error) {
	var best epTable
	var firstErr error
	for _, sheet := range wb.x.GetSheetList() {
		var recs []epRecord
		err := wb.eachRow(sheet, func(n int, cells []string) error {
			if n > maxEPSheetRows {
				return fileerr.New(fileerr.ErrRowMalformed, "sheet %q has over %d rows; this is not an EP table", sheet, maxEPSheetRows)
			}
			recs = append(recs, epRecord{cells: cells, line: n})
			return nil
		})
		if err != nil {
			return epTable{}, err
		}
		_, last, l, err := findEPHeader(recs, required)
		if err != nil {
			if firstErr == nil {
				firstErr = fmt.Errorf("sheet %q: %w", sheet, err)
			}
			continue
		}
		t := epTable{where: wb.name + ", sheet " + sheet, layout: l, rows: recs[last+1:], score: len(l.one)}
		if t.score > best.score {
			best = t
		}
	}
	if best.layout == nil {
		names := make([]string, 0, len(required))
		for _, k := range required {
			names = append(names, epKindNames[k])
		}
		return epTable{}, fileerr.At(wb.name, 0, fileerr.New(fileerr.ErrColumnsMissing,
			"no sheet holds a table with the %s columns (%s); is this the right EP workbook?",
			strings.Join(names, ", "), errText(firstErr)))
	}
	return best, nil
}

func errText(err error) string {
	if err == nil {
		return "no sheet has a header"
	}
	return "closest: " + err.Error()
}
