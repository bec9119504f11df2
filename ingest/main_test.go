package ingest

import (
	"os"
	"testing"

	"github.com/labdash/labdash/internal/pgtest"
)

// TestMain stops the private PostgreSQL server the benchmarks may start.
func TestMain(m *testing.M) { os.Exit(pgtest.Main(m)) }
