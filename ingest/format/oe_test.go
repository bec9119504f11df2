package format

import (
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"testing/iotest"
	"time"

	"github.com/labdash/labdash/ingest/fileerr"

	"github.com/labdash/labdash/data"
)

// oeFixture reads one of the testdata/oe files.
func oeFixture(t testing.TB, name string) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", "oe", name))
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// oeFixtureFiles returns the fixture lookups with dataBody as oe.data.
func oeFixtureFiles(t testing.TB, dataBody string, withFootnotes bool) OEFiles {
	f := OEFiles{
		Data:       strings.NewReader(dataBody),
		DataName:   "oe.data.0.Current",
		Area:       strings.NewReader(oeFixture(t, "oe.area")),
		Industry:   strings.NewReader(oeFixture(t, "oe.industry")),
		Occupation: strings.NewReader(oeFixture(t, "oe.occupation")),
	}
	if withFootnotes {
		f.Footnote = strings.NewReader(oeFixture(t, "oe.footnote"))
	}
	return f
}

var testProv = Provenance{
	SourceName: "oews", SourceTitle: "OEWS time series", SourceURL: "https://download.bls.gov/pub/time.series/oe/",
	RetrievedAt: time.Date(2025, 5, 1, 12, 0, 0, 0, time.UTC), FileHash: "abc123",
}

// obsIndex finds observations by occupation|area|industry|measure|period.
func obsIndex(obs []data.Observation) map[string]data.Observation {
	m := make(map[string]data.Observation, len(obs))
	for _, o := range obs {
		m[o.Key().String()] = o
	}
	return m
}

// wantNumber checks one observation's value, unit and flag exactly.
func wantNumber(t *testing.T, m map[string]data.Observation, key string, value float64, unit data.Unit, flag data.Flag) data.Observation {
	t.Helper()
	o, ok := m[key]
	if !ok {
		t.Fatalf("no observation %s", key)
	}
	if o.Value == nil || *o.Value != value || o.Unit != unit || o.Flag != flag {
		t.Errorf("%s = %s %q flag %q, want %v %q flag %q", key, o.ValueString(), o.Unit, o.Flag, value, unit, flag)
	}
	return o
}

// wantFlagged checks an observation that carries a flag and no number.
func wantFlagged(t *testing.T, m map[string]data.Observation, key string, flag data.Flag) data.Observation {
	t.Helper()
	o, ok := m[key]
	if !ok {
		t.Fatalf("no observation %s", key)
	}
	if o.Value != nil || o.Flag != flag {
		t.Errorf("%s = %s flag %q, want no value and flag %q", key, o.ValueString(), o.Flag, flag)
	}
	return o
}

