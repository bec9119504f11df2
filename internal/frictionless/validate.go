// Package frictionless checks Frictionless Data Packages: Validate reads a
// package zip as a consumer would and reports, one sentence each, what breaks
// the rules its datapackage.json declares; CompileSchema turns a Table Schema
// into per-field rules. labdash's tests validate every package the
// datapackage writer makes with it, and the writer checks its own rows with
// the same rules, so that it declares only constraints its data keeps. No
// labdash command or page validates packages.
package frictionless

import (
	"archive/zip"
	"encoding/json"
	"fmt"
	"io"
	"path"
	"regexp"
	"strings"
	"time"
)

// descriptorName is the descriptor's name at the top of a package zip.
const descriptorName = "datapackage.json"

// maxProblems bounds a validation report: past it, reading stops.
const maxProblems = 20

// maxDescriptorBytes bounds what is read of a JSON file in the zip.
const maxDescriptorBytes = 16 << 20

// ValidationError lists what is wrong with a package, one sentence each.
type ValidationError struct {
	Problems []string
	Stopped  bool // reading stopped at maxProblems
}

func (e *ValidationError) Error() string {
	if len(e.Problems) == 1 {
		return e.Problems[0]
	}
	s := fmt.Sprintf("the data package has %d problems:\n%s", len(e.Problems), strings.Join(e.Problems, "\n"))
	if e.Stopped {
		s += fmt.Sprintf("\n(checking stopped after %d problems)", maxProblems)
	}
	return s
}

// report gathers problems up to maxProblems.
type report struct{ ValidationError }

func (r *report) add(format string, args ...any) {
	if len(r.Problems) >= maxProblems {
		r.Stopped = true
		return
	}
	r.Problems = append(r.Problems, fmt.Sprintf(format, args...))
}

func (r *report) full() bool { return len(r.Problems) >= maxProblems }

func (r *report) err() error {
	if len(r.Problems) == 0 {
		return nil
	}
	return &r.ValidationError
}

// The descriptor as read for validation: loose types where the standard
// allows several forms.
type (
	rawDescriptor struct {
		Profile      string           `json:"profile"`
		Name         *string          `json:"name"`
		Created      *string          `json:"created"`
		Licenses     []map[string]any `json:"licenses"`
		Sources      []map[string]any `json:"sources"`
		Contributors []map[string]any `json:"contributors"`
		Resources    *[]rawResource   `json:"resources"`
	}
	rawResource struct {
		Profile  string          `json:"profile"`
		Name     *string         `json:"name"`
		Path     json.RawMessage `json:"path"`
		Data     json.RawMessage `json:"data"`
		Format   string          `json:"format"`
		Encoding string          `json:"encoding"`
		Bytes    *int64          `json:"bytes"`
		Hash     *string         `json:"hash"`
		Dialect  *rawDialect     `json:"dialect"`
		Schema   json.RawMessage `json:"schema"`
	}
)

// namePattern is the Data Package rule for package and resource names.
var namePattern = regexp.MustCompile(`^[a-z0-9._-]+$`)

// Validate checks a data package zip against the Frictionless rules its
// datapackage.json declares: the descriptor's required properties, that
// each resource's file is in the zip with the declared size and hash, and,
// for tabular resources, that the CSV's header names the schema's fields in
// order and that every row has one cell per field whose value keeps the
// field's type, missingValues, required, enum, pattern, length and range
// rules, with the primary key unique. The error is a *ValidationError whose
// sentences name the file, row, line and field.
func Validate(r io.ReaderAt, size int64) error {
	zr, err := zip.NewReader(r, size)
	if err != nil {
		return &ValidationError{Problems: []string{fmt.Sprintf("The file is not a zip archive (%v).", err)}}
	}
	files := make(map[string]*zip.File, len(zr.File))
	for _, f := range zr.File {
		files[f.Name] = f
	}
	var rep report
	df, ok := files[descriptorName]
	if !ok {
		rep.add("The zip has no %s at its top level, so it is not a data package.", descriptorName)
		return rep.err()
	}
	raw, err := readZipFile(df)
	if err != nil {
		rep.add("%s cannot be read: %v.", descriptorName, err)
		return rep.err()
	}
	var desc rawDescriptor
	if err := json.Unmarshal(raw, &desc); err != nil {
		rep.add("%s is not a data package descriptor: %v.", descriptorName, err)
		return rep.err()
	}
	checkDescriptor(&rep, desc)
	if desc.Resources != nil {
		for i, res := range *desc.Resources {
			if rep.full() {
				break
			}
			checkResource(&rep, files, desc.Profile, i, res)
		}
	}
	return rep.err()
}

