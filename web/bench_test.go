package web

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"path"
	"regexp"
	"strings"
	"testing"
)

// BenchmarkRenderHomeFromStore measures the cold path: read the snapshot's
// observations, build every chart and citation and render the page (no
// cache), as the first request after a publish does.
func BenchmarkRenderHomeFromStore(b *testing.B) {
	_, store, site := newTestSite(b)
	snap, err := store.LatestSnapshot(context.Background())
	if err != nil {
		b.Fatal(err)
	}
	req := httptest.NewRequest("GET", "/", nil)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := site.renderPage(req, site.pageDefs()[0], snap, false); err != nil {
			b.Fatal(err)
		}
	}
}

// chromiumAcceptEncoding is what Chromium sends (zstd over HTTPS only).
const chromiumAcceptEncoding = "gzip, deflate, br, zstd"

// BenchmarkServeHomeCached measures the warm path through the whole handler
// stack, beside BenchmarkServeBytesBaseline: a handler that writes the same
// bytes and headers from memory. Report the ratio of the two.
func BenchmarkServeHomeCached(b *testing.B) {
	_, _, site := newTestSite(b)
	h := site.Handler()
	req := httptest.NewRequest("GET", "/", nil)
	req.Header.Set("Accept-Encoding", chromiumAcceptEncoding)
	b.ReportAllocs()
	for b.Loop() {
		w := httptest.NewRecorder()
		h.ServeHTTP(w, req)
		if w.Code != 200 || w.Header().Get("Content-Encoding") != "br" {
			b.Fatal(w.Code, w.Header())
		}
	}
}

func BenchmarkServeBytesBaseline(b *testing.B) {
	_, _, site := newTestSite(b)
	w := httptest.NewRecorder()
	req := httptest.NewRequest("GET", "/", nil)
	req.Header.Set("Accept-Encoding", chromiumAcceptEncoding)
	site.Handler().ServeHTTP(w, req)
	body, header := w.Body.Bytes(), w.Header().Clone()
	h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		for k, v := range header {
			w.Header()[k] = v
		}
		w.Write(body)
	})
	b.ReportAllocs()
	for b.Loop() {
		h.ServeHTTP(httptest.NewRecorder(), req)
	}
}

// TestPageWeight keeps the home page within the budgets of issue 11 for a
// client that takes gzip but not brotli (the browser test in cmd/labdash
// measures Chromium, which takes brotli): at most 250 KB compressed on a
// first visit and 30 KB on a repeat visit, when the hashed assets come from
// the browser cache and the page revalidates.
func TestPageWeight(t *testing.T) {
	ts, _, _ := newTestSite(t)
	resp, body := get(t, ts.URL+"/", "Accept-Encoding", "gzip")
	first := transferSize(t, ts.URL+"/")
	fetched := map[string]bool{}
	fetch := func(url string) {
		if !fetched[url] {
			fetched[url] = true
			first += transferSize(t, ts.URL+url)
		}
	}
	for _, m := range regexp.MustCompile(`(?:src|href)="(/static/[^"]+)"`).FindAllStringSubmatch(body, -1) {
		fetch(m[1])
		if !strings.HasSuffix(m[1], ".js") {
			continue
		}
		// An ES module's static imports load with it.
		_, js := get(t, ts.URL+m[1], "Accept-Encoding", "gzip")
		for _, imp := range regexp.MustCompile(`from"(\./[^"]+)"`).FindAllStringSubmatch(js, -1) {
			fetch(path.Join(path.Dir(m[1]), imp[1]))
		}
	}
	repeat := headerSize(resp) // the 304 of the page; assets are not asked for again
	t.Logf("first visit %d bytes compressed, repeat visit about %d bytes", first, repeat)
	if first > 250_000 {
		t.Errorf("first visit transfers %d bytes, budget 250 KB", first)
	}
	if repeat > 30_000 {
		t.Errorf("repeat visit transfers %d bytes, budget 30 KB", repeat)
	}
}

// transferSize is the bytes a gzip-accepting client receives: headers and body.
func transferSize(t *testing.T, url string) int {
	req, _ := http.NewRequest("GET", url, nil)
	req.Header.Set("Accept-Encoding", "gzip")
	resp, err := (&http.Transport{DisableCompression: true}).RoundTrip(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	n, _ := io.Copy(io.Discard, resp.Body)
	return int(n) + headerSize(resp)
}

func headerSize(resp *http.Response) int {
	n := len("HTTP/1.1 200 OK\r\n\r\n")
	for k, vs := range resp.Header {
		for _, v := range vs {
			n += len(k) + len(v) + 4
		}
	}
	return n
}
