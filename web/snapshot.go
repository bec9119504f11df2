package web

import (
	"errors"
	"net/http"
	"strconv"

	"github.com/labdash/labdash/data"
)

// pinnedSnapshot reads the {snapshot} path value of a pinned address.
func (s *Server) pinnedSnapshot(r *http.Request) (data.Snapshot, error) {
	return s.snapshotByParam(r, r.PathValue("snapshot"), "snapshot in the address")
}

// snapshotByParam resolves "latest" or a snapshot id, with a sentence for
// anything else.
func (s *Server) snapshotByParam(r *http.Request, value, what string) (data.Snapshot, error) {
	if value == "" || value == "latest" {
		return s.latest(r)
	}
	id, err := strconv.ParseInt(value, 10, 64)
	if err != nil || id <= 0 {
		return data.Snapshot{}, badRequest("The %s must be a snapshot number such as 1, or \"latest\"; %q is neither.", what, value)
	}
	snap, err := s.store.Snapshot(r.Context(), id)
	if errors.Is(err, data.ErrSnapshotMissing) {
		return data.Snapshot{}, notFound("There is no snapshot %d. The list of snapshots says which exist.", id)
	}
	return snap, err
}

func (s *Server) latest(r *http.Request) (data.Snapshot, error) {
	snap, err := s.store.LatestSnapshot(r.Context())
	if errors.Is(err, data.ErrNoSnapshot) {
		return data.Snapshot{}, &httpError{http.StatusServiceUnavailable, "No data has been published yet; the first ingest has not finished."}
	}
	return snap, err
}
