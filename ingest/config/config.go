// Package config reads and checks the sources file (sources.yaml): which
// sources to ingest, in which format, from where, and when.
package config

import (
	"errors"
	"fmt"
	"io"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/labdash/labdash/ingest/format"
	"github.com/labdash/labdash/ingest/schedule"
	"gopkg.in/yaml.v3"
)

// Config is a validated sources file (sources.yaml).
type Config struct {
	// UserAgent is sent with every download. Required, with a contact
	// e-mail address in it, when any source is fetched over HTTP(S):
	// BLS refuses scripted downloads without one.
	UserAgent string
	// Schedule is the cron spec of the scheduled ingests, already checked
	// by schedule.Parse; schedule.Default ("0 6 * * *", UTC) when the file
	// has no schedule line.
	Schedule string
	Sources  []SourceConfig
}

// SourceConfig is one source: where to fetch a file and how to read it.
type SourceConfig struct {
	Name   string // simple and unique: letters, digits, "-" and "_"
	Title  string // optional, shown to users; the parser's own title when empty
	Format string // a name format.Lookup knows
	// URL is an http(s):// address, a file:/// URL, or an absolute path;
	// a relative path in the file has been resolved against the config
	// file's directory. For bls-oe it is the directory holding the oe.*
	// files; an http(s) one is given a trailing "/" so that file names
	// resolve inside it.
	URL string
	// Occupations are the SOC codes to keep ("29-2018"); how many a
	// source needs is its format's rule (format.Format.CheckOccupations).
	Occupations []string
	// Period is the reference period of a file that does not state it
	// ("May 2024"); "" when the file does.
	Period string
	// Areas and Measures narrow a bls-api source; empty for the default.
	Areas    []string
	Measures []string
	// StallTimeout ends a download of this source when no byte arrives for
	// this long (Fetcher.StallTimeout); 0 means the fetcher's default.
	StallTimeout time.Duration
	// MaxBytes caps the size of each file of this source (Fetcher.MaxBytes);
	// 0 means the fetcher's default.
	MaxBytes int64
	// Deadline is how long reading this source may take in all, fetch and
	// parse: past it the source fails and the run goes on. 0 means
	// DefaultDeadline.
	Deadline time.Duration
}

// DefaultDeadline is a source's deadline when sources.yaml gives none: long
// enough for the largest BLS file (oe.data.0.Current, a few hundred MB) on
// a slow line, short enough that a server trickling a byte at a time
// cannot hold the ingest, and its lock, for ever.
const DefaultDeadline = 30 * time.Minute

// DeadlineOrDefault is the source's deadline.
func (s SourceConfig) DeadlineOrDefault() time.Duration {
	if s.Deadline > 0 {
		return s.Deadline
	}
	return DefaultDeadline
}

// Remote reports whether the source is downloaded over HTTP(S).
func (s SourceConfig) Remote() bool {
	return strings.HasPrefix(s.URL, "http://") || strings.HasPrefix(s.URL, "https://")
}

// LocalPath is the file-system path of a file:/// or plain-path source.
func (s SourceConfig) LocalPath() (string, bool) {
	if s.Remote() {
		return "", false
	}
	if u, err := url.Parse(s.URL); err == nil && u.Scheme == "file" {
		return filepath.FromSlash(u.Path), true
	}
	return s.URL, true
}

// FormatSource is what the source's format is told about it. The API key
// comes from the environment, never from the file.
func (s SourceConfig) FormatSource(apiKey string) format.Source {
	return format.Source{Name: s.Name, URL: s.URL, Occupations: s.Occupations, Period: s.Period,
		Areas: s.Areas, Measures: s.Measures, APIKey: apiKey}
}

// Source finds a source by name.
func (c Config) Source(name string) (SourceConfig, bool) {
	for _, s := range c.Sources {
		if s.Name == name {
			return s, true
		}
	}
	return SourceConfig{}, false
}

// Warnings are problems that do not stop labdash but should be logged:
// for now, a user_agent that still carries the example contact.
func (c Config) Warnings() []string {
	var w []string
	if m := emailAddress.FindString(c.UserAgent); m != "" && placeholderDomain.MatchString(m) {
		w = append(w, fmt.Sprintf("user_agent still carries the example contact %s; put the operator's own e-mail address there", m))
	}
	return w
}

// ConfigError is one problem in a sources file, placed by file, line and field.
type ConfigError struct {
	File  string
	Line  int    // 0 when the problem is the file as a whole
	Field string // e.g. `user_agent`, `source "oews" format`
	Msg   string
}

