package config

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/labdash/labdash/ingest/format"
	"github.com/labdash/labdash/ingest/schedule"
)

// issueExample is the sources file of the issue that asked for this format.
const issueExample = `user_agent: "labdash (ops@example.org)"
schedule: "0 6 * * *"
sources:
  - name: oews
    format: bls-oe
    url: https://download.bls.gov/pub/time.series/oe/
    occupations: ["29-2018", "31-9097"]
  - name: ep-clinical-lab
    format: bls-ep-matrix
    url: https://example.org/matrix-29-2010.csv
    occupation: "29-2010"
  - name: ep-occupations
    format: bls-ep-occupation
    url: https://example.org/occupation.csv
    occupations: ["29-2010", "31-9097"]
  - name: local
    format: labdash-csv
    url: file:///srv/labdash/extra.csv
`

func TestParseConfigIssueExample(t *testing.T) {
	cfg, err := ParseConfig(strings.NewReader(issueExample), "/etc/labdash/sources.yaml")
	if err != nil {
		t.Fatal(err)
	}
	if cfg.UserAgent != "labdash (ops@example.org)" || cfg.Schedule != "0 6 * * *" {
		t.Errorf("user_agent %q, schedule %q", cfg.UserAgent, cfg.Schedule)
	}
	want := []SourceConfig{
		{Name: "oews", Format: "bls-oe", URL: "https://download.bls.gov/pub/time.series/oe/", Occupations: []string{"29-2018", "31-9097"}},
		{Name: "ep-clinical-lab", Format: "bls-ep-matrix", URL: "https://example.org/matrix-29-2010.csv", Occupations: []string{"29-2010"}},
		{Name: "ep-occupations", Format: "bls-ep-occupation", URL: "https://example.org/occupation.csv", Occupations: []string{"29-2010", "31-9097"}},
		{Name: "local", Format: "labdash-csv", URL: "file:///srv/labdash/extra.csv"},
	}
	if len(cfg.Sources) != len(want) {
		t.Fatalf("got %d sources, want %d", len(cfg.Sources), len(want))
	}
	for i, w := range want {
		if g := cfg.Sources[i]; g.Name != w.Name || g.Format != w.Format || g.URL != w.URL || !slices.Equal(g.Occupations, w.Occupations) {
			t.Errorf("source %d = %+v, want %+v", i, g, w)
		}
	}
	if s, ok := cfg.Source("ep-clinical-lab"); !ok || s.Occupations[0] != "29-2010" {
		t.Errorf("Source(ep-clinical-lab) = %+v, %v", s, ok)
	}
	if _, ok := cfg.Source("nope"); ok {
		t.Error("Source(nope) found a source")
	}
	if p, ok := cfg.Sources[3].LocalPath(); !ok || p != "/srv/labdash/extra.csv" {
		t.Errorf("LocalPath of a file:/// url = %q, %v", p, ok)
	}
	if !cfg.Sources[0].Remote() || cfg.Sources[3].Remote() {
		t.Error("Remote() wrong")
	}
	if w := cfg.Warnings(); len(w) != 1 || !strings.Contains(w[0], "ops@example.org") {
		t.Errorf("Warnings() = %q, want the example.org contact flagged", w)
	}
}

