package web

import (
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"encoding/hex"
	"io"
	"math/bits"
	"net/http"
	"strconv"
	"strings"
	"sync"

	"github.com/andybalholm/brotli"
)

// Content codings, in the order we prefer them when a client accepts
// several equally: brotli is the smallest.
const (
	codingBrotli = iota
	codingGzip
	codingIdentity
	codingCount
)

var codingNames = [codingCount]string{"br", "gzip", ""}

// Compression of what is made while serving (pages of a snapshot, when
// rendered) or at start-up (our own small files). Brotli's quality 11 takes
// a second per megabyte; 5 takes about 10 ms per megabyte and gives within
// 10% of its size. Gzip at its default level is twice as fast as at its
// best, and 1% larger; browsers take brotli anyway. The vendored files come
// at the best of both from the build (web/bundles/precompress.mjs).
const (
	brotliServingQuality = 5
	gzipServingLevel     = gzip.DefaultCompression
)

// encoded is one response body in every content coding we serve, made once
// (at build time, at start-up or when a page is rendered), so a request only
// picks one: nothing is compressed per request.
type encoded struct {
	bodies [codingCount][]byte // nil where that coding is not smaller
	// Per coding: the ETag of that representation (each coding is other
	// bytes, so each needs its own tag) and its Content-Length, made once.
	etags   [codingCount][]string
	lengths [codingCount][]string
}

// encode compresses body now.
func encode(body []byte) *encoded {
	return newEncoded(body, gzipBytes(body, gzipServingLevel), brotliBytes(body, brotliServingQuality))
}

// newEncoded takes the compressed forms of body as they are; a form that is
// not smaller than body is not served.
func newEncoded(body, gzipped, brotlied []byte) *encoded {
	e := &encoded{}
	e.bodies[codingIdentity] = body
	if len(gzipped) < len(body) {
		e.bodies[codingGzip] = gzipped
	}
	if len(brotlied) < len(body) {
		e.bodies[codingBrotli] = brotlied
	}
	sum := sha256.Sum256(body)
	tag := hex.EncodeToString(sum[:12])
	for c, b := range e.bodies {
		if b == nil && c != codingIdentity {
			continue
		}
		etag := `"` + tag + `"`
		if c != codingIdentity {
			etag = `"` + tag + "-" + codingNames[c] + `"`
		}
		e.etags[c] = []string{etag}
		e.lengths[c] = []string{strconv.Itoa(len(b))}
	}
	return e
}

// identity is the uncompressed body.
func (e *encoded) identity() []byte { return e.bodies[codingIdentity] }

// etag is the ETag of the uncompressed body.
func (e *encoded) etag() string { return e.etags[codingIdentity][0] }

// write sends the body in the best coding the client accepts, with its
// ETag, Content-Encoding and Content-Length, or a 304 when the client
// already has that representation. Headers are assigned as prepared
// slices: this is the hot path of every cached page.
func (e *encoded) write(w http.ResponseWriter, r *http.Request) {
	h := w.Header()
	h["Vary"] = varyAcceptEncoding
	c := e.choose(r.Header.Get("Accept-Encoding"))
	h["Etag"] = e.etags[c]
	if etagMatches(r.Header.Get("If-None-Match"), e.etags[c][0]) {
		w.WriteHeader(http.StatusNotModified)
		return
	}
	if c != codingIdentity {
		h["Content-Encoding"] = contentEncodings[c]
	}
	h["Content-Length"] = e.lengths[c]
	if r.Method != http.MethodHead {
		w.Write(e.bodies[c])
	}
}

var (
	varyAcceptEncoding = []string{"Accept-Encoding"}
	contentEncodings   = [codingCount][]string{{"br"}, {"gzip"}, nil}
)

// choose picks the coding to send: the one the client weighs highest of
// those we have, the smaller on a tie; identity when it accepts none.
func (e *encoded) choose(acceptEncoding string) int {
	q, ok := browserAcceptEncodings[acceptEncoding]
	if !ok {
		q = acceptedCodings(acceptEncoding)
	}
	best, bestQ := codingIdentity, 0.0
	for c := range codingCount { // br, gzip, identity: ties go to the first
		if e.bodies[c] != nil && q[c] > bestQ {
			best, bestQ = c, q[c]
		}
	}
	return best
}

// browserAcceptEncodings holds the weights of the headers browsers send, read
// once: looking a header up costs less than reading it on every request.
var browserAcceptEncodings = func() map[string][codingCount]float64 {
	m := map[string][codingCount]float64{}
	for _, h := range []string{"gzip, deflate, br, zstd", "gzip, deflate, br", "gzip, deflate", "gzip", "br", ""} {
		m[h] = acceptedCodings(h)
	}
	return m
}()

