package ingest

import (
	"math"
	"strconv"

	"github.com/labdash/labdash/data"
)

// ResolveDuplicates keeps one observation per key, following the rule of
// ../shared/data/README.md: the better tier wins; between figures of one tier
// that differ only by rounding (1.7 and 2) the more precise one wins; else
// the first in the file. The order of first appearance is kept. The sources
// of the rows left out are named in the kept row's notes, so nothing is lost
// silently.
func ResolveDuplicates(obs []data.Observation) []data.Observation {
	index := make(map[data.Key]int, len(obs))
	var out []data.Observation
	for _, o := range obs {
		k := o.Key()
		i, seen := index[k]
		if !seen {
			index[k] = len(out)
			out = append(out, o)
			continue
		}
		kept, other := out[i], o
		if preferOver(o, out[i]) {
			kept, other = o, out[i]
		}
		if other.SourceURL != "" && other.SourceURL != kept.SourceURL {
			kept.Notes = appendNote(kept.Notes, "also reported as "+other.ValueString()+" by "+other.SourceURL)
		}
		out[i] = kept
	}
	return out
}

// preferOver reports whether a should replace b, which came first.
func preferOver(a, b data.Observation) bool {
	if a.Tier.Rank() != b.Tier.Rank() {
		return a.Tier.Rank() < b.Tier.Rank()
	}
	if a.Value == nil || b.Value == nil {
		return false
	}
	da, db := decimals(*a.Value), decimals(*b.Value)
	return da > db && roundsTo(*a.Value, *b.Value, db)
}

// roundsTo reports whether precise, rounded to d decimals, gives rounded.
func roundsTo(precise, rounded float64, d int) bool {
	scale := math.Pow(10, float64(d))
	return math.Round(precise*scale)/scale == rounded
}

// decimals counts the decimals of v's shortest representation.
func decimals(v float64) int {
	s := strconv.FormatFloat(v, 'f', -1, 64)
	for i := range s {
		if s[i] == '.' {
			return len(s) - i - 1
		}
	}
	return 0
}

func appendNote(notes, more string) string {
	if notes == "" {
		return more
	}
	return notes + "; " + more
}
