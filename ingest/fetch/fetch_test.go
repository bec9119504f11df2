package fetch

import (
	"bytes"
	"compress/gzip"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/labdash/labdash/ingest/fileerr"
)

const fetchBody = "series_id\tyear\tperiod\tvalue\tfootnote_codes\n" +
	"OEUN000000000000029201813\t2024\tA01\t       61890\t\n"

// testFetcher retries almost at once and writes into its own temp dir.
func testFetcher(t *testing.T) *Fetcher {
	t.Helper()
	return &Fetcher{TempDir: t.TempDir(), Backoff: func(int) time.Duration { return time.Millisecond }}
}

// serve starts a loopback server and counts its requests.
func serve(t *testing.T, h http.HandlerFunc) (*httptest.Server, *atomic.Int32) {
	t.Helper()
	var hits atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hits.Add(1)
		h(w, r)
	}))
	t.Cleanup(srv.Close)
	return srv, &hits
}

// wait blocks a handler until the client goes away (or a test's worth of time).
func wait(r *http.Request) {
	select {
	case <-r.Context().Done():
	case <-time.After(3 * time.Second):
	}
}

func assertEmptyDir(t *testing.T, dir string) {
	t.Helper()
	ents, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range ents {
		t.Errorf("left behind in TempDir: %s", e.Name())
	}
}

func gzipped(t *testing.T, s string) []byte {
	t.Helper()
	var b bytes.Buffer
	zw := gzip.NewWriter(&b)
	zw.Write([]byte(s))
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func assertBody(t *testing.T, res *Result, want string) {
	t.Helper()
	got, err := os.ReadFile(res.Path)
	if err != nil {
		t.Fatal(err)
	}
	if string(got) != want {
		t.Errorf("body %q, want %q", got, want)
	}
	if res.Hash != HashBytes([]byte(want)) || res.Bytes != int64(len(want)) {
		t.Errorf("hash %s and %d bytes, want %s and %d", res.Hash, res.Bytes, HashBytes([]byte(want)), len(want))
	}
}

func TestFetchHTTPBody(t *testing.T) {
	const ua = "labdash/1 (ops@example.org)"
	srv, _ := serve(t, func(w http.ResponseWriter, r *http.Request) {
		if r.UserAgent() != ua {
			http.Error(w, "no contact", http.StatusForbidden)
			return
		}
		w.Header().Set("ETag", `"v1"`)
		w.Header().Set("Last-Modified", "Tue, 01 Apr 2025 12:00:00 GMT")
		w.Header().Set("Content-Type", "text/plain")
		io.WriteString(w, fetchBody)
	})
	f := testFetcher(t)
	res, err := f.Fetch(t.Context(), Request{URL: srv.URL + "/pub/time.series/oe/oe.data.0.Current", UserAgent: ua})
	if err != nil {
		t.Fatal(err)
	}
	assertBody(t, res, fetchBody)
	if res.ETag != `"v1"` || res.LastModified != "Tue, 01 Apr 2025 12:00:00 GMT" || res.ContentType != "text/plain" ||
		res.Attempts != 1 || res.NotModified {
		t.Errorf("result %+v", res)
	}
	if filepath.Dir(res.Path) != f.TempDir || !strings.Contains(filepath.Base(res.Path), "oe.data.0.Current") {
		t.Errorf("temp file %s, want one named after the file in %s", res.Path, f.TempDir)
	}
	res.Cleanup()
	res.Cleanup()
	assertEmptyDir(t, f.TempDir)

	_, err = f.Fetch(t.Context(), Request{URL: srv.URL + "/x"})
	var se *StatusError
	if !errors.As(err, &se) || se.StatusCode != 403 || !strings.Contains(err.Error(), "user_agent") {
		t.Errorf("without a user agent: %v", err)
	}
}

func TestFetchConditional(t *testing.T) {
	const etag, lastMod = `"abc"`, "Tue, 01 Apr 2025 12:00:00 GMT"
	srv, _ := serve(t, func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("If-None-Match") == etag && r.Header.Get("If-Modified-Since") == lastMod {
			w.WriteHeader(http.StatusNotModified)
			return
		}
		io.WriteString(w, fetchBody)
	})
	f := testFetcher(t)
	prev := HashBytes([]byte(fetchBody))
	res, err := f.Fetch(t.Context(), Request{URL: srv.URL, ETag: etag, LastModified: lastMod, PreviousHash: prev})
	if err != nil {
		t.Fatal(err)
	}
	if !res.NotModified || res.Path != "" || res.Hash != prev || res.ETag != etag || res.LastModified != lastMod {
		t.Errorf("304: result %+v", res)
	}
	assertEmptyDir(t, f.TempDir)

	// The server ignores the validators, but the bytes are the same.
	res, err = f.Fetch(t.Context(), Request{URL: srv.URL, ETag: `"other"`, PreviousHash: strings.ToUpper(prev)})
	if err != nil {
		t.Fatal(err)
	}
	if !res.NotModified || res.Path != "" || res.Hash != prev || res.Bytes != int64(len(fetchBody)) {
		t.Errorf("same bytes: result %+v", res)
	}
	assertEmptyDir(t, f.TempDir)
}

