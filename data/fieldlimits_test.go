package data

import (
	"context"
	"errors"
	"maps"
	"path/filepath"
	"strings"
	"testing"

	"github.com/labdash/labdash/internal/dirstate"
)

// The store boundary: whatever path a figure takes (an ingest, the
// built-in seed, a program of its own), Publish refuses text that is not
// UTF-8 or is over its limit, before it writes a byte.
func TestPublishRefusesTextThatIsNotUTF8OrTooLong(t *testing.T) {
	ctx := context.Background()
	s, path := openTestStore(t)
	if _, err := s.Publish(ctx, Publication{Label: "first", Observations: []Observation{testObs("11-1111", "employment", "2024", 5)}}); err != nil {
		t.Fatal(err)
	}
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
		{"a code of 50 MB", with(func(o *Observation) { o.OccupationCode = strings.Repeat("9", 50<<20) }),
			ErrTextTooLong, "occupation_code is 52,428,800 characters long"},
		{"a title that is not UTF-8", with(func(o *Observation) { o.OccupationTitle = "Clinical lab\xe9 technologists" }),
			ErrTextNotUTF8, "occupation_title is not valid UTF-8 text (byte 0xE9 at byte 13"},
		{"a source URL that is not UTF-8", with(func(o *Observation) { o.SourceURL = "https://example.test/\xff" }),
			ErrTextNotUTF8, "source_url is not valid UTF-8"},
	}
	dir := filepath.Dir(path)
	before := dirstate.Of(t, dir)
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			good := testObs("31-9097", "employment", "2024", 3)
			_, err := s.Publish(ctx, Publication{Label: "hostile", Observations: []Observation{good, c.obs}})
			if !errors.Is(err, c.kind) || !strings.Contains(err.Error(), c.want) || !strings.Contains(err.Error(), "figure 2 of 2") {
				t.Fatalf("error %v, want %q", err, c.want)
			}
			if len(err.Error()) > 300 {
				t.Errorf("the error quotes the field: %d bytes", len(err.Error()))
			}
		})
	}
	if after := dirstate.Of(t, dir); !maps.Equal(before, after) {
		t.Errorf("refused publications changed the store's folder:\nbefore %v\nafter  %v", before, after)
	}
	if snaps, _ := s.Snapshots(ctx); len(snaps) != 1 {
		t.Errorf("%d snapshots after refused publications, want 1", len(snaps))
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
