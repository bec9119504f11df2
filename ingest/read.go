package ingest

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/labdash/labdash/data"
	"github.com/labdash/labdash/ingest/config"
	"github.com/labdash/labdash/ingest/fetch"
	"github.com/labdash/labdash/ingest/format"
)

// sourceRead is what reading one source gave.
type sourceRead struct {
	result       data.SourceResult
	observations []data.Observation
	info         data.SourceInfo
	states       []data.SourceState
	notes        []string // what the run should say without failing the source
}

// sourceFile is one file a source reads.
type sourceFile struct {
	key string // the source-state key: "name@settings" or "name@settings/file"
	req format.Request
}

// filesOf lists the files of a source, as its format asks for them.
func (r *Runner) filesOf(sc config.SourceConfig, f format.Format) ([]sourceFile, error) {
	reqs, err := f.Files(sc.FormatSource(r.APIKey))
	if err != nil {
		return nil, err
	}
	key := stateKey(sc)
	out := make([]sourceFile, len(reqs))
	for i, req := range reqs {
		out[i] = sourceFile{key: key, req: req}
		if req.Key != "" {
			out[i].key = key + "/" + req.Key
		}
	}
	return out, nil
}

// stateKey names a source's remembered file state after the source and the
// settings that shape what its parser keeps (format, URL, occupations,
// title, period, areas, measures): after an edit to sources.yaml, say a new
// occupation, the files are read again even though they did not change.
func stateKey(sc config.SourceConfig) string {
	settings := strings.Join([]string{sc.Format, sc.URL, strings.Join(sc.Occupations, ","), sc.Title,
		sc.Period, strings.Join(sc.Areas, ","), strings.Join(sc.Measures, ",")}, "\x00")
	return sc.Name + "@" + fetch.HashBytes([]byte(settings))[:12]
}

// DeadlineError is the cause given to a source's context when its
// deadline passes (config.SourceConfig.Deadline).
type DeadlineError struct {
	Source string
	After  time.Duration
}

func (e *DeadlineError) Error() string {
	return fmt.Sprintf("stopped at the source's deadline: fetching and reading it took longer than %s "+
		"(deadline in sources.yaml; the default is %s)", e.After, config.DefaultDeadline)
}

