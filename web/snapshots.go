package web

import (
	"net/http"
	"strconv"

	"github.com/labdash/labdash/dashboard"
)

// snapshotsPage lists every snapshot with its sources and change counts.
type snapshotsPage struct {
	Rows []snapshotRow
}

type snapshotRow struct {
	snapshotJSON
	PreviousID int64 // 0 for the first snapshot
}

func (s *Server) showSnapshots(w http.ResponseWriter, r *http.Request) error {
	if err := checkParams(r.URL.Query()); err != nil {
		return err
	}
	snaps, err := s.store.Snapshots(r.Context())
	if err != nil {
		return err
	}
	var page snapshotsPage
	for i, sn := range snaps {
		row := snapshotRow{snapshotJSON: toSnapshotJSON(sn)}
		if i+1 < len(snaps) {
			row.PreviousID = snaps[i+1].ID
		}
		page.Rows = append(page.Rows, row)
	}
	return s.writeHTML(w, "snapshots.html", page, "no-cache")
}

// diffReport reads from and to (ids or "latest"); from defaults to the
// snapshot before to.
func (s *Server) diffReport(r *http.Request) (dashboard.DiffReport, error) {
	q := r.URL.Query()
	if err := checkParams(q, "from", "to"); err != nil {
		return dashboard.DiffReport{}, err
	}
	to, err := s.snapshotByParam(r, q.Get("to"), "to")
	if err != nil {
		return dashboard.DiffReport{}, err
	}
	fromParam := q.Get("from")
	if fromParam == "" {
		if to.ID == 1 {
			return dashboard.DiffReport{}, badRequest("Snapshot 1 is the first: there is nothing before it to compare with; give a from parameter.")
		}
		fromParam = strconv.FormatInt(to.ID-1, 10)
	}
	from, err := s.snapshotByParam(r, fromParam, "from")
	if err != nil {
		return dashboard.DiffReport{}, err
	}
	changes, err := s.store.Diff(r.Context(), from.ID, to.ID)
	if err != nil {
		return dashboard.DiffReport{}, err
	}
	return dashboard.BuildDiff(from, to, changes), nil
}

func (s *Server) showDiff(w http.ResponseWriter, r *http.Request) error {
	report, err := s.diffReport(r)
	if err != nil {
		return err
	}
	cache := "no-cache"
	if q := r.URL.Query(); q.Get("from") != "" && q.Get("from") != "latest" && q.Get("to") != "" && q.Get("to") != "latest" {
		cache = "public, max-age=31536000, immutable" // two pinned snapshots never change
	}
	return s.writeHTML(w, "diff.html", report, cache)
}

// writeHTML renders a template into a buffer and sends it.
func (s *Server) writeHTML(w http.ResponseWriter, name string, v any, cacheControl string) error {
	body, err := s.render(name, v)
	if err != nil {
		return err
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Cache-Control", cacheControl)
	w.Write(body)
	return nil
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }
