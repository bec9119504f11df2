package web

import (
	"compress/gzip"
	"context"
	"encoding/csv"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/andybalholm/brotli"

	"github.com/labdash/labdash/data"
	"github.com/labdash/labdash/ingest"
)

// newTestSite serves a fresh store seeded with the built-in data over a
// real loopback HTTP server.
func newTestSite(t testing.TB) (*httptest.Server, *data.Store, *Server) {
	t.Helper()
	return newTestSiteWith(t, Options{}, slog.New(slog.NewTextHandler(io.Discard, nil)))
}

// newTestSiteWith is newTestSite with options and a logger of the test's.
func newTestSiteWith(t testing.TB, opts Options, log *slog.Logger) (*httptest.Server, *data.Store, *Server) {
	t.Helper()
	ctx := context.Background()
	store, err := data.Open(ctx, filepath.Join(t.TempDir(), "labdash.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { store.Close() })
	if _, _, err := ingest.SeedBuiltin(ctx, store, time.Date(2026, 11, 1, 6, 0, 0, 0, time.UTC)); err != nil {
		t.Fatal(err)
	}
	site, err := New(store, log, opts)
	if err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewServer(site.Handler())
	t.Cleanup(ts.Close)
	return ts, store, site
}

func get(t testing.TB, url string, header ...string) (*http.Response, string) {
	t.Helper()
	req, _ := http.NewRequest("GET", url, nil)
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	// A bare transport: no automatic gzip, so the test sees what was sent.
	resp, err := (&http.Transport{DisableCompression: true}).RoundTrip(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var body io.Reader = resp.Body
	switch resp.Header.Get("Content-Encoding") {
	case "gzip":
		zr, err := gzip.NewReader(resp.Body)
		if err != nil {
			t.Fatal(err)
		}
		body = zr
	case "br":
		body = brotli.NewReader(resp.Body)
	}
	b, err := io.ReadAll(body)
	if err != nil {
		t.Fatal(err)
	}
	return resp, string(b)
}

func TestHomeShowsRealFiguresWithPeriodSourceAndTier(t *testing.T) {
	ts, _, _ := newTestSite(t)
	resp, body := get(t, ts.URL+"/")
	if resp.StatusCode != 200 {
		t.Fatalf("status %d: %s", resp.StatusCode, body)
	}
	for _, want := range []string{
		"$61,890", "May 2024", // clinical lab median pay, secondary source
		"1.7%", "2024-34", // projected growth, the more precise of 1.7 and 2
		"22,600",       // openings a year 2024-34
		"$41,810",      // phlebotomists' median, May 2023, primary
		"secondary",    // tier badge
		"snapshot 1",   // which snapshot
		`href="/s/1/"`, // the pinned address
		"not designed for comparisons over time",
		`id="work-settings-chart"`, `id="wage-trend-chart"`, `id="projections-chart"`, `id="state-wages-chart"`,
		`href="/s/1/home/state-wages.csv"`,
	} {
		if !strings.Contains(body, want) {
			t.Errorf("home page lacks %q", want)
		}
	}
	csp := resp.Header.Get("Content-Security-Policy")
	scriptSrc := regexp.MustCompile(`script-src [^;]*`).FindString(csp)
	if scriptSrc == "" || strings.Contains(scriptSrc, "unsafe-inline") || strings.Contains(scriptSrc, "unsafe-eval") {
		t.Errorf("script-src %q", scriptSrc)
	}
	if resp.Header.Get("X-Content-Type-Options") != "nosniff" {
		t.Error("no nosniff")
	}
	if regexp.MustCompile(`<script>|<script [^>]*>[^<]`).MatchString(body) {
		t.Error("the page has an inline script")
	}
	if regexp.MustCompile(`(src|href)="https?://`).FindString(regexp.MustCompile(`<a [^>]*>`).ReplaceAllString(body, "")) != "" {
		t.Error("the page loads something from another host")
	}
}

func TestPagesAreCachedAndRevalidated(t *testing.T) {
	ts, _, site := newTestSite(t)
	resp, _ := get(t, ts.URL+"/", "Accept-Encoding", "gzip")
	if resp.Header.Get("Content-Encoding") != "gzip" {
		t.Error("home page not gzipped for a client that accepts gzip")
	}
	etag := resp.Header.Get("ETag")
	if etag == "" {
		t.Fatal("no ETag")
	}
	resp, _ = get(t, ts.URL+"/", "Accept-Encoding", "gzip", "If-None-Match", etag)
	if resp.StatusCode != http.StatusNotModified {
		t.Errorf("revalidation gave %d, want 304", resp.StatusCode)
	}
	if n := site.pages.len(); n != 1 {
		t.Errorf("%d pages cached after three requests for one page, want 1", n)
	}
	resp, _ = get(t, ts.URL+"/s/1/")
	if !strings.Contains(resp.Header.Get("Cache-Control"), "immutable") {
		t.Errorf("pinned page Cache-Control %q", resp.Header.Get("Cache-Control"))
	}
}

func TestStaticAssetsHashedAndImmutable(t *testing.T) {
	ts, _, site := newTestSite(t)
	url, err := site.assets.URL("vendor/echarts.js")
	if err != nil {
		t.Fatal(err)
	}
	resp, body := get(t, ts.URL+url, "Accept-Encoding", "gzip")
	if resp.StatusCode != 200 || !strings.Contains(body, "echarts") {
		t.Fatalf("echarts: %d", resp.StatusCode)
	}
	if !strings.Contains(resp.Header.Get("Cache-Control"), "immutable") || resp.Header.Get("Content-Encoding") != "gzip" {
		t.Errorf("headers %v", resp.Header)
	}
	// The bundle imports its chunk by the name esbuild gave it, which the
	// server keeps; the chunk holds ECharts' core and its version.
	chunk := regexp.MustCompile(`from"\./(chunks/[A-Z0-9]+\.js)"`).FindStringSubmatch(body)
	if chunk == nil {
		t.Fatal("the ECharts bundle imports no chunk")
	}
	resp, body = get(t, ts.URL+"/static/vendor/"+chunk[1], "Accept-Encoding", "br")
	if resp.StatusCode != 200 || !strings.Contains(resp.Header.Get("Cache-Control"), "immutable") {
		t.Fatalf("chunk %s: %d %v", chunk[1], resp.StatusCode, resp.Header)
	}
	if !strings.Contains(body, `"5.6.0"`) {
		t.Error("the served ECharts is not 5.6.0")
	}
	if resp, _ := get(t, ts.URL+"/static/echarts.js"); resp.StatusCode != 404 {
		t.Errorf("unhashed asset name gave %d", resp.StatusCode)
	}
}

func TestBadAddressesGetASentence(t *testing.T) {
	ts, _, _ := newTestSite(t)
	cases := []struct {
		path   string
		status int
		says   string
	}{
		{"/no/such/page", 404, "There is no page at this address."},
		{"/export.csv?snapshot=abc", 400, "must be a snapshot number"},
		{"/export.csv?snapshot=999", 404, "There is no snapshot 999"},
		{"/export.csv?bom=yes", 400, "bom parameter must be 1 or 0"},
		{"/export.csv?snapshto=1", 400, "no parameter &#34;snapshto&#34;"},
		{"/s/0/", 400, "must be a snapshot number"},
		{"/s/7/", 404, "There is no snapshot 7"},
		{"/s/latest/", 400, "names a snapshot number, not &#34;latest&#34;"},
		{"/s/latest/home/projections.csv", 400, "names a snapshot number"},
		{"/s/latest/export.csv", 400, "names a snapshot number"},
		{"/home/nope.csv", 404, "no chart called"}, {"/?x=1", 400, "is not one this page takes"},
	}
	for _, c := range cases {
		resp, body := get(t, ts.URL+c.path)
		if resp.StatusCode != c.status || !strings.Contains(body, c.says) {
			t.Errorf("%s: %d %q, want %d saying %q", c.path, resp.StatusCode, body, c.status, c.says)
		}
		if !strings.Contains(resp.Header.Get("Content-Type"), "text/html") {
			t.Errorf("%s: error page type %q", c.path, resp.Header.Get("Content-Type"))
		}
	}
	if resp, body := get(t, ts.URL+"/healthz"); resp.StatusCode != 200 || body != "ok\n" {
		t.Errorf("healthz %d %q", resp.StatusCode, body)
	}
}

func readCSV(t *testing.T, body string) [][]string {
	t.Helper()
	rows, err := csv.NewReader(strings.NewReader(strings.TrimPrefix(body, "\uFEFF"))).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	return rows
}

func TestExportCSV(t *testing.T) {
	ts, _, _ := newTestSite(t)
	resp, body := get(t, ts.URL+"/export.csv", "Accept-Encoding", "gzip")
	if resp.StatusCode != 200 || !strings.Contains(resp.Header.Get("Content-Disposition"), "labdash-snapshot-1.csv") {
		t.Fatalf("%d %v", resp.StatusCode, resp.Header)
	}
	rows := readCSV(t, body)
	want := "occupation_code,occupation_title,area_code,area_title,industry_code,industry_title,measure,period,value,unit,flag,tier,source_url"
	if got := strings.Join(rows[0][:13], ","); got != want {
		t.Fatalf("header %s", got)
	}
	if len(rows) != 3475 { // 3474 observations and the header
		t.Errorf("%d rows", len(rows))
	}
	_, bom := get(t, ts.URL+"/export.csv?bom=1&snapshot=1")
	if !strings.HasPrefix(bom, "\uFEFF") {
		t.Error("?bom=1 gave no byte order mark")
	}
}

func TestChartCSVHoldsExactlyTheChartsFigures(t *testing.T) {
	ts, _, _ := newTestSite(t)
	_, page := get(t, ts.URL+"/")
	_, body := get(t, ts.URL+"/s/1/home/projections.csv")
	rows := readCSV(t, body)
	var sawPrecise bool
	for _, r := range rows[1:] {
		if r[6] != "projected_growth_pct" {
			t.Errorf("projections CSV has a %s row", r[6])
		}
		if r[0] == "29-2010" && r[7] == "2024-2034" {
			sawPrecise = r[8] == "1.7"
		}
	}
	if !sawPrecise {
		t.Error("projections CSV lacks 29-2010 2024-2034 = 1.7")
	}
	// The table twin has one cell per CSV row.
	section := page[strings.Index(page, `id="projections"`):]
	section = section[:strings.Index(section, "</table>")]
	if cells := strings.Count(section, "<td ") - strings.Count(section, `title="No figure"`); cells != len(rows)-1 {
		t.Errorf("table has %d figures, CSV %d", cells, len(rows)-1)
	}
}

// Strings from data never become markup, script or a formula.
func TestHostileStringsStayText(t *testing.T) {
	ts, store, _ := newTestSite(t)
	ctx := context.Background()
	hostile := `</script><script>alert(1)</script>=HYPERLINK("http://evil.test","x")__f__function(){}__f__`
	o := data.Observation{
		OccupationCode: data.CodeClinicalLabEP, OccupationTitle: hostile,
		AreaCode: data.NationalAreaCode, AreaTitle: "United States",
		IndustryTitle: hostile, Measure: "share_of_occupation_pct", Period: "2030",
		Value: data.Float(12), Unit: "percent of occupation employment", Tier: data.TierSecondary,
		SourceName: "test", SourceURL: "javascript:alert(1)", Notes: "=1+1",
	}
	if _, err := store.Publish(ctx, data.Publication{Label: "hostile (synthetic test data)", Observations: []data.Observation{o}}); err != nil {
		t.Fatal(err)
	}
	_, page := get(t, ts.URL+"/")
	if strings.Contains(page, "<script>alert") || strings.Contains(page, `href="javascript:`) {
		t.Fatal("a data string became markup")
	}
	_, body := get(t, ts.URL+"/export.csv")
	for _, r := range readCSV(t, body) {
		if r[0] == data.CodeClinicalLabEP && r[7] == "2030" {
			if r[5][0] != '\'' && r[5][0] != '<' {
				t.Errorf("industry title exported as %q", r[5])
			}
			if r[16] != "'=1+1" {
				t.Errorf("notes exported as %q", r[16])
			}
			return
		}
	}
	t.Fatal("the hostile row is missing from the export")
}

func TestPinnedExports(t *testing.T) {
	ts, _, _ := newTestSite(t)
	resp, pinned := get(t, ts.URL+"/s/1/export.csv")
	_, query := get(t, ts.URL+"/export.csv?snapshot=1")
	if resp.StatusCode != 200 || pinned != query || !strings.Contains(resp.Header.Get("Cache-Control"), "immutable") {
		t.Errorf("pinned CSV: %d, same as ?snapshot=1: %t, Cache-Control %q", resp.StatusCode, pinned == query, resp.Header.Get("Cache-Control"))
	}
	if resp, _ := get(t, ts.URL+"/s/1/export.zip"); resp.StatusCode != 200 || resp.Header.Get("Content-Type") != "application/zip" {
		t.Errorf("pinned package: %d %s", resp.StatusCode, resp.Header.Get("Content-Type"))
	}
	if resp, _ := get(t, ts.URL+"/s/x/export.csv"); resp.StatusCode != 400 {
		t.Errorf("bad pinned snapshot: %d", resp.StatusCode)
	}
	_, page := get(t, ts.URL+"/")
	if !strings.Contains(page, `href="/s/1/export.csv"`) || !strings.Contains(page, `href="/s/1/export.zip"`) {
		t.Error("pages do not offer their snapshot's exports")
	}
}
