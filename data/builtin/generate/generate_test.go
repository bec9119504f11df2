package main

import (
	"bytes"
	"os"
	"path/filepath"
	"reflect"
	"testing"
	"time"

	"github.com/labdash/labdash/data/builtin"
)

// TestSnapshotFileIsWhatTheWorkbooksHold is the guarantee that the built-in
// snapshot the binary ships is what the formats read from the committed BLS
// workbooks: it parses them all again (once) and compares.
func TestSnapshotFileIsWhatTheWorkbooksHold(t *testing.T) {
	pub, err := buildPublication(os.DirFS(".."))
	if err != nil {
		t.Fatal(err)
	}
	want, err := builtin.Encode(pub)
	if err != nil {
		t.Fatal(err)
	}
	committed, err := os.ReadFile(filepath.Join("..", builtin.FileName))
	if err != nil {
		t.Fatal(err)
	}
	if line, got, parsed := firstDifference(committed, want); line > 0 {
		t.Fatalf("data/builtin/%s is not what the formats read from the committed workbooks; run go generate ./data/builtin "+
			"and commit the result. First difference, line %d:\ncommitted: %s\nparsed:    %s", builtin.FileName, line, got, parsed)
	}
	// What a fresh store is seeded with is that file read back: exactly
	// the parsed figures, nothing lost in the round trip.
	loaded, err := builtin.Publication(time.Time{})
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(loaded, pub) {
		t.Fatal("builtin.Publication does not give back the figures the formats read")
	}
	if len(pub.Sources) != len(workbooks)+1 {
		t.Errorf("%d sources, want one per workbook (%d) and the reference figures", len(pub.Sources), len(workbooks))
	}
}

func TestFirstDifferenceNamesTheLine(t *testing.T) {
	a := []byte("{\"h\":1}\n{\"v\":1}\n{\"v\":2}\n")
	if line, _, _ := firstDifference(a, a); line != 0 {
		t.Errorf("identical files differ at line %d", line)
	}
	line, got, want := firstDifference(a, []byte("{\"h\":1}\n{\"v\":1}\n{\"v\":3}\n"))
	if line != 3 || got != `{"v":2}` || want != `{"v":3}` {
		t.Errorf("got line %d %q %q, want line 3", line, got, want)
	}
	if line, got, _ := firstDifference(a, []byte("{\"h\":1}\n")); line != 2 || got != `{"v":1}` {
		t.Errorf("a shorter file: got line %d %q, want line 2", line, got)
	}
}

// firstDifference returns the first line (1-based) where a and b differ,
// and that line of each; 0 when they are equal.
func firstDifference(a, b []byte) (int, string, string) {
	if bytes.Equal(a, b) {
		return 0, "", ""
	}
	la, lb := bytes.Split(a, []byte("\n")), bytes.Split(b, []byte("\n"))
	for i := 0; ; i++ {
		x, y := lineAt(la, i), lineAt(lb, i)
		if x != y || i >= max(len(la), len(lb)) {
			return i + 1, x, y
		}
	}
}

func lineAt(lines [][]byte, i int) string {
	if i < len(lines) {
		return string(lines[i])
	}
	return "(end of file)"
}
