package format

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/labdash/labdash/ingest/fileerr"

	"github.com/labdash/labdash/data"
)

// The bls-oe format: the OEWS time-series flat files of
// https://download.bls.gov/pub/time.series/oe/ (docs/DATA.md). oe.data holds
// about six million lines, of which labdash keeps some tens of thousands, so the data
// file is streamed: each line's occupation is compared at its fixed offset in
// the series id before anything is split or parsed, and memory grows with the
// observations kept, not with the file.

// oeFormat is bls-oe: the directory of time-series files.
type oeFormat struct{}

func (oeFormat) Name() string { return "bls-oe" }
func (oeFormat) Title() string {
	return "BLS Occupational Employment and Wage Statistics, time-series files (oe)"
}
func (f oeFormat) CheckOccupations(codes []string) error { return needSome(f.Name(), codes) }

// oeFileNames are the OEWS time-series files labdash reads, data first. The
// series ids in oe.data carry area, industry, occupation and datatype at fixed
// offsets, so the 5.7-million-line oe.series adds nothing and is not fetched.
var oeFileNames = []string{"oe.data.0.Current", "oe.area", "oe.industry", "oe.occupation"}

// Files are the four files in the source's directory.
func (oeFormat) Files(src Source) ([]Request, error) {
	out := make([]Request, len(oeFileNames))
	for i, name := range oeFileNames {
		out[i] = Request{Key: name, Name: name, URL: joinURL(src.URL, name)}
	}
	return out, nil
}

func (oeFormat) Parse(in Input) ([]data.Observation, error) {
	var obs []data.Observation
	err := withOEFiles(in, func(files OEFiles) (err error) {
		obs, _, err = ParseOE(files, in.Source.Occupations, in.Prov)
		return err
	})
	return obs, err
}

// ParseEach hands each figure over as soon as its block of oe.data is read
// (ParseOEEach).
func (oeFormat) ParseEach(in Input, emit func(data.Observation) error) error {
	return withOEFiles(in, func(files OEFiles) error {
		_, err := ParseOEEach(files, in.Source.Occupations, in.Prov, emit)
		return err
	})
}

// withOEFiles opens the fetched files as OEFiles for parse.
func withOEFiles(in Input, parse func(OEFiles) error) error {
	readers := make([]io.Reader, len(in.Files))
	for i, f := range in.Files {
		r, _, err := f.Open()
		if err != nil {
			return err
		}
		defer r.Close()
		readers[i] = r
	}
	if len(readers) != len(oeFileNames) {
		return fmt.Errorf("bls-oe: %d files given, %d needed", len(readers), len(oeFileNames))
	}
	return parse(OEFiles{Data: readers[0], DataName: oeFileNames[0], Area: readers[1],
		Industry: readers[2], Occupation: readers[3], Progress: in.Progress})
}

// OEFiles are the files of one OEWS time-series ingest. The readers are read
// once, to the end, and not closed.
type OEFiles struct {
	Data       io.Reader // oe.data.0.Current (or another oe.data.* file); required
	DataName   string    // the data file's name in messages; "oe.data" when empty
	Area       io.Reader // oe.area; required (area titles)
	Industry   io.Reader // oe.industry; required (industry titles)
	Occupation io.Reader // oe.occupation; required (occupation titles)
	Footnote   io.Reader // oe.footnote; optional: footnotes 5 (top-coded) and 8 (not released) are known without it

	// Progress, when set, is called about every 32 MB of oe.data and once at
	// the end with the bytes read so far and the lines kept so far.
	Progress func(bytesRead int64, rowsKept int)
}

// OEStats describes one pass over oe.data.
type OEStats struct {
	Bytes            int64 // bytes of oe.data read
	Lines            int64 // data lines read, the header excluded
	Kept             int   // lines of the configured occupations
	Observations     int   // observations returned
	Duplicates       int   // lines repeating a figure already read, kept once
	UnknownDatatypes int   // kept lines whose datatype is outside 01-17, skipped
}

// Fixed offsets in an OEWS series id: "OE" + seasonal(1) + area type(1) +
// area(7) + industry(6) + occupation(6) + datatype(2).
const (
	oeSeriesLen     = 25
	oeAreaAt        = 4
	oeIndustryAt    = 11
	oeOccupationAt  = 17
	oeDatatypeAt    = 23
	oeCrossIndustry = "000000"
	oeProgressEvery = 32 << 20
)

