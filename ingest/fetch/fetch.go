// Package fetch gets source files over HTTP(S) or from local paths into
// temporary files: size cap, stall timeout, retries, conditional GET, and a
// content hash so that a refetch of the same bytes changes nothing.
package fetch

import (
	"bufio"
	"bytes"
	"cmp"
	"compress/gzip"
	"context"
	"crypto/sha256"
	"crypto/tls"
	"crypto/x509"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"mime"
	"net"
	"net/http"
	"net/url"
	"os"
	"path"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/labdash/labdash/ingest/fileerr"
)

// ErrDownloadTooLarge is the kind of error for a body over Fetcher.MaxBytes.
var ErrDownloadTooLarge = errors.New("the download is larger than the size limit")

const (
	defaultFetchMaxBytes = 2 << 30
	defaultFetchRetries  = 3
	defaultStallTimeout  = time.Minute
	defaultMaxRetryAfter = time.Minute
	progressEvery        = 250 * time.Millisecond
	copyBufferSize       = 256 << 10
)

var gzipMagic = []byte{0x1f, 0x8b}

// Request says what to fetch and what we knew about it last time.
type Request struct {
	URL          string // http(s)://, file:///abs/path, or a plain filesystem path
	UserAgent    string // BLS refuses scripted downloads whose UA has no contact e-mail
	ETag         string // from the previous successful fetch, for If-None-Match
	LastModified string // from the previous successful fetch, for If-Modified-Since
	PreviousHash string // sha256 hex of the previous body: same bytes => Unchanged
	// Body, when set, is sent with POST (a data API's query) as ContentType.
	// It may hold a registration key: it is never logged, stored or shown.
	Body        []byte
	ContentType string
}

// Result is one fetched body. Path is a temp file the caller parses and
// then removes with Cleanup; for a plain local file it is that file itself,
// which Cleanup never touches.
type Result struct {
	Path         string // the (decompressed) body; "" when NotModified
	Hash         string // sha256 hex of the body (HashBytes-compatible)
	Bytes        int64
	ETag         string
	LastModified string // from the server, or a local file's mtime
	NotModified  bool   // server said 304, or the bytes hash to PreviousHash (then Path is "")
	ContentType  string
	Attempts     int

	tempPath string // what Cleanup removes: only ever a file Fetch created
	pending  *pendingHash
	local    *pendingHash // a deferred-hash file, kept for CheckSameFile
}

// CheckSameFile reports an error when a local file whose hash was deferred
// is no longer the file Fetch saw (replaced, or rewritten): its hash and what
// was parsed from it might then describe different bytes.
func (r *Result) CheckSameFile() error {
	if r == nil || r.local == nil {
		return nil
	}
	now, err := os.Stat(r.local.path)
	if err != nil {
		return fmt.Errorf("the file cannot be read again: %w", err)
	}
	was := r.local.info
	if !os.SameFile(was, now) || !now.ModTime().Equal(was.ModTime()) || now.Size() != was.Size() {
		return errors.New("the file changed while it was read; the next run reads it again")
	}
	return nil
}

// pendingHash is the hash of a local file not yet computed (DeferLocalHash).
type pendingHash struct {
	path     string
	size     int64
	previous string
	info     os.FileInfo // the file as Fetch saw it
}

// HashPending reports whether FinishHash still has to run.
func (r *Result) HashPending() bool { return r != nil && r.pending != nil }

// hashReadSize is how much FinishHash reads at a time.
const hashReadSize = 1 << 20

