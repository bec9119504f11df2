package format

import (
	"regexp"
	"strconv"
	"strings"

	"github.com/labdash/labdash/ingest/fileerr"
)

// An OEWS release states its reference period in several places: the file
// name (national_M2024_dl.xlsx, all_data_M_2024.xlsx, oesm24nat.zip), the
// data sheet's name (national_M2019_dl) and the first line of its field
// descriptions ("May 2024 OEWS Estimates"). Every place that states one must
// agree, with each other and with period: in sources.yaml.

var (
	periodInFileName = regexp.MustCompile(`(?i)_M_?((?:19|20)\d\d)(?:_|\.|$)`)
	periodInZipName  = regexp.MustCompile(`(?i)^oesm(\d\d)[a-z0-9]*\.zip$`)
	periodInTitle    = regexp.MustCompile(`(?i)^\s*May ((?:19|20)\d\d) OE(?:W)?S Estimates`)
	topCodeCaps      = regexp.MustCompile(`\$([\d,]+\.\d\d) per hour or \$([\d,]+) per year`)
)

// namedPeriod is a period and where it was read; "" when that place names none.
type namedPeriod struct {
	where, period string
}

// periodInName reads "May YYYY" from a file or sheet name.
func periodInName(name string) string {
	base := name
	if i := strings.LastIndex(base, ": "); i >= 0 {
		base = base[i+2:]
	}
	if m := periodInFileName.FindStringSubmatch(base); m != nil {
		return "May " + m[1]
	}
	if m := periodInZipName.FindStringSubmatch(base); m != nil {
		return "May 20" + m[1]
	}
	return ""
}

// topCodes are the caps a release's "#" stands for.
type topCodes struct {
	hourly, annual float64
}

// readFieldDescriptions reads a field-descriptions sheet: its title line
// gives the period, its "#" line the top-code caps.
func readFieldDescriptions(rows [][]string) (string, topCodes) {
	var period string
	var caps topCodes
	for _, row := range rows {
		for _, cell := range row {
			if m := periodInTitle.FindStringSubmatch(cell); m != nil && period == "" {
				period = "May " + m[1]
			}
			if m := topCodeCaps.FindStringSubmatch(cell); m != nil && strings.Contains(cell, "#") {
				caps.hourly, _ = strconv.ParseFloat(strings.ReplaceAll(m[1], ",", ""), 64)
				caps.annual, _ = strconv.ParseFloat(strings.ReplaceAll(m[2], ",", ""), 64)
			}
		}
	}
	return period, caps
}

// setPeriod settles the period of one workbook or CSV.
func (p *oewsParser) setPeriod(file string, found []namedPeriod) error {
	var got namedPeriod
	for _, f := range found {
		switch {
		case f.period == "":
		case got.period == "":
			got = f
		case f.period != got.period:
			return fileerr.At(file, 0, fileerr.New(fileerr.ErrPeriodUnknown,
				"%s says %s but %s says %s; the release's period is unclear", got.where, got.period, f.where, f.period))
		}
	}
	configured := p.in.Source.Period
	switch {
	case got.period == "" && configured == "":
		return fileerr.At(file, 0, fileerr.New(fileerr.ErrPeriodUnknown,
			"neither the file name, its sheets nor sources.yaml say which May release this is; keep BLS's file name "+
				"(such as national_M2024_dl.xlsx) or add period: \"May 2024\" to the source"))
	case got.period != "" && configured != "" && got.period != configured:
		return fileerr.At(file, 0, fileerr.New(fileerr.ErrPeriodUnknown,
			"sources.yaml says period %s but %s says %s; correct one of them", configured, got.where, got.period))
	case got.period == "":
		got.period = configured
	}
	if p.period != "" && p.period != got.period {
		return fileerr.At(file, 0, fileerr.New(fileerr.ErrPeriodUnknown,
			"this workbook is for %s but the one before it in the same file is for %s", got.period, p.period))
	}
	p.period = got.period
	return nil
}