// oeMeasure is what a datatype code means in labdash's vocabulary.
type oeMeasure struct {
	measure data.Measure
	unit    data.Unit
}

// oeDatatypes maps datatype codes 01-17 (index = code) to measures and units.
var oeDatatypes = [18]oeMeasure{
	1:  {data.MeasureEmployment, data.UnitJobs},
	2:  {data.MeasureEmploymentRSEPct, data.UnitPercent},
	3:  {data.MeasureMeanHourlyWage, data.UnitUSDPerHour},
	4:  {data.MeasureMeanAnnualWage, data.UnitUSDPerYear},
	5:  {data.MeasureWageRSEPct, data.UnitPercent},
	6:  {data.MeasurePct10HourlyWage, data.UnitUSDPerHour},
	7:  {data.MeasurePct25HourlyWage, data.UnitUSDPerHour},
	8:  {data.MeasureMedianHourlyWage, data.UnitUSDPerHour},
	9:  {data.MeasurePct75HourlyWage, data.UnitUSDPerHour},
	10: {data.MeasurePct90HourlyWage, data.UnitUSDPerHour},
	11: {data.MeasurePct10AnnualWage, data.UnitUSDPerYear},
	12: {data.MeasurePct25AnnualWage, data.UnitUSDPerYear},
	13: {data.MeasureMedianAnnualWage, data.UnitUSDPerYear},
	14: {data.MeasurePct75AnnualWage, data.UnitUSDPerYear},
	15: {data.MeasurePct90AnnualWage, data.UnitUSDPerYear},
	16: {data.MeasureEmploymentPer1000, data.UnitJobsPer1000},
	17: {data.MeasureLocationQuotient, data.UnitRatio},
}

// oeWanted is one configured occupation.
type oeWanted struct {
	soc6  string  // the code as it sits in the series id: "292018"
	bytes [6]byte // the same, for the comparison made on every line
	code  string  // the code as labdash keys it: "29-2018"
	title string
	rows  int
}

// oeCoded is an area or industry with its title.
type oeCoded struct{ code, title string }

// ParseOE reads the OEWS time-series files and returns the observations of
// the configured occupations (SOC codes with the dash, "29-2018"): one per
// kept line of oe.data, with measure and unit from the datatype, period
// "May YYYY", area code as in the series id ("0000000" for the United
// States), and industry code "" for cross-industry figures. A dash becomes
// not_available, footnote 5 top_coded (keeping the cap when one is given),
// footnote 8 not_released. Any unreadable line rejects the whole file.
func ParseOE(files OEFiles, occupations []string, prov Provenance) ([]data.Observation, OEStats, error) {
	p := newOEParser(files, prov, nil)
	if err := p.parse(files, occupations); err != nil {
		return nil, p.stats, err
	}
	obs, err := p.build()
	if err != nil {
		return nil, p.stats, fmt.Errorf("bls-oe: %w", err)
	}
	return obs, p.stats, nil
}

// ParseOEEach is ParseOE handing each observation to emit, in the order of
// the file, after each block of oe.data it reads, instead of returning them
// all at the end; every line is still read and checked before it returns
// nil (a later line may contradict an earlier one, or an occupation may
// have no line at all), so a caller keeps what it was given only then. An
// error of emit stops the read and is returned as it is.
func ParseOEEach(files OEFiles, occupations []string, prov Provenance, emit func(data.Observation) error) (OEStats, error) {
	p := newOEParser(files, prov, emit)
	err := p.parse(files, occupations)
	if err == nil {
		if err = p.emitKept(); err != nil {
			err = fmt.Errorf("bls-oe: %w", err)
		}
	}
	if p.emitErr != nil {
		return p.stats, p.emitErr // the caller's own, not the file's
	}
	return p.stats, err
}

func newOEParser(files OEFiles, prov Provenance, emit func(data.Observation) error) *oeParser {
	p := &oeParser{file: files.DataName, prov: withDefaultTier(prov), progress: files.Progress, emit: emit}
	if p.file == "" {
		p.file = "oe.data"
	}
	return p
}