func TestParseOEFixture(t *testing.T) {
	body := oeFixture(t, "oe.data.0.Current")
	var calls int
	var lastBytes int64
	files := oeFixtureFiles(t, body, true)
	files.Progress = func(n int64, kept int) { calls++; lastBytes = n }
	obs, stats, err := ParseOE(files, []string{"29-2018", "31-9097"}, testProv)
	if err != nil {
		t.Fatal(err)
	}
	// 17 + 7 + 3 + 4 lines of 29-2018, 4 of 31-9097; nothing else.
	if len(obs) != 35 || stats.Kept != 35 || stats.Observations != 35 || stats.Lines != 41 {
		t.Fatalf("got %d observations, stats %+v", len(obs), stats)
	}
	if calls == 0 || lastBytes != int64(len(body)) || stats.Bytes != int64(len(body)) {
		t.Errorf("progress called %d times, last with %d bytes; file has %d", calls, lastBytes, len(body))
	}
	m := obsIndex(obs)
	const nat = "29-2018|0000000||"
	o := wantNumber(t, m, nat+"median_annual_wage|May 2024", 61880, "USD per year", data.FlagNone)
	if o.AreaTitle != "United States" || o.OccupationTitle != "Clinical Laboratory Technologists and Technicians" ||
		o.IndustryCode != "" || o.IndustryTitle != "" || !o.CrossIndustry() {
		t.Errorf("national figure keyed as %+v", o)
	}
	if o.Tier != data.TierPrimary || o.SourceName != "oews" || o.FileHash != "abc123" || !o.RetrievedAt.Equal(testProv.RetrievedAt) {
		t.Errorf("provenance not applied: %+v", o)
	}
	wantNumber(t, m, nat+"employment|May 2024", 123450, "jobs", data.FlagNone)
	wantNumber(t, m, nat+"employment_rse_pct|May 2024", 0.5, "percent", data.FlagNone)
	wantNumber(t, m, nat+"mean_hourly_wage|May 2024", 30.12, "USD per hour", data.FlagNone)
	wantNumber(t, m, nat+"pct10_hourly_wage|May 2024", 22, "USD per hour", data.FlagNone)
	wantNumber(t, m, nat+"pct90_annual_wage|May 2024", 88190, "USD per year", data.FlagNone)
	wantNumber(t, m, nat+"employment_per_1000|May 2024", 0.85, "jobs per 1,000 jobs", data.FlagNone)
	wantNumber(t, m, nat+"location_quotient|May 2024", 1, "ratio", data.FlagNone)

	// Footnote 5: top-coded, the cap kept as the value.
	ca := wantNumber(t, m, "29-2018|0600000||pct90_annual_wage|May 2024", 239200, "USD per year", data.FlagTopCoded)
	if ca.AreaTitle != "California" || !strings.Contains(ca.Notes, "$239,200") {
		t.Errorf("California figure: %+v", ca)
	}
	wantNumber(t, m, "29-2018|0600000||pct90_hourly_wage|May 2024", 115, "USD per hour", data.FlagTopCoded)
	// Footnote 8 with "-": not released; a bare "-": not available. Never zero.
	atl := wantFlagged(t, m, "29-2018|0012060||employment|May 2024", data.FlagNotReleased)
	if atl.AreaTitle != "Atlanta-Sandy Springs-Roswell, GA" || atl.Unit != "jobs" {
		t.Errorf("Atlanta figure: %+v", atl)
	}
	wantFlagged(t, m, "29-2018|0012060||median_annual_wage|May 2024", data.FlagNotAvailable)
	wantFlagged(t, m, "31-9097|0600000||employment|May 2024", data.FlagNotAvailable)

	// Industry detail: code and title from oe.industry; footnote 2 only explains.
	lab := wantNumber(t, m, "29-2018|0000000|621500|median_annual_wage|May 2024", 60000, "USD per year", data.FlagNone)
	if lab.IndustryTitle != "Medical and Diagnostic Laboratories" || !strings.HasPrefix(lab.Notes, "OEWS footnote 2: Annual wages") {
		t.Errorf("industry figure: %+v", lab)
	}
	wantNumber(t, m, "29-2018|0000000|622000|employment|May 2024", 56780, "jobs", data.FlagNone)
	ph := wantNumber(t, m, "31-9097|0000000||median_hourly_wage|May 2024", 19.71, "USD per hour", data.FlagNone)
	if ph.OccupationTitle != "Phlebotomists" {
		t.Errorf("phlebotomists titled %q", ph.OccupationTitle)
	}
	for _, o := range obs {
		if err := o.Check(); err != nil {
			t.Errorf("%s: %v", o.Key(), err)
		}
	}
}

func TestParseOEWithoutFootnoteFile(t *testing.T) {
	obs, _, err := ParseOE(oeFixtureFiles(t, oeFixture(t, "oe.data.0.Current"), false), []string{"29-2018"}, testProv)
	if err != nil {
		t.Fatal(err)
	}
	m := obsIndex(obs)
	// Codes 5 and 8 are known without oe.footnote; others are named in the notes.
	wantNumber(t, m, "29-2018|0600000||pct90_annual_wage|May 2024", 239200, "USD per year", data.FlagTopCoded)
	wantFlagged(t, m, "29-2018|0012060||employment|May 2024", data.FlagNotReleased)
	if n := m["29-2018|0000000|621500|median_annual_wage|May 2024"].Notes; n != "OEWS footnote 2" {
		t.Errorf("notes %q", n)
	}
}