// FinishHash computes a deferred hash, so the caller can read the file at
// the same time (on two cores, hashing and parsing a large local file then
// cost one pass each, side by side). A file whose bytes hash to the
// previous hash is then NotModified, as if Fetch had found it so.
func (r *Result) FinishHash() error {
	p := r.pending
	if p == nil {
		return nil
	}
	r.pending = nil
	r.local = p
	f, err := os.Open(p.path)
	if err != nil {
		return fmt.Errorf("the file cannot be opened: %w", err)
	}
	defer f.Close()
	h := sha256.New()
	// Through a plain Reader: *os.File's WriteTo would read in 32 KB calls,
	// a tenth of a second of system time over a 300 MB file.
	n, err := io.CopyBuffer(h, struct{ io.Reader }{f}, make([]byte, hashReadSize))
	if err != nil {
		return fmt.Errorf("reading the file failed: %w", err)
	}
	if n != p.size {
		return fmt.Errorf("the file changed while it was read (%d bytes, then %d)", p.size, n)
	}
	r.setHash(p, h.Sum(nil), n)
	return nil
}

func (r *Result) setHash(p *pendingHash, sum []byte, n int64) {
	r.Hash, r.Bytes = hex.EncodeToString(sum), n
	// Path stays: the caller may be reading the file right now, and it is
	// the user's own file, never removed.
	r.NotModified = p.previous != "" && strings.EqualFold(r.Hash, p.previous)
}

// Cleanup removes the temp file of the result, if Fetch made one. It is safe
// to call more than once and on a nil result.
func (r *Result) Cleanup() {
	if r == nil || r.tempPath == "" {
		return
	}
	os.Remove(r.tempPath)
	r.tempPath = ""
}

// Fetcher downloads source files. The zero value is ready to use.
type Fetcher struct {
	// DeferLocalHash makes Fetch return plain local files before hashing
	// them; the caller then calls FinishHash, typically while parsing.
	DeferLocalHash bool

	Client   *http.Client                    // nil: a client with sane timeouts
	MaxBytes int64                           // size cap of the (decompressed) body; 0 = 2 GiB
	Retries  int                             // extra attempts after the first; 0 = 3, negative = none
	Backoff  func(attempt int) time.Duration // wait after failed attempt n (1-based); nil = 1s, 2s, 4s, …
	TempDir  string                          // where bodies go; "" = os.TempDir()
	Progress func(url string, bytes int64)   // optional; at most every 250 ms, and once at the end

	// StallTimeout ends an attempt when no byte (nor the response headers)
	// arrives for this long; 0 = 1 minute, negative = never. The overall
	// deadline is the caller's ctx: the runner gives each source one
	// (config.SourceConfig.Deadline), which also ends a download that
	// trickles a byte at a time.
	StallTimeout time.Duration
	// MaxRetryAfter is the longest Retry-After (429, 503) honoured; a server
	// asking for more ends the fetch. 0 = 1 minute.
	MaxRetryAfter time.Duration
}

// Error is how a fetch fails: "fetch URL: reason".
type Error struct {
	URL      string // with any password redacted
	Attempts int
	Err      error
}

func (e *Error) Error() string {
	if e.URL == "" {
		return fmt.Sprintf("fetch: %v", e.Err)
	}
	if e.Attempts > 1 {
		return fmt.Sprintf("fetch %s: %v (gave up after %d attempts)", e.URL, e.Err, e.Attempts)
	}
	return fmt.Sprintf("fetch %s: %v", e.URL, e.Err)
}

func (e *Error) Unwrap() error { return e.Err }

// StatusError is a non-2xx answer.
type StatusError struct {
	StatusCode int
	Status     string // "404 Not Found"
}

func (e *StatusError) Error() string {
	s := "the server answered " + e.Status
	switch e.StatusCode {
	case http.StatusForbidden:
		s += "; BLS refuses scripted downloads whose user_agent carries no contact e-mail address"
	case http.StatusNotFound, http.StatusGone:
		s += "; check the URL"
	}
	return s
}

// Fetch gets req.URL into a file, or reports that it has not changed.
// On error nothing is left in TempDir.
func (f *Fetcher) Fetch(ctx context.Context, req Request) (*Result, error) {
	src, err := parseSource(req.URL)
	if err != nil {
		return nil, &Error{URL: req.URL, Err: err}
	}
	if src.file != "" {
		res, err := f.fetchFile(ctx, src, req)
		if err != nil {
			return nil, &Error{URL: src.display, Attempts: 1, Err: err}
		}
		return res, nil
	}
	return f.fetchHTTP(ctx, src, req)
}