// parse reads the lookups and oe.data, keeping the records of the
// occupations asked for (and handing them to emit as it goes, when set).
func (p *oeParser) parse(files OEFiles, occupations []string) error {
	if err := checkOccupations(occupations); err != nil {
		return fmt.Errorf("bls-oe: %w", err)
	}
	if err := p.readLookups(files, occupations); err != nil {
		return fmt.Errorf("bls-oe: %w", err)
	}
	if files.Data == nil {
		return errors.New("bls-oe: the oe.data file is required")
	}
	if err := p.scan(files.Data); err != nil {
		return fmt.Errorf("bls-oe: %w", err)
	}
	for _, w := range p.want {
		if w.rows == 0 {
			return fmt.Errorf("bls-oe: %w", fileerr.At(p.file, 0, fileerr.New(fileerr.ErrOccupationAbsent,
				"there are no rows for the configured occupation %s (OEWS code %s); check the code (OEWS uses 29-2018 "+
					"where Employment Projections use 29-2010) and that the file is complete", w.code, w.soc6)))
		}
	}
	return nil
}

// oeParser holds one ParseOE call. While oe.data streams by, each kept line
// is held as a small oeRecord without pointers (codes become indexes into the
// tables below), so the garbage collector has nothing to trace however many
// lines are kept; they are kept to the end, to compare with a later line of
// the same figure. ParseOE builds the observations once, at the end;
// ParseOEEach builds them and hands them to emit after each block.
type oeParser struct {
	file       string
	prov       Provenance
	progress   func(int64, int)
	emit       func(data.Observation) error
	emitted    int   // records handed to emit so far
	emitErr    error // what emit returned, if it stopped the read
	want       []oeWanted
	areas      oeTable
	industries oeTable           // index 0 is cross-industry: no code, no title
	footnoteTx map[string]string // oe.footnote: code → text
	footnotes  oeInterned[oeFootnote]
	periods    oeInterned[string] // "May YYYY"
	records    []oeRecord
	seen       map[oeKey]int32 // key → index in records
	stats      OEStats

	yearAt, periodAt, valueAt, footnoteAt int // field positions from the header
}

// oeKey identifies a figure within one oe.data file.
type oeKey struct {
	want     uint16
	datatype uint8
	area     int32
	industry int32
	period   int32
}

// oeRecord is one kept line.
type oeRecord struct {
	key      oeKey
	flag     uint8 // index in data.KnownFlags
	hasValue bool
	footnote int32
	line     int32
	value    float64
}

// oeTable is a lookup file's codes and titles, by index.
type oeTable struct {
	index map[string]int32
	list  []oeCoded
}

func newOETable(m map[string]oeCoded, first ...oeCoded) oeTable {
	t := oeTable{index: make(map[string]int32, len(m)+len(first)), list: first}
	for code, c := range m {
		t.index[code] = int32(len(t.list))
		t.list = append(t.list, c)
	}
	return t
}

// oeInterned numbers the distinct values met, keyed by their source text.
type oeInterned[T any] struct {
	index map[string]int32
	list  []T
}

func (in *oeInterned[T]) add(key string, v T) int32 {
	if in.index == nil {
		in.index = map[string]int32{}
	}
	i := int32(len(in.list))
	in.index[key] = i
	in.list = append(in.list, v)
	return i
}

// readLookups loads the small lookup files whole.
func (p *oeParser) readLookups(files OEFiles, occupations []string) error {
	if files.Area == nil || files.Industry == nil || files.Occupation == nil {
		return errors.New("oe.area, oe.industry and oe.occupation are all required beside oe.data")
	}
	p.want = make([]oeWanted, len(occupations))
	soc6 := make(map[string]int, len(occupations))
	for i, c := range occupations {
		p.want[i] = oeWanted{soc6: strings.ReplaceAll(c, "-", ""), code: c}
		p.want[i].bytes = [6]byte([]byte(p.want[i].soc6))
		soc6[p.want[i].soc6] = i
	}
	areas, err := readOELookup(files.Area, "oe.area", "area_code", "area_name", data.MaxTitleChars, nil)
	if err != nil {
		return err
	}
	// oe.area says "National"; labdash says "United States" everywhere.
	areas[data.NationalAreaCode] = oeCoded{data.NationalAreaCode, data.NationalAreaTitle}
	p.areas = newOETable(areas)
	industries, err := readOELookup(files.Industry, "oe.industry", "industry_code", "industry_name", data.MaxTitleChars, nil)
	if err != nil {
		return err
	}
	delete(industries, oeCrossIndustry)
	p.industries = newOETable(industries, oeCoded{})
	keep := func(code string) bool { _, ok := soc6[code]; return ok }
	occ, err := readOELookup(files.Occupation, "oe.occupation", "occupation_code", "occupation_name", data.MaxTitleChars, keep)
	if err != nil {
		return err
	}
	for i := range p.want {
		p.want[i].title = occ[p.want[i].soc6].title
	}
	p.footnotes.add("", oeFootnote{})
	p.seen = map[oeKey]int32{}
	if files.Footnote != nil {
		tx, err := readOELookup(files.Footnote, "oe.footnote", "footnote_code", "footnote_text", data.MaxNotesChars, nil)
		if err != nil {
			return err
		}
		p.footnoteTx = make(map[string]string, len(tx))
		for k, v := range tx {
			p.footnoteTx[k] = v.title
		}
	}
	return nil
}

