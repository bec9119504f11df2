package format

import (
	"math"
	"strconv"
	"strings"

	"github.com/labdash/labdash/data"
	"github.com/labdash/labdash/ingest/fileerr"
)

// oewsValue is one value column of the OEWS layout: its measure, unit and
// the decimals BLS publishes it with (cells hold binary floats such as
// 20.100000000000001; the figure is 20.1).
type oewsValue struct {
	measure  data.Measure
	unit     data.Unit
	decimals int
}

// oewsValues maps the value columns, by every name BLS has given them since
// May 2014 (the case varies; LOC_Q and PCT_TOT are older spellings).
var oewsValues = map[string]oewsValue{
	"tot_emp":      {data.MeasureEmployment, data.UnitJobs, 0},
	"emp_prse":     {data.MeasureEmploymentRSEPct, data.UnitPercent, 1},
	"jobs_1000":    {data.MeasureEmploymentPer1000, data.UnitJobsPer1000, 3},
	"loc_quotient": {data.MeasureLocationQuotient, data.UnitRatio, 2},
	"loc_q":        {data.MeasureLocationQuotient, data.UnitRatio, 2},
	"pct_total":    {data.MeasureShareOfIndustryPct, data.UnitPercentOfIndustry, 2},
	"pct_tot":      {data.MeasureShareOfIndustryPct, data.UnitPercentOfIndustry, 2},
	"pct_rpt":      {data.MeasureEstablishmentsReportingPct, data.UnitPercentOfEstablishments, 0},
	"h_mean":       {data.MeasureMeanHourlyWage, data.UnitUSDPerHour, 2},
	"a_mean":       {data.MeasureMeanAnnualWage, data.UnitUSDPerYear, 0},
	"mean_prse":    {data.MeasureWageRSEPct, data.UnitPercent, 1},
	"h_pct10":      {data.MeasurePct10HourlyWage, data.UnitUSDPerHour, 2},
	"h_pct25":      {data.MeasurePct25HourlyWage, data.UnitUSDPerHour, 2},
	"h_median":     {data.MeasureMedianHourlyWage, data.UnitUSDPerHour, 2},
	"h_pct75":      {data.MeasurePct75HourlyWage, data.UnitUSDPerHour, 2},
	"h_pct90":      {data.MeasurePct90HourlyWage, data.UnitUSDPerHour, 2},
	"a_pct10":      {data.MeasurePct10AnnualWage, data.UnitUSDPerYear, 0},
	"a_pct25":      {data.MeasurePct25AnnualWage, data.UnitUSDPerYear, 0},
	"a_median":     {data.MeasureMedianAnnualWage, data.UnitUSDPerYear, 0},
	"a_pct75":      {data.MeasurePct75AnnualWage, data.UnitUSDPerYear, 0},
	"a_pct90":      {data.MeasurePct90AnnualWage, data.UnitUSDPerYear, 0},
}

// oewsKeys are the key columns, by every name they have had.
var oewsKeys = map[string]string{
	"area": "area", "area_title": "area_title", "area_type": "area_type", "naics": "naics",
	"naics_title": "naics_title", "own_code": "own_code", "occ_code": "occ_code", "occ code": "occ_code",
	"occ_title": "occ_title", "o_group": "group", "occ_group": "group", "group": "group",
}

// oewsLayout is a header read by name.
type oewsLayout struct {
	key    map[string]int // key column → index
	values []oewsColumn
}

type oewsColumn struct {
	index int
	oewsValue
}

// hasOEWSHeader reports whether a row is an OEWS data header.
func hasOEWSHeader(row []string) bool {
	has := map[string]bool{}
	for _, c := range row {
		has[normalHeader(c)] = true
	}
	return (has["occ_code"] || has["occ code"]) && has["tot_emp"]
}

func normalHeader(s string) string {
	return strings.ToLower(strings.TrimSpace(strings.TrimPrefix(s, "\uFEFF")))
}

func (p *oewsParser) setLayout(row []string) error {
	l := oewsLayout{key: map[string]int{}}
	for i, c := range row {
		h := normalHeader(c)
		if k, ok := oewsKeys[h]; ok {
			l.key[k] = i
		} else if v, ok := oewsValues[h]; ok {
			l.values = append(l.values, oewsColumn{i, v})
		}
	}
	var missing []string
	for _, need := range []string{"occ_code", "occ_title"} {
		if _, ok := l.key[need]; !ok {
			missing = append(missing, strings.ToUpper(need))
		}
	}
	if len(l.values) == 0 {
		missing = append(missing, "TOT_EMP, A_MEDIAN or another value column")
	}
	if len(missing) > 0 {
		return fileerr.At(p.file, 1, fileerr.New(fileerr.ErrColumnsMissing,
			"the header lacks the column(s) %s; is this an OEWS release?", strings.Join(missing, ", ")))
	}
	p.layout = l
	return nil
}