// source is a parsed Request.URL.
type source struct {
	url     string // what is requested (http only)
	file    string // absolute local path (file only)
	display string // for messages: the URL with its password redacted, or the path
	name    string // base name, for the temp file
}

func parseSource(raw string) (source, error) {
	lower := strings.ToLower(raw)
	var p string
	switch {
	case raw == "":
		return source{}, errors.New("no URL or path is given")
	case strings.HasPrefix(lower, "http://"), strings.HasPrefix(lower, "https://"):
		u, err := url.Parse(raw)
		if err != nil {
			return source{}, fmt.Errorf("the URL cannot be read: %w", err)
		}
		if u.Host == "" {
			return source{}, errors.New("the URL names no host")
		}
		return source{url: raw, display: u.Redacted(), name: path.Base(u.Path)}, nil
	case strings.HasPrefix(lower, "file:"):
		u, err := url.Parse(raw)
		if err != nil || (u.Host != "" && u.Host != "localhost") || !strings.HasPrefix(u.Path, "/") {
			return source{}, errors.New("a file: URL must name an absolute local path, as in file:///srv/bls/oe.area")
		}
		p = filepath.FromSlash(u.Path)
	case strings.Contains(raw, "://"):
		return source{}, errors.New("only http://, https://, file:/// URLs and plain paths can be fetched")
	default:
		p = raw
	}
	abs, err := filepath.Abs(p)
	if err != nil {
		return source{}, fmt.Errorf("the path cannot be resolved: %w", err)
	}
	return source{file: abs, display: abs, name: filepath.Base(abs)}, nil
}

// fetchHTTP runs attempts until one succeeds, one fails for good, the
// retries run out or ctx ends.
func (f *Fetcher) fetchHTTP(ctx context.Context, src source, req Request) (*Result, error) {
	client, done := f.httpClient()
	defer done()
	attempts := f.retries() + 1
	for n := 1; ; n++ {
		res, err := f.tryHTTP(ctx, client, src, req)
		if err == nil {
			res.Attempts = n
			return res, nil
		}
		if ctx.Err() != nil {
			return nil, &Error{URL: src.display, Attempts: n, Err: context.Cause(ctx)}
		}
		var re *retryError
		if !errors.As(err, &re) {
			return nil, &Error{URL: src.display, Attempts: n, Err: err}
		}
		if n >= attempts {
			return nil, &Error{URL: src.display, Attempts: n, Err: re.err}
		}
		if re.after > f.maxRetryAfter() {
			return nil, &Error{URL: src.display, Attempts: n, Err: fmt.Errorf(
				"%w; it asks to be retried in %s, longer than the %s we wait", re.err, re.after, f.maxRetryAfter())}
		}
		if err := sleepCtx(ctx, max(f.backoff(n), re.after)); err != nil {
			return nil, &Error{URL: src.display, Attempts: n, Err: err}
		}
	}
}

// maxRedirects is how many redirects one attempt follows, as browsers do.
const maxRedirects = 10

// httpClient is the Fetcher's client, or a default one, following only
// redirects to http(s) addresses; done releases what it holds.
func (f *Fetcher) httpClient() (client *http.Client, done func()) {
	if f.Client == nil {
		tr := newFetchTransport()
		return &http.Client{Transport: tr, CheckRedirect: checkRedirect}, tr.CloseIdleConnections
	}
	c := *f.Client
	next := c.CheckRedirect
	c.CheckRedirect = func(r *http.Request, via []*http.Request) error {
		if err := checkRedirect(r, via); err != nil || next == nil {
			return err
		}
		return next(r, via)
	}
	return &c, func() {}
}

