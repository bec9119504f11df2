package dashboard

import (
	"fmt"
	"sort"

	"github.com/labdash/labdash/data"
)

// DiffReport is what changed between two snapshots, grouped for people.
type DiffReport struct {
	From, To                data.Snapshot
	Added, Revised, Removed int
	Callouts                []string // new editions, moved outlook labels
	Groups                  []DiffGroup
}

// DiffGroup is the changes of one source, occupation and measure.
type DiffGroup struct {
	Source          string
	OccupationCode  string
	OccupationTitle string
	Measure         data.Measure
	Lines           []DiffLine
}

// DiffLine is one change in words: "projected growth 2024-34 for 29-2010: 1.7% → 2%".
type DiffLine struct {
	Kind   string
	Text   string
	Change data.Change
}

// BuildDiff groups changes by source, occupation and measure, and calls out
// what a reader should not miss.
func BuildDiff(from, to data.Snapshot, changes []data.Change) DiffReport {
	r := DiffReport{From: from, To: to}
	index := map[string]int{}
	for _, c := range changes {
		o := c.Observation()
		switch c.Kind {
		case data.ChangeAdded:
			r.Added++
		case data.ChangeRevised:
			r.Revised++
		case data.ChangeRemoved:
			r.Removed++
		}
		key := o.SourceName + "|" + o.OccupationCode + "|" + string(o.Measure)
		i, ok := index[key]
		if !ok {
			i = len(r.Groups)
			index[key] = i
			r.Groups = append(r.Groups, DiffGroup{Source: o.SourceName, OccupationCode: o.OccupationCode,
				OccupationTitle: o.OccupationTitle, Measure: o.Measure})
		}
		r.Groups[i].Lines = append(r.Groups[i].Lines, DiffLine{Kind: c.Kind, Text: ChangeText(c), Change: c})
	}
	sort.SliceStable(r.Groups, func(i, j int) bool {
		a, b := r.Groups[i], r.Groups[j]
		if a.Source != b.Source {
			return a.Source < b.Source
		}
		if a.OccupationCode != b.OccupationCode {
			return a.OccupationCode < b.OccupationCode
		}
		return a.Measure < b.Measure
	})
	r.Callouts = callouts(changes)
	return r
}

// ChangeText writes one change as a sentence fragment.
func ChangeText(c data.Change) string {
	o := c.Observation()
	subject := fmt.Sprintf("%s %s for %s", o.Measure.LowerLabel(), data.ShortPeriod(o.Period), o.OccupationCode)
	if o.AreaCode != data.NationalAreaCode {
		subject += ", " + o.AreaTitle
	}
	if !o.CrossIndustry() {
		subject += ", " + o.IndustryTitle
	}
	switch c.Kind {
	case data.ChangeAdded:
		return subject + ": new, " + FormatValue(*c.New) + tierNote(*c.New)
	case data.ChangeRemoved:
		return subject + ": withdrawn (was " + FormatValue(*c.Old) + ")"
	}
	text := subject + ": " + FormatValue(*c.Old) + " → " + FormatValue(*c.New)
	if c.Old.Tier != c.New.Tier {
		text += fmt.Sprintf(" (tier %s → %s)", c.Old.Tier, c.New.Tier)
	}
	return text
}

func tierNote(o data.Observation) string {
	if o.Tier == data.TierPrimary {
		return ""
	}
	return " (" + string(o.Tier) + ")"
}

// callouts names new projection editions and OEWS releases, and outlook
// labels whose wording moved.
func callouts(changes []data.Change) []string {
	newPeriods := map[string]int{}
	touched := map[string]bool{}
	var out []string
	for _, c := range changes {
		o := c.Observation()
		if c.Kind != data.ChangeAdded {
			touched[o.Period] = true
		} else {
			newPeriods[o.Period]++
		}
		if c.Kind == data.ChangeRevised && o.Measure == data.MeasureJobOutlookCategory && c.Old.Text != c.New.Text {
			out = append(out, fmt.Sprintf("The outlook label for %s (%s) moved from %q to %q.",
				o.OccupationCode, data.ShortPeriod(o.Period), c.Old.Text, c.New.Text))
		}
	}
	var periods []string
	for p := range newPeriods {
		if !touched[p] {
			periods = append(periods, p)
		}
	}
	sort.Slice(periods, func(i, j int) bool { return data.PeriodLess(periods[i], periods[j]) })
	for _, p := range periods {
		pp, err := data.ParsePeriod(p)
		switch {
		case err != nil:
		case pp.Kind == data.PeriodProjection:
			out = append(out, fmt.Sprintf("New Employment Projections edition %s: %d figures.", pp.ShortLabel(), newPeriods[p]))
		case pp.Kind == data.PeriodOEWS:
			out = append(out, fmt.Sprintf("New OEWS estimates for %s: %d figures.", p, newPeriods[p]))
		}
	}
	return out
}
