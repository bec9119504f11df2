package ingest

import (
	"fmt"
	"io"
	"strconv"

	"github.com/labdash/labdash/data"
)

// The bls-ep-occupation format: one row per occupation, in either of the two
// real layouts of BLS-DATA.md — the EP workbook occupation.xlsx saved as CSV
// (a title row above the header, en dashes, "2024–34", a footnote mark on the
// wage column) or the CSV export of the data.bls.gov projections search. Both
// are read by meaning through the header vocabulary of epmatrix.go.

// ParseEPOccupation reads an EP occupation table and returns, for each
// configured occupation (SOC code, "29-2010"), employment (period "YYYY",
// the base year), projected_employment, employment_change,
// projected_growth_pct and annual_openings (period "YYYY-YYYY"),
// median_annual_wage (period "May YYYY" of the wage year in its header, else
// the base year), and the text measures typical_entry_education,
// work_experience_in_related_occupation and on_the_job_training (period
// "YYYY-YYYY"). Optional columns that the file lacks give no observation.
// Counts are turned from thousands into jobs. A configured occupation the
// file does not list rejects the file.
func ParseEPOccupation(r io.Reader, occupations []string, prov Provenance) ([]data.Observation, error) {
	obs, err := parseEPOccupation(r, occupations, withDefaultTier(prov))
	if err != nil {
		return nil, fmt.Errorf("bls-ep-occupation: %w", err)
	}
	return obs, nil
}

func parseEPOccupation(r io.Reader, occupations []string, prov Provenance) ([]data.Observation, error) {
	if err := checkOccupations(occupations); err != nil {
		return nil, err
	}
	l, _, rows, cut, err := readEPTable(r, []epKind{epOccupationCode, epEmployment})
	if err != nil {
		return nil, err
	}
	wanted := make(map[string]bool, len(occupations))
	for _, c := range occupations {
		wanted[c] = false
	}
	e := &epEmitter{c: newCollector(""), prov: prov}
	for i, rec := range rows {
		code := rec.cell(l.one[epOccupationCode].index)
		if _, ok := wanted[code]; !ok {
			continue // other occupations, blank rows, footnotes under the table
		}
		wanted[code] = true
		if err := checkComplete(rec, l, i == len(rows)-1, cut); err != nil {
			return nil, &InputError{Line: rec.line, Err: err}
		}
		title := data.OccupationTitles[code]
		if c, ok := l.one[epOccupationTitle]; ok && rec.cell(c.index) != "" {
			title = rec.cell(c.index)
		}
		if err := e.occupationRow(l, epKey{occCode: code, occTitle: title, line: rec.line}, rec); err != nil {
			return nil, err
		}
	}
	for _, c := range occupations {
		if !wanted[c] {
			return nil, problem(ErrOccupationAbsent, "the table has no row for the configured occupation %s; "+
				"check the code (Employment Projections use 29-2010 where OEWS uses 29-2018) and that this is the right table", c)
		}
	}
	return e.c.obs, nil
}

// occupationRow emits the figures of one occupation.
func (e *epEmitter) occupationRow(l *epLayout, k epKey, rec epRecord) error {
	span := l.span()
	type numeric struct {
		kind            epKind
		measure, period string
		unit            string
		scale           float64
	}
	numbers := []numeric{
		{epChange, "employment_change", span, epUnitJobs, 1000},
		{epPercentChange, "projected_growth_pct", span, epUnitPercent, 1},
		{epOpenings, "annual_openings", span, epUnitOpenings, 1000},
		{epMedianWage, "median_annual_wage", "May " + strconv.Itoa(l.wageYear()), epUnitUSDPerYear, 1},
	}
	if err := e.number(k, "employment", l.baseYear(), epUnitJobs, rec.cell(l.baseEmp.index), 1000); err != nil {
		return err
	}
	if err := e.number(k, "projected_employment", span, epUnitJobs, rec.cell(l.projEmp.index), 1000); err != nil {
		return err
	}
	for _, n := range numbers {
		if c, ok := l.one[n.kind]; ok {
			if err := e.number(k, n.measure, n.period, n.unit, rec.cell(c.index), n.scale); err != nil {
				return err
			}
		}
	}
	texts := []struct {
		kind    epKind
		measure string
	}{
		{epEducation, "typical_entry_education"},
		{epExperience, "work_experience_in_related_occupation"},
		{epTraining, "on_the_job_training"},
	}
	for _, t := range texts {
		if c, ok := l.one[t.kind]; ok {
			if err := e.text(k, t.measure, span, rec.cell(c.index)); err != nil {
				return err
			}
		}
	}
	return nil
}

// wageYear is the year the wage column names ("Median annual wage, dollars,
// 2024[1]"); EP publishes the base year's OEWS wage, so that is the fallback.
func (l *epLayout) wageYear() int {
	if c, ok := l.one[epMedianWage]; ok && c.from != 0 {
		return c.from
	}
	return l.base
}
