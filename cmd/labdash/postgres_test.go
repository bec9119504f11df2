package main

import (
	"bufio"
	"context"
	"database/sql"
	"fmt"
	"io"
	"maps"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/labdash/labdash/data"
	"github.com/labdash/labdash/internal/pgtest"
)

// A PostgreSQL database is migrated by `labdash migrate` only: serve refuses
// one that is not at its schema version and says what to do.
func TestMigrateCommandAndServeRefusesOldSchema(t *testing.T) {
	url := pgtest.NewDatabase(t)
	env := map[string]string{"LABDASH_DB": url, "LABDASH_ADDR": "127.0.0.1:0"}
	code, _, errOut := runCLI(t, env, "serve")
	if code == exitOK || !strings.Contains(errOut, "schema version 0, this labdash needs") ||
		!strings.Contains(errOut, "run `labdash migrate`") {
		t.Fatalf("serve on an empty database: exit %d, %s", code, errOut)
	}
	code, out, errOut := runCLI(t, env, "migrate")
	if code != exitOK || !strings.Contains(out, fmt.Sprintf("from schema version 0 to %d", data.SchemaVersion())) {
		t.Fatalf("migrate: exit %d, %s %s", code, out, errOut)
	}
	code, out, _ = runCLI(t, env, "migrate")
	if code != exitOK || !strings.Contains(out, "already") {
		t.Fatalf("migrate again: exit %d, %s", code, out)
	}
	// A command that only reads says the store is empty and, unlike serve
	// or ingest, publishes nothing into it.
	if code, out, errOut := runCLI(t, env, "snapshots"); code != exitOK || !strings.Contains(out, "no snapshot has been published yet") {
		t.Fatalf("snapshots after migrate: exit %d, %s %s", code, out, errOut)
	}
	if n := countRows(t, url, "snapshots"); n != 0 {
		t.Fatalf("snapshots wrote %d snapshots into the store it only reads", n)
	}
}

