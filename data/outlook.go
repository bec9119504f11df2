package data

import (
	"fmt"
	"math"
)

// OutlookBand is one of BLS's phrases for projected growth and the whole
// percents it covers: "Grow faster than average: increase 14 to 20
// percent". Min and Max are inclusive; an open end is math.MinInt or
// math.MaxInt.
type OutlookBand struct {
	Words    string
	Min, Max int
}

// OutlookThresholds are the phrases of one Employment Projections edition,
// where BLS published them, with the address they were read at and that
// address's tier.
type OutlookThresholds struct {
	Edition string // "2006-2016"
	Bands   []OutlookBand
	Source  string // where the table was read
	Tier    Tier
}

const (
	noFloor   = math.MinInt
	noCeiling = math.MaxInt
)

// outlookThresholds is every edition whose thresholds labdash found in a
// published table, one entry per edition. BLS compares each occupation's
// growth with the growth of all occupations in the same edition, so the
// percents behind a phrase change from edition to edition; an edition not
// listed here gets no words (OutlookWords says so).
//
// Not listed, and why:
//   - 2010-20 onwards (every edition this snapshot's figures come from):
//     BLS's tables of these phrases ("Occupational Information Included in
//     the OOH", https://www.bls.gov/ooh/about/occupational-information-included-in-the-ooh.htm)
//     could not be read in any stored copy; where the store holds BLS's own
//     words for an occupation and edition (job_outlook_category, read on
//     its OOH page), pages show those instead.
//   - 2014-24: one third-party page
//     (https://www.sciencebuddies.org/science-engineering-careers/understanding-projected-job-growth)
//     labels a table "2014 and 2024", but its bands are exactly the 2006-16
//     table's and it cites a BLS page of growth rates, not of phrases:
//     not trusted.
var outlookThresholds = []OutlookThresholds{
	{
		// OOH 2004-05 edition, "Key phrases in the Handbook", changing
		// employment between 2002 and 2012: bls.gov/oco/oco20016.htm as
		// archived by the U.S. government web harvest.
		Edition: "2002-2012",
		Source:  "https://webharvest.gov/peth04/20041111070139/http://bls.gov/oco/oco20016.htm",
		Tier:    TierPrimaryArchived,
		Bands: []OutlookBand{
			{"Grow much faster than average", 36, noCeiling},
			{"Grow faster than average", 21, 35},
			{"Grow about as fast as average", 10, 20},
			{"Grow more slowly than average", 3, 9},
			{"Little or no growth", 0, 2},
			{"Decline", noFloor, -1},
		},
	},
	{
		// OOH 2008-09 edition, "Key phrases in the Handbook", changing
		// employment between 2006 and 2016: bls.gov/oco/oco20016.htm as
		// archived by the UNT web archive (End of Term 2008).
		Edition: "2006-2016",
		Source:  "https://webarchive.library.unt.edu/eot2008/20080917062239/http:/www.bls.gov/oco/oco20016.htm",
		Tier:    TierPrimaryArchived,
		Bands: []OutlookBand{
			{"Grow much faster than average", 21, noCeiling},
			{"Grow faster than average", 14, 20},
			{"Grow about as fast as average", 7, 13},
			{"Grow more slowly than average", 3, 6},
			{"Little or no change", -2, 2},
			{"Decline slowly or moderately", -9, -3},
			{"Decline rapidly", noFloor, -10},
		},
	},
	{
		// OOH 2010-11 edition, changing employment between 2008 and 2018,
		// as a third-party page copies BLS's "Job Outlook Key Phrases".
		Edition: "2008-2018",
		Source:  "http://www.healthguideusa.mobi/careers/key_phrases.htm",
		Tier:    TierSecondary,
		Bands: []OutlookBand{
			{"Grow much faster than average", 20, noCeiling},
			{"Grow faster than average", 14, 19},
			{"Grow about as fast as average", 7, 13},
			{"Grow more slowly than average", 3, 6},
			{"Little or no change", -2, 2},
			{"Decline slowly or moderately", -9, -3},
			{"Decline rapidly", noFloor, -10},
		},
	},
}

// ThresholdsFor returns the phrases of an edition ("2006-2016"), if
// labdash has them.
func ThresholdsFor(edition string) (OutlookThresholds, bool) {
	for _, t := range outlookThresholds {
		if t.Edition == edition {
			return t, true
		}
	}
	return OutlookThresholds{}, false
}

// RoundGrowth is projected growth as the OOH shows it: a whole percent,
// halves away from zero (1.7 → 2, 15.5 → 16, -0.5 → -1).
func RoundGrowth(pct float64) int { return int(math.Round(pct)) }

// OutlookWords are BLS's words for growth of pct percent in an edition,
// from that edition's thresholds, applied to growth as the OOH rounds it.
// Without thresholds for the edition it returns "" and why not.
func OutlookWords(edition string, pct float64) (words string, why string) {
	t, ok := ThresholdsFor(edition)
	if !ok {
		return "", fmt.Sprintf("no published table of BLS's thresholds for %s was found", ShortPeriod(edition))
	}
	r := RoundGrowth(pct)
	for _, b := range t.Bands {
		if r >= b.Min && r <= b.Max {
			return b.Words, ""
		}
	}
	return "", fmt.Sprintf("%d%% falls outside every band of the %s thresholds", r, ShortPeriod(edition))
}
