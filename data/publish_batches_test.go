package data

import (
	"context"
	"fmt"
	"hash/maphash"
	"testing"
	"time"
)

// oeLikePublication is shaped like an OEWS time-series ingest of two
// occupations: 17 measures in every area and some industries, one source's
// provenance on every figure. Numbers are synthetic.
func oeLikePublication(n int) Publication {
	at := time.Date(2025, 5, 1, 12, 0, 0, 0, time.UTC)
	units := []Unit{UnitJobs, UnitPercent, UnitUSDPerHour, UnitUSDPerYear, UnitJobsPer1000, UnitRatio}
	obs := make([]Observation, 0, n)
	for i := 0; len(obs) < n; i++ {
		occ, title := "29-2018", "Clinical Laboratory Technologists and Technicians"
		if i%2 == 1 {
			occ, title = "31-9097", "Phlebotomists"
		}
		area, industry := fmt.Sprintf("%07d", (i/2)%600*83), ""
		if i/1200 > 0 {
			industry = fmt.Sprintf("%06d", 110000+i/1200*1170)
		}
		for dt := 0; dt < 17 && len(obs) < n; dt++ {
			obs = append(obs, Observation{
				OccupationCode: occ, OccupationTitle: title, AreaCode: area, AreaTitle: "Area " + area,
				IndustryCode: industry, IndustryTitle: "Industry " + industry,
				Measure: Measure(fmt.Sprintf("measure_%02d", dt)), Period: "May 2024",
				Value: Float(float64(i*17 + dt)), Unit: units[dt%len(units)], Tier: TierPrimary,
				SourceName: "oews-timeseries", SourceTitle: "BLS Occupational Employment and Wage Statistics, time-series files (oe)",
				SourceURL: "https://download.bls.gov/pub/time.series/oe/", RetrievedAt: at,
				FileHash: "9af8b7777512348439a6b20ba4d6543504cbe3d180594402a3a3432d9d5c40a2",
			})
		}
	}
	return Publication{Label: "bench", Observations: obs}
}

// BenchmarkPublishOELike publishes 32,402 new figures, as the OEWS
// time-series ingest of two occupations does, into a fresh SQLite store.
func BenchmarkPublishOELike(b *testing.B) {
	ctx := context.Background()
	pub := oeLikePublication(32_402)
	b.ReportAllocs()
	for b.Loop() {
		b.StopTimer()
		s, _ := openTestStore(b)
		b.StartTimer()
		if _, err := s.Publish(ctx, pub); err != nil {
			b.Fatal(err)
		}
		b.StopTimer()
		s.Close()
		b.StartTimer()
	}
	b.ReportMetric(float64(len(pub.Observations)), "figures/op")
}

// Full batches are written two ways (versions.go): with the provenance,
// period, text and notes bound once when every row shares them, and row by
// row when not. Both must
// store every field as given.
func TestFullBatchesStoreEveryField(t *testing.T) { forEachBackend(t, testFullBatchesStoreEveryField) }

func testFullBatchesStoreEveryField(t *testing.T, s *Store) {
	pub := oeLikePublication(2*insertBatch + 50)
	// The second batch mixes two sources; the first and the rest share one.
	for i := insertBatch; i < 2*insertBatch; i += 7 {
		o := &pub.Observations[i]
		o.SourceName, o.SourceTitle, o.SourceURL = "other", "Another source", "https://example.test/other"
		o.Tier, o.FileHash, o.RetrievedAt = TierSecondary, "", o.RetrievedAt.Add(time.Hour)
		o.Notes, o.Flag, o.Value = "a note", FlagNotAvailable, nil
		if i%2 == 0 {
			o.Period = "May 2023"
		}
	}
	// A figure without a number in a batch that shares its provenance.
	pub.Observations[5].Flag, pub.Observations[5].Value = FlagNotAvailable, nil
	byKey := publishAndReadBack(t, s, pub)
	if len(byKey) != len(pub.Observations) {
		t.Fatalf("%d figures stored, %d published", len(byKey), len(pub.Observations))
	}
	for _, want := range pub.Observations {
		o := byKey[want.Key()]
		if !o.SameFigure(want) || !o.RetrievedAt.Equal(want.RetrievedAt) || o.FileHash != want.FileHash || o.Measure != want.Measure {
			t.Fatalf("stored %+v\npublished %+v", o, want)
		}
	}
}

// Two keys with one hash (forced here: it happens about once in 2^64) are
// still told apart, and each is still caught when it comes again.
func TestKeySetTellsKeysApartWhenHashesCollide(t *testing.T) {
	keys := []Key{{Occupation: "29-2010", Area: "0000000", Measure: "employment", Period: "2024"},
		{Occupation: "31-9097", Area: "0000000", Measure: "employment", Period: "2024"}}
	s := keySet{seed: maphash.MakeSeed(), first: map[uint64]int32{}, keyAt: func(i int32) Key { return keys[i] }}
	if s.add(keys[0], 0) || !s.add(keys[0], 0) {
		t.Fatal("a key added twice is not seen the second time")
	}
	s.first[maphash.Comparable(s.seed, keys[1])] = 0 // keys[1] now shares keys[0]'s hash
	if s.add(keys[1], 1) {
		t.Fatal("a different key with the same hash was taken for a repeat")
	}
	if !s.add(keys[1], 1) {
		t.Fatal("the colliding key added again is not seen")
	}
}

// A full batch binds period, text and notes once only when every row has
// the same (sameShared): a row that differs in one of them alone sends the
// batch down the row-by-row path, and a batch that shares non-empty ones
// stores them in every row.
func TestSharedValuesAreComparedRowByRow(t *testing.T) {
	forEachBackend(t, testSharedValuesAreComparedRowByRow)
}

func testSharedValuesAreComparedRowByRow(t *testing.T, s *Store) {
	// Three full batches, each with one row apart in one of the three.
	differing := oeLikePublication(3 * insertBatch)
	differing.Observations[10].Period = "May 2023"
	text := &differing.Observations[insertBatch+20]
	text.Measure, text.Unit, text.Value, text.Text = MeasureTypicalEntryEducation, UnitText, nil, "Bachelor's degree"
	differing.Observations[2*insertBatch+30].Notes = "a note"
	sharing := oeLikePublication(4 * insertBatch)
	sharing.Observations = sharing.Observations[3*insertBatch:]
	for i := range sharing.Observations {
		sharing.Observations[i].Notes = "one note for all"
	}
	for _, pub := range []Publication{differing, sharing} {
		stored := publishAndReadBack(t, s, pub)
		for _, want := range pub.Observations {
			o, ok := stored[want.Key()]
			if !ok || !o.SameFigure(want) || o.Text != want.Text || o.Notes != want.Notes {
				t.Fatalf("stored %+v\npublished %+v", o, want)
			}
		}
	}
}

// publishAndReadBack publishes pub and reads its snapshot's figures back.
func publishAndReadBack(t *testing.T, s *Store, pub Publication) map[Key]Observation {
	t.Helper()
	snap, err := s.Publish(context.Background(), pub)
	if err != nil {
		t.Fatal(err)
	}
	got, err := s.Observations(context.Background(), snap.ID, Filter{})
	if err != nil {
		t.Fatal(err)
	}
	byKey := map[Key]Observation{}
	for _, o := range got {
		byKey[o.Key()] = o
	}
	return byKey
}
