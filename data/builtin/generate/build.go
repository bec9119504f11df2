package main

import (
	"bytes"
	"fmt"
	"io/fs"
	"path"

	"github.com/labdash/labdash/data"
	"github.com/labdash/labdash/data/builtin"
	"github.com/labdash/labdash/ingest/fetch"
	"github.com/labdash/labdash/ingest/format"
)

// buildPublication reads the committed BLS workbooks with the formats that
// `labdash ingest` uses, each figure naming its file's BLS address and
// SHA-256, then adds the reference figures that no workbook gives. dir is
// data/builtin. RetrievedAt stays zero everywhere: nothing was fetched.
func buildPublication(dir fs.FS) (data.Publication, error) {
	pub := data.Publication{Label: snapshotLabel}
	var obs []data.Observation
	for _, wb := range workbooks {
		got, info, err := readWorkbook(dir, wb)
		if err != nil {
			return data.Publication{}, err
		}
		obs = append(obs, got...)
		pub.Sources = append(pub.Sources, info)
	}
	obs = format.ResolveDuplicates(obs)
	ref, info, err := readReference(dir, obs)
	if err != nil {
		return data.Publication{}, err
	}
	pub.Observations = append(obs, ref...)
	pub.Sources = append(pub.Sources, info)
	return pub, nil
}

// readWorkbook parses one committed workbook.
func readWorkbook(dir fs.FS, wb workbook) ([]data.Observation, data.SourceInfo, error) {
	body, err := fs.ReadFile(dir, wb.Path)
	if err != nil {
		return nil, data.SourceInfo{}, fmt.Errorf("built-in %s: %w", wb.Path, err)
	}
	f, ok := format.Lookup(wb.Format)
	if !ok {
		return nil, data.SourceInfo{}, fmt.Errorf("built-in %s: unknown format %q", wb.Path, wb.Format)
	}
	hash := fetch.HashBytes(body)
	obs, err := f.Parse(format.Input{
		Source: format.Source{Name: builtin.SourceName, URL: wb.URL, Occupations: wb.Occupations},
		Files:  []format.File{{Name: path.Base(wb.Path), Data: body}},
		Prov: format.Provenance{SourceName: builtin.SourceName, SourceTitle: wb.Title, SourceURL: wb.URL,
			FileHash: hash, Tier: wb.Tier},
	})
	if err != nil {
		return nil, data.SourceInfo{}, fmt.Errorf("built-in %s: %w", wb.Path, err)
	}
	for i := range obs {
		obs[i].Notes = joinNotes(wb.Notes, obs[i].Notes)
	}
	return obs, data.SourceInfo{Name: builtin.SourceName, Format: wb.Format, URL: wb.URL, FileHash: hash,
		Rows: len(obs)}, nil
}

// readReference reads the reference figures and keeps those whose key no
// workbook gives: a figure read in a BLS file replaces one read on a page.
func readReference(dir fs.FS, fromFiles []data.Observation) ([]data.Observation, data.SourceInfo, error) {
	body, err := fs.ReadFile(dir, builtin.ReferenceName)
	if err != nil {
		return nil, data.SourceInfo{}, fmt.Errorf("built-in reference figures: %w", err)
	}
	// The reference file does not record when each figure was read from
	// its page: RetrievedAt stays zero rather than claim a visit.
	prov := format.Provenance{SourceName: builtin.SourceName, FileHash: fetch.HashBytes(body)}
	ref, err := format.ParseReference(bytes.NewReader(body), prov)
	if err != nil {
		return nil, data.SourceInfo{}, fmt.Errorf("built-in reference figures: %w", err)
	}
	given := make(map[data.Key]bool, len(fromFiles))
	for _, o := range fromFiles {
		given[o.Key()] = true
	}
	var kept []data.Observation
	for _, o := range ref {
		if !given[o.Key()] {
			kept = append(kept, o)
		}
	}
	return kept, data.SourceInfo{Name: builtin.SourceName, Format: "reference-csv", URL: builtin.ReferenceName,
		FileHash: prov.FileHash, Rows: len(kept)}, nil
}

func joinNotes(a, b string) string {
	switch {
	case a == "":
		return b
	case b == "":
		return a
	}
	return a + "; " + b
}
