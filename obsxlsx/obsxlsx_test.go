package obsxlsx

import (
	"bytes"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"github.com/labdash/labdash/data"
)

// Synthetic figures, not real BLS numbers: a number, a flagged figure, a
// text measure, and titles that look like formulas or carry bytes XML
// cannot hold.
func testFigures() []data.Observation {
	base := data.Observation{OccupationCode: "29-2010", OccupationTitle: "Synthetic occupation", AreaCode: "0000000", AreaTitle: "United States",
		Measure: data.MeasureMedianAnnualWage, Period: "May 2024", Unit: data.UnitUSDPerYear, Tier: data.TierPrimary,
		SourceTitle: "Synthetic workbook", SourceURL: "https://www.bls.gov/x.zip", RetrievedAt: time.Date(2025, 5, 1, 0, 0, 0, 0, time.UTC)}
	number := base
	number.Value = data.Float(61890.5)
	flagged := base
	flagged.Measure, flagged.Flag = data.MeasurePct90AnnualWage, data.FlagNotAvailable
	text := base
	text.Measure, text.Period, text.Unit, text.Text = data.MeasureTypicalEntryEducation, "2024-2034", data.UnitText, "=HYPERLINK(\"http://x\",\"Bachelor's\")"
	hostile := base
	hostile.OccupationCode, hostile.OccupationTitle, hostile.Value = "00-0000", "+cmd|' /C calc'!A0\x01\xff", data.Float(0)
	hostile.SourceTitle = "@SUM(1+1)"
	return []data.Observation{number, flagged, text, hostile}
}

func writeTest(t *testing.T) *excelize.File {
	t.Helper()
	var buf bytes.Buffer
	about := About{Title: "=1+1 Synthetic chart", Lines: []string{"Source: synthetic."}, Citations: []Citation{{"APA", "-Synthetic citation."}}}
	err := Write(&buf, about, func(fn func(data.Observation) error) error {
		for _, o := range testFigures() {
			if err := fn(o); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	f, err := excelize.OpenReader(&buf)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { f.Close() })
	return f
}

// TestCellTypes: codes, periods and words are text cells, values are
// number cells, a flagged figure has no value cell, and nothing is a
// formula.
func TestCellTypes(t *testing.T) {
	f := writeTest(t)
	if got := f.GetSheetList(); len(got) != 2 || got[0] != FiguresSheet || got[1] != SourcesSheet {
		t.Fatalf("sheets %v", got)
	}
	cols := map[string]string{}
	for i, c := range columns {
		name, _ := excelize.ColumnNumberToName(i + 1)
		cols[c] = name
	}
	cell := func(col string, row int) string { return cols[col] + string(rune('0'+row)) }
	for row := 2; row <= 5; row++ {
		for _, col := range []string{"occupation_code", "area_code", "period", "measure", "occupation_title", "source_title"} {
			typ, err := f.GetCellType(FiguresSheet, cell(col, row))
			if err != nil || (typ != excelize.CellTypeInlineString && typ != excelize.CellTypeSharedString) {
				t.Errorf("row %d %s: type %v, want a text cell", row, col, typ)
			}
		}
	}
	for _, row := range []int{2, 5} {
		typ, _ := f.GetCellType(FiguresSheet, cell("value", row))
		if typ != excelize.CellTypeUnset && typ != excelize.CellTypeNumber {
			t.Errorf("row %d value: type %v, want a number", row, typ)
		}
	}
	if v, _ := f.GetCellValue(FiguresSheet, cell("value", 2)); v != "61890.5" {
		t.Errorf("value %q", v)
	}
	if v, _ := f.GetCellValue(FiguresSheet, cell("value", 5)); v != "0" {
		t.Errorf("a real zero reads %q", v)
	}
	if v, _ := f.GetCellValue(FiguresSheet, cell("value", 3)); v != "" {
		t.Errorf("flagged figure's value %q, want no cell", v)
	}
	if v, _ := f.GetCellValue(FiguresSheet, cell("flag", 3)); v != "not_available" {
		t.Errorf("flag %q", v)
	}
	if v, _ := f.GetCellValue(FiguresSheet, cell("occupation_code", 2)); v != "29-2010" {
		t.Errorf("code %q", v)
	}
	if v, _ := f.GetCellValue(FiguresSheet, cell("value", 4)); !strings.HasPrefix(v, "=HYPERLINK") {
		t.Errorf("text value %q, want the text as published", v)
	}
	if v, _ := f.GetCellValue(FiguresSheet, cell("occupation_title", 5)); v != "+cmd|' /C calc'!A0\uFFFD" {
		t.Errorf("hostile title %q", v)
	}
	for _, sheet := range []string{FiguresSheet, SourcesSheet} {
		rows, err := f.GetRows(sheet)
		if err != nil {
			t.Fatal(err)
		}
		for r, row := range rows {
			for c := range row {
				name, _ := excelize.CoordinatesToCellName(c+1, r+1)
				if formula, _ := f.GetCellFormula(sheet, name); formula != "" {
					t.Errorf("%s!%s is a formula: %q", sheet, name, formula)
				}
				if typ, _ := f.GetCellType(sheet, name); typ == excelize.CellTypeFormula {
					t.Errorf("%s!%s has the formula-string type", sheet, name)
				}
			}
		}
	}
}

// TestSourcesSheet: the title, the citation and one row per source with
// its tier and how many figures it gave.
func TestSourcesSheet(t *testing.T) {
	f := writeTest(t)
	rows, err := f.GetRows(SourcesSheet)
	if err != nil {
		t.Fatal(err)
	}
	text := ""
	for _, r := range rows {
		text += strings.Join(r, " | ") + "\n"
	}
	for _, want := range []string{
		"=1+1 Synthetic chart\n",
		"4 figures, on the sheet \"Figures\".\n",
		"Citation (APA) | -Synthetic citation.\n",
		"Source title | Source address | Tier | Figures\n",
		"Synthetic workbook | https://www.bls.gov/x.zip | primary | 3\n",
		"@SUM(1+1) | https://www.bls.gov/x.zip | primary | 1\n",
	} {
		if !strings.Contains(text, want) {
			t.Errorf("sources sheet lacks %q:\n%s", want, text)
		}
	}
}