// readSource fetches and parses one source within its deadline. Every
// failure ends in a failed result with a sentence; nothing of a failed
// source is published.
func (r *Runner) readSource(ctx context.Context, sc config.SourceConfig, states map[string]data.SourceState) sourceRead {
	start := time.Now()
	deadline := sc.DeadlineOrDefault()
	ctx, cancel := context.WithTimeoutCause(ctx, deadline, &DeadlineError{Source: sc.Name, After: deadline})
	defer cancel()
	read := sourceRead{result: data.SourceResult{Source: sc.Name}}
	fail := func(err error) sourceRead {
		var de *DeadlineError
		if cause := context.Cause(ctx); errors.As(cause, &de) {
			if !errors.Is(err, cause) { // the step that noticed it did not say why
				err = fmt.Errorf("%s: %w", sc.Name, de)
			}
			read.notes = append(read.notes, fmt.Sprintf("stopped at its deadline of %s", deadline))
		}
		read.result.Outcome = data.SourceFailed
		read.result.Error = clipMessage(err.Error())
		read.result.Duration = time.Since(start)
		read.observations = nil
		return read
	}
	f, ok := format.Lookup(sc.Format)
	if !ok {
		return fail(fmt.Errorf("%s: unknown format %q", sc.Name, sc.Format))
	}
	files, err := r.filesOf(sc, f)
	if err != nil {
		return fail(fmt.Errorf("%s: %w", sc.Name, err))
	}
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
	sinks := streamHashes(files, results)
	hashed := finishHashes(results, sinks)
	prov := format.Provenance{
		SourceName: sc.Name, SourceTitle: cmp.Or(sc.Title, f.Title()), SourceURL: files[0].req.URL,
		RetrievedAt: retrieved, Tier: data.TierPrimary,
	}
	read.observations, err = r.parse(sc, f, files, results, sinks, prov, &read.notes)
	if herr := finishStreamed(results, sinks, hashed); herr != nil {
		return fail(fmt.Errorf("%s: %w", sc.Name, herr))
	}
	if ctx.Err() != nil { // the deadline passed while the files were read
		return fail(fmt.Errorf("%s: %w", sc.Name, context.Cause(ctx)))
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
func (r *Runner) fetchAll(ctx context.Context, sc config.SourceConfig, files []sourceFile, states map[string]data.SourceState) ([]*fetch.Result, bool, error) {
	results := make([]*fetch.Result, len(files))
	fetcher := r.fetcherFor(sc)
	changed := 0
	for i, f := range files {
		st := states[f.key]
		res, err := fetcher.Fetch(ctx, fetch.Request{URL: f.req.URL, UserAgent: r.Config.UserAgent,
			Body: f.req.Body, ContentType: f.req.ContentType,
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
		res, err := fetcher.Fetch(ctx, fetch.Request{URL: f.req.URL, UserAgent: r.Config.UserAgent,
			Body: f.req.Body, ContentType: f.req.ContentType})
		if err != nil {
			return results, false, err
		}
		results[i] = res
	}
	return results, false, nil
}

// streamHashes gives each file its format reads in one pass (Streamed) a
// hash fed by that read: such a file is read once, not once to parse and
// once to hash.
func streamHashes(files []sourceFile, results []*fetch.Result) []*fetch.StreamHash {
	sinks := make([]*fetch.StreamHash, len(results))
	for i, res := range results {
		if files[i].req.Streamed {
			sinks[i] = res.StreamHash()
		}
	}
	return sinks
}

// finishHashes computes the other deferred hashes of local files in the
// background, while the caller parses them; the channel gives the first
// error.
func finishHashes(results []*fetch.Result, streamed []*fetch.StreamHash) <-chan error {
	done := make(chan error, 1)
	go func() {
		var first error
		for i, res := range results {
			if streamed[i] != nil {
				continue
			}
			if err := res.FinishHash(); err != nil && first == nil {
				first = err
			}
		}
		done <- first
	}()
	return done
}

// finishStreamed waits for the background hashes, then ends the streamed
// ones (which read their file when the parse stopped early).
func finishStreamed(results []*fetch.Result, streamed []*fetch.StreamHash, background <-chan error) error {
	first := <-background
	for i, res := range results {
		if streamed[i] == nil {
			continue
		}
		if err := res.FinishHash(); err != nil && first == nil {
			first = err
		}
	}
	return first
}

func allNotModified(results []*fetch.Result) bool {
	for _, res := range results {
		if !res.NotModified {
			return false
		}
	}
	return true
}

// fetcherFor applies a source's own limits to a copy of the fetcher.
func (r *Runner) fetcherFor(sc config.SourceConfig) *fetch.Fetcher {
	f := *r.Fetcher
	if sc.StallTimeout > 0 {
		f.StallTimeout = sc.StallTimeout
	}
	if sc.MaxBytes > 0 {
		f.MaxBytes = sc.MaxBytes
	}
	return &f
}

// parse reads fetched files with the source's format; what the format
// notes about them goes into notes.
func (r *Runner) parse(sc config.SourceConfig, f format.Format, files []sourceFile, results []*fetch.Result,
	sinks []*fetch.StreamHash, prov format.Provenance, notes *[]string) ([]data.Observation, error) {
	in := format.Input{
		Source:   sc.FormatSource(r.APIKey),
		Prov:     prov,
		Progress: r.progressFunc(sc.Name),
		Note:     func(msg string) { *notes = append(*notes, msg) },
	}
	for i, res := range results {
		file := format.File{Name: files[i].req.Name, Path: res.Path}
		if sinks[i] != nil {
			file.Sink = sinks[i].Add
		}
		in.Files = append(in.Files, file)
	}
	return f.Parse(in)
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

// maxMessage bounds a source's error as the run records it: a message
// names what was wrong, and a value it quotes is already cut short where
// it is quoted; this is the backstop.
const maxMessage = 2000

func clipMessage(s string) string {
	if len(s) <= maxMessage {
		return s
	}
	cut := maxMessage
	for cut > 0 && !utf8.RuneStart(s[cut]) {
		cut--
	}
	return s[:cut] + "…"
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
