package web

import (
	"fmt"
	"net/http"

	"github.com/labdash/labdash/data"
	"github.com/labdash/labdash/datapackage"
)

// exportSnapshotPackage streams a whole snapshot as a Frictionless data
// package (a zip of observations.csv, datapackage.json, README.md and
// CITATION.cff): /export.zip?snapshot=latest|ID.
func (s *Server) exportSnapshotPackage(w http.ResponseWriter, r *http.Request) error {
	q := r.URL.Query()
	if err := checkParams(q, "snapshot"); err != nil {
		return err
	}
	snap, pinned, err := s.exportSnapshot(r)
	if err != nil {
		return err
	}
	// Resolved before the first byte: a failure later would cut the file.
	h := w.Header()
	h.Set("Content-Type", "application/zip")
	h.Set("Content-Disposition", fmt.Sprintf(`attachment; filename="labdash-snapshot-%d.zip"`, snap.ID))
	if pinned {
		// A pinned snapshot never changes, and neither does its package.
		h.Set("Cache-Control", "public, max-age=31536000, immutable")
	}
	each := func(fn func(data.Observation) error) error {
		return s.store.EachObservation(r.Context(), snap.ID, data.Filter{}, fn)
	}
	opts := datapackage.Options{BaseURL: s.baseURL(r)}
	if err := datapackage.Write(r.Context(), w, snap, each, opts); err != nil {
		abortResponse(s, "data package export cut short", snap.ID, err)
	}
	return nil
}
