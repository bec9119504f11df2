package web

import (
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"fmt"
	"io/fs"
	"mime"
	"net/http"
	"path"
	"regexp"
	"strings"
)

// staticFiles holds our CSS and JS and, after `make assets`, the vendored
// front-end files built from node_modules with their precompressed forms
// (web/static/vendor is not committed).
//
//go:embed static
var staticFiles embed.FS

// asset is one static file, served under a content-hashed name so browsers
// may cache it forever.
type asset struct {
	hashedName  string
	contentType string
	body        *encoded
	imports     []string // addresses of the chunks an ES module imports
}

// assets maps logical names ("app.js", "vendor/echarts.js") to files.
type assets struct {
	byName   map[string]*asset
	byHashed map[string]*asset
}

// requiredAssets must be present or the pages cannot draw charts. The
// pages load our own scripts and stylesheets minified (vendor/app.js …,
// made from app.js … by `make assets`).
var requiredAssets = []string{"app.js", "app.css", "banner.js", "handout.css",
	"vendor/app.js", "vendor/app.css", "vendor/banner.js", "vendor/handout.css", "vendor/echarts.js",
	"vendor/echarts-map.js", "vendor/states-albers-10m.json", "vendor/topojson-client.min.js"} // the last three: the places page's map

// chunkDir holds the code esbuild split out of the ECharts bundles. The
// bundles import a chunk by its file name, which esbuild made from the
// chunk's content, so a chunk is served under its own name.
const chunkDir = "vendor/chunks/"

// precompressedExt are the files the build writes beside a vendored file
// (web/bundles/precompress.mjs), in coding order.
var precompressedExt = map[string]int{".br": codingBrotli, ".gz": codingGzip}

func loadAssets() (*assets, error) {
	a := &assets{byName: map[string]*asset{}, byHashed: map[string]*asset{}}
	err := fs.WalkDir(staticFiles, "static", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		if _, ok := precompressedExt[path.Ext(p)]; ok {
			return nil // read with the file it compresses
		}
		body, err := staticFiles.ReadFile(p)
		if err != nil {
			return err
		}
		name := strings.TrimPrefix(p, "static/")
		f := &asset{hashedName: hashedName(name, body), contentType: mime.TypeByExtension(path.Ext(name)), body: encodeAsset(p, body),
			imports: chunkImports(name, body)}
		a.byName[name], a.byHashed[f.hashedName] = f, f
		return nil
	})
	if err != nil {
		return nil, err
	}
	for _, name := range requiredAssets {
		if a.byName[name] == nil {
			return nil, fmt.Errorf("static asset %s is missing from the binary: build with `make build`, which bundles ECharts from node_modules", name)
		}
	}
	return a, nil
}

// hashedName puts a hash of the content into a file's name, except for an
// esbuild chunk, whose name already is one.
func hashedName(name string, body []byte) string {
	if strings.HasPrefix(name, chunkDir) {
		return name
	}
	sum := sha256.Sum256(body)
	ext := path.Ext(name)
	return strings.TrimSuffix(name, ext) + "." + hex.EncodeToString(sum[:6]) + ext
}

// chunkImport is how esbuild's minified output imports a chunk.
var chunkImport = regexp.MustCompile(`from"\./(chunks/[A-Za-z0-9_-]+\.js)"`)

// chunkImports lists the addresses of the chunks a vendored module imports,
// so a page can ask for them with the module (modulepreload) rather than
// one round trip after it.
func chunkImports(name string, body []byte) []string {
	if !strings.HasPrefix(name, "vendor/") || strings.HasPrefix(name, chunkDir) || path.Ext(name) != ".js" {
		return nil
	}
	var urls []string
	for _, m := range chunkImport.FindAllSubmatch(body, -1) {
		urls = append(urls, "/static/"+path.Join(path.Dir(name), string(m[1])))
	}
	return urls
}

// encodeAsset takes the precompressed forms the build made beside a file,
// when they still match it, and compresses the file now otherwise (our own
// small files, or a vendor file edited after the build).
func encodeAsset(p string, body []byte) *encoded {
	var forms [codingCount][]byte
	for ext, coding := range precompressedExt {
		if b, err := staticFiles.ReadFile(p + ext); err == nil && decodes(b, body, coding) {
			forms[coding] = b
		}
	}
	if forms[codingGzip] == nil {
		forms[codingGzip] = gzipBytes(body, gzipServingLevel)
	}
	if forms[codingBrotli] == nil {
		forms[codingBrotli] = brotliBytes(body, brotliServingQuality)
	}
	return newEncoded(body, forms[codingGzip], forms[codingBrotli])
}

// URL is the hashed address of a logical asset name.
func (a *assets) URL(name string) (string, error) {
	f := a.byName[name]
	if f == nil {
		return "", fmt.Errorf("no static asset %q", name)
	}
	return "/static/" + f.hashedName, nil
}

// Imports lists the addresses of the chunks a module imports.
func (a *assets) Imports(name string) ([]string, error) {
	f := a.byName[name]
	if f == nil {
		return nil, fmt.Errorf("no static asset %q", name)
	}
	return f.imports, nil
}

// serve answers for a hashed name. The body never changes under that name,
// so browsers keep it for a year without asking again.
func (a *assets) serve(w http.ResponseWriter, r *http.Request) error {
	f := a.byHashed[r.PathValue("file")]
	if f == nil {
		return errNotFound
	}
	h := w.Header()
	h.Set("Content-Type", f.contentType)
	h.Set("Cache-Control", "public, max-age=31536000, immutable")
	f.body.write(w, r)
	return nil
}