func readZipFile(f *zip.File) ([]byte, error) {
	rc, err := f.Open()
	if err != nil {
		return nil, err
	}
	defer rc.Close()
	b, err := io.ReadAll(io.LimitReader(rc, maxDescriptorBytes+1))
	if err == nil && len(b) > maxDescriptorBytes {
		err = fmt.Errorf("it is larger than %d MB", maxDescriptorBytes>>20)
	}
	return b, err
}

// checkDescriptor checks the package-level properties.
func checkDescriptor(rep *report, d rawDescriptor) {
	if d.Resources == nil || len(*d.Resources) == 0 {
		rep.add("%s has no resources; a data package must list at least one.", descriptorName)
	}
	if d.Name != nil && !namePattern.MatchString(*d.Name) {
		rep.add("The package name %q must be lower-case letters, digits, '.', '_' or '-'.", *d.Name)
	}
	if d.Created != nil {
		if _, err := time.Parse(time.RFC3339Nano, *d.Created); err != nil {
			rep.add("The package's created time %q is not an RFC 3339 date and time such as 2025-05-01T12:00:00Z.", *d.Created)
		}
	}
	for i, l := range d.Licenses {
		if !hasString(l, "name") && !hasString(l, "path") {
			rep.add("Licence %d of %s has neither a name nor a path; it needs one of them.", i+1, descriptorName)
		}
	}
	for i, s := range d.Sources {
		if !hasString(s, "title") && !hasString(s, "path") {
			rep.add("Source %d of %s has neither a title nor a path; it needs one of them.", i+1, descriptorName)
		}
	}
	for i, c := range d.Contributors {
		if !hasString(c, "title") && !hasString(c, "givenName") && !hasString(c, "familyName") && !hasString(c, "organization") {
			rep.add("Contributor %d of %s has no title; it needs one.", i+1, descriptorName)
		}
	}
	if d.Resources == nil {
		return
	}
	seen := map[string]bool{}
	for i, res := range *d.Resources {
		if res.Name == nil || *res.Name == "" {
			rep.add("Resource %d of %s has no name; every resource needs one.", i+1, descriptorName)
			continue
		}
		if !namePattern.MatchString(*res.Name) {
			rep.add("The resource name %q must be lower-case letters, digits, '.', '_' or '-'.", *res.Name)
		}
		if seen[*res.Name] {
			rep.add("Two resources are named %q; resource names must be unique.", *res.Name)
		}
		seen[*res.Name] = true
	}
}

func hasString(m map[string]any, key string) bool {
	s, ok := m[key].(string)
	return ok && s != ""
}

// checkResource finds a resource's file and, when it is tabular, checks
// the table; for any file it checks the declared size and hash.
func checkResource(rep *report, files map[string]*zip.File, pkgProfile string, i int, res rawResource) {
	label := fmt.Sprintf("resource %d", i+1)
	if res.Name != nil && *res.Name != "" {
		label = fmt.Sprintf("the resource %q", *res.Name)
	}
	hasPath, hasData := len(res.Path) > 0 && string(res.Path) != "null", len(res.Data) > 0 && string(res.Data) != "null"
	switch {
	case hasPath == hasData:
		rep.add("%s must have either a path or inline data, not both or neither.", capitalize(label))
		return
	case hasData:
		return // inline data: nothing in the zip to check
	}
	var p string
	if err := json.Unmarshal(res.Path, &p); err != nil {
		rep.add("The path of %s is not a single file name; this validator reads single-file resources only.", label)
		return
	}
	if msg := unsafePath(p); msg != "" {
		rep.add("The path %q of %s %s.", p, label, msg)
		return
	}
	f, ok := files[p]
	if !ok {
		rep.add("The path %q of %s names a file that is not in the zip.", p, label)
		return
	}
	tabular := res.Profile == "tabular-data-resource" || pkgProfile == "tabular-data-package" || len(res.Schema) > 0
	if pkgProfile == "tabular-data-package" && res.Profile != "" && res.Profile != "tabular-data-resource" {
		rep.add("In a tabular data package every resource must be a tabular-data-resource; %s is %q.", label, res.Profile)
	}
	if tabular && len(res.Schema) == 0 {
		rep.add("%s is tabular but has no schema.", capitalize(label))
		tabular = false
	}
	checkFile(rep, files, f, label, res, tabular)
}

// unsafePath explains why a resource path may not be used, or returns "".
func unsafePath(p string) string {
	switch {
	case strings.HasPrefix(p, "http://") || strings.HasPrefix(p, "https://"):
		return "is a URL; this validator checks only files inside the package"
	case p == "" || strings.HasPrefix(p, "/") || strings.HasPrefix(p, "~") || strings.Contains(p, "\\"):
		return "must be a relative path inside the package"
	case path.Clean(p) != p || strings.HasPrefix(p, "../") || p == "..":
		return "must not contain \"..\" or redundant parts"
	}
	return ""
}

// capitalize starts a sentence with a capital letter.
func capitalize(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}
