package frictionless

import (
	"archive/zip"
	"bufio"
	"bytes"
	"crypto/md5"
	"crypto/sha1"
	"crypto/sha256"
	"crypto/sha512"
	"encoding/csv"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"hash"
	"io"
	"strconv"
	"strings"
	"unicode/utf8"
)

// checkFile streams one resource's file through the table checks when it
// is tabular, and always through its declared size and hash.
func checkFile(rep *report, files map[string]*zip.File, f *zip.File, label string, res rawResource, tabular bool) {
	var (
		h        hash.Hash
		algo     string
		wantHash string
	)
	if res.Hash != nil {
		var err error
		if algo, wantHash, h, err = parseHash(*res.Hash); err != nil {
			rep.add("The hash of %s: %v.", label, err)
		}
	}
	rc, err := f.Open()
	if err != nil {
		rep.add("%s cannot be opened: %v.", f.Name, err)
		return
	}
	defer rc.Close()
	cr := &countingReader{r: rc, h: h}
	if tabular {
		checkTable(rep, files, cr, f.Name, label, res)
	}
	if _, err := io.Copy(io.Discard, cr); err != nil {
		rep.add("%s cannot be read to its end: %v.", f.Name, err)
		return
	}
	if res.Bytes != nil && *res.Bytes != cr.n {
		rep.add("%s declares %d bytes for %s, but the file has %d.", capitalize(label), *res.Bytes, f.Name, cr.n)
	}
	if h != nil {
		if got := hex.EncodeToString(h.Sum(nil)); got != wantHash {
			rep.add("%s declares the %s hash %s for %s, but the file's is %s: it is not the file the descriptor describes.",
				capitalize(label), algo, wantHash, f.Name, got)
		}
	}
}

// parseHash reads "sha256:hex" (or a bare MD5, the v1 default).
func parseHash(s string) (algo, want string, h hash.Hash, err error) {
	algo, want, found := strings.Cut(s, ":")
	if !found {
		algo, want = "md5", s
	}
	switch strings.ToLower(algo) {
	case "md5":
		h = md5.New()
	case "sha1":
		h = sha1.New()
	case "sha256":
		h = sha256.New()
	case "sha512":
		h = sha512.New()
	default:
		return "", "", nil, fmt.Errorf("the algorithm %q is not one this validator knows (md5, sha1, sha256, sha512)", algo)
	}
	if _, err := hex.DecodeString(want); err != nil || len(want) != 2*h.Size() {
		return "", "", nil, fmt.Errorf("%q is not a %s digest in hexadecimal", want, algo)
	}
	return algo, strings.ToLower(want), h, nil
}

type countingReader struct {
	r io.Reader
	h hash.Hash
	n int64
}

func (c *countingReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n += int64(n)
	if c.h != nil {
		c.h.Write(p[:n])
	}
	return n, err
}

// checkTable checks a CSV resource against its schema.
func checkTable(rep *report, files map[string]*zip.File, r io.Reader, file, label string, res rawResource) {
	spec, err := readSchema(files, res.Schema)
	if err != nil {
		rep.add("The schema of %s cannot be read: %v.", label, err)
		return
	}
	rules, pk, err := compileSchema(spec)
	if err != nil {
		rep.add("The schema of %s: %v.", label, err)
		return
	}
	if res.Format != "" && !strings.EqualFold(res.Format, "csv") {
		rep.add("%s has the format %q; this validator checks CSV tables only.", capitalize(label), res.Format)
		return
	}
	if enc := strings.ToLower(res.Encoding); enc != "" && enc != "utf-8" && enc != "utf8" {
		rep.add("%s has the encoding %q; this validator checks UTF-8 only.", capitalize(label), res.Encoding)
		return
	}
	br := bufio.NewReaderSize(r, 64<<10)
	if bom, _ := br.Peek(3); bytes.Equal(bom, []byte("\uFEFF")) {
		br.Discard(3)
	}
	cr, err := dialectReader(br, res.Dialect)
	if err != nil {
		rep.add("The dialect of %s: %v.", label, err)
		return
	}
	if !checkHeader(rep, cr, file, rules) {
		return
	}
	checkRows(rep, cr, file, rules, pk)
}

