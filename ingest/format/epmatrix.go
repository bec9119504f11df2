package format

import (
	"errors"
	"fmt"
	"io"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"github.com/labdash/labdash/ingest/fileerr"

	"github.com/labdash/labdash/data"
)

// The bls-ep-matrix format: the National Employment Matrix for one
// occupation by industry (data.bls.gov/projections/nationalMatrix), saved as
// CSV. This file also holds what both Employment Projections parsers share:
// reading the header by meaning, since BLS changes its wording, dashes,
// footnote marks and years with every vintage.

// epMatrixFormat is bls-ep-matrix: the National Employment Matrix of one
// occupation by industry, saved as CSV.
type epMatrixFormat struct{}

func (epMatrixFormat) Name() string  { return "bls-ep-matrix" }
func (epMatrixFormat) Title() string { return "BLS Employment Projections, National Employment Matrix" }

func (f epMatrixFormat) CheckOccupations(codes []string) error {
	if len(codes) != 1 {
		return fmt.Errorf("format %s needs exactly one occupation, the one the matrix file is for (such as \"29-2010\"), but %d are given",
			f.Name(), len(codes))
	}
	return nil
}

func (epMatrixFormat) Files(src Source) ([]Request, error) { return single(src), nil }

func (epMatrixFormat) Parse(in Input) ([]data.Observation, error) {
	if len(in.Source.Occupations) != 1 {
		return nil, errors.New("bls-ep-matrix: exactly one occupation is needed")
	}
	r, _, err := in.Files[0].Open()
	if err != nil {
		return nil, err
	}
	defer r.Close()
	obs, err := parseEPMatrix(r, in.Source.Occupations[0], withDefaultTier(in.Prov), in.note)
	if err != nil {
		return nil, fmt.Errorf("bls-ep-matrix: %w", fileerr.At(in.Files[0].Name, 0, err))
	}
	return obs, nil
}

// epKind is what an EP column holds.
type epKind int

const (
	epOther epKind = iota
	epIndustryTitle
	epIndustryCode
	epOccupationTitle
	epOccupationCode
	epEmployment // base or projected, told apart by year
	epShareOfOccupation
	epShareOfIndustry
	epChange
	epPercentChange
	epOpenings
	epMedianWage
	epEducation
	epExperience
	epTraining
)

// epKindNames name the kinds in error messages.
var epKindNames = map[epKind]string{
	epIndustryTitle: "industry title", epIndustryCode: "industry code",
	epOccupationTitle: "occupation title", epOccupationCode: "occupation code",
	epEmployment: "base-year and projected employment", epChange: "employment change",
	epPercentChange: "employment percent change", epOpenings: "occupational openings",
	epMedianWage: "median annual wage", epEducation: "typical entry education",
	epExperience: "work experience", epTraining: "on-the-job training",
}

// epColumn is one recognised column.
type epColumn struct {
	kind      epKind
	index     int
	from, to  int // the year or span in the header; 0 when it names none
	projected bool
	header    string
}

var (
	epFootnoteMark = regexp.MustCompile(`\[[^\]]*\]|\(\d{1,2}\)|[¹²³⁴⁵⁶⁷⁸⁹⁰]+`)
	epYearSpan     = regexp.MustCompile(`(\d{4})(?:\s*-\s*(\d{4}|\d{2}))?`)
	epNonLetters   = regexp.MustCompile(`[^a-z]+`)
	epDashes       = strings.NewReplacer("–", "-", "—", "-", "‑", "-", "‒", "-", "−", "-", "\uFEFF", "")
)

// classifyEPHeader reads one header cell by meaning: case, spacing, dashes,
// footnote marks ("[1]") and two-digit end years ("2024–34") do not matter.
func classifyEPHeader(index int, header string) epColumn {
	s := epFootnoteMark.ReplaceAllString(epDashes.Replace(strings.ToLower(header)), " ")
	col := epColumn{index: index, header: strings.TrimSpace(header)}
	if m := epYearSpan.FindStringSubmatch(s); m != nil {
		col.from, _ = strconv.Atoi(m[1])
		col.to = col.from
		if m[2] != "" {
			col.to, _ = strconv.Atoi(m[2])
			if len(m[2]) == 2 { // "2024-34": the end year in the base year's century
				col.to += col.from / 100 * 100
				if col.to <= col.from {
					col.to += 100
				}
			}
		}
		s = epYearSpan.ReplaceAllString(s, " ")
	}
	w := " " + strings.TrimSpace(epNonLetters.ReplaceAllString(s, " ")) + " "
	has := func(word string) bool { return strings.Contains(w, " "+word+" ") }
	col.projected = has("projected")
	col.kind = epKindOf(has, w)
	return col
}

