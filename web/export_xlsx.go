package web

import (
	"bytes"
	"fmt"
	"net/http"
	"strconv"

	"github.com/labdash/labdash/cite"
	"github.com/labdash/labdash/dashboard"
	"github.com/labdash/labdash/data"
	"github.com/labdash/labdash/obsxlsx"
)

const xlsxContentType = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

// exportSnapshotXLSX sends a whole snapshot as a workbook:
// /export.xlsx?snapshot=latest|ID and /s/{snapshot}/export.xlsx.
func (s *Server) exportSnapshotXLSX(w http.ResponseWriter, r *http.Request) error {
	if err := checkParams(r.URL.Query(), "snapshot"); err != nil {
		return err
	}
	snap, pinned, err := s.exportSnapshot(r)
	if err != nil {
		return err
	}
	address := fmt.Sprintf("%s/s/%d/", s.baseURL(r), snap.ID)
	about := obsxlsx.About{
		Title: fmt.Sprintf("labdash snapshot %d: %s", snap.ID, snap.Label),
		Lines: []string{
			fmt.Sprintf("Published %s; its figures never change. Pinned address: %s", snap.CreatedAt.UTC().Format("January 2, 2006"), address),
			"Every figure's source, tier and period are in its row; the sources are listed below.",
		},
		Citations: []obsxlsx.Citation{{Style: "text", Text: fmt.Sprintf("U.S. Bureau of Labor Statistics, figures as published in labdash snapshot %d (published %s): %s",
			snap.ID, snap.CreatedAt.UTC().Format("January 2, 2006"), address)}},
	}
	each := func(fn func(data.Observation) error) error {
		return s.store.EachObservation(r.Context(), snap.ID, data.Filter{}, fn)
	}
	return s.sendXLSX(w, fmt.Sprintf("labdash-snapshot-%d.xlsx", snap.ID), pinned, about, each)
}

// serveBlockXLSX sends exactly the figures of one chart of a page as a
// workbook, with the chart's title, source line and citation.
func (s *Server) serveBlockXLSX(w http.ResponseWriter, r *http.Request, def pageDef, pinned bool, id string) error {
	snap, err := s.snapshotFor(r, pinned)
	if err != nil {
		return err
	}
	built, err := s.buildPage(r, def, snap)
	if err != nil {
		return err
	}
	block, ok := built.Block(id)
	if !ok || len(block.Observations) == 0 {
		return notFound("This page has no chart called %s.", quote(id))
	}
	page, _, _ := pagePaths(def.name, snap.ID, r.URL.Query())
	address := s.baseURL(r) + page
	about := obsxlsx.About{Title: blockTitle(block), Lines: []string{
		fmt.Sprintf("Snapshot %d, published %s; pinned address of the page: %s", snap.ID, snap.CreatedAt.UTC().Format("January 2, 2006"), address),
	}}
	if block.HasChart() {
		about.Lines = append([]string{block.Chart.Subtitle, block.Chart.Source}, about.Lines...)
	}
	for _, c := range cite.ForChart(blockTitle(block), block.Observations, cite.Context{Snapshot: snap, PinnedURL: address}) {
		if c.Style == cite.StyleAPA || c.Style == cite.StyleText {
			about.Citations = append(about.Citations, obsxlsx.Citation{Style: citeStyleNames[c.Style], Text: c.Text})
		}
	}
	each := func(fn func(data.Observation) error) error {
		for _, o := range block.Observations {
			if err := fn(o); err != nil {
				return err
			}
		}
		return nil
	}
	return s.sendXLSX(w, fmt.Sprintf("labdash-%s-snapshot-%d.xlsx", block.ID, snap.ID), pinned, about, each)
}

// blockTitle is what a block's figures are: its chart's title, else its
// heading.
func blockTitle(b dashboard.Block) string {
	if b.HasChart() {
		return b.Chart.Title
	}
	return b.Heading
}

// sendXLSX builds the workbook in memory before the first byte, so a
// failure is an error page and never a cut file.
func (s *Server) sendXLSX(w http.ResponseWriter, filename string, pinned bool, about obsxlsx.About, each func(fn func(data.Observation) error) error) error {
	var buf bytes.Buffer
	if err := obsxlsx.Write(&buf, about, each); err != nil {
		return err
	}
	h := w.Header()
	h.Set("Content-Type", xlsxContentType)
	h.Set("Content-Disposition", `attachment; filename="`+filename+`"`)
	h.Set("Content-Length", strconv.Itoa(buf.Len()))
	if pinned {
		h.Set("Cache-Control", "public, max-age=31536000, immutable")
	}
	_, err := w.Write(buf.Bytes())
	if err != nil {
		s.log.Warn("workbook not sent", "file", filename, "err", err)
	}
	return nil
}
