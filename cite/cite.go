// Package cite writes citations for the figures and charts labdash shows, in
// APA 7, MLA 9, Chicago (bibliography entry), BibTeX and a plain sentence.
//
// A citation names the original source (the BLS program and release, derived
// from the figure's measure and period), the occupation and its SOC code, the
// figure with its unit and period, the page it was read on with its tier when
// that is not primary, this dashboard's snapshot and the snapshot-pinned URL,
// so that it still points at the same number next year.
//
// Every citation is plain text: nothing here builds HTML, and callers escape
// it for wherever they put it (HTML, CSV, JSON). Only the BibTeX style escapes,
// for TeX, because a .bib entry is its own syntax.
package cite

import (
	"time"

	"github.com/labdash/labdash/data"
)

// Context is what a citation says about this dashboard.
type Context struct {
	Snapshot   data.Snapshot // id, created time
	PinnedURL  string        // absolute URL of the snapshot-pinned page the figure is shown on, e.g. "https://labdash.example.edu/s/7/occupation?code=29-2010"
	AccessedAt time.Time     // the retrieval date to state; zero: see AccessDate
	SiteName   string        // "labdash" when empty
}

// Citation is one citation of a figure or chart in one style.
type Citation struct {
	Style string // "apa", "mla", "chicago", "bibtex", "text"
	Text  string
}

// Style names, in the order ForObservation and ForChart return them.
const (
	StyleAPA     = "apa"
	StyleMLA     = "mla"
	StyleChicago = "chicago"
	StyleBibTeX  = "bibtex"
	StyleText    = "text"
)

// Styles lists every style, in the order citations are returned.
var Styles = []string{StyleAPA, StyleMLA, StyleChicago, StyleBibTeX, StyleText}

// KnownStyle reports whether s is one of Styles.
func KnownStyle(s string) bool {
	for _, k := range Styles {
		if k == s {
			return true
		}
	}
	return false
}

// Author is the corporate author of every figure: secondary pages only quote
// BLS, so the figure is still attributed to it.
const Author = "U.S. Bureau of Labor Statistics"

const defaultSiteName = "labdash"

// AccessDate is the retrieval date a citation of o states: when the figure
// was retrieved from its source. It is zero, and the citation states no
// retrieval date, when that is unknown (the built-in reference figures do not
// record it): the snapshot's date would claim a visit nobody made.
func AccessDate(o data.Observation, _ data.Snapshot) time.Time {
	return o.RetrievedAt
}

// ForObservation returns the citations of one figure in every style, in
// Styles order.
func ForObservation(o data.Observation, c Context) []Citation {
	if c.AccessedAt.IsZero() {
		c.AccessedAt = AccessDate(o, c.Snapshot)
	}
	return render(observationWork(o, c), c)
}

// ForChart returns the citations of a chart built from several figures, in
// every style, in Styles order. It names every distinct BLS release, the
// occupations and their codes, and every page the figures were read on with
// its tier when that is not primary. With a zero c.AccessedAt it states the
// latest retrieval date of the figures.
func ForChart(title string, obs []data.Observation, c Context) []Citation {
	if c.AccessedAt.IsZero() {
		for _, o := range obs {
			if d := AccessDate(o, c.Snapshot); d.After(c.AccessedAt) {
				c.AccessedAt = d
			}
		}
	}
	return render(chartWork(title, obs, c), c)
}

// Style returns the citation in that style.
func Style(cs []Citation, style string) (Citation, bool) {
	for _, c := range cs {
		if c.Style == style {
			return c, true
		}
	}
	return Citation{}, false
}

func render(w work, c Context) []Citation {
	if c.SiteName == "" {
		c.SiteName = defaultSiteName
	}
	return []Citation{
		{StyleAPA, apa(w, c)},
		{StyleMLA, mla(w, c)},
		{StyleChicago, chicago(w, c)},
		{StyleBibTeX, bibtex(w, c)},
		{StyleText, plainText(w, c)},
	}
}
