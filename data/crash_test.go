package data

import (
	"bufio"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/labdash/labdash/internal/pgtest"
)

// crashChildEnv makes the test binary act as a process that publishes
// snapshots until it is killed; it names the store (a SQLite path or a
// PostgreSQL URL).
const crashChildEnv = "LABDASH_CRASH_CHILD_DB"

// crashObservations is one publication of the child: every figure carries
// the same value, so a snapshot that mixed two publications would show it.
func crashObservations(value float64) []Observation {
	obs := make([]Observation, 0, 3000)
	for i := range 3000 {
		o := testObs("11-1111", "employment", "2024", value)
		o.AreaCode = fmt.Sprintf("%07d", i+1)
		obs = append(obs, o)
	}
	return obs
}

// TestCrashChild is the child process; it does nothing in a normal run.
func TestCrashChild(t *testing.T) {
	dsn := os.Getenv(crashChildEnv)
	if dsn == "" {
		return
	}
	ctx := context.Background()
	s, err := Open(ctx, dsn)
	if err != nil {
		fmt.Println("open:", err)
		os.Exit(3)
	}
	// Each publication's value is the id its snapshot will get, so the
	// parent can tell which publication a snapshot holds.
	for {
		next := int64(1)
		if latest, err := s.LatestSnapshot(ctx); err == nil {
			next = latest.ID + 1
		}
		if _, err := s.Publish(ctx, Publication{Label: "crash test", Observations: crashObservations(float64(next))}); err != nil {
			fmt.Println("publish:", err)
			os.Exit(3)
		}
		fmt.Println("published", next)
	}
}

// TestKillDuringPublishKeepsTheStoreConsistent kills a publishing process
// with SIGKILL at several moments and checks, each time, that the store
// opens, passes SQLite's integrity check and serves one whole snapshot.
func TestKillDuringPublishKeepsTheStoreConsistent(t *testing.T) {
	path := filepath.Join(t.TempDir(), "crash.db")
	killDuringPublish(t, path, []time.Duration{0, 3 * time.Millisecond, 11 * time.Millisecond, 29 * time.Millisecond, 57 * time.Millisecond})
}

// The same on PostgreSQL, where a publication is many round trips to the
// server and the kill leaves an open transaction holding the publish lock
// on a connection the server has to notice is gone: afterwards the
// database serves one whole snapshot, its numbers have no gap, and the next
// publication (here, this process's) gets the lock and the next number.
func TestKillDuringPublishKeepsPostgresConsistent(t *testing.T) {
	url := pgtest.NewDatabase(t)
	if _, _, err := Migrate(context.Background(), url); err != nil {
		t.Fatal(err)
	}
	killDuringPublish(t, url, []time.Duration{0, 5 * time.Millisecond, 23 * time.Millisecond, 61 * time.Millisecond,
		127 * time.Millisecond, 251 * time.Millisecond})

	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	s, err := Open(ctx, url)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	latest, err := s.LatestSnapshot(ctx)
	if err != nil {
		t.Fatal(err)
	}
	next, err := s.Publish(ctx, Publication{Label: "after the crashes", Observations: crashObservations(float64(latest.ID + 1))})
	if err != nil || next.ID != latest.ID+1 {
		t.Fatalf("publishing after the kills: snapshot %d, %v (latest was %d)", next.ID, err, latest.ID)
	}
	release, ok, err := s.TryRunLock(ctx)
	if err != nil || !ok {
		t.Fatalf("the run lock after the kills: ok %v, %v", ok, err)
	}
	release()
}

// killDuringPublish runs the publishing child against dsn once per delay,
// kills it that long after its first whole publication, and checks the
// store after each kill.
func killDuringPublish(t *testing.T, dsn string, delays []time.Duration) {
	t.Helper()
	lastSeen := 0
	for round, delay := range delays {
		cmd := exec.Command(os.Args[0], "-test.run=^TestCrashChild$", "-test.count=1")
		cmd.Env = append(os.Environ(), crashChildEnv+"="+dsn)
		out, err := cmd.StdoutPipe()
		if err != nil {
			t.Fatal(err)
		}
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		// Wait for one whole publication, then kill the child mid-way
		// through a later one.
		lines := bufio.NewScanner(out)
		if !lines.Scan() || !strings.HasPrefix(lines.Text(), "published") {
			cmd.Process.Kill()
			cmd.Wait()
			t.Fatalf("round %d: the child said %q", round, lines.Text())
		}
		time.Sleep(delay)
		cmd.Process.Signal(syscall.SIGKILL)
		cmd.Wait()

		snapshots := checkStoreAfterCrash(t, dsn)
		if snapshots <= lastSeen {
			t.Fatalf("round %d: %d snapshots, had %d before", round, snapshots, lastSeen)
		}
		lastSeen = snapshots
	}
}

// checkStoreAfterCrash returns the number of snapshots after checking the store.
func checkStoreAfterCrash(t *testing.T, dsn string) int {
	t.Helper()
	ctx := context.Background()
	s, err := Open(ctx, dsn)
	if err != nil {
		t.Fatalf("reopening after the kill: %v", err)
	}
	defer s.Close()
	if s.Backend() == "sqlite" {
		var integrity string
		if err := s.read.QueryRowContext(ctx, "PRAGMA integrity_check").Scan(&integrity); err != nil || integrity != "ok" {
			t.Fatalf("integrity check: %q %v", integrity, err)
		}
	}
	// Versions of a publication that never committed would name a
	// snapshot that does not exist.
	var orphans int
	err = s.read.QueryRowContext(ctx, `SELECT count(*) FROM observations
		WHERE first_snapshot NOT IN (SELECT id FROM snapshots)
		OR (superseded_by IS NOT NULL AND superseded_by NOT IN (SELECT id FROM snapshots))`).Scan(&orphans)
	if err != nil || orphans != 0 {
		t.Fatalf("%d versions name a snapshot that does not exist (%v)", orphans, err)
	}
	latest, err := s.LatestSnapshot(ctx)
	if err != nil {
		t.Fatal(err)
	}
	obs, err := s.Observations(ctx, latest.ID, Filter{})
	if err != nil {
		t.Fatal(err)
	}
	if len(obs) != latest.ObservationCount || len(obs) != 3000 {
		t.Fatalf("snapshot %d says %d observations, holds %d", latest.ID, latest.ObservationCount, len(obs))
	}
	for _, o := range obs {
		if *o.Value != *obs[0].Value {
			t.Fatalf("snapshot %d mixes two publications: %v and %v", latest.ID, *obs[0].Value, *o.Value)
		}
	}
	if *obs[0].Value != float64(latest.ID) {
		t.Fatalf("snapshot %d holds the figures of publication %v", latest.ID, *obs[0].Value)
	}
	all, _ := s.Snapshots(ctx)
	if int64(len(all)) != latest.ID {
		t.Fatalf("%d snapshots, the latest numbered %d: the numbers have a gap", len(all), latest.ID)
	}
	return len(all)
}