func TestFetchRetries(t *testing.T) {
	t.Run("500, 500, 200", func(t *testing.T) {
		var n atomic.Int32
		srv, _ := serve(t, func(w http.ResponseWriter, r *http.Request) {
			if n.Add(1) < 3 {
				http.Error(w, "busy", http.StatusInternalServerError)
				return
			}
			io.WriteString(w, fetchBody)
		})
		res, err := testFetcher(t).Fetch(t.Context(), Request{URL: srv.URL})
		if err != nil {
			t.Fatal(err)
		}
		defer res.Cleanup()
		assertBody(t, res, fetchBody)
		if res.Attempts != 3 {
			t.Errorf("%d attempts, want 3", res.Attempts)
		}
	})
	t.Run("503 forever", func(t *testing.T) {
		srv, hits := serve(t, func(w http.ResponseWriter, r *http.Request) {
			http.Error(w, "down", http.StatusServiceUnavailable)
		})
		f := testFetcher(t)
		f.Retries = 2
		_, err := f.Fetch(t.Context(), Request{URL: srv.URL})
		var fe *Error
		var se *StatusError
		if !errors.As(err, &fe) || fe.Attempts != 3 || !errors.As(err, &se) || se.StatusCode != 503 {
			t.Fatalf("error %v", err)
		}
		if hits.Load() != 3 {
			t.Errorf("%d requests, want 3", hits.Load())
		}
		want := fmt.Sprintf("fetch %s: the server answered 503 Service Unavailable (gave up after 3 attempts)", srv.URL)
		if err.Error() != want {
			t.Errorf("error %q,\nwant  %q", err, want)
		}
	})
	t.Run("404 at once", func(t *testing.T) {
		srv, hits := serve(t, http.NotFound)
		_, err := testFetcher(t).Fetch(t.Context(), Request{URL: srv.URL + "/pub/oe.gone"})
		var se *StatusError
		if !errors.As(err, &se) || se.StatusCode != 404 || hits.Load() != 1 {
			t.Errorf("error %v after %d requests", err, hits.Load())
		}
	})
	t.Run("429 Retry-After honoured", func(t *testing.T) {
		t.Parallel()
		var n atomic.Int32
		srv, _ := serve(t, func(w http.ResponseWriter, r *http.Request) {
			if n.Add(1) == 1 {
				w.Header().Set("Retry-After", "1")
				http.Error(w, "slow down", http.StatusTooManyRequests)
				return
			}
			io.WriteString(w, fetchBody)
		})
		start := time.Now()
		res, err := testFetcher(t).Fetch(t.Context(), Request{URL: srv.URL})
		if err != nil {
			t.Fatal(err)
		}
		res.Cleanup()
		if d := time.Since(start); d < 900*time.Millisecond || res.Attempts != 2 {
			t.Errorf("retried after %s in %d attempts; want a 1 s wait", d, res.Attempts)
		}
	})
	t.Run("429 Retry-After too long", func(t *testing.T) {
		srv, hits := serve(t, func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Retry-After", "3600")
			http.Error(w, "slow down", http.StatusTooManyRequests)
		})
		_, err := testFetcher(t).Fetch(t.Context(), Request{URL: srv.URL})
		t.Log(err)
		if err == nil || !strings.Contains(err.Error(), "retried in 1h0m0s") || hits.Load() != 1 {
			t.Errorf("error %v after %d requests", err, hits.Load())
		}
	})
}