// readSchema reads an inline schema, or one in a JSON file in the zip.
func readSchema(files map[string]*zip.File, raw json.RawMessage) (schemaSpec, error) {
	var spec schemaSpec
	var name string
	if json.Unmarshal(raw, &name) == nil {
		if msg := unsafePath(name); msg != "" {
			return spec, fmt.Errorf("the schema path %q %s", name, msg)
		}
		f, ok := files[name]
		if !ok {
			return spec, fmt.Errorf("the schema file %q is not in the zip", name)
		}
		var err error
		if raw, err = readZipFile(f); err != nil {
			return spec, err
		}
	}
	err := json.Unmarshal(raw, &spec)
	return spec, err
}

// rawDialect is a CSV dialect as read from a descriptor.
type rawDialect struct {
	Delimiter        *string `json:"delimiter"`
	QuoteChar        *string `json:"quoteChar"`
	DoubleQuote      *bool   `json:"doubleQuote"`
	Header           *bool   `json:"header"`
	LineTerminator   *string `json:"lineTerminator"`
	EscapeChar       *string `json:"escapeChar"`
	NullSequence     *string `json:"nullSequence"`
	SkipInitialSpace *bool   `json:"skipInitialSpace"`
	CommentChar      *string `json:"commentChar"`
}

// dialectReader sets up encoding/csv for a CSV dialect, refusing what it
// cannot read faithfully.
func dialectReader(r io.Reader, d *rawDialect) (*csv.Reader, error) {
	cr := csv.NewReader(r)
	cr.FieldsPerRecord = -1 // counted here, for a sentence per row
	cr.ReuseRecord = true
	if d == nil {
		return cr, nil
	}
	oneChar := func(s string) (rune, bool) {
		c, size := utf8.DecodeRuneInString(s)
		return c, size == len(s) && c != utf8.RuneError && c != '"' && c != '\n' && c != '\r'
	}
	if d.Delimiter != nil {
		c, ok := oneChar(*d.Delimiter)
		if !ok {
			return nil, fmt.Errorf("the delimiter %q is not one character this validator can read", *d.Delimiter)
		}
		cr.Comma = c
	}
	switch {
	case d.QuoteChar != nil && *d.QuoteChar != `"`:
		return nil, fmt.Errorf("the quote character %q is not checked by this validator; only '\"' is", *d.QuoteChar)
	case d.DoubleQuote != nil && !*d.DoubleQuote, d.EscapeChar != nil:
		return nil, errors.New("quotes escaped otherwise than by doubling them are not checked by this validator")
	case d.Header != nil && !*d.Header:
		return nil, errors.New("a CSV file without a header row is not checked by this validator")
	case d.LineTerminator != nil && *d.LineTerminator != "\n" && *d.LineTerminator != "\r\n":
		return nil, fmt.Errorf("the line terminator %q is not checked by this validator", *d.LineTerminator)
	case d.NullSequence != nil:
		return nil, errors.New("nullSequence is not checked by this validator")
	}
	cr.TrimLeadingSpace = d.SkipInitialSpace != nil && *d.SkipInitialSpace
	if d.CommentChar != nil {
		c, ok := oneChar(*d.CommentChar)
		if !ok || c == cr.Comma {
			return nil, fmt.Errorf("the comment character %q is not one this validator can read", *d.CommentChar)
		}
		cr.Comment = c
	}
	return cr, nil
}

