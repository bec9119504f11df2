package data

import (
	"fmt"
	"regexp"
	"strconv"
)

// PeriodKind tells the three period formats apart.
type PeriodKind int

// Period kinds.
const (
	PeriodInvalid    PeriodKind = iota
	PeriodOEWS                  // "May 2024": an OEWS estimate
	PeriodProjection            // "2024-2034": an EP projection vintage
	PeriodYear                  // "2024": an EP/OOH base-year count
)

var (
	oewsPeriod       = regexp.MustCompile(`^May (\d{4})$`)
	projectionPeriod = regexp.MustCompile(`^(\d{4})-(\d{4})$`)
	yearPeriod       = regexp.MustCompile(`^(\d{4})$`)
)

// Period is a parsed period string.
type Period struct {
	Kind      PeriodKind
	StartYear int // the year of an OEWS or base-year period, the base year of a projection
	EndYear   int // the projected year; equal to StartYear otherwise
}

// ParsePeriod reads "May 2024", "2024-2034" or "2024".
func ParsePeriod(s string) (Period, error) {
	if m := oewsPeriod.FindStringSubmatch(s); m != nil {
		y, _ := strconv.Atoi(m[1])
		return Period{Kind: PeriodOEWS, StartYear: y, EndYear: y}, nil
	}
	if m := projectionPeriod.FindStringSubmatch(s); m != nil {
		a, _ := strconv.Atoi(m[1])
		b, _ := strconv.Atoi(m[2])
		if b <= a {
			return Period{}, fmt.Errorf("period %q ends before it starts", s)
		}
		return Period{Kind: PeriodProjection, StartYear: a, EndYear: b}, nil
	}
	if m := yearPeriod.FindStringSubmatch(s); m != nil {
		y, _ := strconv.Atoi(m[1])
		return Period{Kind: PeriodYear, StartYear: y, EndYear: y}, nil
	}
	return Period{}, fmt.Errorf("period %q is not \"May YYYY\", \"YYYY-YYYY\" or \"YYYY\"", s)
}

// ShortLabel writes a projection the way BLS does ("2024-34"); other kinds as is.
func (p Period) ShortLabel() string {
	switch p.Kind {
	case PeriodOEWS:
		return fmt.Sprintf("May %d", p.StartYear)
	case PeriodProjection:
		if p.StartYear/100 == p.EndYear/100 {
			return fmt.Sprintf("%d-%02d", p.StartYear, p.EndYear%100)
		}
		return fmt.Sprintf("%d-%d", p.StartYear, p.EndYear)
	case PeriodYear:
		return strconv.Itoa(p.StartYear)
	}
	return ""
}

// PeriodLess orders period strings chronologically (by start year, then end
// year); strings that do not parse sort last, alphabetically.
func PeriodLess(a, b string) bool {
	pa, ea := ParsePeriod(a)
	pb, eb := ParsePeriod(b)
	switch {
	case ea != nil && eb != nil:
		return a < b
	case ea != nil:
		return false
	case eb != nil:
		return true
	}
	if pa.StartYear != pb.StartYear {
		return pa.StartYear < pb.StartYear
	}
	return pa.EndYear < pb.EndYear
}

// ShortPeriod is ParsePeriod(s).ShortLabel(), or s itself when it does not parse.
func ShortPeriod(s string) string {
	p, err := ParsePeriod(s)
	if err != nil {
		return s
	}
	return p.ShortLabel()
}