func (e *ConfigError) Error() string {
	var b strings.Builder
	b.WriteString(e.File)
	if e.Line > 0 {
		fmt.Fprintf(&b, " line %d", e.Line)
	}
	b.WriteString(": ")
	if e.Field != "" {
		b.WriteString(e.Field + ": ")
	}
	b.WriteString(e.Msg)
	return b.String()
}

// LoadConfig reads and validates a sources file. Relative paths in it are
// resolved against the file's own directory.
func LoadConfig(path string) (Config, error) {
	abs, err := filepath.Abs(path)
	if err != nil {
		return Config{}, fmt.Errorf("sources file %s: %w", path, err)
	}
	f, err := os.Open(abs)
	if err != nil {
		return Config{}, fmt.Errorf("reading the sources file: %w", err)
	}
	defer f.Close()
	return ParseConfig(f, abs)
}

// ParseConfig reads and validates a sources file read from r. origin names
// it in errors, and relative paths are resolved against its directory.
// Every problem found is reported, joined, each as a *ConfigError.
func ParseConfig(r io.Reader, origin string) (Config, error) {
	if origin == "" {
		origin = "sources file"
	}
	root, err := readYAMLDocument(r, origin)
	if err != nil {
		return Config{}, err
	}
	p := &configParser{file: origin, dir: filepath.Dir(origin)}
	cfg := p.config(root)
	if len(p.errs) > 0 {
		slices.SortStableFunc(p.errs, func(a, b error) int { return a.(*ConfigError).Line - b.(*ConfigError).Line })
		return Config{}, errors.Join(p.errs...)
	}
	return cfg, nil
}

// readYAMLDocument returns the top node of the one YAML document in r.
func readYAMLDocument(r io.Reader, origin string) (*yaml.Node, error) {
	dec := yaml.NewDecoder(r)
	var doc yaml.Node
	if err := dec.Decode(&doc); err != nil {
		if errors.Is(err, io.EOF) {
			return nil, &ConfigError{File: origin, Msg: "the file is empty; it needs at least a sources list"}
		}
		ce := &ConfigError{File: origin, Msg: "the file is not valid YAML: " + strings.TrimPrefix(err.Error(), "yaml: ")}
		if m := yamlErrorLine.FindStringSubmatch(err.Error()); m != nil {
			ce.Line, _ = strconv.Atoi(m[1])
			ce.Msg = "the file is not valid YAML: " + m[2]
		}
		if strings.Contains(err.Error(), "expected alphabetic or numeric character") {
			ce.Msg += "; a value starting with * (such as a cron schedule) must be in quotes"
		}
		return nil, ce
	}
	var extra yaml.Node
	if err := dec.Decode(&extra); !errors.Is(err, io.EOF) {
		return nil, &ConfigError{File: origin, Line: extra.Line,
			Msg: "the file holds more than one YAML document; keep everything in one, without a second ---"}
	}
	if len(doc.Content) == 0 {
		return nil, &ConfigError{File: origin, Msg: "the file is empty; it needs at least a sources list"}
	}
	return doc.Content[0], nil
}

var (
	topLevelKeys = []string{"user_agent", "schedule", "sources"}
	sourceKeys   = []string{"name", "title", "format", "url", "occupations", "occupation", "period", "areas", "measures",
		"stall_timeout", "max_bytes", "deadline"}
	// period is an OEWS reference period as labdash writes it.
	period = regexp.MustCompile(`^May (19|20)\d\d$`)
	// socCode is a SOC occupation code as configured: "29-2018".
	socCode = regexp.MustCompile(`^\d{2}-\d{4}$`)
	// sourceName keeps names usable in URLs, file names and log lines.
	sourceName = regexp.MustCompile(`^[A-Za-z0-9_-]{1,64}$`)
	// yamlErrorLine takes the line out of a yaml.v3 syntax error.
	yamlErrorLine = regexp.MustCompile(`^yaml: line (\d+): (.*)$`)
	// emailAddress is loose on purpose: BLS wants a contact, not RFC 5322.
	emailAddress      = regexp.MustCompile(`[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)+`)
	placeholderDomain = regexp.MustCompile(`(?i)@(example\.(org|com|net)|.*\.example)$`)
	// bareHost catches "download.bls.gov/pub/…" written without https://,
	// which would otherwise be read as a relative path.
	bareHost = regexp.MustCompile(`^(www\.[^/]+|[^/]+\.(gov|org|com|net|edu))(/|$)`)
)

