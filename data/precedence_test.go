package data

import (
	"context"
	"testing"
)

func TestFiguresFromAnotherSourceReviseOnlyWhenBetter(t *testing.T) {
	live := testObs("11-1111", "median_annual_wage", "May 2024", 2)
	live.SourceName, live.Tier = "oews", TierPrimary
	cases := []struct {
		name    string
		change  func(*Observation)
		revises bool
	}{
		{"same source, new value", func(o *Observation) { o.Value = Float(3) }, true},
		{"other source, same figure, other notes", func(o *Observation) { o.SourceName, o.Notes = "ep", "from the EP table" }, false},
		{"other source, worse tier", func(o *Observation) { o.SourceName, o.Tier, o.Value = "web", TierSecondary, Float(9) }, false},
		{"other source, better-or-equal tier, other value", func(o *Observation) { o.SourceName, o.Value = "ep", Float(3) }, true},
		{"other source, more precise", func(o *Observation) { o.SourceName, o.Value = "ep", Float(1.7) }, true},
		{"other source, flagged", func(o *Observation) { o.SourceName, o.Value, o.Flag = "ep", nil, FlagNotAvailable }, true},
	}
	for _, c := range cases {
		o := live
		c.change(&o)
		if got := !o.defersTo(liveFigureOf(live)); got != c.revises {
			t.Errorf("%s: revises = %t, want %t", c.name, got, c.revises)
		}
	}
	precise := live
	precise.Value = Float(1.7)
	rounded := live
	rounded.SourceName, rounded.Value = "ep", Float(2)
	if !rounded.defersTo(liveFigureOf(precise)) {
		t.Error("a rounding of the live figure replaced the more precise one")
	}
	if !MorePrecise(26.8, 27) || MorePrecise(27, 26.8) || MorePrecise(2, 2) || MorePrecise(1.74, 1.8) {
		t.Error("MorePrecise")
	}
}

func TestPublicationMayNotPutAndRemoveOneKey(t *testing.T) {
	o := testObs("11-1111", "employment", "2024", 1)
	if err := checkPublication(Publication{Observations: []Observation{o}, Remove: []Key{o.Key()}}); err == nil {
		t.Error("a key both published and removed was accepted")
	}
	if err := checkPublication(Publication{Remove: []Key{o.Key(), o.Key()}}); err == nil {
		t.Error("a key removed twice was accepted")
	}
}

func TestDiffIgnoresAFigureChangedAndChangedBack(t *testing.T) {
	forEachBackend(t, func(t *testing.T, s *Store) {
		ctx := context.Background()
		one, _ := s.Publish(ctx, Publication{Observations: []Observation{testObs("11-1111", "employment", "2024", 1)}})
		s.Publish(ctx, Publication{Observations: []Observation{testObs("11-1111", "employment", "2024", 2)}})
		three, _ := s.Publish(ctx, Publication{Observations: []Observation{testObs("11-1111", "employment", "2024", 1)}})
		changes, err := s.Diff(ctx, one.ID, three.ID)
		if err != nil || len(changes) != 0 {
			t.Fatalf("%+v %v", changes, err)
		}
	})
}