// truncate promises more bytes than it sends, then drops the connection.
func truncate(w http.ResponseWriter, _ *http.Request) {
	w.Header().Set("Content-Length", "100000")
	io.WriteString(w, fetchBody)
	w.(http.Flusher).Flush()
	conn, _, err := w.(http.Hijacker).Hijack()
	if err == nil {
		conn.Close()
	}
}

func TestFetchTruncated(t *testing.T) {
	srv, hits := serve(t, truncate)
	f := testFetcher(t)
	f.Retries = 1
	res, err := f.Fetch(t.Context(), Request{URL: srv.URL})
	t.Log(err)
	if res != nil || !errors.Is(err, fileerr.ErrFileTruncated) || !errors.Is(err, io.ErrUnexpectedEOF) {
		t.Fatalf("result %v, error %v", res, err)
	}
	if hits.Load() != 2 {
		t.Errorf("%d requests, want 2 (a cut-off download is retried)", hits.Load())
	}
	assertEmptyDir(t, f.TempDir)
}

func TestFetchRefusals(t *testing.T) {
	big := strings.Repeat("x\t1\n", 1000)
	cases := []struct {
		name    string
		handler http.HandlerFunc
		kind    error
		text    string
	}{
		{"HTML page with status 200", func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "text/plain")
			io.WriteString(w, "\n<!DOCTYPE html><html><body>Access Denied</body></html>")
		}, fileerr.ErrFileIsHTML, "returned an HTML page (status 200), not a data file"},
		{"HTML content type", func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "text/html; charset=utf-8")
			io.WriteString(w, "Request Rejected")
		}, fileerr.ErrFileIsHTML, "check user_agent"},
		{"empty body", func(w http.ResponseWriter, r *http.Request) {}, fileerr.ErrFileEmpty, "returned an empty file"},
		{"gzip of nothing", func(w http.ResponseWriter, r *http.Request) {
			w.Write(gzipped(t, ""))
		}, fileerr.ErrFileEmpty, "returned an empty file"},
		{"too large, by Content-Length", func(w http.ResponseWriter, r *http.Request) {
			io.WriteString(w, big)
		}, ErrDownloadTooLarge, "the download is larger than the 1000-byte limit"},
		{"too large, streamed", func(w http.ResponseWriter, r *http.Request) {
			for i := 0; i < 4; i++ {
				io.WriteString(w, big[:1000])
				w.(http.Flusher).Flush() // chunked: no Content-Length
			}
		}, ErrDownloadTooLarge, "larger than the 1000-byte limit"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			srv, hits := serve(t, c.handler)
			f := testFetcher(t)
			f.MaxBytes = 1000
			res, err := f.Fetch(t.Context(), Request{URL: srv.URL + "/oe.area"})
			t.Log(err)
			if res != nil || !errors.Is(err, c.kind) || !strings.Contains(err.Error(), c.text) ||
				!strings.HasPrefix(err.Error(), "fetch "+srv.URL+"/oe.area: ") {
				t.Errorf("result %v, error %v", res, err)
			}
			if hits.Load() != 1 {
				t.Errorf("%d requests; a refused body is not retried", hits.Load())
			}
			assertEmptyDir(t, f.TempDir)
		})
	}
}

func TestFetchGzip(t *testing.T) {
	gz := gzipped(t, fetchBody)
	srv, _ := serve(t, func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/encoded": // sent even when not offered, as some servers do
			w.Header().Set("Content-Encoding", "gzip")
		case "/oe.data.gz":
			w.Header().Set("Content-Type", "application/gzip")
		}
		w.Write(gz)
	})
	plain := &http.Client{Transport: &http.Transport{DisableCompression: true}}
	for _, c := range []struct {
		path   string
		client *http.Client
	}{{"/encoded", nil}, {"/encoded", plain}, {"/oe.data.gz", nil}, {"/no-suffix", nil}} {
		f := testFetcher(t)
		f.Client = c.client
		res, err := f.Fetch(t.Context(), Request{URL: srv.URL + c.path})
		if err != nil {
			t.Fatalf("%s: %v", c.path, err)
		}
		assertBody(t, res, fetchBody)
		res.Cleanup()
		assertEmptyDir(t, f.TempDir)
	}
}

