package main

import (
	"archive/zip"
	"bytes"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/labdash/labdash/internal/frictionless"
)

func TestExportDatapackageCommand(t *testing.T) {
	dir := t.TempDir()
	env := map[string]string{"LABDASH_DB": seededStore(t)}
	out := filepath.Join(dir, "snapshot.zip")
	code, _, errOut := runCLI(t, env, "export", "--format", "datapackage", "--base-url", "https://lab.example.edu", "-o", out)
	if code != exitOK {
		t.Fatalf("export: %d %s", code, errOut)
	}
	f, err := os.Open(out)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	st, _ := f.Stat()
	if err := frictionless.Validate(f, st.Size()); err != nil {
		t.Fatalf("the exported package does not validate: %v", err)
	}
	// The CSV inside is what `labdash export` writes as CSV.
	_, csvOut, _ := runCLI(t, env, "export")
	zr, err := zip.NewReader(f, st.Size())
	if err != nil {
		t.Fatal(err)
	}
	files := map[string]string{}
	for _, zf := range zr.File {
		rc, _ := zf.Open()
		b, _ := io.ReadAll(rc)
		rc.Close()
		files[zf.Name] = string(b)
	}
	// observations.csv holds the figures with a number, texts.csv the ones in words.
	got := strings.Split(strings.TrimSpace(files["observations.csv"])+"\n"+after(files["texts.csv"]), "\n")
	want := strings.Split(strings.TrimSpace(csvOut), "\n")
	slices.Sort(got)
	slices.Sort(want)
	if !slices.Equal(got, want) || !strings.Contains(files["texts.csv"], ",text,") {
		t.Error("observations.csv and texts.csv do not hold the rows of `labdash export --format csv`")
	}
	if !strings.Contains(files["CITATION.cff"], `url: "https://lab.example.edu/s/1/"`) {
		t.Errorf("CITATION.cff does not cite the --base-url address:\n%s", files["CITATION.cff"])
	}

	// -o - writes the zip to standard output; it is the same package.
	code, stdout, errOut := runCLI(t, env, "export", "--format", "datapackage", "--base-url", "https://lab.example.edu", "-o", "-")
	if code != exitOK {
		t.Fatalf("export to stdout: %d %s", code, errOut)
	}
	onDisk, _ := os.ReadFile(out)
	if !bytes.Equal([]byte(stdout), onDisk) {
		t.Error("the package on standard output differs from the one written to a file")
	}

	if code, _, errOut = runCLI(t, env, "export", "--format", "datapackage", "--bom"); code != exitUsage || !strings.Contains(errOut, "--bom") {
		t.Errorf("--bom with a data package: %d %s", code, errOut)
	}
	if code, _, errOut = runCLI(t, env, "export", "--format", "datapackage", "--snapshot", "9", "-o", filepath.Join(dir, "nine.zip")); code != exitFailed || !strings.Contains(errOut, "no such snapshot") {
		t.Errorf("missing snapshot: %d %s", code, errOut)
	}
	entries, _ := os.ReadDir(dir)
	for _, e := range entries {
		if strings.HasPrefix(e.Name(), ".labdash-export") || e.Name() == "nine.zip" {
			t.Errorf("%s was left behind", e.Name())
		}
	}
}

// after is a CSV's rows without its header.
func after(csv string) string {
	_, rows, _ := strings.Cut(strings.TrimSpace(csv), "\n")
	return rows
}
