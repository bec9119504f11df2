package web

import (
	"context"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"github.com/labdash/labdash/data"
	"github.com/labdash/labdash/obscsv"
)

// openXLSX fetches a workbook and opens it with excelize.
func openXLSX(t *testing.T, url string) (*excelize.File, string) {
	t.Helper()
	resp, body := get(t, url)
	if resp.StatusCode != 200 || resp.Header.Get("Content-Type") != xlsxContentType {
		t.Fatalf("%s: %d %q: %.200s", url, resp.StatusCode, resp.Header.Get("Content-Type"), body)
	}
	f, err := excelize.OpenReader(strings.NewReader(body))
	if err != nil {
		t.Fatalf("%s: not a workbook: %v", url, err)
	}
	t.Cleanup(func() { f.Close() })
	return f, resp.Header.Get("Cache-Control")
}

// sheetText is a sheet's rows, cells joined by " | ", a line each.
func sheetText(t *testing.T, f *excelize.File, sheet string) string {
	t.Helper()
	rows, err := f.GetRows(sheet)
	if err != nil {
		t.Fatal(err)
	}
	text := ""
	for _, r := range rows {
		text += strings.Join(r, " | ") + "\n"
	}
	return text
}

// cellOf is the cell of a labdash-csv column in a row of the Figures sheet.
func cellOf(t *testing.T, column string, row int) string {
	t.Helper()
	for i, c := range obscsv.Columns() {
		if c == column {
			name, _ := excelize.CoordinatesToCellName(i+1, row)
			return name
		}
	}
	t.Fatalf("no column %s", column)
	return ""
}

// The snapshot as a workbook: every figure of the snapshot (the count
// /snapshots shows), codes and periods as text, values as numbers, and a
// sheet of sources and the citation; pinned, it never changes.
func TestExportXLSX(t *testing.T) {
	ts, store, _ := newTestSite(t)
	snap, err := store.Snapshot(context.Background(), 1)
	if err != nil {
		t.Fatal(err)
	}
	f, cache := openXLSX(t, ts.URL+"/s/1/export.xlsx")
	if !strings.Contains(cache, "immutable") {
		t.Errorf("pinned workbook Cache-Control %q", cache)
	}
	rows, err := f.GetRows("Figures")
	if err != nil {
		t.Fatal(err)
	}
	if len(rows)-1 != snap.ObservationCount {
		t.Errorf("%d figures in the workbook, the snapshot holds %d", len(rows)-1, snap.ObservationCount)
	}
	numbers, texts := 0, 0
	for r := 2; r <= len(rows); r++ {
		for _, col := range []string{"occupation_code", "area_code", "period"} {
			if typ, _ := f.GetCellType("Figures", cellOf(t, col, r)); typ != excelize.CellTypeInlineString {
				t.Fatalf("row %d %s: cell type %v, want text", r, col, typ)
			}
		}
		unit, _ := f.GetCellValue("Figures", cellOf(t, "unit", r))
		value, _ := f.GetCellValue("Figures", cellOf(t, "value", r))
		typ, _ := f.GetCellType("Figures", cellOf(t, "value", r))
		switch {
		case value == "":
		case unit == string(data.UnitText):
			texts++
		case typ == excelize.CellTypeUnset || typ == excelize.CellTypeNumber:
			numbers++
		default:
			t.Fatalf("row %d: value %q is a %v cell, want a number", r, value, typ)
		}
	}
	if numbers < 3000 || texts < 10 {
		t.Errorf("%d number values, %d words", numbers, texts)
	}
	if v, _ := f.GetCellValue("Figures", cellOf(t, "area_code", 2)); v != "0000000" {
		t.Errorf("area code %q: leading zeros must stay", v)
	}
	text := sheetText(t, f, "Sources")
	for _, want := range []string{"labdash snapshot 1: Built-in data", "Pinned address: " + DefaultBaseURL + "/s/1/",
		"U.S. Bureau of Labor Statistics, figures as published in labdash snapshot 1", "Source title | Source address | Tier | Figures",
		"https://www.beckershospitalreview.com/compensation-issues/clinical-lab-tech-pay-by-state.html | secondary | 52"} {
		if !strings.Contains(text, want) {
			t.Errorf("Sources sheet lacks %q", want)
		}
	}
	if _, cache := openXLSX(t, ts.URL+"/export.xlsx"); strings.Contains(cache, "immutable") {
		t.Error("the latest snapshot's workbook is cached as immutable")
	}
	for _, bad := range []string{"/export.xlsx?snapshot=x", "/export.xlsx?colour=red", "/s/9/export.xlsx"} {
		if resp, _ := get(t, ts.URL+bad); resp.StatusCode != 400 && resp.StatusCode != 404 {
			t.Errorf("%s: %d", bad, resp.StatusCode)
		}
	}
}

