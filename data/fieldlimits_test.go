package data

import (
	"context"
	"errors"
	"strings"
	"testing"
)

// Every figure a format keeps passes Check, which refuses text that is not
// UTF-8 or is over its limit before anything else reads the fields, and
// says which field and which limit without quoting the field.
func TestCheckRefusesTextThatIsNotUTF8OrTooLong(t *testing.T) {
	with := func(f func(*Observation)) Observation {
		o := testObs("29-2010", "employment", "2024", 7)
		f(&o)
		return o
	}
	cases := []struct {
		name string
		obs  Observation
		kind error
		want string
	}{
		{"a 50 MB title", with(func(o *Observation) { o.OccupationTitle = strings.Repeat("x", 50<<20) }),
			ErrTextTooLong, "occupation_title is 52,428,800 characters long; labdash stores at most 1,000"},
		{"a title of 1,001 characters", with(func(o *Observation) { o.AreaTitle = strings.Repeat("é", 1001) }),
			ErrTextTooLong, "area_title is 1,001 characters long"},
		{"notes over 4,096 characters", with(func(o *Observation) { o.Notes = strings.Repeat("n", 4097) }),
			ErrTextTooLong, "notes is 4,097 characters long; labdash stores at most 4,096"},
		{"a code of 50 MB and a bad period", with(func(o *Observation) { o.OccupationCode, o.Period = strings.Repeat("9", 50<<20), "x" }),
			ErrTextTooLong, "occupation_code is 52,428,800 characters long"},
		{"a title that is not UTF-8", with(func(o *Observation) { o.OccupationTitle = "Clinical lab\xe9 technologists" }),
			ErrTextNotUTF8, "occupation_title is not valid UTF-8 text (byte 0xE9 at byte 13"},
		{"a source URL that is not UTF-8", with(func(o *Observation) { o.SourceURL = "https://example.test/\xff" }),
			ErrTextNotUTF8, "source_url is not valid UTF-8"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			err := c.obs.Check()
			if !errors.Is(err, c.kind) || !strings.Contains(err.Error(), c.want) {
				t.Fatalf("error %v, want %q", err, c.want)
			}
			if len(err.Error()) > 200 {
				t.Errorf("the error quotes the field: %d bytes", len(err.Error()))
			}
		})
	}
}

func TestTextAtItsLimitIsStored(t *testing.T) {
	ctx := context.Background()
	s, _ := openTestStore(t)
	o := testObs("29-2010", "employment", "2024", 7)
	o.OccupationTitle = strings.Repeat("é", MaxTitleChars) // 2,000 bytes, 1,000 characters
	o.Notes = strings.Repeat("n", MaxNotesChars)
	snap, err := s.Publish(ctx, Publication{Observations: []Observation{o}})
	if err != nil {
		t.Fatal(err)
	}
	got, err := s.Observations(ctx, snap.ID, Filter{})
	if err != nil || len(got) != 1 || got[0].OccupationTitle != o.OccupationTitle || got[0].Notes != o.Notes {
		t.Fatalf("text at its limit did not come back whole: %v", err)
	}
}
