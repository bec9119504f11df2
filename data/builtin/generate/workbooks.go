package main

import "github.com/labdash/labdash/data"

// snapshotLabel labels the first snapshot.
const snapshotLabel = "Built-in data: BLS workbooks (OEWS May 2014-2022 and May 2024, EP 2014-24 to 2023-33) and reference figures"

// workbook is one committed BLS file and how to read it.
type workbook struct {
	Path   string // under data/builtin
	Format string // the ingest format that reads it
	// URL is where BLS publishes the file: the zip for an OEWS workbook,
	// whose name the Notes give.
	URL         string
	Title       string
	Occupations []string
	Tier        data.Tier
	Notes       string
}

// Occupations a counselor compares the clinical laboratory family with:
// registered nurses, radiologic technologists and technicians, pharmacy
// technicians, medical assistants and biological technicians.
var (
	family  = []string{"29-2010", "31-9097", "00-0000"}
	related = []string{"29-1141", "29-2034", "29-2052", "31-9092", "19-4021"}
	// splitFamily adds the two codes OEWS listed under 29-2010 up to May 2016.
	splitFamily = append([]string{"29-2011", "29-2012"}, family...)
)

func codes(lists ...[]string) []string {
	var out []string
	for _, l := range lists {
		out = append(out, l...)
	}
	return out
}

const (
	oewsTitle      = "BLS Occupational Employment and Wage Statistics (OEWS), national, cross-industry"
	oewsBase       = "https://www.bls.gov/oes/special-requests/"
	epOccupation   = "https://www.bls.gov/emp/ind-occ-matrix/occupation.xlsx"
	epEducation    = "https://www.bls.gov/emp/ind-occ-matrix/education.xlsx"
	epEditionNote  = "BLS publishes each edition at this address until the next one replaces it; this is the "
	oewsMemberNote = "read from "
)

func oewsNational(year, yy string, occs []string) workbook {
	name := "national_M" + year + "_dl.xlsx"
	return workbook{Path: "bls/oews/" + name, Format: "bls-oews", URL: oewsBase + "oesm" + yy + "nat.zip",
		Title: oewsTitle + ", May " + year, Occupations: occs, Tier: data.TierPrimary,
		Notes: oewsMemberNote + name + " in oesm" + yy + "nat.zip"}
}

// workbooks lists the committed BLS files in the order they are read.
var workbooks = []workbook{
	oewsNational("2014", "14", codes(splitFamily, related)),
	oewsNational("2015", "15", codes(splitFamily, related)),
	oewsNational("2016", "16", codes(splitFamily, related)),
	oewsNational("2017", "17", codes(family, related)),
	oewsNational("2018", "18", codes(family, related)),
	oewsNational("2019", "19", codes(family, related)),
	oewsNational("2020", "20", codes(family, related)),
	oewsNational("2021", "21", codes(family, related)),
	oewsNational("2022", "22", codes(family, related)),
	{Path: "bls/oews/natsector_M2024_dl.xlsx", Format: "bls-oews", URL: oewsBase + "oesm24in4.zip",
		Title:       "BLS Occupational Employment and Wage Statistics (OEWS), national, by industry sector, May 2024",
		Occupations: codes(family, related), Tier: data.TierPrimary,
		Notes: oewsMemberNote + "natsector_M2024_dl.xlsx in oesm24in4.zip"},
	{Path: "bls/oews-resaved/national_M2024_dl.xlsx", Format: "bls-oews", URL: oewsBase + "oesm24nat.zip",
		Title: oewsTitle + ", May 2024", Occupations: codes(family, related), Tier: data.TierResavedCopy,
		Notes: "a copy of national_M2024_dl.xlsx (in oesm24nat.zip) re-saved by a third party: its cells match an " +
			"independent copy, its bytes are not BLS's"},
	{Path: "bls/ep/2014-24/occupation.xlsx", Format: "bls-ep-occupation", URL: epOccupation,
		Title: "BLS Employment Projections, occupation.xlsx, 2014-24", Occupations: codes(splitFamily, related),
		Tier: data.TierPrimary, Notes: epEditionNote + "2014-24 edition"},
	{Path: "bls/ep/2019-29_version-2021-04-12/occupation.xlsx", Format: "bls-ep-occupation", URL: epOccupation,
		Title: "BLS Employment Projections, occupation.xlsx, 2019-29", Occupations: codes(family, related),
		Tier: data.TierPrimary, Notes: epEditionNote + "2019-29 edition, as of 12 April 2021"},
	{Path: "bls/ep/2014-24/education.xlsx", Format: "bls-ep-education", URL: epEducation,
		Title: "BLS Employment Projections, education.xlsx, 2014-24", Occupations: codes([]string{"29-2011", "29-2012", "31-9097"}, related),
		Tier: data.TierPrimary, Notes: epEditionNote + "2014-24 edition"},
	{Path: "bls/ep/2019-29/education.xlsx", Format: "bls-ep-education", URL: epEducation,
		Title: "BLS Employment Projections, education.xlsx, 2019-29", Occupations: codes([]string{"29-2010", "31-9097"}, related),
		Tier: data.TierPrimary, Notes: epEditionNote + "2019-29 edition (BLS's archived re-issue)"},
	{Path: "bls/ep/2020-30/education.xlsx", Format: "bls-ep-education", URL: epEducation,
		Title: "BLS Employment Projections, education.xlsx, 2020-30", Occupations: codes([]string{"29-2010", "31-9097"}, related),
		Tier: data.TierPrimary, Notes: epEditionNote + "2020-30 edition"},
	{Path: "bls/ep/2023-33/education.xlsx", Format: "bls-ep-education", URL: epEducation,
		Title: "BLS Employment Projections, education.xlsx, 2023-33", Occupations: codes([]string{"29-2010", "31-9097"}, related),
		Tier: data.TierPrimary, Notes: epEditionNote + "2023-33 edition"},
}
