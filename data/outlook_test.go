package data

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

var update = flag.Bool("update", false, "rewrite testdata/*.golden from the current output")

// golden compares got with testdata/name, or rewrites it with -update.
func golden(t *testing.T, name, got string) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test ./data -run %s -update to write it)", err, t.Name())
	}
	if got != string(want) {
		t.Errorf("%s differs from the output:\n--- got\n%s\n--- want\n%s", path, got, want)
	}
}

// TestOutlookWordsGolden reads growth at the edges of every band of every
// edition with thresholds, and growth in editions without: the words, or
// the sentence saying why there are none.
func TestOutlookWordsGolden(t *testing.T) {
	var b strings.Builder
	for _, edition := range []string{"2002-2012", "2006-2016", "2008-2018", "2014-2024", "2019-2029", "2024-2034"} {
		for _, pct := range []float64{-12, -10.4, -9.6, -3, -2.6, -2.4, -1, -0.5, -0.4, 0, 1.7, 2.4, 2.5, 3, 6.4, 6.5, 7.3, 13.4, 13.5, 15.9, 19.5, 20.4, 20.5, 35.4, 35.5, 40} {
			words, why := OutlookWords(edition, pct)
			if words == "" {
				words = "(none: " + why + ")"
			}
			fmt.Fprintf(&b, "%s %6.1f%% → OOH %d%%: %s\n", ShortPeriod(edition), pct, RoundGrowth(pct), words)
		}
	}
	golden(t, "outlook-words.golden", b.String())
}

// TestOutlookThresholdsCoverEveryPercent: in each edition's table every
// whole percent has exactly one band, and every band names its source.
func TestOutlookThresholdsCoverEveryPercent(t *testing.T) {
	for _, th := range outlookThresholds {
		if th.Source == "" || !th.Tier.Valid() {
			t.Errorf("%s: source %q, tier %q", th.Edition, th.Source, th.Tier)
		}
		if _, err := ParsePeriod(th.Edition); err != nil {
			t.Errorf("%s: %v", th.Edition, err)
		}
		for pct := -100; pct <= 200; pct++ {
			n := 0
			for _, b := range th.Bands {
				if pct >= b.Min && pct <= b.Max {
					n++
				}
			}
			if n != 1 {
				t.Errorf("%s: %d%% falls in %d bands", th.Edition, pct, n)
			}
		}
	}
}
