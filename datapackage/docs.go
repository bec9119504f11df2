package datapackage

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"github.com/labdash/labdash/data"
)

// packageTitle is the data set's title in README.md and CITATION.cff.
func packageTitle(id int64) string {
	return fmt.Sprintf("Clinical laboratory occupations: BLS wages, employment and projections (labdash snapshot %d)", id)
}

// readme is README.md: what the package holds and how to read and cite it.
func readme(snap data.Snapshot, opts Options, numbers, words *tally) []byte {
	t := merged(numbers, words)
	var b bytes.Buffer
	pinned := pinnedURL(opts.BaseURL, snap.ID)
	created := snap.CreatedAt.UTC()
	p := func(format string, args ...any) { fmt.Fprintf(&b, format+"\n", args...) }

	p("# labdash snapshot %d: BLS figures for clinical laboratory occupations", snap.ID)
	p("")
	p("A Frictionless Tabular Data Package of every figure in labdash snapshot %d, %q, published %s: %d observations of U.S. Bureau of Labor Statistics (BLS) figures for clinical laboratory technologists and technicians and phlebotomists, each with its period, source and tier.",
		snap.ID, snap.Label, created.Format(time.RFC3339), t.rows)
	p("")
	p("The snapshot's permanent address is <%s>. A snapshot never changes: the figures at that address, and this package, are the same whenever they are fetched.", pinned)
	p("")
	p("## Files")
	p("")
	p("| file | what |")
	p("| --- | --- |")
	p("| `%s` | one figure with a number a row (%d rows), in the labdash-csv layout; `value` is a number |", csvName, numbers.rows)
	p("| `%s` | one figure in words a row (%d rows: typical entry education, work experience, on-the-job training, job outlook), in the same layout |", textsName, words.rows)
	p("| `%s` | the descriptor: licence, sources, and the Table Schema of each CSV (types, constraints, primary key) with its size and SHA-256 |", descriptorName)
	p("| `%s` | this file |", readmeName)
	p("| `%s` | how to cite the package (Citation File Format 1.2.0) |", citationName)
	p("")
	p("The two CSVs hold together the rows of `%s/export.csv?snapshot=%d`, in its order; each is a labdash-csv file another labdash can ingest as a `labdash-csv` source.", opts.BaseURL, snap.ID)
	p("")
	p("Any Frictionless validator checks the package against its descriptor, for example `frictionless validate datapackage.json` after unzipping.")
	p("")
	p("## Reading the columns")
	p("")
	p("- A figure is identified by `occupation_code`, `area_code`, `industry_code` and `industry_title`, `measure` and `period` (the schema's primary key). An empty industry means a cross-industry figure; a setting some sources name only by its title has an empty `industry_code` and its title.")
	p("- In `%s`, `value` is a plain number (`.` as decimal point, no thousands separator), typed `number` in the schema; in `%s` it is words such as \"Bachelor's degree\". It is empty when `flag` says why there is no figure; a missing figure is never written as zero.", csvName, textsName)
	p("- Periods: `May YYYY` is an OEWS estimate, `YYYY-YYYY` an Employment Projections edition, `YYYY` a base-year job count.")
	p("- Codes (`occupation_code`, `area_code`, `industry_code`) are text: keep their leading zeros.")
	p("- **A text cell that starts with an apostrophe** (`'=…`, `'+…`, `'-…`, `'@…`) was neutralised: a spreadsheet would have run it as a formula. Drop the apostrophe to get the text as published. Numbers are never prefixed.")
	p("")
	p("## Tiers: how directly a figure was read from BLS")
	p("")
	tierText := map[string]string{
		string(data.TierPrimary):         "read on bls.gov or in a BLS data file",
		string(data.TierPrimaryArchived): "a bls.gov page read through a web archive",
		string(data.TierResavedCopy):     "a BLS workbook re-saved by a third party: its cells match BLS's, its bytes are not BLS's",
		string(data.TierGithubCopy):      "a BLS table copied into a public repository",
		string(data.TierSecondary):       "a third-party page quoting BLS; check the figure against BLS before relying on it",
	}
	for _, c := range sortedCounts(t.tiers, tierValues) {
		p("- `%s` (%d rows): %s", c.key, c.n, tierText[c.key])
	}
	p("")
	p("## Flags: figures that are missing or qualified")
	p("")
	flagText := map[string]string{
		"":                            "no flag: the figure as published",
		string(data.FlagNotAvailable): "BLS published no estimate (shown as -, * or ** in BLS tables)",
		string(data.FlagTopCoded):     "at or above the cap BLS publishes; `value` holds the cap",
		string(data.FlagLowReporting): "fewer than 0.5% of establishments reported it",
		string(data.FlagNotReleased):  "BLS did not release the estimate",
	}
	for _, c := range sortedCounts(t.flags, append([]string{""}, flagValues...)) {
		label := "`" + c.key + "`"
		if c.key == "" {
			label = "empty"
		}
		p("- %s (%d rows): %s", label, c.n, flagText[c.key])
	}
	p("")
	p("## BLS caveats")
	p("")
	p("- **OEWS is not designed as a time series.** BLS warns that its wage and employment estimates are not meant for comparisons across years: methods, classification and samples change.")
	p("- **Employment Projections job counts include the self-employed**; OEWS employment does not, so the two \"number of jobs\" differ.")
	p("- **Classification change in 2019**: OEWS published technologists (29-2011) and technicians (29-2012) separately until May 2016, together as 29-2010 in May 2017 and 2018, and as 29-2018 from May 2019; Employment Projections uses 29-2010. Figures across the change are not strictly comparable.")
	p("- Wages are in current dollars, not adjusted for inflation.")
	p("- `secondary` figures were read on third-party pages quoting BLS, not on BLS itself.")
	p("")
	p("## How to cite")
	p("")
	p("BLS is the author of every figure; cite this labdash snapshot as where you read them, with its permanent address:")
	p("")
	p("> U.S. Bureau of Labor Statistics. (%d). *%s* [Data set]. labdash. %s", created.Year(), packageTitle(snap.ID), pinned)
	p("")
	p("For one figure, cite the page in its `source_url` as well. `%s` has the same in Citation File Format.", citationName)
	p("")
	p("## Licence")
	p("")
	p("The figures are works of the U.S. federal government and are in the public domain in the United States (17 U.S.C. § 105; <%s>). The descriptor says so with the Open Definition licence identifier `%s`.", dataLicense.Path, dataLicense.Name)
	if dropped := append(numbers.dropped(), words.dropped()...); len(dropped) > 0 {
		p("")
		p("## Schema notes")
		p("")
		p("Some rows of this snapshot do not keep every rule labdash's schema usually declares, so the descriptor leaves out %s.", strings.Join(dropped, ", "))
	}
	return b.Bytes()
}