func TestLoadConfigFixture(t *testing.T) {
	cfg, err := LoadConfig(filepath.Join("testdata", "config", "valid.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := schedule.Parse(cfg.Schedule); err != nil {
		t.Errorf("schedule %q: %v", cfg.Schedule, err)
	}
	if len(cfg.Warnings()) != 0 {
		t.Errorf("unexpected warnings %q", cfg.Warnings())
	}
	oews, _ := cfg.Source("oews")
	if oews.URL != "https://download.bls.gov/pub/time.series/oe/" {
		t.Errorf("a bls-oe url should end in /, got %q", oews.URL)
	}
	if oews.Title != "OEWS time series" || oews.StallTimeout != 90*time.Second || oews.MaxBytes != 600_000_000 {
		t.Errorf("optional keys: %+v", oews)
	}
	if local, _ := cfg.Source("local"); local.MaxBytes != 1<<30 {
		t.Errorf("max_bytes 1GiB = %d", local.MaxBytes)
	}
	// Relative paths are read from the config file's directory, whatever
	// the working directory: they must name the real fixtures.
	for _, name := range []string{"oews_local", "ep-clinical-lab", "ep-occupations"} {
		s, _ := cfg.Source(name)
		p, ok := s.LocalPath()
		if !ok || !filepath.IsAbs(p) {
			t.Errorf("%s: LocalPath = %q, %v; want an absolute path", name, p, ok)
			continue
		}
		if _, err := os.Stat(p); err != nil {
			t.Errorf("%s: %v", name, err)
		}
	}
	if s, _ := cfg.Source("oews_local"); !slices.Equal(s.Occupations, []string{"29-2018"}) {
		t.Errorf("block-style occupations list = %q", s.Occupations)
	}
}

// TestShippedSourcesFile checks the default sources.yaml at the root of the
// repository, both as shipped and with its commented-out sources turned on
// the way its comments tell an operator to.
func TestShippedSourcesFile(t *testing.T) {
	path := filepath.Join("..", "..", "sources.yaml")
	cfg, err := LoadConfig(path)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := schedule.Parse(cfg.Schedule); err != nil {
		t.Errorf("schedule: %v", err)
	}
	if !strings.Contains(cfg.UserAgent, "set-your-contact") || len(cfg.Warnings()) != 1 {
		t.Errorf("the shipped user_agent %q should be the obvious placeholder (warnings %q)", cfg.UserAgent, cfg.Warnings())
	}
	// As shipped, one ingest fills a store from BLS's current releases.
	wantURL := map[string]string{
		"oews-national":  "https://www.bls.gov/oes/special-requests/oesm24nat.zip",
		"oews-state":     "https://www.bls.gov/oes/special-requests/oesm24st.zip",
		"oews-metro":     "https://www.bls.gov/oes/special-requests/oesm24ma.zip",
		"oews-industry":  "https://www.bls.gov/oes/special-requests/oesm24in4.zip",
		"ep-occupations": "https://www.bls.gov/emp/ind-occ-matrix/occupation.xlsx",
		"ep-education":   "https://www.bls.gov/emp/ind-occ-matrix/education.xlsx",
	}
	if len(cfg.Sources) != len(wantURL) {
		t.Errorf("%d sources shipped on, want %d", len(cfg.Sources), len(wantURL))
	}
	for name, u := range wantURL {
		if s, ok := cfg.Source(name); !ok || s.URL != u || !slices.Contains(s.Occupations, "29-2010") {
			t.Errorf("source %s = %+v, want %s with 29-2010", name, s, u)
		}
	}

	raw, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	commented := regexp.MustCompile(`(?m)^  # (- name:|  [a-z_]+:)`)
	enabled := commented.ReplaceAllString(string(raw), "  $1")
	all, err := ParseConfig(strings.NewReader(enabled), path)
	if err != nil {
		t.Fatalf("sources.yaml with every source turned on: %v", err)
	}
	var names []string
	for _, s := range all.Sources {
		names = append(names, s.Name+":"+s.Format)
	}
	want := []string{"oews-national:bls-oews", "oews-state:bls-oews", "oews-metro:bls-oews", "oews-industry:bls-oews",
		"ep-occupations:bls-ep-occupation", "ep-education:bls-ep-education", "ep-clinical-lab:bls-ep-matrix",
		"oews-api:bls-api", "oews-timeseries:bls-oe", "local:labdash-csv"}
	if !slices.Equal(names, want) {
		t.Errorf("sources with every one turned on = %q, want %q", names, want)
	}
}

func TestLoadConfigMissingFile(t *testing.T) {
	_, err := LoadConfig(filepath.Join(t.TempDir(), "sources.yaml"))
	if !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("err = %v, want fs.ErrNotExist (the server treats a missing default file as no ingest)", err)
	}
}

func TestParseConfigDefaultsAndSingleOccupation(t *testing.T) {
	cfg, err := ParseConfig(strings.NewReader(`
sources:
  - {name: lab, format: bls-ep-matrix, url: matrix.csv, occupation: "29-2010"}
`), "/srv/labdash/sources.yaml")
	if err != nil {
		t.Fatal(err)
	}
	if cfg.Schedule != schedule.Default {
		t.Errorf("schedule = %q, want the default %q", cfg.Schedule, schedule.Default)
	}
	if cfg.UserAgent != "" {
		t.Errorf("user_agent = %q", cfg.UserAgent)
	}
	s := cfg.Sources[0]
	if s.URL != "/srv/labdash/matrix.csv" || !slices.Equal(s.Occupations, []string{"29-2010"}) {
		t.Errorf("source = %+v", s)
	}
}

