// Package builtin embeds the reference figures labdash publishes as its first
// snapshot, so a fresh install shows real BLS figures with no network.
package builtin

import _ "embed"

// ReferenceCSV is ../shared/data/bls-reference-figures.csv as copied into
// the project: 306 published figures, each with its source and tier.
//
//go:embed bls-reference-figures.csv
var ReferenceCSV []byte

// ReferenceName is the file's name, used as the snapshot's source URL.
const ReferenceName = "bls-reference-figures.csv"

// SourceName names the built-in source in snapshots and exports.
const SourceName = "builtin"

// SnapshotLabel labels the first snapshot.
const SnapshotLabel = "Built-in reference data (bls-reference-figures.csv, 306 published BLS figures)"
