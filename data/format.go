package data

import (
	"strconv"
	"strings"
)

// GroupThousands formats v with comma separators and the given decimals
// (-1: as many as needed): 61890 → "61,890". Pages and citations both
// write figures this way.
func GroupThousands(v float64, decimals int) string {
	s := strconv.FormatFloat(v, 'f', decimals, 64)
	sign := ""
	if strings.HasPrefix(s, "-") {
		sign, s = "-", s[1:]
	}
	intPart, frac, hasFrac := strings.Cut(s, ".")
	var b strings.Builder
	for i, r := range intPart {
		if i > 0 && (len(intPart)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(r)
	}
	if hasFrac {
		b.WriteString("." + frac)
	}
	return sign + b.String()
}

// FormatAmount writes a number in its unit the way people read it: "$61,890"
// (USD per year), "$29.22" (USD per hour), "1.7%" (percents), "351,200"
// (counts and everything else). unitShown says whether the unit is in the
// text already, so a caller may add its words to a bare count.
func FormatAmount(v float64, unit string) (text string, unitShown bool) {
	switch unit {
	case "USD per year":
		return "$" + GroupThousands(v, 0), true
	case "USD per hour":
		return "$" + GroupThousands(v, 2), true
	case "percent", "percent of occupation employment", "percent of industry employment":
		return strconv.FormatFloat(v, 'f', -1, 64) + "%", true
	}
	return GroupThousands(v, -1), false
}