// checkRedirect refuses, for good, a redirect that no retry can follow: to
// a file: or any address that is not http(s), or one redirect too many.
func checkRedirect(r *http.Request, via []*http.Request) error {
	if s := r.URL.Scheme; s != "http" && s != "https" {
		return &permanentError{fmt.Errorf("the server redirects to %q, which is not an http:// or https:// address; "+
			"labdash follows no other redirect", clipURL(r.URL))}
	}
	if len(via) >= maxRedirects {
		return &permanentError{fmt.Errorf("the server redirected %d times without sending the file (last to %q)", len(via), clipURL(r.URL))}
	}
	return nil
}

// clipURL is an address as messages show it: without its password, and
// cut short when long.
func clipURL(u *url.URL) string {
	s := u.Redacted()
	if len(s) > 200 {
		return s[:200] + "…"
	}
	return s
}

// permanentError marks a failure no retry can mend.
type permanentError struct{ err error }

func (e *permanentError) Error() string { return e.err.Error() }
func (e *permanentError) Unwrap() error { return e.err }

// errStalled is the cause given to an attempt's context by its watchdog.
var errStalled = errors.New("the download stalled")

// tryHTTP is one attempt. A failure worth another attempt is a *retryError.
func (f *Fetcher) tryHTTP(ctx context.Context, client *http.Client, src source, req Request) (*Result, error) {
	actx, cancel := context.WithCancelCause(ctx)
	defer cancel(nil)
	dog := startWatchdog(f.stallTimeout(), func() { cancel(errStalled) })
	defer dog.stop()

	method, body := http.MethodGet, io.Reader(nil)
	if req.Body != nil {
		method, body = http.MethodPost, bytes.NewReader(req.Body)
	}
	hreq, err := http.NewRequestWithContext(actx, method, src.url, body)
	if err != nil {
		return nil, fmt.Errorf("the URL cannot be requested: %w", err)
	}
	if req.ContentType != "" {
		hreq.Header.Set("Content-Type", req.ContentType)
	}
	if req.UserAgent != "" {
		hreq.Header.Set("User-Agent", req.UserAgent)
	}
	if req.ETag != "" {
		hreq.Header.Set("If-None-Match", req.ETag)
	}
	if req.LastModified != "" {
		hreq.Header.Set("If-Modified-Since", req.LastModified)
	}
	resp, err := client.Do(hreq)
	if err != nil {
		return nil, f.failure(actx, err, false)
	}
	defer resp.Body.Close()
	dog.kick()

	res := &Result{
		ETag: resp.Header.Get("ETag"), LastModified: resp.Header.Get("Last-Modified"),
		ContentType: resp.Header.Get("Content-Type"),
	}
	if resp.StatusCode == http.StatusNotModified && (req.ETag != "" || req.LastModified != "") {
		res.NotModified, res.Hash = true, req.PreviousHash
		res.ETag, res.LastModified = cmp.Or(res.ETag, req.ETag), cmp.Or(res.LastModified, req.LastModified)
		return res, nil
	}
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		io.Copy(io.Discard, io.LimitReader(resp.Body, 64<<10)) // lets the connection be reused
		return nil, statusFailure(resp)
	}
	if isHTMLType(res.ContentType) {
		return nil, htmlPage(resp.StatusCode)
	}
	if ce := strings.ToLower(resp.Header.Get("Content-Encoding")); ce != "" && ce != "identity" && ce != "gzip" {
		return nil, fmt.Errorf("the server sent the file compressed as %q, which cannot be read", ce)
	}
	if resp.ContentLength > f.maxBytes() {
		return nil, f.tooLarge("the download")
	}
	// Sniff before creating the temp file: an HTML or empty answer leaves
	// nothing behind.
	b, err := sniff(kickReader{r: resp.Body, dog: dog})
	if err == nil {
		err = checkHead(b, resp.StatusCode)
	}
	if err == nil {
		res.Path, res.Hash, res.Bytes, err = f.saveToTemp(b, src, "the download")
	}
	if rd := (*readError)(nil); errors.As(err, &rd) {
		return nil, f.failure(actx, rd.err, true)
	} else if err != nil {
		return nil, err
	}
	res.tempPath = res.Path
	markUnchanged(res, req.PreviousHash)
	return res, nil
}

