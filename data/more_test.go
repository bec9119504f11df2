package data

import (
	"context"
	"errors"
	"strings"
	"testing"
)

// more gives figures one at a time, as a file being read would.
func more(obs ...Observation) func(put func(*Observation) error) error {
	return func(put func(*Observation) error) error {
		for i := range obs {
			if err := put(&obs[i]); err != nil {
				return err
			}
		}
		return nil
	}
}

// Figures given through Publication.More are published as Observations
// are: new keys added, changed ones revising the live version of an
// occupation read only when its first figure came, identical ones free.
func TestPublishMoreWritesFiguresAsTheyCome(t *testing.T) {
	forEachBackend(t, func(t *testing.T, s *Store) {
		ctx := context.Background()
		first, err := s.Publish(ctx, Publication{Label: "one", More: more(
			testObs("11-1111", MeasureEmployment, "May 2023", 10),
			testObs("22-2222", MeasureEmployment, "May 2023", 20))})
		if err != nil || first.Added != 2 || first.ObservationCount != 2 {
			t.Fatalf("first: %+v, %v", first, err)
		}
		second, err := s.Publish(ctx, Publication{Label: "two",
			Observations: []Observation{testObs("33-3333", MeasureEmployment, "May 2023", 30)},
			More: more(
				testObs("11-1111", MeasureEmployment, "May 2023", 11), // revised
				testObs("22-2222", MeasureEmployment, "May 2023", 20), // the same
			)})
		if err != nil || second.Added != 1 || second.Revised != 1 || second.ObservationCount != 3 {
			t.Fatalf("second: %+v, %v", second, err)
		}
		if got := values(t, s, second.ID); got["11-1111|0000000||employment|May 2023"] != 11 || len(got) != 3 {
			t.Errorf("second snapshot: %v", got)
		}
		if got := values(t, s, first.ID); got["11-1111|0000000||employment|May 2023"] != 10 {
			t.Errorf("first snapshot after the revision: %v", got)
		}
	})
}

// An error from More, or a figure put refuses, rolls back everything
// written before it: no snapshot, no figure.
func TestPublishMoreRollsBackOnError(t *testing.T) {
	ctx := context.Background()
	s, _ := openTestStore(t)
	if _, err := s.Publish(ctx, Publication{Label: "base", Observations: []Observation{testObs("11-1111", MeasureEmployment, "May 2023", 1)}}); err != nil {
		t.Fatal(err)
	}
	stopped := errors.New("the file ended early")
	noFigure := testObs("22-2222", MeasureEmployment, "May 2023", 2)
	noFigure.Value = nil
	twice := testObs("33-3333", MeasureEmployment, "May 2023", 3)
	pending := testObs("44-4444", MeasureEmployment, "May 2023", 4)
	pending.FileHash = PendingHash(0)
	for name, c := range map[string]struct {
		pub  Publication
		want string
	}{
		"the reader's error": {Publication{More: func(put func(*Observation) error) error {
			o := testObs("55-5555", MeasureEmployment, "May 2023", 5)
			if err := put(&o); err != nil {
				return err
			}
			return stopped
		}}, stopped.Error()},
		"no value and no flag": {Publication{More: more(testObs("55-5555", MeasureEmployment, "May 2023", 5), noFigure)}, "no value and no flag"},
		"a key twice":          {Publication{More: more(twice, twice)}, "appears twice"},
		"a key in both":        {Publication{Observations: []Observation{twice}, More: more(twice)}, "appears twice"},
		"a pending hash":       {Publication{More: more(pending)}, "nothing to settle it"},
	} {
		c.pub.Label = name
		if _, err := s.Publish(ctx, c.pub); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: %v, want an error saying %q", name, err, c.want)
		}
		if snaps, err := s.Snapshots(ctx); err != nil || len(snaps) != 1 {
			t.Errorf("%s: %d snapshots after the failed publication (%v), want 1", name, len(snaps), err)
		}
		if got := values(t, s, 1); len(got) != 1 {
			t.Errorf("%s: snapshot 1 holds %v", name, got)
		}
	}
}

// A publication whose context ends half way through, with full batches
// already written on the driver's connection (versionWriter.execFull),
// leaves nothing behind: database/sql rolls the transaction back, and no
// later batch may run outside it.
func TestPublishCancelledHalfWayLeavesNothing(t *testing.T) {
	forEachBackend(t, func(t *testing.T, s *Store) {
		base, err := s.Publish(context.Background(), oeLikePublication(50))
		if err != nil {
			t.Fatal(err)
		}
		// The first 50 are the base snapshot's own, and free: two full
		// batches of new figures are written before the cancel.
		obs := oeLikePublication(4 * insertBatch).Observations
		ctx, cancel := context.WithCancel(context.Background())
		defer cancel()
		_, err = s.Publish(ctx, Publication{Label: "cancelled", More: func(put func(*Observation) error) error {
			for i := range obs {
				if i == 50+2*insertBatch+10 {
					cancel()
				}
				if err := put(&obs[i]); err != nil {
					return err
				}
			}
			return nil
		}})
		if !errors.Is(err, context.Canceled) {
			t.Fatalf("publish with its context cancelled half way: %v", err)
		}
		if latest, err := s.LatestSnapshot(context.Background()); err != nil || latest.ID != base.ID {
			t.Fatalf("latest snapshot %+v (%v), want %d", latest, err, base.ID)
		}
		var rows int
		if err := s.read.QueryRowContext(context.Background(), "SELECT count(*) FROM observations").Scan(&rows); err != nil || rows != 50 {
			t.Fatalf("%d rows stored (%v), want the 50 of the first snapshot", rows, err)
		}
	})
}