// oeLine writes one data line in the exact padded layout.
func oeLine(series, year, value, footnote string) string {
	return padRight(series, 30) + "\t" + year + "\tA01\t" + padLeft(value, 12) + "\t" + footnote + "\n"
}

func padRight(s string, n int) string { return s + strings.Repeat(" ", max(0, n-len(s))) }
func padLeft(s string, n int) string  { return strings.Repeat(" ", max(0, n-len(s))) + s }

const oeHeader = "series_id                     \tyear\tperiod\t       value\tfootnote_codes\n"

func TestParseOEAcceptsCRLFDuplicatesAndUnterminatedLastLine(t *testing.T) {
	line := oeLine("OEUN000000000000029201813", "2024", "61880", "")
	body := oeHeader + line + line + // the same figure twice is tolerated
		oeLine("OEUN000000000000029201899", "2024", "1", "") + // a datatype from the future: skipped, counted
		strings.TrimSuffix(oeLine("OEUN000000000000029201801", "2024", "123450", ""), "\n") // complete but unterminated
	body = strings.ReplaceAll(body, "\n", "\r\n")
	body = strings.TrimSuffix(body, "\r\n")
	obs, stats, err := ParseOE(oeFixtureFiles(t, "\uFEFF"+body, true), []string{"29-2018"}, testProv)
	if err != nil {
		t.Fatal(err)
	}
	if len(obs) != 2 || stats.Duplicates != 1 || stats.UnknownDatatypes != 1 {
		t.Fatalf("got %d observations, stats %+v", len(obs), stats)
	}
	m := obsIndex(obs)
	wantNumber(t, m, "29-2018|0000000||employment|May 2024", 123450, "jobs", data.FlagNone)
}

func TestParseOERejectsBadFiles(t *testing.T) {
	good := oeLine("OEUN000000000000029201813", "2024", "61880", "")
	cases := []struct {
		name, body string
		occs       []string
		want       error
		says       string
	}{
		{"empty", "", nil, fileerr.ErrFileEmpty, "empty"},
		{"html", "<!DOCTYPE html><html><body>Access Denied</body></html>\n", nil, fileerr.ErrFileIsHTML, "HTML page"},
		{"no header", good, nil, fileerr.ErrColumnsMissing, "not the oe.data header"},
		{"header without value", "series_id\tyear\tperiod\tfootnote_codes\n" + good, nil, fileerr.ErrColumnsMissing, "header"},
		{"cut mid-value", oeHeader + good + "OEUN000000000000029201801     \t2024\tA01\t      12", nil, fileerr.ErrFileTruncated, "cut off"},
		{"cut mid-record", oeHeader + good + "OEUN000000000000029201801     \t20", nil, fileerr.ErrFileTruncated, "cut off"},
		{"cut inside the series id", oeHeader + good + "OEUN0000000000000", nil, fileerr.ErrFileTruncated, "cut off"},
		{"cut in another occupation", oeHeader + good + "OEUN000000000000015125201     \t2024\tA", nil, fileerr.ErrFileTruncated, "cut off"},
		{"short line", oeHeader + "garbage\n" + good, nil, fileerr.ErrRowMalformed, "too short"},
		{"too few fields", oeHeader + "OEUN000000000000029201813     \t2024\t61880\n", nil, fileerr.ErrRowMalformed, "fields"},
		{"bad series id", oeHeader + "XXUN000000000000029201813     \t2024\tA01\t1\t\n", nil, fileerr.ErrRowMalformed, "series id"},
		{"unreadable value", oeHeader + oeLine("OEUN000000000000029201813", "2024", "61,88O", ""), nil, fileerr.ErrValueUnreadable, "neither a number nor"},
		{"NaN value", oeHeader + oeLine("OEUN000000000000029201813", "2024", "NaN", ""), nil, fileerr.ErrValueUnreadable, "NaN"},
		{"empty value", oeHeader + oeLine("OEUN000000000000029201813", "2024", "", ""), nil, fileerr.ErrValueUnreadable, "empty"},
		{"conflict", oeHeader + good + oeLine("OEUN000000000000029201813", "2024", "61990", ""), nil, fileerr.ErrValuesConflict, "line 2"},
		{"negative wage", oeHeader + oeLine("OEUN000000000000029201813", "2024", "-5", ""), nil, fileerr.ErrValueImpossible, "negative"},
		{"negative employment", oeHeader + oeLine("OEUN000000000000029201801", "2024", "-10", ""), nil, fileerr.ErrValueImpossible, "negative"},
		{"unknown area", oeHeader + oeLine("OEUS480000000000029201813", "2024", "1", ""), nil, fileerr.ErrCodeUnknown, "oe.area"},
		{"unknown industry", oeHeader + oeLine("OEUN000000099999929201813", "2024", "1", ""), nil, fileerr.ErrCodeUnknown, "oe.industry"},
		{"occupation absent", oeHeader + good, []string{"29-2010"}, fileerr.ErrOccupationAbsent, "29-2010"},
		{"header only", oeHeader, nil, fileerr.ErrOccupationAbsent, "no rows"},
		{"monthly period", oeHeader + strings.Replace(good, "A01", "M01", 1), nil, fileerr.ErrRowMalformed, "A01"},
		{"bad year", oeHeader + oeLine("OEUN000000000000029201813", "24", "1", ""), nil, fileerr.ErrRowMalformed, "year"},
		{"line over the limit", oeHeader + strings.Repeat("x", 2<<20) + "\n", nil, fileerr.ErrOverLimit, "line 2: the line is longer than 65,536 bytes"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			occs := c.occs
			if occs == nil {
				occs = []string{"29-2018"}
			}
			obs, _, err := ParseOE(oeFixtureFiles(t, c.body, true), occs, testProv)
			if err == nil {
				t.Fatalf("accepted a bad file: %d observations", len(obs))
			}
			if !errors.Is(err, c.want) || !strings.Contains(err.Error(), c.says) {
				t.Fatalf("error %q, want %v saying %q", err, c.want, c.says)
			}
			if obs != nil {
				t.Error("returned observations with an error")
			}
		})
	}
}