// fetchFile reads a local file: the same checks as a download, no retries.
// A plain file is handed over as it is (Cleanup leaves it alone); a gzip
// file is decompressed to a temp file.
func (f *Fetcher) fetchFile(ctx context.Context, src source, req Request) (*Result, error) {
	fh, err := os.Open(src.file)
	if pe := (*fs.PathError)(nil); errors.As(err, &pe) {
		return nil, fmt.Errorf("the file cannot be opened: %w", pe.Err) // pe repeats the path
	} else if err != nil {
		return nil, fmt.Errorf("the file cannot be opened: %w", err)
	}
	defer fh.Close()
	st, err := fh.Stat()
	switch {
	case err != nil:
		return nil, fmt.Errorf("the file cannot be read: %w", err)
	case st.IsDir():
		return nil, errors.New("this is a directory, not a data file")
	case !st.Mode().IsRegular():
		return nil, errors.New("this is not a regular file")
	case st.Size() > f.maxBytes():
		return nil, f.tooLarge("the file")
	}
	res := &Result{LastModified: st.ModTime().UTC().Format(http.TimeFormat), Attempts: 1}
	b, err := sniff(ctxReader{ctx: ctx, r: fh})
	if err == nil {
		err = checkHead(b, 0)
	}
	if err == nil && b.gz {
		res.Path, res.Hash, res.Bytes, err = f.saveToTemp(b, src, "the file")
		res.tempPath = res.Path
	} else if err == nil && f.DeferLocalHash {
		res.Path, res.Bytes = src.file, st.Size()
		res.pending = &pendingHash{path: src.file, size: st.Size(), previous: req.PreviousHash, info: st}
		return res, nil
	} else if err == nil {
		res.Path = src.file
		res.Hash, res.Bytes, err = f.copyBody(b, nil, "the file", src.display)
	}
	if rd := (*readError)(nil); errors.As(err, &rd) {
		if ctx.Err() != nil {
			return nil, context.Cause(ctx)
		}
		if errors.Is(rd.err, io.ErrUnexpectedEOF) {
			return nil, fmt.Errorf("%w (%w)", fileerr.New(fileerr.ErrFileTruncated, "the file ends inside its gzip data; it is cut off"), rd.err)
		}
		return nil, fmt.Errorf("reading the file failed: %w", rd.err)
	} else if err != nil {
		return nil, err
	}
	markUnchanged(res, req.PreviousHash)
	return res, nil
}

// retryError marks a failure worth another attempt; after is the server's
// Retry-After, if it gave one.
type retryError struct {
	err   error
	after time.Duration
}

func (e *retryError) Error() string { return e.err.Error() }
func (e *retryError) Unwrap() error { return e.err }

// readError marks a failure to read the body (as opposed to a body we
// refuse, or a temp file we cannot write), so that only it is retried.
type readError struct{ err error }

func (e *readError) Error() string { return e.err.Error() }
func (e *readError) Unwrap() error { return e.err }

// failure turns a transport or body-read error of one attempt into a
// sentence, retryable unless retrying cannot help.
func (f *Fetcher) failure(actx context.Context, err error, inBody bool) error {
	if errors.Is(context.Cause(actx), errStalled) {
		return &retryError{err: fmt.Errorf("%w: nothing arrived for %s", errStalled, f.stallTimeout())}
	}
	if actx.Err() != nil {
		return context.Cause(actx) // the caller's ctx ended; Fetch reports it
	}
	var ue *url.Error
	if errors.As(err, &ue) {
		err = ue.Err // its text repeats the URL
	}
	if perm := permanent(err); perm != nil {
		return perm
	}
	if !inBody {
		return &retryError{err: fmt.Errorf("the request failed: %w", err)}
	}
	if errors.Is(err, io.ErrUnexpectedEOF) {
		return &retryError{err: fmt.Errorf("%w (%w)", fileerr.New(fileerr.ErrFileTruncated,
			"the connection closed before the whole file arrived; the download is cut off"), err)}
	}
	return &retryError{err: fmt.Errorf("reading the download failed: %w", err)}
}

