package data

import (
	"context"
	"fmt"
	"slices"
)

// Source formats whose figures were not parsed from a file BLS publishes:
// the reference list gives figures people read on web pages (bls.gov pages
// among them, tier primary), and a labdash CSV re-imports figures from
// another labdash, whose own origin it does not record. The names are the
// ones ingest's format registry uses (ingest/format); a test there keeps
// them in step.
const (
	FormatReferenceList = "reference-csv"
	FormatLabdashCSV    = "labdash-csv"
)

// listFormats are the formats above: their figures are listed, not parsed
// from a BLS file.
var listFormats = []string{FormatReferenceList, FormatLabdashCSV}

// Origins tells the figures of a snapshot that were parsed from a BLS file
// (a workbook, a data file, the API) from those a list gives, by the
// sources the snapshots up to it recorded (Snapshot.Sources): each source
// names its format and the SHA-256 of its file, and each figure carries the
// SHA-256 of the file it came from. It is the one place that decides;
// quick facts, the ladder and the banner ask it.
//
// The zero Origins knows no list: every primary or re-saved figure then
// counts as read from a BLS file.
type Origins struct {
	lists map[string]string // file hash → list format
}

// OriginsOf collects the list files among sources.
func OriginsOf(sources []SourceInfo) Origins {
	o := Origins{lists: map[string]string{}}
	for _, s := range sources {
		if s.FileHash != "" && slices.Contains(listFormats, s.Format) {
			o.lists[s.FileHash] = s.Format
		}
	}
	return o
}

// FromBLSFile reports whether figure o was parsed from a file BLS
// published: its tier is primary or resaved-copy (a re-saved BLS workbook
// whose cells are BLS's) and its file is not a list of figures.
func (or Origins) FromBLSFile(o Observation) bool {
	if o.Tier != TierPrimary && o.Tier != TierResavedCopy {
		return false
	}
	return !or.FromList(o)
}

// FromList reports whether figure o came from a list of figures (the
// reference figures, or a labdash CSV) rather than from a BLS file,
// whatever its tier.
func (or Origins) FromList(o Observation) bool { return or.lists[o.FileHash] != "" }

// FigureCount is how many figures of a snapshot share a tier and a file.
type FigureCount struct {
	Tier     Tier
	FileHash string
	Count    int
}

// figureCountsQuery counts a snapshot's figures (versionsAtSQL) by tier
// and resolved file hash.
const figureCountsQuery = `SELECT tier, file_hash, count(*) FROM (SELECT tier, ` + fileHashSQL + ` AS file_hash FROM ` + versionsAtSQL + `) AS o
	GROUP BY tier, file_hash ORDER BY tier, file_hash`

// FigureCounts counts a snapshot's figures by tier and file.
func (s *Store) FigureCounts(ctx context.Context, snapshotID int64) ([]FigureCount, error) {
	rows, err := s.read.QueryContext(ctx, s.d.q(figureCountsQuery), versionsAtArgs(snapshotID)...)
	if err != nil {
		return nil, fmt.Errorf("figure counts of snapshot %d: %w", snapshotID, err)
	}
	defer rows.Close()
	var out []FigureCount
	for rows.Next() {
		var c FigureCount
		var tier string
		if err := rows.Scan(&tier, &c.FileHash, &c.Count); err != nil {
			return nil, err
		}
		c.Tier = Tier(tier)
		out = append(out, c)
	}
	return out, rows.Err()
}

// OriginTally sums a snapshot's figures by where they were read.
type OriginTally struct {
	Total    int
	FromFile int            // parsed from a BLS file (Origins.FromBLSFile)
	Resaved  int            // of FromFile, from a re-saved BLS workbook
	Listed   int            // from a list of figures (Origins.FromList)
	ByList   map[string]int // Listed by the list's format
	ListedBy map[Tier]int   // Listed by tier
	ByTier   map[Tier]int   // every figure by tier
}

// Tally sums counts by origin.
func (or Origins) Tally(counts []FigureCount) OriginTally {
	t := OriginTally{ByTier: map[Tier]int{}, ByList: map[string]int{}, ListedBy: map[Tier]int{}}
	for _, c := range counts {
		o := Observation{Tier: c.Tier, FileHash: c.FileHash}
		t.Total += c.Count
		t.ByTier[c.Tier] += c.Count
		switch {
		case or.FromBLSFile(o):
			t.FromFile += c.Count
			if c.Tier == TierResavedCopy {
				t.Resaved += c.Count
			}
		case or.FromList(o):
			t.Listed += c.Count
			t.ByList[or.lists[c.FileHash]] += c.Count
			t.ListedBy[c.Tier] += c.Count
		}
	}
	return t
}