// citation is CITATION.cff (Citation File Format 1.2.0). Strings are written
// as JSON strings, which are valid YAML double-quoted scalars.
func citation(snap data.Snapshot, opts Options) []byte {
	var b bytes.Buffer
	q := func(s string) string {
		var buf bytes.Buffer
		enc := json.NewEncoder(&buf)
		enc.SetEscapeHTML(false)
		enc.Encode(s)
		return strings.TrimSuffix(buf.String(), "\n")
	}
	p := func(format string, args ...any) { fmt.Fprintf(&b, format+"\n", args...) }
	pinned := pinnedURL(opts.BaseURL, snap.ID)
	date := snap.CreatedAt.UTC().Format("2006-01-02")
	title := packageTitle(snap.ID)

	p("cff-version: 1.2.0")
	p("message: %s", q("Cite the U.S. Bureau of Labor Statistics as the author of these figures and this labdash snapshot as where you read them; its address never changes."))
	p("type: dataset")
	p("title: %s", q(title))
	p("abstract: %s", q(fmt.Sprintf("Every figure of labdash snapshot %d, %q, published %s: BLS wages, employment and projections for clinical laboratory occupations, each with its period, source and tier.",
		snap.ID, snap.Label, snap.CreatedAt.UTC().Format(time.RFC3339))))
	p("authors:")
	p("  - name: %s", q("U.S. Bureau of Labor Statistics"))
	p("    website: %s", q("https://www.bls.gov/"))
	p("version: %s", q(fmt.Sprint(snap.ID)))
	p("date-released: %s", q(date))
	p("url: %s", q(pinned))
	p("identifiers:")
	p("  - type: url")
	p("    value: %s", q(pinned))
	p("    description: %s", q(fmt.Sprintf("labdash snapshot %d, pinned: the figures at this address never change", snap.ID)))
	p("license-url: %s", q(dataLicense.Path))
	p("keywords:")
	for _, k := range []string{"clinical laboratory technologists", "phlebotomists", "wages", "employment projections", "OEWS", "BLS"} {
		p("  - %s", q(k))
	}
	p("preferred-citation:")
	p("  type: data")
	p("  title: %s", q(title))
	p("  authors:")
	p("    - name: %s", q("U.S. Bureau of Labor Statistics"))
	p("  publisher:")
	p("    name: %s", q("labdash"))
	p("    website: %s", q(opts.BaseURL+"/"))
	p("  version: %s", q(fmt.Sprint(snap.ID)))
	p("  date-published: %s", q(date))
	p("  url: %s", q(pinned))
	return b.Bytes()
}
