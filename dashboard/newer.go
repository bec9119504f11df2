package dashboard

import (
	"fmt"
	"slices"
	"sort"
	"strings"

	"github.com/labdash/labdash/data"
)

// releasesSentence says where a card's figures come from: "Pay: OEWS May
// 2024, read from a BLS workbook re-saved by a third party. Outlook:
// Employment Projections 2019-29, read from BLS files."
func releasesSentence(release string, payFromFile bool, edition string, outlookFromFile bool, facts []Fact, origins data.Origins) string {
	var pay, outlook []data.Observation
	for _, f := range facts {
		if f.Observation == nil {
			continue
		}
		if periodKind(f.Observation.Period) == data.PeriodOEWS {
			pay = append(pay, *f.Observation)
		} else {
			outlook = append(outlook, *f.Observation)
		}
	}
	var parts []string
	if release != "" {
		s := "Pay: OEWS " + data.ShortPeriod(release) + ", " + readWhere(pay, origins)
		if !payFromFile {
			s += " (no release in this snapshot has all of them from a BLS file)"
		}
		parts = append(parts, s)
	}
	if edition != "" {
		s := "Outlook: Employment Projections " + data.ShortPeriod(edition) + ", " + readWhere(outlook, origins)
		if !outlookFromFile {
			s += " (no edition in this snapshot has them from a BLS file)"
		}
		parts = append(parts, s)
	}
	if len(parts) == 0 {
		return ""
	}
	return strings.Join(parts, ". ") + "."
}

// readWhere says where figures were read, in a phrase after a comma:
// "read from BLS files", "read on a third-party page quoting BLS", "read
// from BLS files and on a bls.gov page (not a BLS file)".
func readWhere(obs []data.Observation, origins data.Origins) string {
	var phrases []string
	add := func(p string) {
		if !slices.Contains(phrases, p) {
			phrases = append(phrases, p)
		}
	}
	pages := map[data.Tier]map[string]bool{}
	for _, o := range obs {
		if pages[o.Tier] == nil {
			pages[o.Tier] = map[string]bool{}
		}
		pages[o.Tier][o.SourceURL] = true
	}
	sorted := slices.Clone(obs)
	sort.SliceStable(sorted, func(i, j int) bool { return sorted[i].Tier.Rank() < sorted[j].Tier.Rank() })
	for _, o := range sorted {
		switch {
		case origins.FromBLSFile(o) && o.Tier == data.TierResavedCopy:
			add("from a BLS workbook re-saved by a third party")
		case origins.FromBLSFile(o):
			add("from BLS files")
		case o.Tier == data.TierPrimary:
			add("on " + plural(len(pages[o.Tier]), "a bls.gov page", "bls.gov pages") + " (not a BLS file)")
		case o.Tier == data.TierPrimaryArchived:
			add("on " + plural(len(pages[o.Tier]), "a bls.gov page", "bls.gov pages") + " through a web archive")
		case o.Tier == data.TierGithubCopy:
			add("in a copy of a BLS table in a public repository")
		case o.Tier == data.TierSecondary:
			add("on " + plural(len(pages[o.Tier]), "a third-party page", "third-party pages") + " quoting BLS")
		default:
			add("from a source of tier " + string(o.Tier))
		}
	}
	if len(phrases) == 0 {
		return "no figures"
	}
	return "read " + joinAnd(phrases)
}

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}

// newerRelease names the newest OEWS release after the card's that the
// snapshot has pay figures of, none of them from a BLS file: "Newer: May
// 2025 gives a median annual wage of $63,000 — read on a third-party page
// quoting BLS".
func (fp factPicker) newerRelease(release string) string {
	if release == "" {
		return ""
	}
	for _, p := range fp.periodsOf(payFacts, data.PeriodOEWS) {
		if !data.PeriodLess(release, p) {
			break
		}
		if figures := fp.listedFigures(payFacts, p); len(figures) > 0 {
			var parts []string
			for _, o := range figures {
				parts = append(parts, "a "+o.Measure.LowerLabel()+" of "+FormatValue(o))
			}
			return fmt.Sprintf("Newer: OEWS %s gives %s — %s.", data.ShortPeriod(p), joinAnd(parts), readWhere(figures, fp.origins))
		}
	}
	return ""
}

// newerEdition names the newest Employment Projections edition after the
// card's that the snapshot has outlook figures of, none from a BLS file:
// "Newer: the 2024-34 edition gives 1.7% growth (OOH: 2%) and 22,600
// openings a year — read on a third-party page quoting BLS".
func (fp factPicker) newerEdition(edition string) string {
	if edition == "" {
		return ""
	}
	specs := []factSpec{growthFact, outlookFacts[3], outlookFacts[2]} // growth, openings, change
	for _, e := range fp.periodsOf(specs, data.PeriodProjection) {
		if !data.PeriodLess(edition, e) {
			break
		}
		figures := fp.listedFigures(specs, e)
		if len(figures) == 0 {
			continue
		}
		var parts []string
		for _, o := range figures {
			parts = append(parts, newerPart(o))
		}
		return fmt.Sprintf("Newer: the %s edition gives %s — %s.",
			data.ShortPeriod(e), joinAnd(parts), readWhere(figures, fp.origins))
	}
	return ""
}

// listedFigures are the best figures of specs in a period when none of
// them is from a BLS file (a period with a BLS file's figure is not "only
// listed"); nil otherwise.
func (fp factPicker) listedFigures(specs []factSpec, period string) []data.Observation {
	var out []data.Observation
	for _, s := range specs {
		if fp.fromFile(s, period) {
			return nil
		}
		if o, ok := fp.best(fp.candidates(s, period)); ok && (o.Value != nil || o.IsText()) {
			out = append(out, o)
		}
	}
	return out
}

// newerPart is one figure of a newer edition in words.
func newerPart(o data.Observation) string {
	switch o.Measure {
	case data.MeasureProjectedGrowthPct:
		s := FormatValue(o) + " growth"
		if r := data.RoundGrowth(*o.Value); float64(r) != *o.Value {
			s = fmt.Sprintf("%s growth (OOH: %d%%)", FormatValue(o), r)
		}
		return s
	case data.MeasureAnnualOpenings:
		return FormatValue(o) + " openings a year"
	case data.MeasureEmploymentChange:
		return "an employment change of " + FormatValue(o) + " jobs"
	}
	return o.Measure.LowerLabel() + " " + FormatValue(o)
}
