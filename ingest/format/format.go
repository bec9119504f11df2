// Package format reads the files of each source format into observations.
// Each format is one file implementing Format, registered in registry.go;
// the files beside them hold what the formats share (cell markers, CSV and
// workbook reading, the EP header vocabulary, the checks every figure
// passes).
package format

import (
	"bytes"
	"fmt"
	"io"
	"os"

	"github.com/labdash/labdash/data"
)

// Format is one source format: which files a source of it reads, how it
// checks the configured occupations, and how it parses the files.
type Format interface {
	// Name is what sources.yaml calls it: "bls-oews".
	Name() string
	// Title names the publication in citations when a source has no title.
	Title() string
	// CheckOccupations says, in one sentence, what is wrong with the SOC
	// codes configured for a source of this format; nil when they fit.
	CheckOccupations(codes []string) error
	// Files lists what to fetch for a source, in the order Parse gets them.
	Files(src Source) ([]Request, error)
	// Parse reads the fetched files. It rejects the whole input, never half
	// of it, with an error that wraps a fileerr kind.
	Parse(in Input) ([]data.Observation, error)
}

// Streamer is a Format that can also hand its figures over while it reads,
// so that whoever stores them writes while the file is still being read
// (bls-oe, whose files are the largest). A figure handed over is the
// same as Parse would return; when the read fails after some were handed
// over, ParseEach returns the error and the caller drops them all. An
// error from emit stops the read and is returned.
type Streamer interface {
	Format
	ParseEach(in Input, emit func(data.Observation) error) error
}

// Source is what a format is told about one configured source.
type Source struct {
	Name        string
	URL         string   // the source's url in sources.yaml, resolved
	Occupations []string // SOC codes to keep
	// Period is the reference period sources.yaml gives ("May 2024"), for
	// files that do not state it; "" to take it from the file.
	Period string
	// Areas and Measures narrow an API source (bls-api): OEWS area codes
	// and measure names. Empty means the format's default.
	Areas    []string
	Measures []string
	// APIKey is the BLS API registration key, from LABDASH_BLS_API_KEY. It
	// goes in request bodies only: never in a URL, a log line or the store.
	APIKey string
}

// Request is one file to fetch.
type Request struct {
	// Key tells a source's files apart in its remembered state ("" for a
	// source of one file, "oe.area", "batch-2").
	Key string
	// Name is the file's name as published ("oesm24nat.zip"): a period
	// may be read from it, and messages name it.
	Name string
	URL  string
	// Body, when set, is sent with POST as ContentType. It may hold the API
	// key, so it is never logged or stored.
	Body        []byte
	ContentType string
}

// Input is what Parse reads.
type Input struct {
	Source Source
	Files  []File // in the order of Files
	Prov   Provenance
	// Progress, when set, is told now and then how far a long parse got.
	Progress func(bytesRead int64, rowsKept int)
	// Note, when set, is told what the run should say about the input
	// without failing it (a code listed twice with different figures).
	Note func(msg string)
}

func (in Input) note(format string, args ...any) {
	if in.Note != nil {
		in.Note(fmt.Sprintf(format, args...))
	}
}

// File is one fetched file: on disk (Path) or in memory (Data, for the
// files built into the binary).
type File struct {
	Name string // as published: "national_M2024_dl.xlsx"
	Path string
	Data []byte
}

// Open returns the file's bytes as a reader that can also seek and read at
// an offset (a zip needs both), with its size.
func (f File) Open() (ReadAtSeekCloser, int64, error) {
	if f.Path == "" {
		return nopCloser{bytes.NewReader(f.Data)}, int64(len(f.Data)), nil
	}
	fh, err := os.Open(f.Path)
	if err != nil {
		return nil, 0, fmt.Errorf("%s cannot be opened: %w", f.Name, err)
	}
	st, err := fh.Stat()
	if err != nil {
		fh.Close()
		return nil, 0, fmt.Errorf("%s cannot be read: %w", f.Name, err)
	}
	return fh, st.Size(), nil
}

// ReadAtSeekCloser is an open file.
type ReadAtSeekCloser interface {
	io.Reader
	io.ReaderAt
	io.Seeker
	io.Closer
}

type nopCloser struct{ *bytes.Reader }

func (nopCloser) Close() error { return nil }

// single is the one-file request most formats make.
func single(src Source) []Request {
	return []Request{{Name: publishedName(src.URL), URL: src.URL}}
}
