package datapackage

import (
	"encoding/json"
	"fmt"
	"sort"
	"strings"

	"github.com/labdash/labdash/data"
	"github.com/labdash/labdash/internal/frictionless"
	"github.com/labdash/labdash/obscsv"
)

// maxSourceNames bounds the distinct source names remembered for the
// descriptor's sources, so memory never grows with the snapshot.
const maxSourceNames = 50

// tally learns, while the CSV streams, what the descriptor and README say
// about it: how many rows, tiers and flags, which sources, and which of the
// declared constraints every row keeps. It holds no rows.
type tally struct {
	schema  Schema
	rules   []*frictionless.FieldRule
	broken  []frictionless.Broken // per field: the rules some row broke
	anyNull []bool                // per field: some row had a missing value
	cells   []string

	rows          int
	tiers, flags  map[string]int
	sourceNames   map[string]int
	sourcesCapped bool
}

// newTally compiles the schema exactly as a reader of datapackage.json
// would, from its JSON, so the writer checks rows by the rules it declares.
func newTally(s Schema) (*tally, error) {
	raw, err := json.Marshal(s)
	if err != nil {
		return nil, err
	}
	rules, err := frictionless.CompileSchemaJSON(raw)
	if err != nil {
		return nil, fmt.Errorf("datapackage: the observations schema: %w", err)
	}
	return &tally{schema: s, rules: rules, broken: make([]frictionless.Broken, len(rules)), anyNull: make([]bool, len(rules)),
		cells: make([]string, len(rules)), tiers: map[string]int{}, flags: map[string]int{}, sourceNames: map[string]int{}}, nil
}

// add checks one row as obscsv writes it.
func (t *tally) add(o data.Observation) {
	r := obscsv.FromObservation(o)
	rowCells(&r, t.cells)
	for i, rule := range t.rules {
		bits, null := rule.Check(t.cells[i])
		t.broken[i] |= bits
		t.anyNull[i] = t.anyNull[i] || null
	}
	t.rows++
	t.count(t.tiers, r.Tier, 16)
	t.count(t.flags, r.Flag, 16)
	if _, ok := t.sourceNames[o.SourceName]; ok || len(t.sourceNames) < maxSourceNames {
		t.sourceNames[o.SourceName]++
	} else {
		t.sourcesCapped = true
	}
}

// count adds to a small tally, lumping values past its bound together.
func (t *tally) count(m map[string]int, k string, bound int) {
	if _, ok := m[k]; !ok && len(m) >= bound {
		k = "other"
	}
	m[k]++
}

// rowCells puts a row's cells in column order; TestRowCellsFollowColumns
// keeps it in step with obscsv.Row.
func rowCells(r *obscsv.Row, cells []string) {
	cells[0], cells[1], cells[2], cells[3] = r.OccupationCode, r.OccupationTitle, r.AreaCode, r.AreaTitle
	cells[4], cells[5], cells[6], cells[7] = r.IndustryCode, r.IndustryTitle, r.Measure, r.Period
	cells[8], cells[9], cells[10], cells[11] = r.Value, r.Unit, r.Flag, r.Tier
	cells[12], cells[13], cells[14], cells[15], cells[16] = r.SourceURL, r.SourceTitle, r.SourceName, r.RetrievedAt, r.Notes
}

// keptSchema is the schema with every constraint some row broke left out,
// so the package always validates against what it declares: the store
// guarantees most of them, but not, say, that a hand-made labdash-csv
// source used SOC codes. dropped says what was left out, for the README.
func (t *tally) keptSchema() Schema {
	s := t.schema
	s.Fields = append([]Field(nil), t.schema.Fields...)
	for i := range s.Fields {
		f := &s.Fields[i]
		bits := t.broken[i]
		if bits&frictionless.BreaksType != 0 {
			f.Type, f.Format = "string", ""
		}
		if f.Constraints == nil || bits == 0 {
			continue
		}
		c := *f.Constraints
		if bits&frictionless.BreaksRequired != 0 {
			c.Required = false
		}
		if bits&frictionless.BreaksEnum != 0 {
			c.Enum = nil
		}
		if bits&frictionless.BreaksPattern != 0 {
			c.Pattern = ""
		}
		f.Constraints = &c
		if !c.Required && c.Enum == nil && c.Pattern == "" {
			f.Constraints = nil
		}
	}
	// A primary key's fields may not be null; the store requires them, but
	// declare the key only when every row shows it.
	for _, name := range s.PrimaryKey {
		if i := t.fieldIndex(name); i < 0 || t.anyNull[i] {
			s.PrimaryKey = nil
			break
		}
	}
	return s
}

