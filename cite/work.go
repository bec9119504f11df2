package cite

import (
	"fmt"
	"sort"
	"strconv"
	"strings"

	"github.com/labdash/labdash/data"
)

// work is what every style says about one cited thing (a figure or a chart),
// already worded; the styles only order and punctuate it.
type work struct {
	kind    string   // "Data set" or "Chart", APA's bracketed description
	title   string   // sentence case, no final period
	lead    string   // the text style's opening: the figure sentence, or the chart's title and summary
	detail  string   // the figure sentence, or the releases and occupations of a chart; ends with "."
	release string   // the BLS release of a single figure; "" for a chart
	years   string   // BLS publication year(s), "" when unknown
	reads   []readOn // the pages the figures were read on
	key     string   // BibTeX key
}

// readOn is a page figures were read on.
type readOn struct {
	title string
	url   string
	tier  data.Tier
}

// tierPhrase says how directly a figure was read from BLS; "" for primary.
func tierPhrase(t data.Tier) string {
	switch t {
	case data.TierPrimary, "":
		return ""
	case data.TierPrimaryArchived:
		return "archived copy: a bls.gov page read through a web archive"
	case data.TierResavedCopy:
		return "re-saved copy: a BLS workbook re-saved by a third party, its cells matching BLS's"
	case data.TierGithubCopy:
		return "copy: a BLS table copied into a public repository"
	case data.TierSecondary:
		return "secondary source: a third-party page quoting BLS"
	}
	return "source tier: " + clean(string(t))
}

// phrase writes `read on "Title" (tier), URL`, leaving out what is unknown;
// "" when nothing is known.
func (r readOn) phrase(withURL bool) string {
	s := ""
	switch {
	case r.title != "":
		s = `read on "` + r.title + `"`
	case withURL && r.url != "":
		s, withURL = "read at "+r.url, false
	}
	if t := tierPhrase(r.tier); t != "" {
		if s == "" {
			s = t
		} else {
			s += " (" + t + ")"
		}
	}
	if withURL && r.url != "" {
		s += ", " + r.url
	}
	return s
}

// release names the BLS program and release a figure comes from, and the
// year BLS published it: OEWS estimates for May of year Y appear the next
// spring, EP projections and base-year counts for Y the next autumn.
func release(measure data.Measure, period string) (name string, published int) {
	p, err := data.ParsePeriod(period)
	if err != nil {
		return "", 0
	}
	switch p.Kind {
	case data.PeriodOEWS:
		return "Occupational Employment and Wage Statistics (OEWS), " + p.ShortLabel(), p.StartYear + 1
	case data.PeriodProjection:
		return "Employment Projections " + p.ShortLabel(), p.StartYear + 1
	case data.PeriodYear:
		if measure == data.MeasureEmployment {
			return fmt.Sprintf("Employment Projections, base-year %d employment", p.StartYear), p.StartYear + 1
		}
		return fmt.Sprintf("Employment Projections, National Employment Matrix %d", p.StartYear), p.StartYear + 1
	}
	return "", 0
}

// Release names the BLS program and release a figure comes from, as every
// citation does: "Occupational Employment and Wage Statistics (OEWS), May
// 2024", "Employment Projections 2024-34". It is "" when the period does not
// say.
func Release(o data.Observation) string {
	name, _ := release(o.Measure, o.Period)
	return name
}

func observationWork(o data.Observation, c Context) work {
	rel, year := release(o.Measure, o.Period)
	subject := occupationTitle(o) + soc(o.OccupationCode) + place(o)
	title := subject
	if rel != "" {
		title = rel + ": " + subject
	}
	sentence := figureSentence(o)
	w := work{
		kind:    "Data set",
		title:   title,
		lead:    sentence,
		detail:  sentence,
		release: rel,
		reads:   []readOn{{clean(o.SourceTitle), clean(o.SourceURL), o.Tier}},
		key:     observationKey(o, c.Snapshot.ID),
	}
	if year > 0 {
		w.years = strconv.Itoa(year)
	}
	return w
}

// figureSentence is the figure in the plain-sentence style: "Median annual
// wage of clinical laboratory technologists and technicians (SOC 29-2010):
// $61,890, May 2024."
func figureSentence(o data.Observation) string {
	s := o.Measure.Label() + " of " + lowerFirst(occupationTitle(o)) + soc(o.OccupationCode) + place(o) +
		": " + formatFigure(o)
	if o.Period != "" {
		s += ", " + clean(data.ShortPeriod(o.Period))
	}
	return s + "."
}

// occupationTitle quotes the title the figure's source gave, unlike the
// pages (data.OccupationTitle), which word known codes one way: a citation
// says what was published; labdash's title only when the source gave none.
func occupationTitle(o data.Observation) string {
	known, isKnown := data.OccupationTitles[o.OccupationCode]
	t := clean(o.OccupationTitle)
	switch {
	case isKnown && (t == "" || strings.EqualFold(t, known)):
		// The same title, as BLS's workbooks capitalise it or not: the
		// known one is in sentence case and reads well inside a sentence.
		return known
	case t != "":
		return t
	}
	return "Occupation"
}