// countRows counts a table's rows in a PostgreSQL database.
func countRows(t *testing.T, url, table string) int {
	t.Helper()
	db, err := sql.Open("pgx", url)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var n int
	if err := db.QueryRow("SELECT count(*) FROM " + table).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

// postgresState is every table of a PostgreSQL database with a digest of
// its rows, so a test can tell that nothing was written.
func postgresState(t *testing.T, url string) map[string]string {
	t.Helper()
	db, err := sql.Open("pgx", url)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	rows, err := db.Query(`SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema()`)
	if err != nil {
		t.Fatal(err)
	}
	var tables []string
	for rows.Next() {
		var name string
		rows.Scan(&name)
		tables = append(tables, name)
	}
	rows.Close()
	out := map[string]string{}
	for _, table := range tables {
		var digest string
		err := db.QueryRow(`SELECT coalesce(md5(string_agg(t::text, '|' ORDER BY t::text)), '') FROM ` + table + ` t`).Scan(&digest)
		if err != nil {
			t.Fatal(err)
		}
		out[table] = digest
	}
	return out
}

// Every command refuses another program's PostgreSQL database and writes
// nothing into it; commands that only read write nothing into a labdash
// database either, and read it through read-only sessions.
func TestCommandsLeaveAnotherProgramsPostgresAsItWas(t *testing.T) {
	url := pgtest.NewDatabase(t)
	db, _ := sql.Open("pgx", url)
	db.Exec("CREATE TABLE customers (id INTEGER, name TEXT)")
	db.Exec("INSERT INTO customers VALUES (1, 'Ada'), (2, 'Grace')")
	db.Close()
	before := postgresState(t, url)
	sources := writeSources(t, t.TempDir(), "")
	for _, args := range slices.Concat(readCommands, [][]string{{"migrate"}, {"ingest", "--sources", sources}, {"serve", "--addr", "127.0.0.1:0"}}) {
		code, _, errOut := runCLI(t, map[string]string{"LABDASH_DB": url}, args...)
		if code != exitFailed || !strings.Contains(errOut, "PostgreSQL database of another program") {
			t.Errorf("%s: exit %d, %s", args[0], code, errOut)
		}
	}
	if after := postgresState(t, url); !maps.Equal(before, after) {
		t.Errorf("the refused database changed:\nbefore %v\nafter  %v", before, after)
	}

	// A labdash database: the commands that only read succeed and change nothing.
	url = pgtest.NewDatabase(t)
	env := map[string]string{"LABDASH_DB": url, "LABDASH_SOURCES": sources}
	if code, out, errOut := runCLI(t, map[string]string{"LABDASH_DB": url}, "migrate"); code != exitOK {
		t.Fatalf("migrate: %s %s", out, errOut)
	}
	if code, out, errOut := runCLI(t, env, "ingest"); code != exitOK {
		t.Fatalf("ingest: %s %s", out, errOut)
	}
	before = postgresState(t, url)
	for _, args := range readCommands {
		if code, out, errOut := runCLI(t, env, args...); code != exitOK || len(out) < 100 {
			t.Errorf("%s: exit %d, %s %.200s", args[0], code, errOut, out)
		}
	}
	if after := postgresState(t, url); !maps.Equal(before, after) {
		t.Errorf("a command that only reads changed the database:\nbefore %v\nafter  %v", before, after)
	}
}

// `labdash copy` moves a SQLite store, ingests and all, into PostgreSQL, and
// the copy answers exactly as the original.
func TestCopyCommandSQLiteToPostgres(t *testing.T) {
	dir := t.TempDir()
	lite := filepath.Join(dir, "l.db")
	env := map[string]string{"LABDASH_DB": lite, "LABDASH_SOURCES": writeSources(t, dir, "")}
	if code, out, errOut := runCLI(t, env, "ingest"); code != exitOK {
		t.Fatalf("ingest: %d %s %s", code, out, errOut)
	}
	url := pgtest.NewDatabase(t)
	code, out, errOut := runCLI(t, nil, "copy", "--from", lite, "--to", url)
	if code != exitOK || !strings.Contains(out, "2 snapshots") {
		t.Fatalf("copy: exit %d, %s %s", code, out, errOut)
	}
	for _, args := range [][]string{{"snapshots", "--json"}, {"export", "--snapshot", "2"}, {"diff", "1", "2"}} {
		_, want, _ := runCLI(t, map[string]string{"LABDASH_DB": lite}, args...)
		_, got, _ := runCLI(t, map[string]string{"LABDASH_DB": url}, args...)
		if want != got || want == "" {
			t.Errorf("%v differs after the copy:\nsqlite:\n%.400s\npostgres:\n%.400s", args, want, got)
		}
	}
	if code, _, errOut := runCLI(t, nil, "copy", "--from", lite, "--to", url); code == exitOK || !strings.Contains(errOut, "not empty") {
		t.Errorf("copy into a filled store: exit %d, %s", code, errOut)
	}
}

// labdashCommand runs the labdash command in a process of its own: this
// test binary, which TestMain turns into the command when runAsLabdash is
// set, so no build is needed.
func labdashCommand(args ...string) *exec.Cmd {
	cmd := exec.Command(os.Args[0], args...)
	cmd.Env = append(os.Environ(), asLabdash()...)
	return cmd
}

// serverProcess is one `labdash serve` child process.
type serverProcess struct {
	cmd  *exec.Cmd
	addr string
	mu   sync.Mutex
	log  strings.Builder
	done chan struct{}
}

func (p *serverProcess) logText() string {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.log.String()
}

// startServerProcess starts `labdash serve` on a free port and waits for it.
func startServerProcess(t *testing.T, env []string) *serverProcess {
	t.Helper()
	p := &serverProcess{done: make(chan struct{})}
	p.cmd = labdashCommand("serve", "--addr", "127.0.0.1:0")
	p.cmd.Env = append(p.cmd.Env, env...)
	stdout, _ := p.cmd.StdoutPipe()
	stderr, _ := p.cmd.StderrPipe()
	if err := p.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	go func() {
		sc := bufio.NewScanner(stderr)
		for sc.Scan() {
			p.mu.Lock()
			p.log.WriteString(sc.Text() + "\n")
			p.mu.Unlock()
		}
	}()
	ready := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(stdout)
		for sc.Scan() {
			if a, ok := strings.CutPrefix(sc.Text(), "labdash: serving http://"); ok {
				ready <- strings.TrimSuffix(a, "/")
			}
		}
		io.Copy(io.Discard, stdout)
	}()
	go func() { p.cmd.Wait(); close(p.done) }()
	t.Cleanup(func() {
		p.cmd.Process.Signal(os.Interrupt)
		select {
		case <-p.done:
		case <-time.After(20 * time.Second):
			p.cmd.Process.Kill()
			<-p.done
		}
	})
	select {
	case p.addr = <-ready:
	case <-p.done:
		t.Fatalf("labdash serve exited:\n%s", p.logText())
	case <-time.After(60 * time.Second):
		t.Fatalf("labdash serve did not start:\n%s", p.logText())
	}
	return p
}

var pinnedLink = regexp.MustCompile(`/s/(\d+)/`)

// servedSnapshot is the snapshot a server's home page shows as the latest.
func servedSnapshot(client *http.Client, addr string) (string, error) {
	resp, err := client.Get("http://" + addr + "/")
	if err != nil {
		return "", err
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		return "", err
	}
	if resp.StatusCode != http.StatusOK {
		return "", fmt.Errorf("GET / on %s: %s", addr, resp.Status)
	}
	m := pinnedLink.FindSubmatch(body)
	if m == nil {
		return "", fmt.Errorf("GET / on %s: no pinned link", addr)
	}
	return string(m[1]), nil
}