// dropped names the declared constraints some row broke, for the README.
func (t *tally) dropped() []string {
	var out []string
	for i, bits := range t.broken {
		for _, k := range []struct {
			bit  frictionless.Broken
			what string
		}{{frictionless.BreaksType, "type"}, {frictionless.BreaksRequired, "required"}, {frictionless.BreaksEnum, "enum"}, {frictionless.BreaksPattern, "pattern"}} {
			if bits&k.bit != 0 {
				out = append(out, fmt.Sprintf("the %s of %s", k.what, t.rules[i].Name()))
			}
		}
	}
	if len(t.keptSchema().PrimaryKey) == 0 {
		out = append(out, "the primary key")
	}
	return out
}

func (t *tally) fieldIndex(name string) int {
	for i, r := range t.rules {
		if r.Name() == name {
			return i
		}
	}
	return -1
}

// sources lists the BLS programs, the sources that delivered this
// snapshot's new figures, and any other labdash source the rows of the
// tallies name.
func sources(snap data.Snapshot, tallies ...*tally) []Source {
	t := merged(tallies...)
	out := append([]Source(nil), blsPrograms...)
	listed := map[string]bool{}
	for _, si := range snap.Sources {
		s := Source{Title: fmt.Sprintf("labdash source %q (%s), read %s: the figures new in snapshot %d",
			si.Name, si.Format, si.RetrievedAt.UTC().Format("2006-01-02T15:04:05Z"), snap.ID)}
		if strings.HasPrefix(si.URL, "https://") || strings.HasPrefix(si.URL, "http://") {
			s.Path = si.URL
		}
		out = append(out, s)
		listed[si.Name] = true
	}
	names := make([]string, 0, len(t.sourceNames))
	for n := range t.sourceNames {
		if !listed[n] && n != "" {
			names = append(names, n)
		}
	}
	sort.Strings(names)
	for _, n := range names {
		out = append(out, Source{Title: fmt.Sprintf("labdash source %q: figures carried over from earlier snapshots", n)})
	}
	if t.sourcesCapped {
		out = append(out, Source{Title: "further labdash sources: see the source_name, source_title and source_url columns"})
	}
	return out
}

// countLine is one entry of a tally.
type countLine struct {
	key string
	n   int
}

// sortedCounts lists a tally: the keys of order first, in that order, then
// any others alphabetically.
func sortedCounts(m map[string]int, order []string) []countLine {
	var out []countLine
	seen := map[string]bool{}
	for _, k := range order {
		if n, ok := m[k]; ok {
			out = append(out, countLine{k, n})
			seen[k] = true
		}
	}
	var rest []string
	for k := range m {
		if !seen[k] {
			rest = append(rest, k)
		}
	}
	sort.Strings(rest)
	for _, k := range rest {
		out = append(out, countLine{k, m[k]})
	}
	return out
}

// merged sums tallies' counts for what the README and descriptor say of the
// whole package: rows, tiers, flags and source names.
func merged(tallies ...*tally) *tally {
	out := &tally{tiers: map[string]int{}, flags: map[string]int{}, sourceNames: map[string]int{}}
	for _, t := range tallies {
		out.rows += t.rows
		for k, n := range t.tiers {
			out.tiers[k] += n
		}
		for k, n := range t.flags {
			out.flags[k] += n
		}
		for k, n := range t.sourceNames {
			out.sourceNames[k] += n
		}
		out.sourcesCapped = out.sourcesCapped || t.sourcesCapped
	}
	return out
}
