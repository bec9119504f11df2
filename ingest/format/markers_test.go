package format

import (
	"errors"
	"testing"

	"github.com/labdash/labdash/ingest/fileerr"

	"github.com/labdash/labdash/data"
)

func TestReadNumberCell(t *testing.T) {
	cases := []struct {
		cell  string
		value float64
		has   bool
		flag  data.Flag
		blank bool
	}{
		{"66060", 66060, true, data.FlagNone, false},
		{"       20.64", 20.64, true, data.FlagNone, false},
		{"3,391.0", 3391, true, data.FlagNone, false},
		{"1,234,567", 1234567, true, data.FlagNone, false},
		{"$61,890", 61890, true, data.FlagNone, false},
		{"-1.2", -1.2, true, data.FlagNone, false},
		{".5", 0.5, true, data.FlagNone, false},
		{"0", 0, true, data.FlagNone, false},
		{"", 0, false, data.FlagNotAvailable, true},
		{"   ", 0, false, data.FlagNotAvailable, true},
		{"-", 0, false, data.FlagNotAvailable, false},
		{"—", 0, false, data.FlagNotAvailable, false},
		{"*", 0, false, data.FlagNotAvailable, false},
		{"**", 0, false, data.FlagNotAvailable, false},
		{"#", 0, false, data.FlagTopCoded, false},
		{"~", 0, false, data.FlagLowReporting, false},
		{">=239,200", 239200, true, data.FlagTopCoded, false},
		{"≥ 115.00", 115, true, data.FlagTopCoded, false},
		{">239200", 239200, true, data.FlagTopCoded, false},
	}
	for _, c := range cases {
		got, err := readNumberCell(c.cell)
		if err != nil {
			t.Errorf("%q: %v", c.cell, err)
			continue
		}
		if got.value != c.value || got.hasValue != c.has || got.flag != c.flag || got.blank != c.blank {
			t.Errorf("%q = %+v", c.cell, got)
		}
	}
	for _, bad := range []string{"NaN", "Inf", "-Inf", "infinity", "0x1p3", "1e5", "1_000", "1,23", "12,3456", ",123",
		"1,,234", "12a", "a12", "--1", "1.2.3", ".", "+", ">=", "#1", "$", "1 000", "(8)"} {
		if c, err := readNumberCell(bad); !errors.Is(err, fileerr.ErrValueUnreadable) {
			t.Errorf("%q read as %+v, %v", bad, c, err)
		}
	}
}

func TestOEFootnoteFlag(t *testing.T) {
	cases := []struct {
		code, text string
		want       data.Flag
	}{
		{"5", "", data.FlagTopCoded},
		{"8", "", data.FlagNotReleased},
		{"2", "", data.FlagNone},
		{"5", "This wage is equal to or greater than $100.00 per hour or $208,000 per year.", data.FlagTopCoded},
		{"8", "Estimate not released.", data.FlagNotReleased},
		{"9", "Estimate not released.", data.FlagNotReleased}, // read by its text if renumbered
		{"5", "Annual wages have been calculated by multiplying the hourly mean wage by 2,080 hours.", data.FlagNone},
		{"7", "Employment estimate is not available.", data.FlagNotAvailable},
	}
	for _, c := range cases {
		if got := oeFootnoteFlag(c.code, c.text); got != c.want {
			t.Errorf("footnote %s %q = %q, want %q", c.code, c.text, got, c.want)
		}
	}
}

func TestCombineFlags(t *testing.T) {
	number := numberCell{value: 61880, hasValue: true}
	dash := numberCell{flag: data.FlagNotAvailable}
	cases := []struct {
		name     string
		cell     numberCell
		footnote data.Flag
		value    bool
		want     data.Flag
	}{
		{"plain number", number, data.FlagNone, true, data.FlagNone},
		{"cap with footnote 5", number, data.FlagTopCoded, true, data.FlagTopCoded},
		{"dash with footnote 5", dash, data.FlagTopCoded, false, data.FlagTopCoded},
		{"dash with footnote 8", dash, data.FlagNotReleased, false, data.FlagNotReleased},
		{"number with footnote 8", number, data.FlagNotReleased, false, data.FlagNotReleased},
		{"number with a not-available footnote", number, data.FlagNotAvailable, true, data.FlagNone},
		{"bare dash", dash, data.FlagNone, false, data.FlagNotAvailable},
	}
	for _, c := range cases {
		got := combineFlags(c.cell, c.footnote)
		if got.hasValue != c.value || got.flag != c.want {
			t.Errorf("%s: %+v", c.name, got)
		}
		if got.hasValue && got.value != 61880 || !got.hasValue && got.value != 0 {
			t.Errorf("%s: value %v", c.name, got.value)
		}
	}
}

func TestTextMissing(t *testing.T) {
	for s, want := range map[string]bool{"": true, " — ": true, "-": true, "n/a": true, "None": false, "Bachelor's degree": false, "#": false} {
		if textMissing(s) != want {
			t.Errorf("textMissing(%q) = %v", s, !want)
		}
	}
}