// readOELookup reads a tab-separated lookup file with a header line into
// code → title; keep, when set, limits the codes kept. Every title is
// checked as a stored title is (data.CheckText), on its own line.
func readOELookup(r io.Reader, file, codeCol, nameCol string, limit int, keep func(string) bool) (map[string]oeCoded, error) {
	br, err := openBody(r)
	if err != nil {
		return nil, fileerr.At(file, 0, err)
	}
	sc := bufio.NewScanner(br)
	sc.Buffer(make([]byte, 64<<10), maxRowBytes)
	if !sc.Scan() {
		return nil, fileerr.At(file, 0, oeScanError(sc.Err(), 1))
	}
	header := splitTabbed(strings.TrimPrefix(sc.Text(), "\uFEFF"))
	ci, ni := indexOf(header, codeCol), indexOf(header, nameCol)
	if ci < 0 || ni < 0 {
		return nil, fileerr.At(file, 1, fileerr.New(fileerr.ErrColumnsMissing,
			"the header lacks %s or %s; is this the %s file of the OEWS time series?", codeCol, nameCol, file))
	}
	out := make(map[string]oeCoded)
	line := 2
	for ; sc.Scan(); line++ {
		if strings.TrimSpace(sc.Text()) == "" {
			continue
		}
		if line > maxLookupLines {
			return nil, fileerr.At(file, line, fileerr.New(fileerr.ErrOverLimit, "the file has more than %s lines, the most "+
				"labdash reads in an OEWS lookup file (BLS's have under 1,200)", count(maxLookupLines)))
		}
		f := splitTabbed(sc.Text())
		if err := checkRow(f, columnWhere(header)); err != nil {
			return nil, fileerr.At(file, line, err)
		}
		if len(f) <= max(ci, ni) {
			return nil, fileerr.At(file, line, fileerr.New(fileerr.ErrRowMalformed,
				"the line has %d tab-separated fields where the header has %d; the file may be cut off", len(f), len(header)))
		}
		if err := data.CheckText(nameCol, f[ni], limit); err != nil {
			return nil, fileerr.At(file, line, checkError(data.Observation{}, err))
		}
		if keep == nil || keep(f[ci]) {
			out[f[ci]] = oeCoded{code: f[ci], title: f[ni]}
		}
	}
	if err := sc.Err(); err != nil {
		return nil, fileerr.At(file, line, oeScanError(err, line))
	}
	return out, nil
}

// oeScanError explains why a lookup file could not be read.
func oeScanError(err error, line int) error {
	switch {
	case err == nil:
		return fileerr.New(fileerr.ErrFileEmpty, "the file is empty")
	case errors.Is(err, bufio.ErrTooLong):
		return errLongRow(line)
	}
	return fmt.Errorf("reading the file: %w", err)
}

// scan streams oe.data in large chunks (readLines).
func (p *oeParser) scan(r io.Reader) error {
	body, err := openBody(r)
	if err != nil {
		return fileerr.At(p.file, 0, err)
	}
	lineNo := 0
	next := int64(oeProgressEvery)
	err = readLines(body, func(block []byte) error {
		if lineNo == 0 {
			line := firstLine(block)
			block, lineNo = block[len(line):], 1
			p.stats.Bytes += int64(len(line))
			if err := p.readHeader(line); err != nil {
				return fileerr.At(p.file, 1, err)
			}
		}
		if err := p.lines(block, &lineNo); err != nil {
			return err
		}
		if p.emit != nil {
			if err := p.emitKept(); err != nil {
				return err
			}
		}
		if p.progress != nil && p.stats.Bytes >= next {
			p.progress(p.stats.Bytes, p.stats.Kept)
			next = p.stats.Bytes + oeProgressEvery
		}
		return nil
	})
	if errors.Is(err, errLongLine) {
		return fileerr.At(p.file, lineNo+1, oeReadError(bufio.ErrBufferFull))
	}
	if err != nil {
		return fileerr.At(p.file, lineNo, err)
	}
	if lineNo == 0 {
		return fileerr.At(p.file, 1, p.readHeader(nil))
	}
	if p.progress != nil {
		p.progress(p.stats.Bytes, p.stats.Kept)
	}
	return nil
}

