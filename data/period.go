package data

import (
	"fmt"
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

// Period is a parsed period string.
type Period struct {
	Kind      PeriodKind
	StartYear int // the year of an OEWS or base-year period, the base year of a projection
	EndYear   int // the projected year; equal to StartYear otherwise
}

// ParsePeriod reads "May 2024", "2024-2034" or "2024". It runs for every
// figure checked and stored, so it reads bytes rather than a regexp.
func ParsePeriod(s string) (Period, error) {
	switch {
	case len(s) == 8 && s[:4] == "May " && isYear(s[4:]):
		y := year(s[4:])
		return Period{Kind: PeriodOEWS, StartYear: y, EndYear: y}, nil
	case len(s) == 9 && isYear(s[:4]) && s[4] == '-' && isYear(s[5:]):
		a, b := year(s[:4]), year(s[5:])
		if b <= a {
			return Period{}, fmt.Errorf("period %q ends before it starts", s)
		}
		return Period{Kind: PeriodProjection, StartYear: a, EndYear: b}, nil
	case len(s) == 4 && isYear(s):
		y := year(s)
		return Period{Kind: PeriodYear, StartYear: y, EndYear: y}, nil
	}
	return Period{}, fmt.Errorf("period %q is not \"May YYYY\", \"YYYY-YYYY\" or \"YYYY\"", s)
}

// isYear reports whether s is four ASCII digits.
func isYear(s string) bool {
	if len(s) != 4 {
		return false
	}
	for i := range 4 {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// year reads four ASCII digits.
func year(s string) int {
	return int(s[0]-'0')*1000 + int(s[1]-'0')*100 + int(s[2]-'0')*10 + int(s[3]-'0')
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
