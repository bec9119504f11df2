package format

import (
	"bytes"
	"encoding/csv"
	"io"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/labdash/labdash/data"
	"github.com/labdash/labdash/obscsv"
)

// Seeds are kept small (a few lines of each fixture): the fuzzer minimises
// every input that finds new coverage, and minimising a whole fixture takes
// longer than a short fuzzing session.

// headLines returns the first n lines of s.
func headLines(s string, n int) string {
	lines := strings.SplitAfter(s, "\n")
	return strings.Join(lines[:min(n, len(lines))], "")
}

// Each fuzz target feeds arbitrary bytes to one parser. Whatever the input,
// a parser must not panic; when it accepts a file, every observation must be
// fit to store, and no marker may have become a number (least of all zero).

// checkAccepted asserts the invariants every accepted observation keeps.
func checkAccepted(t *testing.T, obs []data.Observation, occupations ...string) {
	t.Helper()
	if len(obs) == 0 {
		t.Fatal("accepted a file with no observations")
	}
	known := map[string]bool{}
	for _, c := range occupations {
		known[c] = true
	}
	for _, o := range obs {
		if err := o.Check(); err != nil {
			t.Fatalf("accepted an unfit observation %s: %v", o.Key(), err)
		}
		if err := checkPlausible(o); err != nil {
			t.Fatalf("accepted an impossible observation %s: %v", o.Key(), err)
		}
		switch o.Flag {
		case data.FlagNotAvailable, data.FlagNotReleased, data.FlagLowReporting:
			if o.Value != nil {
				t.Fatalf("%s is flagged %s but carries the number %v", o.Key(), o.Flag, *o.Value)
			}
		}
		if len(known) > 0 && !known[o.OccupationCode] {
			t.Fatalf("kept an unconfigured occupation %q", o.OccupationCode)
		}
	}
}

// zeroCellIn reports whether some CSV cell of body reads as the number zero,
// so that a zero observation can be traced to a zero in the file.
func zeroCellIn(body []byte) bool {
	text := io.Reader(bytes.NewReader(body))
	if r, _, err := openText(bytes.NewReader(body)); err == nil {
		text = r
	}
	cr := csv.NewReader(text)
	cr.FieldsPerRecord, cr.LazyQuotes = -1, true
	for {
		rec, err := cr.Read()
		if err != nil {
			return false
		}
		for _, c := range rec {
			if nc, err := readNumberCell(c); err == nil && nc.hasValue && nc.value == 0 {
				return true
			}
		}
	}
}

func checkNoInventedZero(t *testing.T, obs []data.Observation, body []byte) {
	t.Helper()
	for _, o := range obs {
		if o.Value != nil && *o.Value == 0 && !zeroCellIn(body) {
			t.Fatalf("%s is 0 but no cell of the file is zero", o.Key())
		}
	}
}

// oeValueCells reads the value cells of 29-2018 lines the simple way, keyed
// like the observations, when the header has the standard column order.
func oeValueCells(body string) map[data.Key][]string {
	lines := strings.Split(body, "\n")
	if len(lines) == 0 {
		return nil
	}
	h := splitTabbed(strings.TrimPrefix(lines[0], "\uFEFF"))
	if strings.Join(h, ",") != "series_id,year,period,value,footnote_codes" {
		return nil
	}
	cells := map[data.Key][]string{}
	for _, line := range lines[1:] {
		f := strings.Split(strings.TrimRight(line, "\r"), "\t")
		s := strings.TrimRight(f[0], " ")
		if len(f) < 4 || len(s) != oeSeriesLen || s[oeOccupationAt:oeDatatypeAt] != "292018" {
			continue
		}
		dt, err := strconv.Atoi(s[oeDatatypeAt:])
		if err != nil || dt < 1 || dt > 17 {
			continue
		}
		industry := s[oeIndustryAt:oeOccupationAt]
		if industry == oeCrossIndustry {
			industry = ""
		}
		k := data.Key{Occupation: "29-2018", Area: s[oeAreaAt:oeIndustryAt], Industry: industry,
			Measure: data.Measure(oeDatatypes[dt].measure), Period: "May " + strings.TrimSpace(f[1])}
		cells[k] = append(cells[k], strings.TrimSpace(f[3]))
	}
	return cells
}

func FuzzParseOE(f *testing.F) {
	fixture := strings.Split(oeFixture(f, "oe.data.0.Current"), "\n")
	f.Add(strings.Join(append(fixture[:1], fixture[10:16]...), "\n")) // header, Atlanta and national lines
	f.Add(oeHeader + oeLine("OEUN000000000000029201813", "2024", "61880", "") + oeLine("OEUN000000000000029201801", "2024", "-", "8"))
	f.Add(oeHeader + oeLine("OEUS060000000000029201815", "2024", "239200", "5") + "OEUN000000000000029201801     \t2024\tA01\t  12")
	f.Add(oeHeader + oeLine("OEUN000000062150029201813", "2024", "0", "2,5"))
	f.Add("\uFEFF" + strings.ReplaceAll(oeHeader+oeLine("OEUM001206000000029201801", "2023", "*", ""), "\n", "\r\n"))
	area, industry, occupation := oeFixture(f, "oe.area"), oeFixture(f, "oe.industry"), oeFixture(f, "oe.occupation")
	footnote := oeFixture(f, "oe.footnote")
	f.Fuzz(func(t *testing.T, body string) {
		files := OEFiles{Data: strings.NewReader(body), Area: strings.NewReader(area), Industry: strings.NewReader(industry),
			Occupation: strings.NewReader(occupation), Footnote: strings.NewReader(footnote)}
		obs, stats, err := ParseOE(files, []string{"29-2018"}, testProv)
		if err != nil {
			if obs != nil {
				t.Fatal("returned observations with an error")
			}
			return
		}
		checkAccepted(t, obs, "29-2018")
		if stats.Observations != len(obs) || stats.Bytes != int64(len(body)) {
			t.Fatalf("stats %+v for %d observations and %d bytes", stats, len(obs), len(body))
		}
		cells := oeValueCells(body)
		if cells == nil {
			return
		}
		for _, o := range obs {
			raw, ok := cells[o.Key()]
			if !ok {
				t.Fatalf("%s has no line in the file", o.Key())
			}
			for _, c := range raw {
				if _, marker := cellMarkers[c]; marker && o.Value != nil {
					t.Fatalf("%s: the marker %q became the number %v", o.Key(), c, *o.Value)
				}
				if v, ok := parseDecimal(strings.TrimPrefix(c, "$")); o.Value != nil && *o.Value == 0 && (!ok || v != 0) {
					t.Fatalf("%s is 0 but its cell says %q", o.Key(), c)
				}
			}
		}
	})
}