// TestParseConfigRejects checks that each problem is one sentence naming the
// file, the line and the field.
func TestParseConfigRejects(t *testing.T) {
	const ua = "user_agent: \"labdash (ops@lab.test)\"\n"
	src := func(lines ...string) string {
		return ua + "sources:\n  - " + strings.Join(lines, "\n    ") + "\n"
	}
	tests := []struct {
		name, yaml string
		line       int
		want       []string
	}{
		{"empty file", "", 0, []string{"empty"}},
		{"comments only", "# nothing\n", 0, []string{"empty"}},
		{"not yaml", "sources: [\n", 1, []string{"not valid YAML"}},
		{"bare star", "schedule: * * * * *\n", 0, []string{"not valid YAML", "must be in quotes"}},
		{"two documents", src("name: a", "format: labdash-csv", "url: a.csv") + "---\nsources: []\n", 6, []string{"more than one YAML document"}},
		{"top level a list", "- a\n", 1, []string{"top level", "mapping"}},
		{"unknown top-level key", ua + "sorces: []\nsources: [{name: a, format: labdash-csv, url: a.csv}]\n", 2, []string{`unknown key "sorces"`, "user_agent, schedule, sources"}},
		{"repeated key", ua + ua + "sources: [{name: a, format: labdash-csv, url: a.csv}]\n", 2, []string{`"user_agent" appears twice`, "line 1"}},
		{"no sources", ua, 1, []string{"sources", "is missing"}},
		{"empty sources", ua + "sources: []\n", 2, []string{"sources", "at least one source"}},
		{"unknown source key", src("name: a", "format: labdash-csv", "url: a.csv", "colour: blue"), 6, []string{`source "a"`, `unknown key "colour"`}},
		{"missing name", src("format: labdash-csv", "url: a.csv"), 3, []string{"sources entry 1 name", "is missing"}},
		{"missing format", src("name: a", "url: a.csv"), 3, []string{`source "a" format`, "is missing"}},
		{"missing url", src("name: a", "format: labdash-csv", "url:"), 5, []string{`source "a" url`, "is empty"}},
		{"name not simple", src("name: a/b", "format: labdash-csv", "url: a.csv"), 3, []string{"name", `"a/b" is not a simple name`}},
		{"name a list", src("name: [a]", "format: labdash-csv", "url: a.csv"), 3, []string{"name", "single value"}},
		{"duplicate names", ua + "sources:\n  - {name: a, format: labdash-csv, url: a.csv}\n  - {name: a, format: labdash-csv, url: b.csv}\n", 4,
			[]string{`source "a" name`, `"a" is already the name of the source on line 3`}},
		{"unknown format", src("name: a", "format: bls-oes", "url: a.csv"), 4,
			[]string{`source "a" format`, `"bls-oes" is not a known format`, strings.Join(format.Names(), ", ")}},
		{"ftp url", src("name: a", "format: labdash-csv", "url: ftp://host/a.csv"), 5, []string{`source "a" url`, "http://, https:// or file:///"}},
		{"relative file url", src("name: a", "format: labdash-csv", "url: file://a.csv"), 5, []string{"url", "file:/// followed by an absolute path"}},
		{"http without host", src("name: a", "format: labdash-csv", "url: https:///a.csv"), 5, []string{"url", "has no host name"}},
		{"host without scheme", src("name: a", "format: labdash-csv", "url: download.bls.gov/pub/time.series/oe/"), 5,
			[]string{"url", "without its scheme", "https://download.bls.gov/pub/time.series/oe/"}},
		{"bad soc code", src("name: a", "format: bls-oe", "url: oe/", "occupations: [\"29-2018\", \"292018\"]"), 6,
			[]string{`source "a" occupations`, `"292018" is not a SOC occupation code like 29-2018`}},
		{"soc code repeated", src("name: a", "format: bls-oe", "url: oe/", "occupations: [\"29-2018\", \"29-2018\"]"), 6, []string{"lists 29-2018 twice"}},
		{"oe without occupations", src("name: a", "format: bls-oe", "url: oe/"), 3, []string{`source "a" occupations`, "is missing", "bls-oe needs at least one"}},
		{"ep occupation without occupations", src("name: a", "format: bls-ep-occupation", "url: o.csv", "occupations: []"), 6,
			[]string{"bls-ep-occupation needs at least one"}},
		{"matrix with two", src("name: a", "format: bls-ep-matrix", "url: m.csv", "occupations: [\"29-2010\", \"31-9097\"]"), 6,
			[]string{`source "a" occupation`, "exactly one occupation", "2 are given"}},
		{"matrix with none", src("name: a", "format: bls-ep-matrix", "url: m.csv"), 3, []string{"exactly one occupation", "0 are given"}},
		{"labdash-csv with occupations", src("name: a", "format: labdash-csv", "url: a.csv", "occupation: \"29-2010\""), 6,
			[]string{`source "a" occupation`, "labdash-csv takes no occupations"}},
		{"occupation and occupations", src("name: a", "format: bls-oe", "url: oe/", "occupation: \"29-2010\"", "occupations: [\"29-2018\"]"), 6,
			[]string{"either occupation or occupations"}},
		{"bad stall_timeout", src("name: a", "format: labdash-csv", "url: a.csv", "stall_timeout: soon"), 6, []string{"stall_timeout", "positive duration"}},
		{"bad deadline", src("name: a", "format: labdash-csv", "url: a.csv", "deadline: 0s"), 6, []string{"deadline", "positive duration"}},
		{"bad max_bytes", src("name: a", "format: labdash-csv", "url: a.csv", "max_bytes: -5MB"), 6, []string{"max_bytes", "positive size"}},
		{"user_agent missing", "sources:\n  - name: a\n    format: labdash-csv\n    url: https://lab.test/a.csv\n", 4,
			[]string{"user_agent", "is missing", `source "a"`, "BLS refuses", "e-mail"}},
		{"user_agent without e-mail", "user_agent: labdash\nsources:\n  - {name: a, format: labdash-csv, url: https://lab.test/a.csv}\n", 1,
			[]string{"user_agent", `"labdash" has no e-mail address`, "BLS refuses"}},
		{"user_agent with a newline", "user_agent: \"a@b.test\\nX-Evil: 1\"\nsources:\n  - {name: a, format: labdash-csv, url: https://lab.test/a.csv}\n", 1,
			[]string{"user_agent", "control characters"}},
		{"empty schedule", ua + "schedule: \"\"\nsources:\n  - {name: a, format: labdash-csv, url: a.csv}\n", 2, []string{"schedule", "is empty", "0 6 * * *"}},
		{"zone without fields", ua + "schedule: CRON_TZ=UTC\nsources:\n  - {name: a, format: labdash-csv, url: a.csv}\n", 2, []string{"schedule", "no cron fields"}},
		{"six fields", ua + "schedule: \"0 0 6 * * *\"\nsources:\n  - {name: a, format: labdash-csv, url: a.csv}\n", 2, []string{"schedule", "not a valid cron spec"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := ParseConfig(strings.NewReader(tt.yaml), "sources.yaml")
			if err == nil {
				t.Fatal("accepted")
			}
			msg := err.Error()
			prefix := "sources.yaml: "
			if tt.line > 0 {
				prefix = "sources.yaml line " + strconv.Itoa(tt.line) + ": "
			}
			if !strings.HasPrefix(msg, prefix) {
				t.Errorf("error %q does not start with %q", msg, prefix)
			}
			for _, w := range tt.want {
				if !strings.Contains(msg, w) {
					t.Errorf("error %q lacks %q", msg, w)
				}
			}
			if strings.Count(msg, "\n") != 0 {
				t.Errorf("one problem should give one line, got %q", msg)
			}
			var ce *ConfigError
			if !errors.As(err, &ce) || ce.File != "sources.yaml" || ce.Line != tt.line {
				t.Errorf("errors.As ConfigError = %+v", ce)
			}
		})
	}
}

