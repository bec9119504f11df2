package cite

import (
	"fmt"
	"strings"

	"github.com/labdash/labdash/data"
)

// bibtex writes an @misc entry. Every string from data goes through texText
// or texURL, so a title can neither close its field nor start a command.
func bibtex(w work, c Context) string {
	var note strings.Builder
	note.WriteString(texText(w.detail))
	var urls []string
	for _, r := range w.reads {
		if r.url != "" {
			urls = append(urls, r.url)
		}
	}
	howpublished := ""
	if len(w.reads) == 1 && len(urls) == 1 {
		// One page: it is the entry's URL, and the note only names it.
		howpublished = urls[0]
		if p := w.reads[0].phrase(false); p != "" {
			note.WriteString(" " + texText(upperFirst(p)+"."))
		}
	} else {
		var parts []string
		for _, r := range w.reads {
			p := texText(r.phrase(false))
			if r.url != "" {
				if p == "" {
					p = "read at"
				} else {
					p += ","
				}
				p += ` \url{` + texURL(r.url) + `}`
			}
			if p != "" {
				parts = append(parts, p)
			}
		}
		if len(parts) > 0 {
			note.WriteString(" " + upperFirst(strings.Join(parts, "; ")) + ".")
		}
	}
	note.WriteString(" " + texText(shownIn(Context{Snapshot: c.Snapshot, SiteName: c.SiteName}, isoDate, false, "")))
	if u := clean(c.PinnedURL); u != "" {
		note.WriteString(`: \url{` + texURL(u) + `}`)
	}
	note.WriteString(".")
	if !c.AccessedAt.IsZero() {
		note.WriteString(" Retrieved " + isoDate(c.AccessedAt) + ".")
	}

	var b strings.Builder
	b.WriteString("@misc{" + w.key + ",\n")
	field := func(name, value string) {
		fmt.Fprintf(&b, "  %-12s = {%s},\n", name, value)
	}
	field("author", "{"+texText(Author)+"}") // braced: a corporate author, not "Statistics, U.S. Bureau of Labor"
	field("title", "{"+protectGroup(texText(w.title))+"}")
	if howpublished != "" {
		field("howpublished", `\url{`+texURL(howpublished)+`}`)
	}
	if w.years != "" {
		field("year", strings.ReplaceAll(w.years, "-", "--"))
	}
	field("note", note.String())
	if !c.AccessedAt.IsZero() {
		field("urldate", isoDate(c.AccessedAt))
	}
	b.WriteString("}")
	return b.String()
}

// texReplacements escapes TeX's special characters. Braces become commands
// rather than \{ and \}: BibTeX counts \{ as an opening brace, so an escaped
// brace would still unbalance the field.
var texReplacements = map[rune]string{
	'\\': `\textbackslash{}`,
	'{':  `\textbraceleft{}`,
	'}':  `\textbraceright{}`,
	'&':  `\&`,
	'%':  `\%`,
	'$':  `\$`,
	'#':  `\#`,
	'_':  `\_`,
	'~':  `\textasciitilde{}`,
	'^':  `\textasciicircum{}`,
	'<':  `\textless{}`,
	'>':  `\textgreater{}`,
}

// texText makes plain text safe inside a brace-delimited BibTeX field.
func texText(s string) string {
	var b strings.Builder
	for _, r := range clean(s) {
		if rep, ok := texReplacements[r]; ok {
			b.WriteString(rep)
		} else {
			b.WriteRune(r)
		}
	}
	return b.String()
}

// protectGroup keeps a double-braced title protected from case changes:
// BibTeX treats a group that starts with a backslash as a "special
// character" whose letters it may change, so such a title gets an empty
// group in front.
func protectGroup(s string) string {
	if strings.HasPrefix(s, `\`) {
		return "{}" + s
	}
	return s
}

// texURL makes a URL safe inside \url{...}: bytes that could end the group
// or are not URL characters are percent-encoded, then % and # are escaped as
// hyperref asks for \url in arguments.
func texURL(u string) string {
	var b strings.Builder
	for _, c := range []byte(clean(u)) {
		switch {
		case c <= ' ' || c >= 0x7f || strings.IndexByte(`{}\^"<>|`+"`", c) >= 0:
			fmt.Fprintf(&b, "%%%02X", c)
		default:
			b.WriteByte(c)
		}
	}
	return strings.NewReplacer("%", `\%`, "#", `\#`).Replace(b.String())
}

// observationKey is a stable BibTeX key, e.g.
// labdash_s7_29-2010_median_annual_wage_2024.
func observationKey(o data.Observation, snapshot int64) string {
	parts := []string{fmt.Sprintf("labdash_s%d", snapshot), o.OccupationCode, string(o.Measure)}
	if p, err := data.ParsePeriod(o.Period); err == nil {
		switch p.Kind {
		case data.PeriodOEWS:
			parts = append(parts, fmt.Sprint(p.StartYear))
		case data.PeriodProjection:
			parts = append(parts, fmt.Sprintf("%d-%d", p.StartYear, p.EndYear))
		case data.PeriodYear:
			parts = append(parts, fmt.Sprintf("base%d", p.StartYear)) // apart from the OEWS key of that year
		}
	} else {
		parts = append(parts, o.Period)
	}
	if o.AreaCode != data.NationalAreaCode && o.AreaCode != "" {
		parts = append(parts, "a"+o.AreaCode)
	}
	if !o.CrossIndustry() {
		parts = append(parts, "i"+strings.TrimPrefix(data.IndustryKey(o.IndustryCode, o.IndustryTitle), "title:"))
	}
	var kept []string
	for _, p := range parts {
		if p = keySafe(p); p != "" {
			kept = append(kept, p)
		}
	}
	return strings.Join(kept, "_")
}

// chartKey is labdash_s7_ plus the chart title in lower case, shortened.
func chartKey(title string, snapshot int64) string {
	slug := strings.ToLower(keySafe(title))
	if len(slug) > 48 {
		slug = strings.TrimRight(slug[:48], "_-")
	}
	if slug == "" {
		slug = "chart"
	}
	return fmt.Sprintf("labdash_s%d_%s", snapshot, slug)
}

// keySafe keeps ASCII letters, digits and hyphens, turns every other run of
// characters into one underscore, and trims underscores at the ends.
func keySafe(s string) string {
	var b strings.Builder
	under := false
	for _, r := range s {
		switch {
		case r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z', r >= '0' && r <= '9', r == '-':
			b.WriteRune(r)
			under = false
		case !under:
			b.WriteByte('_')
			under = true
		}
	}
	return strings.Trim(b.String(), "_")
}