func TestFetchLocalFile(t *testing.T) {
	dir := t.TempDir()
	write := func(name string, b []byte) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, b, 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	data := write("oe.area", []byte(fetchBody))
	for _, u := range []string{"file://" + filepath.ToSlash(data), data} {
		f := testFetcher(t)
		res, err := f.Fetch(t.Context(), Request{URL: u})
		if err != nil {
			t.Fatalf("%s: %v", u, err)
		}
		if res.Path != data || res.LastModified == "" || res.Attempts != 1 {
			t.Errorf("%s: result %+v", u, res)
		}
		assertBody(t, res, fetchBody)
		res.Cleanup()
		if _, err := os.Stat(data); err != nil {
			t.Fatalf("Cleanup removed the user's own file: %v", err)
		}
		res, err = f.Fetch(t.Context(), Request{URL: u, PreviousHash: HashBytes([]byte(fetchBody))})
		if err != nil || !res.NotModified || res.Path != "" {
			t.Errorf("%s with the previous hash: %+v, %v", u, res, err)
		}
		assertEmptyDir(t, f.TempDir)
	}

	f := testFetcher(t)
	res, err := f.Fetch(t.Context(), Request{URL: write("oe.data.gz", gzipped(t, fetchBody))})
	if err != nil {
		t.Fatal(err)
	}
	assertBody(t, res, fetchBody)
	res.Cleanup()
	assertEmptyDir(t, f.TempDir)

	f.MaxBytes = 10
	cut := gzipped(t, fetchBody)
	for _, c := range []struct {
		url  string
		kind error
	}{
		{write("empty", nil), fileerr.ErrFileEmpty},
		{write("page.html", []byte("<html><head><title>404</title>")), fileerr.ErrFileIsHTML},
		{data, ErrDownloadTooLarge},
		{write("cut.gz", cut[:len(cut)-6]), fileerr.ErrFileTruncated},
		{filepath.Join(dir, "missing"), os.ErrNotExist},
	} {
		f.MaxBytes = 0
		if c.kind == ErrDownloadTooLarge {
			f.MaxBytes = 10
		}
		_, err := f.Fetch(t.Context(), Request{URL: c.url})
		t.Log(err)
		if !errors.Is(err, c.kind) || !strings.HasPrefix(err.Error(), "fetch "+c.url+": ") {
			t.Errorf("%s: error %v, want %v", c.url, err, c.kind)
		}
		assertEmptyDir(t, f.TempDir)
	}
	for _, u := range []string{"ftp://example.org/oe.area", "file://host/oe.area", "file:oe.area", ""} {
		_, err := f.Fetch(t.Context(), Request{URL: u})
		t.Log(err)
		if err == nil {
			t.Errorf("%q: no error", u)
		}
	}
}

func TestFetchCancel(t *testing.T) {
	t.Run("during backoff", func(t *testing.T) {
		t.Parallel()
		srv, hits := serve(t, func(w http.ResponseWriter, r *http.Request) {
			http.Error(w, "down", http.StatusBadGateway)
		})
		f := testFetcher(t)
		f.Backoff = func(int) time.Duration { return 10 * time.Second }
		ctx, cancel := context.WithTimeout(t.Context(), 100*time.Millisecond)
		defer cancel()
		start := time.Now()
		_, err := f.Fetch(ctx, Request{URL: srv.URL})
		t.Log(err)
		if !errors.Is(err, context.DeadlineExceeded) || time.Since(start) > 2*time.Second || hits.Load() != 1 {
			t.Errorf("error %v after %s and %d requests", err, time.Since(start), hits.Load())
		}
	})
	t.Run("during the body", func(t *testing.T) {
		t.Parallel()
		srv, _ := serve(t, func(w http.ResponseWriter, r *http.Request) {
			io.WriteString(w, fetchBody)
			w.(http.Flusher).Flush()
			wait(r)
		})
		f := testFetcher(t)
		ctx, cancel := context.WithCancel(t.Context())
		time.AfterFunc(100*time.Millisecond, cancel)
		start := time.Now()
		_, err := f.Fetch(ctx, Request{URL: srv.URL})
		if !errors.Is(err, context.Canceled) || time.Since(start) > 2*time.Second {
			t.Errorf("error %v after %s", err, time.Since(start))
		}
		assertEmptyDir(t, f.TempDir)
	})
}

