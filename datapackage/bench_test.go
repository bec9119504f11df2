package datapackage

import (
	"context"
	"encoding/csv"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"runtime/metrics"
	"sort"
	"sync"
	"testing"
	"time"

	"github.com/labdash/labdash/data"
	"github.com/labdash/labdash/internal/pgtest"
	"github.com/labdash/labdash/obscsv"
)

// The export benchmarks run on SYNTHETIC data: generated keys and numbers,
// labelled as such in every title and in the snapshot's label; none of it is
// a BLS figure. A store of each size is built once per test process (a
// million rows take a while to publish) and removed by TestMain.
//
//	go test ./datapackage -run '^$' -bench Export -benchtime 1x

func TestMain(m *testing.M) {
	code := m.Run()
	benchStores.close()
	pgtest.Stop()
	os.Exit(code)
}

var benchStores = &syntheticStores{stores: map[string]*syntheticStore{}}

type syntheticStores struct {
	mu     sync.Mutex
	dir    string
	stores map[string]*syntheticStore // by backend and size
}

type syntheticStore struct {
	store *data.Store
	snap  data.Snapshot
}

// get returns the store of that size on that backend; pg is the benchmark
// whose end drops a PostgreSQL store's database.
func (s *syntheticStores) get(b, pg *testing.B, backend string, rows int) *syntheticStore {
	s.mu.Lock()
	defer s.mu.Unlock()
	key := fmt.Sprint(backend, rows)
	if st, ok := s.stores[key]; ok {
		return st
	}
	if s.dir == "" {
		dir, err := os.MkdirTemp("", "labdash-datapackage-bench-")
		if err != nil {
			b.Fatal(err)
		}
		s.dir = dir
	}
	ctx := context.Background()
	dsn := filepath.Join(s.dir, fmt.Sprintf("synthetic-%d.db", rows))
	if backend == "postgres" {
		dsn = pgtest.NewDatabase(pg)
		if _, _, err := data.Migrate(ctx, dsn); err != nil {
			b.Fatal(err)
		}
	}
	store, err := data.Open(ctx, dsn)
	if err != nil {
		b.Fatal(err)
	}
	start := time.Now()
	snap, err := store.Publish(ctx, data.Publication{
		Label:        fmt.Sprintf("SYNTHETIC benchmark data, %d generated rows (not BLS figures)", rows),
		Sources:      []data.SourceInfo{{Name: "synthetic", Format: "generated", URL: "synthetic", Rows: rows}},
		Observations: syntheticObservations(rows),
	})
	if err != nil {
		b.Fatal(err)
	}
	b.Logf("published %d synthetic observations into %s in %v", rows, backend, time.Since(start).Round(time.Second))
	runtime.GC()
	st := &syntheticStore{store: store, snap: snap}
	s.stores[key] = st
	return st
}

func (s *syntheticStores) close() {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, st := range s.stores {
		st.store.Close()
	}
	if s.dir != "" {
		os.RemoveAll(s.dir)
	}
}