// acceptedCodings reads an Accept-Encoding header (RFC 9110 12.5.3) into a
// weight per coding: absent codings weigh 0, except identity, which stays
// acceptable unless excluded by "identity;q=0" or "*;q=0", but below any
// coding the client names.
func acceptedCodings(header string) [codingCount]float64 {
	q := [codingCount]float64{-1, -1, -1} // -1: not named
	star := -1.0
	for header != "" {
		var part string
		part, header, _ = strings.Cut(header, ",")
		name, params, _ := strings.Cut(part, ";")
		name = strings.TrimSpace(name)
		weight := 1.0
		if k, v, ok := strings.Cut(params, "="); ok && strings.EqualFold(strings.TrimSpace(k), "q") {
			if f, err := strconv.ParseFloat(strings.TrimSpace(v), 64); err == nil {
				weight = f
			}
		}
		switch {
		case strings.EqualFold(name, "br"):
			q[codingBrotli] = weight
		case strings.EqualFold(name, "gzip"), strings.EqualFold(name, "x-gzip"):
			q[codingGzip] = weight
		case strings.EqualFold(name, "identity"):
			q[codingIdentity] = weight
		case name == "*":
			star = weight
		}
	}
	for c := range codingCount {
		if q[c] >= 0 {
			continue
		}
		switch {
		case star >= 0:
			q[c] = star
		case c == codingIdentity:
			q[c] = 0.001 // the lowest weight a header can give
		default:
			q[c] = 0
		}
	}
	return q
}

// etagMatches applies If-None-Match (RFC 9110 13.1.2): a list of tags, weak
// or strong, or "*".
func etagMatches(ifNoneMatch, etag string) bool {
	for ifNoneMatch != "" {
		var tag string
		tag, ifNoneMatch, _ = strings.Cut(ifNoneMatch, ",")
		tag = strings.TrimPrefix(strings.TrimSpace(tag), "W/")
		if tag == etag || tag == "*" {
			return true
		}
	}
	return false
}

// Compressors at the serving settings are kept between uses: each holds
// tables of hundreds of kilobytes (a flate compressor, a brotli hasher) that
// Reset keeps. Made anew for each page, they were a third of what rendering
// a page allocated (BenchmarkRenderHomeFromStore), and garbage made while
// serving costs every request its share of the collections. One of each is
// kept for good (a sync.Pool would lose them at every collection, which a
// render itself brings about): about a megabyte for each brotli window in
// use.
var (
	gzipWriters   spares[*gzip.Writer]       // at gzipServingLevel
	brotliWriters [25]spares[*brotli.Writer] // at brotliServingQuality, by window (lgwin)
)

// spares keeps idle values for reuse, up to keptSpares.
type spares[T any] struct {
	mu   sync.Mutex
	idle []T
}

const keptSpares = 1

func (s *spares[T]) get() (T, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	var none T
	if len(s.idle) == 0 {
		return none, false
	}
	v := s.idle[len(s.idle)-1]
	s.idle = s.idle[:len(s.idle)-1]
	return v, true
}

func (s *spares[T]) put(v T) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if len(s.idle) < keptSpares {
		s.idle = append(s.idle, v)
	}
}

func gzipBytes(body []byte, level int) []byte {
	var buf bytes.Buffer
	var zw *gzip.Writer
	spare := false
	if level == gzipServingLevel {
		zw, spare = gzipWriters.get()
	}
	if spare {
		zw.Reset(&buf)
	} else {
		zw, _ = gzip.NewWriterLevel(&buf, level)
	}
	zw.Write(body)
	zw.Close()
	if level == gzipServingLevel {
		zw.Reset(io.Discard) // holds no page
		gzipWriters.put(zw)
	}
	return buf.Bytes()
}

// brotliBytes sizes brotli's window to the body: its default (4 MB) costs
// more to set up than a page costs to compress, and a larger window than
// the body finds nothing more.
func brotliBytes(body []byte, quality int) []byte {
	lgwin := min(max(bits.Len(uint(len(body))), 10), 24)
	var buf bytes.Buffer
	var zw *brotli.Writer
	spare := false
	if quality == brotliServingQuality {
		zw, spare = brotliWriters[lgwin].get()
	}
	if spare {
		zw.Reset(&buf)
	} else {
		zw = brotli.NewWriterOptions(&buf, brotli.WriterOptions{Quality: quality, LGWin: lgwin})
	}
	zw.Write(body)
	zw.Close()
	if quality == brotliServingQuality {
		zw.Reset(nil) // holds no page
		brotliWriters[lgwin].put(zw)
	}
	return buf.Bytes()
}

// decodes reports whether compressed decompresses to exactly body, so a
// precompressed file left from an older build is never served.
func decodes(compressed, body []byte, coding int) bool {
	var r io.Reader
	switch coding {
	case codingGzip:
		zr, err := gzip.NewReader(bytes.NewReader(compressed))
		if err != nil {
			return false
		}
		r = zr
	case codingBrotli:
		r = brotli.NewReader(bytes.NewReader(compressed))
	default:
		return false
	}
	got, err := io.ReadAll(io.LimitReader(r, int64(len(body))+1))
	return err == nil && bytes.Equal(got, body)
}

// acceptsGzip reports whether a response streamed through gzip (a CSV
// export) suits the client.
func acceptsGzip(r *http.Request) bool {
	return acceptedCodings(r.Header.Get("Accept-Encoding"))[codingGzip] > 0
}
