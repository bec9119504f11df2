package format

import (
	"errors"
	"fmt"
	"net/url"
	"path"
	"path/filepath"
	"strings"
)

// needSome is the occupation rule of formats that keep the configured
// occupations out of a larger file.
func needSome(name string, codes []string) error {
	if len(codes) == 0 {
		return fmt.Errorf("format %s needs at least one SOC code to keep, such as [\"29-2010\"]", name)
	}
	return nil
}

// needNone is the rule of formats that keep every row of their file.
func needNone(name string, codes []string) error {
	if len(codes) > 0 {
		return fmt.Errorf("format %s takes no occupations (it keeps every row of its file); remove this line", name)
	}
	return nil
}

// errNoOccupations is what a parser says when called without occupations.
var errNoOccupations = errors.New("no occupations are configured for this source; list the SOC codes to keep, such as 29-2010")

// publishedName is the file name at the end of a URL or path: the name BLS
// gave the file ("oesm24nat.zip"), from which a period may be read.
func publishedName(raw string) string {
	if u, err := url.Parse(raw); err == nil && u.Scheme != "" && len(u.Scheme) > 1 {
		return path.Base(u.Path)
	}
	return filepath.Base(raw)
}

// joinURL puts a file name inside a directory URL or path.
func joinURL(dir, name string) string {
	if strings.Contains(dir, "://") {
		if !strings.HasSuffix(dir, "/") {
			dir += "/"
		}
		return dir + name
	}
	return filepath.Join(dir, name)
}
