package builtin

import (
	"bytes"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/labdash/labdash/data"
)

// everyField sets every field of an observation to something not zero, so
// a field the file format drops fails the round trip.
func everyField() data.Observation {
	return data.Observation{
		OccupationCode: "29-2010", OccupationTitle: `Clinical "lab" </script> techs`, AreaCode: "0600000",
		AreaTitle: "California", IndustryCode: "621500", IndustryTitle: "Medical and diagnostic laboratories",
		Measure: "median_hourly_wage", Period: "May 2024", Value: data.Float(20.100000000000001), Text: "=1+1",
		Unit: "USD per hour", Flag: data.FlagTopCoded, Tier: data.TierResavedCopy, SourceName: "builtin",
		SourceTitle: "OEWS", SourceURL: "https://www.bls.gov/oes/special-requests/oesm24nat.zip",
		RetrievedAt: time.Date(2025, 4, 2, 3, 4, 5, 6, time.UTC), FileHash: strings.Repeat("ab", 32), Notes: "a; b",
	}
}

func TestEncodeDecodeKeepsEveryField(t *testing.T) {
	full := everyField()
	bare := data.Observation{OccupationCode: "31-9097", Measure: "employment", Period: "May 2014", Flag: data.FlagNotAvailable}
	tiny := full
	tiny.Value = data.Float(5e-324)
	pub := data.Publication{Label: "Built-in data", Observations: []data.Observation{full, bare, tiny},
		Sources: []data.SourceInfo{{Name: "builtin", Format: "bls-oews", URL: "u", FileHash: "h",
			RetrievedAt: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC), Rows: 3}}}
	b, err := Encode(pub)
	if err != nil {
		t.Fatal(err)
	}
	if n := bytes.Count(b, []byte("\n")); n != 4 {
		t.Errorf("%d lines, want a header and one line a figure", n)
	}
	got, err := Decode(b)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got, pub) {
		t.Errorf("round trip changed the publication:\n got %+v\nwant %+v", got, pub)
	}
	if again, _ := Encode(got); !bytes.Equal(again, b) {
		t.Error("encoding the decoded publication gives other bytes")
	}
}

func TestDecodeRefusesWhatEncodeDidNotWrite(t *testing.T) {
	b, err := Encode(data.Publication{Label: "x", Observations: []data.Observation{everyField(), everyField()}})
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.SplitAfter(string(b), "\n")
	for name, tc := range map[string]struct{ file, want string }{
		"a figure missing":  {lines[0] + lines[1], "counts 2 figures, the file holds 1"},
		"an unknown field":  {lines[0] + lines[1] + `{"occupation":"29-2010"}` + "\n", `line 3: json: unknown field "occupation"`},
		"a truncated line":  {lines[0] + lines[1] + lines[2][:40], "line 3: unexpected EOF"},
		"no header":         {"", "line 1: EOF"},
		"a header mistyped": {`{"observations":"2"}`, "line 1:"},
	} {
		_, err := Decode([]byte(tc.file))
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: got %v, want an error saying %q", name, err, tc.want)
		}
	}
}

func TestEncodeRefusesRemovals(t *testing.T) {
	if _, err := Encode(data.Publication{Remove: []data.Key{{Occupation: "29-2010"}}}); err == nil {
		t.Error("a publication that removes figures was encoded")
	}
}

// The embedded file is what a fresh store is seeded with; the generator's
// test checks its figures against the workbooks, this one what seeding adds.
func TestPublicationStampsTheSeedingTimeOnItsSources(t *testing.T) {
	now := time.Date(2026, 11, 1, 6, 0, 0, 0, time.UTC)
	pub, err := Publication(now)
	if err != nil {
		t.Fatal(err)
	}
	if len(pub.Observations) == 0 || len(pub.Sources) == 0 {
		t.Fatalf("%d figures from %d sources", len(pub.Observations), len(pub.Sources))
	}
	hashes := map[string]bool{}
	for _, s := range pub.Sources {
		if !s.RetrievedAt.Equal(now) || s.Name != SourceName || len(s.FileHash) != 64 {
			t.Errorf("source %+v: want retrieved at %v, named %q, with a SHA-256", s, now, SourceName)
		}
		hashes[s.FileHash] = true
	}
	for _, o := range pub.Observations {
		if !hashes[o.FileHash] || !o.RetrievedAt.IsZero() {
			t.Fatalf("%s: file hash %q is no source's, or retrieved at %v (no built-in file was fetched)", o.Key(), o.FileHash, o.RetrievedAt)
		}
	}
}
