package data

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"
)

// Synthetic test figures: not real BLS numbers.
func testObs(occ string, measure Measure, period string, v float64) Observation {
	return Observation{
		OccupationCode: occ, OccupationTitle: "Test occupation " + occ,
		AreaCode: NationalAreaCode, AreaTitle: NationalAreaTitle,
		Measure: measure, Period: period, Value: Float(v), Unit: "USD per year",
		Tier: TierPrimary, SourceName: "test", SourceURL: "https://example.test/" + occ,
	}
}

func openTestStore(t testing.TB) (*Store, string) {
	t.Helper()
	path := filepath.Join(t.TempDir(), "labdash.db")
	s, err := Open(context.Background(), path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s, path
}

func values(t *testing.T, s *Store, snap int64) map[string]float64 {
	t.Helper()
	obs, err := s.Observations(context.Background(), snap, Filter{})
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]float64{}
	for _, o := range obs {
		out[o.Key().String()] = *o.Value
	}
	return out
}

func TestPublishKeepsEarlierSnapshotsUnchanged(t *testing.T) {
	forEachBackend(t, testPublishKeepsEarlierSnapshotsUnchanged)
}

func testPublishKeepsEarlierSnapshotsUnchanged(t *testing.T, s *Store) {
	ctx := context.Background()
	first, err := s.Publish(ctx, Publication{Label: "one", Observations: []Observation{
		testObs("11-1111", "median_annual_wage", "May 2023", 100),
		testObs("11-1111", "median_annual_wage", "May 2024", 200),
	}})
	if err != nil {
		t.Fatal(err)
	}
	if first.Added != 2 || first.ObservationCount != 2 {
		t.Fatalf("first snapshot counts: %+v", first)
	}
	second, err := s.Publish(ctx, Publication{Label: "two", Observations: []Observation{
		testObs("11-1111", "median_annual_wage", "May 2024", 210), // revised
		testObs("11-1111", "median_annual_wage", "May 2025", 300), // added
	}, Remove: []Key{testObs("11-1111", "median_annual_wage", "May 2023", 0).Key()}})
	if err != nil {
		t.Fatal(err)
	}
	if second.Added != 1 || second.Revised != 1 || second.Removed != 1 || second.ObservationCount != 2 {
		t.Fatalf("second snapshot counts: %+v", second)
	}
	one := values(t, s, first.ID)
	if len(one) != 2 || one["11-1111|0000000||median_annual_wage|May 2024"] != 200 {
		t.Fatalf("snapshot 1 changed after snapshot 2: %v", one)
	}
	two := values(t, s, second.ID)
	if len(two) != 2 || two["11-1111|0000000||median_annual_wage|May 2024"] != 210 || two["11-1111|0000000||median_annual_wage|May 2025"] != 300 {
		t.Fatalf("snapshot 2: %v", two)
	}
	latest, err := s.LatestSnapshot(ctx)
	if err != nil || latest.ID != second.ID || latest.Label != "two" {
		t.Fatalf("latest = %+v, %v", latest, err)
	}
}

func TestPublishNothingChangedWritesNothing(t *testing.T) {
	forEachBackend(t, testPublishNothingChangedWritesNothing)
}

func testPublishNothingChangedWritesNothing(t *testing.T, s *Store) {
	ctx := context.Background()
	pub := Publication{Label: "one", Observations: []Observation{testObs("11-1111", "employment", "2024", 5)}}
	first, err := s.Publish(ctx, pub)
	if err != nil {
		t.Fatal(err)
	}
	again, err := s.Publish(ctx, pub)
	if !errors.Is(err, ErrNothingChanged) || again.ID != first.ID {
		t.Fatalf("republishing: %+v, %v", again, err)
	}
	all, _ := s.Snapshots(ctx)
	if len(all) != 1 {
		t.Fatalf("%d snapshots after an unchanged publish, want 1", len(all))
	}
}

func TestPublishRejectsBadInputAndKeepsTheStore(t *testing.T) {
	forEachBackend(t, testPublishRejectsBadInputAndKeepsTheStore)
}

