package format

import (
	"github.com/labdash/labdash/data"
)

// ResolveDuplicates keeps one observation per key, following the rule of
// docs/DATA.md, "Reference figures": the better tier wins; between figures of one tier
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
	return data.MorePrecise(*a.Value, *b.Value)
}

func appendNote(notes, more string) string {
	if notes == "" {
		return more
	}
	return notes + "; " + more
}