// A chart's workbook holds exactly its figures, with its title, source
// line and citation, beside its CSV.
func TestChartXLSX(t *testing.T) {
	ts, _, _ := newTestSite(t)
	f, cache := openXLSX(t, ts.URL+"/s/1/occupation/wage-distribution.xlsx?code=31-9097")
	if !strings.Contains(cache, "immutable") {
		t.Errorf("pinned chart workbook Cache-Control %q", cache)
	}
	rows, _ := f.GetRows("Figures")
	csvRows := readCSV(t, csvBody(t, ts.URL+"/s/1/occupation/wage-distribution.csv?code=31-9097"))
	if len(rows) != len(csvRows) || len(rows) != 6 {
		t.Errorf("workbook %d rows, CSV %d, want 6", len(rows), len(csvRows))
	}
	if v, _ := f.GetCellValue("Figures", cellOf(t, "value", 2)); v != "34860" {
		t.Errorf("10th percentile %q", v)
	}
	text := sheetText(t, f, "Sources")
	for _, want := range []string{"Annual wage percentiles of phlebotomists (31-9097)", "Source: U.S. Bureau of Labor Statistics, OEWS May 2024.",
		"Citation (APA) | U.S. Bureau of Labor Statistics.", "Citation (Plain sentence)", DefaultBaseURL + "/s/1/occupation?code=31-9097"} {
		if !strings.Contains(text, want) {
			t.Errorf("Sources sheet lacks %q:\n%s", want, text)
		}
	}
	_, page := get(t, ts.URL+"/occupation?code=31-9097")
	if !strings.Contains(page, `href="/s/1/occupation/wage-distribution.xlsx?code=31-9097"`) {
		t.Error("the page does not link the chart's workbook beside its CSV")
	}
	for _, bad := range []string{"/occupation/no-such-chart.xlsx", "/occupation/wage-distribution.xlsx?code=99-9999", "/occupation/wage-distribution.xlsx?bom=1"} {
		if resp, _ := get(t, ts.URL+bad); resp.StatusCode != 404 && resp.StatusCode != 400 {
			t.Errorf("%s: %d", bad, resp.StatusCode)
		}
	}
}

// Titles from downloaded files stay text in a workbook, never a formula.
func TestXLSXTitlesStayText(t *testing.T) {
	ts, store, _ := newTestSite(t)
	hostile := `=HYPERLINK("http://evil.test","click")`
	o := data.Observation{OccupationCode: "99-0001", OccupationTitle: hostile, AreaCode: data.NationalAreaCode, AreaTitle: "United States",
		Measure: data.MeasureMedianAnnualWage, Period: "May 2024", Value: data.Float(1), Unit: data.UnitUSDPerYear, Tier: data.TierPrimary,
		SourceName: "test", SourceTitle: "@SUM(A1:A9)", SourceURL: "https://example.test/synthetic"}
	if _, err := store.Publish(context.Background(), data.Publication{Label: "hostile title (synthetic test data)", Observations: []data.Observation{o}}); err != nil {
		t.Fatal(err)
	}
	f, _ := openXLSX(t, ts.URL+"/s/2/export.xlsx")
	rows, _ := f.GetRows("Figures")
	found := false
	for r := 2; r <= len(rows); r++ {
		cell := cellOf(t, "occupation_title", r)
		if v, _ := f.GetCellValue("Figures", cell); v == hostile {
			found = true
			if formula, _ := f.GetCellFormula("Figures", cell); formula != "" {
				t.Errorf("the title became the formula %q", formula)
			}
			if typ, _ := f.GetCellType("Figures", cell); typ != excelize.CellTypeInlineString {
				t.Errorf("the title is a %v cell, want text", typ)
			}
		}
	}
	if !found {
		t.Error("the hostile title is not in the workbook as written")
	}
}