// epKindOf decides a column's kind from its words; order matters, as
// "Education Code" is not the education column and "Employment Percent
// Change" is not employment.
func epKindOf(has func(string) bool, w string) epKind {
	switch {
	case has("sort") || has("display level") || has("type") || has("distribution") || has("self employed") ||
		has("trcode") || has("tr code") || (has("code") && (has("education") || has("workex") || has("training"))):
		return epOther
	case has("title"):
		if has("industry") {
			return epIndustryTitle
		}
		return epOccupationTitle
	case has("code"):
		if has("industry") {
			return epIndustryCode
		}
		if has("occupation") || has("matrix") || has("soc") {
			return epOccupationCode
		}
	case has("percent of occupation"):
		return epShareOfOccupation
	case has("percent of industry"):
		return epShareOfIndustry
	case has("openings"):
		// Annual openings since the 2016-26 edition; the 2014-24 tables
		// count openings over the whole decade, a measure BLS retired.
		if has("annual") || has("average") {
			return epOpenings
		}
		return epOther
	case has("wage"):
		if has("median") {
			return epMedianWage
		}
	case has("education"):
		return epEducation
	case has("experience"):
		return epExperience
	case has("training"):
		return epTraining
	case has("change"):
		if has("percent") {
			return epPercentChange
		}
		return epChange
	case isEmploymentHeader(w):
		return epEmployment
	}
	return epOther
}

// isEmploymentHeader accepts "2024 Employment", "Employment, 2034",
// "Projected 2030 Employment (in thousands)" and nothing wordier.
func isEmploymentHeader(w string) bool {
	filler := map[string]bool{"projected": true, "total": true, "in": true, "thousands": true,
		"of": true, "jobs": true, "number": true, "numeric": true}
	found := false
	for _, f := range strings.Fields(w) {
		if f == "employment" {
			found = true
		} else if !filler[f] {
			return false
		}
	}
	return found
}

// epLayout is a header read by meaning.
type epLayout struct {
	one              map[epKind]epColumn // kinds found once
	shares           []epColumn          // share columns, one per year
	baseEmp, projEmp epColumn
	base, projected  int
	width            int // the header's number of cells
}

// newEPLayout reads a header row; required kinds must be present.
func newEPLayout(row []string, required []epKind) (*epLayout, error) {
	l := &epLayout{one: map[epKind]epColumn{}, width: len(row)}
	var emp []epColumn
	for i, h := range row {
		c := classifyEPHeader(i, h)
		switch c.kind {
		case epOther:
		case epEmployment:
			emp = append(emp, c)
		case epShareOfOccupation, epShareOfIndustry:
			if c.from == 0 {
				return nil, fileerr.New(fileerr.ErrRowMalformed, "the column %q names no year; the share's period cannot be told", c.header)
			}
			l.shares = append(l.shares, c)
		default:
			if prev, dup := l.one[c.kind]; dup {
				return nil, fileerr.New(fileerr.ErrRowMalformed, "the columns %q and %q both look like the %s; the header is ambiguous",
					prev.header, c.header, epKindNames[c.kind])
			}
			l.one[c.kind] = c
		}
	}
	var missing []string
	for _, k := range required {
		if _, ok := l.one[k]; !ok && k != epEmployment {
			missing = append(missing, epKindNames[k])
		}
	}
	if len(missing) > 0 {
		return nil, fileerr.New(fileerr.ErrColumnsMissing, "the header lacks a column for the %s", strings.Join(missing, ", "))
	}
	if len(emp) == 0 && !slices.Contains(required, epEmployment) {
		// A table without employment (education.xlsx): the base year is
		// the one its code or title column names ("2019 National
		// Employment Matrix code"), and projections span ten years.
		for _, k := range []epKind{epOccupationCode, epOccupationTitle} {
			if c, ok := l.one[k]; ok && c.from != 0 && l.base == 0 {
				l.base, l.projected = c.from, c.from+10
			}
		}
		if l.base == 0 {
			return nil, fileerr.New(fileerr.ErrPeriodUnknown, "no column names the table's base year (such as \"2019 National Employment Matrix code\")")
		}
		return l, nil
	}
	if err := l.setYears(emp); err != nil {
		return nil, err
	}
	return l, nil
}

// setYears takes the vintage from the two employment columns' headers, and
// checks that the other columns speak of the same years.
func (l *epLayout) setYears(emp []epColumn) error {
	if len(emp) != 2 {
		return fileerr.New(fileerr.ErrColumnsMissing, "the header needs one base-year and one projected employment column "+
			"(such as \"Employment, 2024\" and \"Employment, 2034\") but has %d", len(emp))
	}
	a, b := emp[0], emp[1]
	if a.from == 0 || b.from == 0 || a.from == b.from {
		return fileerr.New(fileerr.ErrRowMalformed, "the employment columns %q and %q do not name two different years", a.header, b.header)
	}
	if a.from > b.from {
		a, b = b, a
	}
	if a.projected {
		return fileerr.New(fileerr.ErrRowMalformed, "the column %q says projected but names the earlier year", a.header)
	}
	l.baseEmp, l.projEmp, l.base, l.projected = a, b, a.from, b.from
	for _, k := range []epKind{epChange, epPercentChange, epOpenings} {
		c, ok := l.one[k]
		if ok && c.from != 0 && (c.from != l.base || c.to != l.projected) {
			return fileerr.New(fileerr.ErrRowMalformed, "the column %q covers %d-%d but the employment columns are for %d and %d; the header contradicts itself",
				c.header, c.from, c.to, l.base, l.projected)
		}
	}
	return nil
}

