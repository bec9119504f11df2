package main

import (
	"context"
	"fmt"
	"io"
	"net/url"
	"regexp"
	"strings"

	"github.com/labdash/labdash/cite"
	"github.com/labdash/labdash/dashboard"
	"github.com/labdash/labdash/data"
)

const defaultBaseURL = "http://127.0.0.1:8080"

var socCode = regexp.MustCompile(`^\d{2}-\d{4}$`)

// runCite prints the citations of a snapshot's quick facts for one
// occupation, one figure per paragraph, each pointing at the snapshot-pinned
// occupation page.
func runCite(ctx context.Context, args []string, stdout, stderr io.Writer, getenv func(string) string) error {
	fs := newFlagSet("cite", stderr)
	dbPath := fs.String("db", envDefault(getenv, "LABDASH_DB", defaultDBPath), dbFlagUsage)
	snapshot := fs.String("snapshot", "latest", "snapshot id, or latest")
	occupation := fs.String("occupation", "", "SOC code, e.g. 31-9097 (default: clinical laboratory technologists and technicians)")
	style := fs.String("style", cite.StyleText, "citation style: "+strings.Join(cite.Styles, ", "))
	baseURL := fs.String("base-url", envDefault(getenv, "LABDASH_BASE_URL", defaultBaseURL), "the dashboard's public address, for pinned links (LABDASH_BASE_URL)")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if !cite.KnownStyle(*style) {
		return usageError{fmt.Sprintf("--style %q is not known; use one of %s", *style, strings.Join(cite.Styles, ", "))}
	}
	code := strings.TrimSpace(*occupation)
	if code != "" && !socCode.MatchString(code) {
		return usageError{fmt.Sprintf("--occupation %q is not a SOC code like 29-2010", code)}
	}
	base, err := checkBaseURL(*baseURL)
	if err != nil {
		return err
	}

	store, err := data.OpenReadOnly(ctx, *dbPath)
	if err != nil {
		return err
	}
	defer store.Close()
	snap, err := resolveSnapshot(ctx, store, *snapshot)
	if err != nil {
		return err
	}
	family, pageCode := citeFamily(code)
	var obs []data.Observation
	err = store.EachObservation(ctx, snap.ID, data.Filter{Occupations: family.Codes}, func(o data.Observation) error {
		obs = append(obs, o)
		return nil
	})
	if err != nil {
		return err
	}

	c := cite.Context{
		Snapshot:  snap,
		PinnedURL: fmt.Sprintf("%s/s/%d/occupation?code=%s", base, snap.ID, url.QueryEscape(pageCode)),
	}
	printed := 0
	for _, fact := range dashboard.QuickFacts(family, obs, snap.Origins) {
		if fact.Observation == nil {
			continue
		}
		ct, _ := cite.Style(cite.ForObservation(*fact.Observation, c), *style)
		if printed > 0 {
			fmt.Fprintln(stdout)
		}
		fmt.Fprintln(stdout, validText(ct.Text))
		printed++
	}
	if printed == 0 {
		return fmt.Errorf("snapshot %d has no quick facts for %s (%s)", snap.ID, family.Title, strings.Join(family.Codes, ", "))
	}
	return nil
}

// citeFamily is the family whose quick facts are cited, and the code its
// pinned page is asked for with. A code of a family is cited as the family,
// except a code retired by a classification change (29-2011, 29-2012): the
// family's quick facts leave those out, so it is cited on its own.
func citeFamily(code string) (data.Family, string) {
	if code == "" {
		f := data.Families[0]
		return f, f.Codes[0]
	}
	if f, ok := data.FamilyOf(code); ok && !f.IsRetired(code) {
		return f, code
	}
	return data.Family{ID: code, Title: data.OccupationTitle(code, "SOC "+code), Codes: []string{code}}, code
}

// checkBaseURL accepts an absolute http(s) URL and drops a trailing slash.
func checkBaseURL(s string) (string, error) {
	u, err := url.Parse(strings.TrimSpace(s))
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || u.RawQuery != "" || u.Fragment != "" {
		return "", usageError{fmt.Sprintf("--base-url %q is not an absolute http(s) URL such as https://labdash.example.edu", s)}
	}
	return strings.TrimRight(u.String(), "/"), nil
}
