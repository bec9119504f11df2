package frictionless

import (
	"encoding/json"
	"fmt"
	"regexp"
	"sort"
	"strconv"
	"strings"
)

// The schema as read back from a descriptor: loose where the standard allows
// several forms, so that Validate reads any package, not only ours.
type (
	fieldSpec struct {
		Name          string                     `json:"name"`
		Type          string                     `json:"type"`
		Format        string                     `json:"format"`
		MissingValues *[]string                  `json:"missingValues"`
		Constraints   map[string]json.RawMessage `json:"constraints"`
		TrueValues    []string                   `json:"trueValues"`
		FalseValues   []string                   `json:"falseValues"`
		DecimalChar   *string                    `json:"decimalChar"`
		GroupChar     *string                    `json:"groupChar"`
		BareNumber    *bool                      `json:"bareNumber"`
	}
	schemaSpec struct {
		Fields        []fieldSpec     `json:"fields"`
		MissingValues *[]string       `json:"missingValues"`
		PrimaryKey    json.RawMessage `json:"primaryKey"`
		FieldsMatch   string          `json:"fieldsMatch"`
	}
)

// Broken names the ways a cell can break its field's rules; the writer ORs
// them over every row to learn which declared constraints the data keeps.
type Broken uint8

const (
	BreaksType Broken = 1 << iota
	BreaksRequired
	BreaksEnum
	BreaksPattern
	BreaksLength
	BreaksRange
)

// CompileSchemaJSON compiles a Table Schema, as JSON, into one rule per
// field, in order, exactly as Validate reads a package's schema.
func CompileSchemaJSON(raw []byte) ([]*FieldRule, error) {
	var spec schemaSpec
	if err := json.Unmarshal(raw, &spec); err != nil {
		return nil, err
	}
	rules, _, err := compileSchema(spec)
	return rules, err
}

// Name is the field's name.
func (r *FieldRule) Name() string { return r.name }

// FieldRule is a field compiled for checking cells.
type FieldRule struct {
	name      string
	typ       string
	format    string
	missing   []string
	required  bool
	unique    bool
	enum      []string // the enum's values in their physical form
	enumNum   []float64
	pattern   *regexp.Regexp
	patternS  string
	minLen    int
	maxLen    int // -1: none
	min, max  *float64
	trueVals  []string
	falseVals []string

	// memo remembers the verdict on the first values of a field with a
	// pattern or a time type: keys, periods and retrieval times repeat row
	// after row, and a map lookup is several times cheaper than a regular
	// expression or time.Parse. Bounded; a rule is used by one goroutine.
	memo map[string]Broken
}

const memoSize = 256

var (
	uuidPattern  = regexp.MustCompile(`^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$`)
	numberSyntax = regexp.MustCompile(`^[+-]?([0-9]+(\.[0-9]*)?|\.[0-9]+)([eE][+-]?[0-9]+)?$`)
	intSyntax    = regexp.MustCompile(`^[+-]?[0-9]+$`)
	yearSyntax   = regexp.MustCompile(`^-?[0-9]{4,}$`)
	ymSyntax     = regexp.MustCompile(`^-?[0-9]{4,}-(0[1-9]|1[0-2])$`)
)

// compileSchema turns a schema read from a descriptor into rules; a
// construct it cannot check is an error, never silently passed.
func compileSchema(s schemaSpec) ([]*FieldRule, []string, error) {
	if len(s.Fields) == 0 {
		return nil, nil, fmt.Errorf("the schema has no fields")
	}
	if s.FieldsMatch != "" && s.FieldsMatch != "exact" {
		return nil, nil, fmt.Errorf("the schema's fieldsMatch %q is not checked by this validator; only \"exact\" is", s.FieldsMatch)
	}
	missing := []string{""}
	if s.MissingValues != nil {
		missing = *s.MissingValues
	}
	seen := map[string]bool{}
	rules := make([]*FieldRule, 0, len(s.Fields))
	for i, f := range s.Fields {
		if f.Name == "" {
			return nil, nil, fmt.Errorf("field %d of the schema has no name", i+1)
		}
		if seen[f.Name] {
			return nil, nil, fmt.Errorf("the schema names the field %q twice", f.Name)
		}
		seen[f.Name] = true
		r, err := compileField(f, missing)
		if err != nil {
			return nil, nil, fmt.Errorf("field %q: %w", f.Name, err)
		}
		rules = append(rules, r)
	}
	pk, err := primaryKeyNames(s.PrimaryKey)
	if err != nil {
		return nil, nil, err
	}
	for _, name := range pk {
		if !seen[name] {
			return nil, nil, fmt.Errorf("the primary key names %q, which is not a field of the schema", name)
		}
	}
	return rules, pk, nil
}

