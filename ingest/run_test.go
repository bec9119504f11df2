package ingest

import (
	"bytes"
	"context"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/labdash/labdash/data"
	"github.com/labdash/labdash/ingest/config"
	"github.com/labdash/labdash/ingest/fetch"
)

// fixtureServer serves copies of testdata/ over loopback HTTP with ETags,
// and lets a test swap a file's body or break it.
type fixtureServer struct {
	*httptest.Server
	mu          sync.Mutex
	files       map[string][]byte // path → body
	broken      map[string]string // path → an HTML error page served instead
	conditional int               // requests carrying If-None-Match
	block       chan struct{}     // when set, requests wait for it to close
}

func newFixtureServer(t *testing.T) *fixtureServer {
	t.Helper()
	fs := &fixtureServer{files: map[string][]byte{}, broken: map[string]string{}}
	for _, p := range []string{"oe/oe.data.0.Current", "oe/oe.area", "oe/oe.industry", "oe/oe.occupation",
		"ep/matrix-29-2010.csv", "ep/occupation-workbook.csv"} {
		b, err := os.ReadFile(filepath.Join("format", "testdata", p))
		if err != nil {
			t.Fatal(err)
		}
		fs.files["/"+p] = b
	}
	fs.Server = httptest.NewServer(http.HandlerFunc(fs.serve))
	t.Cleanup(fs.Close)
	return fs
}

func (fs *fixtureServer) serve(w http.ResponseWriter, r *http.Request) {
	fs.mu.Lock()
	block := fs.block
	body, ok := fs.files[r.URL.Path]
	broken := fs.broken[r.URL.Path]
	if r.Header.Get("If-None-Match") != "" {
		fs.conditional++
	}
	fs.mu.Unlock()
	if block != nil {
		<-block
	}
	if broken != "" {
		w.Header().Set("Content-Type", "text/html")
		io.WriteString(w, broken)
		return
	}
	if !ok {
		http.NotFound(w, r)
		return
	}
	w.Header().Set("ETag", `"`+fetch.HashBytes(body)[:16]+`"`)
	http.ServeContent(w, r, r.URL.Path, time.Time{}, bytes.NewReader(body))
}

func (fs *fixtureServer) set(path string, body []byte) {
	fs.mu.Lock()
	fs.files[path] = body
	fs.mu.Unlock()
}

func (fs *fixtureServer) breakWith(path, html string) {
	fs.mu.Lock()
	fs.broken[path] = html
	fs.mu.Unlock()
}

