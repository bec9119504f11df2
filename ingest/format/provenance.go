package format

import (
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
