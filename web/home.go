package web

import (
	"bytes"
	"compress/gzip"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"net/http"

	"github.com/labdash/labdash/dashboard"
	"github.com/labdash/labdash/data"
)

// homePage is the home template's data.
type homePage struct {
	dashboard.Home
	Pinned    bool   // the address names the snapshot
	PinnedURL string // the snapshot-pinned address of this page
}

func (s *Server) showLatestHome(w http.ResponseWriter, r *http.Request) error {
	snap, err := s.latest(r)
	if err != nil {
		return err
	}
	return s.serveHome(w, r, snap, false)
}

func (s *Server) showPinnedHome(w http.ResponseWriter, r *http.Request) error {
	snap, err := s.pinnedSnapshot(r)
	if err != nil {
		return err
	}
	return s.serveHome(w, r, snap, true)
}

func (s *Server) serveHome(w http.ResponseWriter, r *http.Request, snap data.Snapshot, pinned bool) error {
	key := fmt.Sprintf("home/%d/%t", snap.ID, pinned)
	p, err := s.pages.get(key, func() (*page, error) {
		home, err := s.buildHome(r.Context(), snap)
		if err != nil {
			return nil, err
		}
		body, err := s.render("home.html", homePage{Home: home, Pinned: pinned, PinnedURL: pinnedHomeURL(snap.ID)})
		if err != nil {
			return nil, err
		}
		return newPage(body), nil
	})
	if err != nil {
		return err
	}
	if pinned {
		w.Header().Set("Cache-Control", "public, max-age=31536000, immutable")
	} else {
		// The latest page changes when a snapshot is published: revalidate.
		w.Header().Set("Cache-Control", "no-cache")
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("ETag", p.etag)
	writeMaybeGzipped(w, r, p.body, p.gzipped)
	return nil
}

// buildHome reads only the occupations the home page shows.
func (s *Server) buildHome(ctx context.Context, snap data.Snapshot) (dashboard.Home, error) {
	var codes []string
	for _, f := range data.Families {
		codes = append(codes, f.Codes...)
	}
	obs, err := s.store.Observations(ctx, snap.ID, data.Filter{Occupations: codes})
	if err != nil {
		return dashboard.Home{}, err
	}
	return dashboard.BuildHome(snap, obs), nil
}

func pinnedHomeURL(id int64) string { return fmt.Sprintf("/s/%d/", id) }

func newPage(body []byte) *page {
	sum := sha256.Sum256(body)
	var buf bytes.Buffer
	zw, _ := gzip.NewWriterLevel(&buf, gzip.BestCompression)
	zw.Write(body)
	zw.Close()
	return &page{body: body, gzipped: buf.Bytes(), etag: `"` + hex.EncodeToString(sum[:12]) + `"`}
}
