package datapackage

import (
	"fmt"
	"strings"
	"time"

	"github.com/labdash/labdash/data"
	"github.com/labdash/labdash/obscsv"
)

// Descriptor is datapackage.json: a Tabular Data Package (Frictionless Data
// Package v1, plus the one v2 addition noted on Field.MissingValues).
type Descriptor struct {
	Profile      string        `json:"profile"`
	Name         string        `json:"name"`
	ID           string        `json:"id"`
	Title        string        `json:"title"`
	Description  string        `json:"description"`
	Version      string        `json:"version"`
	Created      string        `json:"created"`
	Homepage     string        `json:"homepage"`
	Keywords     []string      `json:"keywords"`
	Licenses     []License     `json:"licenses"`
	Sources      []Source      `json:"sources"`
	Contributors []Contributor `json:"contributors"`
	Resources    []Resource    `json:"resources"`
}

// License is one entry of licenses.
type License struct {
	Name  string `json:"name,omitempty"`
	Title string `json:"title,omitempty"`
	Path  string `json:"path,omitempty"`
}

// Source is one entry of sources.
type Source struct {
	Title string `json:"title"`
	Path  string `json:"path,omitempty"`
}

// Contributor is one entry of contributors.
type Contributor struct {
	Title string `json:"title"`
	Path  string `json:"path,omitempty"`
	Role  string `json:"role,omitempty"`
}

// Resource is one data resource.
type Resource struct {
	Profile     string  `json:"profile"`
	Name        string  `json:"name"`
	Path        string  `json:"path"`
	Title       string  `json:"title"`
	Description string  `json:"description"`
	Format      string  `json:"format"`
	Mediatype   string  `json:"mediatype"`
	Encoding    string  `json:"encoding"`
	Bytes       int64   `json:"bytes"`
	Hash        string  `json:"hash"`
	Dialect     Dialect `json:"dialect"`
	Schema      Schema  `json:"schema"`
}

// Dialect is the CSV dialect obscsv writes (encoding/csv defaults).
type Dialect struct {
	CSVDDFVersion    string `json:"csvddfVersion"`
	Delimiter        string `json:"delimiter"`
	LineTerminator   string `json:"lineTerminator"`
	QuoteChar        string `json:"quoteChar"`
	DoubleQuote      bool   `json:"doubleQuote"`
	SkipInitialSpace bool   `json:"skipInitialSpace"`
	Header           bool   `json:"header"`
}

// The licence of the data. BLS figures are works of the U.S. federal
// government, which 17 U.S.C. § 105 leaves without copyright in the United
// States. No licence was granted by a rights holder, so neither PDDL nor CC0
// (both grants or waivers by an owner) would be accurate; "other-pd" is the
// Open Definition identifier for "Other (Public Domain)", which the Data
// Package standard accepts as a licence name, and the path says why.
var dataLicense = License{
	Name:  "other-pd",
	Title: "U.S. Government Work: public domain in the United States (17 U.S.C. § 105)",
	Path:  "https://www.usa.gov/government-copyright",
}

// blsPrograms are the BLS programs every labdash figure comes from, directly
// or through a page quoting them; per-figure pages are in source_url.
var blsPrograms = []Source{
	{Title: "U.S. Bureau of Labor Statistics, Occupational Employment and Wage Statistics (OEWS)", Path: "https://www.bls.gov/oes/"},
	{Title: "U.S. Bureau of Labor Statistics, Employment Projections (EP)", Path: "https://www.bls.gov/emp/"},
	{Title: "U.S. Bureau of Labor Statistics, Occupational Outlook Handbook (OOH)", Path: "https://www.bls.gov/ooh/"},
}

// Column metadata. Every labdash-csv column must have an entry: the schema
// is built from obscsv.Row's csv tags, in their order, so the descriptor can
// never drift from what the CSV writer writes.
type column struct {
	title, typ, description, example string
	required                         bool
	enum                             []string
	pattern                          string
	noMissing                        bool // empty is a value, not a missing one
}

var (
	flagValues = []string{string(data.FlagNotAvailable), string(data.FlagTopCoded),
		string(data.FlagLowReporting), string(data.FlagNotReleased)}
	tierValues = tierNames()
)

func tierNames() []string {
	var out []string
	for _, t := range data.KnownTiers {
		out = append(out, string(t))
	}
	return out
}

// primaryKey identifies an observation within a snapshot. The store keys an
// industry by its code, or by its title when the source gave no code, so
// both columns take part; an empty industry is a value (cross-industry).
var primaryKey = []string{"occupation_code", "area_code", "industry_code", "industry_title", "measure", "period"}

const formulaNote = " A text cell that a spreadsheet would run as a formula (starting with =, +, -, @, tab or CR) is prefixed with an apostrophe."