// TestParseConfigReportsEveryProblem: an operator fixes a file in one go.
func TestParseConfigReportsEveryProblem(t *testing.T) {
	_, err := LoadConfig(filepath.Join("testdata", "config", "many-errors.yaml"))
	if err == nil {
		t.Fatal("accepted")
	}
	lines := strings.Split(err.Error(), "\n")
	want := []string{
		`line 7: source "oews" occupations: "292018" is not a SOC`,
		`line 9: source "oews" format: "bls-xx" is not a known format`,
		`line 10: source "oews" url: "ftp://example.org/x.csv" must start with`,
		`line 8: source "oews" name: "oews" is already the name of the source on line 4`,
		`line 14: source "bad name": unknown key "colour"`,
		`line 11: source "bad name" name: "bad name" is not a simple name`,
		`line 2: user_agent: "labdash" has no e-mail address`,
	}
	if len(lines) != len(want) {
		t.Errorf("got %d problems, want %d:\n%s", len(lines), len(want), err)
	}
	for _, w := range want {
		found := false
		for _, l := range lines {
			found = found || strings.Contains(l, w)
		}
		if !found {
			t.Errorf("no problem reads %q in:\n%s", w, err)
		}
	}
	prev := 0
	for _, l := range lines {
		var line int
		if _, scanErr := fmt.Sscanf(l[strings.Index(l, " line ")+1:], "line %d:", &line); scanErr != nil || !strings.Contains(l, "many-errors.yaml line ") {
			t.Errorf("%q does not name the file and line", l)
		}
		if line < prev {
			t.Errorf("problems are not in line order:\n%s", err)
		}
		prev = line
	}
}

func TestParseByteSize(t *testing.T) {
	for in, want := range map[string]int64{"1": 1, "512B": 512, "600MB": 600e6, "2 GiB": 2 << 30, "64KiB": 64 << 10} {
		if got, err := parseByteSize(in); err != nil || got != want {
			t.Errorf("parseByteSize(%q) = %d, %v; want %d", in, got, err, want)
		}
	}
	for _, in := range []string{"", "0", "-1", "1.5GB", "lots", "99999999999GiB"} {
		if got, err := parseByteSize(in); err == nil {
			t.Errorf("parseByteSize(%q) = %d, want an error", in, got)
		}
	}
}
