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
	start        time.Time
	// pending, while set, finishes a read whose files are still being
	// hashed (settle); its figures carry placeholder as their FileHash.
	pending     func()
	placeholder string
	// stream, when set, parses the source inside the publication
	// (data.Publication.More; stream.go), counting streamedRows.
	stream       func(put func(*data.Observation) error) error
	streamedRows int
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
// source is published. When the hash of a local file is still being
// computed after the parse, the read is pending: its figures carry a
// placeholder hash, and settle finishes it (waits for the hash, checks
// the file, and may still fail it or find it unchanged).
func (r *Runner) readSource(ctx context.Context, sc config.SourceConfig, states map[string]data.SourceState, index int, alone bool) *sourceRead {
	start := time.Now()
	deadline := sc.DeadlineOrDefault()
	ctx, cancel := context.WithTimeoutCause(ctx, deadline, &DeadlineError{Source: sc.Name, After: deadline})
	read := &sourceRead{result: data.SourceResult{Source: sc.Name}, start: start}
	f, ok := format.Lookup(sc.Format)
	if !ok {
		defer cancel()
		return read.fail(ctx, deadline, fmt.Errorf("%s: unknown format %q", sc.Name, sc.Format))
	}
	files, err := r.filesOf(sc, f)
	if err != nil {
		defer cancel()
		return read.fail(ctx, deadline, fmt.Errorf("%s: %w", sc.Name, err))
	}
	results, unchanged, err := r.fetchAll(ctx, sc, files, states)
	release := func() { cleanupAll(results); cancel() }
	if err != nil {
		defer release()
		return read.fail(ctx, deadline, err)
	}
	for _, res := range results {
		read.result.Bytes += res.Bytes
	}
	if unchanged {
		defer release()
		read.result.Outcome = data.SourceUnchanged
		read.result.Duration = time.Since(start)
		return read
	}
	retrieved := r.Now()
	// The hashes are computed on another core while the parse reads the
	// files for itself: the parse does not wait for the hash, so that
	// publishing can begin while the hash runs (see Publication.Settle).
	// Known before the hashing starts: results are its own until it ends.
	pending := anyHashPending(results)
	hashed := finishHashes(results)
	prov := format.Provenance{
		SourceName: sc.Name, SourceTitle: cmp.Or(sc.Title, f.Title()), SourceURL: files[0].req.URL,
		RetrievedAt: retrieved, Tier: data.TierPrimary,
	}
	// A source read alone, in a format that can, is parsed while it is
	// published (stream.go); with others, its figures join theirs first.
	if streamer, ok := f.(format.Streamer); ok && alone {
		return r.streamRead(ctx, cancel, read, sc, streamer, files, results, prov, retrieved, deadline, hashed, index)
	}
	read.observations, err = r.parse(sc, f, files, results, prov, &read.notes)
	if err != nil || !pending || ctx.Err() != nil {
		defer release()
		read.finish(ctx, sc, deadline, files, results, retrieved, <-hashed, err)
		return read
	}
	// The source's deadline covers its fetch and parse, and ends here: the
	// time the run spends on other sources and on publishing before this
	// read settles is not the source's.
	// Its context is then done with, and not a reason to fail it.
	cancel()
	read.markPending(sc, retrieved, index, func() {
		defer cleanupAll(results)
		read.finish(context.WithoutCancel(ctx), sc, deadline, files, results, retrieved, <-hashed, nil)
	})
	for i := range read.observations {
		read.observations[i].FileHash = read.placeholder
	}
	return read
}

// markPending makes read a fetched read that settle finishes later with
// finish; its figures carry the placeholder of the run's index-th source
// as their FileHash until then.
func (read *sourceRead) markPending(sc config.SourceConfig, retrieved time.Time, index int, finish func()) {
	read.pending = finish
	read.placeholder = data.PendingHash(index)
	read.result.Outcome = data.SourceFetched
	read.info = data.SourceInfo{Name: sc.Name, Format: sc.Format, URL: sc.URL, RetrievedAt: retrieved,
		Rows: len(read.observations)}
}