// lines reads a run of lines; only the last may lack its newline. The hot
// path: almost every line is another occupation's, and costs finding its
// end, a length check and a comparison of six bytes.
func (p *oeParser) lines(block []byte, lineNo *int) error {
	n := *lineNo
	defer func() { *lineNo = n }()
	for len(block) > 0 {
		end := bytes.IndexByte(block, '\n') + 1
		terminated := end > 0
		if !terminated {
			end = len(block)
		}
		line := block[:end]
		block = block[end:]
		n++
		p.stats.Bytes += int64(len(line))
		p.stats.Lines++
		if !terminated || len(line) <= oeDatatypeAt || p.wanted(line) >= 0 {
			if err := p.line(line, n, terminated); err != nil {
				return fileerr.At(p.file, n, err)
			}
		}
	}
	return nil
}

// firstLine is the first line of block, with its newline if it has one.
func firstLine(block []byte) []byte {
	if i := bytes.IndexByte(block, '\n'); i >= 0 {
		return block[:i+1]
	}
	return block
}

func oeReadError(err error) error {
	if errors.Is(err, bufio.ErrBufferFull) {
		return fileerr.New(fileerr.ErrOverLimit, "the line is longer than %s bytes, the most labdash reads in one line "+
			"(oe.data's are under 100); this is not an oe.data file", count(maxRowBytes))
	}
	return fmt.Errorf("reading the file: %w", err)
}

// readHeader finds the columns; the series id must come first, since the
// filter reads it at fixed offsets.
func (p *oeParser) readHeader(line []byte) error {
	h := splitTabbed(string(bytes.TrimPrefix(line, fileerr.UTF8BOM)))
	p.yearAt, p.periodAt = indexOf(h, "year"), indexOf(h, "period")
	p.valueAt, p.footnoteAt = indexOf(h, "value"), indexOf(h, "footnote_codes")
	if len(h) == 0 || !strings.EqualFold(h[0], "series_id") || p.yearAt < 0 || p.periodAt < 0 || p.valueAt < 0 {
		return fileerr.New(fileerr.ErrColumnsMissing, "the first line is not the oe.data header "+
			"(series_id, year, period, value, footnote_codes); is this an OEWS time-series data file?")
	}
	return nil
}

// line handles one data line. Only lines of a configured occupation are
// parsed; the rest cost a length check and a six-byte comparison. The last
// line of a file that does not end with a newline is always parsed, since
// that is where a cut-off download shows.
func (p *oeParser) line(line []byte, lineNo int, terminated bool) error {
	if !terminated && len(bytes.TrimSpace(line)) == 0 {
		return nil // trailing blanks after the last newline
	}
	w := -1
	if len(line) > oeDatatypeAt {
		w = p.wanted(line)
	} else if len(bytes.TrimSpace(line)) > 0 {
		if !terminated {
			return fileerr.New(fileerr.ErrFileTruncated, "the last line %q is incomplete; the file is cut off, download it again",
				string(bytes.TrimSpace(line)))
		}
		return fileerr.New(fileerr.ErrRowMalformed, "the line %q is too short to hold a 25-character OEWS series id",
			string(bytes.TrimSpace(line)))
	}
	if w < 0 && terminated {
		return nil
	}
	return p.parseLine(line, lineNo, w, terminated)
}

// wanted returns the configured occupation whose code sits at the fixed
// offset of the line (at least 24 bytes long), or -1.
func (p *oeParser) wanted(line []byte) int {
	occ := [6]byte(line[oeOccupationAt:oeDatatypeAt])
	for i := range p.want {
		if occ == p.want[i].bytes {
			return i
		}
	}
	return -1
}

