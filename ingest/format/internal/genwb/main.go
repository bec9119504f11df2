// Command genwb writes a large OEWS workbook in the layout of a real one,
// for measuring how bls-oews scales: the data sheet's rows are written
// -copies times, the first copy as published and every further copy under
// a synthetic area (AREA 1, 2, … with AREA_TYPE 2, titled "synthetic copy
// N"), so that each copy's figures are kept under keys of their own; the
// field descriptions sheet (period, top-code caps) is copied as it is.
//
//	go run ./ingest/format/internal/genwb -copies 20 -o /tmp/big/natsector_M2024_dl.xlsx
//
// The output is test data, never committed: its figures are BLS's, its
// areas are not.
package main

import (
	"flag"
	"fmt"
	"os"
	"strconv"
	"strings"

	"github.com/xuri/excelize/v2"
)

func main() {
	from := flag.String("from", "data/builtin/bls/oews/natsector_M2024_dl.xlsx", "the workbook whose layout and rows are copied")
	out := flag.String("o", "", "the workbook to write (its name should keep the _M2024_ of the period)")
	copies := flag.Int("copies", 20, "how many times the data rows are written")
	flag.Parse()
	if *out == "" || *copies < 1 {
		fmt.Fprintln(os.Stderr, "genwb: -o names the workbook to write; -copies is at least 1")
		os.Exit(2)
	}
	if err := generate(*from, *out, *copies); err != nil {
		fmt.Fprintln(os.Stderr, "genwb:", err)
		os.Exit(1)
	}
}

// sheets of the source workbook: the data sheet is the one with OCC_CODE
// in its header; every other visible sheet is copied cell by cell.
type source struct {
	dataSheet string
	header    []string
	rows      [][]string
	others    map[string][][]string
	order     []string
}

func generate(from, out string, copies int) error {
	src, err := readSource(from)
	if err != nil {
		return err
	}
	f := excelize.NewFile()
	defer f.Close()
	if err := f.SetSheetName("Sheet1", src.dataSheet); err != nil {
		return err
	}
	if err := writeData(f, src, copies); err != nil {
		return err
	}
	for _, name := range src.order {
		if err := writeSheet(f, name, src.others[name]); err != nil {
			return err
		}
	}
	if err := f.SaveAs(out); err != nil {
		return err
	}
	st, err := os.Stat(out)
	if err != nil {
		return err
	}
	fmt.Printf("wrote %s: %d data rows, %d bytes\n", out, len(src.rows)*copies, st.Size())
	return nil
}

func readSource(path string) (*source, error) {
	x, err := excelize.OpenFile(path, excelize.Options{RawCellValue: true})
	if err != nil {
		return nil, err
	}
	defer x.Close()
	src := &source{others: map[string][][]string{}}
	for _, name := range x.GetSheetList() {
		if visible, _ := x.GetSheetVisible(name); !visible {
			continue
		}
		rows, err := x.GetRows(name, excelize.Options{RawCellValue: true})
		if err != nil {
			return nil, fmt.Errorf("sheet %s: %w", name, err)
		}
		if src.dataSheet == "" && len(rows) > 0 && hasColumn(rows[0], "OCC_CODE") {
			src.dataSheet, src.header, src.rows = name, rows[0], rows[1:]
			continue
		}
		src.others[name] = rows
		src.order = append(src.order, name)
	}
	if src.dataSheet == "" {
		return nil, fmt.Errorf("%s has no sheet with OCC_CODE in its first row", path)
	}
	return src, nil
}

func hasColumn(header []string, name string) bool {
	return column(header, name) >= 0
}

func column(header []string, name string) int {
	for i, h := range header {
		if strings.EqualFold(strings.TrimSpace(h), name) {
			return i
		}
	}
	return -1
}

// writeData streams the header and the copies of the data rows.
func writeData(f *excelize.File, src *source, copies int) error {
	sw, err := f.NewStreamWriter(src.dataSheet)
	if err != nil {
		return err
	}
	area, areaTitle, areaType := column(src.header, "AREA"), column(src.header, "AREA_TITLE"), column(src.header, "AREA_TYPE")
	if area < 0 || areaTitle < 0 || areaType < 0 {
		return fmt.Errorf("the data sheet has no AREA, AREA_TITLE and AREA_TYPE columns to vary")
	}
	row := 1
	if err := sw.SetRow("A1", cellValues(src.header)); err != nil {
		return err
	}
	for c := 0; c < copies; c++ {
		for _, cells := range src.rows {
			values := cellValues(cells)
			if c > 0 {
				values = setCell(values, area, strconv.Itoa(c))
				values = setCell(values, areaTitle, "synthetic copy "+strconv.Itoa(c))
				values = setCell(values, areaType, "2")
			}
			row++
			if err := sw.SetRow("A"+strconv.Itoa(row), values); err != nil {
				return err
			}
		}
	}
	return sw.Flush()
}

func setCell(values []any, i int, v string) []any {
	for len(values) <= i {
		values = append(values, nil)
	}
	values[i] = v
	return values
}

// cellValues writes numbers as numbers, as BLS's workbooks hold them, and
// everything else (codes with leading zeros, markers) as text.
func cellValues(cells []string) []any {
	out := make([]any, len(cells))
	for i, s := range cells {
		if v, err := strconv.ParseFloat(s, 64); err == nil && !leadingZero(s) {
			out[i] = v
		} else {
			out[i] = s
		}
	}
	return out
}

// leadingZero tells a code ("000000", "01") from a number ("0", "0.5").
func leadingZero(s string) bool {
	return len(s) > 1 && s[0] == '0' && s[1] != '.'
}

func writeSheet(f *excelize.File, name string, rows [][]string) error {
	if _, err := f.NewSheet(name); err != nil {
		return err
	}
	for i, cells := range rows {
		values := make([]any, len(cells))
		for j, s := range cells {
			values[j] = s
		}
		if err := f.SetSheetRow(name, "A"+strconv.Itoa(i+1), &values); err != nil {
			return err
		}
	}
	return nil
}
