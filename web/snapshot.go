package web

import (
	"context"
	"errors"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/labdash/labdash/data"
)

// pinnedSnapshot reads the {snapshot} path value of a pinned address.
var errPinnedLatest = badRequest("A pinned address names a snapshot number, not \"latest\"; the same address without /s/latest shows the latest data.")

// A pinned address is cached forever, so it must name a number: "latest"
// there would freeze whatever was latest into every cache.
func (s *Server) pinnedSnapshot(r *http.Request) (data.Snapshot, error) {
	v := r.PathValue("snapshot")
	if v == "latest" {
		return data.Snapshot{}, errPinnedLatest
	}
	return s.snapshotByParam(r, v, inPath)
}

// inPath names, in place of a query parameter, the {snapshot} of the path.
const inPath = ""

// snapshotByParam resolves "latest" or a snapshot id, with a sentence for
// anything else. param is the query parameter the value came from, or
// inPath. A number written otherwise than plainly (01, +1) is redirected to
// the same address with the plain number, so that a snapshot's pinned
// pages, exports and diffs each have one address.
func (s *Server) snapshotByParam(r *http.Request, value, param string) (data.Snapshot, error) {
	if value == "" || value == "latest" {
		return s.latest(r)
	}
	id, err := strconv.ParseInt(value, 10, 64)
	if err != nil || id <= 0 {
		what := "snapshot in the address"
		if param != inPath {
			what = paramName(param) + " parameter"
		}
		return data.Snapshot{}, badRequest("The %s must be a snapshot number such as 1, or \"latest\"; %s is neither.", what, quote(value))
	}
	if canonical := strconv.FormatInt(id, 10); canonical != value {
		return data.Snapshot{}, &redirectError{canonicalAddress(r, param, value, canonical)}
	}
	snap, err := s.store.Snapshot(r.Context(), id)
	if errors.Is(err, data.ErrSnapshotMissing) {
		return data.Snapshot{}, notFound("There is no snapshot %d. The list of snapshots says which exist.", id)
	}
	return snap, err
}

// snapshotPathPrefixes are where {snapshot} sits in the routes that have it.
var snapshotPathPrefixes = []string{"/s/", "/api/v1/snapshots/"}

// canonicalAddress is r's address with the snapshot id written as canonical
// in place of value, in the path or in the query parameter param.
func canonicalAddress(r *http.Request, param, value, canonical string) string {
	u := *r.URL
	if param != inPath {
		q := u.Query()
		q.Set(param, canonical)
		u.RawQuery = q.Encode()
		return u.RequestURI()
	}
	for _, prefix := range snapshotPathPrefixes {
		rest, ok := strings.CutPrefix(u.Path, prefix+value)
		if ok && (rest == "" || rest[0] == '/') {
			u.Path, u.RawPath = prefix+canonical+rest, ""
			break
		}
	}
	return u.RequestURI()
}

// latestTTL bounds how long a publish by another process (a CLI ingest on the
// same store) can go unseen; publishes in this process call Refresh.
const latestTTL = 2 * time.Second

// latestSnapshot caches the newest snapshot, so serving a cached page costs
// no query and no lock: requests read it atomically. When it is older than
// latestTTL, or Refresh was called, one request looks it up again while the
// others go on with the one they have (they came in before the lookup
// ended); a request that finds none waits for the lookup.
type latestSnapshot struct {
	current atomic.Pointer[checkedSnapshot]
	lookup  sync.Mutex    // one lookup at a time
	gen     atomic.Uint64 // counts Refresh calls
}

type checkedSnapshot struct {
	snap    data.Snapshot
	checked time.Time // zero: look up again
}

func (s *Server) latest(r *http.Request) (data.Snapshot, error) {
	c := &s.latestCache
	cur := c.current.Load()
	if cur != nil && s.now().Sub(cur.checked) < latestTTL {
		return cur.snap, nil
	}
	if cur != nil && !c.lookup.TryLock() {
		return cur.snap, nil // another request is looking it up
	}
	if cur == nil {
		c.lookup.Lock()
	}
	defer c.lookup.Unlock()
	return s.lookUpLatest(r.Context())
}

// lookUpLatest reads the latest snapshot from the store into the cache,
// unless a lookup that ended while this one waited for the lock did; the
// caller holds latestCache.lookup.
func (s *Server) lookUpLatest(ctx context.Context) (data.Snapshot, error) {
	c := &s.latestCache
	if cur := c.current.Load(); cur != nil && s.now().Sub(cur.checked) < latestTTL {
		return cur.snap, nil // looked up while this request waited
	}
	gen := c.gen.Load()
	snap, err := s.store.LatestSnapshot(ctx)
	if errors.Is(err, data.ErrNoSnapshot) {
		return data.Snapshot{}, &httpError{http.StatusServiceUnavailable, "No data has been published yet; the first ingest has not finished."}
	}
	if err != nil {
		return data.Snapshot{}, err
	}
	checked := s.now()
	if c.gen.Load() != gen {
		checked = time.Time{} // a Refresh came during the lookup: it may predate the publish
	}
	c.current.Store(&checkedSnapshot{snap: snap, checked: checked})
	return snap, nil
}

// Refresh makes the next request look up the latest snapshot again; call it
// after publishing in this process. It then renders the latest pages read
// most recently (warmPages of them) from the new snapshot before it
// returns, so that no reader waits for a render after an ingest: the
// ingest pays for it. Readers meanwhile get the page they had.
func (s *Server) Refresh() {
	c := &s.latestCache
	c.gen.Add(1)
	if cur := c.current.Load(); cur != nil {
		c.current.Store(&checkedSnapshot{snap: cur.snap})
	}
	// Looked up here, waiting for a reader's lookup under way if need be,
	// so that the pages below are rendered from the new snapshot.
	c.lookup.Lock()
	_, err := s.lookUpLatest(context.Background())
	c.lookup.Unlock()
	if err == nil {
		s.warm(s.pages.recentAddresses(warmPages))
	}
}

// warmPages is how many latest pages Refresh renders ahead of readers: the
// home page and a few others people were on, not every page ever asked for.
const warmPages = 4

// warm asks for each address as a reader would, through the page routes,
// and drops the response: the page cache keeps the page.
func (s *Server) warm(addresses []string) {
	for _, uri := range addresses {
		r, err := http.NewRequest(http.MethodGet, uri, nil)
		if err != nil {
			continue
		}
		w := &discardResponse{header: http.Header{}}
		s.pageRoutes.ServeHTTP(w, r)
		if w.status >= 500 && s.log != nil {
			s.log.Warn("rendering a page after a publish failed", "page", uri, "status", w.status)
		}
	}
}

// discardResponse is a ResponseWriter that keeps only the status.
type discardResponse struct {
	header http.Header
	status int
}

func (d *discardResponse) Header() http.Header { return d.header }
func (d *discardResponse) Write(b []byte) (int, error) {
	if d.status == 0 {
		d.status = http.StatusOK
	}
	return len(b), nil
}
func (d *discardResponse) WriteHeader(status int) {
	if d.status == 0 {
		d.status = status
	}
}
