package format

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"math"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"github.com/labdash/labdash/ingest/fileerr"

	"github.com/labdash/labdash/data"
)

// The bls-ep-occupation format: one row per occupation, in either of the two
// real layouts of docs/DATA.md — the EP workbook occupation.xlsx saved as CSV
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
func ParseEPOccupation(r io.ReadSeeker, occupations []string, prov Provenance) ([]data.Observation, error) {
	obs, err := parseEPOccupation(r, occupations, withDefaultTier(prov), nil)
	if err != nil {
		return nil, fmt.Errorf("bls-ep-occupation: %w", err)
	}
	return obs, nil
}

// parseEPOccupation is ParseEPOccupation; note, when set, is told that the
// file was read as Windows-1252.
func parseEPOccupation(r io.ReadSeeker, occupations []string, prov Provenance, note func(string, ...any)) ([]data.Observation, error) {
	if err := checkOccupations(occupations); err != nil {
		return nil, err
	}
	l, _, rows, cut, err := readEPTable(r, epOccupationRequired, note)
	if err != nil {
		return nil, err
	}
	return epOccupationRows(l, rows, cut, occupations, prov)
}

// epOccupationRequired are the columns an occupation table must have.
var epOccupationRequired = []epKind{epOccupationCode, epEmployment}

// epOccupationRows emits the configured occupations' rows of a table.
func epOccupationRows(l *epLayout, rows []epRecord, cut bool, occupations []string, prov Provenance) ([]data.Observation, error) {
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
			return nil, &fileerr.InputError{Line: rec.line, Err: err}
		}
		title := data.OccupationTitles[code]
		if c, ok := l.one[epOccupationTitle]; ok && rec.cell(c.index) != "" {
			title = epTitle(rec.cell(c.index))
		}
		if err := e.occupationRow(l, epKey{occCode: code, occTitle: title, line: rec.line}, rec); err != nil {
			return nil, err
		}
	}
	for _, c := range occupations {
		if !wanted[c] {
			return nil, fileerr.New(fileerr.ErrOccupationAbsent, "the table has no row for the configured occupation %s; "+
				"check the code (Employment Projections use 29-2010 where OEWS uses 29-2018) and that this is the right table", c)
		}
	}
	return e.c.observations(), nil
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

// epRecord is one CSV record with the line it starts on.
type epRecord struct {
	cells []string
	line  int
}

func (r epRecord) cell(i int) string {
	if i < 0 || i >= len(r.cells) {
		return ""
	}
	return unwrapFormula(strings.TrimSpace(r.cells[i]))
}

// formulaReader drops the "=" of a field the data.bls.gov export writes as
// a formula that keeps it text (="29-2010"), so that the CSV reader sees a
// plain quoted field; any other "=" is left alone.
type formulaReader struct {
	r            *bufio.Reader
	atFieldStart bool
	inQuotes     bool
}

func (f *formulaReader) Read(p []byte) (int, error) {
	n := 0
	for n < len(p) {
		c, err := f.r.ReadByte()
		if err != nil {
			return n, err
		}
		if c == '=' && f.atFieldStart && !f.inQuotes {
			if next, err := f.r.Peek(1); err == nil && next[0] == '"' {
				continue
			}
		}
		switch {
		case c == '"':
			f.inQuotes = !f.inQuotes
		case !f.inQuotes && (c == ',' || c == '\n' || c == '\r'):
			f.atFieldStart = true
			p[n] = c
			n++
			continue
		}
		f.atFieldStart = false
		p[n] = c
		n++
		if f.r.Buffered() == 0 && n > 0 {
			return n, nil
		}
	}
	return n, nil
}

// unwrapFormula reads a cell the data.bls.gov export wrote as a formula so
// that spreadsheets keep it as text: ="29-2010" is 29-2010.
func unwrapFormula(s string) string {
	if strings.HasPrefix(s, `="`) && strings.HasSuffix(s, `"`) && len(s) >= 3 {
		return s[2 : len(s)-1]
	}
	return s
}

// epTitle is an occupation title without the sample job titles the
// data.bls.gov export appends after a "*".
func epTitle(s string) string {
	if i := strings.Index(s, "*"); i > 0 {
		return strings.TrimSpace(s[:i])
	}
	return s
}

