package data

import (
	"errors"
	"fmt"
	"unicode/utf8"
)

// Limits on each text field of an observation, in characters. Real BLS text
// is far shorter: the longest title in the built-in data is 182 characters
// (a source title), the longest footnote in a BLS workbook 568. Every limit is at most
// maxServedText, so a stored field is always served whole. README, "Limits",
// lists them with the ingest's own.
const (
	MaxTitleChars = 1000 // occupation, area, industry and source titles
	MaxTextChars  = 1000 // the value of a text measure ("Bachelor's degree")
	MaxNotesChars = 4096
	MaxURLChars   = 2048
	// MaxCodeChars bounds the short fields: codes, measure, period, unit,
	// flag, tier, source name and file hash.
	MaxCodeChars = 100
)

// Why a text field is refused; a *FieldError matches one of them with errors.Is.
var (
	ErrTextTooLong = errors.New("a text field is longer than its limit")
	ErrTextNotUTF8 = errors.New("a text field is not valid UTF-8")
)

// FieldError is one text field of an observation that cannot be stored.
// Its message names the field (as the CSV export names its column) and the
// limit, never the field's content, which may be megabytes.
type FieldError struct {
	Field string // "occupation_title"
	Chars int    // its length in characters, when too long
	Limit int
	// Offset is the byte offset of the first byte that is not UTF-8, and
	// Byte that byte, when the field is not valid UTF-8.
	Offset int
	Byte   byte
	kind   error
}

func (e *FieldError) Error() string {
	if e.kind == ErrTextNotUTF8 {
		return fmt.Sprintf("%s is not valid UTF-8 text (byte 0x%02X at byte %d of the field starts no UTF-8 character)",
			e.Field, e.Byte, e.Offset+1)
	}
	return fmt.Sprintf("%s is %s characters long; labdash stores at most %s characters there",
		e.Field, GroupThousands(float64(e.Chars), 0), GroupThousands(float64(e.Limit), 0))
}

func (e *FieldError) Is(target error) bool { return target == e.kind }

// CheckFields refuses a text field that is not valid UTF-8 or is over its
// limit. Check runs it before anything else looks at the fields, so that no
// message quotes a field of megabytes.
func (o Observation) CheckFields() error {
	fields := []struct {
		name  string
		value string
		limit int
	}{
		{"occupation_code", o.OccupationCode, MaxCodeChars},
		{"occupation_title", o.OccupationTitle, MaxTitleChars},
		{"area_code", o.AreaCode, MaxCodeChars},
		{"area_title", o.AreaTitle, MaxTitleChars},
		{"industry_code", o.IndustryCode, MaxCodeChars},
		{"industry_title", o.IndustryTitle, MaxTitleChars},
		{"measure", string(o.Measure), MaxCodeChars},
		{"period", o.Period, MaxCodeChars},
		{"value", o.Text, MaxTextChars},
		{"unit", string(o.Unit), MaxCodeChars},
		{"flag", string(o.Flag), MaxCodeChars},
		{"tier", string(o.Tier), MaxCodeChars},
		{"source_name", o.SourceName, MaxCodeChars},
		{"source_title", o.SourceTitle, MaxTitleChars},
		{"source_url", o.SourceURL, MaxURLChars},
		{"file_hash", o.FileHash, MaxCodeChars},
		{"notes", o.Notes, MaxNotesChars},
	}
	for _, f := range fields {
		if err := CheckText(f.name, f.value, f.limit); err != nil {
			return err
		}
	}
	return nil
}

// CheckText checks one text field: valid UTF-8 and at most limit
// characters. Its length is counted only when its bytes exceed the limit:
// fewer bytes than the limit are fewer characters.
func CheckText(name, s string, limit int) error {
	if !utf8.ValidString(s) {
		at := firstInvalidUTF8(s)
		return &FieldError{Field: name, Offset: at, Byte: s[at], kind: ErrTextNotUTF8}
	}
	if len(s) > limit {
		if n := utf8.RuneCountInString(s); n > limit {
			return &FieldError{Field: name, Chars: n, Limit: limit, kind: ErrTextTooLong}
		}
	}
	return nil
}

// firstInvalidUTF8 is the byte offset of the first byte of s that starts no
// valid UTF-8 character; s must hold one.
func firstInvalidUTF8(s string) int {
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 {
			return i
		}
		i += size
	}
	return 0
}
