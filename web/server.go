// Package web serves the dashboard: routes in one place, one page per file,
// templates and static assets embedded, pages of a snapshot rendered once and
// served from memory.
package web

import (
	"bytes"
	"embed"
	"fmt"
	"html/template"
	"log/slog"
	"net/http"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/labdash/labdash/charts"
	"github.com/labdash/labdash/dashboard"
	"github.com/labdash/labdash/data"
)

//go:embed templates/*.html
var templateFiles embed.FS

// Server holds what handlers share. It has no mutable state besides the page
// cache, which guards itself.
type Server struct {
	store  *data.Store
	log    *slog.Logger
	assets *assets
	tmpl   *template.Template
	pages  *pageCache
	// pageRoutes serves only the pages: Refresh renders through it.
	pageRoutes *http.ServeMux

	latestCache latestSnapshot
	ingester    Ingester // nil when the server does not ingest
	adminToken  string   // "" turns POST /admin/ingest off
	publicURL   string   // the address citations name; "" = the request's own
	now         func() time.Time
}

// Options are the optional parts of a server.
type Options struct {
	Ingester   Ingester
	AdminToken string
	// BaseURL is the public address citations and data packages name
	// (LABDASH_BASE_URL), e.g. "https://labdash.example.edu". Empty: the
	// DefaultBaseURL.
	BaseURL string
	// Now is the clock (data.Now when nil): it dates the latest-snapshot
	// cache.
	Now func() time.Time
}

// New prepares templates and assets; it fails when an asset is missing.
func New(store *data.Store, log *slog.Logger, opts Options) (*Server, error) {
	a, err := loadAssets()
	if err != nil {
		return nil, err
	}
	s := &Server{store: store, log: log, assets: a, pages: newPageCache(64),
		ingester: opts.Ingester, adminToken: opts.AdminToken, publicURL: strings.TrimSuffix(opts.BaseURL, "/"), now: opts.Now}
	if s.now == nil {
		s.now = data.Now
	}
	s.tmpl, err = template.New("").Funcs(s.templateFuncs()).ParseFS(templateFiles, "templates/*.html")
	if err != nil {
		return nil, err
	}
	s.pageRoutes = http.NewServeMux()
	s.registerPages(s.pageRoutes)
	return s, nil
}

// Handler returns the routes, wrapped in the security headers every response carries.
func (s *Server) Handler() http.Handler {
	mux := http.NewServeMux()
	s.registerPages(mux)
	mux.Handle("GET /export.csv", s.handle(s.exportSnapshotCSV))
	mux.Handle("GET /export.zip", s.handle(s.exportSnapshotPackage))
	mux.Handle("GET /s/{snapshot}/export.csv", s.handle(s.exportSnapshotCSV))
	mux.Handle("GET /s/{snapshot}/export.zip", s.handle(s.exportSnapshotPackage))
	mux.Handle("GET /export.xlsx", s.handle(s.exportSnapshotXLSX))
	mux.Handle("GET /s/{snapshot}/export.xlsx", s.handle(s.exportSnapshotXLSX))
	mux.Handle("GET /static/{file...}", s.handle(s.assets.serve))
	s.registerAPI(mux)
	mux.Handle("GET /snapshots", s.handle(s.showSnapshots))
	mux.Handle("GET /diff", s.handle(s.showDiff))
	mux.Handle("GET /ingest", s.handle(s.showIngestStatus))
	mux.Handle("GET /ingest.json", s.handle(s.showIngestJSON))
	mux.Handle("POST /admin/ingest", s.handle(s.startIngest))
	mux.HandleFunc("GET /healthz", s.healthz)
	mux.HandleFunc("GET /favicon.ico", s.favicon)
	mux.Handle("/", s.handle(s.noRoute(mux, errNotFound)))
	return securityHeaders(mux)
}

// contentSecurityPolicy allows scripts only from this server: chart options
// travel as JSON in data attributes, never as inline script. Styles allow
// inline because ECharts' tooltips carry style attributes.
const contentSecurityPolicy = "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; " +
	"img-src 'self' data:; connect-src 'self'; font-src 'self'; object-src 'none'; base-uri 'none'; " +
	"frame-ancestors 'none'; form-action 'self'"