func FuzzParseEPMatrix(f *testing.F) {
	f.Add([]byte(headLines(epFixture(f, "matrix-29-2010.csv"), 5)))
	f.Add([]byte("Industry Title,Industry Code,2020 Employment,Projected 2030 Employment,\"Employment Percent Change, 2020-2030\"\r\n" +
		"Total employment,TE1000,81.4,89.9,10.5\r\nManufacturing,31-330,—,0.1,*\r\n"))
	f.Add([]byte("Industry Title,Industry Code,2024 Employment,2024 Percent of Industry,Projected 2034 Employment\nX,1,0.0,#,1\nY,2,3"))
	f.Fuzz(func(t *testing.T, body []byte) {
		obs, err := ParseEPMatrix(bytes.NewReader(body), "29-2010", testProv)
		if err != nil {
			return
		}
		checkAccepted(t, obs, "29-2010")
		checkNoInventedZero(t, obs, body)
		for _, o := range obs {
			if o.AreaCode != data.NationalAreaCode || o.IndustryCode == epTotalIndustryCode {
				t.Fatalf("%s: area %q industry %q", o.Key(), o.AreaCode, o.IndustryCode)
			}
		}
	})
}

func FuzzParseEPOccupation(f *testing.F) {
	f.Add([]byte(headLines(epFixture(f, "occupation-workbook.csv"), 5)))
	f.Add([]byte(headLines(epFixture(f, "occupation-export.csv"), 2)))
	f.Add([]byte("2024 National Employment Matrix code,\"Employment, 2024\",\"Employment, 2034\",\"Median annual wage, dollars, 2024[1]\"\n" +
		"29-2010,300.0,306.0,\">=239,200\"\n"))
	f.Add([]byte("Occupation Code,Employment 2024,Employment 2034,Typical Entry-Level Education\n29-2010,0,—,—\n"))
	f.Fuzz(func(t *testing.T, body []byte) {
		obs, err := ParseEPOccupation(bytes.NewReader(body), []string{"29-2010"}, testProv)
		if err != nil {
			return
		}
		checkAccepted(t, obs, "29-2010")
		checkNoInventedZero(t, obs, body)
		for _, o := range obs {
			if o.IsText() && o.Flag == data.FlagNone && o.Text == "" {
				t.Fatalf("%s: empty text without a flag", o.Key())
			}
		}
	})
}

func FuzzParseLabdashCSV(f *testing.F) {
	required := strings.Join(obscsv.RequiredColumns, ",")
	f.Add([]byte(required + "\n29-2018,T,0000000,US,,,employment,May 2024,10,jobs,,primary,u\n"))
	f.Add([]byte("\uFEFF" + required + ",retrieved_at,notes\r\n29-2010,\"'=HYPERLINK(\"\"x\"\")\",0000000,US,1,I," +
		"typical_entry_education,2024-2034,'-x,text,,secondary,u,2025-01-02T03:04:05Z,'+n\r\n" +
		"29-2010,T,0000000,US,,,median_annual_wage,May 2024,,USD per year,top_coded,primary,u,,\r\n"))
	prov := Provenance{SourceName: "peer", Tier: data.TierPrimary, RetrievedAt: time.Date(2025, 1, 2, 3, 4, 5, 0, time.UTC)}
	f.Fuzz(func(t *testing.T, body []byte) {
		obs, err := ParseLabdashCSV(bytes.NewReader(body), prov)
		if err != nil {
			return
		}
		checkAccepted(t, obs)
		checkNoInventedZero(t, obs, body)
		// What was accepted must survive an export and a second reading unchanged.
		var out bytes.Buffer
		if err := obscsv.WriteAll(&out, obs, false); err != nil {
			t.Fatal(err)
		}
		again, err := ParseLabdashCSV(&out, prov)
		if err != nil {
			t.Fatalf("the export of an accepted file is refused: %v\n%s", err, out.String())
		}
		if len(again) != len(obs) {
			t.Fatalf("%d observations became %d", len(obs), len(again))
		}
		for i := range obs {
			a, b := obs[i], again[i]
			if !a.SameFigure(b) || a.Key() != b.Key() || a.SourceName != b.SourceName ||
				!a.RetrievedAt.Truncate(time.Second).Equal(b.RetrievedAt) {
				t.Fatalf("row %d changed on the round trip:\n%+v\n%+v", i, a, b)
			}
		}
	})
}