// epMaxHeaderSearch bounds the title rows skipped above a header.
const epMaxHeaderSearch = 20

// readEPTable reads an EP CSV whole (these tables hold a few hundred to a few
// thousand rows), finds the header row below any title rows, and reports
// whether the file ends mid-line. The file may be Windows-1252 (textenc.go);
// note, when set, is told when it is.
func readEPTable(r io.ReadSeeker, required []epKind, note func(string, ...any)) (l *epLayout, above, rows []epRecord, cut bool, err error) {
	if _, err := openBody(r); err != nil { // an empty file or an HTML page, told by its first bytes
		return nil, nil, nil, false, err
	}
	if _, err := r.Seek(0, io.SeekStart); err != nil {
		return nil, nil, nil, false, fmt.Errorf("reading the file: %w", err)
	}
	text, enc, err := openText(r)
	if err != nil {
		return nil, nil, nil, false, err
	}
	if enc == encWindows1252 && note != nil {
		note(windows1252Note)
	}
	tail := &tailReader{r: text}
	cr := newCSVReader(&formulaReader{r: bufio.NewReader(tail), atFieldStart: true})
	var recs []epRecord
	for {
		cells, err := cr.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, nil, nil, false, csvError(err)
		}
		line, _ := cr.FieldPos(0)
		if len(recs) == maxTableRows {
			return nil, nil, nil, false, &fileerr.InputError{Line: line, Err: fileerr.New(fileerr.ErrOverLimit,
				"the table has more than %s rows, the most labdash reads in an EP table (BLS's have under 7,000)", count(maxTableRows))}
		}
		if err := checkRow(cells, columnWhere(nil)); err != nil {
			return nil, nil, nil, false, &fileerr.InputError{Line: line, Err: err}
		}
		recs = append(recs, epRecord{cells: cells, line: line})
	}
	h, last, l, err := findEPHeader(recs, required)
	if err != nil {
		return nil, nil, nil, false, err
	}
	return l, recs[:h], recs[last+1:], tail.endsMidLine(), nil
}

// findEPHeader takes as header the first row that names a code column and
// employment columns; when none does, it explains what the likeliest
// candidate lacks.
func findEPHeader(recs []epRecord, required []epKind) (first, last int, l *epLayout, err error) {
	best, bestScore := -1, 0
	for i := 0; i < len(recs) && i < epMaxHeaderSearch; i++ {
		score := 0
		for j, h := range recs[i].cells {
			if k := classifyEPHeader(j, h).kind; k != epOther {
				score++
			}
		}
		if score > bestScore {
			best, bestScore = i, score
		}
		if score >= 3 {
			header, last := mergeEPHeader(recs, i)
			l, err := newEPLayout(header, required)
			if err != nil {
				return 0, 0, nil, &fileerr.InputError{Line: recs[i].line, Err: err}
			}
			return i, last, l, nil
		}
	}
	if len(recs) == 0 {
		return 0, 0, nil, fileerr.New(fileerr.ErrFileEmpty, "the file has no rows")
	}
	if best >= 0 { // explain what the likeliest header lacks
		if _, err := newEPLayout(recs[best].cells, required); err != nil {
			return 0, 0, nil, &fileerr.InputError{Line: recs[best].line, Err: err}
		}
	}
	return 0, 0, nil, fileerr.New(fileerr.ErrColumnsMissing, "no header row naming the %s columns was found in the first %d lines; "+
		"is this an Employment Projections table?", joinKinds(required), epMaxHeaderSearch)
}

