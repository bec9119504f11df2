// Package oebench writes the OEWS time-series pair the ingest benchmarks
// read: oe.series and oe.data.0.Current of over six million lines each, in
// the exact layouts of docs/DATA.md (the May 2020 release had about 5.7
// million), with the lookups bls-oe needs. The figures are synthetic; the
// files are written for a benchmark run and never committed.
package oebench

import (
	"bufio"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
)

// Kept are the two occupations the benchmarks keep, as configured and as
// they sit in a series id.
var (
	Kept     = []string{"29-2018", "31-9097"}
	keptSOC6 = map[string]bool{"292018": true, "319097": true}
)

// Pair is a generated directory.
type Pair struct {
	Dir        string
	DataPath   string // oe.data.0.Current
	SeriesPath string // oe.series: one line per series of oe.data, as BLS's has
	DataBytes  int64
	Bytes      int64 // oe.series and oe.data together
	Lines      int   // data lines of oe.data (and of oe.series)
	KeptLines  int   // lines of the Kept occupations
}

// Write writes the pair into dir: national, 54 state and 480 metro areas with a
// varying subset of 830 occupations (cross-industry), then national figures
// by industry until lines are passed; 17 datatypes per occupation, a few "-"
// values and top-code footnotes.
func Write(dir string, lines int) (*Pair, error) {
	p := &Pair{Dir: dir, DataPath: filepath.Join(dir, "oe.data.0.Current"), SeriesPath: filepath.Join(dir, "oe.series")}
	data, err := os.Create(p.DataPath)
	if err != nil {
		return nil, err
	}
	defer data.Close()
	series, err := os.Create(p.SeriesPath)
	if err != nil {
		return nil, err
	}
	defer series.Close()
	dw, sw := bufio.NewWriterSize(data, 1<<20), bufio.NewWriterSize(series, 1<<20)
	dw.WriteString("series_id                     \tyear\tperiod\t       value\tfootnote_codes\n")
	sw.WriteString("series_id                     \tseasonal\tareatype_code\tindustry_code\toccupation_code\tdatatype_code\t" +
		"state_code\tarea_code\tsector_code\tseries_title\tfootnote_codes\tbegin_year\tbegin_period\tend_year\tend_period\n")
	occs := occupations()
	var areas, industries strings.Builder
	areas.WriteString("state_code\tarea_code\tareatype_code\tarea_name\n00\t0000000\tN\tNational\n")
	industries.WriteString("industry_code\tindustry_name\tdisplay_level\tselectable\tsort_sequence\n000000\tCross-industry\t0\tT\t1\n")
	line := make([]byte, 0, 200)
	rng := uint32(2463534242)
	emit := func(areatype byte, area, industry string, share uint32) {
		for _, occ := range occs {
			rng ^= rng << 13
			rng ^= rng >> 17
			rng ^= rng << 5
			if !keptSOC6[occ] && rng%100 >= share {
				continue
			}
			for dt := 1; dt <= 17; dt++ {
				dw.Write(appendDataLine(line[:0], areatype, area, industry, occ, dt, rng))
				sw.Write(appendSeriesLine(line[:0], areatype, area, industry, occ, dt))
				p.Lines++
				if keptSOC6[occ] {
					p.KeptLines++
				}
			}
		}
	}
	emit('N', "0000000", "000000", 100)
	for s := 1; s <= 54; s++ {
		code := fmt.Sprintf("%02d00000", s)
		fmt.Fprintf(&areas, "%02d\t%s\tS\tState %02d\n", s, code, s)
		emit('S', code, "000000", 72)
	}
	for m := 0; m < 480; m++ {
		code := fmt.Sprintf("00%05d", 10000+m*83)
		fmt.Fprintf(&areas, "99\t%s\tM\tMetro area %d\n", code, m)
		emit('M', code, "000000", 38)
	}
	for i := 0; p.Lines < lines; i++ {
		code := fmt.Sprintf("%06d", 110000+i*1170)
		fmt.Fprintf(&industries, "%s\tIndustry %d\t4\tT\t%d\n", code, i, i+2)
		emit('N', "0000000", code, 48)
	}
	for _, w := range []*bufio.Writer{dw, sw} {
		if err := w.Flush(); err != nil {
			return nil, err
		}
	}
	var occ strings.Builder
	occ.WriteString("occupation_code\toccupation_name\toccupation_description\tdisplay_level\tselectable\tsort_sequence\n")
	for i, c := range occs {
		fmt.Fprintf(&occ, "%s\tOccupation %s\tSynthetic.\t3\tT\t%d\n", c, c, i+1)
	}
	for name, body := range map[string]string{"oe.area": areas.String(), "oe.industry": industries.String(), "oe.occupation": occ.String()} {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(body), 0o644); err != nil {
			return nil, err
		}
	}
	for _, f := range []*os.File{data, series} {
		st, err := f.Stat()
		if err != nil {
			return nil, err
		}
		p.Bytes += st.Size()
	}
	st, err := data.Stat()
	if err != nil {
		return nil, err
	}
	p.DataBytes = st.Size()
	return p, nil
}

