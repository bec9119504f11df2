package web

import (
	"bytes"
	"compress/gzip"
	"io"
	"math/bits"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/andybalholm/brotli"
)

func TestChooseContentCoding(t *testing.T) {
	e := encode([]byte(strings.Repeat("labdash compresses well. ", 200)))
	cases := []struct {
		acceptEncoding string
		want           string
	}{
		{"", ""},
		{"gzip", "gzip"},
		{"gzip, deflate, br", "br"},
		{"gzip, deflate, br, zstd", "br"},
		{"BR;q=1.0, gzip;q=1.0", "br"},
		{"br;q=0.5, gzip", "gzip"},
		{"br;q=0, gzip;q=0.1", "gzip"},
		{"x-gzip", "gzip"},
		{"*", "br"},
		{"*;q=0, identity", ""},
		{"deflate, zstd", ""},
		{"identity;q=0", ""}, // nothing else acceptable: identity all the same
	}
	for _, c := range cases {
		if got := codingNames[e.choose(c.acceptEncoding)]; got != c.want {
			t.Errorf("Accept-Encoding %q: sent %q, want %q", c.acceptEncoding, got, c.want)
		}
	}
}

func TestEncodedResponseHeadersPerCoding(t *testing.T) {
	body := []byte(strings.Repeat("a page of figures, ", 500))
	e := encode(body)
	etags := map[string]bool{}
	for _, accept := range []string{"", "gzip", "br"} {
		req := httptest.NewRequest("GET", "/", nil)
		req.Header.Set("Accept-Encoding", accept)
		w := httptest.NewRecorder()
		e.write(w, req)
		h := w.Header()
		if h.Get("Vary") != "Accept-Encoding" {
			t.Errorf("%q: Vary %q", accept, h.Get("Vary"))
		}
		if h.Get("Content-Encoding") != accept {
			t.Errorf("%q: Content-Encoding %q", accept, h.Get("Content-Encoding"))
		}
		if h.Get("Content-Length") != itoa(int64(w.Body.Len())) {
			t.Errorf("%q: Content-Length %s for %d bytes", accept, h.Get("Content-Length"), w.Body.Len())
		}
		if got := decompress(t, accept, w.Body.Bytes()); !bytes.Equal(got, body) {
			t.Errorf("%q: the body does not decode to the page", accept)
		}
		etag := h.Get("ETag")
		if etags[etag] || etag == "" {
			t.Errorf("%q: ETag %q is empty or shared with another coding", accept, etag)
		}
		etags[etag] = true

		// The client revalidates what it has: a 304 without a body.
		req.Header.Set("If-None-Match", `W/"other", `+etag)
		w = httptest.NewRecorder()
		e.write(w, req)
		if w.Code != http.StatusNotModified || w.Body.Len() != 0 || w.Header().Get("ETag") != etag {
			t.Errorf("%q: revalidation gave %d with %d bytes", accept, w.Code, w.Body.Len())
		}
	}
	req := httptest.NewRequest("HEAD", "/", nil)
	req.Header.Set("Accept-Encoding", "br")
	w := httptest.NewRecorder()
	e.write(w, req)
	if w.Body.Len() != 0 || w.Header().Get("Content-Length") == "0" {
		t.Errorf("HEAD: %d body bytes, Content-Length %s", w.Body.Len(), w.Header().Get("Content-Length"))
	}
}

func TestEncodeKeepsNoCodingThatIsNotSmaller(t *testing.T) {
	e := encode([]byte("x"))
	if e.bodies[codingGzip] != nil || e.bodies[codingBrotli] != nil {
		t.Error("a one-byte body kept a compressed form")
	}
	req := httptest.NewRequest("GET", "/", nil)
	req.Header.Set("Accept-Encoding", "gzip, br")
	w := httptest.NewRecorder()
	e.write(w, req)
	if w.Header().Get("Content-Encoding") != "" || w.Body.String() != "x" {
		t.Errorf("sent %q as %q", w.Body.String(), w.Header().Get("Content-Encoding"))
	}
}

// A precompressed file from an older build must not stand for the new one.
func TestDecodesChecksThePrecompressedForm(t *testing.T) {
	body := []byte(strings.Repeat("echarts ", 300))
	if !decodes(brotliBytes(body, 11), body, codingBrotli) || !decodes(gzipBytes(body, gzip.BestCompression), body, codingGzip) {
		t.Fatal("a matching form was refused")
	}
	older := append([]byte("older "), body...)
	for _, bad := range [][]byte{brotliBytes(older, 11), []byte("not brotli"), nil} {
		if decodes(bad, body, codingBrotli) {
			t.Errorf("a brotli form of other bytes (%d bytes) was taken", len(bad))
		}
	}
	if decodes(gzipBytes(older, gzip.BestCompression), body, codingGzip) || decodes(gzipBytes(body[1:], gzip.BestCompression), body, codingGzip) {
		t.Error("a gzip form of other bytes was taken")
	}
}

