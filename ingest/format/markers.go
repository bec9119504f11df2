package format

import (
	"strconv"
	"strings"

	"github.com/labdash/labdash/ingest/fileerr"

	"github.com/labdash/labdash/data"
)

// A value cell of a BLS file holds a number or a marker. A marker is never
// read as zero: it becomes a flag with no value, except a top-code with its
// cap (">=239,200"), where the cap is the value.

// numberCell is what one value cell says.
type numberCell struct {
	value    float64
	hasValue bool
	flag     data.Flag
	blank    bool // the cell was empty; callers decide whether that is allowed
}

// cellMarkers are the markers BLS writes in place of a number
// (docs/DATA.md): dashes for "not available" (the EP tables use an em dash),
// "*" and "**" for wages and employment not available, "#" for a wage at or
// above the top-code cap, "~" for under 0.5% of establishments reporting.
var cellMarkers = map[string]data.Flag{
	"-": data.FlagNotAvailable, "–": data.FlagNotAvailable, "—": data.FlagNotAvailable,
	"*": data.FlagNotAvailable, "**": data.FlagNotAvailable,
	"n/a": data.FlagNotAvailable, "N/A": data.FlagNotAvailable,
	"#": data.FlagTopCoded,
	"~": data.FlagLowReporting,
}

// markerList is shown in errors so the user knows what would have been read.
const markerList = "-, *, **, #, ~ or >=cap"

// readNumberCell reads one value cell: a number (thousands separators and a
// leading "$" allowed), a marker, a top-code with its cap (">=239,200",
// "≥239,200"), or blank.
func readNumberCell(cell string) (numberCell, error) {
	s := strings.TrimSpace(cell)
	if s == "" {
		return numberCell{flag: data.FlagNotAvailable, blank: true}, nil
	}
	if f, ok := cellMarkers[s]; ok {
		return numberCell{flag: f}, nil
	}
	top := false
	for _, p := range []string{">=", "≥", "> =", ">"} {
		if rest, ok := strings.CutPrefix(s, p); ok {
			s, top = strings.TrimSpace(rest), true
			break
		}
	}
	v, ok := parseDecimal(strings.TrimPrefix(s, "$"))
	if !ok {
		// Cloned so that cell, often converted from a line buffer, need not escape.
		return numberCell{}, fileerr.New(fileerr.ErrValueUnreadable, "the value %q is neither a number nor a BLS marker (%s)",
			strings.Clone(strings.TrimSpace(cell)), markerList)
	}
	c := numberCell{value: v, hasValue: true}
	if top {
		c.flag = data.FlagTopCoded
	}
	return c, nil
}

// parseDecimal reads a plain decimal number: an optional sign, digits with
// optional comma grouping by three, an optional fraction. It refuses what
// strconv.ParseFloat would also take but no BLS file means: NaN, Inf, hex,
// exponents, underscores, badly grouped commas ("1,23").
func parseDecimal(s string) (float64, bool) {
	i := 0
	if i < len(s) && (s[i] == '-' || s[i] == '+') {
		i++
	}
	digits, groupLen, commas := 0, 0, false
	for ; i < len(s); i++ {
		c := s[i]
		if c >= '0' && c <= '9' {
			digits++
			groupLen++
			continue
		}
		if c == ',' {
			if digits == 0 || (commas && groupLen != 3) || (!commas && groupLen > 3) {
				return 0, false
			}
			commas, groupLen = true, 0
			continue
		}
		break
	}
	if commas && groupLen != 3 {
		return 0, false
	}
	if i < len(s) && s[i] == '.' {
		i++
		frac := 0
		for ; i < len(s) && s[i] >= '0' && s[i] <= '9'; i++ {
			frac++
		}
		digits += frac
	}
	if digits == 0 || i != len(s) {
		return 0, false
	}
	if commas {
		s = strings.ReplaceAll(s, ",", "")
	}
	v, err := strconv.ParseFloat(s, 64)
	return v, err == nil
}

// textMissing reports whether a text cell (education, training) says
// "nothing published" rather than a value.
func textMissing(cell string) bool {
	s := strings.TrimSpace(cell)
	if s == "" {
		return true
	}
	f, ok := cellMarkers[s]
	return ok && f == data.FlagNotAvailable
}

// OEWS footnote codes that qualify a value (docs/DATA.md); the others
// (annual wages computed from hourly ones, RSE definitions, …) only explain.
const (
	oeFootnoteTopCoded    = "5" // "This wage is equal to or greater than $115.00 per hour or $239,200 per year"
	oeFootnoteNotReleased = "8" // "Estimate not released"
)

// oeFootnoteFlag classifies an OEWS footnote by its code and, when oe.footnote
// was given, by its text, so a code renumbered in a later release is still
// read by what it says.
func oeFootnoteFlag(code, text string) data.Flag {
	t := strings.ToLower(text)
	switch {
	case strings.Contains(t, "equal to or greater than") || strings.Contains(t, "top-coded") || strings.Contains(t, "top coded"):
		return data.FlagTopCoded
	case strings.Contains(t, "not released"):
		return data.FlagNotReleased
	case strings.Contains(t, "less than 0.5 percent") || strings.Contains(t, "fewer than 0.5"):
		return data.FlagLowReporting
	case strings.Contains(t, "not available"):
		return data.FlagNotAvailable
	case text != "":
		return data.FlagNone
	case code == oeFootnoteTopCoded:
		return data.FlagTopCoded
	case code == oeFootnoteNotReleased:
		return data.FlagNotReleased
	}
	return data.FlagNone
}

// combineFlags merges a cell's marker with a footnote's flag: the more
// specific wins ("not released" over a bare "-"), and only a top-code keeps
// its number (the cap); any other flag drops it.
func combineFlags(cell numberCell, footnote data.Flag) numberCell {
	switch {
	case footnote == data.FlagNone:
	case footnote == data.FlagNotAvailable && cell.hasValue:
		// A number is there: the footnote speaks of something else.
	case cell.flag == data.FlagNone || cell.flag == data.FlagNotAvailable:
		cell.flag = footnote
	}
	if cell.flag != data.FlagNone && cell.flag != data.FlagTopCoded {
		cell.hasValue, cell.value = false, 0
	}
	return cell
}

// oeFootnote is what a footnote_codes cell means for a value.
type oeFootnote struct {
	flag data.Flag
	note string
}

// footnote reads a footnote_codes cell (one code, or several separated by
// commas or spaces) and returns its index in p.footnotes, reading each
// distinct cell once.
func (p *oeParser) footnote(cell []byte) int32 {
	if i, ok := p.footnotes.index[string(cell)]; ok {
		return i
	}
	var fn oeFootnote
	var notes []string
	for _, code := range strings.FieldsFunc(string(cell), func(r rune) bool { return r == ',' || r == ' ' }) {
		text := p.footnoteTx[code]
		flag := oeFootnoteFlag(code, text)
		if flagRank(flag) > flagRank(fn.flag) {
			fn.flag = flag
		}
		switch {
		case text != "":
			notes = append(notes, "OEWS footnote "+code+": "+text)
		case flag == data.FlagNone:
			notes = append(notes, "OEWS footnote "+code)
		}
	}
	fn.note = strings.Join(notes, "; ")
	return p.footnotes.add(string(cell), fn)
}

// flagRank orders flags from two footnotes on one value: the one that says
// most about the number wins.
func flagRank(f data.Flag) int {
	switch f {
	case data.FlagNotReleased:
		return 4
	case data.FlagTopCoded:
		return 3
	case data.FlagLowReporting:
		return 2
	case data.FlagNotAvailable:
		return 1
	}
	return 0
}