// occupations returns 830 six-digit SOC codes, the kept ones among them.
func occupations() []string {
	groups := []int{11, 13, 15, 17, 19, 21, 23, 25, 27, 29, 31, 33, 35, 37, 39, 41, 43, 45, 47, 49, 51, 53}
	out := []string{"000000", "292011", "292018", "319097"}
	for i := 0; len(out) < 830; i++ {
		c := fmt.Sprintf("%02d%04d", groups[i%len(groups)], 1000+(i*37)%9000)
		if c != "292011" && c != "292018" && c != "319097" {
			out = append(out, c)
		}
	}
	return out
}

func appendSeriesID(line []byte, areatype byte, area, industry, occ string, dt int) []byte {
	line = append(line, 'O', 'E', 'U', areatype)
	line = append(line, area...)
	line = append(line, industry...)
	line = append(line, occ...)
	return append(line, byte('0'+dt/10), byte('0'+dt%10))
}

// appendDataLine writes one line exactly as oe.data does: the series id
// padded to 30, year, period, the value right-aligned in 12, footnotes.
func appendDataLine(line []byte, areatype byte, area, industry, occ string, dt int, rnd uint32) []byte {
	line = appendSeriesID(line, areatype, area, industry, occ, dt)
	line = append(line, "     \t2024\tA01\t"...)
	var v [24]byte
	val, footnote := v[:0], ""
	switch {
	case rnd%53 == 0:
		val = append(val, '-')
	case dt == 1:
		val = strconv.AppendInt(val, int64(rnd%90000+10)/10*10, 10)
	case dt == 2 || dt == 5:
		val = strconv.AppendFloat(val, float64(rnd%300)/10, 'f', 1, 64)
	case dt >= 3 && dt <= 10 && dt != 4:
		val = strconv.AppendFloat(val, 15+float64(rnd%8000)/100, 'f', 2, 64)
		if dt == 10 && rnd%97 == 0 {
			val, footnote = append(val[:0], "115.00"...), "5"
		}
	case dt == 16 || dt == 17:
		val = strconv.AppendFloat(val, float64(rnd%400)/100, 'f', 2, 64)
	default:
		val = strconv.AppendInt(val, int64(31000+rnd%160000), 10)
		if dt == 15 && rnd%97 == 0 {
			val, footnote = append(val[:0], "239200"...), "5"
		}
	}
	for i := len(val); i < 12; i++ {
		line = append(line, ' ')
	}
	line = append(line, val...)
	line = append(line, '\t')
	line = append(line, footnote...)
	return append(line, '\n')
}

// appendSeriesLine writes the oe.series line of the same series, its title
// worded as BLS words them.
func appendSeriesLine(line []byte, areatype byte, area, industry, occ string, dt int) []byte {
	line = appendSeriesID(line, areatype, area, industry, occ, dt)
	line = append(line, "     \tU\t"...)
	line = append(line, areatype, '\t')
	line = append(line, industry...)
	line = append(line, '\t')
	line = append(line, occ...)
	line = append(line, '\t', byte('0'+dt/10), byte('0'+dt%10), '\t')
	line = append(line, area[:2]...)
	line = append(line, '\t')
	line = append(line, area...)
	line = append(line, "\t-\tDatatype "...)
	line = append(line, byte('0'+dt/10), byte('0'+dt%10))
	line = append(line, " for occupation "...)
	line = append(line, occ...)
	line = append(line, " in industry "...)
	line = append(line, industry...)
	line = append(line, " in area "...)
	line = append(line, area...)
	return append(line, "\t\t2024\tA01\t2024\tA01\n"...)
}
