package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// One instance's export is another's source: export → labdash-csv ingest
// into an empty store → export gives the same observations, byte for byte.
func TestExportIngestExportRoundTrip(t *testing.T) {
	dir := t.TempDir()
	// The first store holds the built-in figures plus ingested OEWS and EP
	// fixtures (synthetic numbers): markers, flags, industry codes, titles.
	envA := map[string]string{"LABDASH_DB": filepath.Join(dir, "a.db"), "LABDASH_SOURCES": writeSources(t, dir, "")}
	if code, out, errOut := runCLI(t, envA, "ingest"); code != exitOK {
		t.Fatalf("first ingest: %s %s", out, errOut)
	}
	first := filepath.Join(dir, "first.csv")
	if code, _, errOut := runCLI(t, envA, "export", "-o", first); code != exitOK {
		t.Fatalf("export: %s", errOut)
	}
	sources := filepath.Join(dir, "sources.yaml")
	os.WriteFile(sources, []byte("sources:\n  - name: copy\n    format: labdash-csv\n    url: "+first+"\n"), 0o644)

	// The second store starts from the built-in figures; the copy must add
	// exactly the ingested ones, with their provenance.
	env := map[string]string{"LABDASH_DB": filepath.Join(dir, "b.db"), "LABDASH_SOURCES": sources}
	code, out, errOut := runCLI(t, env, "ingest")
	if code != exitOK || !strings.Contains(out, "published snapshot 2") {
		t.Fatalf("ingest of the copy: %s %s", out, errOut)
	}
	second := filepath.Join(dir, "second.csv")
	if code, _, errOut := runCLI(t, env, "export", "-o", second); code != exitOK {
		t.Fatalf("second export: %s", errOut)
	}
	a, _ := os.ReadFile(first)
	b, _ := os.ReadFile(second)
	if string(a) != string(b) {
		t.Fatalf("the round trip changed the export:\n%s", firstDifference(string(a), string(b)))
	}
	if len(a) < 10000 {
		t.Fatalf("the export is only %d bytes", len(a))
	}
}

func firstDifference(a, b string) string {
	for i := 0; i < len(a) && i < len(b); i++ {
		if a[i] != b[i] {
			lo := max(0, i-200)
			return "first:  " + a[lo:min(len(a), i+200)] + "\nsecond: " + b[lo:min(len(b), i+200)]
		}
	}
	return "one is a prefix of the other"
}
