package data

import (
	"fmt"
	"slices"
	"strings"
)

// Occupation codes labdash knows by name. Other codes may arrive through
// ingest; they are shown with the title their source gave.
const (
	CodeClinicalLabEP       = "29-2010" // EP and OOH: technologists and technicians together
	CodeClinicalLabOEWS     = "29-2018" // OEWS from May 2019 on
	CodeLabTechnologists    = "29-2011" // OEWS before May 2019, EP before 2018
	CodeLabTechnicians      = "29-2012"
	CodePhlebotomists       = "31-9097"
	CodeAllOccupations      = "00-0000"
	NationalAreaCode        = "0000000"
	NationalAreaTitle       = "United States"
	ClassificationBreakYear = 2019 // first OEWS May estimate published under SOC 2018 (29-2018)
)

// Family groups the codes one occupation has carried across classification
// changes, and holds the rules of that change: which codes describe the
// whole occupation today, which were retired, and from which year figures
// under one code stand for another. A trend across the change is a break,
// never a joined line (docs/DATA.md, "Occupations and their codes").
type Family struct {
	ID    string
	Title string
	Codes []string // the codes in use today first
	Note  string   // the classification history in one paragraph
	// Retired are codes that split the occupation before the change and
	// were retired by it (29-2011 and 29-2012): each describes part of the
	// occupation only, so it is shown as a series of its own.
	Retired []string
	// BreakYear is the first OEWS May period under the new classification;
	// 0 for a family that never changed.
	BreakYear int
	// RetiredLast is the last OEWS May period that lists the retired codes;
	// the releases between it and BreakYear publish them together under
	// the family's first code. 0: the year before BreakYear.
	RetiredLast int
}

// Families lists the occupation families shown on the dashboard, the home
// page's own family first.
var Families = []Family{
	{
		ID:        "clinical-lab",
		Title:     "Clinical laboratory technologists and technicians",
		Codes:     []string{CodeClinicalLabEP, CodeClinicalLabOEWS, CodeLabTechnologists, CodeLabTechnicians},
		Retired:   []string{CodeLabTechnologists, CodeLabTechnicians},
		BreakYear: ClassificationBreakYear,
		// OEWS's May 2017 and 2018 workbooks list 29-2010 and neither part.
		RetiredLast: 2016,
		Note: "BLS published technologists (29-2011) and technicians (29-2012) separately until " +
			"OEWS May 2016; OEWS combines them from May 2017 (29-2010, from May 2019 29-2018), " +
			"Employment Projections as 29-2010. Figures across the change are not strictly comparable.",
	},
	{
		ID:    "phlebotomists",
		Title: "Phlebotomists",
		Codes: []string{CodePhlebotomists},
		Note:  "Phlebotomists have kept code 31-9097 in every program.",
	},
}

// FamilyByID returns the family with that id.
func FamilyByID(id string) (Family, bool) {
	for _, f := range Families {
		if f.ID == id {
			return f, true
		}
	}
	return Family{}, false
}

// FamilyOf returns the family an occupation code belongs to.
func FamilyOf(code string) (Family, bool) {
	for _, f := range Families {
		if slices.Contains(f.Codes, code) {
			return f, true
		}
	}
	return Family{}, false
}

// OccupationFamily is the family of code, or for a code of no family a
// family of its own with that one code, so the rules below apply to every
// code alike.
func OccupationFamily(code string) Family {
	if f, ok := FamilyOf(code); ok {
		return f
	}
	return Family{ID: code, Title: OccupationTitle(code, ""), Codes: []string{code}}
}

// OccupationTitle names a code: labdash's title for the codes it knows
// (sources word them differently, and a snapshot keeps every wording), else
// fallback (the title its figures carry), else the code itself.
func OccupationTitle(code, fallback string) string {
	if t, ok := OccupationTitles[code]; ok {
		return t
	}
	if t := strings.TrimSpace(fallback); t != "" {
		return t
	}
	return code
}

// Changed reports whether the family went through a classification change.
func (f Family) Changed() bool { return f.BreakYear > 0 && len(f.Retired) > 0 }

// IsRetired reports whether code was retired by the family's change.
func (f Family) IsRetired(code string) bool { return slices.Contains(f.Retired, code) }

// Current lists the codes that describe the whole occupation today (29-2010
// in Employment Projections, 29-2018 in OEWS): the family's quick facts
// come from them.
func (f Family) Current() []string {
	return slices.DeleteFunc(slices.Clone(f.Codes), f.IsRetired)
}

// SameOccupation lists the codes whose figures describe exactly the
// occupation of code, code first: a current code shares its figures with
// the family's other current codes (29-2010 in EP is 29-2018 in OEWS); a
// retired code describes only itself.
func (f Family) SameOccupation(code string) []string {
	out := []string{code}
	if f.IsRetired(code) || !slices.Contains(f.Codes, code) {
		return out
	}
	for _, c := range f.Current() {
		if c != code {
			out = append(out, c)
		}
	}
	return out
}

// CountsFor reports whether figure o describes the occupation of code: a
// figure published under code itself always does; one published under
// another code of the same occupation only from the break year on, since
// before the change a 29-2010 figure must not stand for 29-2018, a code
// that did not exist yet.
func (f Family) CountsFor(code string, o Observation) bool {
	if o.OccupationCode == code {
		return true
	}
	if !slices.Contains(f.SameOccupation(code), o.OccupationCode) {
		return false
	}
	return !f.Changed() || f.AfterBreak(o.Period)
}

// AfterBreak reports whether a period falls on or after the family's
// classification change (always true for a family that never changed). A
// period that does not parse is on neither side and reports false.
func (f Family) AfterBreak(period string) bool {
	p, err := ParsePeriod(period)
	if err != nil {
		return false
	}
	return p.StartYear >= f.BreakYear
}

// BreakLabel names the change on a chart's break line: "SOC 2018: 29-2011 +
// 29-2012 combined"; "" for a family that never changed.
func (f Family) BreakLabel() string {
	if !f.Changed() {
		return ""
	}
	return "SOC 2018: " + strings.Join(f.Retired, " + ") + " combined"
}

// RetiredUntil says until when a retired code was published in OEWS:
// "until May 2016".
func (f Family) RetiredUntil() string {
	if f.RetiredLast > 0 {
		return fmt.Sprintf("until May %d", f.RetiredLast)
	}
	return fmt.Sprintf("until May %d", f.BreakYear-1)
}

// OccupationTitles names the known codes, for sources that give only a code.
var OccupationTitles = map[string]string{
	CodeClinicalLabEP:    "Clinical laboratory technologists and technicians",
	CodeClinicalLabOEWS:  "Clinical laboratory technologists and technicians",
	CodeLabTechnologists: "Medical and clinical laboratory technologists",
	CodeLabTechnicians:   "Medical and clinical laboratory technicians",
	CodePhlebotomists:    "Phlebotomists",
	CodeAllOccupations:   "All occupations",
}
