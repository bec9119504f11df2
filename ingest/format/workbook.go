package format

import (
	"archive/zip"
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"path"
	"strings"

	"github.com/xuri/excelize/v2"

	"github.com/labdash/labdash/ingest/fileerr"
)

// Workbooks are read with excelize, streamed row by row: worksheets larger
// than a few megabytes are unpacked to temporary files and decoded as they
// are read, so memory does not grow with the sheet. What excelize cannot
// tell apart (a legacy .xls, an encrypted workbook, a zip without a
// workbook, a zip bomb) is checked here first, so each gets its sentence.

const (
	// maxUnpacked caps what one archive may unpack to. The largest OEWS
	// workbook (all_data, every area and industry) unpacks to under 1 GiB.
	maxUnpacked = 4 << 30
	// maxRatio is the compression ratio above which a large member is a zip
	// bomb: worksheet XML packs about 10:1, a bomb 1000:1.
	maxRatio         = 200
	ratioCheckedFrom = 16 << 20
	// inMemoryXML is the largest worksheet or shared-strings part excelize
	// keeps in memory; a larger one is unpacked to a temporary file and
	// decoded from there as its rows are read. It is excelize's default,
	// stated here because it is what keeps memory flat: a 59 MB workbook
	// (502 MB of sheet XML) ingests in 86 MB peak RSS.
	inMemoryXML = 16 << 20
)

var (
	zipMagic = []byte("PK\x03\x04")
	oleMagic = []byte{0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1}
	// encryptedPackage is the OLE stream name of an encrypted .xlsx, in UTF-16LE.
	encryptedPackage = []byte("E\x00n\x00c\x00r\x00y\x00p\x00t\x00e\x00d\x00P\x00a\x00c\x00k\x00a\x00g\x00e\x00")
)

// fileKind is what a file's first bytes say it is.
type fileKind int

const (
	kindText fileKind = iota
	kindZip
	kindOLE
	kindHTML
	kindEmpty
)

// sniffFile reads a file's first bytes.
func sniffFile(r io.ReaderAt) fileKind {
	head := make([]byte, 512)
	n, _ := r.ReadAt(head, 0)
	head = head[:n]
	switch {
	case len(bytes.TrimSpace(head)) == 0:
		return kindEmpty
	case bytes.HasPrefix(head, zipMagic):
		return kindZip
	case bytes.HasPrefix(head, oleMagic):
		return kindOLE
	case fileerr.LooksLikeHTML(head):
		return kindHTML
	}
	return kindText
}

// refuseKind explains a file that is not a workbook.
func refuseKind(name string, kind fileKind, r io.ReaderAt, size int64) error {
	switch kind {
	case kindEmpty:
		return fileerr.New(fileerr.ErrFileEmpty, "%s is empty; the download may have failed", name)
	case kindHTML:
		return fileerr.New(fileerr.ErrFileIsHTML, "%s is an HTML page, not a workbook; the server probably sent an error "+
			"or log-in page instead (check the URL, and for bls.gov a User-Agent with a contact e-mail address)", name)
	case kindOLE:
		if isEncrypted(r, size) {
			return fileerr.New(fileerr.ErrFileUnreadable, "%s is a password-protected (encrypted) workbook, which labdash cannot read; "+
				"use the file as BLS publishes it, without a password", name)
		}
		return fileerr.New(fileerr.ErrFileUnreadable, "%s is a legacy Excel 97-2003 workbook (.xls, BLS's format up to May 2013), "+
			"which labdash cannot read (no maintained Go library reads it); open it in a spreadsheet program and save it as .xlsx, "+
			"or save its data sheet as CSV", name)
	}
	return fileerr.New(fileerr.ErrFileUnreadable, "%s is neither an .xlsx workbook nor a zip of one", name)
}

// isEncrypted looks for the stream an encrypted .xlsx keeps its package in.
func isEncrypted(r io.ReaderAt, size int64) bool {
	buf := make([]byte, min(size, 4<<20))
	n, _ := r.ReadAt(buf, 0)
	return bytes.Contains(buf[:n], encryptedPackage)
}