// securityHeaders assigns prepared values (canonical keys, slices made once)
// rather than calling Set: every response pays for these, cached pages too.
func securityHeaders(next http.Handler) http.Handler {
	csp, nosniff, noReferrer, deny := []string{contentSecurityPolicy}, []string{"nosniff"}, []string{"no-referrer"}, []string{"DENY"}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h["Content-Security-Policy"] = csp
		h["X-Content-Type-Options"] = nosniff
		h["Referrer-Policy"] = noReferrer
		h["X-Frame-Options"] = deny
		next.ServeHTTP(w, r)
	})
}

func (s *Server) healthz(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	if _, err := s.store.LatestSnapshot(r.Context()); err != nil {
		http.Error(w, "not ready: "+err.Error(), http.StatusServiceUnavailable)
		return
	}
	w.Write([]byte("ok\n"))
}

// blockView is one chart block with the addresses of its CSV and workbook.
type blockView struct {
	Block   dashboard.Block
	CSVURL  string
	XLSXURL string
	Cite    citeView
}

// render executes a template into a buffer, so a template error never
// leaves half a page on the wire. Every HTML response passes here, and is
// served as UTF-8: a title stored with invalid UTF-8 (by an older labdash,
// or a hand-edited store) has its bad bytes replaced with U+FFFD here,
// once, whichever part of a page or citation it reached.
func (s *Server) render(name string, v any) ([]byte, error) {
	var buf bytes.Buffer
	if err := s.tmpl.ExecuteTemplate(&buf, name, v); err != nil {
		return nil, err
	}
	if utf8.Valid(buf.Bytes()) {
		return buf.Bytes(), nil
	}
	return bytes.ToValidUTF8(buf.Bytes(), []byte("\uFFFD")), nil
}

func (s *Server) templateFuncs() template.FuncMap {
	return template.FuncMap{
		"asset":        func(name string) (string, error) { return s.assets.URL(name) },
		"assetImports": func(name string) ([]string, error) { return s.assets.Imports(name) },
		"lower":        strings.ToLower,
		"formatValue":  dashboard.FormatValue,
		"shortPeriod":  data.ShortPeriod,
		"flagLabel":    func(f data.Flag) string { return f.Label() },
		// chartJSON goes into a data attribute, where html/template escapes it
		// once more; the JS reads it with JSON.parse, never eval.
		"chartJSON": func(c charts.Chart) (string, error) {
			b, err := c.OptionsJSON()
			return string(b), err
		},
		"chartHeight": func(c charts.Chart) int { return c.MinHeightPx },
		"blockView": func(b dashboard.Block, v pageView) blockView {
			return blockView{Block: b, CSVURL: v.CSVBase + "/" + b.ID + ".csv" + v.Query, XLSXURL: v.CSVBase + "/" + b.ID + ".xlsx" + v.Query,
				Cite: citeView{ID: "cite-" + b.ID, Label: citeLabel(b), Citations: v.Cites[blockCiteKey(b)]}}
		},
		"factCite": func(v pageView, i, j int, o *data.Observation) citeView {
			return citeView{ID: fmt.Sprintf("cite-fact-%d-%d", i, j), Label: "Cite", Citations: v.Cites[factCiteKey(o)]}
		},
		"citeStyleName": func(style string) string { return citeStyleNames[style] },
		"siteNav":       func() []navLink { return siteNav },
		"footerNav":     func() []navLink { return footerNav },
	}
}

// favicon answers browsers that ask for /favicon.ico before reading the
// page's icon link.
func (s *Server) favicon(w http.ResponseWriter, r *http.Request) {
	url, _ := s.assets.URL("favicon.svg")
	http.Redirect(w, r, url, http.StatusMovedPermanently)
}

// DefaultBaseURL is the address citations name when none is configured.
const DefaultBaseURL = "http://127.0.0.1:8080"

// baseURL is the public address of this server for citations. It comes
// from configuration, never from the request: a pinned page must not change
// with the Host a client happened to use.
func (s *Server) baseURL(*http.Request) string {
	if s.publicURL != "" {
		return s.publicURL
	}
	return DefaultBaseURL
}

func citeLabel(b dashboard.Block) string {
	if b.HasChart() {
		return "Cite this chart"
	}
	return "Cite this table"
}
