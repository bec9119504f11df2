package format

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/labdash/labdash/ingest/fileerr"

	"github.com/labdash/labdash/data"
	"github.com/labdash/labdash/obscsv"
)

// roundTripObservations cover every flag, text and numbers, negative and
// fractional values, and text that a spreadsheet or a browser would run.
func roundTripObservations() []data.Observation {
	at := time.Date(2025, 5, 1, 12, 30, 45, 0, time.UTC)
	base := data.Observation{
		OccupationCode: "29-2018", OccupationTitle: "Clinical laboratory technologists and technicians",
		AreaCode: "0000000", AreaTitle: "United States", Unit: "USD per year", Tier: data.TierPrimary,
		SourceName: "oews", SourceTitle: "OEWS time series", SourceURL: "https://download.bls.gov/pub/time.series/oe/",
		RetrievedAt: at,
	}
	with := func(f func(o *data.Observation)) data.Observation {
		o := base
		f(&o)
		return o
	}
	return []data.Observation{
		with(func(o *data.Observation) {
			o.Measure, o.Period, o.Value = "median_annual_wage", "May 2024", data.Float(61880)
		}),
		with(func(o *data.Observation) {
			o.Measure, o.Period, o.Unit, o.Value = "median_hourly_wage", "May 2024", "USD per hour", data.Float(29.75)
		}),
		with(func(o *data.Observation) {
			o.AreaCode, o.AreaTitle = "0600000", "California"
			o.Measure, o.Period, o.Value, o.Flag = "pct90_annual_wage", "May 2024", data.Float(239200), data.FlagTopCoded
		}),
		with(func(o *data.Observation) {
			o.AreaCode, o.AreaTitle = "0012060", "Atlanta-Sandy Springs-Roswell, GA"
			o.Measure, o.Period, o.Unit, o.Flag = "employment", "May 2024", "jobs", data.FlagNotReleased
		}),
		with(func(o *data.Observation) {
			o.Measure, o.Period, o.Flag = "mean_annual_wage", "May 2023", data.FlagNotAvailable
		}),
		with(func(o *data.Observation) {
			o.Measure, o.Period, o.Flag = "pct10_annual_wage", "May 2023", data.FlagLowReporting
		}),
		with(func(o *data.Observation) {
			o.OccupationCode, o.Measure, o.Period, o.Unit, o.Text = "29-2010", "typical_entry_education", "2024-2034", "text", "Bachelor's degree"
			o.Tier, o.Notes = data.TierSecondary, "quoted by a third party; \"Bachelor's\" as printed"
		}),
		with(func(o *data.Observation) {
			o.OccupationCode, o.Measure, o.Period, o.Unit, o.Text = "29-2010", "on_the_job_training", "2024-2034", "text", "=cmd|' /C calc'!A0"
		}),
		with(func(o *data.Observation) {
			o.OccupationCode, o.OccupationTitle = "29-2010", `=HYPERLINK("https://example.invalid","click")</script><script>alert(1)</script>`
			o.IndustryCode, o.IndustryTitle = "621500", "-Medical and diagnostic laboratories"
			o.Measure, o.Period, o.Unit, o.Value = "employment_change", "2024-2034", "jobs", data.Float(-1500)
			o.Tier, o.SourceTitle, o.Notes = data.TierGithubCopy, "@copied table", "+1 revised,\nsecond line"
		}),
		with(func(o *data.Observation) {
			o.IndustryTitle = "Offices of physicians" // a title without a code keys by title
			o.Measure, o.Period, o.Unit, o.Value = "share_of_occupation_pct", "2024", "percent of occupation employment", data.Float(0.1)
			o.RetrievedAt = at.Add(24 * time.Hour)
		}),
	}
}

func TestLabdashCSVRoundTrip(t *testing.T) {
	want := roundTripObservations()
	for _, bom := range []bool{false, true} {
		var buf bytes.Buffer
		if err := obscsv.WriteAll(&buf, want, bom); err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(buf.String(), `'=HYPERLINK(`) {
			t.Fatalf("the export did not neutralise the formula:\n%s", buf.String())
		}
		prov := Provenance{SourceName: "peer", FileHash: "f00d", Tier: data.TierSecondary, RetrievedAt: time.Now()}
		got, err := ParseLabdashCSV(&buf, prov)
		if err != nil {
			t.Fatal(err)
		}
		if len(got) != len(want) {
			t.Fatalf("bom=%v: got %d observations, want %d", bom, len(got), len(want))
		}
		for i := range want {
			w, g := want[i], got[i]
			if !g.SameFigure(w) || g.Key() != w.Key() || g.SourceName != w.SourceName || !g.RetrievedAt.Equal(w.RetrievedAt) ||
				g.OccupationCode != w.OccupationCode || g.IndustryCode != w.IndustryCode || g.Measure != w.Measure ||
				g.Period != w.Period || g.Text != w.Text {
				t.Errorf("bom=%v row %d:\n got %+v\nwant %+v", bom, i, g, w)
			}
			if g.FileHash != "f00d" {
				t.Errorf("row %d: file hash %q, want the hash of the file read", i, g.FileHash)
			}
		}
	}
}