// permanent explains a transport error that no retry can mend: a redirect
// checkRedirect refused, a host name that does not exist, a certificate
// that cannot be trusted, a server that does not speak TLS. It is nil for
// errors worth another attempt (a refused or reset connection, a timeout,
// a DNS server that did not answer).
func permanent(err error) error {
	var (
		pe    *permanentError
		dns   *net.DNSError
		cv    *tls.CertificateVerificationError
		ua    x509.UnknownAuthorityError
		host  x509.HostnameError
		inv   x509.CertificateInvalidError
		rec   tls.RecordHeaderError
		alert tls.AlertError
	)
	switch {
	case errors.As(err, &pe):
		return pe.err
	case errors.As(err, &dns) && dns.IsNotFound:
		return fmt.Errorf("the host %s does not exist (no such name in DNS); check the URL", dns.Name)
	case errors.As(err, &cv), errors.As(err, &ua), errors.As(err, &host), errors.As(err, &inv):
		return fmt.Errorf("the server's certificate cannot be trusted: %w", err)
	case errors.As(err, &rec), strings.Contains(err.Error(), "server gave HTTP response to HTTPS client"):
		// net/http turns a RecordHeaderError that starts "HTTP/" into an
		// error of its own, with no type to tell it by.
		return fmt.Errorf("the server does not speak TLS (HTTPS) at this address; try http:// (%w)", err)
	case errors.As(err, &alert):
		return fmt.Errorf("the server refused the TLS handshake: %w", err)
	}
	return nil
}

// statusFailure is a non-2xx answer: 408, 429 and 5xx (but 501 and 505,
// which will not change) are worth another attempt; other 4xx are not.
func statusFailure(resp *http.Response) error {
	status := resp.Status
	if status == "" {
		status = fmt.Sprintf("%d %s", resp.StatusCode, http.StatusText(resp.StatusCode))
	}
	err := &StatusError{StatusCode: resp.StatusCode, Status: status}
	switch c := resp.StatusCode; {
	case c == http.StatusRequestTimeout, c == http.StatusTooManyRequests,
		c >= 500 && c != http.StatusNotImplemented && c != http.StatusHTTPVersionNotSupported:
		return &retryError{err: err, after: retryAfter(resp.Header.Get("Retry-After"), time.Now())}
	}
	return err
}

// retryAfter reads a Retry-After header: seconds or an HTTP date.
func retryAfter(v string, now time.Time) time.Duration {
	v = strings.TrimSpace(v)
	if v == "" {
		return 0
	}
	if secs, err := strconv.ParseInt(v, 10, 64); err == nil {
		return time.Duration(min(max(secs, 0), 1<<20)) * time.Second
	}
	if t, err := http.ParseTime(v); err == nil {
		return max(t.Sub(now), 0)
	}
	return 0
}

const fetchSniffLen = 512

// body is a response or file body, decompressed when it starts with the
// gzip magic: a .gz file, or a Content-Encoding the transport did not undo.
// The magic decides, not a .gz suffix: a transport that already decoded a
// .gz file hands over plain bytes, and those are used as they are.
type body struct {
	*bufio.Reader
	gz bool
}

func sniff(r io.Reader) (*body, error) {
	br := bufio.NewReaderSize(r, copyBufferSize)
	magic, err := br.Peek(len(gzipMagic))
	if err != nil && !errors.Is(err, io.EOF) {
		return nil, &readError{err}
	}
	if !bytes.Equal(magic, gzipMagic) {
		return &body{Reader: br}, nil
	}
	zr, err := gzip.NewReader(br)
	if err != nil {
		return nil, &readError{fmt.Errorf("the gzip data cannot be read: %w", err)}
	}
	return &body{Reader: bufio.NewReaderSize(zr, copyBufferSize), gz: true}, nil
}

