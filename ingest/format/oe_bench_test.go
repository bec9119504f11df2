package format

import (
	"errors"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/labdash/labdash/ingest/fileerr"
	"github.com/labdash/labdash/ingest/internal/oebench"
)

// BenchmarkOEStages splits bls-oe's pass over oe.data (6M lines, two
// occupations kept): Read is the file moved into memory in the parser's
// chunks and nothing else; Prefilter adds finding each line and comparing
// its occupation (the code runs with an occupation no line has, so nothing
// is parsed); Parse is ParseOE whole. The rest of an ingest, hashing and
// publishing, is measured by ingest's BenchmarkIngestOEPair.
//
//	go test ./ingest/format -run '^$' -bench OEStages -benchtime 5x
func BenchmarkOEStages(b *testing.B) {
	dir := os.Getenv("LABDASH_OE_BENCH_DIR")
	if dir == "" {
		dir = b.TempDir()
	}
	pair, err := oebench.Write(dir, 6_000_000)
	if err != nil {
		b.Fatal(err)
	}
	files := func(b *testing.B) OEFiles {
		open := func(name string) *os.File {
			f, err := os.Open(filepath.Join(dir, name))
			if err != nil {
				b.Fatal(err)
			}
			b.Cleanup(func() { f.Close() })
			return f
		}
		return OEFiles{Data: open("oe.data.0.Current"), Area: open("oe.area"), Industry: open("oe.industry"), Occupation: open("oe.occupation")}
	}
	b.Run("Read", func(b *testing.B) {
		b.SetBytes(pair.DataBytes)
		for i := 0; i < b.N; i++ {
			n := int64(0)
			err := readLines(files(b).Data, func(block []byte) error { n += int64(len(block)); return nil })
			if err != nil || n != pair.DataBytes {
				b.Fatalf("read %d bytes: %v", n, err)
			}
		}
	})
	b.Run("Prefilter", func(b *testing.B) {
		b.SetBytes(pair.DataBytes)
		for i := 0; i < b.N; i++ {
			_, stats, err := ParseOE(files(b), []string{"99-9999"}, Provenance{SourceName: "bench"})
			if !errors.Is(err, fileerr.ErrOccupationAbsent) || stats.Lines != int64(pair.Lines) {
				b.Fatalf("%d lines: %v", stats.Lines, err)
			}
		}
	})
	b.Run("Parse", func(b *testing.B) {
		b.SetBytes(pair.DataBytes)
		b.ReportAllocs()
		for i := 0; i < b.N; i++ {
			obs, _, err := ParseOE(files(b), oebench.Kept, Provenance{SourceName: "bench", RetrievedAt: time.Now()})
			if err != nil || len(obs) != pair.KeptLines {
				b.Fatalf("%d figures, want %d: %v", len(obs), pair.KeptLines, err)
			}
		}
	})
}
