package web

import (
	"fmt"
	"net/http"
	"net/url"
	"strconv"

	"github.com/labdash/labdash/dashboard"
	"github.com/labdash/labdash/data"
)

// newerJSON tells a pinned page whether newer data exists and what changed
// for the figures it shows. Pinned HTML never changes; this small uncached
// answer is what its banner shows.
type newerJSON struct {
	Newer         bool     `json:"newer"`
	Snapshot      int64    `json:"snapshot"`
	Latest        int64    `json:"latest"`
	LatestURL     string   `json:"latest_url,omitempty"`
	DiffURL       string   `json:"diff_url,omitempty"`
	ChangedOnPage int      `json:"changed_on_page"`
	Lines         []string `json:"lines"`
}

const newerLinesShown = 5

// apiNewer is GET /api/v1/newer?snapshot=N&page=NAME&query=ENCODED.
func (s *Server) apiNewer(w http.ResponseWriter, r *http.Request) error {
	q := r.URL.Query()
	if err := checkParams(q, "snapshot", "page", "query"); err != nil {
		return err
	}
	id, err := strconv.ParseInt(q.Get("snapshot"), 10, 64)
	if err != nil || id <= 0 {
		return badRequest("The snapshot parameter must be a snapshot number; %s is not.", quote(q.Get("snapshot")))
	}
	snap, err := s.snapshotByParam(r, q.Get("snapshot"), "snapshot")
	if err != nil {
		return err
	}
	def, ok := s.pageDef(q.Get("page"))
	if !ok {
		return badRequest("There is no page called %s.", quote(q.Get("page")))
	}
	pageQuery, err := url.ParseQuery(q.Get("query"))
	if err != nil {
		return badRequest("The query parameter is not a URL query: %v.", err)
	}
	latest, err := s.latest(r)
	if err != nil {
		return err
	}
	out := newerJSON{Snapshot: snap.ID, Latest: latest.ID, Lines: []string{}}
	if latest.ID > snap.ID {
		if err := s.describeNewer(r, def, pageQuery, snap, latest, &out); err != nil {
			return err
		}
	}
	return writeJSON(w, http.StatusOK, out)
}

func (s *Server) describeNewer(r *http.Request, def pageDef, pageQuery url.Values, snap, latest data.Snapshot, out *newerJSON) error {
	pr := r.Clone(r.Context())
	pr.URL.RawQuery = pageQuery.Encode()
	built, err := s.buildPage(pr, def, snap)
	if err != nil {
		return err
	}
	shown := pageKeys(built)
	// The latest version of the page may show figures the pinned one had
	// not: a new edition or period becomes its quick fact.
	if now, err := s.buildPage(pr, def, latest); err == nil {
		for k := range pageKeys(now) {
			shown[k] = true
		}
	}
	changes, err := s.store.Diff(r.Context(), snap.ID, latest.ID)
	if err != nil {
		return err
	}
	out.Newer = true
	out.LatestURL = "/" + def.name
	if enc := pageQuery.Encode(); enc != "" {
		out.LatestURL += "?" + enc
	}
	out.DiffURL = fmt.Sprintf("/diff?from=%d&to=%d", snap.ID, latest.ID)
	for _, c := range changes {
		if !shown[c.Observation().Key()] {
			continue
		}
		out.ChangedOnPage++
		if len(out.Lines) < newerLinesShown {
			out.Lines = append(out.Lines, dashboard.ChangeText(c))
		}
	}
	return nil
}

// pageKeys are the keys of every figure a page shows.
func pageKeys(p dashboard.Page) map[data.Key]bool {
	keys := map[data.Key]bool{}
	for _, b := range p.Blocks {
		for _, o := range b.Observations {
			keys[o.Key()] = true
		}
	}
	for _, col := range p.Facts {
		for _, o := range col.Figures() {
			keys[o.Key()] = true
		}
	}
	return keys
}

func (s *Server) pageDef(name string) (pageDef, bool) {
	for _, d := range s.pageDefs() {
		if d.name == name {
			return d, true
		}
	}
	return pageDef{}, false
}
