package web

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strconv"

	"github.com/labdash/labdash/cite"
	"github.com/labdash/labdash/dashboard"
	"github.com/labdash/labdash/data"
	"github.com/labdash/labdash/obscsv"
)

// pageDef is one dashboard page: its path segment and how to build it from
// a snapshot and the query. build validates the query: a wrong value is a
// *dashboard.ParamError, which becomes a 400 page.
type pageDef struct {
	name     string // path segment; "" is the home page
	build    func(ctx context.Context, s *Server, snap data.Snapshot, q url.Values) (dashboard.Page, error)
	template string // "" renders page.html
}

// pages lists every dashboard page; each is served at /{name} for the latest
// snapshot and at /s/{snapshot}/{name} pinned, with its charts' CSVs below.
func (s *Server) pageDefs() []pageDef {
	return []pageDef{
		{name: "", build: buildHomePage},
		{name: "compare", build: buildComparePage},
		{name: "trends", build: buildTrendsPage},
		{name: "editions", build: buildEditionsPage},
		{name: "handout", build: buildHandoutPage, template: "handout.html"},
		{name: "occupation", build: buildOccupationPage},
		{name: "settings", build: buildSettingsPage},
		{name: "places", build: buildPlacesPage},
		{name: "ladder", build: buildLadderPage},
	}
}

func buildHomePage(ctx context.Context, s *Server, snap data.Snapshot, q url.Values) (dashboard.Page, error) {
	if err := dashboard.CheckParams(q); err != nil {
		return dashboard.Page{}, err
	}
	obs, err := s.store.Observations(ctx, snap.ID, data.Filter{Occupations: dashboard.HomeOccupations()})
	if err != nil {
		return dashboard.Page{}, err
	}
	return dashboard.BuildHome(snap, obs)
}

// registerPages adds each page's four routes: latest and pinned, page and CSV.
func (s *Server) registerPages(mux *http.ServeMux) {
	for _, def := range s.pageDefs() {
		pagePath, csvPath := "/"+def.name, "/"+def.name+"/{file}"
		if def.name == "" {
			pagePath, csvPath = "/{$}", "/home/{file}"
		}
		mux.Handle("GET "+pagePath, s.handle(s.servePage(def, false)))
		mux.Handle("GET /s/{snapshot}"+pagePath, s.handle(s.servePage(def, true)))
		mux.Handle("GET "+csvPath, s.handle(s.serveBlockCSV(def, false)))
		mux.Handle("GET /s/{snapshot}"+csvPath, s.handle(s.serveBlockCSV(def, true)))
	}
}

// pageView is what the page template gets.
type pageView struct {
	dashboard.Page
	Pinned    bool
	PinnedURL string // this page, pinned to its snapshot, with its query
	CSVBase   string // prefix of the blocks' CSV addresses (pinned)
	Query     string // "?..." or ""
	// NewerCheck is the uncached address a pinned page asks whether newer
	// data exists.
	NewerCheck string
	// Cites holds the citations of the page's charts and quick facts.
	Cites map[string][]cite.Citation
	// Handout is set on the counselor handout only.
	Handout handoutExtras
	// Figures says how many figures the snapshot holds and where they
	// were read (the snapshot bar).
	Figures string
}

func pagePaths(name string, snapID int64, q url.Values) (pinned, csvBase, query string) {
	if enc := q.Encode(); enc != "" {
		query = "?" + enc
	}
	csvName := name
	if csvName == "" {
		csvName = "home"
	}
	return fmt.Sprintf("/s/%d/%s", snapID, name) + query, fmt.Sprintf("/s/%d/%s", snapID, csvName), query
}

// snapshotFor resolves the snapshot of a latest or pinned address.
func (s *Server) snapshotFor(r *http.Request, pinned bool) (data.Snapshot, error) {
	if pinned {
		return s.pinnedSnapshot(r)
	}
	return s.latest(r)
}

// buildPage builds a page, turning a parameter error into a 400.
func (s *Server) buildPage(r *http.Request, def pageDef, snap data.Snapshot) (dashboard.Page, error) {
	p, err := def.build(r.Context(), s, snap, r.URL.Query())
	var pe *dashboard.ParamError
	if errors.As(err, &pe) {
		return p, &httpError{http.StatusBadRequest, fmt.Sprintf("The %s parameter %s %s.", paramName(pe.Param), quote(pe.Value), pe.Why)}
	}
	return p, err
}

