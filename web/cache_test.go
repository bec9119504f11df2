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
	build := func() (*page, error) { return newPage([]byte("ok")), nil }
	c.get("a", build)
	c.get("b", build)
	for i := range 10 {
		if _, err := c.get(fmt.Sprint("bad", i), func() (*page, error) { return nil, errors.New("bad request") }); err == nil {
			t.Fatal("an error was not returned")
		}
	}
	if c.len() != 2 {
		t.Fatalf("%d pages cached after failed builds, want the 2 good ones", c.len())
	}
	built := 0
	c.get("a", func() (*page, error) { built++; return newPage(nil), nil })
	if built != 0 {
		t.Error("a good page was evicted by failed builds")
	}
	c.get("c", build)
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
