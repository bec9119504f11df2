package format

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"unicode/utf8"

	"golang.org/x/text/encoding/charmap"
	"golang.org/x/text/transform"

	"github.com/labdash/labdash/ingest/fileerr"
)

// Text is UTF-8, except in the CSV files people save from Excel (an OEWS
// data sheet or an EP table): Excel's plain "CSV" writes Windows-1252 on
// Windows. Those formats (bls-oews, bls-ep-occupation, bls-ep-education and
// bls-ep-matrix read as CSV) look at the whole file first:
//
//   - every byte sequence valid UTF-8: UTF-8;
//   - bytes that are not UTF-8, no UTF-8 character of more than one byte,
//     no byte Windows-1252 leaves undefined: Windows-1252, decoded whole;
//   - anything else (UTF-8 mixed with other bytes, a UTF-16 file, a byte
//     undefined in Windows-1252): refused, with the line.
//
// Deciding per file, not per cell, keeps one file's text in one encoding:
// "Ã©" in a Windows-1252 file stays "Ã©" and is not read as the UTF-8 "é".
// Every other format is UTF-8 only; a field that is not is refused when the
// figure is checked (data.Observation.Check).

// windows1252Note is what the run says of a file read as Windows-1252.
const windows1252Note = "the file is not UTF-8; it was read as Windows-1252, the encoding of a plain CSV saved by Excel"

// textEncoding is what a file's bytes were found to be.
type textEncoding int

const (
	encUTF8 textEncoding = iota
	encWindows1252
)

// openText returns r from its start as UTF-8 text, decoded from
// Windows-1252 when the file is that; r is read to its end first.
func openText(r io.ReadSeeker) (io.Reader, textEncoding, error) {
	enc, err := detectEncoding(r)
	if err != nil {
		return nil, 0, err
	}
	if _, err := r.Seek(0, io.SeekStart); err != nil {
		return nil, 0, fmt.Errorf("reading the file again: %w", err)
	}
	if enc == encWindows1252 {
		return transform.NewReader(r, charmap.Windows1252.NewDecoder()), enc, nil
	}
	return r, enc, nil
}

// detectEncoding reads r (at its start) to its end.
func detectEncoding(r io.ReadSeeker) (textEncoding, error) {
	valid, err := isUTF8(r)
	if err != nil || valid {
		return encUTF8, err
	}
	if _, err := r.Seek(0, io.SeekStart); err != nil {
		return 0, fmt.Errorf("reading the file again: %w", err)
	}
	return encWindows1252, checkWindows1252(r)
}

var (
	utf16LE = []byte{0xFF, 0xFE}
	utf16BE = []byte{0xFE, 0xFF}
)

// isUTF8 reports whether everything r holds is valid UTF-8, chunk by chunk
// (a character cut at a chunk's end is carried to the next).
func isUTF8(r io.Reader) (bool, error) {
	buf := make([]byte, 256<<10)
	carry := 0
	for first := true; ; first = false {
		n, err := io.ReadFull(r, buf[carry:])
		end := errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF)
		if err != nil && !end {
			return false, fmt.Errorf("reading the file: %w", err)
		}
		chunk := buf[:carry+n]
		if first && (bytes.HasPrefix(chunk, utf16LE) || bytes.HasPrefix(chunk, utf16BE)) {
			return false, fileerr.New(fileerr.ErrNotText, "the file is UTF-16 text (Excel's \"Unicode Text\"); save it as CSV (UTF-8) instead")
		}
		whole := len(chunk)
		if !end {
			whole = lastWholeRune(chunk)
		}
		if !utf8.Valid(chunk[:whole]) {
			return false, nil
		}
		if end {
			return true, nil
		}
		carry = copy(buf, chunk[whole:])
	}
}

// lastWholeRune is where an incomplete character at the end of b begins
// (len(b) when there is none).
func lastWholeRune(b []byte) int {
	for i := len(b) - 1; i >= 0 && i >= len(b)-utf8.UTFMax; i-- {
		if utf8.RuneStart(b[i]) {
			if !utf8.FullRune(b[i:]) {
				return i
			}
			break
		}
	}
	return len(b)
}

// undefined1252 are the bytes Windows-1252 assigns no character.
var undefined1252 = [256]bool{0x81: true, 0x8D: true, 0x8F: true, 0x90: true, 0x9D: true}

// checkWindows1252 refuses a file that is not UTF-8 but cannot be
// Windows-1252 either: it holds UTF-8 characters of several bytes (a UTF-8
// file with bytes of another encoding in it), or a byte Windows-1252 leaves
// undefined.
func checkWindows1252(r io.Reader) error {
	br := bufio.NewReaderSize(r, 64<<10)
	line, multiLine, otherLine, otherByte := 1, 0, 0, byte(0)
	for {
		b, err := br.ReadByte()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return fmt.Errorf("reading the file: %w", err)
		}
		switch {
		case b == '\n':
			line++
			continue
		case b < utf8.RuneSelf:
			continue
		case undefined1252[b]:
			return &fileerr.InputError{Line: line, Err: fileerr.New(fileerr.ErrNotText, "byte 0x%02X is neither UTF-8 nor a "+
				"Windows-1252 character; save the file as CSV (UTF-8)", b)}
		}
		if size := multiByteRune(br, b); size > 1 {
			if multiLine == 0 {
				multiLine = line
			}
			br.Discard(size - 1)
		} else if otherLine == 0 {
			otherLine, otherByte = line, b
		}
		if multiLine > 0 && otherLine > 0 {
			return &fileerr.InputError{Line: otherLine, Err: fileerr.New(fileerr.ErrNotText, "byte 0x%02X is not UTF-8, "+
				"yet line %d holds UTF-8 text: the file mixes two encodings; save it again as CSV (UTF-8)", otherByte, multiLine)}
		}
	}
	return nil
}

// multiByteRune is the size of the valid UTF-8 character that starts with
// first and continues in br, or 1 when there is none.
func multiByteRune(br *bufio.Reader, first byte) int {
	next, _ := br.Peek(utf8.UTFMax - 1)
	seq := append([]byte{first}, next...)
	if r, size := utf8.DecodeRune(seq); r != utf8.RuneError || size > 1 {
		return size
	}
	return 1
}

// firstInvalidUTF8 is the offset of the first byte of b that starts no
// valid UTF-8 character (len(b) when there is none).
func firstInvalidUTF8(b []byte) int {
	for i := 0; i < len(b); {
		r, size := utf8.DecodeRune(b[i:])
		if r == utf8.RuneError && size == 1 {
			return i
		}
		i += size
	}
	return len(b)
}