// syntheticObservations makes n distinct keys: occupations × measures ×
// areas × work settings × periods, with every flag, tier and a text measure.
func syntheticObservations(n int) []data.Observation {
	measures := []data.Measure{"employment", "median_annual_wage", "mean_annual_wage", "median_hourly_wage", "pct10_annual_wage",
		"pct25_annual_wage", "pct75_annual_wage", "pct90_annual_wage", "share_of_occupation_pct", "typical_entry_education"}
	tiers := []data.Tier{data.TierPrimary, data.TierPrimaryArchived, data.TierGithubCopy, data.TierSecondary}
	const areas, settings, periods = 50, 2, 10
	perOcc := len(measures) * areas * settings * periods
	retrieved := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	out := make([]data.Observation, 0, n)
	for i := 0; i < n; i++ {
		occ, rest := i/perOcc, i%perOcc
		m, rest := rest/(areas*settings*periods), rest%(areas*settings*periods)
		a, rest := rest/(settings*periods), rest%(settings*periods)
		s, p := rest/periods, rest%periods
		o := data.Observation{
			OccupationCode:  fmt.Sprintf("99-%04d", occ),
			OccupationTitle: fmt.Sprintf("SYNTHETIC occupation %04d (benchmark data, not BLS)", occ),
			AreaCode:        fmt.Sprintf("00%05d", 10000+a*20),
			AreaTitle:       fmt.Sprintf("Synthetic area %02d", a),
			Measure:         measures[m],
			Period:          fmt.Sprintf("May %d", 2015+p),
			Unit:            "USD per year",
			Tier:            tiers[i%len(tiers)],
			SourceName:      "synthetic",
			SourceTitle:     "SYNTHETIC benchmark data - not BLS figures",
			SourceURL:       fmt.Sprintf("https://bench.invalid/synthetic/%04d.csv", occ),
			RetrievedAt:     retrieved,
		}
		if s == 1 {
			o.IndustryCode, o.IndustryTitle = "621500", "Synthetic setting: medical and diagnostic laboratories"
		}
		switch {
		case measures[m] == "typical_entry_education":
			o.Unit, o.Text = data.UnitText, "Synthetic bachelor's degree"
		case i%50 == 7:
			o.Flag = data.FlagNotAvailable
		case i%50 == 11:
			o.Flag, o.Value, o.Notes = data.FlagTopCoded, data.Float(239200), "synthetic top-coded figure"
		default:
			o.Value = data.Float(float64(30000 + i%70000))
		}
		out = append(out, o)
	}
	return out
}

// measurement is one run's time, peak heap and allocation.
type measurement struct {
	elapsed  time.Duration
	peakHeap uint64 // heap objects, garbage included, above the start
	peakLive uint64 // heap marked live by a GC, above the start
	alloc    uint64
	out      int64
}

// measure runs fn, sampling the heap every millisecond (runtime/metrics is
// cheap to read, unlike ReadMemStats, which stops the world). Two peaks: all
// heap objects, which includes garbage and so depends on when the GC ran, and
// the heap each GC found live, which is what grows if rows are held.
func measure(fn func(w io.Writer) error) (measurement, error) {
	runtime.GC()
	samples := []metrics.Sample{{Name: "/memory/classes/heap/objects:bytes"}, {Name: "/gc/heap/live:bytes"}}
	read := func() (uint64, uint64) {
		metrics.Read(samples)
		return samples[0].Value.Uint64(), samples[1].Value.Uint64()
	}
	baseHeap, baseLive := read()
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	stop, peaks := make(chan struct{}), make(chan [2]uint64)
	go func() {
		top := [2]uint64{baseHeap, baseLive}
		tick := time.NewTicker(time.Millisecond)
		defer tick.Stop()
		for {
			select {
			case <-stop:
				peaks <- top
				return
			case <-tick.C:
				h, l := read()
				top[0], top[1] = max(top[0], h), max(top[1], l)
			}
		}
	}()
	w := &countingWriter{}
	start := time.Now()
	err := fn(w)
	elapsed := time.Since(start)
	close(stop)
	top := <-peaks
	runtime.ReadMemStats(&after)
	return measurement{elapsed: elapsed, peakHeap: top[0] - baseHeap, peakLive: top[1] - min(baseLive, top[1]),
		alloc: after.TotalAlloc - before.TotalAlloc, out: w.n}, err
}

// BenchmarkExport times a whole-snapshot export three ways, streamed from
// the same store: the baseline (rows converted by obscsv.FromObservation and
// written with encoding/csv directly), the CSV export (obscsv.Writer, i.e.
// gocsv) and the data package. It reports each one's seconds, peak heap and
// bytes allocated per row (medians over the iterations; run it with
// -benchtime 3x or more), and the ratios to the baseline. "scan" only reads
// the store: the floor every export stands on.
var benchSizes = []int{100_000, 1_000_000}