func TestParseOERejectsBadSetup(t *testing.T) {
	good := oeHeader + oeLine("OEUN000000000000029201813", "2024", "61880", "")
	noArea := oeFixtureFiles(t, good, false)
	noArea.Area = nil
	badArea := oeFixtureFiles(t, good, false)
	badArea.Area = strings.NewReader("code\tname\n0000000\tNational\n")
	htmlIndustry := oeFixtureFiles(t, good, false)
	htmlIndustry.Industry = strings.NewReader("<html><body>Forbidden</body></html>")
	noOccupationTitle := oeFixtureFiles(t, good, false)
	noOccupationTitle.Occupation = strings.NewReader("occupation_code\toccupation_name\n319097\tPhlebotomists\n")
	cases := map[string]struct {
		files OEFiles
		occs  []string
		says  string
	}{
		"missing oe.area":       {noArea, []string{"29-2018"}, "oe.area, oe.industry and oe.occupation are all required"},
		"oe.area header":        {badArea, []string{"29-2018"}, "oe.area line 1: the header lacks area_code or area_name"},
		"oe.industry is HTML":   {htmlIndustry, []string{"29-2018"}, "oe.industry: the file is an HTML page"},
		"not in oe.occupation":  {noOccupationTitle, []string{"29-2018"}, "not in oe.occupation"},
		"occupation not a code": {oeFixtureFiles(t, good, false), []string{"292018"}, "not a SOC code"},
		"no occupations":        {oeFixtureFiles(t, good, false), nil, "no occupations are configured"},
	}
	for name, c := range cases {
		t.Run(name, func(t *testing.T) {
			_, _, err := ParseOE(c.files, c.occs, testProv)
			if err == nil || !strings.Contains(err.Error(), c.says) {
				t.Fatalf("error %v, want one saying %q", err, c.says)
			}
		})
	}
}

