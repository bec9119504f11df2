// Package builtin holds the data labdash publishes as its first snapshot,
// so a fresh install shows real BLS figures with no network.
//
// The figures are read from BLS's own workbooks, committed under bls/, by
// the same formats as `labdash ingest`, plus the reference figures
// (bls-reference-figures.csv) for what no workbook gives. Parsing 17
// workbooks takes seconds, so it is done once, by `go generate
// ./data/builtin` (the generate/ command), which writes what the formats
// read to snapshot.jsonl; the binary embeds that file and not the
// workbooks. generate's test parses the workbooks again and fails when
// snapshot.jsonl differs from what they hold.
package builtin

//go:generate go run ./generate

import (
	_ "embed"
	"fmt"
	"time"

	"github.com/labdash/labdash/data"
)

// FileName is the generated file, beside this one.
const FileName = "snapshot.jsonl"

//go:embed snapshot.jsonl
var snapshotFile []byte

// ReferenceCSV is the team's reference figures, copied byte for byte: 306
// published figures, each with its source and tier (docs/DATA.md,
// "Reference figures"). The generator reads it from disk; it is embedded
// for the tests that use the reference figures as data.
//
//go:embed bls-reference-figures.csv
var ReferenceCSV []byte

// ReferenceName is the file's name, used as the snapshot's source URL.
const ReferenceName = "bls-reference-figures.csv"

// SourceName names the built-in source in snapshots and exports.
const SourceName = "builtin"

// Publication returns the built-in data as it is published into a fresh
// store. Each source's RetrievedAt is the seeding time; the figures' own
// RetrievedAt stays as generated (zero: the files were not fetched then).
func Publication(now time.Time) (data.Publication, error) {
	pub, err := Decode(snapshotFile)
	if err != nil {
		return data.Publication{}, fmt.Errorf("built-in %s: %w", FileName, err)
	}
	for i := range pub.Sources {
		pub.Sources[i].RetrievedAt = now
	}
	return pub, nil
}
