package main

import (
	"os"
	"testing"

	"github.com/labdash/labdash/internal/browsertest"
	"github.com/labdash/labdash/internal/pgtest"
)

// runAsLabdash, set in a child's environment, makes this test binary run
// as the labdash command itself: tests start real `labdash serve`
// processes without building the command first.
const runAsLabdash = "LABDASH_TEST_RUN_AS_LABDASH"

// asLabdash is the environment of a child that runs as labdash, such as the
// ingest processes of a server under test (Config.IngestEnv).
func asLabdash() []string { return []string{runAsLabdash + "=1"} }

// TestMain runs the package's tests with one browser and one PostgreSQL
// server between them, both stopped at the end; or, in a child started
// with runAsLabdash, the command itself.
func TestMain(m *testing.M) {
	if os.Getenv(runAsLabdash) != "" {
		main()
	}
	code := m.Run()
	browsertest.StopShared()
	pgtest.Stop()
	os.Exit(code)
}
