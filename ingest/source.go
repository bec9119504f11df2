package ingest

import (
	"cmp"
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/labdash/labdash/data"
)

// sourceRead is what reading one source gave.
type sourceRead struct {
	result       data.SourceResult
	observations []data.Observation
	info         data.SourceInfo
	states       []data.SourceState
}

// sourceFile is one file a source reads.
type sourceFile struct {
	key string // the source-state key: "name" or "name/file"
	url string
}

// oeFileNames are the OEWS time-series files labdash reads, data first. The
// series ids in oe.data carry area, industry, occupation and datatype at fixed
// offsets, so the 5.7-million-line oe.series adds nothing and is not fetched.
var oeFileNames = []string{"oe.data.0.Current", "oe.area", "oe.industry", "oe.occupation"}

// filesOf lists the files of a source.
func filesOf(sc SourceConfig) []sourceFile {
	key := stateKey(sc)
	if sc.Format != "bls-oe" {
		return []sourceFile{{key: key, url: sc.URL}}
	}
	base := sc.URL
	if !strings.HasSuffix(base, "/") {
		base += "/"
	}
	var out []sourceFile
	for _, name := range oeFileNames {
		out = append(out, sourceFile{key: key + "/" + name, url: base + name})
	}
	return out
}

// stateKey names a source's remembered file state after the source and the
// settings that shape what its parser keeps (format, URL, occupations,
// title): after an edit to sources.yaml, say a new occupation, the files are
// read again even though they did not change.
func stateKey(sc SourceConfig) string {
	settings := strings.Join([]string{sc.Format, sc.URL, strings.Join(sc.Occupations, ","), sc.Title}, "\x00")
	return sc.Name + "@" + HashBytes([]byte(settings))[:12]
}

// sourceTitles name each format's publication in citations.
var sourceTitles = map[string]string{
	"bls-oe":            "BLS Occupational Employment and Wage Statistics, time-series files (oe)",
	"bls-ep-matrix":     "BLS Employment Projections, National Employment Matrix",
	"bls-ep-occupation": "BLS Employment Projections, occupation table",
	"labdash-csv":       "labdash export",
}

// readSource fetches and parses one source. Every failure ends in a failed
// result with a sentence; nothing of a failed source is published.
func (r *Runner) readSource(ctx context.Context, sc SourceConfig, states map[string]data.SourceState) sourceRead {
	start := time.Now()
	read := sourceRead{result: data.SourceResult{Source: sc.Name}}
	fail := func(err error) sourceRead {
		read.result.Outcome = data.SourceFailed
		read.result.Error = err.Error()
		read.result.Duration = time.Since(start)
		read.observations = nil
		return read
	}
	files := filesOf(sc)
	results, unchanged, err := r.fetchAll(ctx, sc, files, states)
	defer cleanupAll(results)
	if err != nil {
		return fail(err)
	}
	for _, res := range results {
		read.result.Bytes += res.Bytes
	}
	if unchanged {
		read.result.Outcome = data.SourceUnchanged
		read.result.Duration = time.Since(start)
		return read
	}
	retrieved := r.Now()
	hashed := finishHashes(results)
	prov := Provenance{
		SourceName: sc.Name, SourceTitle: cmp.Or(sc.Title, sourceTitles[sc.Format]), SourceURL: files[0].url,
		RetrievedAt: retrieved, Tier: data.TierPrimary,
	}
	read.observations, err = r.parse(sc, results, prov)
	if herr := <-hashed; herr != nil {
		return fail(fmt.Errorf("%s: %w", sc.Name, herr))
	}
	for _, res := range results {
		if cerr := res.CheckSameFile(); cerr != nil {
			return fail(fmt.Errorf("%s: %w", sc.Name, cerr))
		}
	}
	if err != nil {
		return fail(fmt.Errorf("%s: %w", sc.Name, err))
	}
	if allNotModified(results) {
		// Local files that were touched but hold the same bytes.
		read.observations = nil
		read.result.Outcome = data.SourceUnchanged
		read.result.Duration = time.Since(start)
		return read
	}
	for i := range read.observations {
		read.observations[i].FileHash = results[0].Hash
	}
	for i, res := range results {
		read.states = append(read.states, data.SourceState{Source: files[i].key, ETag: res.ETag,
			LastModified: res.LastModified, FileHash: res.Hash, FetchedAt: retrieved})
	}
	read.result.Outcome = data.SourceFetched
	read.result.Rows = len(read.observations)
	read.result.Duration = time.Since(start)
	read.info = data.SourceInfo{Name: sc.Name, Format: sc.Format, URL: sc.URL, FileHash: results[0].Hash,
		RetrievedAt: retrieved, Rows: len(read.observations)}
	return read
}