// parseLine reads a line that survived the filter. w is the configured
// occupation, or -1 for an unterminated last line of another occupation,
// which is only checked for completeness.
func (p *oeParser) parseLine(line []byte, lineNo, w int, terminated bool) error {
	var f [8][]byte
	n := splitTabFields(bytes.TrimRight(line, "\r\n"), f[:])
	need := max(p.yearAt, p.periodAt, p.valueAt) + 1
	if !terminated && p.footnoteAt >= 0 {
		need = max(need, p.footnoteAt+1) // a cut can fall just before the last tab
	}
	if n < need {
		if !terminated {
			return fileerr.New(fileerr.ErrFileTruncated, "the last line has %d of its %d fields; the file is cut off, download it again", n, need)
		}
		return fileerr.New(fileerr.ErrRowMalformed, "the line has %d tab-separated fields where oe.data has at least %d", n, need)
	}
	// Only trailing padding is trimmed: the filter read the occupation at a
	// fixed offset of the raw line, which must be the series id's own.
	series := bytes.TrimRight(f[0], " ")
	if len(series) != oeSeriesLen || !bytes.HasPrefix(series, []byte("OE")) {
		return fileerr.New(fileerr.ErrRowMalformed, "%q is not a 25-character OEWS series id", string(bytes.TrimSpace(f[0])))
	}
	cell, err := readNumberCell(string(f[p.valueAt]))
	if err == nil && cell.blank {
		err = fileerr.New(fileerr.ErrValueUnreadable, "the value is empty; oe.data writes \"-\" for a figure that is not available")
		if !terminated {
			err = fileerr.New(fileerr.ErrFileTruncated, "the last line ends before its value; the file is cut off, download it again")
		}
	}
	if err != nil || w < 0 {
		return err
	}
	p.stats.Kept++
	if oeDatatypeOf(series) == 0 {
		p.stats.UnknownDatatypes++ // a datatype added after this was written: nothing to show it as
		return nil
	}
	p.want[w].rows++
	var fn []byte
	if p.footnoteAt >= 0 && p.footnoteAt < n {
		fn = bytes.TrimSpace(f[p.footnoteAt])
	}
	return p.observe(w, series, f[p.yearAt], f[p.periodAt], cell, fn, lineNo)
}

// observe checks one kept line and records it.
func (p *oeParser) observe(w int, series, year, period []byte, cell numberCell, fn []byte, lineNo int) error {
	if per := bytes.TrimSpace(period); string(per) != "A01" {
		return fileerr.New(fileerr.ErrRowMalformed, "the period %q is not A01; only annual OEWS estimates are known", per)
	}
	key := oeKey{want: uint16(w), datatype: oeDatatypeOf(series)}
	var ok bool
	if key.period, ok = p.periods.index[string(bytes.TrimSpace(year))]; !ok {
		if err := p.addPeriod(bytes.TrimSpace(year)); err != nil {
			return err
		}
		key.period = int32(len(p.periods.list) - 1)
	}
	if key.area, ok = p.areas.index[string(series[oeAreaAt:oeIndustryAt])]; !ok {
		return fileerr.New(fileerr.ErrCodeUnknown, "the area code %s is not in oe.area; use the oe.area of the same release as oe.data",
			series[oeAreaAt:oeIndustryAt])
	}
	if code := series[oeIndustryAt:oeOccupationAt]; string(code) != oeCrossIndustry {
		if key.industry, ok = p.industries.index[string(code)]; !ok {
			return fileerr.New(fileerr.ErrCodeUnknown, "the industry code %s is not in oe.industry; use the oe.industry of the same release as oe.data", code)
		}
	}
	if p.want[w].title == "" {
		return fileerr.New(fileerr.ErrCodeUnknown, "the occupation %s is not in oe.occupation; use the oe.occupation of the same release as oe.data", p.want[w].soc6)
	}
	r := oeRecord{key: key, line: int32(lineNo), footnote: p.footnote(fn)}
	cell = combineFlags(cell, p.footnotes.list[r.footnote].flag)
	r.value, r.hasValue, r.flag = cell.value, cell.hasValue, flagIndex(cell.flag)
	if r.hasValue {
		if err := checkPlausibleValue(oeDatatypes[key.datatype].measure, r.value); err != nil {
			return err
		}
	}
	return p.keep(r)
}