func (s *Server) servePage(def pageDef, pinned bool) handlerFunc {
	return func(w http.ResponseWriter, r *http.Request) error {
		snap, err := s.snapshotFor(r, pinned)
		if err != nil {
			return err
		}
		address := "page/" + def.name + "?" + canonicalQuery(r.URL)
		key := address + "@" + strconv.FormatInt(snap.ID, 10)
		family := address // the latest data at this address
		if pinned {
			key, family = "pinned/"+key, ""
		}
		p, err := s.pages.get(key, family, r.URL.RequestURI(), func() (*encoded, error) {
			// The page is built for every request waiting on it, so a
			// client that goes away must not cancel it for the others.
			shared := r.WithContext(context.WithoutCancel(r.Context()))
			return s.renderPage(shared, def, snap, pinned)
		})
		if err != nil {
			return err
		}
		h := w.Header()
		h["Content-Type"] = htmlContentType
		if pinned {
			h["Cache-Control"] = cacheForever
		} else {
			h["Cache-Control"] = cacheRevalidate // the latest page changes when a snapshot is published
		}
		p.write(w, r)
		return nil
	}
}

// Header values of every cached page, made once.
var (
	htmlContentType = []string{"text/html; charset=utf-8"}
	cacheForever    = []string{"public, max-age=31536000, immutable"}
	cacheRevalidate = []string{"no-cache"}
)

// canonicalQuery orders a query's parameters, so one page is cached once
// whatever order its address lists them in.
func canonicalQuery(u *url.URL) string {
	if u.RawQuery == "" {
		return ""
	}
	return u.Query().Encode()
}

// renderPage builds a page of a snapshot, with its citations, and renders
// it into a cacheable response.
func (s *Server) renderPage(r *http.Request, def pageDef, snap data.Snapshot, pinned bool) (*encoded, error) {
	built, err := s.buildPage(r, def, snap)
	if err != nil {
		return nil, err
	}
	q := r.URL.Query()
	view := pageView{Page: built, Pinned: pinned}
	view.PinnedURL, view.CSVBase, view.Query = pagePaths(def.name, snap.ID, q)
	view.Cites = s.pageCitations(r, view)
	if view.Figures, err = s.snapshotFigures(r.Context(), snap); err != nil {
		return nil, err
	}
	name := "page.html"
	if def.template != "" {
		name = def.template
		if view.Handout, err = s.handoutExtras(view, s.baseURL(r)); err != nil {
			return nil, err
		}
	}
	view.NewerCheck = "/api/v1/newer?" + url.Values{"snapshot": {itoa(snap.ID)}, "page": {def.name}, "query": {q.Encode()}}.Encode()
	body, err := s.render(name, view)
	if err != nil {
		return nil, err
	}
	return encode(body), nil
}

// serveBlockCSV writes exactly the observations one chart of a page draws,
// as CSV or, for a name ending in .xlsx, as a workbook (serveBlockXLSX).
func (s *Server) serveBlockCSV(def pageDef, pinned bool) handlerFunc {
	return func(w http.ResponseWriter, r *http.Request) error {
		m := chartFileName.FindStringSubmatch(r.PathValue("file"))
		if m == nil {
			return errNotFound
		}
		if m[2] == "xlsx" {
			return s.serveBlockXLSX(w, r, def, pinned, m[1])
		}
		snap, err := s.snapshotFor(r, pinned)
		if err != nil {
			return err
		}
		q := r.URL.Query()
		bom, err := boolParam(q.Get("bom"), "bom")
		if err != nil {
			return err
		}
		q.Del("bom")
		r.URL.RawQuery = q.Encode()
		built, err := s.buildPage(r, def, snap)
		if err != nil {
			return err
		}
		block, ok := built.Block(m[1])
		if !ok || len(block.Observations) == 0 {
			return notFound("This page has no chart called %s.", quote(m[1]))
		}
		out := startCSV(w, r, fmt.Sprintf("labdash-%s-snapshot-%d.csv", block.ID, snap.ID))
		defer out.Close()
		if pinned {
			w.Header().Set("Cache-Control", "public, max-age=31536000, immutable")
		}
		return obscsv.WriteAll(out, block.Observations, bom)
	}
}