// checkHead refuses an empty body or an HTML page by its first bytes.
// status is the HTTP status, 0 for a local file.
func checkHead(b *body, status int) error {
	head, err := b.Peek(fetchSniffLen)
	if err != nil && !errors.Is(err, io.EOF) && !errors.Is(err, bufio.ErrBufferFull) {
		return &readError{err}
	}
	empty := len(bytes.TrimSpace(bytes.TrimPrefix(head, fileerr.UTF8BOM))) == 0 && len(head) < fetchSniffLen
	switch {
	case empty && status == 0:
		return fileerr.New(fileerr.ErrFileEmpty, "the file is empty")
	case empty:
		return fileerr.New(fileerr.ErrFileEmpty, "the server returned an empty file (status %d)", status)
	case fileerr.LooksLikeHTML(head) && status == 0:
		return fileerr.New(fileerr.ErrFileIsHTML, "the file is an HTML page, not a data file; it may be an error page saved in its place")
	case fileerr.LooksLikeHTML(head):
		return htmlPage(status)
	}
	return nil
}

func htmlPage(status int) error {
	return fileerr.New(fileerr.ErrFileIsHTML, "the server returned an HTML page (status %d), not a data file; "+
		"the site may be blocking scripted downloads — check user_agent", status)
}

func isHTMLType(contentType string) bool {
	mt, _, err := mime.ParseMediaType(contentType)
	if err != nil {
		mt, _, _ = strings.Cut(strings.ToLower(contentType), ";")
		mt = strings.TrimSpace(mt)
	}
	return mt == "text/html" || mt == "application/xhtml+xml"
}

// saveToTemp streams b into a new file in TempDir. On error the file is gone.
func (f *Fetcher) saveToTemp(b *body, src source, what string) (p, hash string, n int64, err error) {
	tmp, err := os.CreateTemp(f.TempDir, tempPattern(src.name))
	if err != nil {
		return "", "", 0, fmt.Errorf("a temp file cannot be created: %w", err)
	}
	defer func() {
		if err != nil {
			tmp.Close()
			os.Remove(tmp.Name())
		}
	}()
	if hash, n, err = f.copyBody(b, tmp, what, src.display); err != nil {
		return "", "", 0, err
	}
	if err = tmp.Close(); err != nil {
		return "", "", 0, fmt.Errorf("writing the temp file failed: %w", err)
	}
	return tmp.Name(), hash, n, nil
}

// copyBody hashes r while copying it to w (nil: only hash), enforcing
// MaxBytes and reporting progress. The body is never held in memory.
func (f *Fetcher) copyBody(r io.Reader, w io.Writer, what, display string) (string, int64, error) {
	h := sha256.New()
	buf := make([]byte, copyBufferSize)
	limit := f.maxBytes()
	var n int64
	last := time.Now()
	for {
		k, rerr := r.Read(buf)
		if k > 0 {
			n += int64(k)
			if n > limit {
				return "", n, f.tooLarge(what)
			}
			h.Write(buf[:k])
			if w != nil {
				if _, err := w.Write(buf[:k]); err != nil {
					return "", n, fmt.Errorf("writing the temp file failed: %w", err)
				}
			}
			if f.Progress != nil && time.Since(last) >= progressEvery {
				f.Progress(display, n)
				last = time.Now()
			}
		}
		if rerr == io.EOF {
			break
		}
		if rerr != nil {
			return "", n, &readError{rerr}
		}
	}
	if f.Progress != nil {
		f.Progress(display, n)
	}
	return hex.EncodeToString(h.Sum(nil)), n, nil
}

func (f *Fetcher) tooLarge(what string) error {
	return fileerr.New(ErrDownloadTooLarge, "%s is larger than the %d-byte limit", what, f.maxBytes())
}