// keep adds a record unless its key was seen: the same figure again is
// counted and dropped, another value for it rejects the file.
func (p *oeParser) keep(r oeRecord) error {
	if i, dup := p.seen[r.key]; dup {
		prev := p.records[i]
		if prev.hasValue == r.hasValue && prev.value == r.value && prev.flag == r.flag && prev.footnote == r.footnote {
			p.stats.Duplicates++
			return nil
		}
		o, po := p.observation(r, new(float64)), p.observation(prev, new(float64))
		return fileerr.New(fileerr.ErrValuesConflict, "%s is %q here but %q on line %d; the file contradicts itself",
			describeKey(o), describeValue(o), describeValue(po), prev.line)
	}
	if len(p.records) == maxFigures {
		return errFigures()
	}
	p.seen[r.key] = int32(len(p.records))
	p.records = append(p.records, r)
	return nil
}

// build turns the records into observations, in the order of the file. The
// duplicate index is dropped first: a large ingest then holds the records
// and the observations, not the index as well.
func (p *oeParser) build() ([]data.Observation, error) {
	p.seen = nil
	obs := make([]data.Observation, 0, len(p.records))
	p.emit = func(o data.Observation) error {
		obs = append(obs, o)
		return nil
	}
	if err := p.emitKept(); err != nil {
		return nil, err
	}
	return obs, nil
}

// emitKept hands the records kept since the last call to emit, as
// observations in the order of the file, each checked first.
func (p *oeParser) emitKept() error {
	fresh := p.records[p.emitted:]
	values := make([]float64, len(fresh)) // one allocation for the block's numbers
	for i, r := range fresh {
		o := p.observation(r, &values[i])
		if err := o.Check(); err != nil {
			return fileerr.At(p.file, int(r.line), checkError(o, err))
		}
		if err := p.emit(o); err != nil {
			p.emitErr = err
			return err
		}
		p.stats.Observations++
	}
	p.emitted = len(p.records)
	return nil
}

// observation expands a record; slot holds its number.
func (p *oeParser) observation(r oeRecord, slot *float64) data.Observation {
	w, area, industry := p.want[r.key.want], p.areas.list[r.key.area], p.industries.list[r.key.industry]
	m := oeDatatypes[r.key.datatype]
	o := data.Observation{
		OccupationCode: w.code, OccupationTitle: w.title,
		AreaCode: area.code, AreaTitle: area.title,
		IndustryCode: industry.code, IndustryTitle: industry.title,
		Measure: data.Measure(m.measure), Period: p.periods.list[r.key.period], Unit: data.Unit(m.unit),
		Flag: data.KnownFlags[r.flag], Notes: p.footnotes.list[r.footnote].note,
	}
	if r.hasValue {
		*slot = r.value
		o.Value = slot
	}
	p.prov.apply(&o)
	return o
}

// oeDatatypeOf reads the two-digit datatype at the end of a series id; 0 when
// it is not a known one.
func oeDatatypeOf(series []byte) uint8 {
	a, b := series[oeDatatypeAt], series[oeDatatypeAt+1]
	if a < '0' || a > '9' || b < '0' || b > '9' {
		return 0
	}
	dt := int(a-'0')*10 + int(b-'0')
	if dt >= len(oeDatatypes) {
		return 0
	}
	return uint8(dt)
}

// flagIndex is f's index in data.KnownFlags.
func flagIndex(f data.Flag) uint8 {
	for i, k := range data.KnownFlags {
		if k == f {
			return uint8(i)
		}
	}
	return 0
}

// addPeriod turns a new year into "May YYYY".
func (p *oeParser) addPeriod(year []byte) error {
	if len(year) != 4 || bytes.IndexFunc(year, func(r rune) bool { return r < '0' || r > '9' }) >= 0 {
		return fileerr.New(fileerr.ErrRowMalformed, "the year %q is not a four-digit year", string(year))
	}
	p.periods.add(string(year), "May "+string(year))
	return nil
}

// splitTabFields splits line at tabs into dst without allocating and returns
// the number of fields (at most len(dst); any beyond are left in the last).
func splitTabFields(line []byte, dst [][]byte) int {
	n := 0
	for n < len(dst)-1 {
		i := bytes.IndexByte(line, '\t')
		if i < 0 {
			break
		}
		dst[n] = line[:i]
		line = line[i+1:]
		n++
	}
	dst[n] = line
	return n + 1
}
