package data_test

import (
	"strings"
	"testing"
	"time"

	"github.com/labdash/labdash/data"
	"github.com/labdash/labdash/data/builtin"
	"github.com/labdash/labdash/ingest/format"
)

// TestListFormatsAreIngestFormats keeps data's names of the list formats
// in step with ingest's registry.
func TestListFormatsAreIngestFormats(t *testing.T) {
	for _, name := range []string{data.FormatReferenceList, data.FormatLabdashCSV} {
		if _, ok := format.Lookup(name); !ok {
			t.Errorf("ingest has no format %q", name)
		}
	}
}

// TestOriginsOfTheBuiltinSnapshot: a workbook's figures, re-saved copy
// included, are from a BLS file; every reference figure is not, the ones
// read on bls.gov pages (tier primary) included.
func TestOriginsOfTheBuiltinSnapshot(t *testing.T) {
	pub, err := builtin.Publication(time.Unix(0, 0))
	if err != nil {
		t.Fatal(err)
	}
	origins := data.OriginsOf(pub.Sources)
	var fromFile, listedPrimary, resaved int
	for _, o := range pub.Observations {
		fromWorkbook := strings.HasSuffix(o.SourceURL, ".zip") || strings.HasSuffix(o.SourceURL, ".xlsx")
		switch {
		case fromWorkbook && !origins.FromBLSFile(o):
			t.Errorf("%s %s %s from %s: not counted as read from a BLS file", o.OccupationCode, o.Measure, o.Period, o.SourceURL)
		case !fromWorkbook && origins.FromBLSFile(o):
			t.Errorf("%s %s %s from %s (%s): counted as read from a BLS file", o.OccupationCode, o.Measure, o.Period, o.SourceURL, o.Tier)
		}
		if origins.FromBLSFile(o) {
			fromFile++
		}
		if origins.FromList(o) && o.Tier == data.TierPrimary {
			listedPrimary++
		}
		if o.Tier == data.TierResavedCopy && origins.FromBLSFile(o) {
			resaved++
		}
	}
	if listedPrimary == 0 || resaved == 0 || fromFile < len(pub.Observations)*9/10 {
		t.Errorf("%d of %d figures from a BLS file, %d re-saved; %d listed with tier primary", fromFile, len(pub.Observations), resaved, listedPrimary)
	}
	// The zero Origins knows no list: a primary figure counts as from a file.
	if !(data.Origins{}).FromBLSFile(data.Observation{Tier: data.TierPrimary}) ||
		(data.Origins{}).FromBLSFile(data.Observation{Tier: data.TierSecondary}) {
		t.Error("zero Origins: primary should count as from a file, secondary never")
	}
}
