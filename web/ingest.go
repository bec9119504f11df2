package web

import (
	"crypto/subtle"
	"encoding/json"
	"errors"
	"net/http"
	"strings"
	"time"

	"github.com/labdash/labdash/data"
)

// Ingester is what the status page and the admin endpoint need from the
// ingest service; cmd/labdash adapts the ingest runner and scheduler to it.
type Ingester interface {
	// Running reports the run under way, if any.
	Running() (IngestRun, bool)
	// NextRun is the next scheduled run; zero when scheduled runs are off.
	NextRun() time.Time
	// StartAdminRun begins a run in the background. It returns an error
	// that wraps ErrIngestBusy when a run is under way (here or in another
	// process on the same store), or another error saying why it cannot.
	StartAdminRun() error
	// ScheduleNote says why scheduled runs are off, or "" when they are on.
	ScheduleNote() string
}

// IngestRun is a run under way, as the status page shows it.
type IngestRun struct {
	Trigger   string // what started it: "schedule", "admin", …
	StartedAt time.Time
	Source    string // the source being read
}

// ErrIngestBusy is wrapped by StartAdminRun's error when a run is already
// under way: the admin endpoint answers 409 Conflict.
var ErrIngestBusy = errors.New("an ingest is already running")

// ingestStatus is the status page's data, also served as JSON.
type ingestStatus struct {
	Running      *runningJSON `json:"running"`
	NextRun      *time.Time   `json:"next_run"`
	ScheduleNote string       `json:"schedule_note,omitempty"`
	Runs         []runJSON    `json:"runs"`
}

type runningJSON struct {
	Trigger   string    `json:"trigger"`
	StartedAt time.Time `json:"started_at"`
	Source    string    `json:"source"`
}

type runJSON struct {
	ID         int64        `json:"id"`
	Trigger    string       `json:"trigger"`
	StartedAt  time.Time    `json:"started_at"`
	FinishedAt time.Time    `json:"finished_at"`
	Outcome    string       `json:"outcome"`
	SnapshotID int64        `json:"snapshot_id,omitempty"`
	Message    string       `json:"message"`
	Sources    []sourceJSON `json:"sources"`
}

type sourceJSON struct {
	Source     string `json:"source"`
	Outcome    string `json:"outcome"`
	Rows       int    `json:"rows"`
	Bytes      int64  `json:"bytes"`
	DurationMS int64  `json:"duration_ms"`
	Error      string `json:"error,omitempty"`
}

const runsShown = 20

func (s *Server) ingestStatus(r *http.Request) (ingestStatus, error) {
	runs, err := s.store.Runs(r.Context(), runsShown)
	if err != nil {
		return ingestStatus{}, err
	}
	st := ingestStatus{Runs: []runJSON{}}
	for _, run := range runs {
		st.Runs = append(st.Runs, toRunJSON(run))
	}
	if s.ingester == nil {
		st.ScheduleNote = "This server was started without a sources file: it serves the data in its store and does not ingest."
		return st, nil
	}
	if cur, ok := s.ingester.Running(); ok {
		st.Running = &runningJSON{cur.Trigger, cur.StartedAt, cur.Source}
	}
	if next := s.ingester.NextRun(); !next.IsZero() {
		st.NextRun = &next
	}
	st.ScheduleNote = s.ingester.ScheduleNote()
	return st, nil
}

func toRunJSON(run data.Run) runJSON {
	out := runJSON{ID: run.ID, Trigger: run.Trigger, StartedAt: run.StartedAt, FinishedAt: run.FinishedAt,
		Outcome: run.Outcome, SnapshotID: run.SnapshotID, Message: run.Message, Sources: []sourceJSON{}}
	for _, src := range run.Sources {
		out.Sources = append(out.Sources, sourceJSON{src.Source, src.Outcome, src.Rows, src.Bytes,
			src.Duration.Milliseconds(), src.Error})
	}
	return out
}

func (s *Server) showIngestStatus(w http.ResponseWriter, r *http.Request) error {
	st, err := s.ingestStatus(r)
	if err != nil {
		return err
	}
	body, err := s.render("ingest.html", st)
	if err != nil {
		return err
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.Write(body)
	return nil
}

func (s *Server) showIngestJSON(w http.ResponseWriter, r *http.Request) error {
	st, err := s.ingestStatus(r)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, st)
}

// startIngest is POST /admin/ingest. It is off unless an admin token is
// configured, and then wants "Authorization: Bearer <token>".
func (s *Server) startIngest(w http.ResponseWriter, r *http.Request) error {
	if s.adminToken == "" || s.ingester == nil {
		return writeJSON(w, http.StatusNotFound, map[string]string{
			"error": "The admin endpoint is off: set LABDASH_ADMIN_TOKEN and a sources file to turn it on."})
	}
	token, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
	if !ok || subtle.ConstantTimeCompare([]byte(token), []byte(s.adminToken)) != 1 {
		w.Header().Set("WWW-Authenticate", `Bearer realm="labdash admin"`)
		return writeJSON(w, http.StatusUnauthorized, map[string]string{"error": "A valid admin token is required."})
	}
	err := s.ingester.StartAdminRun()
	if errors.Is(err, ErrIngestBusy) {
		return writeJSON(w, http.StatusConflict, map[string]string{"error": err.Error()})
	}
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusAccepted, map[string]string{"status": "started", "progress": "/ingest.json"})
}

func writeJSON(w http.ResponseWriter, status int, v any) error {
	body, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		return err
	}
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	w.Write(append(body, '\n'))
	return nil
}
