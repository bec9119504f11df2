package web

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/labdash/labdash/data"
)

// send makes one request with any method, without following redirects.
func send(t *testing.T, method, url string) (*http.Response, string) {
	t.Helper()
	req, err := http.NewRequest(method, url, nil)
	if err != nil {
		t.Fatal(err)
	}
	resp, err := (&http.Transport{DisableCompression: true}).RoundTrip(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp, string(body)
}

// Another method on an address a route serves is answered 405 with the
// methods it does serve in Allow, as a page or as JSON under /api/; an
// address no route serves stays a 404. Before, every such request got 404
// and no Allow.
func TestOtherMethodsGet405WithAllow(t *testing.T) {
	ts, _, _ := newTestSite(t)
	for _, c := range []struct {
		method, path, allow string
	}{
		{"POST", "/", "GET, HEAD"},
		{"DELETE", "/compare?a=29-2010", "GET, HEAD"},
		{"PUT", "/s/1/occupation", "GET, HEAD"},
		{"POST", "/home/projections.csv", "GET, HEAD"},
		{"POST", "/export.csv", "GET, HEAD"},
		{"PATCH", "/s/1/export.zip", "GET, HEAD"},
		{"POST", "/snapshots", "GET, HEAD"},
		{"POST", "/healthz", "GET, HEAD"},
		{"OPTIONS", "/diff", "GET, HEAD"},
		{"POST", "/api/v1/snapshots", "GET, HEAD"},
		{"DELETE", "/api/v1/snapshots/1/observations", "GET, HEAD"},
		{"GET", "/admin/ingest", "POST"},
	} {
		resp, body := send(t, c.method, ts.URL+c.path)
		if resp.StatusCode != http.StatusMethodNotAllowed || resp.Header.Get("Allow") != c.allow {
			t.Errorf("%s %s: %d, Allow %q; want 405, Allow %q", c.method, c.path, resp.StatusCode, resp.Header.Get("Allow"), c.allow)
		}
		if !strings.Contains(body, "requests only") {
			t.Errorf("%s %s: the body does not say which methods: %.200s", c.method, c.path, body)
		}
		if api := strings.HasPrefix(c.path, "/api/"); api != strings.HasPrefix(resp.Header.Get("Content-Type"), "application/json") {
			t.Errorf("%s %s: Content-Type %q", c.method, c.path, resp.Header.Get("Content-Type"))
		}
	}
	for _, path := range []string{"/no/such/page", "/api/v1/nothing"} {
		if resp, _ := send(t, "POST", ts.URL+path); resp.StatusCode != http.StatusNotFound || resp.Header.Get("Allow") != "" {
			t.Errorf("POST %s: %d, Allow %q; want 404", path, resp.StatusCode, resp.Header.Get("Allow"))
		}
	}
}

// A snapshot number written otherwise than plainly (01, +1, 0001) is
// redirected, permanently, to the address with the plain number, in the
// path and in every query parameter that names a snapshot. Before, /s/01/
// was served as an immutable twin of /s/1/.
func TestNonCanonicalSnapshotIDsRedirect(t *testing.T) {
	ts, store, site := newTestSite(t)
	publishRevision(t, store)
	site.Refresh()
	for from, to := range map[string]string{
		"/s/01/":                                "/s/1/",
		"/s/+1/compare?a=29-2010":               "/s/1/compare?a=29-2010",
		"/s/0001/home/projections.csv?bom=1":    "/s/1/home/projections.csv?bom=1",
		"/s/02/export.csv":                      "/s/2/export.csv",
		"/s/01/export.zip":                      "/s/1/export.zip",
		"/export.csv?snapshot=01&bom=1":         "/export.csv?bom=1&snapshot=1",
		"/export.zip?snapshot=%2B2":             "/export.zip?snapshot=2",
		"/diff?from=01&to=2":                    "/diff?from=1&to=2",
		"/diff?from=1&to=002":                   "/diff?from=1&to=2",
		"/api/v1/snapshots/01":                  "/api/v1/snapshots/1",
		"/api/v1/snapshots/01/observations":     "/api/v1/snapshots/1/observations",
		"/api/v1/diff?from=1&to=02":             "/api/v1/diff?from=1&to=2",
		"/api/v1/newer?snapshot=01&page=&query": "/api/v1/newer?page=&query=&snapshot=1",
	} {
		resp, _ := send(t, "GET", ts.URL+from)
		if resp.StatusCode != http.StatusPermanentRedirect || resp.Header.Get("Location") != to {
			t.Errorf("%s: %d to %q, want 308 to %q", from, resp.StatusCode, resp.Header.Get("Location"), to)
		}
		if strings.Contains(resp.Header.Get("Cache-Control"), "immutable") {
			t.Errorf("%s: the redirect claims to be an immutable page", from)
		}
		if resp, _ := send(t, "GET", ts.URL+to); resp.StatusCode != 200 {
			t.Errorf("%s: the canonical address %s gives %d", from, to, resp.StatusCode)
		}
	}
	// /s/10/ is not /s/1/ with something after it.
	if resp, _ := send(t, "GET", ts.URL+"/s/10/"); resp.StatusCode != 404 {
		t.Errorf("/s/10/: %d", resp.StatusCode)
	}
}

// Every route refuses a parameter given twice with a 400 and a sentence, as
// pages always did. Before, /export.csv and others took one of the two.
func TestEveryRouteRefusesARepeatedParameter(t *testing.T) {
	ts, store, site := newTestSite(t)
	publishRevision(t, store)
	site.Refresh()
	for _, path := range []string{
		"/?family=clinical-lab&family=clinical-lab",
		"/export.csv?snapshot=1&snapshot=2",
		"/export.csv?bom=1&bom=0",
		"/s/1/export.csv?bom=1&bom=1",
		"/export.zip?snapshot=1&snapshot=1",
		"/s/1/home/projections.csv?bom=1&bom=0",
		"/snapshots?x=1&x=2",
		"/diff?from=1&to=2&to=1",
		"/ingest.json?a=1&a=2",
		"/api/v1/snapshots?x=1&x=1",
		"/api/v1/snapshots/1/observations?measure=employment&measure=median_annual_wage",
		"/api/v1/diff?from=1&from=2&to=2",
		"/api/v1/newer?snapshot=1&snapshot=2&page=&query=",
	} {
		resp, body := send(t, "GET", ts.URL+path)
		if resp.StatusCode != http.StatusBadRequest || !strings.Contains(body, "is given more than once") {
			t.Errorf("%s: %d %.200s", path, resp.StatusCode, body)
		}
	}
}

// A huge value in a parameter, a parameter name or the path is repeated in
// an error page or a JSON error cut to a readable length, saying how long
// it was. Before, a 100 KB parameter came back in full.
func TestErrorsEchoValuesCutShort(t *testing.T) {
	ts, _, _ := newTestSite(t)
	long := strings.Repeat("x", 100_000)
	for _, path := range []string{
		"/occupation?code=" + long,
		"/?" + long + "=1",
		"/?x=1&x=" + long,
		"/export.csv?snapshot=" + long,
		"/export.csv?bom=" + long,
		"/s/" + long + "/",
		"/home/" + long + ".csv",
		"/api/v1/snapshots/" + long,
		"/api/v1/snapshots?" + long + "=1",
		"/api/v1/newer?snapshot=1&page=" + long,
	} {
		resp, body := send(t, "GET", ts.URL+path)
		if resp.StatusCode/100 != 4 || len(body) > 20_000 || !strings.Contains(body, "(100000 characters)") &&
			!strings.Contains(body, "xxx…") {
			t.Errorf("%.40s…: %d, a %d-byte answer: %.300s", path, resp.StatusCode, len(body), body)
		}
	}
}

// publishHostileText publishes what a store written before ingest checked
// its input, or edited by hand, may hold: invalid UTF-8 in every free-text
// field, and titles and notes of megabytes in three observations.
func publishHostileText(t *testing.T, store *data.Store) data.Snapshot {
	t.Helper()
	ctx := context.Background()
	obs, err := store.Observations(ctx, 1, data.Filter{Occupations: []string{"29-2010", "31-9097"}})
	if err != nil || len(obs) == 0 {
		t.Fatalf("%d observations, %v", len(obs), err)
	}
	huge := "Clinical \xff\xfe laboratory " + strings.Repeat("technologist ", 300_000) // about 4 MB
	for i := range obs {
		o := &obs[i]
		o.OccupationTitle = "Clinical \xff\xfe laboratory technologists"
		if i < 3 {
			o.OccupationTitle = huge
			o.Notes = "note \xff " + strings.Repeat("n", 2_000_000)
		}
		o.AreaTitle = o.AreaTitle + " \xe9"
		o.IndustryTitle = strings.TrimSpace(o.IndustryTitle + " \xc3\x28")
		o.SourceTitle = o.SourceTitle + " \xed\xa0\x80"
	}
	snap, err := store.Publish(ctx, data.Publication{Label: "hostile text", Observations: obs})
	if err != nil {
		t.Fatal(err)
	}
	return snap
}

// Text a store already holds is served safely: every page, citation, CSV
// and JSON answer is valid UTF-8 (bad bytes become U+FFFD), and a
// megabytes-long title costs a few kilobytes, cut with an ellipsis. Before,
// invalid UTF-8 went out raw under charset=utf-8, and the title was
// repeated in full across each page.
func TestHostileStoredTextIsServedSafely(t *testing.T) {
	ts, store, site := newTestSite(t)
	publishHostileText(t, store)
	site.Refresh()
	for _, path := range []string{
		"/", "/s/2/", "/occupation?code=29-2010", "/s/2/occupation?code=31-9097", "/handout", "/compare",
		"/settings", "/trends", "/editions", "/places", "/diff?from=1&to=2", "/snapshots",
		"/export.csv", "/s/2/export.csv", "/home/projections.csv", "/s/2/home/work-settings.csv",
		"/api/v1/snapshots/2/observations?occupation=29-2010", "/api/v1/diff?from=1&to=2",
	} {
		resp, body := send(t, "GET", ts.URL+path)
		if resp.StatusCode != 200 && resp.StatusCode != 404 {
			t.Errorf("%s: %d %.300s", path, resp.StatusCode, body)
			continue
		}
		if !utf8.ValidString(body) {
			t.Errorf("%s: the %s answer is not valid UTF-8", path, resp.Header.Get("Content-Type"))
		}
		if len(body) > 3<<20 {
			t.Errorf("%s: a %d-byte answer", path, len(body))
		}
	}
	if _, page := send(t, "GET", ts.URL+"/occupation?code=29-2010"); !strings.Contains(page, "\uFFFD") {
		t.Error("the occupation page does not show the stored text, repaired")
	}
	if _, page := send(t, "GET", ts.URL+"/diff?from=1&to=2"); !strings.Contains(page, "technologist technologist") ||
		len(page) > 1<<20 {
		t.Errorf("the diff page does not show the huge title clipped: %d bytes", len(page))
	}
	_, body := send(t, "GET", ts.URL+"/export.csv?snapshot=2")
	var titles []string
	repaired := 0
	for _, row := range readCSV(t, body)[1:] {
		titles = append(titles, row[1])
		if strings.Contains(row[1], "\uFFFD") {
			repaired++
		}
	}
	if n := clippedTitles(titles); n != 3 || repaired < 50 {
		t.Errorf("the export has %d titles clipped (want the 3 huge ones) and %d repaired", n, repaired)
	}
	_, body = send(t, "GET", ts.URL+"/api/v1/snapshots/2/observations?occupation=29-2010")
	var api struct {
		Observations []struct {
			Title string `json:"occupation_title"`
		} `json:"observations"`
	}
	titles = nil
	if err := json.Unmarshal([]byte(body), &api); err != nil {
		t.Fatal(err)
	}
	for _, o := range api.Observations {
		titles = append(titles, o.Title)
	}
	if n := clippedTitles(titles); n != 3 {
		t.Errorf("the API has %d titles clipped, want the 3 huge ones", n)
	}
}

// clippedTitles counts the titles cut to the served length, with an ellipsis.
func clippedTitles(titles []string) int {
	n := 0
	for _, title := range titles {
		if runes := utf8.RuneCountInString(title); strings.HasSuffix(title, "…") && runes > maxServedTextForTest-10 &&
			runes <= maxServedTextForTest+1 {
			n++
		}
	}
	return n
}

// maxServedTextForTest is data's limit on served text, restated: a change
// there should be a decision, seen here.
const maxServedTextForTest = 4096
