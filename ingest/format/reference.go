package format

import (
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/labdash/labdash/data"
	"github.com/labdash/labdash/ingest/fileerr"
)

// referenceFormat is reference-csv: the reference-figures file
// (bls-reference-figures.csv), figures read on web pages, each with its own
// source and tier.
type referenceFormat struct{}

func (referenceFormat) Name() string                            { return "reference-csv" }
func (referenceFormat) Title() string                           { return "Reference figures" }
func (f referenceFormat) CheckOccupations(codes []string) error { return needNone(f.Name(), codes) }
func (referenceFormat) Files(src Source) ([]Request, error)     { return single(src), nil }

func (referenceFormat) Parse(in Input) ([]data.Observation, error) {
	r, _, err := in.Files[0].Open()
	if err != nil {
		return nil, err
	}
	defer r.Close()
	obs, err := parseReference(r, in.Prov)
	if err != nil {
		return nil, fmt.Errorf("reference figures: %w", fileerr.At(in.Files[0].Name, 0, err))
	}
	return obs, nil
}

// referenceRow is one row of bls-reference-figures.csv.
type referenceRow struct {
	OccupationCode  string `csv:"occupation_code"`
	OccupationTitle string `csv:"occupation_title"`
	Measure         string `csv:"measure"`
	Value           string `csv:"value"`
	Unit            string `csv:"unit"`
	Period          string `csv:"period"`
	Geography       string `csv:"geography"`
	IndustryCode    string `csv:"industry_code"`
	IndustryTitle   string `csv:"industry_title"`
	Tier            string `csv:"tier"`
	SourceTitle     string `csv:"source_title"`
	SourceURL       string `csv:"source_url"`
	Notes           string `csv:"notes"`
}

var referenceColumns = []string{"occupation_code", "occupation_title", "measure", "value", "unit",
	"period", "geography", "industry_code", "industry_title", "tier", "source_title", "source_url", "notes"}

// unitAliases makes one unit name per measure: the reference file calls
// annual openings both "openings per year" and "jobs per year".
var unitAliases = map[data.Unit]data.Unit{"jobs per year": data.UnitOpeningsPerYear}

// ParseReference reads the reference-figures layout
// (docs/DATA.md, "Reference figures"). Rows that share a key are resolved by
// ResolveDuplicates; a row that cannot be read fails the whole file.
func ParseReference(r io.Reader, prov Provenance) ([]data.Observation, error) {
	obs, err := parseReference(r, prov)
	if err != nil {
		return nil, fmt.Errorf("reference figures: %w", err)
	}
	return obs, nil
}

func parseReference(r io.Reader, prov Provenance) ([]data.Observation, error) {
	cr := newCSVReader(r)
	um, err := newUnmarshallerFor(cr, referenceRow{}, referenceColumns)
	if err != nil {
		return nil, err
	}
	var out []data.Observation
	for {
		rec, err := um.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, csvError(err)
		}
		line, _ := cr.FieldPos(0)
		if len(out) == maxFigures {
			return nil, &fileerr.InputError{Line: line, Err: errFigures()}
		}
		o, err := referenceObservation(rec.(referenceRow), prov)
		if err != nil {
			return nil, &fileerr.InputError{Line: line, Err: err}
		}
		out = append(out, o)
	}
	if len(out) == 0 {
		return nil, errors.New("the file has no rows")
	}
	return ResolveDuplicates(out), nil
}

func referenceObservation(row referenceRow, prov Provenance) (data.Observation, error) {
	area, ok := data.AreaCodeForName(row.Geography)
	if !ok {
		return data.Observation{}, fmt.Errorf("unknown geography %q", clip(row.Geography))
	}
	o := data.Observation{
		OccupationCode:  strings.TrimSpace(row.OccupationCode),
		OccupationTitle: strings.TrimSpace(row.OccupationTitle),
		AreaCode:        area,
		AreaTitle:       strings.TrimSpace(row.Geography),
		IndustryCode:    strings.TrimSpace(row.IndustryCode),
		IndustryTitle:   strings.TrimSpace(row.IndustryTitle),
		Measure:         data.Measure(strings.TrimSpace(row.Measure)),
		Period:          strings.TrimSpace(row.Period),
		Unit:            data.Unit(strings.TrimSpace(row.Unit)),
		Tier:            data.Tier(strings.TrimSpace(row.Tier)),
		SourceTitle:     strings.TrimSpace(row.SourceTitle),
		SourceURL:       strings.TrimSpace(row.SourceURL),
		Notes:           strings.TrimSpace(row.Notes),
	}
	if alias, ok := unitAliases[o.Unit]; ok {
		o.Unit = alias
	}
	value := strings.TrimSpace(row.Value)
	if o.IsText() {
		o.Text = value
	} else {
		v, err := strconv.ParseFloat(strings.ReplaceAll(value, ",", ""), 64)
		if err != nil {
			return data.Observation{}, fmt.Errorf("value %q of %s is not a number", clip(value), clip(string(o.Measure)))
		}
		o.Value = &v
	}
	prov.apply(&o)
	if err := o.Check(); err != nil {
		return data.Observation{}, checkError(o, err)
	}
	return o, nil
}
