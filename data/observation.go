// Package data holds labdash's domain types (observations, snapshots,
// occupation families, areas) and the SQLite store that keeps every
// published snapshot immutable.
package data

import (
	"strconv"
	"strings"
	"time"
)

// Flag marks an observation whose number is missing or qualified. A flagged
// observation is never shown or exported as zero.
type Flag string

// Flags used across every source. The names are what exports and the API show.
const (
	FlagNone         Flag = ""
	FlagNotAvailable Flag = "not_available" // OEWS "-", "*", "**"
	FlagTopCoded     Flag = "top_coded"     // OEWS "#" or footnote 5: at or above the cap
	FlagLowReporting Flag = "low_reporting" // OEWS "~": under 0.5% of establishments report it
	FlagNotReleased  Flag = "not_released"  // OEWS footnote 8
)

// KnownFlags lists every flag a stored observation may carry.
var KnownFlags = []Flag{FlagNone, FlagNotAvailable, FlagTopCoded, FlagLowReporting, FlagNotReleased}

// Valid reports whether f is one of KnownFlags.
func (f Flag) Valid() bool {
	for _, k := range KnownFlags {
		if f == k {
			return true
		}
	}
	return false
}

// Label is the short English text shown on badges.
func (f Flag) Label() string {
	switch f {
	case FlagNotAvailable:
		return "not available"
	case FlagTopCoded:
		return "top-coded"
	case FlagLowReporting:
		return "low reporting"
	case FlagNotReleased:
		return "not released"
	}
	return ""
}

// Tier says how directly a figure was read from BLS.
type Tier string

// Tiers, best first.
const (
	TierPrimary         Tier = "primary"          // read on bls.gov or in a BLS file
	TierPrimaryArchived Tier = "primary-archived" // a bls.gov page through a web archive
	// TierResavedCopy is a BLS workbook re-saved by a third party: its cells
	// match BLS's, its bytes are not the file BLS published.
	TierResavedCopy Tier = "resaved-copy"
	TierGithubCopy  Tier = "github-copy" // a BLS table copied into a public repository
	TierSecondary   Tier = "secondary"   // a third-party page quoting BLS
)

// Rank orders tiers: lower is better. Unknown tiers rank last.
func (t Tier) Rank() int {
	switch t {
	case TierPrimary:
		return 0
	case TierPrimaryArchived:
		return 1
	case TierResavedCopy:
		return 2
	case TierGithubCopy:
		return 3
	case TierSecondary:
		return 4
	}
	return len(KnownTiers)
}

// KnownTiers lists the tiers, best first.
var KnownTiers = []Tier{TierPrimary, TierPrimaryArchived, TierResavedCopy, TierGithubCopy, TierSecondary}

// Valid reports whether t is a known tier.
func (t Tier) Valid() bool { return t.Rank() < len(KnownTiers) }

// Observation is one figure with its key and its provenance.
type Observation struct {
	OccupationCode  string
	OccupationTitle string
	AreaCode        string // OEWS 7-digit area code, "0000000" for the United States
	AreaTitle       string
	IndustryCode    string // empty for cross-industry, or when the source gave only a title
	IndustryTitle   string
	Measure         Measure // e.g. MeasureMedianAnnualWage: one vocabulary for every source
	Period          string  // "May 2024", "2024-2034" or "2024"
	Value           *float64
	Text            string // the value of text measures such as typical_entry_education
	Unit            Unit
	Flag            Flag
	Tier            Tier
	SourceName      string // the configured source that delivered it ("builtin" for the reference file)
	SourceTitle     string
	SourceURL       string
	RetrievedAt     time.Time
	FileHash        string // sha256 of the file the figure came from
	Notes           string
}

// Key identifies an observation across snapshots: a later version of the same
// key revises the earlier one.
type Key struct {
	Occupation string
	Area       string
	Industry   string // industry code, or "title:" + lower-cased title when the source gave no code
	Measure    Measure
	Period     string
}

// String joins the key's parts with "|"; it is the stored form.
func (k Key) String() string {
	return strings.Join([]string{k.Occupation, k.Area, k.Industry, string(k.Measure), k.Period}, "|")
}

// Key returns the observation's key.
func (o Observation) Key() Key {
	return Key{
		Occupation: o.OccupationCode,
		Area:       o.AreaCode,
		Industry:   IndustryKey(o.IndustryCode, o.IndustryTitle),
		Measure:    o.Measure,
		Period:     o.Period,
	}
}

// IndustryKey is the code when there is one; otherwise the normalised title,
// so that figures the sources gave only by title still key apart.
func IndustryKey(code, title string) string {
	if code != "" || title == "" {
		return code
	}
	return "title:" + strings.ToLower(strings.Join(strings.Fields(title), " "))
}

// IsText reports whether the observation carries text rather than a number.
func (o Observation) IsText() bool { return o.Unit == UnitText }

// CrossIndustry reports whether the figure covers all industries.
func (o Observation) CrossIndustry() bool { return o.IndustryCode == "" && o.IndustryTitle == "" }

// ValueString formats the value the way exports write it: the number in its
// shortest exact form, the text for text measures, or "" when flagged.
func (o Observation) ValueString() string {
	if o.IsText() {
		return o.Text
	}
	if o.Value == nil {
		return ""
	}
	return strconv.FormatFloat(*o.Value, 'f', -1, 64)
}

// Absent says in words why the observation has no number: its flag's label,
// or "no figure". Pages and citations show it where the number would be, so
// a missing figure never reads as zero.
func (o Observation) Absent() string {
	if o.Flag != FlagNone {
		return o.Flag.Label()
	}
	return "no figure"
}

// Float returns a pointer to v; handy for building observations.
func Float(v float64) *float64 { return &v }