// TestParseOEStreams checks that the data file is read in one pass through a
// reader that cannot seek, and that errors carry the file and line.
func TestParseOEStreams(t *testing.T) {
	body := oeHeader + oeLine("OEUN000000000000029201813", "2024", "61880", "") +
		oeLine("OEUN000000000000029201801", "2024", "12x", "")
	files := oeFixtureFiles(t, body, false)
	files.Data = io.MultiReader(strings.NewReader(body[:40]), strings.NewReader(body[40:]))
	_, _, err := ParseOE(files, []string{"29-2018"}, testProv)
	var ie *fileerr.InputError
	if !errors.As(err, &ie) || ie.File != "oe.data.0.Current" || ie.Line != 3 {
		t.Fatalf("error %v, want one placed at oe.data.0.Current line 3", err)
	}
	if !strings.HasPrefix(err.Error(), "bls-oe: oe.data.0.Current line 3: the value \"12x\"") {
		t.Errorf("message %q", err)
	}
}

// oe.data is read in chunks of a megabyte: lines cut by a chunk's end, the
// last line without its newline.
func TestParseOEAcrossChunks(t *testing.T) {
	var b strings.Builder
	b.WriteString(oeHeader)
	kept := 0
	for i := 0; b.Len() < 3*chunkSize+12345; i++ {
		year := fmt.Sprint(1990 + i%35)
		if i%97 == 0 && kept < 35*17 {
			dt := kept % 17
			b.WriteString(oeLine(fmt.Sprintf("OEUN0000000000000292018%02d", dt+1), fmt.Sprint(1990+kept/17), fmt.Sprint(1000+kept), ""))
			kept++
			continue
		}
		b.WriteString(oeLine("OEUN000000000000015125201", year, "1500000", strings.Repeat("5", i%3)))
	}
	body := strings.TrimSuffix(b.String(), "\n") // the last line unterminated
	files := oeFixtureFiles(t, body, false)
	files.Data = iotest.HalfReader(strings.NewReader(body))
	obs, stats, err := ParseOE(files, []string{"29-2018"}, testProv)
	if err != nil {
		t.Fatal(err)
	}
	if len(obs) != kept || stats.Bytes != int64(len(body)) || stats.Lines != int64(strings.Count(body, "\n")) {
		t.Errorf("%d figures, %d bytes, %d lines; want %d, %d, %d", len(obs), stats.Bytes, stats.Lines, kept, len(body), strings.Count(body, "\n"))
	}
	if o := obsIndex(obs)["29-2018|0000000||employment|May 1990"]; o.Value == nil || *o.Value != 1000 {
		t.Errorf("the first kept figure: %+v", o)
	}
}

// ParseOEEach hands figures over block by block as it reads, not at the
// end: a reader of a large file gets the early ones while the rest is read.
// A line that later contradicts one of them still fails the whole read,
// and an error of emit stops it and is returned as it is.
func TestParseOEEachHandsFiguresOverWhileReading(t *testing.T) {
	var b strings.Builder
	b.WriteString(oeHeader + oeLine("OEUN000000000000029201801", "2024", "100", ""))
	for b.Len() < 2*chunkSize {
		b.WriteString(oeLine("OEUN000000000000015125201", "2024", "1500000", ""))
	}
	body := b.String() + oeLine("OEUN000000000000029201801", "2024", "101", "") // synthetic contradiction
	handed := 0
	_, err := ParseOEEach(oeFixtureFiles(t, body, false), []string{"29-2018"}, testProv, func(data.Observation) error {
		handed++
		return nil
	})
	if handed != 1 || err == nil || !strings.HasPrefix(err.Error(), "bls-oe: oe.data.0.Current line ") || !strings.Contains(err.Error(), "contradicts itself") {
		t.Errorf("%d figures handed over before the contradiction, error %v; want 1 and the contradiction", handed, err)
	}

	stop := errors.New("the store is full")
	_, err = ParseOEEach(oeFixtureFiles(t, body, false), []string{"29-2018"}, testProv, func(data.Observation) error { return stop })
	if err != stop {
		t.Errorf("emit's error came back as %v", err)
	}
}
