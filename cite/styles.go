package cite

import (
	"strconv"
	"strings"
	"time"
)

// The reference styles follow APA 7 (data set with a group author), MLA 9
// and Chicago 17 bibliography entries as closely as a plain-text citation
// can: no italics, full URLs (a pinned link has to work when pasted), and
// the figure, the page it was read on and the snapshot added as sentences
// after the reference proper, because a citation of labdash must still point
// at the same number next year.

// apa: Author. (Year). Title [Data set]. Figure. Read on "Page". Retrieved
// Month D, YYYY, from URL. Shown in labdash snapshot N (published ...): URL
func apa(w work, c Context) string {
	year := w.years
	if year == "" {
		year = "n.d."
	}
	var b strings.Builder
	b.WriteString(Author + ". (" + year + "). " + w.title + " [" + w.kind + "]. " + w.detail)
	url := ""
	if len(w.reads) == 1 {
		url = w.reads[0].url
	}
	writeReads(&b, w.reads, url == "")
	switch {
	case !c.AccessedAt.IsZero() && url != "":
		b.WriteString(" Retrieved " + longDate(c.AccessedAt) + ", from " + url + ".")
	case !c.AccessedAt.IsZero():
		b.WriteString(" Retrieved " + longDate(c.AccessedAt) + ".")
	case url != "":
		b.WriteString(" " + url + ".")
	}
	b.WriteString(" " + shownIn(c, longDate, false, ": "))
	return b.String()
}

// mla: Author. Title. Year. Figure. Read on "Page", URL. Accessed D Mon.
// YYYY. Shown in labdash, snapshot N, D Mon. YYYY, URL.
func mla(w work, c Context) string {
	var b strings.Builder
	b.WriteString(Author + ". " + titleCase(w.title) + ".")
	if w.years != "" {
		b.WriteString(" " + w.years + ".")
	}
	b.WriteString(" " + w.detail)
	writeReads(&b, w.reads, true)
	if !c.AccessedAt.IsZero() {
		b.WriteString(" Accessed " + mlaDate(c.AccessedAt) + ".")
	}
	b.WriteString(" " + shownIn(c, mlaDate, true, ", ") + ".")
	return b.String()
}

// chicago: Author. Title. Year. Figure. Read on "Page". Accessed Month D,
// YYYY. URL. Shown in labdash, snapshot N, Month D, YYYY. URL.
func chicago(w work, c Context) string {
	var b strings.Builder
	b.WriteString(Author + ". " + titleCase(w.title) + ".")
	if w.years != "" {
		b.WriteString(" " + w.years + ".")
	}
	b.WriteString(" " + w.detail)
	url := ""
	if len(w.reads) == 1 {
		url = w.reads[0].url
	}
	writeReads(&b, w.reads, url == "")
	if !c.AccessedAt.IsZero() {
		b.WriteString(" Accessed " + longDate(c.AccessedAt) + ".")
	}
	if url != "" {
		b.WriteString(" " + url + ".")
	}
	b.WriteString(" " + shownIn(c, longDate, true, ". ") + ".")
	return b.String()
}

// plainText: Figure. Source: U.S. Bureau of Labor Statistics, release, read
// on "Page" (tier), URL, retrieved Month D, YYYY. Shown in labdash snapshot
// N (published Month D, YYYY): URL
func plainText(w work, c Context) string {
	var b strings.Builder
	b.WriteString(w.lead + " Source: " + Author)
	sep := "; "
	if w.release != "" {
		b.WriteString(", " + w.release)
		sep = ", "
	}
	for _, r := range w.reads {
		if p := r.phrase(true); p != "" {
			b.WriteString(sep + p)
		}
	}
	if !c.AccessedAt.IsZero() {
		b.WriteString(sep + "retrieved " + longDate(c.AccessedAt))
	}
	b.WriteString(". " + shownIn(c, longDate, false, ": "))
	return b.String()
}

// writeReads adds the pages the figures were read on as one sentence.
func writeReads(b *strings.Builder, reads []readOn, withURL bool) {
	var parts []string
	for _, r := range reads {
		if p := r.phrase(withURL); p != "" {
			parts = append(parts, p)
		}
	}
	if len(parts) > 0 {
		b.WriteString(" " + upperFirst(strings.Join(parts, "; ")) + ".")
	}
}

// shownIn names this dashboard's snapshot, its publication date and the
// pinned URL after urlSep: "Shown in labdash snapshot 7 (published June 1,
// 2025)" or, as a list for MLA and Chicago, "Shown in labdash, snapshot 7,
// June 1, 2025". It has no final period: APA and the text style end on the URL.
func shownIn(c Context, date func(time.Time) string, list bool, urlSep string) string {
	site := clean(c.SiteName)
	if site == "" {
		site = defaultSiteName
	}
	id := strconv.FormatInt(c.Snapshot.ID, 10)
	created := !c.Snapshot.CreatedAt.IsZero()
	var s string
	switch {
	case list && created:
		s = "Shown in " + site + ", snapshot " + id + ", " + date(c.Snapshot.CreatedAt)
	case list:
		s = "Shown in " + site + ", snapshot " + id
	case created:
		s = "Shown in " + site + " snapshot " + id + " (published " + date(c.Snapshot.CreatedAt) + ")"
	default:
		s = "Shown in " + site + " snapshot " + id
	}
	if u := clean(c.PinnedURL); u != "" {
		s += urlSep + u
	}
	return s
}
