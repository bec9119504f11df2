package web

import (
	"encoding/json"
	"errors"
	"net/http"
	"strings"
	"time"

	"github.com/labdash/labdash/data"
)

// The JSON API (/api/v1/…). Every response names its snapshot; errors are
// JSON with a sentence, never an HTML page.

// snapshotJSON is a snapshot as the API serves it: data.Snapshot's JSON
// with the snapshot's pinned address.
type snapshotJSON struct {
	data.Snapshot
	URL string `json:"url"`
}

func toSnapshotJSON(s data.Snapshot) snapshotJSON { return snapshotJSON{s, pinnedPath(s.ID)} }

func pinnedPath(id int64) string { return "/s/" + itoa(id) + "/" }

// observationJSON is one observation in the API; value is a number, a
// string for text measures, or null with a flag.
type observationJSON struct {
	OccupationCode  string    `json:"occupation_code"`
	OccupationTitle string    `json:"occupation_title"`
	AreaCode        string    `json:"area_code"`
	AreaTitle       string    `json:"area_title"`
	IndustryCode    string    `json:"industry_code"`
	IndustryTitle   string    `json:"industry_title"`
	Measure         string    `json:"measure"`
	Period          string    `json:"period"`
	Value           any       `json:"value"`
	Unit            string    `json:"unit"`
	Flag            string    `json:"flag,omitempty"`
	Tier            string    `json:"tier"`
	SourceName      string    `json:"source_name"`
	SourceTitle     string    `json:"source_title"`
	SourceURL       string    `json:"source_url"`
	RetrievedAt     time.Time `json:"retrieved_at"`
	Notes           string    `json:"notes,omitempty"`
}

func toObservationJSON(o data.Observation) observationJSON {
	var value any
	switch {
	case o.IsText():
		value = o.Text
	case o.Value != nil:
		value = *o.Value
	}
	return observationJSON{o.OccupationCode, o.OccupationTitle, o.AreaCode, o.AreaTitle, o.IndustryCode,
		o.IndustryTitle, string(o.Measure), o.Period, value, string(o.Unit), string(o.Flag), string(o.Tier), o.SourceName,
		o.SourceTitle, o.SourceURL, o.RetrievedAt, o.Notes}
}

// handleAPI adapts a handler whose errors become JSON bodies.
func (s *Server) handleAPI(h handlerFunc) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		err := checkRepeatedParams(r.URL.Query())
		if err == nil {
			err = h(w, r)
		}
		if err == nil || redirected(w, err) {
			return
		}
		var he *httpError
		if !errors.As(err, &he) {
			s.log.Error("api request failed", "path", r.URL.Path, "err", err)
			he = &httpError{http.StatusInternalServerError, "Something went wrong on the server; the error has been logged."}
		}
		writeJSON(w, he.status, map[string]any{"error": he.text(), "status": he.status})
	})
}

func (s *Server) registerAPI(mux *http.ServeMux) {
	mux.Handle("GET /api/v1/snapshots", s.handleAPI(s.apiSnapshots))
	mux.Handle("GET /api/v1/snapshots/{snapshot}", s.handleAPI(s.apiSnapshot))
	mux.Handle("GET /api/v1/snapshots/{snapshot}/observations", s.handleAPI(s.apiObservations))
	mux.Handle("GET /api/v1/diff", s.handleAPI(s.apiDiff))
	mux.Handle("GET /api/v1/newer", s.handleAPI(s.apiNewer))
	mux.Handle("/api/", s.handleAPI(s.noRoute(mux, notFound("There is no API endpoint at this address; see /api/v1/snapshots."))))
}

func (s *Server) apiSnapshots(w http.ResponseWriter, r *http.Request) error {
	if err := checkParams(r.URL.Query()); err != nil {
		return err
	}
	snaps, err := s.store.Snapshots(r.Context())
	if err != nil {
		return err
	}
	out := make([]snapshotJSON, 0, len(snaps))
	for _, sn := range snaps {
		out = append(out, toSnapshotJSON(sn))
	}
	return writeJSON(w, http.StatusOK, map[string]any{"snapshots": out})
}