var columns = map[string]column{
	"occupation_code": {title: "Occupation code", typ: "string", required: true, pattern: `^[0-9]{2}-[0-9]{4}$`, example: "29-2018",
		description: "The SOC code the figure was published under: 29-2018 (OEWS from May 2019), 29-2011 and 29-2012 (OEWS until May 2016), 29-2010 (Employment Projections), 31-9097 (phlebotomists). Text, never a number."},
	"occupation_title": {title: "Occupation title", typ: "string", example: "Clinical laboratory technologists and technicians",
		description: "The occupation's title as its source gives it." + formulaNote},
	"area_code": {title: "Area code", typ: "string", required: true, pattern: `^[0-9]{7}$`, example: "0000000",
		description: "The OEWS 7-digit area code: 0000000 the United States, a state's FIPS code followed by 00000 for a state (0600000 California), 00 followed by the CBSA code for a metropolitan area. Text, never a number."},
	"area_title": {title: "Area", typ: "string", example: "United States",
		description: "The area's name." + formulaNote},
	"industry_code": {title: "Industry code", typ: "string", noMissing: true, example: "621500",
		description: "The work setting's industry code as OEWS publishes it (NAICS-based, e.g. 621500); empty for a cross-industry figure or when the source named the setting only by its title. Empty is a value here, not a missing one: this field's missingValues is [] so that it can be part of the primary key."},
	"industry_title": {title: "Work setting", typ: "string", noMissing: true, example: "Medical and diagnostic laboratories",
		description: "The work setting's title; empty for a cross-industry figure. Part of the primary key because some sources name a setting only by its title; empty is a value, as for industry_code." + formulaNote},
	"measure": {title: "Measure", typ: "string", required: true, pattern: `^[a-z0-9_]+$`, example: string(data.MeasureMedianAnnualWage),
		description: "What the figure measures, in one vocabulary for every source: " + measureNames() + "; a source may add others."},
	"period": {title: "Period", typ: "string", required: true, pattern: `^(May [0-9]{4}|[0-9]{4}-[0-9]{4}|[0-9]{4})$`, example: "May 2024",
		description: "The reference period: \"May YYYY\" for an OEWS estimate, \"YYYY-YYYY\" for an Employment Projections edition, \"YYYY\" for a base-year job count."},
	"value": {title: "Value", typ: "number", example: "61890",
		description: "The figure: a plain decimal number (no thousands separator, '.' as decimal point); empty when flag says why there is no number. A top-coded figure keeps the cap. A missing figure is never written as zero. Figures that are words (unit \"text\") are in texts.csv."},
	"unit": {title: "Unit", typ: "string", example: string(data.UnitUSDPerYear),
		description: "The unit of value: USD per year, USD per hour, jobs, percent, percent of occupation employment, openings per year, …, or \"text\" for text measures. Wages are in current dollars, not adjusted for inflation."},
	"flag": {title: "Data-quality flag", typ: "string", enum: flagValues, example: "top_coded",
		description: "Empty when the figure is as published; otherwise why it is missing or qualified: not_available (BLS published no estimate), top_coded (at or above the cap BLS publishes; value holds the cap), low_reporting (fewer than 0.5% of establishments reported it), not_released (BLS did not release it)."},
	"tier": {title: "Tier", typ: "string", required: true, enum: tierValues, example: "primary",
		description: "How directly the figure was read from BLS: primary (on bls.gov or in a BLS file), primary-archived (a bls.gov page through a web archive), resaved-copy (a BLS workbook re-saved by a third party: its cells match BLS's, its bytes are not BLS's), github-copy (a BLS table copied into a public repository), secondary (a third-party page quoting BLS)."},
	"source_url": {title: "Source address", typ: "string", example: "https://www.bls.gov/ooh/healthcare/clinical-laboratory-technologists-and-technicians.htm",
		description: "The page or file the figure was read from." + formulaNote},
	"source_title": {title: "Source title", typ: "string",
		description: "The title of that page or file." + formulaNote},
	"source_name": {title: "labdash source", typ: "string", example: "builtin",
		description: "The labdash source that delivered the figure: a name from the sources configuration, or \"builtin\" for the reference figures shipped with labdash."},
	"retrieved_at": {title: "Retrieved at", typ: "datetime", example: "2026-11-01T06:00:00Z",
		description: "When the figure was retrieved from its source, in UTC (RFC 3339)."},
	"notes": {title: "Notes", typ: "string",
		description: "Remarks on the figure, such as another source that gave the same figure or a classification note." + formulaNote},
}

// columnNames lists the labdash-csv columns in the order obscsv writes them.
// measureNames lists labdash's measures for the measure column's description.
func measureNames() string {
	var names []string
	for _, m := range data.KnownMeasures() {
		names = append(names, string(m))
	}
	return strings.Join(names, ", ")
}

