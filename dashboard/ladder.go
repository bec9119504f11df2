package dashboard

import (
	"fmt"
	"slices"
	"strings"

	"github.com/labdash/labdash/charts"
	"github.com/labdash/labdash/data"
)

// ladderStep is one rung of the career ladder in the laboratory.
type ladderStep struct {
	code, name string
}

// ladderSteps run from the shortest training to the longest: phlebotomist,
// laboratory technician, laboratory technologist. Technicians and
// technologists have their own figures only in the releases that list them
// separately (29-2011 and 29-2012); later ones publish them together.
var ladderSteps = []ladderStep{
	{data.CodePhlebotomists, "Phlebotomist"},
	{data.CodeLabTechnicians, "Technician"},
	{data.CodeLabTechnologists, "Technologist"},
}

// LadderCodes are the codes the ladder page reads.
func LadderCodes() []string {
	out := make([]string, len(ladderSteps))
	for i, s := range ladderSteps {
		out[i] = s.code
	}
	return out
}

// stepNames are the steps as a chart names its series: "Technician
// (29-2012)".
func stepNames() []string {
	out := make([]string, len(ladderSteps))
	for i, s := range ladderSteps {
		out[i] = s.name + " (" + s.code + ")"
	}
	return out
}

// BuildLadder assembles the career-ladder page: phlebotomist → technician →
// technologist, with the pay percentiles of one OEWS release, the entry
// requirements and outlook of one Employment Projections edition, each the
// latest that lists all three steps separately (from a BLS file where one
// does), and the classification change that ended the separate figures.
func BuildLadder(snap data.Snapshot, obs []data.Observation) (Page, error) {
	mine := selectObs(obs, func(o data.Observation) bool {
		return slices.Contains(LadderCodes(), o.OccupationCode) && isNational(o)
	})
	fp := factPicker{obs: mine, origins: snap.Origins}
	var bs blocks
	bs.add(ladderPay(fp))
	bs.add(ladderEntry(fp))
	bs.add(ladderOutlook(fp))
	if bs.err != nil {
		return Page{}, bs.err
	}
	lab, _ := data.FamilyOf(data.CodeLabTechnologists)
	return Page{
		Name:     "ladder",
		Title:    "Career ladder in the clinical laboratory: phlebotomist → technician → technologist",
		Snapshot: snap,
		Intro: "Three steps of a laboratory career, each with what BLS says it takes to enter and what it pays: phlebotomists (31-9097), " +
			"medical and clinical laboratory technicians (29-2012) and technologists (29-2011). Each chart and table takes its figures " +
			"from one release, the latest that lists all three steps separately.",
		Blocks: bs.list,
		Notes:  []string{ladderHistory(mine, lab)},
	}, nil
}

// ladderPeriod is the latest period of kind in which every step has a
// figure of measure: from a BLS file where a period has them all so, else
// at all; "" when no period has all three.
func (fp factPicker) ladderPeriod(measure data.Measure, kind data.PeriodKind) (string, bool) {
	figures := selectObs(fp.obs, func(o data.Observation) bool { return o.Measure == measure && periodKind(o.Period) == kind })
	return sharedPeriod(LadderCodes(), sortedPeriods(figures), func(code, period string) (exists, file bool) {
		c := selectObs(figures, func(o data.Observation) bool { return o.OccupationCode == code && o.Period == period })
		return len(c) > 0, slices.ContainsFunc(c, fp.origins.FromBLSFile)
	})
}

// ladderPay charts the annual wage percentiles of the three steps in one
// OEWS release: the latest whose median lists all three.
func ladderPay(fp factPicker) (Block, error) {
	id, heading := "ladder-pay", "What each step pays"
	release, _ := fp.ladderPeriod(data.MeasureMedianAnnualWage, data.PeriodOEWS)
	if release == "" {
		return emptyBlock(id, heading, "This snapshot has no OEWS release with a median annual wage for all three steps "+
			"(phlebotomists, 29-2012 and 29-2011 are separate only until May 2016)."), nil
	}
	labels := make([]string, len(percentiles))
	for i, p := range percentiles {
		labels[i] = p.label
	}
	g := newGrid(labels, stepNames())
	for s, step := range ladderSteps {
		for c, p := range percentiles {
			cands := selectObs(fp.obs, func(o data.Observation) bool {
				return o.OccupationCode == step.code && o.Measure == p.measure && o.Period == release
			})
			if o, ok := fp.best(cands); ok {
				g.set(s, c, o)
			}
		}
	}
	spec := chartsSpec(id, "Annual wage percentiles by step", "United States, all industries, OEWS "+release, data.UnitUSDPerYear.Label(), g)
	chart, err := charts.Distribution(spec, labels, g.chartSeries())
	if err != nil {
		return Block{}, chartError(id, err)
	}
	return Block{
		ID: id, Heading: heading, Chart: chart,
		Table:        g.table("Annual wage percentiles of each step, United States, OEWS "+release+" (current dollars)", "Percentile"),
		Observations: g.observations(),
		Summary:      g.summary(false),
		Caveats: []string{"OEWS " + release + " is the latest release in this snapshot that lists technicians (29-2012) and technologists (29-2011) separately; " +
			"later releases publish them together. Wages of wage and salary workers, current dollars."},
	}, nil
}

