package dashboard

import (
	"fmt"
	"slices"
	"sort"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/labdash/labdash/charts"
	"github.com/labdash/labdash/data"
)

// WorkSettings builds the share-of-jobs-by-work-setting chart of one
// occupation code: one bar group per setting, one bar per year. A setting
// is one row across editions however a source worded it
// (data.WorkSettingOf). Settings are ordered by their share in the latest
// year.
func WorkSettings(id, occupationCode, occupationTitle string, obs []data.Observation) (Block, error) {
	heading := "Where " + lowerFirst(occupationTitle) + " work"
	jobs := possessive(occupationTitle) + " jobs (" + occupationCode + ")"
	shares := selectObs(obs, func(o data.Observation) bool {
		return o.OccupationCode == occupationCode && o.Measure == data.MeasureShareOfOccupationPct &&
			o.AreaCode == data.NationalAreaCode && !o.CrossIndustry()
	})
	if len(shares) == 0 {
		return emptyBlock(id, heading, "This snapshot has no figures for the share of "+jobs+" by work setting."), nil
	}
	years := sortedPeriods(shares)
	latest := years[len(years)-1]
	rows := settingRows(shares, latest)
	g := newGrid(rows.names, years)
	for _, o := range shares {
		putBest(g, indexOf(years, o.Period), rows.index(o), o)
	}
	spec := charts.Spec{
		ID:       id,
		Title:    "Share of " + jobs,
		Subtitle: fmt.Sprintf("By work setting, United States (industry detail is national only), %s to %s", years[0], latest),
		Unit:     data.UnitPercentOfOccupation.Label(),
		Source:   sourceLine(g.observations()),
	}
	chart, err := charts.WorkSettings(spec, rows.names, g.chartSeries())
	if err != nil {
		return Block{}, chartError(id, err)
	}
	return Block{
		ID: id, Heading: heading, Chart: chart,
		Table:        g.table("Percent of "+jobs+", by work setting and year", "Work setting"),
		Observations: g.observations(),
		Summary:      g.summary(false),
		Caveats: append([]string{"Shares are of the occupation's national employment in each year's Occupational Outlook Handbook " +
			"'largest employers' table; the settings listed change between editions, so a missing bar means the setting was not listed, not zero."},
			rows.caveats...),
	}, nil
}

// settingTable is the rows of a chart by work setting: one per setting
// (data.WorkSettingOf), named once, whatever wordings its figures carry.
type settingTable struct {
	keys, names []string
	caveats     []string // settings whose wording covered less in some periods
}

func (t settingTable) index(o data.Observation) int {
	s, _ := data.WorkSettingOf(o)
	return indexOf(t.keys, s.Code)
}

// settingRows orders the settings of figures by their value in the latest
// period (largest first), then settings only seen earlier, and notes the
// periods in which a row's figure covers only part of the setting.
func settingRows(figures []data.Observation, latest string) settingTable {
	var t settingTable
	value := map[string]float64{}
	type wording struct{ row, title, covers string }
	narrower := map[wording][]string{}
	var wordings []wording
	for _, o := range figures {
		s, covers := data.WorkSettingOf(o)
		if indexOf(t.keys, s.Code) < 0 {
			t.keys = append(t.keys, s.Code)
			t.names = append(t.names, s.Name)
		}
		if o.Period == latest && o.Value != nil {
			value[s.Code] = *o.Value
		}
		if covers != "" {
			w := wording{s.Code, data.OneLine(o.IndustryTitle), covers}
			if _, seen := narrower[w]; !seen {
				wordings = append(wordings, w)
			}
			if p := data.ShortPeriod(o.Period); !slices.Contains(narrower[w], p) {
				narrower[w] = append(narrower[w], p)
			}
		}
	}
	order := make([]int, len(t.keys))
	for i := range order {
		order[i] = i
	}
	sort.SliceStable(order, func(i, j int) bool {
		a, aok := value[t.keys[order[i]]]
		b, bok := value[t.keys[order[j]]]
		if aok != bok {
			return aok
		}
		return a > b
	})
	keys, names := t.keys, t.names
	t.keys, t.names = nil, nil
	for _, i := range order {
		t.keys, t.names = append(t.keys, keys[i]), append(t.names, names[i])
	}
	for _, w := range wordings {
		periods := narrower[w]
		slices.SortFunc(periods, strings.Compare)
		t.caveats = append(t.caveats, fmt.Sprintf("In %s the source listed %q (NAICS %s), part of %s (NAICS %s); its figures are on that row.",
			joinAnd(periods), w.title, w.covers, lowerFirst(names[indexOf(keys, w.row)]), w.row))
	}
	return t
}

// possessive writes a name as it owns something inside a sentence:
// "clinical laboratory technologists and technicians'", "a nurse's".
func possessive(name string) string {
	name = lowerFirst(name)
	if strings.HasSuffix(name, "s") {
		return name + "'"
	}
	return name + "'s"
}

func lowerFirst(s string) string {
	if s == "" {
		return s
	}
	r, size := utf8.DecodeRuneInString(s)
	if unicode.IsUpper(r) {
		if r2, _ := utf8.DecodeRuneInString(s[size:]); unicode.IsUpper(r2) {
			return s // an acronym
		}
	}
	return string(unicode.ToLower(r)) + s[size:]
}