// checkHeader compares the header with the schema's fields, by name and in
// order (the default fieldsMatch, "exact").
func checkHeader(rep *report, cr *csv.Reader, file string, rules []*FieldRule) bool {
	header, err := cr.Read()
	if errors.Is(err, io.EOF) {
		rep.add("%s is empty: it has no header row.", file)
		return false
	}
	if err != nil {
		rep.add("%s cannot be read as CSV: %v.", file, err)
		return false
	}
	names := make([]string, len(rules))
	for i, r := range rules {
		names[i] = r.name
	}
	if len(header) != len(names) {
		rep.add("The header of %s has %d columns (%s), but the schema declares %d fields (%s).",
			file, len(header), strings.Join(header, ", "), len(names), strings.Join(names, ", "))
		return false
	}
	ok := true
	for i := range names {
		if header[i] != names[i] {
			rep.add("Column %d of the header of %s is %q, but the schema's field %d is %q.", i+1, file, header[i], i+1, names[i])
			ok = false
		}
	}
	return ok
}

// checkRows checks every row: its width, each cell against its field, and
// the primary key's uniqueness (kept as 128-bit digests, so a million rows
// cost tens of megabytes, not the keys themselves).
func checkRows(rep *report, cr *csv.Reader, file string, rules []*FieldRule, pk []string) {
	keys := &keySet{seen: map[[16]byte]int{}}
	for _, name := range pk {
		for j, r := range rules {
			if r.name == name {
				keys.fields = append(keys.fields, j)
			}
		}
	}
	unique := make([]map[string]int, len(rules))
	for i, r := range rules {
		if r.unique {
			unique[i] = map[string]int{}
		}
	}
	for row := 1; !rep.full(); row++ {
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			return
		}
		var pe *csv.ParseError
		if errors.As(err, &pe) {
			rep.add("Row %d (line %d of %s) cannot be read as CSV: %v.", row, pe.Line, file, pe.Err)
			return
		}
		if err != nil {
			rep.add("Row %d of %s cannot be read: %v.", row, file, err)
			return
		}
		line, _ := cr.FieldPos(0)
		at := fmt.Sprintf("Row %d (line %d of %s)", row, line, file)
		if len(rec) != len(rules) {
			rep.add("%s has %d cells, but the schema declares %d fields.", at, len(rec), len(rules))
			continue
		}
		for i, cell := range rec {
			r := rules[i]
			if !utf8.ValidString(cell) {
				rep.add("%s, field %q: the cell is not valid UTF-8.", at, r.name)
				continue
			}
			if bits, _ := r.Check(cell); bits != 0 {
				rep.add("%s, field %q: %s.", at, r.name, r.problem(bits, cell))
			}
			if unique[i] != nil && !r.isMissing(cell) {
				if first, dup := unique[i][cell]; dup {
					rep.add("%s, field %q: %q repeats row %d, but the field is unique.", at, r.name, cell, first)
				} else {
					unique[i][strings.Clone(cell)] = row
				}
			}
		}
		if len(keys.fields) > 0 {
			keys.check(rep, at, row, rec, rules)
		}
	}
}

// keySet remembers the primary keys seen, as digests of their cells.
type keySet struct {
	fields []int
	seen   map[[16]byte]int
	buf    []byte
}

func (k *keySet) check(rep *report, at string, row int, rec []string, rules []*FieldRule) {
	k.buf = k.buf[:0]
	for _, j := range k.fields {
		if rules[j].isMissing(rec[j]) {
			rep.add("%s, field %q: the cell is empty, but it is part of the primary key, which may not be empty.", at, rules[j].name)
			return
		}
		// Length-prefixed, so that no two different keys give the same bytes.
		k.buf = strconv.AppendInt(k.buf, int64(len(rec[j])), 10)
		k.buf = append(k.buf, ':')
		k.buf = append(k.buf, rec[j]...)
	}
	sum := sha256.Sum256(k.buf)
	var key [16]byte
	copy(key[:], sum[:])
	first, dup := k.seen[key]
	if !dup {
		k.seen[key] = row
		return
	}
	parts := make([]string, len(k.fields))
	for i, j := range k.fields {
		parts[i] = fmt.Sprintf("%s=%q", rules[j].name, rec[j])
	}
	rep.add("%s repeats the primary key of row %d (%s); each row's key must be unique.", at, first, strings.Join(parts, ", "))
}