func TestFetchStalls(t *testing.T) {
	t.Run("past the client timeout", func(t *testing.T) {
		t.Parallel()
		srv, hits := serve(t, func(w http.ResponseWriter, r *http.Request) { wait(r) })
		f := testFetcher(t)
		f.Client = &http.Client{Timeout: 100 * time.Millisecond}
		f.Retries = 1
		_, err := f.Fetch(t.Context(), Request{URL: srv.URL})
		t.Log(err)
		if err == nil || !strings.Contains(err.Error(), "Client.Timeout") || hits.Load() != 2 {
			t.Errorf("error %v after %d requests", err, hits.Load())
		}
		assertEmptyDir(t, f.TempDir)
	})
	t.Run("mid-body, caught by the watchdog", func(t *testing.T) {
		t.Parallel()
		srv, hits := serve(t, func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Length", "100000")
			io.WriteString(w, fetchBody)
			w.(http.Flusher).Flush()
			wait(r)
		})
		f := testFetcher(t)
		f.StallTimeout = 100 * time.Millisecond
		f.Retries = 1
		_, err := f.Fetch(t.Context(), Request{URL: srv.URL})
		t.Log(err)
		if !errors.Is(err, errStalled) || !strings.Contains(err.Error(), "nothing arrived for 100ms") || hits.Load() != 2 {
			t.Errorf("error %v after %d requests", err, hits.Load())
		}
		assertEmptyDir(t, f.TempDir)
	})
}

func TestFetchProgress(t *testing.T) {
	const chunks, size = 6, 64 << 10
	srv, _ := serve(t, func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Length", strconv.Itoa(chunks*size))
		for i := 0; i < chunks; i++ {
			w.Write(bytes.Repeat([]byte{'a' + byte(i)}, size))
			w.(http.Flusher).Flush()
			time.Sleep(60 * time.Millisecond)
		}
	})
	var mu sync.Mutex
	var seen []int64
	f := testFetcher(t)
	f.Progress = func(url string, n int64) {
		mu.Lock()
		defer mu.Unlock()
		if url != srv.URL+"/oe.data.0.Current" {
			t.Errorf("progress for %q", url)
		}
		seen = append(seen, n)
	}
	res, err := f.Fetch(t.Context(), Request{URL: srv.URL + "/oe.data.0.Current"})
	if err != nil {
		t.Fatal(err)
	}
	res.Cleanup()
	mu.Lock()
	defer mu.Unlock()
	if len(seen) < 2 || len(seen) > chunks || seen[len(seen)-1] != chunks*size {
		t.Errorf("progress %v: want a few throttled reports ending at %d", seen, chunks*size)
	}
	for i := 1; i < len(seen); i++ {
		if seen[i] < seen[i-1] {
			t.Errorf("progress went backwards: %v", seen)
		}
	}
}

func TestRetryAfter(t *testing.T) {
	now := time.Date(2025, 4, 1, 12, 0, 0, 0, time.UTC)
	for v, want := range map[string]time.Duration{
		"": 0, "5": 5 * time.Second, "-3": 0, "soon": 0,
		"Tue, 01 Apr 2025 12:00:30 GMT": 30 * time.Second, "Tue, 01 Apr 2025 11:00:00 GMT": 0,
	} {
		if got := retryAfter(v, now); got != want {
			t.Errorf("Retry-After %q: %s, want %s", v, got, want)
		}
	}
}