func TestParseLabdashCSVFixture(t *testing.T) {
	b, err := os.ReadFile(filepath.Join("testdata", "labdash", "export.csv"))
	if err != nil {
		t.Fatal(err)
	}
	obs, err := ParseLabdashCSV(bytes.NewReader(b), Provenance{SourceName: "peer"})
	if err != nil {
		t.Fatal(err)
	}
	if len(obs) != 5 {
		t.Fatalf("got %d observations, want 5", len(obs))
	}
	m := obsIndex(obs)
	wantNumber(t, m, "29-2018|0000000||median_annual_wage|May 2024", 61880, "USD per year", data.FlagNone)
	wantNumber(t, m, "29-2018|0600000||pct90_annual_wage|May 2024", 239200, "USD per year", data.FlagTopCoded)
	wantFlagged(t, m, "29-2018|0012060||employment|May 2024", data.FlagNotReleased)
	o := wantNumber(t, m, "29-2010|0000000|621500|employment_change|2024-2034", -1500, "jobs", data.FlagNone)
	if o.OccupationTitle != `=HYPERLINK("https://example.invalid","click")</script>` || o.SourceTitle != "-copied table" ||
		o.Notes != "+ a note that looked like a formula" || o.Tier != data.TierGithubCopy || o.SourceName != "peer" {
		t.Errorf("restored row: %+v", o)
	}
	ed := m["29-2010|0000000||typical_entry_education|2024-2034"]
	if ed.Text != "Bachelor's degree" || ed.SourceName != "ep" ||
		!ed.RetrievedAt.Equal(time.Date(2025, 9, 3, 8, 30, 0, 0, time.UTC)) {
		t.Errorf("text row: %+v", ed)
	}
}

func TestParseLabdashCSVRejectsBadFiles(t *testing.T) {
	header := strings.Join(obscsv.RequiredColumns, ",") + ",retrieved_at\n"
	row := func(value, unit, flag, tier, at string) string {
		return "29-2018,X,0000000,United States,,,median_annual_wage,May 2024," + value + "," + unit + "," + flag + "," + tier + ",https://x," + at + "\n"
	}
	good := row("61880", "USD per year", "", "primary", "2025-05-01T12:00:00Z")
	cases := []struct {
		name, body string
		want       error
		says       string
	}{
		{"empty", "", fileerr.ErrFileEmpty, "empty"},
		{"html", "<!DOCTYPE html><title>404</title>", fileerr.ErrFileIsHTML, "HTML page"},
		{"missing columns", "occupation_code,measure,value\n29-2018,employment,1\n", fileerr.ErrColumnsMissing, "area_code"},
		{"header only", header, fileerr.ErrOccupationAbsent, "no rows"},
		{"not a number", header + row("about 60k", "USD per year", "", "primary", ""), fileerr.ErrValueUnreadable, "about 60k"},
		{"infinite", header + row("Inf", "USD per year", "", "primary", ""), fileerr.ErrValueUnreadable, "Inf"},
		{"no value no flag", header + row("", "USD per year", "", "primary", ""), fileerr.ErrRowMalformed, "no value and no flag"},
		{"value and marker", header + row("5", "USD per year", "not_available", "primary", ""), fileerr.ErrRowMalformed, "a value and the flag"},
		{"unknown flag", header + row("", "USD per year", "suppressed", "primary", ""), fileerr.ErrRowMalformed, "unknown flag"},
		{"unknown tier", header + row("1", "USD per year", "", "gossip", ""), fileerr.ErrRowMalformed, "unknown tier"},
		{"bad time", header + row("1", "USD per year", "", "primary", "yesterday"), fileerr.ErrRowMalformed, "RFC 3339"},
		{"negative wage", header + row("-1", "USD per year", "", "primary", ""), fileerr.ErrValueImpossible, "negative"},
		{"conflict", header + good + row("61990", "USD per year", "", "primary", ""), fileerr.ErrValuesConflict, "line 2"},
		{"short row", header + "29-2018,X,0000000\n" + good, fileerr.ErrRowMalformed, "as many cells"},
		{"cut off", header + good + "29-2018,X,0000000,United Sta", fileerr.ErrFileTruncated, "cut off"},
		{"broken quote", header + good + "29-2018,\"X,0000000\n", fileerr.ErrRowMalformed, "cannot be read"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			obs, err := ParseLabdashCSV(strings.NewReader(c.body), Provenance{})
			if err == nil {
				t.Fatalf("accepted a bad file: %d observations", len(obs))
			}
			if !errors.Is(err, c.want) || !strings.Contains(err.Error(), c.says) || !strings.HasPrefix(err.Error(), "labdash-csv: ") {
				t.Fatalf("error %q, want %v saying %q", err, c.want, c.says)
			}
		})
	}
}
