package cite

import (
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/labdash/labdash/data"
)

// formatFigure writes the figure for people: "$61,890", "$29.22", "1.7%",
// "351,200 jobs", or the flag's words when there is no number, never "0".
//
// The amount is written by data.FormatAmount, as on the pages; a citation
// adds the unit's words to counts and says "or more" rather than "≥" so that
// it reads as a sentence.
func formatFigure(o data.Observation) string {
	if o.IsText() {
		if t := clean(o.Text); t != "" {
			return t
		}
		return o.Absent()
	}
	if o.Value == nil {
		return o.Absent()
	}
	v := *o.Value
	s, shown := data.FormatAmount(v, o.Unit)
	if u := o.Unit.Label(); !shown && u != "" {
		s += " " + u
	}
	switch o.Flag {
	case data.FlagNone:
	case data.FlagTopCoded:
		s += " or more (top-coded)"
	default:
		s += " (" + o.Flag.Label() + ")"
	}
	return s
}

// clean makes data text one line (data.OneLine).
func clean(s string) string { return data.OneLine(s) }

// lowerFirst lower-cases the first letter of a title for use inside a
// sentence, unless the first word is an acronym ("OEWS") or the title is in
// title case as BLS's workbooks write it ("Registered Nurses"): lowering
// only its first letter would give "registered Nurses".
func lowerFirst(s string) string {
	r, n := utf8.DecodeRuneInString(s)
	if n == 0 || !unicode.IsUpper(r) {
		return s
	}
	if r2, _ := utf8.DecodeRuneInString(s[n:]); unicode.IsUpper(r2) {
		return s
	}
	if titleCased(s) {
		return s
	}
	return string(unicode.ToLower(r)) + s[n:]
}

// titleCased reports whether a word after the first is capitalised
// ("Technologists"); acronyms ("HIV") do not count.
func titleCased(s string) bool {
	words := strings.Fields(s)
	for _, w := range words[min(1, len(words)):] {
		r, n := utf8.DecodeRuneInString(w)
		r2, _ := utf8.DecodeRuneInString(w[n:])
		if unicode.IsUpper(r) && unicode.IsLower(r2) {
			return true
		}
	}
	return false
}

func upperFirst(s string) string {
	r, n := utf8.DecodeRuneInString(s)
	if n == 0 {
		return s
	}
	return string(unicode.ToUpper(r)) + s[n:]
}

// minorWords stay lower case inside a title (Chicago 8.159, MLA 1.2).
var minorWords = map[string]bool{
	"a": true, "an": true, "the": true, "and": true, "but": true, "or": true, "nor": true,
	"for": true, "so": true, "yet": true, "as": true, "at": true, "by": true, "in": true,
	"of": true, "on": true, "to": true, "up": true, "via": true, "per": true, "from": true,
	"vs": true, "vs.": true,
}

// titleCase capitalises the principal words of a title for MLA and Chicago,
// the parts of hyphenated compounds included ("Base-Year"). It only raises
// letters, so acronyms and codes keep their case.
func titleCase(s string) string {
	words := strings.Split(s, " ")
	first := true
	for i, w := range words {
		parts := strings.Split(w, "-")
		for j, p := range parts {
			if (j > 0 || !first) && minorWords[strings.ToLower(strings.Trim(p, `"'(),.:;`))] {
				continue
			}
			parts[j] = capitalizeWord(p)
		}
		words[i] = strings.Join(parts, "-")
		first = strings.HasSuffix(w, ":")
	}
	return strings.Join(words, " ")
}

// capitalizeWord raises the first letter of w after any opening punctuation.
func capitalizeWord(w string) string {
	for i, r := range w {
		if unicode.IsLetter(r) {
			return w[:i] + string(unicode.ToUpper(r)) + w[i+utf8.RuneLen(r):]
		}
		if !strings.ContainsRune(`"'(`, r) {
			return w
		}
	}
	return w
}

// Dates, in UTC so that a citation does not depend on the server's zone.

func longDate(t time.Time) string { return t.UTC().Format("January 2, 2006") }

func isoDate(t time.Time) string { return t.UTC().Format("2006-01-02") }

// mlaDate is "20 May 2025", with MLA's abbreviations of long month names.
func mlaDate(t time.Time) string {
	t = t.UTC()
	months := [...]string{"Jan.", "Feb.", "Mar.", "Apr.", "May", "June", "July", "Aug.", "Sept.", "Oct.", "Nov.", "Dec."}
	return strconv.Itoa(t.Day()) + " " + months[t.Month()-1] + " " + strconv.Itoa(t.Year())
}
