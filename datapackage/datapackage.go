// Package datapackage writes a labdash snapshot as a Frictionless Tabular
// Data Package in a zip. The tests validate what it writes with
// internal/frictionless, whose Table Schema rules the writer also uses to
// declare only the constraints its rows keep.
//
// The zip holds observations.csv (the figures with a number, in the
// labdash-csv layout obscsv writes, so that its value column is typed a
// number), texts.csv (the figures that are words, such as typical entry
// education, in the same layout), datapackage.json (the descriptor:
// licence, sources, and a Table Schema of each CSV with its size and
// SHA-256), README.md (what the figures are and their caveats) and
// CITATION.cff. Together the two CSVs hold exactly the rows of
// /export.csv, in its order, and each is a labdash-csv file another
// labdash can ingest. It streams: observations.csv is written, hashed and
// tallied row by row and the descriptor follows it, so memory does not grow
// with the snapshot's figures; the words, a few per occupation and edition,
// wait for their own file. Every byte derives from the
// snapshot, its creation time included, so one snapshot always gives the
// same package.
package datapackage

import (
	"archive/zip"
	"bytes"
	"compress/flate"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"strings"

	"github.com/labdash/labdash/data"
	"github.com/labdash/labdash/obscsv"
)

// DefaultBaseURL is where labdash serves by default; pinned URLs in the
// package start with it unless Options.BaseURL says otherwise.
const DefaultBaseURL = "http://127.0.0.1:8080"

// Names of the files in the zip.
const (
	descriptorName = "datapackage.json"
	csvName        = "observations.csv"
	textsName      = "texts.csv"
	readmeName     = "README.md"
	citationName   = "CITATION.cff"
)

// ctxCheckEvery is how many rows pass between looks at the context.
const ctxCheckEvery = 4096

// Options tune a package.
type Options struct {
	// BaseURL is the dashboard's public address, without a trailing slash;
	// the package cites BaseURL + "/s/{id}/". Default DefaultBaseURL.
	BaseURL string
}

// Write writes the data package of snap to w as a zip. each streams the
// snapshot's observations to fn in the store's stable order, as
// (*data.Store).EachObservation does with the snapshot bound. On error the zip is incomplete; callers that
// write a file write it beside the target and rename it.
func Write(ctx context.Context, w io.Writer, snap data.Snapshot, each func(fn func(data.Observation) error) error, opts Options) error {
	opts.BaseURL = strings.TrimRight(opts.BaseURL, "/")
	if opts.BaseURL == "" {
		opts.BaseURL = DefaultBaseURL
	}
	numbers, err := newTally(observationSchema(valueNumber))
	if err != nil {
		return err
	}
	words, err := newTally(observationSchema(valueText))
	if err != nil {
		return err
	}
	zw := zip.NewWriter(w)
	// BestSpeed: the CSV is repetitive text, so the fastest level already
	// shrinks it several times, and the export keeps pace with the store.
	zw.RegisterCompressor(zip.Deflate, func(out io.Writer) (io.WriteCloser, error) {
		return flate.NewWriter(out, flate.BestSpeed)
	})
	pw := packageWriter{zw: zw, snap: snap}
	var texts []data.Observation
	numberRows := func(fn func(data.Observation) error) error {
		return each(func(o data.Observation) error {
			if o.IsText() {
				texts = append(texts, o)
				return nil
			}
			return fn(o)
		})
	}
	numbersFile, err := pw.writeCSV(ctx, csvName, numberRows, numbers)
	if err != nil {
		return fmt.Errorf("data package of snapshot %d: %w", snap.ID, err)
	}
	textRows := func(fn func(data.Observation) error) error {
		for _, o := range texts {
			if err := fn(o); err != nil {
				return err
			}
		}
		return nil
	}
	textsFile, err := pw.writeCSV(ctx, textsName, textRows, words)
	if err != nil {
		return fmt.Errorf("data package of snapshot %d: %w", snap.ID, err)
	}
	desc := buildDescriptor(snap, opts, numbers, words, numbersFile, textsFile)
	descJSON, err := marshalDescriptor(desc)
	if err != nil {
		return err
	}
	files := []struct {
		name string
		body []byte
	}{
		{descriptorName, descJSON},
		{readmeName, readme(snap, opts, numbers, words)},
		{citationName, citation(snap, opts)},
	}
	for _, f := range files {
		if err := pw.writeFile(f.name, f.body); err != nil {
			return fmt.Errorf("data package of snapshot %d: %s: %w", snap.ID, f.name, err)
		}
	}
	if err := zw.Close(); err != nil {
		return fmt.Errorf("data package of snapshot %d: %w", snap.ID, err)
	}
	return nil
}

// packageWriter adds entries stamped with the snapshot's creation time, so
// two exports of one snapshot are byte-identical.
type packageWriter struct {
	zw   *zip.Writer
	snap data.Snapshot
}

func (p packageWriter) create(name string) (io.Writer, error) {
	h := &zip.FileHeader{Name: name, Method: zip.Deflate, Modified: p.snap.CreatedAt.UTC()}
	h.SetMode(0o644)
	return p.zw.CreateHeader(h)
}

func (p packageWriter) writeFile(name string, body []byte) error {
	w, err := p.create(name)
	if err != nil {
		return err
	}
	_, err = w.Write(body)
	return err
}

// csvFile is what the descriptor says of a CSV in the zip.
type csvFile struct {
	bytes int64
	hash  string
}

// writeCSV streams observations through obscsv into the zip entry name,
// hashing and counting the bytes and tallying each row on the way.
func (p packageWriter) writeCSV(ctx context.Context, name string, each func(fn func(data.Observation) error) error, t *tally) (csvFile, error) {
	entry, err := p.create(name)
	if err != nil {
		return csvFile{}, err
	}
	h := sha256.New()
	n := &countingWriter{}
	cw, err := obscsv.NewWriter(io.MultiWriter(entry, h, n), false)
	if err != nil {
		return csvFile{}, err
	}
	err = each(func(o data.Observation) error {
		if t.rows%ctxCheckEvery == 0 {
			if err := ctx.Err(); err != nil {
				return err
			}
		}
		t.add(o)
		return cw.Write(o)
	})
	if err != nil {
		return csvFile{}, err
	}
	if err := cw.Close(); err != nil {
		return csvFile{}, err
	}
	return csvFile{n.n, hex.EncodeToString(h.Sum(nil))}, nil
}

type countingWriter struct{ n int64 }

func (c *countingWriter) Write(p []byte) (int, error) {
	c.n += int64(len(p))
	return len(p), nil
}

// marshalDescriptor writes readable JSON: indented, "&" and "<" left as is.
func marshalDescriptor(d Descriptor) ([]byte, error) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(d); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}