func testPublishRejectsBadInputAndKeepsTheStore(t *testing.T, s *Store) {
	ctx := context.Background()
	good := testObs("11-1111", "employment", "2024", 5)
	if _, err := s.Publish(ctx, Publication{Observations: []Observation{good}}); err != nil {
		t.Fatal(err)
	}
	flaggedWithValue := testObs("11-1111", "employment", "2025", 1)
	flaggedWithValue.Flag = FlagNotAvailable
	noValue := testObs("11-1111", "employment", "2026", 1)
	noValue.Value = nil
	badPeriod := testObs("11-1111", "employment", "someday", 1)
	cases := map[string][]Observation{
		"same key twice":      {testObs("22-2222", "employment", "2024", 1), testObs("22-2222", "employment", "2024", 2)},
		"flag and a value":    {flaggedWithValue},
		"no value or flag":    {noValue},
		"unparseable period":  {badPeriod},
		"half good, half bad": {testObs("33-3333", "employment", "2024", 1), noValue},
	}
	for name, obs := range cases {
		if _, err := s.Publish(ctx, Publication{Observations: obs}); err == nil {
			t.Errorf("%s: accepted", name)
		}
	}
	all, _ := s.Snapshots(ctx)
	latest := values(t, s, all[0].ID)
	if len(all) != 1 || len(latest) != 1 {
		t.Fatalf("bad publications changed the store: %d snapshots, %v", len(all), latest)
	}
}

func TestPublishStoresOnlyWhatChanged(t *testing.T) {
	forEachBackend(t, testPublishStoresOnlyWhatChanged)
}

func testPublishStoresOnlyWhatChanged(t *testing.T, s *Store) {
	ctx := context.Background()
	var obs []Observation
	for i := 0; i < 1000; i++ {
		o := testObs("11-1111", "employment", "2024", float64(i))
		o.AreaCode = fmt.Sprintf("%07d", i+1) // one area per row
		obs = append(obs, o)
	}
	if _, err := s.Publish(ctx, Publication{Observations: obs}); err != nil {
		t.Fatal(err)
	}
	for i := 0; i < 10; i++ { // 1% revised
		v := *obs[i].Value + 0.5
		obs[i].Value = &v
	}
	snap, err := s.Publish(ctx, Publication{Observations: obs})
	if err != nil {
		t.Fatal(err)
	}
	if snap.Revised != 10 || snap.ObservationCount != 1000 {
		t.Fatalf("counts %+v", snap)
	}
	var versions int
	s.read.QueryRow("SELECT count(*) FROM observations").Scan(&versions)
	if versions != 1010 {
		t.Fatalf("%d stored versions, want 1010 (1000 + the 10 revisions)", versions)
	}
}

func TestOpenRefusesForeignAndNewerFiles(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()

	text := filepath.Join(dir, "notes.txt")
	os.WriteFile(text, []byte("these are not the figures you are looking for\n"), 0o644)
	if _, err := Open(ctx, text); !errors.Is(err, ErrNotLabdash) {
		t.Errorf("text file: %v", err)
	}

	foreign := filepath.Join(dir, "other.db")
	db, _ := sql.Open("sqlite", foreign)
	db.Exec("CREATE TABLE customers (id INTEGER)")
	db.Close()
	if _, err := Open(ctx, foreign); !errors.Is(err, ErrNotLabdash) {
		t.Errorf("other program's database: %v", err)
	}

	newer := filepath.Join(dir, "newer.db")
	s, err := Open(ctx, newer)
	if err != nil {
		t.Fatal(err)
	}
	s.write.Exec("PRAGMA user_version = 999")
	s.Close()
	if _, err := Open(ctx, newer); !errors.Is(err, ErrSchemaTooNew) {
		t.Errorf("newer schema: %v", err)
	}

	// Reopening a current store works and keeps its data.
	path := filepath.Join(dir, "ok.db")
	s, _ = Open(ctx, path)
	s.Publish(ctx, Publication{Observations: []Observation{testObs("11-1111", "employment", "2024", 1)}})
	s.Close()
	s, err = Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if snap, err := s.LatestSnapshot(ctx); err != nil || snap.ObservationCount != 1 {
		t.Fatalf("reopened: %+v %v", snap, err)
	}
}

// Readers running while snapshots are published see whole snapshots only.
func TestReadersSeeWholeSnapshots(t *testing.T) { forEachBackend(t, testReadersSeeWholeSnapshots) }

