package data

import (
	"context"
	"fmt"
	"testing"
)

// BenchmarkStorageOnePercentChange reports what a run in which 1% of the
// observations changed adds to the store, as a share of the store: the
// versioned layout should make it about 1%, not a copy of everything.
func BenchmarkStorageOnePercentChange(b *testing.B) {
	ctx := context.Background()
	for b.Loop() {
		b.StopTimer()
		s, _ := openTestStore(b)
		const n = 100_000
		obs := make([]Observation, n)
		for i := range obs {
			obs[i] = testObs(fmt.Sprintf("29-%04d", i%50), "employment", "May 2024", float64(i))
			obs[i].AreaCode = fmt.Sprintf("%07d", i/50)
		}
		if _, err := s.Publish(ctx, Publication{Observations: obs}); err != nil {
			b.Fatal(err)
		}
		before := storeBytes(b, s)
		for i := 0; i < n/100; i++ {
			obs[i*100].Value = Float(*obs[i*100].Value + 1)
		}
		b.StartTimer()
		snap, err := s.Publish(ctx, Publication{Observations: obs})
		b.StopTimer()
		if err != nil || snap.Revised != n/100 {
			b.Fatalf("%+v %v", snap, err)
		}
		after := storeBytes(b, s)
		b.ReportMetric(float64(after-before)/float64(before)*100, "%store-added")
		b.ReportMetric(float64(after-before), "bytes-added")
		s.Close()
		b.StartTimer()
	}
}

// storeBytes is the store's size in used pages, checkpointed so the WAL is counted.
func storeBytes(b *testing.B, s *Store) int64 {
	ctx := context.Background()
	if _, err := s.write.ExecContext(ctx, "PRAGMA wal_checkpoint(TRUNCATE)"); err != nil {
		b.Fatal(err)
	}
	var pages, free, size int64
	s.write.QueryRowContext(ctx, "PRAGMA page_count").Scan(&pages)
	s.write.QueryRowContext(ctx, "PRAGMA freelist_count").Scan(&free)
	s.write.QueryRowContext(ctx, "PRAGMA page_size").Scan(&size)
	return (pages - free) * size
}
