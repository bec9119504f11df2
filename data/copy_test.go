package data

import (
	"context"
	"errors"
	"fmt"
	"reflect"
	"testing"
	"time"
)

// fillForCopy publishes three snapshots with additions, revisions and
// removals, and records source states and a run.
func fillForCopy(t *testing.T, s *Store) {
	ctx := context.Background()
	clock := time.Date(2025, 1, 2, 3, 4, 5, 0, time.UTC)
	s.SetClock(func() time.Time { clock = clock.Add(time.Hour); return clock })
	var obs []Observation
	for i := 0; i < 1200; i++ { // more than one copy batch
		o := testObs(fmt.Sprintf("29-%04d", i%7), "employment", "2024", float64(i))
		o.AreaCode = fmt.Sprintf("%07d", i)
		obs = append(obs, o)
	}
	obs[3].Value, obs[3].Flag = nil, FlagNotAvailable
	if _, err := s.Publish(ctx, Publication{Label: "one", Observations: obs}); err != nil {
		t.Fatal(err)
	}
	obs[5].Value = Float(-1)
	snap, err := s.Publish(ctx, Publication{Label: "two", Observations: obs[:600], Remove: []Key{obs[1000].Key()},
		SourceStates: []SourceState{{Source: "oews/a", ETag: `"x"`, FileHash: "h", FetchedAt: clock}}})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.RecordRun(ctx, Run{Trigger: "cli", StartedAt: clock, FinishedAt: clock, Outcome: RunPublished,
		SnapshotID: snap.ID, Sources: []SourceResult{{Source: "z", Outcome: SourceFetched, Rows: 3},
			{Source: "a", Outcome: SourceFailed, Error: "boom"}}}); err != nil {
		t.Fatal(err)
	}
	if _, err := s.RecordRun(ctx, Run{Trigger: "admin", StartedAt: clock, FinishedAt: clock, Outcome: RunFailed}); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Publish(ctx, Publication{Label: "three", Observations: []Observation{testObs("11-1111", "employment", "2025", 1)}}); err != nil {
		t.Fatal(err)
	}
}

// storeContents is everything a store says, for comparing two stores.
func storeContents(t *testing.T, s *Store) map[string]any {
	ctx := context.Background()
	out := map[string]any{}
	snaps, err := s.Snapshots(ctx)
	if err != nil {
		t.Fatal(err)
	}
	out["snapshots"] = snaps
	for _, sn := range snaps {
		obs, err := s.Observations(ctx, sn.ID, Filter{})
		if err != nil {
			t.Fatal(err)
		}
		out[fmt.Sprint("observations ", sn.ID)] = obs
	}
	diff, err := s.Diff(ctx, snaps[len(snaps)-1].ID, snaps[0].ID)
	if err != nil {
		t.Fatal(err)
	}
	out["diff"] = diff
	out["states"], _ = s.SourceStates(ctx)
	out["runs"], _ = s.Runs(ctx, 10)
	var versions int
	s.read.QueryRow("SELECT count(*) FROM observations").Scan(&versions)
	out["versions"] = versions
	return out
}

func TestCopyMovesEverything(t *testing.T) {
	ctx := context.Background()
	for _, target := range backends {
		t.Run("sqlite to "+target.name, func(t *testing.T) {
			src, _ := openTestStore(t)
			fillForCopy(t, src)
			dst := target.open(t)
			stats, err := Copy(ctx, src, dst)
			if err != nil {
				t.Fatal(err)
			}
			if stats["observations"] != 1202 || stats["ingest_source_results"] != 2 {
				t.Errorf("copied %v", stats)
			}
			want, got := storeContents(t, src), storeContents(t, dst)
			for k := range want {
				if !reflect.DeepEqual(want[k], got[k]) {
					t.Errorf("%s differs after the copy:\nsource %v\ntarget %v", k, want[k], got[k])
				}
			}
			if _, err := Copy(ctx, src, dst); !errors.Is(err, ErrTargetNotEmpty) {
				t.Errorf("copy into a filled store: %v", err)
			}
			// New ids continue after the copied ones.
			next, err := dst.Publish(ctx, Publication{Observations: []Observation{testObs("11-1111", "employment", "2026", 1)}})
			if err != nil || next.ID != 4 {
				t.Fatalf("publish after copy: %+v %v", next, err)
			}
			if id, err := dst.RecordRun(ctx, Run{Trigger: "cli", Outcome: RunUnchanged}); err != nil || id != 3 {
				t.Fatalf("run after copy: %d %v", id, err)
			}
		})
	}
}