func testReadersSeeWholeSnapshots(t *testing.T, s *Store) {
	ctx := context.Background()
	batch := func(v float64) []Observation {
		var obs []Observation
		for _, p := range []string{"2020", "2021", "2022", "2023", "2024"} {
			obs = append(obs, testObs("11-1111", "employment", p, v))
		}
		return obs
	}
	s.Publish(ctx, Publication{Observations: batch(0)})
	var wg sync.WaitGroup
	stop := make(chan struct{})
	errs := make(chan error, 1)
	wg.Add(1)
	go func() {
		defer wg.Done()
		for {
			select {
			case <-stop:
				return
			default:
			}
			snap, err := s.LatestSnapshot(ctx)
			if err != nil {
				errs <- err
				return
			}
			obs, err := s.Observations(ctx, snap.ID, Filter{})
			if err != nil {
				errs <- err
				return
			}
			for _, o := range obs {
				if *o.Value != *obs[0].Value {
					errs <- errors.New("a snapshot mixed two publications")
					return
				}
			}
		}
	}()
	for i := 1; i <= 30; i++ {
		if _, err := s.Publish(ctx, Publication{Observations: batch(float64(i))}); err != nil {
			t.Fatal(err)
		}
	}
	close(stop)
	wg.Wait()
	select {
	case err := <-errs:
		t.Fatal(err)
	default:
	}
}

func TestFilterAndPeriods(t *testing.T) { forEachBackend(t, testFilterAndPeriods) }

func testFilterAndPeriods(t *testing.T, s *Store) {
	ctx := context.Background()
	snap, _ := s.Publish(ctx, Publication{Observations: []Observation{
		testObs("11-1111", "employment", "2024", 1),
		testObs("22-2222", "employment", "2024", 2),
		testObs("22-2222", "median_annual_wage", "May 2024", 3),
	}})
	obs, err := s.Observations(ctx, snap.ID, Filter{Occupations: []string{"22-2222"}, Measures: []Measure{"employment"}})
	if err != nil || len(obs) != 1 || *obs[0].Value != 2 {
		t.Fatalf("filter: %+v %v", obs, err)
	}
	if !PeriodLess("May 2019", "May 2024") || PeriodLess("2024-2034", "2022-2032") || ShortPeriod("2024-2034") != "2024-34" {
		t.Fatal("period ordering or labels wrong")
	}
}

func TestDistinct(t *testing.T) { forEachBackend(t, testDistinct) }

func testDistinct(t *testing.T, s *Store) {
	ctx := context.Background()
	snap, _ := s.Publish(ctx, Publication{Observations: []Observation{
		testObs("11-1111", "employment", "2024", 1),
		testObs("22-2222", "employment", "2024", 2),
		testObs("22-2222", "median_annual_wage", "May 2024", 3),
	}})
	occ, err := s.Distinct(ctx, snap.ID, "occupation_code", Filter{})
	if err != nil || len(occ) != 2 || occ[1].Value != "22-2222" || occ[1].Count != 2 || occ[1].Title != "Test occupation 22-2222" {
		t.Fatalf("occupations %+v %v", occ, err)
	}
	m, _ := s.Distinct(ctx, snap.ID, "measure", Filter{Occupations: []string{"11-1111"}})
	if len(m) != 1 || m[0].Value != "employment" {
		t.Fatalf("measures %+v", m)
	}
	if _, err := s.Distinct(ctx, snap.ID, "value; DROP TABLE snapshots", Filter{}); err == nil {
		t.Fatal("an arbitrary column was accepted")
	}
}

func TestDiff(t *testing.T) { forEachBackend(t, testDiff) }

