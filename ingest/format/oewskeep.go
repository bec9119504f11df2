package format

import (
	"fmt"
	"strings"

	"github.com/labdash/labdash/data"
	"github.com/labdash/labdash/ingest/fileerr"
)

// oewsParser holds one ParseOEWS call. Rows of the configured occupations
// are kept (a few per area and industry); every other row is dropped as it
// streams by, after one cell was looked at.
type oewsParser struct {
	in      Input
	file    string // the workbook or CSV being read, for messages
	period  string
	caps    topCodes
	layout  oewsLayout
	wanted  map[string]int // configured code → rows seen
	kept    map[oewsRowKey]int
	rows    []oewsRow
	skipped int
}

func newOEWSParser(in Input) *oewsParser {
	p := &oewsParser{in: in, wanted: map[string]int{}, kept: map[oewsRowKey]int{}}
	for _, c := range in.Source.Occupations {
		p.wanted[c] = 0
	}
	return p
}

// oewsRow is one kept data row.
type oewsRow struct {
	area, areaTitle, industry, industryTitle, occ, occTitle string
	group, own, file                                        string
	line                                                    int
	period                                                  string
	values                                                  []oewsCell
	columns                                                 []oewsColumn
}

type oewsRowKey struct{ area, industry, occ string }

// keep files a row under its key. BLS lists some codes twice: 29-2010 is
// both a "broad" and a "detailed" occupation from May 2017 on, with the same
// figures; the detailed row is kept, and if the two ever differ the run
// says so. A by-ownership row (OWN_CODE 5, private) gives way to the row of
// the broader ownership (1235, all) for the same industry.
func (p *oewsParser) keep(r oewsRow) error {
	r.period, r.columns = p.period, p.layout.values
	k := oewsRowKey{r.area, r.industry, r.occ}
	i, seen := p.kept[k]
	if !seen {
		if (len(p.rows)+1)*len(r.columns) > maxFigures {
			return fileerr.At(r.file, r.line, errFigures())
		}
		p.kept[k] = len(p.rows)
		p.rows = append(p.rows, r)
		return nil
	}
	prev := &p.rows[i]
	switch {
	case len(r.own) != len(prev.own):
		if len(r.own) > len(prev.own) {
			*prev = r
		}
	case r.group != prev.group && (r.group == "detailed" || prev.group == "detailed"):
		if !sameCells(r.values, prev.values) {
			p.in.note("%s lists %s twice (%s on row %d, %s on row %d) with different figures; the detailed row is kept",
				r.file, r.occ, prev.group, prev.line, r.group, r.line)
		}
		if r.group == "detailed" {
			*prev = r
		}
	case !sameCells(r.values, prev.values):
		return fileerr.At(r.file, r.line, fileerr.New(fileerr.ErrValuesConflict,
			"%s in area %s, industry %q is listed again with other figures (first on row %d of %s); the file contradicts itself",
			r.occ, r.area, r.industry, prev.line, prev.file))
	}
	return nil
}

func sameCells(a, b []oewsCell) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// finish checks every configured occupation was found and builds the
// observations.
func (p *oewsParser) finish() ([]data.Observation, error) {
	var absent []string
	for _, c := range p.in.Source.Occupations {
		if p.wanted[c] == 0 {
			absent = append(absent, c)
		}
	}
	if len(absent) > 0 {
		return nil, fileerr.At(p.file, 0, fileerr.New(fileerr.ErrOccupationAbsent,
			"the release has no rows for %s; check the code (OEWS lists the clinical laboratory group as 29-2010, and "+
				"29-2011 and 29-2012 only up to May 2016) and that this is the right file", strings.Join(absent, ", ")))
	}
	prov := withDefaultTier(p.in.Prov)
	c := newCollector(p.file)
	for _, r := range p.rows {
		for i, col := range r.columns {
			v := r.values[i]
			if v.blank {
				continue
			}
			o := data.Observation{
				OccupationCode: r.occ, OccupationTitle: r.occTitle, AreaCode: r.area, AreaTitle: r.areaTitle,
				IndustryCode: r.industry, IndustryTitle: r.industryTitle,
				Measure: col.measure, Period: r.period, Unit: col.unit, Flag: v.flag,
			}
			if v.has {
				o.Value = data.Float(v.value)
			}
			prov.apply(&o)
			if err := c.add(o, r.line); err != nil {
				return nil, fmt.Errorf("%s: %w", r.file, err)
			}
		}
	}
	if p.in.Progress != nil {
		p.in.Progress(0, len(p.rows))
	}
	return c.observations(), nil
}
