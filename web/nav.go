package web

// navLink is one entry of the site's navigation.
type navLink struct {
	Path, Label string
}

// siteNav lists the pages a reader navigates between, in order: the
// layout renders it (template function "siteNav"). Operator pages (ingest
// status) are not in it.
var siteNav = []navLink{
	{"/", "Dashboard"},
	{"/occupation", "Fact sheet"},
	{"/ladder", "Career ladder"},
	{"/settings", "Work settings"},
	{"/places", "Places"},
	{"/compare", "Compare"},
	{"/trends", "Trends"},
	{"/editions", "Editions"},
	{"/export.csv", "Export CSV"},
	{"/export.xlsx", "Export Excel"},
	{"/snapshots", "Snapshots"},
}
