package web

import (
	"archive/zip"
	"bytes"
	"io"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"

	"github.com/labdash/labdash/internal/frictionless"
)

// packageSite serves the test site's routes plus GET /export.zip, so the
// handler is tested whether or not Handler registers it yet.
func packageSite(t *testing.T) (*httptest.Server, *httptest.Server) {
	t.Helper()
	ts, _, site := newTestSite(t)
	mux := http.NewServeMux()
	mux.Handle("GET /export.zip", site.handle(site.exportSnapshotPackage))
	zs := httptest.NewServer(mux)
	t.Cleanup(zs.Close)
	return ts, zs
}

func TestExportDatapackageZip(t *testing.T) {
	ts, zs := packageSite(t)
	resp, body := get(t, zs.URL+"/export.zip")
	if resp.StatusCode != 200 {
		t.Fatalf("status %d: %s", resp.StatusCode, body)
	}
	if ct := resp.Header.Get("Content-Type"); ct != "application/zip" {
		t.Errorf("Content-Type %q", ct)
	}
	if cd := resp.Header.Get("Content-Disposition"); !strings.Contains(cd, `attachment; filename="labdash-snapshot-1.zip"`) {
		t.Errorf("Content-Disposition %q", cd)
	}
	if strings.Contains(resp.Header.Get("Cache-Control"), "immutable") {
		t.Error("the latest snapshot's package is cached as immutable")
	}
	if err := frictionless.Validate(strings.NewReader(body), int64(len(body))); err != nil {
		t.Fatalf("the package does not validate: %v", err)
	}
	zr, err := zip.NewReader(strings.NewReader(body), int64(len(body)))
	if err != nil {
		t.Fatal(err)
	}
	files := map[string][]byte{}
	for _, f := range zr.File {
		rc, _ := f.Open()
		files[f.Name], _ = io.ReadAll(rc)
		rc.Close()
	}
	_, csvBody := get(t, ts.URL+"/export.csv")
	if !sameRows(string(files["observations.csv"]), string(files["texts.csv"]), csvBody) {
		t.Error("observations.csv and texts.csv do not hold the rows of /export.csv")
	}
	if !bytes.Contains(files["CITATION.cff"], []byte(`url: "`+DefaultBaseURL+`/s/1/"`)) {
		t.Errorf("CITATION.cff does not cite the configured pinned address:\n%s", files["CITATION.cff"])
	}

	resp, pinned := get(t, zs.URL+"/export.zip?snapshot=1")
	if resp.StatusCode != 200 || !strings.Contains(resp.Header.Get("Cache-Control"), "immutable") {
		t.Errorf("pinned package: %d, Cache-Control %q", resp.StatusCode, resp.Header.Get("Cache-Control"))
	}
	if pinned != body {
		t.Error("the pinned and the latest package of one snapshot differ")
	}
}

func TestExportDatapackageBadParameters(t *testing.T) {
	_, zs := packageSite(t)
	cases := []struct {
		query  string
		status int
		says   string
	}{
		{"?snapshot=abc", 400, "must be a snapshot number"},
		{"?snapshot=0", 400, "must be a snapshot number"},
		{"?snapshot=999", 404, "There is no snapshot 999"},
		{"?bom=1", 400, "no parameter &#34;bom&#34;"},
	}
	for _, c := range cases {
		resp, body := get(t, zs.URL+"/export.zip"+c.query)
		if resp.StatusCode != c.status || !strings.Contains(body, c.says) {
			t.Errorf("%s: %d %q, want %d saying %q", c.query, resp.StatusCode, body, c.status, c.says)
		}
		if ct := resp.Header.Get("Content-Type"); !strings.Contains(ct, "text/html") || resp.Header.Get("Content-Disposition") != "" {
			t.Errorf("%s: an error page served as %q, %q", c.query, ct, resp.Header.Get("Content-Disposition"))
		}
	}
}

// sameRows reports whether the package's two CSVs hold together, under the
// same header, the rows of an export: the figures with a number and the
// figures in words.
func sameRows(numbers, texts, export string) bool {
	header, _, _ := strings.Cut(export, "\n")
	nh, nrows, _ := strings.Cut(numbers, "\n")
	th, trows, _ := strings.Cut(texts, "\n")
	_, erows, _ := strings.Cut(export, "\n")
	got := strings.Split(strings.TrimSuffix(nrows+trows, "\n"), "\n")
	want := strings.Split(strings.TrimSuffix(erows, "\n"), "\n")
	slices.Sort(got)
	slices.Sort(want)
	return nh == header && th == header && slices.Equal(got, want) && trows != ""
}