// primaryKeyNames reads a primary key: an array of names, or one name (v1).
func primaryKeyNames(raw json.RawMessage) ([]string, error) {
	if len(raw) == 0 || string(raw) == "null" {
		return nil, nil
	}
	var one string
	if json.Unmarshal(raw, &one) == nil {
		return []string{one}, nil
	}
	var many []string
	if err := json.Unmarshal(raw, &many); err != nil || len(many) == 0 {
		return nil, fmt.Errorf("the schema's primaryKey must be a field name or a non-empty list of field names")
	}
	return many, nil
}

func compileField(f fieldSpec, schemaMissing []string) (*FieldRule, error) {
	r := &FieldRule{name: f.Name, typ: f.Type, format: f.Format, missing: schemaMissing, maxLen: -1,
		trueVals: []string{"true", "True", "TRUE", "1"}, falseVals: []string{"false", "False", "FALSE", "0"}}
	if r.typ == "" {
		r.typ = "any"
	}
	if r.format == "default" {
		r.format = ""
	}
	r.format = strings.TrimPrefix(r.format, "fmt:")
	if f.MissingValues != nil {
		r.missing = *f.MissingValues
	}
	if f.TrueValues != nil {
		r.trueVals = f.TrueValues
	}
	if f.FalseValues != nil {
		r.falseVals = f.FalseValues
	}
	if (f.DecimalChar != nil && *f.DecimalChar != ".") || f.GroupChar != nil || (f.BareNumber != nil && !*f.BareNumber) {
		return nil, fmt.Errorf("decimalChar, groupChar and bareNumber other than the defaults are not checked by this validator")
	}
	if err := r.checkTypeKnown(); err != nil {
		return nil, err
	}
	keys := make([]string, 0, len(f.Constraints))
	for k := range f.Constraints {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		if err := r.addConstraint(k, f.Constraints[k]); err != nil {
			return nil, err
		}
	}
	if r.pattern != nil || r.typ == "datetime" || r.typ == "date" || r.typ == "time" {
		r.memo = make(map[string]Broken, memoSize)
	}
	return r, nil
}

func (r *FieldRule) checkTypeKnown() error {
	formats := map[string][]string{
		"string":    {"", "email", "uri", "uuid", "binary"},
		"number":    {""},
		"integer":   {""},
		"boolean":   {""},
		"datetime":  {"", "any"},
		"date":      {"", "any"},
		"time":      {"", "any"},
		"year":      {""},
		"yearmonth": {""},
		"object":    {""},
		"array":     {""},
		"any":       {""},
	}
	allowed, ok := formats[r.typ]
	if !ok {
		return fmt.Errorf("the type %q is not checked by this validator", r.typ)
	}
	for _, a := range allowed {
		if r.format == a {
			return nil
		}
	}
	return fmt.Errorf("the format %q of type %s is not checked by this validator", r.format, r.typ)
}

func (r *FieldRule) addConstraint(name string, raw json.RawMessage) error {
	bad := func() error {
		return fmt.Errorf("the constraint %s has a value this validator cannot read: %s", name, raw)
	}
	switch name {
	case "required", "unique":
		var b bool
		if json.Unmarshal(raw, &b) != nil {
			return bad()
		}
		if name == "required" {
			r.required = b
		} else {
			r.unique = b
		}
	case "pattern":
		var p string
		if json.Unmarshal(raw, &p) != nil {
			return bad()
		}
		// Table Schema patterns are XML Schema regular expressions, which
		// match the whole value; anchors written out do no harm.
		re, err := regexp.Compile(`^(?:` + p + `)$`)
		if err != nil {
			return fmt.Errorf("the pattern %q is not a regular expression this validator can read: %v", p, err)
		}
		r.pattern, r.patternS = re, p
	case "enum":
		var vals []any
		if json.Unmarshal(raw, &vals) != nil || len(vals) == 0 {
			return bad()
		}
		for _, v := range vals {
			switch v := v.(type) {
			case string:
				r.enum = append(r.enum, v)
				if f, ok := r.parseNumber(v); ok {
					r.enumNum = append(r.enumNum, f)
				}
			case float64:
				r.enum = append(r.enum, strconv.FormatFloat(v, 'f', -1, 64))
				r.enumNum = append(r.enumNum, v)
			case bool:
				r.enum = append(r.enum, strconv.FormatBool(v))
			default:
				return bad()
			}
		}
	case "minLength", "maxLength":
		var n int
		if json.Unmarshal(raw, &n) != nil || n < 0 {
			return bad()
		}
		if name == "minLength" {
			r.minLen = n
		} else {
			r.maxLen = n
		}
	case "minimum", "maximum":
		if r.typ != "number" && r.typ != "integer" {
			return fmt.Errorf("the constraint %s on type %s is not checked by this validator", name, r.typ)
		}
		var f float64
		if json.Unmarshal(raw, &f) != nil {
			var s string
			ok := json.Unmarshal(raw, &s) == nil
			if f, ok = r.parseNumber(s); !ok {
				return bad()
			}
		}
		if name == "minimum" {
			r.min = &f
		} else {
			r.max = &f
		}
	default:
		return fmt.Errorf("the constraint %s is not checked by this validator", name)
	}
	return nil
}