func (s *Server) apiSnapshot(w http.ResponseWriter, r *http.Request) error {
	snap, err := s.snapshotByParam(r, r.PathValue("snapshot"), inPath)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, map[string]any{"snapshot": toSnapshotJSON(snap)})
}

// apiObservations streams a snapshot's observations, filtered by any of
// occupation, area, industry, measure and period (comma-separated values).
func (s *Server) apiObservations(w http.ResponseWriter, r *http.Request) error {
	q := r.URL.Query()
	if err := checkParams(q, "occupation", "area", "industry", "measure", "period"); err != nil {
		return err
	}
	snap, err := s.snapshotByParam(r, r.PathValue("snapshot"), inPath)
	if err != nil {
		return err
	}
	f, err := apiFilter(q)
	if err != nil {
		return err
	}
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	if snap.ID != 0 && r.PathValue("snapshot") != "latest" {
		w.Header().Set("Cache-Control", "public, max-age=31536000, immutable")
	}
	head, _ := json.Marshal(toSnapshotJSON(snap))
	w.Write([]byte(`{"snapshot":` + string(head) + `,"observations":[`))
	first := true
	enc := json.NewEncoder(w)
	err = s.store.EachObservation(r.Context(), snap.ID, f, func(o data.Observation) error {
		if !first {
			w.Write([]byte(","))
		}
		first = false
		return enc.Encode(toObservationJSON(o))
	})
	if err != nil {
		abortResponse(s, "api observations cut short", snap.ID, err)
	}
	w.Write([]byte("]}\n"))
	return nil
}

type changeJSON struct {
	Kind string           `json:"kind"`
	Text string           `json:"text"`
	Old  *observationJSON `json:"old"`
	New  *observationJSON `json:"new"`
}

func (s *Server) apiDiff(w http.ResponseWriter, r *http.Request) error {
	report, err := s.diffReport(r)
	if err != nil {
		return err
	}
	changes := []changeJSON{}
	for _, g := range report.Groups {
		for _, l := range g.Lines {
			c := changeJSON{Kind: l.Kind, Text: l.Text}
			if l.Change.Old != nil {
				o := toObservationJSON(*l.Change.Old)
				c.Old = &o
			}
			if l.Change.New != nil {
				o := toObservationJSON(*l.Change.New)
				c.New = &o
			}
			changes = append(changes, c)
		}
	}
	return writeJSON(w, http.StatusOK, map[string]any{
		"from": toSnapshotJSON(report.From), "to": toSnapshotJSON(report.To),
		"added": report.Added, "revised": report.Revised, "removed": report.Removed,
		"callouts": nonNil(report.Callouts), "changes": changes,
	})
}

func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}

// maxFilterValues bounds how many values one filter parameter may list: each
// becomes a SQL parameter, and the query must fail before the body starts.
const maxFilterValues = 200

// apiFilter reads the comma-separated filters of the observations endpoint.
func apiFilter(q map[string][]string) (data.Filter, error) {
	var f data.Filter
	var measures []string
	for _, p := range []struct {
		name string
		dst  *[]string
	}{{"occupation", &f.Occupations}, {"area", &f.Areas}, {"industry", &f.Industries}, {"measure", &measures}, {"period", &f.Periods}} {
		v := ""
		if vs := q[p.name]; len(vs) > 0 {
			v = vs[0]
		}
		if v == "" {
			continue
		}
		values := strings.Split(v, ",")
		if len(values) > maxFilterValues {
			return data.Filter{}, badRequest("The %s parameter lists %d values; at most %d are allowed.", p.name, len(values), maxFilterValues)
		}
		*p.dst = values
	}
	for _, m := range measures {
		f.Measures = append(f.Measures, data.Measure(m))
	}
	return f, nil
}
