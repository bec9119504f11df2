// Package fileerr names why an input file was refused. Fetching and parsing
// both refuse whole files, never half of one, and wrap one of these kinds so
// that a caller can tell them apart with errors.Is while a user reads one
// plain sentence.
package fileerr

import (
	"bytes"
	"errors"
	"fmt"
	"strings"
)

// Why a file was rejected.
var (
	ErrFileEmpty        = errors.New("the file is empty")
	ErrFileIsHTML       = errors.New("the file is an HTML page, not data")
	ErrColumnsMissing   = errors.New("the header lacks required columns")
	ErrFileTruncated    = errors.New("the file is cut off")
	ErrRowMalformed     = errors.New("a row does not have its format's layout")
	ErrCodeUnknown      = errors.New("a code is missing from its lookup file")
	ErrOccupationAbsent = errors.New("a configured occupation has no rows")
	ErrValueUnreadable  = errors.New("a value is neither a number nor a known marker")
	ErrValuesConflict   = errors.New("one figure appears twice with different values")
	ErrValueImpossible  = errors.New("a value is impossible")
	// ErrFileUnreadable is a file that is not what its format reads: a
	// corrupt, encrypted or legacy workbook, a zip without the workbook, an
	// archive that would unpack to far more than it holds.
	ErrFileUnreadable = errors.New("the file cannot be read as its format")
	// ErrPeriodUnknown is a file whose reference period cannot be told.
	ErrPeriodUnknown = errors.New("the file's reference period cannot be told")
	// ErrServiceRefused is a data service (the BLS API) that answered with
	// an error of its own.
	ErrServiceRefused = errors.New("the data service refused the request")
	// ErrOverLimit is a row, cell, field or file over one of the limits
	// listed in the README ("Limits"): sizes no real BLS file comes near.
	ErrOverLimit = errors.New("the input is over a size limit")
	// ErrNotText is text that is neither UTF-8 nor, where a format allows
	// it, Windows-1252.
	ErrNotText = errors.New("the text is not in an encoding labdash reads")
)

// InputError places a problem in one input file. Line is 0 when the problem
// is the file as a whole (an empty body, an occupation with no rows).
type InputError struct {
	File string
	Line int
	Err  error
}

func (e *InputError) Error() string {
	switch {
	case e.File == "" && e.Line == 0:
		return e.Err.Error()
	case e.File == "":
		return fmt.Sprintf("line %d: %v", e.Line, e.Err)
	case e.Line > 0:
		return fmt.Sprintf("%s line %d: %v", e.File, e.Line, e.Err)
	}
	return fmt.Sprintf("%s: %v", e.File, e.Err)
}

func (e *InputError) Unwrap() error { return e.Err }

// kindError is a sentence for the user that errors.Is matches to its kind
// (and to its cause, when it has one).
type kindError struct {
	kind  error
	msg   string
	cause error
}

func (e *kindError) Error() string        { return e.msg }
func (e *kindError) Is(target error) bool { return target == e.kind }
func (e *kindError) Unwrap() error        { return e.cause }

// As gives err, whose message is already the whole sentence, a kind.
func As(kind, err error) error {
	return &kindError{kind: kind, msg: err.Error(), cause: err}
}

// New builds an error of one kind; the message is the whole sentence shown.
func New(kind error, format string, args ...any) error {
	return &kindError{kind: kind, msg: fmt.Sprintf(format, args...)}
}

// At wraps err with its file and line, unless it already has them; an
// InputError that names a line but no file is given the file.
func At(file string, line int, err error) error {
	var ie *InputError
	if errors.As(err, &ie) {
		if ie.File == "" && file != "" && err == error(ie) {
			return &InputError{File: file, Line: ie.Line, Err: ie.Err}
		}
		return err
	}
	if err == nil || (file == "" && line == 0) {
		return err
	}
	return &InputError{File: file, Line: line, Err: err}
}

// UTF8BOM is stripped before any text is read: a CSV reader would take it as
// part of the first column's name.
var UTF8BOM = []byte{0xEF, 0xBB, 0xBF}

// LooksLikeHTML reports whether a body that should be data is an HTML page,
// as servers send for errors and log-in walls.
func LooksLikeHTML(head []byte) bool {
	t := strings.ToLower(strings.TrimSpace(string(bytes.TrimPrefix(head, UTF8BOM))))
	return strings.HasPrefix(t, "<!doctype html") || strings.HasPrefix(t, "<html") ||
		strings.HasPrefix(t, "<head") || strings.HasPrefix(t, "<?xml") || strings.HasPrefix(t, "<body")
}
