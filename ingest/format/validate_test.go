package format

import (
	"errors"
	"io"
	"strings"
	"testing"

	"github.com/labdash/labdash/ingest/fileerr"

	"github.com/labdash/labdash/data"
)

func TestOpenBody(t *testing.T) {
	cases := map[string]error{
		"":                             fileerr.ErrFileEmpty,
		" \r\n\t\n":                    fileerr.ErrFileEmpty,
		"\uFEFF\n":                     fileerr.ErrFileEmpty,
		"<!DOCTYPE html><html>":        fileerr.ErrFileIsHTML,
		"\n  <HTML lang=en>":           fileerr.ErrFileIsHTML,
		"\uFEFF<?xml version=\"1.0\"":  fileerr.ErrFileIsHTML,
		"series_id\tyear\n":            nil,
		strings.Repeat(" ", 600) + "x": nil,
	}
	for body, want := range cases {
		br, err := openBody(strings.NewReader(body))
		if !errors.Is(err, want) {
			t.Errorf("%q: error %v, want %v", body, err, want)
		}
		if err == nil {
			if b, _ := io.ReadAll(br); string(b) != body {
				t.Errorf("%q: the body read after the sniff is %q", body, b)
			}
		}
	}
}

func TestTailReader(t *testing.T) {
	for body, cut := range map[string]bool{"": false, "a,b\n": false, "a,b\r\n": false, "a,b": true, "a\nb": true} {
		tr := &tailReader{r: strings.NewReader(body)}
		io.Copy(io.Discard, tr)
		if tr.endsMidLine() != cut {
			t.Errorf("%q: endsMidLine %v", body, !cut)
		}
	}
}

func TestCheckPlausible(t *testing.T) {
	obs := func(measure data.Measure, v float64) data.Observation {
		return data.Observation{Measure: measure, Value: &v}
	}
	bad := []data.Observation{
		obs("median_annual_wage", -1), obs("pct10_hourly_wage", -0.01), obs("employment", -10),
		obs("projected_employment", -1), obs("annual_openings", -5), obs("location_quotient", -0.1),
		obs("share_of_occupation_pct", 100.5), obs("share_of_industry_pct", -1), obs("projected_growth_pct", -101),
	}
	for _, o := range bad {
		if err := checkPlausible(o); !errors.Is(err, fileerr.ErrValueImpossible) {
			t.Errorf("%s %v accepted", o.Measure, *o.Value)
		}
	}
	good := []data.Observation{
		obs("employment_change", -1500), obs("projected_growth_pct", -10), obs("share_of_occupation_pct", 100),
		obs("median_annual_wage", 0), obs("employment", 0), {Measure: "employment", Flag: data.FlagNotAvailable},
	}
	for _, o := range good {
		if err := checkPlausible(o); err != nil {
			t.Errorf("%s: %v", o.Measure, err)
		}
	}
}

func TestCollector(t *testing.T) {
	o := data.Observation{OccupationCode: "29-2018", AreaCode: "0000000", Measure: "employment", Period: "May 2024",
		Unit: "jobs", Value: data.Float(10), Tier: data.TierPrimary}
	c := newCollector("f.txt")
	if err := c.add(o, 2); err != nil {
		t.Fatal(err)
	}
	if err := c.add(o, 3); err != nil || c.n != 1 || c.duplicates != 1 {
		t.Fatalf("an identical repeat: %v, %d kept, %d duplicates", err, c.n, c.duplicates)
	}
	other := o
	other.IndustryTitle = "Hospitals" // keys apart by title
	if err := c.add(other, 4); err != nil || c.n != 2 {
		t.Fatalf("another industry: %v", err)
	}
	changed := o
	changed.Value = data.Float(11)
	err := c.add(changed, 5)
	var ie *fileerr.InputError
	if !errors.Is(err, fileerr.ErrValuesConflict) || !errors.As(err, &ie) || ie.Line != 5 || ie.File != "f.txt" {
		t.Fatalf("a conflicting repeat: %v", err)
	}
	want := `f.txt line 5: employment of 29-2018 in area 0000000, May 2024 is "11" here but "10" on line 2; the file contradicts itself`
	if err.Error() != want {
		t.Errorf("message\n%s\nwant\n%s", err, want)
	}
	flagged := o
	flagged.Period, flagged.Value = "May 2023", nil
	if err := c.add(flagged, 6); !errors.Is(err, fileerr.ErrRowMalformed) || !strings.Contains(err.Error(), "no value and no flag") {
		t.Errorf("an observation Check refuses: %v", err)
	}
}

func TestInputErrorMessages(t *testing.T) {
	inner := fileerr.New(fileerr.ErrValueUnreadable, "the value \"x\" is neither a number nor a BLS marker")
	cases := map[string]*fileerr.InputError{
		"oe.area line 3: the value \"x\" is neither a number nor a BLS marker": {File: "oe.area", Line: 3, Err: inner},
		"oe.area: the value \"x\" is neither a number nor a BLS marker":        {File: "oe.area", Err: inner},
		"line 3: the value \"x\" is neither a number nor a BLS marker":         {Line: 3, Err: inner},
	}
	for want, e := range cases {
		if e.Error() != want || !errors.Is(e, fileerr.ErrValueUnreadable) {
			t.Errorf("got %q", e.Error())
		}
	}
	if fileerr.At("x", 1, &fileerr.InputError{File: "y", Line: 2, Err: inner}).Error() != "y line 2: "+inner.Error() {
		t.Error("inFile re-wrapped an error that had its place")
	}
}
