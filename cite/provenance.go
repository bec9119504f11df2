package cite

import (
	"fmt"
	"net/url"
	"slices"
	"strings"

	"github.com/labdash/labdash/data"
)

// The short forms of BLS's programs, as source lines name them.
const (
	programOEWS = "OEWS"
	programEP   = "EP"
)

// ShortRelease names a figure's BLS release briefly, as a chart's source
// line does: "OEWS May 2024", "EP 2024-34", "EP 2019 base-year employment",
// "EP matrix 2021"; "" when the period does not say.
func ShortRelease(o data.Observation) string {
	g, ok := releaseGroupOf(o)
	if !ok {
		return ""
	}
	return g.name([]string{o.Period})
}

// releaseGroup is one program's kind of release: its figures' periods are
// named together ("OEWS May 2014 to May 2024").
type releaseGroup struct {
	order        int
	prefix, kind string // "OEWS", "" / "EP", "base-year employment"
	one, many    string // "release", "releases"
}

func releaseGroupOf(o data.Observation) (releaseGroup, bool) {
	p, err := data.ParsePeriod(o.Period)
	if err != nil {
		return releaseGroup{}, false
	}
	switch {
	case p.Kind == data.PeriodOEWS:
		return releaseGroup{0, programOEWS, "", "release", "releases"}, true
	case p.Kind == data.PeriodProjection:
		return releaseGroup{1, programEP, "", "edition", "editions"}, true
	case o.Measure == data.MeasureEmployment:
		return releaseGroup{2, programEP, "base-year employment", "year", "years"}, true
	}
	return releaseGroup{3, programEP + " matrix", "", "year", "years"}, true
}

// name writes the group with its periods, in time order: one, two joined by
// "and", more as a range with their count.
func (g releaseGroup) name(periods []string) string {
	slices.SortFunc(periods, func(a, b string) int {
		switch {
		case data.PeriodLess(a, b):
			return -1
		case data.PeriodLess(b, a):
			return 1
		}
		return 0
	})
	short := make([]string, len(periods))
	for i, p := range periods {
		short[i] = data.ShortPeriod(p)
	}
	var s string
	switch len(short) {
	case 1:
		s = short[0]
	case 2:
		s = short[0] + " and " + short[1]
	default:
		s = fmt.Sprintf("%s to %s (%d %s)", short[0], short[len(short)-1], len(short), g.many)
	}
	s = g.prefix + " " + s
	if g.kind != "" {
		s += " " + g.kind
	}
	return s
}

// Releases names the BLS releases figures come from, grouped by program,
// OEWS first: ["OEWS May 2014 to May 2024 (10 releases)", "EP 2019-29"].
func Releases(obs []data.Observation) []string {
	type group struct {
		g       releaseGroup
		periods []string
	}
	var groups []*group
	for _, o := range obs {
		g, ok := releaseGroupOf(o)
		if !ok {
			continue
		}
		i := slices.IndexFunc(groups, func(x *group) bool { return x.g == g })
		if i < 0 {
			groups = append(groups, &group{g: g})
			i = len(groups) - 1
		}
		if !slices.Contains(groups[i].periods, o.Period) {
			groups[i].periods = append(groups[i].periods, o.Period)
		}
	}
	slices.SortStableFunc(groups, func(a, b *group) int { return a.g.order - b.g.order })
	out := make([]string, len(groups))
	for i, g := range groups {
		out[i] = g.g.name(g.periods)
	}
	return out
}

// SourceLine says what figures came from, as a chart's source line:
// "Source: U.S. Bureau of Labor Statistics, OEWS May 2022. 51 of 52 figures
// from third-party pages quoting BLS (beckershospitalreview.com)."
func SourceLine(obs []data.Observation) string {
	s := "Source: " + Author
	if releases := Releases(obs); len(releases) > 0 {
		s += ", " + joinAnd(releases)
	}
	s += "."
	if via := Intermediaries(obs); len(via) > 0 {
		s += " " + upperFirst(strings.Join(via, "; ")) + "."
	}
	return s
}

// joinAnd lists items as a sentence does: "a", "a and b", "a, b and c".
func joinAnd(items []string) string {
	if len(items) < 2 {
		return strings.Join(items, "")
	}
	return strings.Join(items[:len(items)-1], ", ") + " and " + items[len(items)-1]
}

// Intermediaries says, tier by tier, how many of the figures were not read
// from BLS itself: "51 of 51 figures from third-party pages quoting BLS
// (beckershospitalreview.com)". Figures of tier primary are not named.
func Intermediaries(obs []data.Observation) []string {
	count := map[data.Tier]int{}
	hosts := map[data.Tier][]string{}
	for _, o := range obs {
		count[o.Tier]++
		// A third party's figure filed under the bls.gov address it quotes
		// names no third party by its address.
		if h := host(o.SourceURL); h != "" && !isBLSHost(h) && !slices.Contains(hosts[o.Tier], h) {
			hosts[o.Tier] = append(hosts[o.Tier], h)
		}
	}
	var out []string
	for _, t := range data.KnownTiers {
		n := count[t]
		if n == 0 || t == data.TierPrimary {
			continue
		}
		s := fmt.Sprintf("%d of %d figures %s", n, len(obs), tierFrom(t))
		if t == data.TierSecondary && len(hosts[t]) > 0 {
			s += " (" + siteList(hosts[t]) + ")"
		}
		out = append(out, s)
	}
	return out
}

// tierFrom says where figures of a tier were read, after "figures".
func tierFrom(t data.Tier) string {
	switch t {
	case data.TierPrimaryArchived:
		return "from bls.gov pages read through a web archive"
	case data.TierResavedCopy:
		return "from a BLS workbook re-saved by a third party"
	case data.TierGithubCopy:
		return "from BLS tables copied into public repositories"
	case data.TierSecondary:
		return "from third-party pages quoting BLS"
	}
	return "of source tier " + clean(string(t))
}

// siteList names up to three sites, else how many.
func siteList(hosts []string) string {
	slices.Sort(hosts)
	if len(hosts) > 3 {
		return fmt.Sprintf("%d sites", len(hosts))
	}
	return strings.Join(hosts, ", ")
}

// host is the site of a source address, without "www.": what a reader
// would recognise; "" when the address has none.
func host(address string) string {
	u, err := url.Parse(strings.TrimSpace(address))
	if err != nil || u.Hostname() == "" {
		return ""
	}
	return clean(strings.TrimPrefix(strings.ToLower(u.Hostname()), "www."))
}

func isBLSHost(h string) bool { return h == "bls.gov" || strings.HasSuffix(h, ".bls.gov") }