// finish ends a read once its files are hashed: the file checks, then the
// parse's own error, then what the hashes say.
func (read *sourceRead) finish(ctx context.Context, sc config.SourceConfig, deadline time.Duration, files []sourceFile,
	results []*fetch.Result, retrieved time.Time, hashErr, parseErr error) {
	fail := func(err error) { read.fail(ctx, deadline, err) }
	if hashErr != nil {
		fail(fmt.Errorf("%s: %w", sc.Name, hashErr))
		return
	}
	if ctx.Err() != nil { // the deadline passed while the files were read
		fail(fmt.Errorf("%s: %w", sc.Name, context.Cause(ctx)))
		return
	}
	for _, res := range results {
		if cerr := res.CheckSameFile(); cerr != nil {
			fail(fmt.Errorf("%s: %w", sc.Name, cerr))
			return
		}
	}
	if parseErr != nil {
		fail(fmt.Errorf("%s: %w", sc.Name, parseErr))
		return
	}
	if allNotModified(results) {
		// Local files that were touched but hold the same bytes.
		read.observations = nil
		read.result.Outcome = data.SourceUnchanged
		read.result.Duration = time.Since(read.start)
		return
	}
	for i := range read.observations {
		read.observations[i].FileHash = results[0].Hash
	}
	for i, res := range results {
		read.states = append(read.states, data.SourceState{Source: files[i].key, ETag: res.ETag,
			LastModified: res.LastModified, FileHash: res.Hash, FetchedAt: retrieved})
	}
	rows := len(read.observations) + read.streamedRows
	read.result.Outcome = data.SourceFetched
	read.result.Rows = rows
	read.result.Duration = time.Since(read.start)
	read.info = data.SourceInfo{Name: sc.Name, Format: sc.Format, URL: sc.URL, FileHash: results[0].Hash,
		RetrievedAt: retrieved, Rows: rows}
}

// fail ends the read as failed, saying why; at the deadline it says so.
func (read *sourceRead) fail(ctx context.Context, deadline time.Duration, err error) *sourceRead {
	var de *DeadlineError
	if cause := context.Cause(ctx); errors.As(cause, &de) {
		if !errors.Is(err, cause) { // the step that noticed it did not say why
			err = fmt.Errorf("%s: %w", read.result.Source, de)
		}
		read.notes = append(read.notes, fmt.Sprintf("stopped at its deadline of %s", deadline))
	}
	read.result.Outcome = data.SourceFailed
	read.result.Error = clipMessage(err.Error())
	read.result.Duration = time.Since(read.start)
	read.observations = nil
	return read
}

// settle finishes a pending read (waits for its hashes); it does nothing
// the second time or for a read that was never pending.
func (read *sourceRead) settle() {
	if read.pending != nil {
		finish := read.pending
		read.pending = nil
		finish()
	}
}

func anyHashPending(results []*fetch.Result) bool {
	for _, res := range results {
		if res.HashPending() {
			return true
		}
	}
	return false
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

// finishHashes computes the deferred hashes of local files in the
// background, while the caller parses them; the channel gives the first
// error once all are done.
func finishHashes(results []*fetch.Result) <-chan error {
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
	prov format.Provenance, notes *[]string) ([]data.Observation, error) {
	return f.Parse(r.formatInput(sc, files, results, prov, notes))
}

// formatInput is what a format reads: the fetched files, with what it
// notes about them going into notes.
func (r *Runner) formatInput(sc config.SourceConfig, files []sourceFile, results []*fetch.Result,
	prov format.Provenance, notes *[]string) format.Input {
	in := format.Input{
		Source:   sc.FormatSource(r.APIKey),
		Prov:     prov,
		Progress: r.progressFunc(sc.Name),
		Note:     func(msg string) { *notes = append(*notes, msg) },
	}
	for i, res := range results {
		in.Files = append(in.Files, format.File{Name: files[i].req.Name, Path: res.Path})
	}
	return in
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