// fetchAll fetches a source's files with the validators of their last good
// read. When some but not all came back unchanged, the unchanged ones are
// fetched again without validators: a source is parsed from all its files.
func (r *Runner) fetchAll(ctx context.Context, sc SourceConfig, files []sourceFile, states map[string]data.SourceState) ([]*FetchResult, bool, error) {
	results := make([]*FetchResult, len(files))
	fetcher := r.fetcherFor(sc)
	changed := 0
	for i, f := range files {
		st := states[f.key]
		res, err := fetcher.Fetch(ctx, FetchRequest{URL: f.url, UserAgent: r.Config.UserAgent,
			ETag: st.ETag, LastModified: st.LastModified, PreviousHash: st.FileHash})
		if err != nil {
			return results, false, err
		}
		results[i] = res
		if !res.NotModified {
			changed++
		}
	}
	if changed == 0 {
		return results, true, nil
	}
	for i, f := range files {
		if !results[i].NotModified {
			continue
		}
		res, err := fetcher.Fetch(ctx, FetchRequest{URL: f.url, UserAgent: r.Config.UserAgent})
		if err != nil {
			return results, false, err
		}
		results[i] = res
	}
	return results, false, nil
}

// finishHashes computes deferred hashes of local files in the background,
// while the caller parses them; the channel gives the first error.
func finishHashes(results []*FetchResult) <-chan error {
	done := make(chan error, 1)
	go func() {
		var first error
		for _, res := range results {
			if err := res.FinishHash(); err != nil && first == nil {
				first = err
			}
		}
		done <- first
	}()
	return done
}

func allNotModified(results []*FetchResult) bool {
	for _, res := range results {
		if !res.NotModified {
			return false
		}
	}
	return true
}

// fetcherFor applies a source's own limits to a copy of the fetcher.
func (r *Runner) fetcherFor(sc SourceConfig) *Fetcher {
	f := *r.Fetcher
	if sc.StallTimeout > 0 {
		f.StallTimeout = sc.StallTimeout
	}
	if sc.MaxBytes > 0 {
		f.MaxBytes = sc.MaxBytes
	}
	return &f
}

// parse reads fetched files with the format's parser.
func (r *Runner) parse(sc SourceConfig, results []*FetchResult, prov Provenance) ([]data.Observation, error) {
	files, closeAll, err := openAll(results)
	if err != nil {
		return nil, err
	}
	defer closeAll()
	switch sc.Format {
	case "bls-oe":
		obs, _, err := ParseOE(OEFiles{
			Data: files[0], DataName: oeFileNames[0], Area: files[1], Industry: files[2], Occupation: files[3],
			Progress: r.progressFunc(sc.Name),
		}, sc.Occupations, prov)
		return obs, err
	case "bls-ep-matrix":
		return ParseEPMatrix(files[0], sc.Occupations[0], prov)
	case "bls-ep-occupation":
		return ParseEPOccupation(files[0], sc.Occupations, prov)
	case "labdash-csv":
		return ParseLabdashCSV(files[0], prov)
	}
	return nil, fmt.Errorf("unknown format %q", sc.Format)
}

// progressFunc prints parse progress on the terminal, when one is set.
func (r *Runner) progressFunc(source string) func(int64, int) {
	if r.Progress == nil {
		return nil
	}
	return func(bytes int64, rows int) {
		fmt.Fprintf(r.Progress, "  %s: read %s, kept %d rows\n", source, humanBytes(bytes), rows)
	}
}

func humanBytes(n int64) string {
	switch {
	case n >= 1<<30:
		return fmt.Sprintf("%.1f GiB", float64(n)/(1<<30))
	case n >= 1<<20:
		return fmt.Sprintf("%.1f MiB", float64(n)/(1<<20))
	case n >= 1<<10:
		return fmt.Sprintf("%.1f KiB", float64(n)/(1<<10))
	}
	return fmt.Sprintf("%d B", n)
}
