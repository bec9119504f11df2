// Package ingest reads the BLS files (and labdash's own exports) into
// observations, validates them, and runs scheduled ingests that publish
// snapshots through the store.
package ingest

import (
	"crypto/sha256"
	"encoding/hex"
	"time"

	"github.com/labdash/labdash/data"
)

// Provenance is what every observation parsed from one file carries.
type Provenance struct {
	SourceName  string
	SourceTitle string
	SourceURL   string
	RetrievedAt time.Time
	FileHash    string
	Tier        data.Tier
}

// apply stamps p onto o.
func (p Provenance) apply(o *data.Observation) {
	o.SourceName = p.SourceName
	if o.SourceTitle == "" {
		o.SourceTitle = p.SourceTitle
	}
	if o.SourceURL == "" {
		o.SourceURL = p.SourceURL
	}
	o.RetrievedAt = p.RetrievedAt
	o.FileHash = p.FileHash
	if o.Tier == "" {
		o.Tier = p.Tier
	}
}

// HashBytes is the hex sha256 used as a file hash.
func HashBytes(b []byte) string {
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:])
}