// configParser collects every problem of one file.
type configParser struct {
	file       string
	dir        string
	remoteLine int     // line of the first http(s) url, for a missing user_agent
	errs       []error // all *ConfigError
}

func (p *configParser) fail(n *yaml.Node, field, format string, args ...any) {
	line := 0
	if n != nil {
		line = n.Line
	}
	p.errs = append(p.errs, &ConfigError{File: p.file, Line: line, Field: field, Msg: fmt.Sprintf(format, args...)})
}

// entry is one key: value pair of a mapping.
type entry struct{ key, value *yaml.Node }

// mapping splits a mapping node into its entries, refusing unknown and
// repeated keys. what names the mapping in errors.
func (p *configParser) mapping(n *yaml.Node, what string, known []string) map[string]entry {
	n = resolveAlias(n)
	if n.Kind != yaml.MappingNode {
		p.fail(n, what, "must be a mapping of keys to values (key: value lines)")
		return nil
	}
	out := make(map[string]entry, len(n.Content)/2)
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := n.Content[i], resolveAlias(n.Content[i+1])
		switch prev, dup := out[k.Value]; {
		case !slices.Contains(known, k.Value):
			p.fail(k, what, "unknown key %q; the known keys are %s", k.Value, strings.Join(known, ", "))
		case dup:
			p.fail(k, what, "key %q appears twice (first on line %d)", k.Value, prev.key.Line)
		default:
			out[k.Value] = entry{k, v}
		}
	}
	return out
}

// peekName is the scalar name of a source mapping, if it has one.
func peekName(n *yaml.Node) string {
	n = resolveAlias(n)
	if n.Kind != yaml.MappingNode {
		return ""
	}
	for i := 0; i+1 < len(n.Content); i += 2 {
		if v := resolveAlias(n.Content[i+1]); n.Content[i].Value == "name" && v.Kind == yaml.ScalarNode {
			return strings.TrimSpace(v.Value)
		}
	}
	return ""
}

func resolveAlias(n *yaml.Node) *yaml.Node {
	for i := 0; i < 8 && n.Kind == yaml.AliasNode && n.Alias != nil; i++ {
		n = n.Alias
	}
	return n
}

// scalar is a single value; a null (`key:` or `~`) is "".
func (p *configParser) scalar(e entry, field string) string {
	if e.value == nil {
		return ""
	}
	if e.value.Kind != yaml.ScalarNode {
		p.fail(e.value, field, "must be a single value, not a list or mapping")
		return ""
	}
	if e.value.Tag == "!!null" {
		return ""
	}
	return strings.TrimSpace(e.value.Value)
}

// list is a sequence of single values, or one value as a one-element list.
func (p *configParser) list(e entry, field string) []string {
	n := e.value
	if n.Kind == yaml.ScalarNode {
		if v := p.scalar(e, field); v != "" {
			return []string{v}
		}
		return nil
	}
	if n.Kind != yaml.SequenceNode {
		p.fail(n, field, "must be a list such as [\"29-2018\", \"31-9097\"]")
		return nil
	}
	out := make([]string, 0, len(n.Content))
	for _, item := range n.Content {
		if v := p.scalar(entry{value: resolveAlias(item)}, field); v != "" {
			out = append(out, v)
		}
	}
	return out
}

func (p *configParser) config(root *yaml.Node) Config {
	top := p.mapping(root, "top level", topLevelKeys)
	if top == nil {
		return Config{}
	}
	cfg := Config{Schedule: schedule.Default}
	ua, hasUA := top["user_agent"]
	if hasUA {
		cfg.UserAgent = p.scalar(ua, "user_agent")
	}
	if e, ok := top["schedule"]; ok && e.value.Tag != "!!null" {
		cfg.Schedule = p.scalar(e, "schedule")
		if cfg.Schedule == "" {
			p.fail(e.key, "schedule", "is empty; remove the line to use the default %q (06:00 UTC daily) or write a cron spec", schedule.Default)
		} else if _, err := schedule.Parse(cfg.Schedule); err != nil {
			p.fail(e.value, "schedule", "%v", err)
		}
	}
	e, ok := top["sources"]
	if !ok {
		p.fail(root, "sources", "is missing; list at least one source to ingest")
		return cfg
	}
	cfg.Sources = p.sources(e)
	p.checkUserAgent(cfg, ua, hasUA)
	return cfg
}