// testRunner returns a runner over a fresh store seeded with the built-in
// figures, reading every format: three over HTTP, one from a local file.
func testRunner(t *testing.T, fs *fixtureServer) (*Runner, *data.Store) {
	t.Helper()
	dir := t.TempDir()
	local := filepath.Join(dir, "extra.csv")
	if err := os.WriteFile(local, mustRead(t, "format/testdata/labdash/export.csv"), 0o644); err != nil {
		t.Fatal(err)
	}
	cfgText := `user_agent: "labdash-test (ops@lab.test)"
schedule: "0 6 * * *"
sources:
  - name: oews
    format: bls-oe
    url: ` + fs.URL + `/oe/
    occupations: ["29-2018", "31-9097"]
  - name: ep-matrix
    format: bls-ep-matrix
    url: ` + fs.URL + `/ep/matrix-29-2010.csv
    occupation: "29-2010"
  - name: ep-occupations
    format: bls-ep-occupation
    url: ` + fs.URL + `/ep/occupation-workbook.csv
    occupations: ["29-2010", "31-9097"]
  - name: local
    format: labdash-csv
    url: ` + local + `
`
	cfg, err := config.ParseConfig(strings.NewReader(cfgText), filepath.Join(dir, "sources.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	dbPath := filepath.Join(dir, "labdash.db")
	store, err := data.Open(context.Background(), dbPath)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { store.Close() })
	if _, _, err := SeedBuiltin(context.Background(), store, time.Now()); err != nil {
		t.Fatal(err)
	}
	r := NewRunner(store, cfg, slog.New(slog.NewTextHandler(io.Discard, nil)))
	r.Fetcher = &fetch.Fetcher{Retries: -1, TempDir: dir}
	return r, store
}

func mustRead(t *testing.T, path string) []byte {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func outcomes(run data.Run) map[string]string {
	out := map[string]string{}
	for _, s := range run.Sources {
		out[s.Source] = s.Outcome
	}
	return out
}

func TestRunPublishesThenSkipsUnchangedFiles(t *testing.T) {
	ctx := context.Background()
	fs := newFixtureServer(t)
	r, store := testRunner(t, fs)

	first, err := r.Run(ctx, TriggerCLI, "")
	if err != nil {
		t.Fatal(err)
	}
	if first.Outcome != data.RunPublished || first.SnapshotID != 2 {
		t.Fatalf("first run: %s, snapshot %d, sources %+v", first.Outcome, first.SnapshotID, first.Sources)
	}
	for name, o := range outcomes(first) {
		if o != data.SourceFetched {
			t.Errorf("first run: %s %s", name, o)
		}
	}
	snap, _ := store.Snapshot(ctx, first.SnapshotID)
	if snap.Added == 0 || len(snap.Sources) != 4 {
		t.Fatalf("snapshot: %+v", snap)
	}
	// The OEWS "-" markers arrive as flags, never as zeros.
	obs, _ := store.Observations(ctx, snap.ID, data.Filter{Occupations: []string{"29-2018"}, Measures: []data.Measure{"employment"}})
	flagged := 0
	for _, o := range obs {
		if o.Flag != data.FlagNone {
			flagged++
			if o.Value != nil {
				t.Errorf("flagged %s carries a value %v", o.Key(), *o.Value)
			}
		}
	}
	if flagged == 0 {
		t.Error("no flagged OEWS employment figure; the fixture has markers")
	}

	second, err := r.Run(ctx, TriggerCLI, "")
	if err != nil {
		t.Fatal(err)
	}
	if second.Outcome != data.RunUnchanged || second.SnapshotID != 0 {
		t.Fatalf("second run: %s snapshot %d %+v", second.Outcome, second.SnapshotID, second.Sources)
	}
	for name, o := range outcomes(second) {
		if o != data.SourceUnchanged {
			t.Errorf("second run: %s %s", name, o)
		}
	}
	if fs.conditional < 6 {
		t.Errorf("%d conditional requests, want one per HTTP file (6)", fs.conditional)
	}
	all, _ := store.Snapshots(ctx)
	if len(all) != 2 {
		t.Errorf("%d snapshots after an unchanged run, want 2", len(all))
	}
	runs, _ := store.Runs(ctx, 10)
	if len(runs) != 2 || len(runs[0].Sources) != 4 {
		t.Errorf("recorded runs: %+v", runs)
	}
}

func TestRunFailedSourceChangesNothing(t *testing.T) {
	ctx := context.Background()
	fs := newFixtureServer(t)
	r, store := testRunner(t, fs)
	if _, err := r.Run(ctx, TriggerCLI, ""); err != nil {
		t.Fatal(err)
	}
	before, _ := store.LatestSnapshot(ctx)
	matrixRows, _ := store.Observations(ctx, before.ID, data.Filter{Occupations: []string{"29-2010"}, Measures: []data.Measure{"share_of_industry_pct"}})

	fs.breakWith("/ep/matrix-29-2010.csv", "<!DOCTYPE html><html><body>Access Denied</body></html>")
	// A revised occupation table arrives in the same run.
	workbook := mustRead(t, "format/testdata/ep/occupation-workbook.csv")
	fs.set("/ep/occupation-workbook.csv", bytes.Replace(workbook, []byte(`"Total, all occupations"`), []byte(`"Total, all occupations (revised)"`), 1))

	run, err := r.Run(ctx, TriggerCLI, "")
	if err != nil {
		t.Fatal(err)
	}
	got := outcomes(run)
	if got["ep-matrix"] != data.SourceFailed || run.Outcome != data.RunPartial {
		t.Fatalf("run %s, sources %v", run.Outcome, got)
	}
	if msg := run.Sources[1].Error; !strings.Contains(msg, "HTML") {
		t.Errorf("the failure does not say what was wrong: %q", msg)
	}
	after, _ := store.LatestSnapshot(ctx)
	still, _ := store.Observations(ctx, after.ID, data.Filter{Occupations: []string{"29-2010"}, Measures: []data.Measure{"share_of_industry_pct"}})
	if len(still) != len(matrixRows) || len(still) == 0 {
		t.Errorf("the matrix figures went from %d to %d after a failed download", len(matrixRows), len(still))
	}
}

func TestRunOnlyOneSourceAndUnknownSource(t *testing.T) {
	ctx := context.Background()
	fs := newFixtureServer(t)
	r, _ := testRunner(t, fs)
	run, err := r.Run(ctx, TriggerCLI, "ep-matrix")
	if err != nil {
		t.Fatal(err)
	}
	if len(run.Sources) != 1 || run.Sources[0].Source != "ep-matrix" || run.SnapshotID == 0 {
		t.Fatalf("%+v", run)
	}
	if _, err := r.Run(ctx, TriggerCLI, "nope"); err == nil || !strings.Contains(err.Error(), "no source named") {
		t.Fatalf("unknown source: %v", err)
	}
}

func TestRunsNeverOverlap(t *testing.T) {
	ctx := context.Background()
	fs := newFixtureServer(t)
	r, store := testRunner(t, fs)
	fs.block = make(chan struct{})
	done := make(chan error, 1)
	go func() {
		_, err := r.Run(ctx, TriggerSchedule, "")
		done <- err
	}()
	for i := 0; ; i++ {
		if _, running := r.Running(); running {
			break
		}
		if i > 500 {
			t.Fatal("the first run did not start")
		}
		time.Sleep(2 * time.Millisecond)
	}
	if _, err := r.Run(ctx, TriggerAdmin, ""); !errors.Is(err, ErrRunInProgress) {
		t.Errorf("a second run in this process: %v", err)
	}
	// A second runner on the same store, as a CLI run beside the server.
	other := NewRunner(store, r.Config, r.Log)
	if _, err := other.Run(ctx, TriggerCLI, ""); !errors.Is(err, ErrRunInProgress) {
		t.Errorf("a run from another runner: %v", err)
	}
	close(fs.block)
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	if _, err := other.Run(ctx, TriggerCLI, ""); err != nil {
		t.Errorf("after the first run ended: %v", err)
	}
}

// Editing a source's settings reads its files again, although they did not
// change: a newly configured occupation must not wait for BLS's next release.
func TestRunRereadsAfterSettingsChange(t *testing.T) {
	ctx := context.Background()
	fs := newFixtureServer(t)
	r, store := testRunner(t, fs)
	oews, _ := r.Config.Source("oews")
	oews.Occupations = []string{"31-9097"}
	r.Config.Sources = []config.SourceConfig{oews}
	if _, err := r.Run(ctx, TriggerCLI, ""); err != nil {
		t.Fatal(err)
	}
	oews.Occupations = []string{"29-2018", "31-9097"}
	r.Config.Sources = []config.SourceConfig{oews}
	run, err := r.Run(ctx, TriggerCLI, "")
	if err != nil {
		t.Fatal(err)
	}
	if run.Sources[0].Outcome != data.SourceFetched || run.SnapshotID == 0 {
		t.Fatalf("after adding an occupation: %+v", run)
	}
	obs, _ := store.Observations(ctx, run.SnapshotID, data.Filter{Occupations: []string{"29-2018"}, Areas: []string{"0600000"}})
	if len(obs) == 0 {
		t.Error("the newly configured occupation has no figures")
	}
	again, _ := r.Run(ctx, TriggerCLI, "")
	if again.Sources[0].Outcome != data.SourceUnchanged {
		t.Errorf("a third run with the same settings: %s", again.Sources[0].Outcome)
	}
}

// A local bls-oe directory: oe.data is hashed from the chunks its parser
// reads (one pass over the file), and the hash stored is the file's.
func TestRunHashesLocalOEDataWhileParsing(t *testing.T) {
	ctx := context.Background()
	dir := oeSourceDir(t)
	r, store, _ := hostileRunner(t, "  - name: oe-local\n    format: bls-oe\n    url: "+dir+"\n    occupations: [\"29-2018\"]\n")
	run, err := r.Run(ctx, TriggerCLI, "oe-local")
	if err != nil || run.Outcome != data.RunPublished {
		t.Fatalf("run %+v, %v", run, err)
	}
	states, err := store.SourceStates(ctx)
	if err != nil {
		t.Fatal(err)
	}
	want := fetch.HashBytes(mustRead(t, filepath.Join(dir, "oe.data.0.Current")))
	found := false
	for key, st := range states {
		if strings.HasSuffix(key, "/oe.data.0.Current") {
			found = st.FileHash == want
		}
	}
	if !found {
		t.Errorf("no source state holds oe.data's hash %s: %+v", want, states)
	}
	obs, err := store.Observations(ctx, run.SnapshotID, data.Filter{Occupations: []string{"29-2018"}})
	read := 0
	for _, o := range obs {
		if o.SourceName == "oe-local" {
			read++
			if o.FileHash != want {
				t.Fatalf("%s carries the hash %q, not oe.data's", o.Key(), o.FileHash)
			}
		}
	}
	if err != nil || read == 0 {
		t.Errorf("no figure read from oe-local: %v", err)
	}
	if again, err := r.Run(ctx, TriggerCLI, "oe-local"); err != nil || again.Sources[0].Outcome != data.SourceUnchanged {
		t.Errorf("the same files again: %+v %v", again, err)
	}
}

// Publishing begins while local files are still being hashed, and settles
// their hashes before its commit (data.Publication.Settle). A file touched
// but holding the same bytes is found unchanged only then: what was written
// for it is rolled back and the store is as it was; a changed file read
// alongside it is published again alone, with its own hash.
func TestRunSettlesHashesOfLocalFiles(t *testing.T) {
	ctx := context.Background()
	oeDir := oeSourceDir(t)
	r, store, dir := hostileRunner(t, "  - name: oe-local\n    format: bls-oe\n    url: "+oeDir+"\n    occupations: [\"29-2018\"]\n")
	r.Fetcher.DeferLocalHash = true
	oeData, csvPath := filepath.Join(oeDir, "oe.data.0.Current"), filepath.Join(dir, "good.csv")
	touch := func(path string, hours int) {
		when := time.Now().Add(time.Duration(hours) * time.Hour)
		if err := os.Chtimes(path, when, when); err != nil {
			t.Fatal(err)
		}
	}

	first, err := r.Run(ctx, TriggerCLI, "")
	if err != nil || first.Outcome != data.RunPublished {
		t.Fatalf("first run %+v, %v", first, err)
	}
	hashes := map[string]string{"oe-local": fetch.HashBytes(mustRead(t, oeData))}
	checkHashes(t, store, first.SnapshotID, hashes)

	touch(oeData, 1)
	before := storeContent(t, store)
	same, err := r.Run(ctx, TriggerCLI, "oe-local")
	if err != nil || same.Outcome != data.RunUnchanged || same.SnapshotID != 0 || same.Sources[0].Outcome != data.SourceUnchanged {
		t.Fatalf("touched oe.data: %+v, %v", same, err)
	}
	if after := storeContent(t, store); !bytes.Equal(before, after) {
		t.Errorf("a touched, unchanged file changed the store")
	}

	touch(oeData, 2)
	csv := bytes.Replace(mustRead(t, csvPath), []byte(",239200,"), []byte(",239300,"), 1)
	if err := os.WriteFile(csvPath, csv, 0o644); err != nil {
		t.Fatal(err)
	}
	third, err := r.Run(ctx, TriggerCLI, "")
	if err != nil || third.Outcome != data.RunPublished || outcomes(third)["oe-local"] != data.SourceUnchanged {
		t.Fatalf("touched oe.data, changed CSV: %+v, %v", third, err)
	}
	snap, err := store.Snapshot(ctx, third.SnapshotID)
	if err != nil || len(snap.Sources) != 1 || snap.Sources[0].Name != "local" || snap.Sources[0].FileHash != fetch.HashBytes(csv) {
		t.Fatalf("snapshot %d's sources: %+v, %v", third.SnapshotID, snap.Sources, err)
	}
	checkHashes(t, store, third.SnapshotID, hashes)
	obs, err := store.Observations(ctx, third.SnapshotID, data.Filter{})
	changed := 0
	for _, o := range obs {
		if o.Value != nil && *o.Value == 239300 {
			changed++
			if o.FileHash != fetch.HashBytes(csv) {
				t.Errorf("the changed CSV figure carries the hash %q", o.FileHash)
			}
		}
	}
	if err != nil || changed != 1 {
		t.Errorf("%d changed CSV figures in snapshot %d, want 1 (%v)", changed, third.SnapshotID, err)
	}
}

// A source's deadline covers its fetch and parse. A local file left waiting
// for its hash while the run reads a slower source after it is not failed
// when that wait outlasts its deadline: it is published, with its hash.
func TestPendingHashOutlivesItsSourcesDeadline(t *testing.T) {
	const deadline = 500 * time.Millisecond
	slow := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		select { // answer only once oe-local's deadline has long passed
		case <-time.After(4 * deadline):
		case <-r.Context().Done():
		}
		http.NotFound(w, r)
	}))
	t.Cleanup(slow.Close)
	oeDir := oeSourceDir(t)
	r, store, _ := hostileRunner(t, "  - name: oe-local\n    format: bls-oe\n    url: "+oeDir+"\n    occupations: [\"29-2018\"]\n"+
		"    deadline: "+deadline.String()+"\n"+
		"  - name: slow\n    format: labdash-csv\n    url: "+slow.URL+"/extra.csv\n")
	r.Fetcher.DeferLocalHash = true
	run, err := r.Run(context.Background(), TriggerCLI, "")
	if err != nil {
		t.Fatal(err)
	}
	got := outcomes(run)
	if got["oe-local"] != data.SourceFetched || got["slow"] != data.SourceFailed || run.Outcome != data.RunPartial {
		t.Fatalf("run %s (%s), sources %v", run.Outcome, run.Message, got)
	}
	checkHashes(t, store, run.SnapshotID, map[string]string{"oe-local": fetch.HashBytes(mustRead(t, filepath.Join(oeDir, "oe.data.0.Current")))})
}

// oeSourceDir is a folder holding the bls-oe fixture's four files, as a
// local source reads them.
func oeSourceDir(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	for _, name := range []string{"oe.data.0.Current", "oe.area", "oe.industry", "oe.occupation"} {
		if err := os.WriteFile(filepath.Join(dir, name), mustRead(t, filepath.Join("format", "testdata", "oe", name)), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

// checkHashes checks that each figure of a snapshot read from a source of
// hashes carries that source's file hash, and that each source has some.
func checkHashes(t *testing.T, store *data.Store, snapshot int64, hashes map[string]string) {
	t.Helper()
	obs, err := store.Observations(context.Background(), snapshot, data.Filter{})
	if err != nil {
		t.Fatal(err)
	}
	seen := map[string]int{}
	for _, o := range obs {
		want, ok := hashes[o.SourceName]
		if !ok {
			continue
		}
		seen[o.SourceName]++
		if o.FileHash != want {
			t.Fatalf("snapshot %d: %s from %s carries the hash %q, want %q", snapshot, o.Key(), o.SourceName, o.FileHash, want)
		}
	}
	for name := range hashes {
		if seen[name] == 0 {
			t.Errorf("snapshot %d: no figure from %s", snapshot, name)
		}
	}
}