func columnNames() []string { return obscsv.Columns() }

// Kinds of value column: the numbers of observations.csv, the words of
// texts.csv.
const (
	valueNumber = "number"
	valueText   = "text"
)

// observationSchema is the Table Schema of observations.csv (kind
// valueNumber) or texts.csv (valueText): the same columns, value a number
// in one and words in the other.
func observationSchema(kind string) Schema {
	s := Schema{MissingValues: []string{""}, PrimaryKey: primaryKey}
	for _, name := range columnNames() {
		c := columns[name]
		if name == "value" && kind == valueText {
			c = column{title: "Value", typ: "string", example: "Bachelor's degree",
				description: "The figure, in words: typical entry education, work experience, on-the-job training or the job outlook, as BLS words it; " +
					"empty when flag says why there is none." + formulaNote}
		}
		f := Field{Name: name, Title: c.title, Type: c.typ, Description: c.description, Example: c.example}
		if c.noMissing {
			none := []string{}
			f.MissingValues = &none
		}
		if c.required || c.enum != nil || c.pattern != "" {
			f.Constraints = &Constraints{Required: c.required, Enum: c.enum, Pattern: c.pattern}
		}
		s.Fields = append(s.Fields, f)
	}
	return s
}

// buildDescriptor describes the package once the CSV has been written and
// tallied. Nothing in it depends on the time of the export.
func buildDescriptor(snap data.Snapshot, opts Options, numbers, words *tally, numbersFile, textsFile csvFile) Descriptor {
	pinned := pinnedURL(opts.BaseURL, snap.ID)
	resource := func(name, path, title, description string, f csvFile, t *tally) Resource {
		return Resource{
			Profile:     "tabular-data-resource",
			Name:        name,
			Path:        path,
			Title:       title,
			Description: description,
			Format:      "csv",
			Mediatype:   "text/csv",
			Encoding:    "utf-8",
			Bytes:       f.bytes,
			Hash:        "sha256:" + f.hash,
			Dialect:     Dialect{CSVDDFVersion: "1.2", Delimiter: ",", LineTerminator: "\n", QuoteChar: `"`, DoubleQuote: true, Header: true},
			Schema:      t.keptSchema(),
		}
	}
	return Descriptor{
		Profile:     "tabular-data-package",
		Name:        packageName(snap.ID),
		ID:          pinned,
		Title:       fmt.Sprintf("labdash snapshot %d: BLS figures for clinical laboratory occupations", snap.ID),
		Description: packageDescription(snap, numbers.rows+words.rows),
		Version:     fmt.Sprint(snap.ID),
		Created:     snap.CreatedAt.UTC().Format(time.RFC3339),
		Homepage:    pinned,
		Keywords: []string{"clinical laboratory technologists", "clinical laboratory technicians", "phlebotomists",
			"wages", "employment", "employment projections", "OEWS", "BLS"},
		Licenses:     []License{dataLicense},
		Sources:      sources(snap, numbers, words),
		Contributors: []Contributor{{Title: "U.S. Bureau of Labor Statistics", Path: "https://www.bls.gov/", Role: "author"}, {Title: "labdash", Path: opts.BaseURL + "/", Role: "publisher"}},
		Resources: []Resource{
			resource("observations", csvName, fmt.Sprintf("Observations of labdash snapshot %d", snap.ID),
				"One figure with a number a row, in the labdash-csv layout: its key (occupation, area, work setting, measure, period), "+
					"value (a number), unit, data-quality flag, tier and provenance.", numbersFile, numbers),
			resource("texts", textsName, fmt.Sprintf("Figures in words of labdash snapshot %d", snap.ID),
				"One figure that is words a row (typical entry education, work experience, on-the-job training, job outlook), "+
					"in the same layout; value holds the words.", textsFile, words),
		},
	}
}

func packageName(id int64) string { return fmt.Sprintf("labdash-snapshot-%d", id) }

func pinnedURL(base string, id int64) string { return fmt.Sprintf("%s/s/%d/", base, id) }

func packageDescription(snap data.Snapshot, rows int) string {
	var b strings.Builder
	fmt.Fprintf(&b, "Every figure of labdash snapshot %d, %q, published %s: %d observations of U.S. Bureau of Labor Statistics figures "+
		"(OEWS wages and employment, Employment Projections, Occupational Outlook Handbook) for clinical laboratory technologists "+
		"and technicians and phlebotomists, each with its period, source and tier. ",
		snap.ID, snap.Label, snap.CreatedAt.UTC().Format("2006-01-02"), rows)
	b.WriteString("A snapshot never changes, so this package is the same whenever it is exported. " +
		"OEWS estimates are not designed for comparisons over time; Employment Projections job counts include the self-employed. " +
		"README.md explains tiers, flags and how to cite.")
	return b.String()
}
