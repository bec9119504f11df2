package format

import (
	"archive/zip"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"
)

// BenchmarkParseOEWSWorkbook measures bls-oews on the largest committed BLS
// workbook (natsector_M2024_dl.xlsx: 3 MB, 16,434 rows, 19.5 MB of sheet
// XML), or on the workbook LABDASH_BENCH_XLSX names (such as one written by
// `go run ./ingest/format/internal/genwb`), beside two baselines timed in
// the same run: excelize iterating the data sheet's rows with no parser of
// ours, and inflating the sheet's XML with archive/zip and nothing else.
//
//	go test ./ingest/format -run '^$' -bench ParseOEWSWorkbook -benchtime 3x -benchmem
func BenchmarkParseOEWSWorkbook(b *testing.B) {
	path := os.Getenv("LABDASH_BENCH_XLSX")
	if path == "" {
		path = filepath.Join(realBLS, "oews", "natsector_M2024_dl.xlsx")
	}
	st, err := os.Stat(path)
	if err != nil {
		b.Fatal(err)
	}
	rows, sheetXML := countSheetRows(b, path), largestSheet(b, path)
	occs := []string{"29-2010", "31-9097", "00-0000", "29-1141", "29-2034", "29-2052", "31-9092", "19-4021"}
	var parse, iterate time.Duration

	b.Run("Parse", func(b *testing.B) {
		b.SetBytes(st.Size())
		b.ReportAllocs()
		for i := 0; i < b.N; i++ {
			obs, err := ParseOEWS(Input{Source: Source{Name: "bench", Occupations: occs},
				Files: []File{{Name: filepath.Base(path), Path: path}}, Prov: Provenance{SourceName: "bench"}})
			if err != nil {
				b.Fatal(err)
			}
			if len(obs) == 0 {
				b.Fatal("no figures kept")
			}
		}
		parse = b.Elapsed() / time.Duration(b.N)
		b.ReportMetric(float64(rows)/parse.Seconds(), "rows/s")
	})
	b.Run("ExcelizeRows", func(b *testing.B) {
		b.SetBytes(st.Size())
		b.ReportAllocs()
		for i := 0; i < b.N; i++ {
			if n := countSheetRows(b, path); n != rows {
				b.Fatalf("%d rows, want %d", n, rows)
			}
		}
		iterate = b.Elapsed() / time.Duration(b.N)
		b.ReportMetric(float64(rows)/iterate.Seconds(), "rows/s")
		if parse > 0 { // above 1: what our parser adds to excelize's row iterator
			b.ReportMetric(float64(parse)/float64(iterate), "parse/rows")
		}
	})
	b.Run("UnzipSheet", func(b *testing.B) {
		b.SetBytes(st.Size())
		for i := 0; i < b.N; i++ {
			if n := inflateMember(b, path, sheetXML); n == 0 {
				b.Fatalf("%s is empty", sheetXML)
			}
		}
		unzip := b.Elapsed() / time.Duration(b.N)
		b.ReportMetric(float64(rows)/unzip.Seconds(), "rows/s")
		if parse > 0 { // parse time over the time it takes just to inflate the XML
			b.ReportMetric(float64(parse)/float64(unzip), "parse/unzip")
		}
	})
}

// countSheetRows iterates the data sheet (the first with OCC_CODE in its
// header) the way the parser opens it, and returns its data rows.
func countSheetRows(b *testing.B, path string) int {
	x, err := excelize.OpenFile(path, excelize.Options{RawCellValue: true, UnzipSizeLimit: maxUnpacked, UnzipXMLSizeLimit: inMemoryXML})
	if err != nil {
		b.Fatal(err)
	}
	defer x.Close()
	for _, sheet := range x.GetSheetList() {
		rows, err := x.Rows(sheet)
		if err != nil {
			b.Fatal(err)
		}
		n := 0
		for rows.Next() {
			cells, err := rows.Columns()
			if err != nil {
				b.Fatal(err)
			}
			if n == 0 && !hasOEWSHeader(cells) {
				break
			}
			n++
		}
		rows.Close()
		if n > 0 {
			return n - 1
		}
	}
	b.Fatalf("%s has no OEWS data sheet", path)
	return 0
}

// largestSheet is the zip member of the largest worksheet: in an OEWS
// release, the data sheet.
func largestSheet(b *testing.B, path string) string {
	zr, err := zip.OpenReader(path)
	if err != nil {
		b.Fatal(err)
	}
	defer zr.Close()
	var name string
	var size uint64
	for _, f := range zr.File {
		if strings.HasPrefix(f.Name, "xl/worksheets/") && f.UncompressedSize64 > size {
			name, size = f.Name, f.UncompressedSize64
		}
	}
	if name == "" {
		b.Fatalf("%s has no worksheet", path)
	}
	return name
}

// inflateMember reads one zip member to the end and returns its size.
func inflateMember(b *testing.B, path, member string) int64 {
	zr, err := zip.OpenReader(path)
	if err != nil {
		b.Fatal(err)
	}
	defer zr.Close()
	rc, err := zr.Open(member)
	if err != nil {
		b.Fatal(err)
	}
	defer rc.Close()
	n, err := io.Copy(io.Discard, rc)
	if err != nil {
		b.Fatal(err)
	}
	return n
}