func (p *configParser) sources(e entry) []SourceConfig {
	if e.value.Kind != yaml.SequenceNode || len(e.value.Content) == 0 {
		p.fail(e.key, "sources", "must be a list with at least one source (lines starting with \"- name:\")")
		return nil
	}
	var out []SourceConfig
	firstLine := map[string]int{}
	for i, n := range e.value.Content {
		s, nameNode := p.source(n, i)
		if s.Name != "" {
			if line, dup := firstLine[s.Name]; dup {
				p.fail(nameNode, fmt.Sprintf("source %q name", s.Name), "%q is already the name of the source on line %d; source names must be unique", s.Name, line)
			} else {
				firstLine[s.Name] = nameNode.Line
			}
		}
		out = append(out, s)
	}
	return out
}

// source reads and checks one entry of the sources list.
func (p *configParser) source(n *yaml.Node, index int) (SourceConfig, *yaml.Node) {
	// Name the source in every message about it, even those found before
	// its name is checked.
	label := fmt.Sprintf("sources entry %d", index+1)
	if name := peekName(n); name != "" {
		label = fmt.Sprintf("source %q", name)
	}
	m := p.mapping(n, label, sourceKeys)
	if m == nil {
		return SourceConfig{}, n
	}
	var s SourceConfig
	field := func(key string) string { return label + " " + key }
	required := func(key string) (string, *yaml.Node) {
		e, ok := m[key]
		if !ok {
			p.fail(n, field(key), "is missing; every source needs name, format and url")
			return "", n
		}
		v := p.scalar(e, field(key))
		if v == "" && e.value.Kind == yaml.ScalarNode {
			p.fail(e.key, field(key), "is empty; every source needs name, format and url")
		}
		return v, e.value
	}
	name, nameNode := required("name")
	if name != "" && !sourceName.MatchString(name) {
		p.fail(nameNode, field("name"), "%q is not a simple name; use up to 64 letters, digits, - and _ (such as ep-clinical-lab)", name)
	}
	s.Name = name
	if e, ok := m["title"]; ok {
		s.Title = p.scalar(e, field("title"))
	}
	name, formatNode := required("format")
	f, known := format.Lookup(name)
	if name != "" && !known {
		p.fail(formatNode, field("format"), "%q is not a known format; use one of %s", name, strings.Join(format.Names(), ", "))
	}
	if known {
		s.Format = name
	}
	if u, urlNode := required("url"); u != "" {
		s.URL = p.location(u, urlNode, field("url"), s.Format)
	}
	s.Occupations = p.occupations(m, n, f, field)
	s.Period = p.period(m, field("period"))
	if e, ok := m["areas"]; ok {
		s.Areas = p.list(e, field("areas"))
	}
	if e, ok := m["measures"]; ok {
		s.Measures = p.list(e, field("measures"))
	}
	s.StallTimeout = p.duration(m, "stall_timeout", field("stall_timeout"))
	s.Deadline = p.duration(m, "deadline", field("deadline"))
	s.MaxBytes = p.maxBytes(m, field("max_bytes"))
	return s, nameNode
}

// location checks a url value and resolves a relative path.
func (p *configParser) location(raw string, n *yaml.Node, field, format string) string {
	dirURL := format == "bls-oe" // the directory holding oe.series, oe.data.*, …
	if strings.Contains(raw, "://") {
		u, err := url.Parse(raw)
		switch {
		case err != nil:
			p.fail(n, field, "%q is not a valid URL", raw)
		case (u.Scheme == "http" || u.Scheme == "https") && u.Host != "":
			if dirURL && !strings.HasSuffix(u.Path, "/") && u.RawQuery == "" && u.Fragment == "" {
				raw += "/"
			}
			if p.remoteLine == 0 {
				p.remoteLine = n.Line
			}
			return raw
		case u.Scheme == "http" || u.Scheme == "https":
			p.fail(n, field, "%q has no host name; write it as https://host/path", raw)
		case u.Scheme == "file" && (u.Host == "" || u.Host == "localhost") && strings.HasPrefix(u.Path, "/"):
			return raw
		case u.Scheme == "file":
			p.fail(n, field, "%q must be file:/// followed by an absolute path, such as file:///srv/labdash/extra.csv", raw)
		default:
			p.fail(n, field, "%q must start with http://, https:// or file:///, or be a plain file path", raw)
		}
		return ""
	}
	if bareHost.MatchString(raw) {
		p.fail(n, field, "%q looks like a web address without its scheme; write it as https://%s", raw, raw)
		return ""
	}
	if !filepath.IsAbs(raw) {
		raw = filepath.Join(p.dir, raw)
	}
	return raw
}