// markUnchanged turns a result whose bytes are those of last time into
// NotModified, removing its temp file.
func markUnchanged(res *Result, previous string) {
	if previous == "" || !strings.EqualFold(res.Hash, previous) {
		return
	}
	res.Cleanup()
	res.Path = ""
	res.NotModified = true
}

// tempPattern names temp files after the source file, for whoever finds
// one left by a killed process: "labdash-oe.data.0.Current-*".
func tempPattern(name string) string {
	name = strings.TrimSuffix(name, ".gz")
	name = strings.Map(func(r rune) rune {
		if r < 0x80 && (r == '.' || r == '-' || r == '_' || r >= '0' && r <= '9' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z') {
			return r
		}
		return '_'
	}, name)
	if len(name) > 60 {
		name = name[:60]
	}
	if strings.Trim(name, "._") == "" {
		name = "download"
	}
	return "labdash-" + name + "-*"
}

// watchdog cancels an attempt when no progress is made for d.
type watchdog struct {
	t *time.Timer
	d time.Duration
}

func startWatchdog(d time.Duration, fire func()) *watchdog {
	if d <= 0 {
		return &watchdog{}
	}
	return &watchdog{t: time.AfterFunc(d, fire), d: d}
}

func (w *watchdog) kick() {
	if w.t != nil {
		w.t.Reset(w.d)
	}
}

func (w *watchdog) stop() {
	if w.t != nil {
		w.t.Stop()
	}
}

// kickReader kicks the watchdog whenever bytes arrive.
type kickReader struct {
	r   io.Reader
	dog *watchdog
}

func (k kickReader) Read(p []byte) (int, error) {
	n, err := k.r.Read(p)
	if n > 0 {
		k.dog.kick()
	}
	return n, err
}

// ctxReader stops a long local read when ctx ends.
type ctxReader struct {
	ctx context.Context
	r   io.Reader
}

func (c ctxReader) Read(p []byte) (int, error) {
	if c.ctx.Err() != nil {
		return 0, context.Cause(c.ctx)
	}
	return c.r.Read(p)
}

func sleepCtx(ctx context.Context, d time.Duration) error {
	if d <= 0 && ctx.Err() != nil {
		return context.Cause(ctx)
	}
	if d <= 0 {
		return nil
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return context.Cause(ctx)
	case <-t.C:
		return nil
	}
}

// newFetchTransport is the default transport. It has no overall deadline
// (big files on slow lines); the attempt's watchdog catches a stall.
func newFetchTransport() *http.Transport {
	return &http.Transport{
		Proxy:                 http.ProxyFromEnvironment,
		DialContext:           (&net.Dialer{Timeout: 30 * time.Second, KeepAlive: 30 * time.Second}).DialContext,
		TLSHandshakeTimeout:   15 * time.Second,
		ResponseHeaderTimeout: 2 * time.Minute,
		ExpectContinueTimeout: time.Second,
		IdleConnTimeout:       90 * time.Second,
		MaxIdleConns:          4,
		ForceAttemptHTTP2:     true,
	}
}

func (f *Fetcher) retries() int {
	switch {
	case f.Retries < 0:
		return 0
	case f.Retries == 0:
		return defaultFetchRetries
	}
	return f.Retries
}

func (f *Fetcher) backoff(attempt int) time.Duration {
	if f.Backoff != nil {
		return max(f.Backoff(attempt), 0)
	}
	return time.Second << min(max(attempt-1, 0), 5)
}

func (f *Fetcher) maxBytes() int64 {
	if f.MaxBytes <= 0 {
		return defaultFetchMaxBytes
	}
	return f.MaxBytes
}

func (f *Fetcher) stallTimeout() time.Duration {
	if f.StallTimeout == 0 {
		return defaultStallTimeout
	}
	return f.StallTimeout
}

func (f *Fetcher) maxRetryAfter() time.Duration {
	if f.MaxRetryAfter <= 0 {
		return defaultMaxRetryAfter
	}
	return f.MaxRetryAfter
}

// HashBytes is the hex sha256 used as a file hash.
func HashBytes(b []byte) string {
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:])
}