func testDiff(t *testing.T, s *Store) {
	ctx := context.Background()
	a, _ := s.Publish(ctx, Publication{Observations: []Observation{
		testObs("11-1111", "employment", "2023", 1),
		testObs("11-1111", "employment", "2024", 2),
		testObs("11-1111", "employment", "2025", 3),
	}})
	b, _ := s.Publish(ctx, Publication{Observations: []Observation{
		testObs("11-1111", "employment", "2024", 20), // revised
		testObs("11-1111", "employment", "2026", 4),  // added
	}, Remove: []Key{testObs("11-1111", "employment", "2023", 0).Key()}})
	c, _ := s.Publish(ctx, Publication{Observations: []Observation{testObs("11-1111", "employment", "2024", 200)}})
	changes, err := s.Diff(ctx, a.ID, c.ID)
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]string{}
	for _, ch := range changes {
		o := ch.Observation()
		got[o.Period] = ch.Kind
		if ch.Kind == ChangeRevised && (*ch.Old.Value != 2 || *ch.New.Value != 200) {
			t.Errorf("revision %v → %v, want 2 → 200 (A to C skips B's 20)", *ch.Old.Value, *ch.New.Value)
		}
	}
	want := map[string]string{"2023": ChangeRemoved, "2024": ChangeRevised, "2026": ChangeAdded}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Fatalf("diff %d..%d = %v, want %v", a.ID, c.ID, got, want)
	}
	back, _ := s.Diff(ctx, c.ID, a.ID)
	if len(back) != 3 || back[0].Kind != ChangeAdded {
		t.Errorf("reverse diff %+v", back)
	}
	if same, _ := s.Diff(ctx, b.ID, b.ID); len(same) != 0 {
		t.Errorf("a snapshot differs from itself: %+v", same)
	}
	if _, err := s.Diff(ctx, a.ID, 99); err == nil {
		t.Error("diff with a missing snapshot")
	}
}

func TestFingerprintSeesFiguresNotRetrieval(t *testing.T) {
	a := testObs("11-1111", "employment", "2024", 1)
	b := a
	b.RetrievedAt, b.FileHash = time.Now(), "other"
	if a.fingerprint() != b.fingerprint() {
		t.Error("re-reading the same figure from another file counts as a revision")
	}
	for name, change := range map[string]func(*Observation){
		"value":  func(o *Observation) { o.Value = Float(2) },
		"flag":   func(o *Observation) { o.Value, o.Flag = nil, FlagNotAvailable },
		"tier":   func(o *Observation) { o.Tier = TierSecondary },
		"title":  func(o *Observation) { o.OccupationTitle = "Renamed" },
		"source": func(o *Observation) { o.SourceURL = "https://example.test/other" },
	} {
		c := a
		change(&c)
		if c.fingerprint() == a.fingerprint() {
			t.Errorf("a change of %s is not seen", name)
		}
	}
}

// TestSnapshotsKnowTheirListedFigures: a figure a reference list gave in
// snapshot 1 is still a listed figure in snapshot 2, which recorded only
// the workbook it published; every way of reading a snapshot says so.
func TestSnapshotsKnowTheirListedFigures(t *testing.T) {
	forEachBackend(t, testSnapshotsKnowTheirListedFigures)
}

func testSnapshotsKnowTheirListedFigures(t *testing.T, s *Store) {
	ctx := context.Background()
	listed := testObs("11-1111", MeasureMedianAnnualWage, "May 2023", 100)
	listed.FileHash = "list-hash"
	if _, err := s.Publish(ctx, Publication{Label: "list", Observations: []Observation{listed},
		Sources: []SourceInfo{{Name: "ref", Format: FormatReferenceList, FileHash: "list-hash"}}}); err != nil {
		t.Fatal(err)
	}
	parsed := testObs("11-1111", MeasureMedianAnnualWage, "May 2024", 200)
	parsed.FileHash = "book-hash"
	if _, err := s.Publish(ctx, Publication{Label: "book", Observations: []Observation{parsed},
		Sources: []SourceInfo{{Name: "oews", Format: "bls-oews", FileHash: "book-hash"}}}); err != nil {
		t.Fatal(err)
	}
	latest, err := s.LatestSnapshot(ctx)
	if err != nil {
		t.Fatal(err)
	}
	second, err := s.Snapshot(ctx, 2)
	if err != nil {
		t.Fatal(err)
	}
	all, err := s.Snapshots(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for name, snap := range map[string]Snapshot{"latest": latest, "by id": second, "in the list": all[0]} {
		if snap.Origins.FromBLSFile(listed) || !snap.Origins.FromBLSFile(parsed) {
			t.Errorf("%s: listed figure from a file %v, parsed %v", name, snap.Origins.FromBLSFile(listed), snap.Origins.FromBLSFile(parsed))
		}
	}
}