func BenchmarkExport(b *testing.B) {
	if testing.Short() {
		b.Skip("builds a million-row store")
	}
	top := b
	for _, backend := range []string{"sqlite", "postgres"} {
		for _, rows := range benchSizes {
			b.Run(fmt.Sprintf("%s/rows=%d", backend, rows), func(b *testing.B) {
				st := benchStores.get(b, top, backend, rows)
				ctx := context.Background()
				each := func(fn func(data.Observation) error) error {
					return st.store.EachObservation(ctx, st.snap.ID, data.Filter{}, fn)
				}
				variants := []struct {
					name string
					fn   func(io.Writer) error
				}{
					{"scan", func(io.Writer) error { return each(func(data.Observation) error { return nil }) }},
					{"baseline", func(w io.Writer) error { return writeBaselineCSV(w, each) }},
					{"csv", func(w io.Writer) error {
						cw, err := obscsv.NewWriter(w, false)
						if err != nil {
							return err
						}
						if err := each(cw.Write); err != nil {
							return err
						}
						return cw.Close()
					}},
					{"datapackage", func(w io.Writer) error { return Write(ctx, w, st.snap, each, Options{}) }},
				}
				runs := map[string][]measurement{}
				for b.Loop() {
					for _, v := range variants {
						m, err := measure(v.fn)
						if err != nil {
							b.Fatal(err)
						}
						runs[v.name] = append(runs[v.name], m)
					}
				}
				med := map[string]measurement{}
				for _, v := range variants {
					m := median(runs[v.name])
					med[v.name] = m
					b.ReportMetric(m.elapsed.Seconds(), v.name+"-s")
					b.ReportMetric(float64(m.peakHeap)/(1<<20), v.name+"-peak-heap-MB")
					b.ReportMetric(float64(m.peakLive)/(1<<20), v.name+"-peak-live-MB")
					b.ReportMetric(float64(m.alloc)/float64(rows), v.name+"-alloc-B/row")
					b.Logf("%-11s times %v, peak heap above the start %v MB, peak live heap %v MB", v.name,
						elapsedOf(runs[v.name]), mbOf(runs[v.name], false), mbOf(runs[v.name], true))
				}
				base := med["baseline"].elapsed.Seconds()
				b.ReportMetric(med["csv"].elapsed.Seconds()/base, "csv/baseline")
				b.ReportMetric(med["datapackage"].elapsed.Seconds()/base, "datapackage/baseline")
				b.ReportMetric(float64(med["baseline"].out)/(1<<20), "csv-MB")
				b.ReportMetric(float64(med["datapackage"].out)/(1<<20), "zip-MB")
			})
		}
	}
}

// median takes each quantity's median over the runs on its own.
func median(ms []measurement) measurement {
	pick := func(get func(measurement) float64) float64 {
		v := make([]float64, len(ms))
		for i, m := range ms {
			v[i] = get(m)
		}
		sort.Float64s(v)
		return v[len(v)/2]
	}
	return measurement{
		elapsed:  time.Duration(pick(func(m measurement) float64 { return float64(m.elapsed) })),
		peakHeap: uint64(pick(func(m measurement) float64 { return float64(m.peakHeap) })),
		peakLive: uint64(pick(func(m measurement) float64 { return float64(m.peakLive) })),
		alloc:    uint64(pick(func(m measurement) float64 { return float64(m.alloc) })),
		out:      ms[0].out,
	}
}

func elapsedOf(ms []measurement) []string {
	var out []string
	for _, m := range ms {
		out = append(out, m.elapsed.Round(10*time.Millisecond).String())
	}
	return out
}

func mbOf(ms []measurement, live bool) []string {
	var out []string
	for _, m := range ms {
		v := m.peakHeap
		if live {
			v = m.peakLive
		}
		out = append(out, fmt.Sprintf("%.1f", float64(v)/(1<<20)))
	}
	return out
}

// writeBaselineCSV writes the same rows with encoding/csv and no gocsv.
func writeBaselineCSV(w io.Writer, each func(func(data.Observation) error) error) error {
	cw := csv.NewWriter(w)
	cells := make([]string, len(columnNames()))
	if err := cw.Write(columnNames()); err != nil {
		return err
	}
	err := each(func(o data.Observation) error {
		r := obscsv.FromObservation(o)
		rowCells(&r, cells)
		return cw.Write(cells)
	})
	if err != nil {
		return err
	}
	cw.Flush()
	return cw.Error()
}