func (l *epLayout) span() string     { return fmt.Sprintf("%d-%d", l.base, l.projected) }
func (l *epLayout) baseYear() string { return strconv.Itoa(l.base) }

// Units of the EP measures.
const (
	epUnitJobs            = "jobs"
	epUnitPercent         = "percent"
	epUnitOpenings        = "openings per year"
	epUnitUSDPerYear      = "USD per year"
	epUnitShareOccupation = "percent of occupation employment"
	epUnitShareIndustry   = "percent of industry employment"
	epTotalIndustryCode   = "TE1000"
	epTotalIndustryTitle  = "total employment"
)

var epSOCInTitle = regexp.MustCompile(`\b\d{2}-\d{4}\b`)

// ParseEPMatrix reads the National Employment Matrix of one occupation (the
// configured SOC code, e.g. "29-2010") by industry. Per industry row it
// returns employment (period "YYYY", the base year), projected_employment,
// employment_change and projected_growth_pct (period "YYYY-YYYY"), and
// share_of_occupation_pct and share_of_industry_pct for each year the header
// names. Years come from the header; counts are turned from thousands into
// jobs. Industry codes are EP's own; the "Total employment" row (TE1000) is
// the cross-industry total and gets no industry code or title.
func ParseEPMatrix(r io.ReadSeeker, occupation string, prov Provenance) ([]data.Observation, error) {
	obs, err := parseEPMatrix(r, occupation, withDefaultTier(prov), nil)
	if err != nil {
		return nil, fmt.Errorf("bls-ep-matrix: %w", err)
	}
	return obs, nil
}

// parseEPMatrix is ParseEPMatrix; note, when set, is told that the file was
// read as Windows-1252.
func parseEPMatrix(r io.ReadSeeker, occupation string, prov Provenance, note func(string, ...any)) ([]data.Observation, error) {
	if err := checkOccupations([]string{occupation}); err != nil {
		return nil, err
	}
	l, above, rows, cut, err := readEPTable(r, []epKind{epIndustryTitle, epIndustryCode, epEmployment}, note)
	if err != nil {
		return nil, err
	}
	for _, rec := range above { // a title row naming another occupation means the wrong file
		for _, c := range rec.cells {
			if code := epSOCInTitle.FindString(c); code != "" && code != occupation {
				return nil, &fileerr.InputError{Line: rec.line, Err: fileerr.New(fileerr.ErrRowMalformed,
					"the title says this matrix is for %s, but the source is configured for %s", code, occupation)}
			}
		}
	}
	e := &epEmitter{c: newCollector(""), prov: prov}
	title := data.OccupationTitles[occupation]
	for i, rec := range rows {
		code, name := rec.cell(l.one[epIndustryCode].index), rec.cell(l.one[epIndustryTitle].index)
		if code == "" && (name == "" || rec.cell(l.baseEmp.index) == "") {
			continue // blank rows and footnotes under the table
		}
		if err := checkComplete(rec, l, i == len(rows)-1, cut); err != nil {
			return nil, &fileerr.InputError{Line: rec.line, Err: err}
		}
		if code == epTotalIndustryCode || strings.EqualFold(name, epTotalIndustryTitle) {
			code, name = "", "" // the cross-industry total, keyed like OEWS national figures
		}
		k := epKey{occCode: occupation, occTitle: title, indCode: code, indTitle: name, line: rec.line}
		if err := e.matrixRow(l, k, rec); err != nil {
			return nil, err
		}
	}
	if e.c.n == 0 {
		return nil, fileerr.New(fileerr.ErrOccupationAbsent, "the matrix has no industry rows for %s", occupation)
	}
	return e.c.observations(), nil
}

// matrixRow emits the figures of one industry.
func (e *epEmitter) matrixRow(l *epLayout, k epKey, rec epRecord) error {
	span := l.span()
	err := e.number(k, "employment", l.baseYear(), epUnitJobs, rec.cell(l.baseEmp.index), 1000)
	if err == nil {
		err = e.number(k, "projected_employment", span, epUnitJobs, rec.cell(l.projEmp.index), 1000)
	}
	if c, ok := l.one[epChange]; ok && err == nil {
		err = e.number(k, "employment_change", span, epUnitJobs, rec.cell(c.index), 1000)
	}
	if c, ok := l.one[epPercentChange]; ok && err == nil {
		err = e.number(k, "projected_growth_pct", span, epUnitPercent, rec.cell(c.index), 1)
	}
	for _, c := range l.shares {
		if err != nil {
			break
		}
		measure, unit := "share_of_occupation_pct", epUnitShareOccupation
		if c.kind == epShareOfIndustry {
			measure, unit = "share_of_industry_pct", epUnitShareIndustry
		}
		err = e.number(k, measure, strconv.Itoa(c.from), unit, rec.cell(c.index), 1)
	}
	return err
}