// mergeEPHeader joins a header row with the sub-header rows under it, as
// the older EP workbooks have ("Employment" over "2014" and "2024", "Change,
// 2014-24" over "Number" and "Percent"): each column's header becomes its
// parent's words followed by its own. A title-and-code header over two
// columns is split into a title and a code column. It returns the merged
// header and the index of its last row.
func mergeEPHeader(recs []epRecord, h int) ([]string, int) {
	header := slices.Clone(recs[h].cells)
	for j := 0; j+1 < len(header); j++ {
		if strings.Contains(strings.ToLower(header[j]), "title and code") && strings.TrimSpace(header[j+1]) == "" {
			base := header[j]
			header[j] = strings.Replace(base, "title and code", "title", 1)
			header[j+1] = strings.Replace(base, "title and code", "code", 1)
		}
	}
	last := h
	for i := h + 1; i < len(recs) && isEPSubHeader(recs[i].cells); i++ {
		sub := recs[i].cells
		parent := ""
		for j := range max(len(header), len(sub)) {
			own := ""
			if j < len(header) {
				own = strings.TrimSpace(header[j])
			}
			if own != "" {
				parent = own
			}
			if j >= len(sub) || strings.TrimSpace(sub[j]) == "" {
				continue
			}
			for len(header) <= j {
				header = append(header, "")
			}
			header[j] = parent + " " + strings.TrimSpace(sub[j])
		}
		last = i
	}
	return header, last
}

// isEPSubHeader reports whether a row under a header continues it: no
// title in its first cell, and only words or years in the others.
func isEPSubHeader(cells []string) bool {
	if len(cells) == 0 || strings.TrimSpace(cells[0]) != "" {
		return false
	}
	found := false
	for _, c := range cells[1:] {
		c = strings.TrimSpace(c)
		if c == "" {
			continue
		}
		if _, isNumber := parseDecimal(c); isNumber && !epYearOnly.MatchString(c) {
			return false
		}
		found = true
	}
	return found
}

var epYearOnly = regexp.MustCompile(`^(19|20)\d\d$`)

func joinKinds(kinds []epKind) string {
	names := make([]string, len(kinds))
	for i, k := range kinds {
		names[i] = epKindNames[k]
	}
	return strings.Join(names, ", ")
}

// checkComplete refuses a data row shorter than the header when the file ends
// inside it: that is a cut-off download, not a short row.
func checkComplete(rec epRecord, l *epLayout, last, cut bool) error {
	if last && cut && len(rec.cells) < l.width {
		return fileerr.New(fileerr.ErrFileTruncated, "the last row has %d of the header's %d cells and the file ends mid-line; "+
			"the file is cut off, download it again", len(rec.cells), l.width)
	}
	return nil
}

// epEmitter builds EP observations for one file.
type epEmitter struct {
	c    *collector
	prov Provenance
}

// epKey is what the observations of one EP row share.
type epKey struct {
	occCode, occTitle, indCode, indTitle string
	line                                 int
}

func (e *epEmitter) base(k epKey, measure, period, unit string) data.Observation {
	return data.Observation{
		OccupationCode: k.occCode, OccupationTitle: k.occTitle,
		AreaCode: data.NationalAreaCode, AreaTitle: data.NationalAreaTitle,
		IndustryCode: k.indCode, IndustryTitle: k.indTitle,
		Measure: data.Measure(measure), Period: period, Unit: data.Unit(unit),
	}
}

// number emits a numeric cell; scale 1000 turns thousands into jobs.
func (e *epEmitter) number(k epKey, measure, period, unit, cell string, scale float64) error {
	nc, err := readNumberCell(cell)
	if err != nil {
		return &fileerr.InputError{File: e.c.file, Line: k.line, Err: err}
	}
	if nc.hasValue && scale != 1 {
		nc.value = math.Round(nc.value * scale) // 81.4 thousand is 81400 jobs, not 81400.00000000001
	}
	if nc.hasValue && scale == 1 && unit != epUnitUSDPerYear {
		// Percentages, published to one decimal; a workbook cell holds
		// 33.700000000000003.
		nc.value = math.Round(nc.value*10) / 10
	}
	o := e.base(k, measure, period, unit)
	nc = combineFlags(nc, data.FlagNone)
	if o.Flag = nc.flag; nc.hasValue {
		o.Value = &nc.value
	}
	e.prov.apply(&o)
	return e.c.add(o, k.line)
}

// text emits a text cell; a dash or blank is "not available".
func (e *epEmitter) text(k epKey, measure, period, cell string) error {
	o := e.base(k, measure, period, string(data.UnitText))
	if textMissing(cell) {
		o.Flag = data.FlagNotAvailable
	} else {
		o.Text = cell
	}
	e.prov.apply(&o)
	return e.c.add(o, k.line)
}
