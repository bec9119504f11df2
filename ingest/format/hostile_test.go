package format

import (
	"archive/zip"
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"golang.org/x/text/encoding/charmap"

	"github.com/labdash/labdash/data"
	"github.com/labdash/labdash/ingest/fileerr"
)

// Hostile input, format by format (issue 13): rows, cells and fields over
// their limits, text that is not UTF-8, and Windows-1252 where Excel writes
// it. Every refusal is one sentence that names the row and the limit.

// parseAs reads files as the named format does in a run.
func parseAs(t *testing.T, name string, src Source, files ...File) ([]data.Observation, []string, error) {
	t.Helper()
	f, ok := Lookup(name)
	if !ok {
		t.Fatalf("no format %s", name)
	}
	var notes []string
	obs, err := f.Parse(Input{Source: src, Files: files, Prov: testProv, Note: func(s string) { notes = append(notes, s) }})
	return obs, notes, err
}

// wantRefused checks a refusal's kind and that its sentence says each of want.
func wantRefused(t *testing.T, obs []data.Observation, err error, kind error, want ...string) {
	t.Helper()
	if err == nil || len(obs) != 0 {
		t.Fatalf("accepted: %d observations, error %v", len(obs), err)
	}
	if !errors.Is(err, kind) {
		t.Errorf("error %q is not of the kind %q", err, kind)
	}
	for _, w := range want {
		if !strings.Contains(err.Error(), w) {
			t.Errorf("error %q does not say %q", err, w)
		}
	}
	if len(err.Error()) > 600 {
		t.Errorf("the sentence is %d bytes long; it should name the problem, not quote the input", len(err.Error()))
	}
}

