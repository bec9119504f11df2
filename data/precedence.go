package data

import (
	"math"
	"strconv"
)

// MorePrecise reports whether precise is the same figure as rounded, given
// with more decimals: 1.7 against 2, 26.8 against 27. BLS publishes both the
// unrounded and the rounded form of some figures; the precise one is kept.
func MorePrecise(precise, rounded float64) bool {
	dp, dr := decimals(precise), decimals(rounded)
	if dp <= dr {
		return false
	}
	scale := math.Pow(10, float64(dr))
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

// liveFigure is what publishing remembers of a live version to decide
// whether a figure from another source may replace it.
type liveFigure struct {
	source string
	tier   Tier
	value  *float64
	text   string
	flag   Flag
}

func liveFigureOf(o Observation) liveFigure {
	f := liveFigure{source: o.SourceName, tier: o.Tier, text: o.Text, flag: o.Flag}
	if o.Value != nil {
		f.value = Float(*o.Value)
	}
	return f
}

// defersTo reports whether o, read from another source than the live
// version, should leave the live version in place: its tier is worse, or it
// says the same thing (the same figure, or only a rounding of it). Without
// this, two sources that carry one figure would take turns "revising" it
// with every run. A source always revises its own figures.
func (o Observation) defersTo(live liveFigure) bool {
	if live.source == o.SourceName {
		return false
	}
	if o.Tier.Rank() != live.tier.Rank() {
		return o.Tier.Rank() > live.tier.Rank()
	}
	if o.Flag != live.flag || o.Text != live.text || (o.Value == nil) != (live.value == nil) {
		return false
	}
	if o.Value == nil {
		return true
	}
	return *o.Value == *live.value || MorePrecise(*live.value, *o.Value)
}
