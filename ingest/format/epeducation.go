package format

import (
	"fmt"
	"io"

	"github.com/labdash/labdash/data"
	"github.com/labdash/labdash/ingest/fileerr"
)

// epEducationFormat is bls-ep-education: the EP workbook education.xlsx
// (or its assignments table saved as CSV), which gives each occupation's
// typical entry education, work experience in a related occupation and
// on-the-job training where an edition's occupation table lacks them. The
// table is found by its columns; the edition by the year its header names
// ("2019 National Employment Matrix code"), as a ten-year span.
type epEducationFormat struct{}

func (epEducationFormat) Name() string { return "bls-ep-education" }
func (epEducationFormat) Title() string {
	return "BLS Employment Projections, education and training assignments"
}
func (f epEducationFormat) CheckOccupations(codes []string) error { return needSome(f.Name(), codes) }
func (epEducationFormat) Files(src Source) ([]Request, error)     { return single(src), nil }

var epEducationRequired = []epKind{epOccupationCode, epEducation}

func (epEducationFormat) Parse(in Input) ([]data.Observation, error) {
	occupations, prov := in.Source.Occupations, withDefaultTier(in.Prov)
	fromCSV := func(r io.ReadSeeker) ([]data.Observation, error) {
		l, _, rows, _, err := readEPTable(r, epEducationRequired, in.note)
		if err != nil {
			return nil, fmt.Errorf("bls-ep-education: %w", fileerr.At(in.Files[0].Name, 0, err))
		}
		return educationRows(l, rows, occupations, prov)
	}
	return parseEPFile(in, "bls-ep-education", fromCSV, func(t epTable) ([]data.Observation, error) {
		return educationRows(t.layout, t.rows, occupations, prov)
	}, epEducationRequired)
}

// educationRows emits the text measures of the configured occupations.
func educationRows(l *epLayout, rows []epRecord, occupations []string, prov Provenance) ([]data.Observation, error) {
	wanted := make(map[string]bool, len(occupations))
	for _, c := range occupations {
		wanted[c] = false
	}
	e := &epEmitter{c: newCollector(""), prov: prov}
	texts := []struct {
		kind    epKind
		measure string
	}{
		{epEducation, "typical_entry_education"},
		{epExperience, "work_experience_in_related_occupation"},
		{epTraining, "on_the_job_training"},
	}
	for _, rec := range rows {
		code := rec.cell(l.one[epOccupationCode].index)
		if _, ok := wanted[code]; !ok {
			continue
		}
		wanted[code] = true
		title := data.OccupationTitles[code]
		if c, ok := l.one[epOccupationTitle]; ok && rec.cell(c.index) != "" {
			title = epTitle(rec.cell(c.index))
		}
		k := epKey{occCode: code, occTitle: title, line: rec.line}
		for _, t := range texts {
			if c, ok := l.one[t.kind]; ok {
				if err := e.text(k, t.measure, l.span(), rec.cell(c.index)); err != nil {
					return nil, err
				}
			}
		}
	}
	for _, c := range occupations {
		if !wanted[c] {
			return nil, fileerr.New(fileerr.ErrOccupationAbsent, "the education table has no row for %s; "+
				"summary codes such as 29-2010 in 2014-24 have no assignment of their own", c)
		}
	}
	return e.c.observations(), nil
}