// checkArchive refuses an archive that would unpack to too much or hides
// its members behind a password.
func checkArchive(name string, zr *zip.Reader) error {
	var total uint64
	for _, f := range zr.File {
		if f.Flags&0x1 != 0 {
			return fileerr.New(fileerr.ErrFileUnreadable, "%s is password-protected (its member %s is encrypted); "+
				"use the file as BLS publishes it", name, f.Name)
		}
		total += f.UncompressedSize64
		ratio := float64(f.UncompressedSize64) / float64(max(f.CompressedSize64, 1))
		if total > maxUnpacked || (f.UncompressedSize64 > ratioCheckedFrom && ratio > maxRatio) {
			return fileerr.New(fileerr.ErrFileUnreadable, "%s would unpack to %d bytes (member %s packs %.0f:1), far more than "+
				"a BLS workbook; it is refused as a possible zip bomb", name, total, f.Name, ratio)
		}
	}
	return nil
}

// isWorkbookArchive tells an .xlsx (a zip with xl/workbook.xml) from a zip
// holding workbooks.
func isWorkbookArchive(zr *zip.Reader) bool {
	for _, f := range zr.File {
		if strings.EqualFold(f.Name, "xl/workbook.xml") {
			return true
		}
	}
	return false
}

// workbook is one open .xlsx.
type workbook struct {
	name string // as published, for messages: "oesm24nat.zip: national_M2024_dl.xlsx"
	x    *excelize.File
	tmp  string // an unpacked member, removed on Close
}

func (w *workbook) Close() {
	if w.x != nil {
		w.x.Close()
	}
	if w.tmp != "" {
		os.Remove(w.tmp)
	}
}

// openWorkbooks opens a file that is an .xlsx, or a zip holding .xlsx
// members that pick accepts (by base name). Anything else is refused with a
// sentence. The caller closes every workbook.
func openWorkbooks(f File, pick func(member string) bool) ([]*workbook, error) {
	r, size, err := f.Open()
	if err != nil {
		return nil, err
	}
	defer r.Close()
	if kind := sniffFile(r); kind != kindZip {
		return nil, refuseKind(f.Name, kind, r, size)
	}
	zr, err := zip.NewReader(r, size)
	if err != nil {
		return nil, fileerr.New(fileerr.ErrFileUnreadable, "%s is a damaged zip file (%v); download it again", f.Name, err)
	}
	if err := checkArchive(f.Name, zr); err != nil {
		return nil, err
	}
	if isWorkbookArchive(zr) {
		wb, err := openXLSX(f, f.Name, "")
		if err != nil {
			return nil, err
		}
		return []*workbook{wb}, nil
	}
	return openMembers(f.Name, zr, pick)
}

// openMembers unpacks the chosen .xlsx members of a zip, each to a
// temporary file, and opens them.
func openMembers(name string, zr *zip.Reader, pick func(string) bool) ([]*workbook, error) {
	var out []*workbook
	var names []string
	for _, m := range zr.File {
		base := path.Base(strings.ReplaceAll(m.Name, "\\", "/"))
		if !strings.HasSuffix(strings.ToLower(base), ".xlsx") {
			continue
		}
		names = append(names, base)
		if !pick(base) {
			continue
		}
		wb, err := unpackMember(name, base, m)
		if err != nil {
			closeAll(out)
			return nil, err
		}
		out = append(out, wb)
	}
	if len(out) == 0 {
		closeAll(out)
		what := "no workbook at all"
		if len(names) > 0 {
			what = "only " + strings.Join(names, ", ")
		}
		return nil, fileerr.New(fileerr.ErrFileUnreadable, "%s holds %s, not the workbook this source reads", name, what)
	}
	return out, nil
}