func soc(code string) string {
	if code = clean(code); code == "" {
		return ""
	}
	return " (SOC " + code + ")"
}

// place names the area and work setting of a figure that is not national
// and cross-industry.
func place(o data.Observation) string {
	s := ""
	if o.AreaCode != data.NationalAreaCode && (o.AreaCode != "" || o.AreaTitle != "") {
		if t := clean(o.AreaTitle); t != "" && t != data.NationalAreaTitle {
			s += " in " + t
		} else if t == "" {
			s += " in area " + clean(o.AreaCode)
		}
	}
	if !o.CrossIndustry() {
		t, code := clean(o.IndustryTitle), clean(o.IndustryCode)
		switch {
		case t != "" && code != "":
			s += ", work setting " + t + " (industry " + code + ")"
		case t != "":
			s += ", work setting " + t
		default:
			s += ", industry " + code
		}
	}
	return s
}

func chartWork(title string, obs []data.Observation, c Context) work {
	title = clean(title)
	if title == "" {
		title = "Chart"
	}
	p := gatherChart(obs)
	var occNames []string
	for _, o := range p.occupations {
		occNames = append(occNames, lowerFirst(occupationTitle(o))+soc(o.OccupationCode))
	}
	detail := fmt.Sprintf("%s from %s", plural(len(obs), "figure", "figures"), orNone(p.releases, "no named BLS release"))
	if len(occNames) > 0 {
		detail += ", for " + strings.Join(occNames, "; ")
	}
	detail += "."
	if p.missing > 0 {
		detail += fmt.Sprintf(" %s not available.", plural(p.missing, "figure was", "figures were"))
	}
	if via := Intermediaries(obs); len(via) > 0 {
		detail += " " + upperFirst(strings.Join(via, "; ")) + "."
	}
	return work{
		kind:   "Chart",
		title:  title,
		lead:   title + ". " + detail,
		detail: detail,
		years:  yearSpan(p.years),
		reads:  p.reads,
		key:    chartKey(title, c.Snapshot.ID),
	}
}

// chartParts are the distinct releases, occupations and pages of a chart's
// figures, each sorted so that the citation does not depend on the order the
// chart happened to list its figures in.
type chartParts struct {
	releases    []string
	years       []int
	occupations []data.Observation // one figure per distinct code and title
	reads       []readOn
	missing     int // figures without a number
}

func gatherChart(obs []data.Observation) chartParts {
	type rel struct {
		name, period string
		year         int
	}
	var (
		p        chartParts
		releases []rel
		seen     = map[string]bool{}
	)
	for _, o := range obs {
		if name, year := release(o.Measure, o.Period); name != "" && !seen["r|"+name] {
			seen["r|"+name] = true
			releases = append(releases, rel{name, o.Period, year})
		}
		if k := "o|" + o.OccupationCode + "|" + occupationTitle(o); !seen[k] {
			seen[k] = true
			p.occupations = append(p.occupations, o)
		}
		r := readOn{clean(o.SourceTitle), clean(o.SourceURL), o.Tier}
		if k := fmt.Sprintf("s|%q|%q|%q", r.title, r.url, r.tier); !seen[k] {
			seen[k] = true
			p.reads = append(p.reads, r)
		}
		if !o.IsText() && o.Value == nil {
			p.missing++
		}
	}
	sort.SliceStable(releases, func(i, j int) bool {
		if a, b := releases[i].period, releases[j].period; a != b {
			return data.PeriodLess(a, b)
		}
		return releases[i].name < releases[j].name
	})
	for _, r := range releases {
		p.releases = append(p.releases, r.name)
		p.years = append(p.years, r.year)
	}
	sort.SliceStable(p.occupations, func(i, j int) bool {
		a, b := p.occupations[i], p.occupations[j]
		if a.OccupationCode != b.OccupationCode {
			return a.OccupationCode < b.OccupationCode
		}
		return occupationTitle(a) < occupationTitle(b)
	})
	sort.SliceStable(p.reads, func(i, j int) bool {
		a, b := p.reads[i], p.reads[j]
		if a.tier.Rank() != b.tier.Rank() {
			return a.tier.Rank() < b.tier.Rank()
		}
		if a.title != b.title {
			return a.title < b.title
		}
		return a.url < b.url
	})
	return p
}

func plural(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return strconv.Itoa(n) + " " + many
}

func orNone(list []string, none string) string {
	if len(list) == 0 {
		return none
	}
	return strings.Join(list, "; ")
}

// yearSpan is "2025", "2024-2025", or "" when no year is known.
func yearSpan(years []int) string {
	lo, hi := 0, 0
	for _, y := range years {
		if y == 0 {
			continue
		}
		if lo == 0 || y < lo {
			lo = y
		}
		if y > hi {
			hi = y
		}
	}
	switch {
	case lo == 0:
		return ""
	case lo == hi:
		return strconv.Itoa(lo)
	}
	return fmt.Sprintf("%d-%d", lo, hi)
}
