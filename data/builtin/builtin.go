// Package builtin embeds the reference figures labdash publishes as its first
// snapshot, so a fresh install shows real BLS figures with no network.
package builtin

import _ "embed"

// ReferenceCSV is the team's reference figures, copied byte for byte: 306
// published figures, each with its source and tier (docs/DATA.md,
// "Reference figures").
//
//go:embed bls-reference-figures.csv
var ReferenceCSV []byte

// ReferenceName is the file's name, used as the snapshot's source URL.
const ReferenceName = "bls-reference-figures.csv"

// SourceName names the built-in source in snapshots and exports.
const SourceName = "builtin"

// SnapshotLabel labels the first snapshot.
const SnapshotLabel = "Built-in reference data (bls-reference-figures.csv, 306 published BLS figures)"
