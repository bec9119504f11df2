package web

import (
	"compress/gzip"
	"fmt"
	"io"
	"net/http"
	"regexp"
	"strings"

	"github.com/labdash/labdash/data"
	"github.com/labdash/labdash/obscsv"
)

// exportSnapshotCSV streams a whole snapshot as labdash-csv:
// /export.csv?snapshot=latest|ID&bom=1.
func (s *Server) exportSnapshotCSV(w http.ResponseWriter, r *http.Request) error {
	q := r.URL.Query()
	if err := checkParams(q, "snapshot", "bom"); err != nil {
		return err
	}
	bom, err := boolParam(q.Get("bom"), "bom")
	if err != nil {
		return err
	}
	snap, pinned, err := s.exportSnapshot(r)
	if err != nil {
		return err
	}
	if pinned {
		// A pinned snapshot never changes, and neither does its export.
		w.Header().Set("Cache-Control", "public, max-age=31536000, immutable")
	}
	// Resolve before the first byte: a failure later would cut the file.
	out := startCSV(w, r, fmt.Sprintf("labdash-snapshot-%d.csv", snap.ID))
	defer out.Close()
	cw, err := obscsv.NewWriter(out, bom)
	if err != nil {
		return nil
	}
	if err := s.store.EachObservation(r.Context(), snap.ID, data.Filter{}, cw.Write); err != nil {
		abortResponse(s, "export cut short", snap.ID, err)
	}
	if err := cw.Close(); err != nil {
		s.log.Warn("export not finished", "snapshot", snap.ID, "err", err)
	}
	return nil
}

// exportSnapshot resolves the snapshot an export names; pinned says it
// named a number, so the export never changes.
func (s *Server) exportSnapshot(r *http.Request) (snap data.Snapshot, pinned bool, err error) {
	param, where, err := exportSnapshotParam(r)
	if err != nil {
		return data.Snapshot{}, false, err
	}
	snap, err = s.snapshotByParam(r, param, where)
	return snap, param != "" && param != "latest", err
}

// exportSnapshotParam is the snapshot an export names, and where: in the
// pinned path (/s/{snapshot}/export.csv) or in the query (?snapshot=).
func exportSnapshotParam(r *http.Request) (value, where string, err error) {
	if p := r.PathValue("snapshot"); p != "" {
		if p == "latest" {
			return "", "", errPinnedLatest
		}
		return p, inPath, nil
	}
	return r.URL.Query().Get("snapshot"), "snapshot", nil
}

// chartFileName is a chart's figures as a file: its block id and "csv" or
// "xlsx".
var chartFileName = regexp.MustCompile(`^([a-z0-9-]+)\.(csv|xlsx)$`)

// startCSV sets the headers of a CSV download and returns where to write
// it, gzipped when the client accepts that.
func startCSV(w http.ResponseWriter, r *http.Request, filename string) io.WriteCloser {
	h := w.Header()
	h.Set("Content-Type", "text/csv; charset=utf-8")
	h.Set("Content-Disposition", `attachment; filename="`+filename+`"`)
	h.Add("Vary", "Accept-Encoding")
	if !acceptsGzip(r) {
		return nopCloser{w}
	}
	h.Set("Content-Encoding", "gzip")
	return gzip.NewWriter(w)
}

type nopCloser struct{ io.Writer }

func (nopCloser) Close() error { return nil }

// checkParams refuses query parameters the handler does not know, so a
// typo ("snapshto=3") is an error rather than silently the latest data.
func checkParams(q map[string][]string, known ...string) error {
	for name := range q {
		found := false
		for _, k := range known {
			found = found || name == k
		}
		if !found {
			return badRequest("This address takes no parameter %s; it knows %s.", quote(name), strings.Join(known, ", "))
		}
	}
	return nil
}

func boolParam(v, name string) (bool, error) {
	switch v {
	case "", "0", "false":
		return false, nil
	case "1", "true":
		return true, nil
	}
	return false, badRequest("The %s parameter must be 1 or 0; %s is neither.", name, quote(v))
}

// abortResponse ends a response whose body has started and cannot be
// finished: the connection is reset, so the client sees a failed download
// rather than a well-formed file cut short.
func abortResponse(s *Server, what string, snapshot int64, err error) {
	s.log.Error(what, "snapshot", snapshot, "err", err)
	panic(http.ErrAbortHandler)
}