// A compressor kept from an earlier page (gzipBytes, brotliBytes) writes a
// page exactly as a new one does: nothing of the earlier page is left in it.
func TestKeptCompressorsWriteAsNewOnes(t *testing.T) {
	page := []byte(strings.Repeat("<tr><td>Phlebotomists</td><td>41,810</td></tr>\n", 400))
	other := []byte(strings.Repeat("<tr><td>Medical and clinical laboratory technologists</td></tr>\n", 330))
	var fresh [2]bytes.Buffer
	zw, _ := gzip.NewWriterLevel(&fresh[0], gzipServingLevel)
	zw.Write(page)
	zw.Close()
	bw := brotli.NewWriterOptions(&fresh[1], brotli.WriterOptions{Quality: brotliServingQuality,
		LGWin: min(max(bits.Len(uint(len(page))), 10), 24)})
	bw.Write(page)
	bw.Close()
	for round := range 3 {
		gzipBytes(other, gzipServingLevel) // leaves its compressor for the next
		brotliBytes(other, brotliServingQuality)
		if got := gzipBytes(page, gzipServingLevel); !bytes.Equal(got, fresh[0].Bytes()) || !decodes(got, page, codingGzip) {
			t.Errorf("round %d: gzip from a kept compressor differs from a new one's", round)
		}
		if got := brotliBytes(page, brotliServingQuality); !bytes.Equal(got, fresh[1].Bytes()) || !decodes(got, page, codingBrotli) {
			t.Errorf("round %d: brotli from a kept compressor differs from a new one's", round)
		}
	}
	if len(gzipWriters.idle) != keptSpares || len(brotliWriters[bits.Len(uint(len(page)))].idle) != keptSpares {
		t.Error("the compressors were not kept for the next page")
	}
}

// The vendored files are served in the forms the build made at brotli's
// best quality, not compressed again at start-up.
func TestVendorFilesServedAsBuilt(t *testing.T) {
	ts, _, site := newTestSite(t)
	for _, name := range []string{"vendor/echarts.js", "vendor/echarts-map.js", "vendor/states-albers-10m.json"} {
		built, err := staticFiles.ReadFile("static/" + name + ".br")
		if err != nil {
			t.Fatalf("%s: the build made no brotli form: %v", name, err)
		}
		url, _ := site.assets.URL(name)
		req, _ := http.NewRequest("GET", ts.URL+url, nil)
		req.Header.Set("Accept-Encoding", "gzip, deflate, br")
		resp, err := (&http.Transport{DisableCompression: true}).RoundTrip(req)
		if err != nil {
			t.Fatal(err)
		}
		got, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.Header.Get("Content-Encoding") != "br" || !bytes.Equal(got, built) {
			t.Errorf("%s: sent %d bytes as %q, the build's brotli form has %d", name, len(got), resp.Header.Get("Content-Encoding"), len(built))
		}
	}
}

func decompress(t *testing.T, coding string, b []byte) []byte {
	t.Helper()
	var r io.Reader = bytes.NewReader(b)
	switch coding {
	case "br":
		r = brotli.NewReader(r)
	case "gzip":
		zr, err := gzip.NewReader(r)
		if err != nil {
			t.Fatal(err)
		}
		r = zr
	}
	out, err := io.ReadAll(r)
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// A page asks for the chunk the ECharts bundle imports together with the
// bundle, not one round trip after it.
func TestPagesPreloadTheEChartsChunk(t *testing.T) {
	ts, _, site := newTestSite(t)
	imports, err := site.assets.Imports("vendor/echarts.js")
	if err != nil || len(imports) == 0 {
		t.Fatalf("the ECharts bundle imports no chunk (%v)", err)
	}
	for _, path := range []string{"/", "/s/1/handout?code=29-2010"} {
		_, body := get(t, ts.URL+path)
		for _, chunk := range imports {
			if !strings.Contains(body, `<link rel="modulepreload" href="`+chunk+`">`) {
				t.Errorf("%s does not preload %s", path, chunk)
			}
			if resp, _ := get(t, ts.URL+chunk); resp.StatusCode != 200 {
				t.Errorf("%s: %d", chunk, resp.StatusCode)
			}
		}
	}
}
