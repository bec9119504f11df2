package web

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/labdash/labdash/charts"
	"github.com/labdash/labdash/dashboard"
	"github.com/labdash/labdash/data"
)

func TestPageCacheKeepsGoodPagesThroughErrors(t *testing.T) {
	c := newPageCache(2)
	build := func() (*encoded, error) { return encode([]byte("ok")), nil }
	c.get("a", "", "", build)
	c.get("b", "", "", build)
	for i := range 10 {
		if _, err := c.get(fmt.Sprint("bad", i), "", "", func() (*encoded, error) { return nil, errors.New("bad request") }); err == nil {
			t.Fatal("an error was not returned")
		}
	}
	if c.len() != 2 {
		t.Fatalf("%d pages cached after failed builds, want the 2 good ones", c.len())
	}
	built := 0
	c.get("a", "", "", func() (*encoded, error) { built++; return encode(nil), nil })
	if built != 0 {
		t.Error("a good page was evicted by failed builds")
	}
	c.get("c", "", "", build)
	if c.len() != 2 {
		t.Errorf("%d pages cached, bound is 2", c.len())
	}
}

// A page whose chart fails to build is logged and answered 500, and
// nothing is cached: the next request builds the page again.
func TestFailedChartIsLoggedAnsweredAndNotCached(t *testing.T) {
	var logged bytes.Buffer
	ts, _, site := newTestSiteWith(t, Options{}, slog.New(slog.NewTextHandler(&logged, nil)))
	builds := 0
	def := pageDef{name: "flaky", build: func(ctx context.Context, s *Server, snap data.Snapshot, q url.Values) (dashboard.Page, error) {
		builds++
		if builds == 1 {
			return dashboard.Page{}, fmt.Errorf("building chart wage-trend: %w", charts.ErrBadInput)
		}
		return dashboard.Page{Name: "flaky", Title: "Built on the second try", Snapshot: snap}, nil
	}}
	handler := site.handle(site.servePage(def, false))
	serve := func() (int, string) {
		rec := httptest.NewRecorder()
		handler.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, ts.URL+"/flaky", nil))
		return rec.Code, rec.Body.String()
	}
	code, body := serve()
	if code != http.StatusInternalServerError || strings.Contains(body, "wage-trend") ||
		!strings.Contains(logged.String(), "building chart wage-trend") || site.pages.len() != 0 {
		t.Errorf("failed build: %d, body names the chart: %v, logged %q, %d pages cached", code, strings.Contains(body, "wage-trend"), logged.String(), site.pages.len())
	}
	code, body = serve()
	if code != http.StatusOK || !strings.Contains(body, "Built on the second try") || builds != 2 || site.pages.len() != 1 {
		t.Errorf("second request: %d after %d builds, %d pages cached", code, builds, site.pages.len())
	}
}

// While a publish's new page is built, other requests for the latest data at
// that address get the newest page already built instead of waiting; the
// request that builds it, and a pinned page, get exactly their page.
func TestPageCacheServesTheNewestPageWhileTheNextBuilds(t *testing.T) {
	c := newPageCache(8)
	old, newer := encode([]byte("snapshot 1")), encode([]byte("snapshot 2"))
	c.get("home@1", "home", "", func() (*encoded, error) { return old, nil })
	building, release := make(chan struct{}), make(chan struct{})
	built := make(chan *encoded)
	go func() {
		p, _ := c.get("home@2", "home", "", func() (*encoded, error) { close(building); <-release; return newer, nil })
		built <- p
	}()
	<-building
	if p, _ := c.get("home@2", "home", "", nil); p != old {
		t.Error("a request during the build did not get the newest page built")
	}
	pinned := make(chan *encoded)
	go func() { p, _ := c.get("home@2", "", "", nil); pinned <- p }()
	close(release)
	if p := <-built; p != newer {
		t.Error("the request that built the page did not get it")
	}
	if p := <-pinned; p != newer {
		t.Error("a request that must have its own page got another")
	}
	if p, _ := c.get("home@2", "home", "", nil); p != newer {
		t.Error("after the build, a request got an older page")
	}
}

// The stand-in goes when its page is evicted, so the cache stays bounded.
func TestPageCacheForgetsEvictedStandIns(t *testing.T) {
	c := newPageCache(2)
	for i := range 5 {
		c.get(fmt.Sprint("page@", i), fmt.Sprint("address", i), "", func() (*encoded, error) { return encode([]byte("p")), nil })
	}
	if c.len() != 2 || len(c.newest) != 2 {
		t.Errorf("%d pages and %d stand-ins cached, bound is 2", c.len(), len(c.newest))
	}
}

// After a publish, Refresh renders the latest pages read most recently from
// the new snapshot before it returns: the next reader of each gets it from
// the cache, with nothing left to render. Pinned pages are not renewed (they
// never change), and no more than warmPages latest pages are.
func TestRefreshRendersRecentPagesAhead(t *testing.T) {
	ts, store, site := newTestSite(t)
	recent := []string{"/ladder", "/trends", "/compare", "/settings", "/"} // the last read first
	for _, path := range append([]string{"/places", "/s/1/"}, recent...) {
		get(t, ts.URL+path)
	}
	snap := publishRevision(t, store)
	site.Refresh()

	renewed := map[string]bool{}
	for key := range site.pages.entries {
		if before, ok := strings.CutSuffix(key, fmt.Sprintf("@%d", snap.ID)); ok {
			renewed[before] = true
		}
	}
	want := []string{"page/?", "page/settings?", "page/compare?", "page/trends?"}
	if len(renewed) != warmPages || len(want) != warmPages {
		t.Fatalf("Refresh rendered %d pages of snapshot %d (%v), want the %d read last: %v", len(renewed), snap.ID, renewed, warmPages, want)
	}
	for _, address := range want {
		if !renewed[address] {
			t.Errorf("Refresh did not render %s of snapshot %d: %v", address, snap.ID, renewed)
		}
	}
	cached := site.pages.len()
	_, body := get(t, ts.URL+"/")
	if site.pages.len() != cached {
		t.Error("the home page was rendered again after Refresh had rendered it")
	}
	if !strings.Contains(body, fmt.Sprintf("/s/%d/", snap.ID)) {
		t.Errorf("the home page after Refresh does not show snapshot %d", snap.ID)
	}
}