// Three servers on one PostgreSQL database: asked to ingest at once, they
// publish one snapshot between them, and all three serve it within seconds,
// while every request they are sent meanwhile succeeds.
func TestThreeServersShareOnePostgres(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	url := pgtest.NewDatabase(t)
	if out, err := labdashCommand("migrate", "--db", url).CombinedOutput(); err != nil {
		t.Fatalf("migrate: %v %s", err, out)
	}
	// A successful run recorded now: no server makes up a missed scheduled
	// run at start, so the ingests below are the admin-triggered ones.
	store, err := data.Open(ctx, url)
	if err != nil {
		t.Fatal(err)
	}
	defer store.Close()
	now := data.Now()
	if _, err := store.RecordRun(ctx, data.Run{Trigger: "cli", StartedAt: now, FinishedAt: now, Outcome: data.RunUnchanged}); err != nil {
		t.Fatal(err)
	}
	env := []string{"LABDASH_DB=" + url, "LABDASH_SOURCES=" + writeSources(t, dir, ""), "LABDASH_ADMIN_TOKEN=tok"}

	// Started together, they race to seed the built-in figures: one wins.
	servers := make([]*serverProcess, 3)
	var wg sync.WaitGroup
	for i := range servers {
		wg.Add(1)
		go func() { defer wg.Done(); servers[i] = startServerProcess(t, env) }()
	}
	wg.Wait()
	for _, s := range servers {
		if s == nil {
			t.FailNow()
		}
	}
	if snaps, _ := store.Snapshots(ctx); len(snaps) != 1 {
		t.Fatalf("%d snapshots after three starts, want the built-in one", len(snaps))
	}

	client := &http.Client{Timeout: 10 * time.Second}
	// Readers keep every server busy throughout; none of their requests may fail.
	stopReaders := make(chan struct{})
	var readers sync.WaitGroup
	var failMu sync.Mutex
	var failures []string
	requests := 0
	for _, s := range servers {
		readers.Add(1)
		go func() {
			defer readers.Done()
			for {
				select {
				case <-stopReaders:
					return
				default:
				}
				_, err := servedSnapshot(client, s.addr)
				failMu.Lock()
				requests++
				if err != nil {
					failures = append(failures, err.Error())
				}
				failMu.Unlock()
			}
		}()
	}

	statuses := make([]int, len(servers))
	for i, s := range servers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			req, _ := http.NewRequest(http.MethodPost, "http://"+s.addr+"/admin/ingest", nil)
			req.Header.Set("Authorization", "Bearer tok")
			resp, err := client.Do(req)
			if err != nil {
				failMu.Lock()
				failures = append(failures, err.Error())
				failMu.Unlock()
				return
			}
			resp.Body.Close()
			statuses[i] = resp.StatusCode
		}()
	}
	wg.Wait()
	// Each server was idle (no catch-up, no scheduled run due), so each
	// accepts; the lock they meet in the database is the run's business.
	for i, st := range statuses {
		if st != http.StatusAccepted {
			t.Errorf("server %d answered POST /admin/ingest with %d, want 202", i, st)
		}
	}

	// Every server shows snapshot 2 once it is published: each looks up the
	// latest snapshot again at most latestTTL (2 s) after it last looked.
	var published time.Time
	for _, s := range servers {
		var id string
		var err error
		if !waitUntil(time.Minute, func() bool { id, err = servedSnapshot(client, s.addr); return err == nil && id == "2" }) {
			for _, s := range servers {
				t.Logf("server %s:\n%s", s.addr, s.logText())
			}
			t.Fatalf("server %s still serves snapshot %s (%v)", s.addr, id, err)
		}
	}
	if snap, err := store.Snapshot(ctx, 2); err == nil {
		published = snap.CreatedAt
	}
	lag := time.Since(published)
	close(stopReaders)
	readers.Wait()

	snaps, err := store.Snapshots(ctx)
	if err != nil || len(snaps) != 2 {
		t.Fatalf("%d snapshots, want 2 (built-in + one ingest): %v", len(snaps), err)
	}
	runs, _ := store.Runs(ctx, 10)
	var outcomes []string
	publishedRuns := 0
	for _, r := range runs {
		if r.Trigger == "admin" {
			outcomes = append(outcomes, r.Outcome)
		}
		if r.Outcome == data.RunPublished {
			publishedRuns++
		}
	}
	if publishedRuns != 1 {
		t.Errorf("%d published runs, want 1: %v", publishedRuns, outcomes)
	}
	// The servers that did not publish either found the lock taken or ran
	// after the publication and found nothing new.
	refused := 0
	for _, s := range servers {
		if strings.Contains(s.logText(), "another ingest is running") {
			refused++
		}
	}
	if refused+len(outcomes) != len(servers) {
		t.Errorf("%d servers refused a run and %d ran (%v); want 3 in all", refused, len(outcomes), outcomes)
	}
	for _, o := range outcomes {
		if o != data.RunPublished && o != data.RunUnchanged {
			t.Errorf("an admin run ended %q", o)
		}
	}
	if len(failures) > 0 {
		t.Errorf("%d of %d requests failed: %v", len(failures), requests, failures[:min(5, len(failures))])
	}
	t.Logf("%d requests during the ingest, none failed; admin runs %v, %d refused; all three served snapshot 2 %v after it was stamped",
		requests, outcomes, refused, lag.Round(time.Millisecond))
}