// ladderEntry is the table of what each step takes to enter: typical entry
// education, work experience and on-the-job training, from one edition.
func ladderEntry(fp factPicker) (Block, error) {
	id, heading := "ladder-entry", "What each step takes to enter"
	edition, _ := fp.ladderPeriod(data.MeasureTypicalEntryEducation, data.PeriodProjection)
	if edition == "" {
		return emptyBlock(id, heading, "This snapshot has no Employment Projections edition with the typical entry education of all three steps."), nil
	}
	var columns []string
	for _, s := range becomeFacts {
		columns = append(columns, s.measure.Label())
	}
	g := newGrid(stepNames(), columns)
	for r, step := range ladderSteps {
		for c, spec := range becomeFacts {
			cands := selectObs(fp.obs, func(o data.Observation) bool {
				return o.OccupationCode == step.code && o.Measure == spec.measure && o.Period == edition
			})
			if o, ok := fp.best(cands); ok {
				g.set(c, r, o)
			}
		}
	}
	return Block{
		ID: id, Heading: heading,
		Table:        g.table("What BLS says each step needs to enter, Employment Projections "+data.ShortPeriod(edition), "Step"),
		Observations: g.observations(),
		Caveats: []string{"From the education and training table of Employment Projections " + data.ShortPeriod(edition) +
			", the latest edition in this snapshot that lists all three steps separately: what most workers need to enter, not what every employer asks for."},
	}, nil
}

// ladderOutlook charts the openings and growth of each step, each measure
// from the latest edition that lists all three steps.
func ladderOutlook(fp factPicker) (Block, error) {
	id, heading := "ladder-outlook", "Openings at each step"
	edition, _ := fp.ladderPeriod(data.MeasureAnnualOpenings, data.PeriodProjection)
	if edition == "" {
		return emptyBlock(id, heading, "This snapshot has no Employment Projections edition with the annual openings of all three steps."), nil
	}
	label := data.ShortPeriod(edition)
	g := newGrid([]string{"Openings a year, " + label}, stepNames())
	for s, step := range ladderSteps {
		cands := selectObs(fp.obs, func(o data.Observation) bool {
			return o.OccupationCode == step.code && o.Measure == data.MeasureAnnualOpenings && o.Period == edition
		})
		if o, ok := fp.best(cands); ok {
			g.set(s, 0, o)
		}
	}
	spec := chartsSpec(id, "Annual openings by step", "United States, Employment Projections "+label, data.UnitOpeningsPerYear.Label(), g)
	chart, err := charts.Projections(spec, g.categories, g.chartSeries())
	if err != nil {
		return Block{}, chartError(id, err)
	}
	caveats := []string{"Employment Projections " + label + " is the latest edition in this snapshot with openings for all three steps; " +
		"openings are a yearly average over its decade and include replacing workers who leave."}
	if via := readWhere(g.observations(), fp.origins); !strings.HasPrefix(via, "read from BLS files") {
		caveats = append(caveats, "These figures were "+via+": no BLS file in this snapshot gives openings for the three steps separately.")
	}
	return Block{
		ID: id, Heading: heading, Chart: chart,
		Table:        g.table("Average openings a year at each step, United States, Employment Projections "+label, "Measure"),
		Observations: g.observations(),
		Summary:      g.summary(false),
		Caveats:      caveats,
	}, nil
}

// ladderHistory explains why the technician and technologist steps have
// no figures of their own in later releases, from what the snapshot holds.
func ladderHistory(obs []data.Observation, f data.Family) string {
	last := func(code string, kind data.PeriodKind) string {
		periods := sortedPeriods(selectObs(obs, func(o data.Observation) bool {
			return o.OccupationCode == code && periodKind(o.Period) == kind
		}))
		if len(periods) == 0 {
			return ""
		}
		return data.ShortPeriod(periods[len(periods)-1])
	}
	s := "Why the ladder stops at these releases: the 2018 Standard Occupational Classification merged medical and clinical laboratory " +
		"technologists (29-2011) and technicians (29-2012) into one occupation, clinical laboratory technologists and technicians."
	if r := last(data.CodeLabTechnologists, data.PeriodOEWS); r != "" {
		s += fmt.Sprintf(" OEWS lists them separately until %s in this snapshot; its later releases publish them together "+
			"(29-2010 in May 2017 and 2018, 29-2018 from May %d).", r, f.BreakYear)
	}
	if e := last(data.CodeLabTechnologists, data.PeriodProjection); e != "" {
		s += fmt.Sprintf(" Employment Projections lists them separately until its %s edition in this snapshot; later editions "+
			"give one figure for both, under 29-2010.", e)
	}
	return s + " Today's figures for the combined occupation are on its fact sheet."
}