// occupations reads "occupations" (or "occupation", a one-element list) and
// checks them by the format's rule.
func (p *configParser) occupations(m map[string]entry, src *yaml.Node, f format.Format, field func(string) string) []string {
	e, many := m["occupations"]
	one, single := m["occupation"]
	key := "occupations"
	switch {
	case many && single:
		p.fail(one.key, field("occupation"), "give either occupation or occupations, not both")
		return nil
	case single:
		e, key = one, "occupation"
	}
	var codes []string
	at := src
	if e.value != nil {
		codes, at = p.list(e, field(key)), e.value
	}
	seen := map[string]bool{}
	for _, c := range codes {
		switch {
		case !socCode.MatchString(c):
			p.fail(at, field(key), "%q is not a SOC occupation code like 29-2018", c)
		case seen[c]:
			p.fail(at, field(key), "lists %s twice", c)
		}
		seen[c] = true
	}
	if f == nil {
		return codes
	}
	if err := f.CheckOccupations(codes); err != nil {
		if len(codes) == 0 && e.value == nil {
			p.fail(at, field(key), "is missing; %v", err)
		} else {
			p.fail(at, field(key), "%v", err)
		}
	}
	return codes
}

// period reads an optional reference period ("May 2024").
func (p *configParser) period(m map[string]entry, field string) string {
	e, ok := m["period"]
	if !ok {
		return ""
	}
	v := p.scalar(e, field)
	if !period.MatchString(v) {
		p.fail(e.value, field, "%q is not a reference period such as \"May 2024\"", v)
		return ""
	}
	return v
}

func (p *configParser) duration(m map[string]entry, key, field string) time.Duration {
	e, ok := m[key]
	if !ok {
		return 0
	}
	v := p.scalar(e, field)
	d, err := time.ParseDuration(v)
	if err != nil || d <= 0 {
		p.fail(e.value, field, "%q is not a positive duration such as 2m or 90s", v)
		return 0
	}
	return d
}

// maxBytes reads a byte count, with an optional KB/MB/GB (powers of 1000) or
// KiB/MiB/GiB (powers of 1024) suffix.
func (p *configParser) maxBytes(m map[string]entry, field string) int64 {
	e, ok := m["max_bytes"]
	if !ok {
		return 0
	}
	v := p.scalar(e, field)
	n, err := parseByteSize(v)
	if err != nil {
		p.fail(e.value, field, "%q is not a positive size such as 600MB or 1GiB", v)
		return 0
	}
	return n
}

func parseByteSize(s string) (int64, error) {
	units := []struct {
		suffix string
		scale  int64
	}{{"KiB", 1 << 10}, {"MiB", 1 << 20}, {"GiB", 1 << 30}, {"KB", 1e3}, {"MB", 1e6}, {"GB", 1e9}, {"B", 1}}
	scale := int64(1)
	for _, u := range units {
		if strings.HasSuffix(s, u.suffix) {
			s, scale = strings.TrimSpace(strings.TrimSuffix(s, u.suffix)), u.scale
			break
		}
	}
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil || n <= 0 || n > (1<<62)/scale {
		return 0, errors.New("not a positive size")
	}
	return n * scale, nil
}

// checkUserAgent requires a contact e-mail address in user_agent as soon as
// one source is downloaded over HTTP(S).
func (p *configParser) checkUserAgent(cfg Config, ua entry, hasUA bool) {
	if strings.ContainsFunc(cfg.UserAgent, func(r rune) bool { return r < ' ' || r == 0x7f }) {
		p.fail(ua.value, "user_agent", "must be one line of plain text, without control characters")
		return
	}
	var remote *SourceConfig
	for i := range cfg.Sources {
		if cfg.Sources[i].Remote() {
			remote = &cfg.Sources[i]
			break
		}
	}
	switch {
	case remote == nil:
	case !hasUA || cfg.UserAgent == "":
		at := ua.key
		if at == nil {
			at = &yaml.Node{Line: p.remoteLine}
		}
		p.fail(at, "user_agent", "is missing, but source %q downloads from %s; BLS refuses scripted downloads "+
			"without a contact e-mail address in the User-Agent, so add a line such as user_agent: \"labdash (you@your-org.example)\"",
			remote.Name, remote.URL)
	case !emailAddress.MatchString(cfg.UserAgent):
		p.fail(ua.value, "user_agent", "%q has no e-mail address; BLS refuses scripted downloads without a contact "+
			"e-mail address in the User-Agent, so write one such as \"labdash (you@your-org.example)\"", cfg.UserAgent)
	}
}
