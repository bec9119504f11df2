package datapackage

import (
	"archive/zip"
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/csv"
	"encoding/hex"
	"encoding/json"
	"errors"
	"io"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"gopkg.in/yaml.v3"

	"github.com/labdash/labdash/data"
	"github.com/labdash/labdash/ingest"
	"github.com/labdash/labdash/internal/frictionless"
	"github.com/labdash/labdash/obscsv"
)

var seedTime = time.Date(2026, 11, 1, 6, 0, 0, 0, time.UTC)

// seededStore is a store holding the built-in data as snapshot 1.
func seededStore(t testing.TB) (*data.Store, data.Snapshot) {
	t.Helper()
	ctx := context.Background()
	store, err := data.Open(ctx, filepath.Join(t.TempDir(), "labdash.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { store.Close() })
	store.SetClock(func() time.Time { return seedTime })
	snap, _, err := ingest.SeedBuiltin(ctx, store, seedTime)
	if err != nil {
		t.Fatal(err)
	}
	return store, snap
}

func eachOf(store *data.Store, id int64) func(func(data.Observation) error) error {
	return func(fn func(data.Observation) error) error {
		return store.EachObservation(context.Background(), id, data.Filter{}, fn)
	}
}

func writePackage(t testing.TB, store *data.Store, snap data.Snapshot, opts Options) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := Write(context.Background(), &buf, snap, eachOf(store, snap.ID), opts); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func validateBytes(b []byte) error { return frictionless.Validate(bytes.NewReader(b), int64(len(b))) }

// unzip returns the package's files by name, in zip order.
func unzip(t testing.TB, b []byte) (map[string][]byte, []string) {
	t.Helper()
	zr, err := zip.NewReader(bytes.NewReader(b), int64(len(b)))
	if err != nil {
		t.Fatal(err)
	}
	files := map[string][]byte{}
	var names []string
	for _, f := range zr.File {
		rc, err := f.Open()
		if err != nil {
			t.Fatal(err)
		}
		body, err := io.ReadAll(rc)
		rc.Close()
		if err != nil {
			t.Fatal(err)
		}
		files[f.Name] = body
		names = append(names, f.Name)
	}
	return files, names
}

// rezip builds a zip of the files, in the given order.
func rezip(t testing.TB, files map[string][]byte, names []string) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, n := range names {
		if _, ok := files[n]; !ok {
			continue
		}
		w, err := zw.Create(n)
		if err != nil {
			t.Fatal(err)
		}
		w.Write(files[n])
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func TestPackageOfBuiltinDataValidates(t *testing.T) {
	store, snap := seededStore(t)
	pkg := writePackage(t, store, snap, Options{BaseURL: "https://labdash.example.edu/"})
	if err := validateBytes(pkg); err != nil {
		t.Fatalf("the package does not validate: %v", err)
	}
	files, names := unzip(t, pkg)
	if want := []string{csvName, textsName, descriptorName, readmeName, citationName}; !reflect.DeepEqual(names, want) {
		t.Errorf("zip holds %v, want %v", names, want)
	}
	var d Descriptor
	if err := json.Unmarshal(files[descriptorName], &d); err != nil {
		t.Fatal(err)
	}
	sum := sha256.Sum256(files[csvName])
	res := d.Resources[0]
	switch {
	case d.Name != "labdash-snapshot-1" || d.Version != "1" || d.ID != "https://labdash.example.edu/s/1/":
		t.Errorf("name %q version %q id %q", d.Name, d.Version, d.ID)
	case d.Created != "2026-11-01T06:00:00Z":
		t.Errorf("created %q, want the snapshot's creation time", d.Created)
	case d.Licenses[0].Name != "other-pd" || !strings.Contains(d.Licenses[0].Title, "public domain"):
		t.Errorf("licenses %+v", d.Licenses)
	case res.Path != csvName || res.Bytes != int64(len(files[csvName])) || res.Hash != "sha256:"+hex.EncodeToString(sum[:]):
		t.Errorf("resource path %q bytes %d hash %q", res.Path, res.Bytes, res.Hash)
	case !reflect.DeepEqual(res.Schema.PrimaryKey, primaryKey):
		t.Errorf("primary key %v", res.Schema.PrimaryKey)
	case len(d.Sources) < 4 || !strings.Contains(d.Sources[3].Title, `"builtin"`):
		t.Errorf("sources %+v", d.Sources)
	}
	if len(d.Resources) != 2 || d.Resources[1].Path != textsName {
		t.Fatalf("resources %+v", d.Resources)
	}
	for i, res := range d.Resources {
		for _, f := range res.Schema.Fields {
			if f.Description == "" || f.Type == "" {
				t.Errorf("field %s lacks a type or description", f.Name)
			}
			if f.Name == "occupation_code" && (f.Constraints == nil || f.Constraints.Pattern != `^[0-9]{2}-[0-9]{4}$`) {
				t.Errorf("occupation_code constraints %+v", f.Constraints)
			}
			// The value of observations.csv is a number; of texts.csv, words.
			if want := []string{"number", "string"}[i]; f.Name == "value" && f.Type != want {
				t.Errorf("%s: value typed %q, want %q", res.Path, f.Type, want)
			}
		}
	}
	readme := string(files[readmeName])
	for _, want := range []string{"snapshot 1", "https://labdash.example.edu/s/1/", "not designed as a time series",
		"include the self-employed", "`secondary` (235 rows)", "apostrophe", "U.S. Bureau of Labor Statistics. (2026)",
		"typed `number` in the schema", "texts.csv"} {
		if !strings.Contains(readme, want) {
			t.Errorf("README.md lacks %q", want)
		}
	}
	if strings.Contains(readme, "Schema notes") {
		t.Error("README.md says constraints were dropped for the built-in data")
	}
}

// The two CSVs of the package hold the rows of the /export.csv body, in its
// order: the figures with a number in observations.csv, the words in
// texts.csv, each under the same header.
func TestPackageCSVsAreTheCSVExport(t *testing.T) {
	store, snap := seededStore(t)
	files, _ := unzip(t, writePackage(t, store, snap, Options{}))
	var export bytes.Buffer
	cw, err := obscsv.NewWriter(&export, false)
	if err != nil {
		t.Fatal(err)
	}
	if err := store.EachObservation(context.Background(), snap.ID, data.Filter{}, cw.Write); err != nil {
		t.Fatal(err)
	}
	if err := cw.Close(); err != nil {
		t.Fatal(err)
	}
	lines := strings.SplitAfter(export.String(), "\n")
	numbers, texts := lines[0], lines[0]
	for _, l := range lines[1:] {
		if strings.Contains(l, ",text,") {
			texts += l
		} else {
			numbers += l
		}
	}
	if string(files[csvName]) != numbers {
		t.Errorf("observations.csv (%d bytes) is not the export's rows with a number (%d bytes)", len(files[csvName]), len(numbers))
	}
	if string(files[textsName]) != texts || strings.Count(texts, "\n") < 10 {
		t.Errorf("texts.csv (%d bytes) is not the export's rows in words (%d bytes)", len(files[textsName]), len(texts))
	}
	if n := bytes.Count(export.Bytes(), []byte("\n")); n != snap.ObservationCount+1 {
		t.Errorf("%d lines for %d observations", n, snap.ObservationCount)
	}
}

func TestPackageIsTheSameForTheSameSnapshot(t *testing.T) {
	store, snap := seededStore(t)
	first := writePackage(t, store, snap, Options{})
	store.SetClock(func() time.Time { return seedTime.Add(48 * time.Hour) })
	again, err := store.Snapshot(context.Background(), snap.ID)
	if err != nil {
		t.Fatal(err)
	}
	if second := writePackage(t, store, again, Options{}); !bytes.Equal(first, second) {
		t.Fatal("two exports of one snapshot differ")
	}
	zr, _ := zip.NewReader(bytes.NewReader(first), int64(len(first)))
	for _, f := range zr.File {
		if !f.Modified.Equal(seedTime) {
			t.Errorf("%s modified %v, want the snapshot's creation time", f.Name, f.Modified)
		}
	}
}

func TestPackageCitationFile(t *testing.T) {
	store, snap := seededStore(t)
	files, _ := unzip(t, writePackage(t, store, snap, Options{}))
	var cff struct {
		Version  string `yaml:"cff-version"`
		Type     string `yaml:"type"`
		Title    string `yaml:"title"`
		Released string `yaml:"date-released"`
		URL      string `yaml:"url"`
		Authors  []struct {
			Name string `yaml:"name"`
		} `yaml:"authors"`
		Preferred struct {
			Publisher struct {
				Name string `yaml:"name"`
			} `yaml:"publisher"`
		} `yaml:"preferred-citation"`
	}
	if err := yaml.Unmarshal(files[citationName], &cff); err != nil {
		t.Fatalf("CITATION.cff is not YAML: %v", err)
	}
	switch {
	case cff.Version != "1.2.0" || cff.Type != "dataset":
		t.Errorf("cff-version %q type %q", cff.Version, cff.Type)
	case len(cff.Authors) != 1 || cff.Authors[0].Name != "U.S. Bureau of Labor Statistics":
		t.Errorf("authors %+v", cff.Authors)
	case cff.URL != "http://127.0.0.1:8080/s/1/" || cff.Released != "2026-11-01":
		t.Errorf("url %q date-released %q", cff.URL, cff.Released)
	case !strings.Contains(cff.Title, "snapshot 1") || cff.Preferred.Publisher.Name != "labdash":
		t.Errorf("title %q publisher %q", cff.Title, cff.Preferred.Publisher.Name)
	}
}

func TestPackageRowCellsFollowColumns(t *testing.T) {
	var r obscsv.Row
	v := reflect.ValueOf(&r).Elem()
	for i := 0; i < v.NumField(); i++ {
		v.Field(i).SetString(v.Type().Field(i).Tag.Get("csv"))
	}
	cells := make([]string, v.NumField())
	rowCells(&r, cells)
	if !reflect.DeepEqual(cells, columnNames()) {
		t.Fatalf("rowCells gives %v, the columns are %v", cells, columnNames())
	}
}

// A store may hold figures that break a rule labdash usually declares (here
// an O*NET-style occupation code from a hand-made labdash-csv source): the
// package leaves that rule out, says so, and still validates.
func TestPackageDeclaresOnlyWhatItsRowsKeep(t *testing.T) {
	ctx := context.Background()
	store, err := data.Open(ctx, filepath.Join(t.TempDir(), "l.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer store.Close()
	snap, err := store.Publish(ctx, data.Publication{Label: "synthetic test data", Observations: []data.Observation{
		{OccupationCode: "29-2010.00", AreaCode: "0000000", Measure: "employment", Period: "2024", Value: data.Float(1), Unit: "jobs", Tier: data.TierPrimary},
		{OccupationCode: "29-2010", AreaCode: "0000000", Measure: "employment", Period: "2024", Value: data.Float(2), Unit: "jobs", Tier: data.TierPrimary},
	}})
	if err != nil {
		t.Fatal(err)
	}
	pkg := writePackage(t, store, snap, Options{})
	if err := validateBytes(pkg); err != nil {
		t.Fatalf("does not validate: %v", err)
	}
	files, _ := unzip(t, pkg)
	var d Descriptor
	if err := json.Unmarshal(files[descriptorName], &d); err != nil {
		t.Fatal(err)
	}
	if raw, _ := json.Marshal(d.Resources[0].Schema); strings.Contains(string(raw), `"^[0-9]{2}-[0-9]{4}$"`) {
		t.Error("observations.csv's schema declares the SOC pattern that a row breaks")
	}
	if !strings.Contains(string(files[readmeName]), "leaves out the pattern of occupation_code") {
		t.Error("README.md does not say the pattern was left out")
	}
}

func TestPackageWriteStopsWhenTheContextEnds(t *testing.T) {
	store, snap := seededStore(t)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	err := Write(ctx, io.Discard, snap, eachOf(store, snap.ID), Options{})
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("err %v, want context.Canceled", err)
	}
}

// tamper rewrites a valid package: edit changes the CSV records, and the
// descriptor's bytes and hash are brought up to date unless keepHash.
func tamper(t *testing.T, pkg []byte, keepHash bool, edit func([][]string) [][]string) []byte {
	t.Helper()
	files, names := unzip(t, pkg)
	recs, err := csv.NewReader(bytes.NewReader(files[csvName])).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	w := csv.NewWriter(&buf)
	w.WriteAll(edit(recs))
	files[csvName] = buf.Bytes()
	if !keepHash {
		var d map[string]any
		json.Unmarshal(files[descriptorName], &d)
		res := d["resources"].([]any)[0].(map[string]any)
		sum := sha256.Sum256(buf.Bytes())
		res["bytes"], res["hash"] = buf.Len(), "sha256:"+hex.EncodeToString(sum[:])
		files[descriptorName], _ = json.Marshal(d)
	}
	return rezip(t, files, names)
}

func columnIndex(recs [][]string, name string) int {
	for i, h := range recs[0] {
		if h == name {
			return i
		}
	}
	panic("no column " + name)
}

func TestTamperedPackagesFailWithASentence(t *testing.T) {
	store, snap := seededStore(t)
	pkg := writePackage(t, store, snap, Options{})
	set := func(row int, col, v string) func([][]string) [][]string {
		return func(recs [][]string) [][]string {
			recs[row][columnIndex(recs, col)] = v
			return recs
		}
	}
	cases := []struct {
		name     string
		keepHash bool
		edit     func([][]string) [][]string
		says     string
	}{
		{"bad flag", false, set(3, "flag", "suppressed"),
			`Row 3 (line 4 of observations.csv), field "flag": "suppressed" is not one of the allowed values (not_available, top_coded, low_reporting, not_released).`},
		{"bad tier", false, set(1, "tier", "blog"), `Row 1 (line 2 of observations.csv), field "tier": "blog" is not one of the allowed values`},
		{"empty tier", false, set(2, "tier", ""), `Row 2 (line 3 of observations.csv), field "tier": is empty, but the field is required.`},
		{"bad date", false, set(5, "retrieved_at", "yesterday"), `Row 5 (line 6 of observations.csv), field "retrieved_at": "yesterday" is not a datetime`},
		{"bad code", false, set(4, "occupation_code", "292010"), `field "occupation_code": "292010" does not match the pattern ^[0-9]{2}-[0-9]{4}$.`},
		{"bad period", false, set(4, "period", "2024-34"), `field "period": "2024-34" does not match the pattern`},
		{"missing cell", false, func(recs [][]string) [][]string {
			recs[6] = recs[6][:len(recs[6])-1]
			return recs
		}, "Row 6 (line 7 of observations.csv) has 16 cells, but the schema declares 17 fields."},
		{"missing column", false, func(recs [][]string) [][]string {
			for i := range recs {
				recs[i] = recs[i][:len(recs[i])-1]
			}
			return recs
		}, "The header of observations.csv has 16 columns"},
		{"renamed column", false, func(recs [][]string) [][]string {
			recs[0][8] = "figure"
			return recs
		}, `Column 9 of the header of observations.csv is "figure", but the schema's field 9 is "value".`},
		{"duplicate key", false, func(recs [][]string) [][]string {
			return append(recs[:3], append([][]string{recs[1]}, recs[3:]...)...)
		}, "Row 3 (line 4 of observations.csv) repeats the primary key of row 1 (occupation_code="},
		{"wrong hash", true, set(7, "notes", "edited after export"),
			"declares the sha256 hash"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			err := validateBytes(tamper(t, pkg, c.keepHash, c.edit))
			var ve *frictionless.ValidationError
			if !errors.As(err, &ve) {
				t.Fatalf("err %v, want a *frictionless.ValidationError", err)
			}
			if !strings.Contains(err.Error(), c.says) {
				t.Errorf("the error says:\n%v\nwant it to say %q", err, c.says)
			}
		})
	}
}

// Validate checks any package by what it declares, including types this
// one does not use: a number field with a cell that is not a number.
func TestPackageValidateChecksDeclaredTypes(t *testing.T) {
	desc := `{"name": "tiny", "resources": [{"name": "t", "path": "t.csv", "profile": "tabular-data-resource",
		"schema": {"fields": [{"name": "code", "type": "string"}, {"name": "n", "type": "number"},
			{"name": "k", "type": "integer", "constraints": {"minimum": 0}}], "primaryKey": "code"}}]}`
	cases := []struct{ csv, says string }{
		{"code,n,k\nA,1.5,1\nB,12x,2\n", `Row 2 (line 3 of t.csv), field "n": "12x" is not a number`},
		{"code,n,k\nA,1.5,1\nB,1e3,-2\n", `Row 2 (line 3 of t.csv), field "k": -2 is outside the field's minimum/maximum.`},
		{"code,n,k\nA,1.5,1\n,2,2\n", `Row 2 (line 3 of t.csv), field "code": the cell is empty, but it is part of the primary key`},
		{"code,n,k\nA,1.5,1\nA,2,2\n", `Row 2 (line 3 of t.csv) repeats the primary key of row 1 (code="A")`},
		{"code,n,k\nA,NaN,1\nB,-INF,2\nC,,\n", ""},
	}
	for _, c := range cases {
		files := map[string][]byte{descriptorName: []byte(desc), "t.csv": []byte(c.csv)}
		err := validateBytes(rezip(t, files, []string{descriptorName, "t.csv"}))
		switch {
		case c.says == "" && err != nil:
			t.Errorf("%q: %v", c.csv, err)
		case c.says != "" && (err == nil || !strings.Contains(err.Error(), c.says)):
			t.Errorf("%q: the error says %v, want %q", c.csv, err, c.says)
		}
	}
}

func TestPackageValidateRefusesBrokenPackages(t *testing.T) {
	store, snap := seededStore(t)
	files, names := unzip(t, writePackage(t, store, snap, Options{}))
	without := func(name string) []byte {
		f := map[string][]byte{}
		for k, v := range files {
			if k != name {
				f[k] = v
			}
		}
		return rezip(t, f, names)
	}
	withDescriptor := func(edit func(map[string]any)) []byte {
		var d map[string]any
		json.Unmarshal(files[descriptorName], &d)
		edit(d)
		f := map[string][]byte{}
		for k, v := range files {
			f[k] = v
		}
		f[descriptorName], _ = json.Marshal(d)
		return rezip(t, f, names)
	}
	resource := func(d map[string]any) map[string]any { return d["resources"].([]any)[0].(map[string]any) }
	cases := []struct {
		name string
		pkg  []byte
		says string
	}{
		{"not a zip", []byte("occupation_code,value\n"), "The file is not a zip archive"},
		{"no descriptor", without(descriptorName), "The zip has no datapackage.json at its top level"},
		{"no CSV", without(csvName), `The path "observations.csv" of the resource "observations" names a file that is not in the zip.`},
		{"no resources", withDescriptor(func(d map[string]any) { delete(d, "resources") }), "has no resources"},
		{"bad name", withDescriptor(func(d map[string]any) { d["name"] = "Labdash Snapshot" }), `The package name "Labdash Snapshot" must be lower-case`},
		{"bad created", withDescriptor(func(d map[string]any) { d["created"] = "1 Nov 2026" }), "is not an RFC 3339 date and time"},
		{"escaping path", withDescriptor(func(d map[string]any) { resource(d)["path"] = "../observations.csv" }), `must not contain ".."`},
		{"wrong size", withDescriptor(func(d map[string]any) { resource(d)["bytes"] = 12 }), "declares 12 bytes for observations.csv"},
		{"unknown constraint", withDescriptor(func(d map[string]any) {
			f := resource(d)["schema"].(map[string]any)["fields"].([]any)[0].(map[string]any)
			f["constraints"].(map[string]any)["jsonSchema"] = map[string]any{}
		}), "the constraint jsonSchema is not checked by this validator"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			err := validateBytes(c.pkg)
			if err == nil || !strings.Contains(err.Error(), c.says) {
				t.Errorf("the error says %v, want %q", err, c.says)
			}
		})
	}
}