func unpackMember(zipName, base string, m *zip.File) (*workbook, error) {
	rc, err := m.Open()
	if err != nil {
		return nil, fileerr.New(fileerr.ErrFileUnreadable, "%s: %s cannot be unpacked (%v)", zipName, base, err)
	}
	defer rc.Close()
	tmp, err := os.CreateTemp("", "labdash-"+tempSafe(base)+"-*")
	if err != nil {
		return nil, fmt.Errorf("a temp file cannot be created: %w", err)
	}
	_, err = io.Copy(tmp, io.LimitReader(rc, maxUnpacked))
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		os.Remove(tmp.Name())
		return nil, fileerr.New(fileerr.ErrFileUnreadable, "%s: %s cannot be unpacked (%v); download it again", zipName, base, err)
	}
	wb, err := openXLSX(File{Name: base, Path: tmp.Name()}, zipName+": "+base, tmp.Name())
	if err != nil {
		os.Remove(tmp.Name())
		return nil, err
	}
	return wb, nil
}

// openXLSX opens an .xlsx file already checked as a zip. The member's name
// is what messages call it.
func openXLSX(f File, shown, tmp string) (*workbook, error) {
	opts := excelize.Options{RawCellValue: true, UnzipSizeLimit: maxUnpacked, UnzipXMLSizeLimit: inMemoryXML}
	var x *excelize.File
	var err error
	if f.Path != "" {
		x, err = excelize.OpenFile(f.Path, opts)
	} else {
		x, err = excelize.OpenReader(bytes.NewReader(f.Data), opts)
	}
	if err != nil {
		if x != nil {
			x.Close()
		}
		if tmp == "" && f.Path != "" {
			// An inner member's own zip may still be refused by kind.
			return nil, fileerr.New(fileerr.ErrFileUnreadable, "%s is not a readable workbook (%v); download it again", shown, err)
		}
		return nil, fileerr.New(fileerr.ErrFileUnreadable, "%s is not a readable workbook (%v)", shown, err)
	}
	return &workbook{name: shown, x: x, tmp: tmp}, nil
}

func closeAll(wbs []*workbook) {
	for _, w := range wbs {
		w.Close()
	}
}

// tempSafe keeps a name usable in a temp file pattern.
func tempSafe(name string) string {
	return strings.Map(func(r rune) rune {
		if r < 0x80 && (r == '.' || r == '-' || r == '_' || r >= '0' && r <= '9' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z') {
			return r
		}
		return '_'
	}, name)
}

// errStop ends a row walk early without an error.
var errStop = errors.New("stop")

// eachRow streams a sheet's rows to fn (1-based row numbers, cells as raw
// text); fn returns errStop to end the walk early.
func (w *workbook) eachRow(sheet string, fn func(row int, cells []string) error) error {
	rows, err := w.x.Rows(sheet)
	if err != nil {
		return fileerr.New(fileerr.ErrFileUnreadable, "%s: sheet %q cannot be read (%v)", w.name, sheet, err)
	}
	defer rows.Close()
	for n := 1; rows.Next(); n++ {
		cells, err := rows.Columns()
		if err != nil {
			return fileerr.At(w.name, 0, fileerr.New(fileerr.ErrFileUnreadable, "sheet %q row %d cannot be read (%v)", sheet, n, err))
		}
		if err := checkRow(cells, cellRef(n)); err != nil {
			return fileerr.At(w.name, 0, fmt.Errorf("sheet %q row %d: %w", sheet, n, err))
		}
		if err := fn(n, cells); err != nil {
			if errors.Is(err, errStop) {
				return nil
			}
			return err
		}
	}
	if err := rows.Error(); err != nil {
		return fileerr.New(fileerr.ErrFileUnreadable, "%s: sheet %q is damaged (%v)", w.name, sheet, err)
	}
	return nil
}

// cellRef names the cells of row n as a spreadsheet does: "cell C5".
func cellRef(n int) func(int) string {
	return func(i int) string {
		ref, err := excelize.CoordinatesToCellName(i+1, n)
		if err != nil {
			return fmt.Sprintf("cell %d of the row", i+1)
		}
		return "cell " + ref
	}
}

// firstRows returns up to n rows of a sheet.
func (w *workbook) firstRows(sheet string, n int) ([][]string, error) {
	var out [][]string
	err := w.eachRow(sheet, func(_ int, cells []string) error {
		out = append(out, cells)
		if len(out) >= n {
			return errStop
		}
		return nil
	})
	return out, err
}