func fixture(t *testing.T, dir, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", dir, name))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// oeFiles are the bls-oe fixture files, in Files order, with edit applied
// to the one named.
func oeFiles(t *testing.T, edit string, f func([]byte) []byte) []File {
	t.Helper()
	var out []File
	for _, name := range oeFileNames {
		b := fixture(t, "oe", name)
		if name == edit {
			b = f(b)
		}
		out = append(out, File{Name: name, Data: b})
	}
	return out
}

func replaceOnce(t *testing.T, b []byte, old, new string) []byte {
	t.Helper()
	if !bytes.Contains(b, []byte(old)) {
		t.Fatalf("the fixture has no %q", old)
	}
	return bytes.Replace(b, []byte(old), []byte(new), 1)
}

// labdashRow is a labdash-csv file of one row, title and notes as given.
func labdashRow(title, notes string) []byte {
	return []byte("occupation_code,occupation_title,area_code,area_title,industry_code,industry_title,measure,period,value,unit,flag," +
		"tier,source_url,source_title,source_name,retrieved_at,notes\n" +
		"29-2018," + title + ",0000000,United States,,,median_annual_wage,May 2024,61880,USD per year,,primary," +
		"https://download.bls.gov/pub/time.series/oe/,OEWS time series,oews,2025-05-01T12:00:00Z," + notes + "\n")
}

// The probe: a labdash-csv row whose title cell is 50 MB was
// published. It is refused at the row limit, without the row ever being
// held whole: the parse allocates a small fraction of the row.
func TestFiftyMBTitleIsRefusedWithoutBeingHeld(t *testing.T) {
	body := labdashRow(strings.Repeat("x", 50<<20), "")
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	start := time.Now()
	obs, _, err := parseAs(t, "labdash-csv", Source{}, File{Name: "extra.csv", Data: body})
	took := time.Since(start)
	runtime.ReadMemStats(&after)
	wantRefused(t, obs, err, fileerr.ErrOverLimit, "line 2", "longer than 65,536 bytes")
	allocated := after.TotalAlloc - before.TotalAlloc
	if allocated > 8<<20 {
		t.Errorf("refusing the row allocated %d bytes; the 50 MB row must not be read whole", allocated)
	}
	t.Logf("refused in %v after allocating %d KB: %v", took, allocated>>10, err)
}

func TestFieldAndRowLimitsPerFormat(t *testing.T) {
	oews := func(title string) []byte {
		return []byte(strings.Join(anyStrings(header2021), ",") + "\n" +
			strings.Join(anyStrings(row2021("99", "U.S.", "1", "000000", "29-2010", "detailed", 1000, 30.5, 63440)), ",") + "\n" +
			strings.Replace(strings.Join(anyStrings(row2021("99", "U.S.", "1", "000000", "31-9097", "detailed", 1000, 20.5, 43440)), ","),
				"Occupation 31-9097", title, 1) + "\n")
	}
	wide := make([]any, 1200)
	for i := range wide {
		wide[i] = "x"
	}
	copy(wide, header2021)
	longCell := row2021("99", "U.S.", "1", "000000", "29-2010", "detailed", 1000, 30.5, 63440)
	longCell[9] = strings.Repeat("é", 5000)
	epRows := "Occupation Title,Occupation Code,Employment 2023,Employment 2033\n" + strings.Repeat("Other,11-1011,1.0,1.1\n", 20_001)
	cases := []struct {
		name   string
		format string
		src    Source
		files  []File
		want   []string
	}{
		{"labdash-csv title over 1,000 characters", "labdash-csv", Source{},
			[]File{{Name: "x.csv", Data: labdashRow(strings.Repeat("t", 1500), "")}},
			[]string{"line 2", "occupation_title is 1,500 characters long", "at most 1,000"}},
		{"labdash-csv notes over 4,096 characters", "labdash-csv", Source{},
			[]File{{Name: "x.csv", Data: labdashRow("Title", strings.Repeat("n", 5000))}},
			[]string{"line 2", "notes is 5,000 characters long", "at most 4,096"}},
		{"labdash-csv header of 1,200 columns", "labdash-csv", Source{},
			[]File{{Name: "x.csv", Data: []byte(strings.Join(anyStrings(wide), ",") + "\n")}},
			[]string{"line 1", "1,200 cells", "at most 1,000"}},
		{"bls-oews CSV cell over 4,096 characters", "bls-oews", Source{Occupations: []string{"29-2010"}, Period: "May 2024"},
			[]File{{Name: "national.csv", Data: []byte(strings.Join(anyStrings(header2021), ",") + "\n" +
				strings.Join(anyStrings(longCell), ",") + "\n")}},
			[]string{"national.csv line 2", "column 10 (OCC_TITLE) holds 5,000 characters", "at most 4,096"}},
		{"bls-oews CSV title over 1,000 characters", "bls-oews", Source{Occupations: []string{"31-9097"}, Period: "May 2024"},
			[]File{{Name: "national.csv", Data: oews(strings.Repeat("T", 2000))}},
			[]string{"line 3", "occupation_title is 2,000 characters long"}},
		{"bls-oews workbook cell over 4,096 characters", "bls-oews", Source{Occupations: []string{"29-2010"}},
			[]File{{Name: "national_M2024_dl.xlsx", Data: xlsxBytes(t, sheet{"data", [][]any{header2021, longCell}})}},
			[]string{`sheet "data" row 2`, "cell J2 holds 5,000 characters", "at most 4,096"}},
		{"bls-oews workbook row of 1,200 cells", "bls-oews", Source{Occupations: []string{"29-2010"}},
			[]File{{Name: "national_M2024_dl.xlsx", Data: xlsxBytes(t, sheet{"data", [][]any{wide}})}},
			[]string{`sheet "data" row 1`, "1,200 cells"}},
		{"bls-ep-occupation table of 20,001 rows", "bls-ep-occupation", Source{Occupations: []string{"29-2010"}},
			[]File{{Name: "occupation.csv", Data: []byte(epRows)}},
			[]string{"line 20001", "more than 20,000 rows"}},
		{"bls-oe lookup line over 64 KiB", "bls-oe", Source{Occupations: []string{"29-2018"}},
			oeFiles(t, "oe.area", func(b []byte) []byte {
				return append(b, []byte("06\t0600001\tS\t"+strings.Repeat("a", 70_000)+"\n")...)
			}),
			[]string{"oe.area line", "longer than 65,536 bytes"}},
		{"bls-oe lookup of 100,001 lines", "bls-oe", Source{Occupations: []string{"29-2018"}},
			oeFiles(t, "oe.industry", func(b []byte) []byte {
				var more bytes.Buffer
				for i := 0; i < 100_001; i++ {
					fmt.Fprintf(&more, "9%05d\tIndustry %d\t4\tT\t%d\n", i, i, i)
				}
				return append(b, more.Bytes()...)
			}),
			[]string{"oe.industry line 100001", "more than 100,000 lines"}},
		{"bls-oe occupation title over 1,000 characters", "bls-oe", Source{Occupations: []string{"29-2018"}},
			oeFiles(t, "oe.occupation", func(b []byte) []byte {
				return replaceOnce(t, b, "Clinical Laboratory Technologists and Technicians", strings.Repeat("C", 1001))
			}),
			[]string{"oe.occupation line 5", "occupation_name is 1,001 characters long"}},
		{"bls-api answer over 32 MiB", "bls-api", Source{Occupations: []string{"29-2018"}},
			[]File{{Name: "bls-api-batch-1.json", Data: append([]byte(`{"status":"REQUEST_SUCCEEDED","message":["`),
				bytes.Repeat([]byte("m"), 33<<20)...)}},
			[]string{"bls-api-batch-1.json", "at most 33,554,432"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			obs, _, err := parseAs(t, c.format, c.src, c.files...)
			wantRefused(t, obs, err, fileerr.ErrOverLimit, c.want...)
		})
	}
}

func anyStrings(row []any) []string {
	out := make([]string, len(row))
	for i, v := range row {
		out[i] = fmt.Sprint(v)
	}
	return out
}

// A quoted cell may hold line breaks: they do not end the row, so a row
// cannot pass the limit by spreading over many lines.
func TestRowLimitFollowsQuotes(t *testing.T) {
	line := strings.Repeat("y", 2000)
	manyRows := "a,b\n" + strings.Repeat("1,"+line+"\n", 40)
	if n, err := io.Copy(io.Discard, newRowLimiter(strings.NewReader(manyRows))); err != nil || n != int64(len(manyRows)) {
		t.Fatalf("40 rows of 2 KB: read %d bytes, error %v", n, err)
	}
	oneRow := "a,b\n1,\"" + strings.Repeat(line+"\n", 40) + "\"\n"
	_, err := io.Copy(io.Discard, newRowLimiter(strings.NewReader(oneRow)))
	var ie *fileerr.InputError
	if !errors.As(err, &ie) || ie.Line != 2 || !errors.Is(err, fileerr.ErrOverLimit) {
		t.Fatalf("one row of 80 KB over 40 lines: %v", err)
	}
	escaped := "a,b\n1,\"say \"\"hi\"\"\nthere\"\n" + strings.Repeat("2,"+line+"\n", 40)
	if _, err := io.Copy(io.Discard, newRowLimiter(strings.NewReader(escaped))); err != nil {
		t.Fatalf("doubled quotes end the quoted cell: %v", err)
	}
}

func TestFiguresPerSourceLimit(t *testing.T) {
	c := newCollector("x.csv")
	c.n = maxFigures
	o := data.Observation{OccupationCode: "29-2018", AreaCode: "0000000", Measure: "employment", Period: "May 2024",
		Value: data.Float(1), Unit: "jobs", Tier: data.TierPrimary}
	err := c.add(o, 7)
	if !errors.Is(err, fileerr.ErrOverLimit) || !strings.Contains(err.Error(), "x.csv line 7") ||
		!strings.Contains(err.Error(), "more than 1,000,000 figures") {
		t.Fatalf("figure 1,000,001: %v", err)
	}
}

// patchZip rewrites one member of a zip (a workbook part).
func patchZip(t *testing.T, body []byte, member, old, new string) []byte {
	t.Helper()
	zr, err := zip.NewReader(bytes.NewReader(body), int64(len(body)))
	if err != nil {
		t.Fatal(err)
	}
	var b bytes.Buffer
	zw := zip.NewWriter(&b)
	for _, f := range zr.File {
		rc, err := f.Open()
		if err != nil {
			t.Fatal(err)
		}
		part, err := io.ReadAll(rc)
		rc.Close()
		if err != nil {
			t.Fatal(err)
		}
		if f.Name == member {
			part = replaceOnce(t, part, old, new)
		}
		w, err := zw.Create(f.Name)
		if err != nil {
			t.Fatal(err)
		}
		w.Write(part)
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// Formats that are UTF-8 only refuse a title that is not, naming its line
// and column; a workbook's XML cannot hold such bytes at all.
func TestInvalidUTF8TitleIsRefusedPerFormat(t *testing.T) {
	labdash := replaceOnce(t, fixture(t, "labdash", "export.csv"), "Clinical laboratory", "Clinical laborat\xf3ry")
	reference := "occupation_code,occupation_title,measure,value,unit,period,geography,industry_code,industry_title,tier,source_title,source_url,notes\n" +
		"31-9097,Phleb\xe9tomists,median_annual_wage,41810,USD per year,May 2023,United States,,,primary,t,https://www.bls.gov/x,\n"
	api := `{"status":"REQUEST_SUCCEEDED","message":[],"Results":{"series":[{"seriesID":"OEUN000000000000029201813","data":[` +
		`{"year":"2024","period":"A01","value":"61890","footnotes":[{"code":"1","text":"Estimaci` + "\xf3" + `n"}]}]}]}}`
	workbookRow := row2021("99", "U.S.", "1", "000000", "29-2010", "detailed", 1000, 30.5, 63440)
	workbookRow[9] = "Clinical labQ"
	workbook := patchZip(t, xlsxBytes(t, sheet{"data", [][]any{header2021, workbookRow}}), "xl/sharedStrings.xml", "Clinical labQ", "Clinical lab\xe9")
	cases := []struct {
		name, format string
		src          Source
		files        []File
		kind         error
		want         []string
	}{
		{"labdash-csv", "labdash-csv", Source{}, []File{{Name: "extra.csv", Data: labdash}},
			fileerr.ErrNotText, []string{"line 2", "occupation_title is not valid UTF-8", "0xF3"}},
		{"reference-csv", "reference-csv", Source{}, []File{{Name: "ref.csv", Data: []byte(reference)}},
			fileerr.ErrNotText, []string{"line 2", "occupation_title is not valid UTF-8"}},
		{"bls-oe", "bls-oe", Source{Occupations: []string{"29-2018"}},
			oeFiles(t, "oe.occupation", func(b []byte) []byte {
				return replaceOnce(t, b, "Clinical Laboratory Technologists and Technicians", "Clinical Laborat\xf3ry Technologists and Technicians")
			}),
			fileerr.ErrNotText, []string{"oe.occupation line 5", "occupation_name is not valid UTF-8"}},
		{"bls-api", "bls-api", Source{Occupations: []string{"29-2018"}}, []File{{Name: "bls-api-batch-1.json", Data: []byte(api)}},
			fileerr.ErrNotText, []string{"bls-api-batch-1.json", "not valid UTF-8", "0xF3"}},
		{"bls-oews workbook", "bls-oews", Source{Occupations: []string{"29-2010"}}, []File{{Name: "national_M2024_dl.xlsx", Data: workbook}},
			fileerr.ErrFileUnreadable, []string{`sheet "data"`, "invalid UTF-8"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			obs, _, err := parseAs(t, c.format, c.src, c.files...)
			wantRefused(t, obs, err, c.kind, c.want...)
		})
	}
}

// CSV saved by Excel on Windows is Windows-1252: read whole as that, so
// "Cañon City" is stored as "Cañon City", never "CaÃ±on" nor raw bytes.
func TestWindows1252CSVIsTranscoded(t *testing.T) {
	metro := row2021("15860", "Cañon City, CO", "4", "000000", "29-2010", "detailed", 80, 30.5, 63440)
	export := strings.Replace(epFixture(t, "occupation-export.csv"), "Clinical laboratory technologists and technicians",
		"Clinical laboratory technologists and technicians – médical", 1)
	education := "2019 National Employment Matrix title,2019 National Employment Matrix code,Typical education needed for entry," +
		"Work experience in a related occupation,Typical on-the-job training needed to attain competency in the occupation\r\n" +
		"Clinical laboratory technologists and technicians,29-2010,Bachelor’s degree,None,None\r\n"
	matrix := strings.Replace(epFixture(t, "matrix-29-2010.csv"), "Self-employed workers", "Self–employed workers", 1)
	cases := []struct {
		name, format string
		src          Source
		body         string
		field        func(data.Observation) string
		want         string
	}{
		{"bls-oews CSV", "bls-oews", Source{Occupations: []string{"29-2010"}, Period: "May 2024"}, csvText(t, header2021, metro),
			func(o data.Observation) string { return o.AreaTitle }, "Cañon City, CO"},
		{"data.bls.gov export", "bls-ep-occupation", Source{Occupations: []string{"29-2010"}}, export,
			func(o data.Observation) string { return o.OccupationTitle }, "Clinical laboratory technologists and technicians – médical"},
		{"bls-ep-education CSV", "bls-ep-education", Source{Occupations: []string{"29-2010"}}, education,
			func(o data.Observation) string { return o.Text }, "Bachelor’s degree"},
		{"bls-ep-matrix CSV", "bls-ep-matrix", Source{Occupations: []string{"29-2010"}}, matrix,
			func(o data.Observation) string { return o.IndustryTitle }, "Self–employed workers"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			// Saved by Excel as plain CSV: Windows-1252, without a BOM.
			saved, err := charmap.Windows1252.NewEncoder().String(strings.TrimPrefix(c.body, "\uFEFF"))
			if err != nil {
				t.Fatal(err)
			}
			if utf8.ValidString(saved) {
				t.Fatal("the fixture has no character Windows-1252 writes as one high byte")
			}
			obs, notes, err := parseAs(t, c.format, c.src, File{Name: "saved-by-excel.csv", Data: []byte(saved)})
			if err != nil {
				t.Fatal(err)
			}
			found := false
			for _, o := range obs {
				for _, s := range []string{o.OccupationTitle, o.AreaTitle, o.IndustryTitle, o.Text} {
					if !utf8.ValidString(s) || strings.ContainsRune(s, utf8.RuneError) || strings.Contains(s, "Ã") {
						t.Fatalf("%s: %q is not the text of the file", o.Key(), s)
					}
				}
				found = found || c.field(o) == c.want
			}
			if !found {
				t.Errorf("no figure reads %q", c.want)
			}
			if len(notes) != 1 || !strings.Contains(notes[0], "Windows-1252") {
				t.Errorf("the run is not told the file was read as Windows-1252: %q", notes)
			}
		})
	}
}

// csvText writes rows as CSV.
func csvText(t *testing.T, rows ...[]any) string {
	t.Helper()
	var b strings.Builder
	w := csv.NewWriter(&b)
	w.UseCRLF = true
	for _, r := range rows {
		if err := w.Write(anyStrings(r)); err != nil {
			t.Fatal(err)
		}
	}
	w.Flush()
	return b.String()
}

// What cannot be told apart is refused, not guessed: UTF-8 mixed with other
// bytes, UTF-16, and bytes Windows-1252 leaves undefined.
func TestTextThatIsNeitherUTF8NorWindows1252IsRefused(t *testing.T) {
	header := "Occupation Title,Occupation Code,Employment 2023,Employment 2033,Typical Entry-Level Education\n"
	cases := map[string]struct {
		body string
		want []string
	}{
		"UTF-8 mixed with Windows-1252": {header + "Clinical lab \x96 tech,29-2010,3.0,3.1,Bachelor’s degree\n",
			[]string{"line 2", "0x96 is not UTF-8", "mixes two encodings"}},
		"UTF-16": {"\xff\xfeO\x00c\x00c\x00", []string{"UTF-16"}},
		"a byte undefined in Windows-1252": {header + "Clinical lab\x81,29-2010,3.0,3.1,None\n",
			[]string{"line 2", "0x81"}},
	}
	for name, c := range cases {
		t.Run(name, func(t *testing.T) {
			obs, _, err := parseAs(t, "bls-ep-occupation", Source{Occupations: []string{"29-2010"}}, File{Name: "occupation.csv", Data: []byte(c.body)})
			wantRefused(t, obs, err, fileerr.ErrNotText, c.want...)
		})
	}
}

// A UTF-8 character cut by the end of a read chunk is still UTF-8.
func TestUTF8CharacterAcrossChunkEnds(t *testing.T) {
	for pad := 0; pad < 4; pad++ {
		body := strings.Repeat("a", 256<<10-1-pad) + strings.Repeat("é€𝄞", 3) + "\n"
		text, enc, err := openText(strings.NewReader(body))
		if err != nil || enc != encUTF8 {
			t.Fatalf("pad %d: encoding %v, error %v", pad, enc, err)
		}
		if b, _ := io.ReadAll(text); string(b) != body {
			t.Fatalf("pad %d: the text read back differs", pad)
		}
	}
}
