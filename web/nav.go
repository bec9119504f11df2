package web

// navLink is one entry of the site's navigation.
type navLink struct {
	Path, Label string
}

// siteNav lists the pages a reader navigates between, in order: the layout
// renders it in the header (template function "siteNav").
var siteNav = []navLink{
	{"/", "Dashboard"},
	{"/occupation", "Fact sheet"},
	{"/ladder", "Career ladder"},
	{"/settings", "Work settings"},
	{"/places", "Places"},
	{"/compare", "Compare"},
	{"/trends", "Trends"},
	{"/editions", "Editions"},
}

// footerNav lists the whole-snapshot downloads and the operator's pages,
// which the layout renders in the footer, out of the readers' way.
var footerNav = []navLink{
	{"/export.csv", "Download every figure (CSV)"},
	{"/export.xlsx", "Download every figure (Excel)"},
	{"/snapshots", "Snapshots"},
	{"/ingest", "Ingest status (operators)"},
}
