package dashboard

import (
	"fmt"
	"sort"
	"unicode"
	"unicode/utf8"

	"github.com/labdash/labdash/charts"
	"github.com/labdash/labdash/data"
)

// WorkSettings builds the share-of-jobs-by-industry chart of one occupation
// code: one bar group per industry, one bar per year. Industries are ordered
// by their share in the latest year.
func WorkSettings(id, occupationCode, occupationTitle string, obs []data.Observation) (Block, error) {
	heading := "Where " + lowerFirst(occupationTitle) + " work"
	shares := selectObs(obs, func(o data.Observation) bool {
		return o.OccupationCode == occupationCode && o.Measure == data.MeasureShareOfOccupationPct &&
			o.AreaCode == data.NationalAreaCode && !o.CrossIndustry()
	})
	if len(shares) == 0 {
		return emptyBlock(id, heading, "This snapshot has no figures for the share of "+occupationCode+" jobs by work setting."), nil
	}
	years := sortedPeriods(shares)
	latest := years[len(years)-1]
	industries := industriesByShare(shares, latest)
	g := newGrid(industries, years)
	for _, o := range shares {
		putBest(g, indexOf(years, o.Period), indexOf(industries, o.IndustryTitle), o)
	}
	spec := charts.Spec{
		ID:       id,
		Title:    "Share of " + occupationCode + " jobs by work setting",
		Subtitle: fmt.Sprintf("United States (industry detail is national only), %s to %s", years[0], latest),
		Unit:     data.UnitPercentOfOccupation.Label(),
		Source:   sourceLine(g.observations()),
	}
	chart, err := charts.WorkSettings(spec, industries, g.chartSeries())
	if err != nil {
		return Block{}, chartError(id, err)
	}
	return Block{
		ID: id, Heading: heading, Chart: chart,
		Table:        g.table("Percent of "+occupationTitle+" ("+occupationCode+") jobs, by work setting and year", "Work setting"),
		Observations: g.observations(),
		Summary:      g.summary(false),
		Caveats: []string{"Shares are of the occupation's national employment in each year's Occupational Outlook Handbook " +
			"'largest employers' table; the settings listed change between editions, so a missing bar means the setting was not listed, not zero."},
	}, nil
}

// industriesByShare orders industry titles by their share in the latest
// period (largest first), then titles only seen in earlier years.
func industriesByShare(shares []data.Observation, latest string) []string {
	latestShare := map[string]float64{}
	var titles []string
	for _, o := range shares {
		if indexOf(titles, o.IndustryTitle) < 0 {
			titles = append(titles, o.IndustryTitle)
		}
		if o.Period == latest && o.Value != nil {
			latestShare[o.IndustryTitle] = *o.Value
		}
	}
	sort.SliceStable(titles, func(i, j int) bool {
		a, aok := latestShare[titles[i]]
		b, bok := latestShare[titles[j]]
		if aok != bok {
			return aok
		}
		return a > b
	})
	return titles
}

func lowerFirst(s string) string {
	if s == "" {
		return s
	}
	r, size := utf8.DecodeRuneInString(s)
	return string(unicode.ToLower(r)) + s[size:]
}
