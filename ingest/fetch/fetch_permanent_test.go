package fetch

import (
	"context"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
)

// Failures that no retry can mend are reported after one attempt (issue 13:
// a redirect to file: was tried four times as if it were temporary).

// countingServer is a loopback server that counts the connections opened to
// it, which a refused TLS handshake never turns into a request.
func countingServer(t *testing.T, tlsOn bool, h http.HandlerFunc) (*httptest.Server, *atomic.Int32, *atomic.Int32) {
	t.Helper()
	var conns, hits atomic.Int32
	srv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hits.Add(1)
		h(w, r)
	}))
	srv.Config.ConnState = func(_ net.Conn, s http.ConnState) {
		if s == http.StateNew {
			conns.Add(1)
		}
	}
	if tlsOn {
		srv.StartTLS()
	} else {
		srv.Start()
	}
	t.Cleanup(srv.Close)
	return srv, &conns, &hits
}

func wantOneTry(t *testing.T, err error, tries int32, what string, want ...string) {
	t.Helper()
	if err == nil {
		t.Fatalf("%s: fetched", what)
	}
	if tries != 1 {
		t.Errorf("%s: tried %d times; it cannot succeed and must be tried once (%v)", what, tries, err)
	}
	for _, w := range want {
		if !strings.Contains(err.Error(), w) {
			t.Errorf("%s: error %q does not say %q", what, err, w)
		}
	}
	if strings.Contains(err.Error(), "gave up after") {
		t.Errorf("%s: error %q speaks of retries", what, err)
	}
}

func TestRedirectOffHTTPIsNotFollowedNorRetried(t *testing.T) {
	for _, target := range []string{"file:///etc/passwd", "ftp://ftp.example.test/oe.area", "gopher://example.test/"} {
		srv, _, hits := countingServer(t, false, func(w http.ResponseWriter, r *http.Request) {
			http.Redirect(w, r, target, http.StatusFound)
		})
		f := testFetcher(t)
		_, err := f.Fetch(t.Context(), Request{URL: srv.URL + "/oe.area"})
		wantOneTry(t, err, hits.Load(), "redirect to "+target, "redirects to \""+target+"\"", "not an http:// or https:// address")
		assertEmptyDir(t, f.TempDir)
	}
}

func TestRedirectLoopIsNotRetried(t *testing.T) {
	srv, _, hits := countingServer(t, false, func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, "/again", http.StatusFound)
	})
	_, err := testFetcher(t).Fetch(t.Context(), Request{URL: srv.URL + "/oe.area"})
	// One attempt: ten requests, each answered with a redirect.
	wantOneTry(t, err, hits.Load()/10, "a redirect loop", "redirected 10 times")
	if hits.Load() != 10 {
		t.Errorf("%d requests, want 10 (one attempt)", hits.Load())
	}
}

func TestClientErrorsAreNotRetried(t *testing.T) {
	for _, code := range []int{400, 401, 403, 404, 405, 410, 451, 501, 505} {
		srv, _, hits := countingServer(t, false, func(w http.ResponseWriter, r *http.Request) {
			http.Error(w, "no", code)
		})
		_, err := testFetcher(t).Fetch(t.Context(), Request{URL: srv.URL + "/oe.area"})
		wantOneTry(t, err, hits.Load(), http.StatusText(code), fmt.Sprintf("the server answered %d %s", code, http.StatusText(code)))
	}
	// Those that may pass are retried.
	for _, code := range []int{408, 429, 500, 502, 503, 504} {
		srv, _, hits := countingServer(t, false, func(w http.ResponseWriter, r *http.Request) {
			http.Error(w, "later", code)
		})
		f := testFetcher(t)
		f.Retries = 2
		if _, err := f.Fetch(t.Context(), Request{URL: srv.URL}); err == nil || hits.Load() != 3 {
			t.Errorf("%d: %d requests (%v), want 3", code, hits.Load(), err)
		}
	}
}

func TestUnknownHostIsNotRetried(t *testing.T) {
	var dials atomic.Int32
	f := testFetcher(t)
	f.Client = &http.Client{Transport: &http.Transport{DialContext: func(ctx context.Context, network, addr string) (net.Conn, error) {
		dials.Add(1)
		host, _, _ := net.SplitHostPort(addr)
		return nil, &net.DNSError{Err: "no such host", Name: host, IsNotFound: true}
	}}}
	_, err := f.Fetch(t.Context(), Request{URL: "https://downlaod.bls.gov/pub/time.series/oe/oe.area"})
	wantOneTry(t, err, dials.Load(), "a host that does not exist", "the host downlaod.bls.gov does not exist")

	// A DNS server that does not answer may answer next time.
	dials.Store(0)
	f.Retries = 2
	f.Client = &http.Client{Transport: &http.Transport{DialContext: func(ctx context.Context, network, addr string) (net.Conn, error) {
		dials.Add(1)
		return nil, &net.DNSError{Err: "i/o timeout", Name: "download.bls.gov", IsTimeout: true}
	}}}
	if _, err := f.Fetch(t.Context(), Request{URL: "https://download.bls.gov/pub/time.series/oe/oe.area"}); err == nil || dials.Load() != 3 {
		t.Errorf("a DNS timeout was tried %d times (%v), want 3", dials.Load(), err)
	}
}

func TestTLSFailuresAreNotRetried(t *testing.T) {
	t.Run("certificate not trusted", func(t *testing.T) {
		srv, conns, _ := countingServer(t, true, func(w http.ResponseWriter, r *http.Request) {})
		_, err := testFetcher(t).Fetch(t.Context(), Request{URL: srv.URL + "/oe.area"})
		wantOneTry(t, err, conns.Load(), "an untrusted certificate", "certificate cannot be trusted")
	})
	t.Run("https to a plain HTTP server", func(t *testing.T) {
		srv, conns, _ := countingServer(t, false, func(w http.ResponseWriter, r *http.Request) {})
		url := strings.Replace(srv.URL, "http://", "https://", 1) + "/oe.area"
		_, err := testFetcher(t).Fetch(t.Context(), Request{URL: url})
		wantOneTry(t, err, conns.Load(), "https to plain HTTP", "does not speak TLS")
	})
}
