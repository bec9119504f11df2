package web

import (
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"fmt"
	"io/fs"
	"mime"
	"net/http"
	"path"
	"strings"
)

// staticFiles holds our CSS and JS and, after `make assets`, the vendored
// ECharts build copied from node_modules (web/static/vendor is not committed).
//
//go:embed static
var staticFiles embed.FS

// asset is one static file, served under a content-hashed name so browsers
// may cache it forever.
type asset struct {
	hashedName  string
	contentType string
	body        []byte
	gzipped     []byte // nil when gzip does not make it smaller
}

// assets maps logical names ("app.js", "vendor/echarts.min.js") to files.
type assets struct {
	byName   map[string]*asset
	byHashed map[string]*asset
}

// requiredAssets must be present or the pages cannot draw charts.
var requiredAssets = []string{"app.js", "app.css", "banner.js", "handout.css", "vendor/echarts.min.js",
	"vendor/states-albers-10m.json", "vendor/topojson-client.min.js"} // the places page's map

func loadAssets() (*assets, error) {
	a := &assets{byName: map[string]*asset{}, byHashed: map[string]*asset{}}
	err := fs.WalkDir(staticFiles, "static", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		body, err := staticFiles.ReadFile(p)
		if err != nil {
			return err
		}
		name := strings.TrimPrefix(p, "static/")
		sum := sha256.Sum256(body)
		ext := path.Ext(name)
		f := &asset{
			hashedName:  strings.TrimSuffix(name, ext) + "." + hex.EncodeToString(sum[:6]) + ext,
			contentType: mime.TypeByExtension(ext),
			body:        body,
			gzipped:     gzipIfSmaller(body),
		}
		a.byName[name], a.byHashed[f.hashedName] = f, f
		return nil
	})
	if err != nil {
		return nil, err
	}
	for _, name := range requiredAssets {
		if a.byName[name] == nil {
			return nil, fmt.Errorf("static asset %s is missing from the binary: build with `make build`, which copies ECharts from node_modules", name)
		}
	}
	return a, nil
}

// URL is the hashed address of a logical asset name.
func (a *assets) URL(name string) (string, error) {
	f := a.byName[name]
	if f == nil {
		return "", fmt.Errorf("no static asset %q", name)
	}
	return "/static/" + f.hashedName, nil
}

func (a *assets) serve(w http.ResponseWriter, r *http.Request) error {
	f := a.byHashed[r.PathValue("file")]
	if f == nil {
		return errNotFound
	}
	h := w.Header()
	h.Set("Content-Type", f.contentType)
	h.Set("Cache-Control", "public, max-age=31536000, immutable")
	h.Set("ETag", `"`+f.hashedName+`"`)
	writeMaybeGzipped(w, r, f.body, f.gzipped)
	return nil
}

func gzipIfSmaller(body []byte) []byte {
	var buf bytes.Buffer
	zw, _ := gzip.NewWriterLevel(&buf, gzip.BestCompression)
	zw.Write(body)
	zw.Close()
	if buf.Len() >= len(body) {
		return nil
	}
	return buf.Bytes()
}

// writeMaybeGzipped writes the gzipped form when the client accepts it,
// answering a matching If-None-Match with 304.
func writeMaybeGzipped(w http.ResponseWriter, r *http.Request, body, gzipped []byte) {
	h := w.Header()
	h.Add("Vary", "Accept-Encoding")
	if etag := h.Get("ETag"); etag != "" && r.Header.Get("If-None-Match") == etag {
		w.WriteHeader(http.StatusNotModified)
		return
	}
	if gzipped != nil && acceptsGzip(r) {
		h.Set("Content-Encoding", "gzip")
		body = gzipped
	}
	h.Set("Content-Length", fmt.Sprint(len(body)))
	if r.Method != http.MethodHead {
		w.Write(body)
	}
}

func acceptsGzip(r *http.Request) bool {
	for _, part := range strings.Split(r.Header.Get("Accept-Encoding"), ",") {
		enc, q, _ := strings.Cut(strings.TrimSpace(part), ";")
		if strings.EqualFold(strings.TrimSpace(enc), "gzip") && strings.TrimSpace(q) != "q=0" {
			return true
		}
	}
	return false
}