// row reads one data row, keeping it when its occupation is configured.
func (p *oewsParser) row(cells []string, line int) error {
	l := &p.layout
	code := cellAt(cells, l.key["occ_code"])
	if _, ok := p.wanted[code]; !ok {
		p.skipped++
		return nil
	}
	p.wanted[code]++
	r := oewsRow{
		occ: code, occTitle: cellAt(cells, l.key["occ_title"]), group: strings.ToLower(p.keyCell(cells, "group")),
		own: p.keyCell(cells, "own_code"), line: line, file: p.file,
	}
	var err error
	if r.area, r.areaTitle, err = p.area(cells); err != nil {
		return fileerr.At(p.file, line, err)
	}
	if naics := p.keyCell(cells, "naics"); naics != "" && strings.Trim(naics, "0") != "" {
		r.industry, r.industryTitle = naics, p.keyCell(cells, "naics_title")
	}
	for _, c := range l.values {
		v, err := readOEWSCell(cellAt(cells, c.index), c.oewsValue, p.caps)
		if err != nil {
			return fileerr.At(p.file, line, fileerr.New(fileerr.ErrValueUnreadable, "%s of %s: %v", strings.ToUpper(string(c.measure)), code, err))
		}
		r.values = append(r.values, v)
	}
	return p.keep(r)
}

func (p *oewsParser) keyCell(cells []string, key string) string {
	i, ok := p.layout.key[key]
	if !ok {
		return ""
	}
	return cellAt(cells, i)
}

func cellAt(cells []string, i int) string {
	if i < 0 || i >= len(cells) {
		return ""
	}
	return strings.TrimSpace(cells[i])
}

// area turns the file's AREA and AREA_TYPE into labdash's 7-digit OEWS
// area code, as the time-series files write it: "0000000" for the United
// States, state FIPS + "00000", "00" + CBSA for a metro area; nonmetro
// areas already have seven digits. Files without an AREA column (May 2014
// to 2018) are national.
func (p *oewsParser) area(cells []string) (string, string, error) {
	code, kind := p.keyCell(cells, "area"), p.keyCell(cells, "area_type")
	title := p.keyCell(cells, "area_title")
	if code == "" || kind == "1" || code == "99" && kind == "" {
		return data.NationalAreaCode, data.NationalAreaTitle, nil
	}
	if strings.Trim(code, "0123456789") != "" || len(code) > 7 {
		return "", "", fileerr.New(fileerr.ErrRowMalformed, "the area code %q is not an OEWS area code", code)
	}
	switch {
	case kind == "2" || kind == "3" || (kind == "" && len(code) <= 2):
		return leftPad(code, 2) + "00000", title, nil
	case len(code) == 7:
		return code, title, nil
	}
	return leftPad(code, 7), title, nil
}

func leftPad(s string, n int) string {
	for len(s) < n {
		s = "0" + s
	}
	return s
}

// oewsCell is one value cell read.
type oewsCell struct {
	value float64
	has   bool
	flag  data.Flag
	blank bool // not published in this layout (JOBS_1000 of a national file)
}

// readOEWSCell reads a number or a marker: "*" and "**" not available,
// "#" top-coded (the cap the release states becomes the value), "~" fewer
// than 0.5% of establishments report the occupation.
func readOEWSCell(s string, col oewsValue, caps topCodes) (oewsCell, error) {
	switch s {
	case "":
		return oewsCell{blank: true}, nil
	case "*", "**":
		return oewsCell{flag: data.FlagNotAvailable}, nil
	case "~":
		return oewsCell{flag: data.FlagLowReporting}, nil
	case "#":
		c := oewsCell{flag: data.FlagTopCoded}
		switch col.unit {
		case "USD per hour":
			c.value, c.has = caps.hourly, caps.hourly > 0
		case "USD per year":
			c.value, c.has = caps.annual, caps.annual > 0
		}
		return c, nil
	}
	v, ok := parseDecimal(strings.TrimPrefix(s, "$"))
	if !ok {
		f, err := strconv.ParseFloat(s, 64) // raw cells: "7.0000000000000007E-2"
		if err != nil || math.IsNaN(f) || math.IsInf(f, 0) || !strings.ContainsAny(s, "Ee") {
			return oewsCell{}, fileerr.New(fileerr.ErrValueUnreadable, "the value %q is neither a number nor a BLS marker (*, **, #, ~)", s)
		}
		v = f
	}
	scale := math.Pow10(col.decimals)
	return oewsCell{value: math.Round(v*scale) / scale, has: true}, nil
}
