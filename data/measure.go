package data

import (
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Measure names what a figure measures, in the one vocabulary every parser
// maps its source into (docs/DATA.md, "One vocabulary"), so a chart, a
// citation or an export never depends on which file a number came from.
// The vocabulary is open: a labdash-csv source may bring a measure labdash
// has no entry for; it keeps its name and gets a label made from it.
type Measure string

// The measures labdash knows. OEWS datatypes 01-17 come first, in datatype
// order, then the Employment Projections measures.
const (
	MeasureEmployment            Measure = "employment"
	MeasureEmploymentRSEPct      Measure = "employment_rse_pct"
	MeasureMeanHourlyWage        Measure = "mean_hourly_wage"
	MeasureMeanAnnualWage        Measure = "mean_annual_wage"
	MeasureWageRSEPct            Measure = "wage_rse_pct"
	MeasurePct10HourlyWage       Measure = "pct10_hourly_wage"
	MeasurePct25HourlyWage       Measure = "pct25_hourly_wage"
	MeasureMedianHourlyWage      Measure = "median_hourly_wage"
	MeasurePct75HourlyWage       Measure = "pct75_hourly_wage"
	MeasurePct90HourlyWage       Measure = "pct90_hourly_wage"
	MeasurePct10AnnualWage       Measure = "pct10_annual_wage"
	MeasurePct25AnnualWage       Measure = "pct25_annual_wage"
	MeasureMedianAnnualWage      Measure = "median_annual_wage"
	MeasurePct75AnnualWage       Measure = "pct75_annual_wage"
	MeasurePct90AnnualWage       Measure = "pct90_annual_wage"
	MeasureEmploymentPer1000     Measure = "employment_per_1000"
	MeasureLocationQuotient      Measure = "location_quotient"
	MeasureProjectedEmployment   Measure = "projected_employment"
	MeasureEmploymentChange      Measure = "employment_change"
	MeasureProjectedGrowthPct    Measure = "projected_growth_pct"
	MeasureAnnualOpenings        Measure = "annual_openings"
	MeasureShareOfOccupationPct  Measure = "share_of_occupation_pct"
	MeasureShareOfIndustryPct    Measure = "share_of_industry_pct"
	MeasureTypicalEntryEducation Measure = "typical_entry_education"
	MeasureWorkExperience        Measure = "work_experience_in_related_occupation"
	MeasureOnTheJobTraining      Measure = "on_the_job_training"
	MeasureJobOutlookCategory    Measure = "job_outlook_category"
	// MeasureEstablishmentsReportingPct is OEWS's PCT_RPT (May 2021 on): the
	// share of establishments in an industry that report the occupation.
	MeasureEstablishmentsReportingPct Measure = "establishments_reporting_pct"
)

// MeasureKind groups measures by what their numbers are.
type MeasureKind int

// Measure kinds.
const (
	KindUnknown MeasureKind = iota // a measure labdash has no entry for
	KindCount                      // jobs or openings
	KindWage                       // dollars an hour or a year
	KindPercent                    // growth, shares and relative standard errors
	KindRatio                      // location quotients, jobs per 1,000
	KindText                       // words: education, training, outlook
)

// measureInfo is what labdash knows of a measure.
type measureInfo struct {
	measure Measure
	label   string // sentence case, as it opens a sentence or heads a column
	unit    Unit
	kind    MeasureKind
}

// measures is the vocabulary, in the order KnownMeasures lists it.
var measures = []measureInfo{
	{MeasureEmployment, "Employment", UnitJobs, KindCount},
	{MeasureEmploymentRSEPct, "Relative standard error of employment", UnitPercent, KindPercent},
	{MeasureMeanHourlyWage, "Mean hourly wage", UnitUSDPerHour, KindWage},
	{MeasureMeanAnnualWage, "Mean annual wage", UnitUSDPerYear, KindWage},
	{MeasureWageRSEPct, "Relative standard error of wages", UnitPercent, KindPercent},
	{MeasurePct10HourlyWage, "10th percentile hourly wage", UnitUSDPerHour, KindWage},
	{MeasurePct25HourlyWage, "25th percentile hourly wage", UnitUSDPerHour, KindWage},
	{MeasureMedianHourlyWage, "Median hourly wage", UnitUSDPerHour, KindWage},
	{MeasurePct75HourlyWage, "75th percentile hourly wage", UnitUSDPerHour, KindWage},
	{MeasurePct90HourlyWage, "90th percentile hourly wage", UnitUSDPerHour, KindWage},
	{MeasurePct10AnnualWage, "10th percentile annual wage", UnitUSDPerYear, KindWage},
	{MeasurePct25AnnualWage, "25th percentile annual wage", UnitUSDPerYear, KindWage},
	{MeasureMedianAnnualWage, "Median annual wage", UnitUSDPerYear, KindWage},
	{MeasurePct75AnnualWage, "75th percentile annual wage", UnitUSDPerYear, KindWage},
	{MeasurePct90AnnualWage, "90th percentile annual wage", UnitUSDPerYear, KindWage},
	{MeasureEmploymentPer1000, "Employment per 1,000 jobs", UnitJobsPer1000, KindRatio},
	{MeasureLocationQuotient, "Location quotient", UnitRatio, KindRatio},
	{MeasureProjectedEmployment, "Projected employment", UnitJobs, KindCount},
	{MeasureEmploymentChange, "Employment change", UnitJobs, KindCount},
	{MeasureProjectedGrowthPct, "Projected growth", UnitPercent, KindPercent},
	{MeasureAnnualOpenings, "Annual openings", UnitOpeningsPerYear, KindCount},
	{MeasureShareOfOccupationPct, "Share of occupation employment", UnitPercentOfOccupation, KindPercent},
	{MeasureShareOfIndustryPct, "Share of industry employment", UnitPercentOfIndustry, KindPercent},
	{MeasureTypicalEntryEducation, "Typical entry education", UnitText, KindText},
	{MeasureWorkExperience, "Work experience in a related occupation", UnitText, KindText},
	{MeasureOnTheJobTraining, "Typical on-the-job training", UnitText, KindText},
	{MeasureJobOutlookCategory, "Job outlook", UnitText, KindText},
	{MeasureEstablishmentsReportingPct, "Share of establishments reporting the occupation", UnitPercentOfEstablishments, KindPercent},
}

// info is what labdash knows of m; ok is false for a measure it does not know.
func (m Measure) info() (measureInfo, bool) {
	for _, i := range measures {
		if i.measure == m {
			return i, true
		}
	}
	return measureInfo{}, false
}

// KnownMeasures lists every measure labdash has an entry for.
func KnownMeasures() []Measure {
	out := make([]Measure, len(measures))
	for i, info := range measures {
		out[i] = info.measure
	}
	return out
}

// Known reports whether labdash has an entry for m.
func (m Measure) Known() bool {
	_, ok := m.info()
	return ok
}

// Kind is what m's numbers are; KindUnknown for a measure labdash does not know.
func (m Measure) Kind() MeasureKind {
	info, _ := m.info()
	return info.kind
}

// Unit is the unit labdash stores m in; "" for a measure it does not know.
func (m Measure) Unit() Unit {
	info, _ := m.info()
	return info.unit
}

// Label names m in sentence case, as it opens a sentence or heads a column:
// "Median annual wage". A measure labdash does not know is named after its
// words ("pct95_annual_wage" → "95th percentile annual wage"); one that does
// not start with a letter becomes "Figure …", so that data never opens a
// citation with what a spreadsheet would run as a formula.
func (m Measure) Label() string {
	if info, ok := m.info(); ok {
		return info.label
	}
	if m == "" {
		return ""
	}
	words := func(s string) string { return OneLine(strings.ReplaceAll(s, "_", " ")) }
	if rest, ok := strings.CutPrefix(string(m), "pct"); ok && len(rest) > 3 && rest[2] == '_' && isDigits(rest[:2]) {
		return rest[:2] + "th percentile " + words(rest[3:])
	}
	s := words(string(m))
	if r, _ := utf8.DecodeRuneInString(s); !unicode.IsLetter(r) {
		return "Figure " + s
	}
	return upperFirst(s)
}

// LowerLabel is Label as it stands inside a sentence: "median annual wage".
func (m Measure) LowerLabel() string {
	s := m.Label()
	r, n := utf8.DecodeRuneInString(s)
	if n == 0 {
		return s
	}
	return string(unicode.ToLower(r)) + s[n:]
}

// Unit is the unit a figure is published in: "USD per year", "jobs",
// "percent", "text" for text measures.
type Unit string

// The units labdash stores figures in.
const (
	UnitJobs                    Unit = "jobs"
	UnitOpeningsPerYear         Unit = "openings per year"
	UnitUSDPerYear              Unit = "USD per year"
	UnitUSDPerHour              Unit = "USD per hour"
	UnitPercent                 Unit = "percent"
	UnitPercentOfOccupation     Unit = "percent of occupation employment"
	UnitPercentOfIndustry       Unit = "percent of industry employment"
	UnitPercentOfEstablishments Unit = "percent of establishments"
	UnitJobsPer1000             Unit = "jobs per 1,000 jobs"
	UnitRatio                   Unit = "ratio"
	UnitText                    Unit = "text"
)

// Label is the unit in the words pages and citations use, on axes, in table
// headers and after a count: "openings a year", "percent of the
// occupation's jobs"; other units as they are.
func (u Unit) Label() string {
	switch u {
	case UnitOpeningsPerYear:
		return "openings a year"
	case UnitPercentOfOccupation:
		return "percent of the occupation's jobs"
	case UnitPercentOfIndustry:
		return "percent of the industry's jobs"
	}
	return OneLine(string(u))
}

// isPercent reports whether figures in u are percentages.
func (u Unit) isPercent() bool {
	return u == UnitPercent || u == UnitPercentOfOccupation || u == UnitPercentOfIndustry || u == UnitPercentOfEstablishments
}

// FormatAmount writes a number in its unit the way people read it: "$61,890"
// (USD per year), "$29.22" (USD per hour), "1.7%" (percents), "351,200"
// (counts and everything else). unitShown says whether the unit is in the
// text already, so a caller may add its words (Unit.Label) to a bare count.
func FormatAmount(v float64, u Unit) (text string, unitShown bool) {
	switch {
	case u == UnitUSDPerYear:
		return "$" + GroupThousands(v, 0), true
	case u == UnitUSDPerHour:
		return "$" + GroupThousands(v, 2), true
	case u.isPercent():
		return strconv.FormatFloat(v, 'f', -1, 64) + "%", true
	}
	return GroupThousands(v, -1), false
}

// OneLine makes text from data one line: control characters and runs of
// white space become one space.
func OneLine(s string) string {
	return strings.Join(strings.FieldsFunc(s, func(r rune) bool {
		return unicode.IsSpace(r) || unicode.IsControl(r)
	}), " ")
}

func upperFirst(s string) string {
	r, n := utf8.DecodeRuneInString(s)
	if n == 0 {
		return s
	}
	return string(unicode.ToUpper(r)) + s[n:]
}

func isDigits(s string) bool {
	for _, r := range s {
		if r < '0' || r > '9' {
			return false
		}
	}
	return s != ""
}
