package cite_test

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/labdash/labdash/cite"
	"github.com/labdash/labdash/data"
	"github.com/labdash/labdash/data/builtin"
	"github.com/labdash/labdash/ingest/format"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata")

// Synthetic dashboard facts: snapshot 7, published June 1, 2025; the
// reference figures retrieved May 20, 2025.
var (
	snapshot7 = data.Snapshot{ID: 7, CreatedAt: time.Date(2025, 6, 1, 12, 0, 0, 0, time.UTC)}
	retrieved = time.Date(2025, 5, 20, 8, 30, 0, 0, time.UTC)
)

// reference reads the real built-in figures once per test.
func reference(t *testing.T) []data.Observation {
	t.Helper()
	obs, err := format.ParseReference(bytes.NewReader(builtin.ReferenceCSV),
		format.Provenance{SourceName: builtin.SourceName, RetrievedAt: retrieved})
	if err != nil {
		t.Fatal(err)
	}
	return obs
}

// find returns the national cross-industry built-in figure of that key.
func find(t *testing.T, obs []data.Observation, code string, measure data.Measure, period, area string) data.Observation {
	t.Helper()
	if area == "" {
		area = data.NationalAreaCode
	}
	for _, o := range obs {
		if o.OccupationCode == code && o.Measure == measure && o.Period == period && o.AreaCode == area && o.CrossIndustry() {
			return o
		}
	}
	t.Fatalf("no built-in figure %s %s %s %s", code, measure, period, area)
	return data.Observation{}
}

// notAvailable is a synthetic OEWS figure whose wage BLS did not publish.
func notAvailable() data.Observation {
	return data.Observation{
		OccupationCode: "29-2018", OccupationTitle: "Clinical laboratory technologists and technicians",
		AreaCode: "0200000", AreaTitle: "Alaska", Measure: "median_annual_wage", Period: "May 2024",
		Unit: "USD per year", Flag: data.FlagNotAvailable, Tier: data.TierPrimary,
		SourceTitle: "Synthetic OEWS flat file (test fixture)", SourceURL: "https://download.bls.gov/pub/time.series/oe/",
		RetrievedAt: retrieved,
	}
}

// hostile is a synthetic figure whose strings try to break out of HTML,
// TeX and BibTeX.
func hostile() data.Observation {
	return data.Observation{
		OccupationCode:  "29-2010",
		OccupationTitle: `Lab "techs" </script><script>alert(1)</script> {evil} 100% & co \input{/etc/passwd} ~^$#_`,
		AreaCode:        data.NationalAreaCode, AreaTitle: data.NationalAreaTitle,
		IndustryTitle: "=HYPERLINK(\"http://x.test\")\n@SUM(A1)",
		Measure:       "median_annual_wage", Period: "May 2024", Value: data.Float(61890), Unit: "USD per year",
		Tier:        data.TierSecondary,
		SourceTitle: `Evil } page {\end{document}} 50% off & "more" </script>`,
		SourceURL:   `https://evil.example/a b/{x}}\y?q=1%20&r=#frag"` + "\u00e9",
		RetrievedAt: retrieved,
	}
}

func pinned(code string) string {
	return "https://labdash.example.edu/s/7/occupation?code=" + code
}

func context7(o data.Observation) cite.Context {
	return cite.Context{Snapshot: snapshot7, PinnedURL: pinned(o.OccupationCode)}
}

// chartFigures are figures of two programs (OEWS and EP), two occupations and
// several tiers, as a comparison chart would use them.
func chartFigures(t *testing.T, obs []data.Observation) []data.Observation {
	return []data.Observation{
		find(t, obs, "29-2010", "median_annual_wage", "May 2024", ""),
		find(t, obs, "29-2010", "median_hourly_wage", "May 2023", ""),
		find(t, obs, "29-2010", "projected_growth_pct", "2024-2034", ""),
		find(t, obs, "29-2010", "annual_openings", "2024-2034", ""),
		find(t, obs, "31-9097", "median_annual_wage", "May 2021", ""),
		find(t, obs, "31-9097", "projected_growth_pct", "2021-2031", ""),
		notAvailable(),
	}
}

type goldenCase struct {
	name string
	cs   []cite.Citation
}

func goldenCases(t *testing.T) []goldenCase {
	obs := reference(t)
	one := func(name string, o data.Observation) goldenCase {
		return goldenCase{name, cite.ForObservation(o, context7(o))}
	}
	return []goldenCase{
		one("oews_primary_wage", find(t, obs, "29-2010", "median_annual_wage", "May 2023", "")),
		one("ep_secondary_projection", find(t, obs, "29-2010", "projected_growth_pct", "2024-2034", "")),
		one("ep_base_year_count", find(t, obs, "29-2010", "employment", "2024", "")),
		one("text_measure", find(t, obs, "29-2010", "typical_entry_education", "2024-2034", "")),
		one("state_secondary_wage", find(t, obs, "29-2018", "mean_annual_wage", "May 2022", "3600000")),
		one("flagged_not_available", notAvailable()),
		one("hostile_strings", hostile()),
		{"chart_two_programs", cite.ForChart("Clinical laboratory technologists and technicians vs phlebotomists: pay and outlook",
			chartFigures(t, obs), cite.Context{Snapshot: snapshot7, PinnedURL: "https://labdash.example.edu/s/7/compare?code=29-2010&code=31-9097"})},
	}
}

func TestGolden(t *testing.T) {
	for _, c := range goldenCases(t) {
		t.Run(c.name, func(t *testing.T) {
			var b strings.Builder
			for _, ct := range c.cs {
				b.WriteString("== " + ct.Style + " ==\n" + ct.Text + "\n\n")
			}
			path := filepath.Join("testdata", c.name+".golden.txt")
			if *update {
				if err := os.WriteFile(path, []byte(b.String()), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			want, err := os.ReadFile(path)
			if err != nil {
				t.Fatalf("%v (run go test ./cite -update)", err)
			}
			if got := b.String(); got != string(want) {
				t.Errorf("citations differ from %s (go test ./cite -update rewrites it):\n%s", path, got)
			}
		})
	}
}

func TestEveryStyleInOrder(t *testing.T) {
	for _, c := range goldenCases(t) {
		var styles []string
		for _, ct := range c.cs {
			styles = append(styles, ct.Style)
			if ct.Text == "" || strings.Contains(ct.Text, "\n") && ct.Style != cite.StyleBibTeX {
				t.Errorf("%s %s: empty or multi-line citation %q", c.name, ct.Style, ct.Text)
			}
		}
		if !slices.Equal(styles, cite.Styles) {
			t.Errorf("%s: styles %v, want %v", c.name, styles, cite.Styles)
		}
		if got, ok := cite.Style(c.cs, "mla"); !ok || got.Style != "mla" {
			t.Errorf("%s: Style(mla) = %v, %v", c.name, got, ok)
		}
		if _, ok := cite.Style(c.cs, "harvard"); ok {
			t.Errorf("%s: Style(harvard) found a citation", c.name)
		}
	}
}

// TestWhatACitationNames checks issue 5's list on the secondary projection.
func TestWhatACitationNames(t *testing.T) {
	o := find(t, reference(t), "29-2010", "projected_growth_pct", "2024-2034", "")
	for _, ct := range cite.ForObservation(o, context7(o)) {
		for _, want := range []string{
			"U.S. Bureau of Labor Statistics", "Employment Projections 2024-34", "29-2010",
			"1.7", "plainworkforce.com occupation profile", o.SourceURL,
			"secondary source: a third-party page quoting BLS", "snapshot 7", pinned("29-2010"),
		} {
			if ct.Style == cite.StyleBibTeX {
				want = strings.NewReplacer("%", `\%`, "_", `\_`).Replace(want)
			}
			if !strings.Contains(ct.Text, want) {
				t.Errorf("%s citation lacks %q:\n%s", ct.Style, want, ct.Text)
			}
		}
		date := map[string]string{"mla": "20 May 2025", "bibtex": "2025-05-20"}[ct.Style]
		if date == "" {
			date = "May 20, 2025"
		}
		if !strings.Contains(ct.Text, date) {
			t.Errorf("%s citation lacks the retrieval date %q:\n%s", ct.Style, date, ct.Text)
		}
	}
	text, _ := cite.Style(cite.ForObservation(o, context7(o)), "text")
	if want := "Projected growth of clinical laboratory technologists and technicians (SOC 29-2010): 1.7%, 2024-34."; !strings.HasPrefix(text.Text, want) {
		t.Errorf("text citation does not open with the figure sentence %q:\n%s", want, text.Text)
	}
}

// BLS's workbooks write occupation titles in title case; inside a figure
// sentence a known title reads in sentence case, and an unknown one as
// published, never half lowered ("registered Nurses").
func TestWorkbookTitlesInASentence(t *testing.T) {
	for _, tc := range []struct{ code, title, want string }{
		{"29-2010", "Clinical Laboratory Technologists and Technicians", "Median annual wage of clinical laboratory technologists and technicians (SOC 29-2010)"},
		{"29-1141", "Registered Nurses", "Median annual wage of Registered Nurses (SOC 29-1141)"},
		{"29-1141", "Registered nurses", "Median annual wage of registered nurses (SOC 29-1141)"},
		{"29-2099", "HIV testing technicians", "Median annual wage of HIV testing technicians (SOC 29-2099)"},
	} {
		o := data.Observation{OccupationCode: tc.code, OccupationTitle: tc.title, Measure: "median_annual_wage",
			Period: "May 2024", Unit: "USD per year", Value: data.Float(61890), Tier: data.TierResavedCopy,
			AreaCode: data.NationalAreaCode}
		text, _ := cite.Style(cite.ForObservation(o, context7(o)), "text")
		if !strings.HasPrefix(text.Text, tc.want) {
			t.Errorf("%q: citation does not open with %q:\n%s", tc.title, tc.want, text.Text)
		}
		if !strings.Contains(text.Text, "re-saved copy: a BLS workbook re-saved by a third party") {
			t.Errorf("the re-saved copy's tier is not said in words:\n%s", text.Text)
		}
	}
}

func TestReleaseOfEachPeriodKind(t *testing.T) {
	for _, tc := range []struct {
		measure data.Measure
		period  string
		unit    data.Unit
		want    string
	}{
		{"median_annual_wage", "May 2024", "USD per year", "Occupational Employment and Wage Statistics (OEWS), May 2024"},
		{"projected_growth_pct", "2024-2034", "percent", "Employment Projections 2024-34"},
		{"employment", "2024", "jobs", "Employment Projections, base-year 2024 employment"},
	} {
		o := data.Observation{OccupationCode: "29-2010", Measure: tc.measure, Period: tc.period, Unit: tc.unit,
			Value: data.Float(1), Tier: data.TierPrimary, AreaCode: data.NationalAreaCode}
		text, _ := cite.Style(cite.ForObservation(o, context7(o)), "text")
		if !strings.Contains(text.Text, "Source: U.S. Bureau of Labor Statistics, "+tc.want+".") {
			t.Errorf("%s %s: release not named %q:\n%s", tc.measure, tc.period, tc.want, text.Text)
		}
		if strings.Contains(text.Text, "secondary") {
			t.Errorf("a primary figure is called secondary:\n%s", text.Text)
		}
	}
}

func TestFlaggedFigureIsNeverZero(t *testing.T) {
	o := notAvailable()
	for _, ct := range cite.ForObservation(o, context7(o)) {
		if !strings.Contains(ct.Text, "not available") {
			t.Errorf("%s citation does not say the figure was not available:\n%s", ct.Style, ct.Text)
		}
		if regexp.MustCompile(`\$0\b|\\\$0\b|: 0[,.]`).MatchString(ct.Text) {
			t.Errorf("%s citation shows a zero:\n%s", ct.Style, ct.Text)
		}
	}
}

// TestPlainTextNotHTML: the package builds no markup, and leaves data as it
// is for the caller to escape (escaping twice would show &lt; to readers).
func TestPlainTextNotHTML(t *testing.T) {
	for _, c := range goldenCases(t) {
		for _, ct := range c.cs {
			if c.name != "hostile_strings" && strings.ContainsAny(ct.Text, "<>") {
				t.Errorf("%s %s: markup in a citation:\n%s", c.name, ct.Style, ct.Text)
			}
			if strings.Contains(ct.Text, "&lt;") || strings.Contains(ct.Text, "&amp;") {
				t.Errorf("%s %s: HTML-escaped text:\n%s", c.name, ct.Style, ct.Text)
			}
		}
	}
	o := hostile()
	text, _ := cite.Style(cite.ForObservation(o, context7(o)), "text")
	if !strings.Contains(text.Text, `</script><script>alert(1)</script>`) {
		t.Errorf("text citation altered the title instead of leaving escaping to the caller:\n%s", text.Text)
	}
	if strings.Contains(text.Text, "\n") || strings.HasPrefix(text.Text, "=") {
		t.Errorf("data newline or formula leaked into the text citation:\n%s", text.Text)
	}
}

var (
	bibKey      = regexp.MustCompile(`^@misc\{([A-Za-z0-9_-]+),\n`)
	bibURL      = regexp.MustCompile(`\\url\{([^{}\\]|\\[%#])*\}`)
	bibEscapes  = regexp.MustCompile(`\\(text[a-z]+\{\}|[&%$#_])`)
	bibRawChars = regexp.MustCompile(`[&%$#_~^<>\\]`)
)

// TestBibTeXIsSafe: braces balance, keys are sanitised, and no special
// character from data reaches TeX unescaped.
func TestBibTeXIsSafe(t *testing.T) {
	for _, c := range goldenCases(t) {
		ct, _ := cite.Style(c.cs, "bibtex")
		entry := ct.Text
		if !bibKey.MatchString(entry) || !strings.HasSuffix(entry, "\n}") {
			t.Errorf("%s: not one @misc entry with a clean key:\n%s", c.name, entry)
			continue
		}
		depth := 0
		for i, r := range entry {
			switch r {
			case '{':
				depth++
			case '}':
				depth--
			}
			if depth < 0 || depth == 0 && i > len("@misc{") && i < len(entry)-1 {
				t.Errorf("%s: braces unbalanced at byte %d:\n%s", c.name, i, entry)
				break
			}
		}
		if depth != 0 {
			t.Errorf("%s: braces unbalanced at the end:\n%s", c.name, entry)
		}
		for _, line := range strings.Split(entry, "\n")[1:] {
			name, value, ok := strings.Cut(line, " = {")
			if !ok {
				continue
			}
			name = strings.TrimSpace(name)
			value = strings.TrimSuffix(value, "},")
			if name == "author" || name == "title" {
				value = strings.TrimSuffix(strings.TrimPrefix(value, "{"), "}") // the protecting group
				value = strings.TrimPrefix(value, "{}")
			}
			value = bibURL.ReplaceAllString(value, "")
			value = bibEscapes.ReplaceAllString(value, "")
			if m := bibRawChars.FindString(value); m != "" || strings.ContainsAny(value, "{}") {
				t.Errorf("%s: field %s keeps a raw TeX character %q: %s", c.name, name, m, line)
			}
		}
	}
}

func TestChartCitation(t *testing.T) {
	obs := reference(t)
	figures := chartFigures(t, obs)
	ctx := cite.Context{Snapshot: snapshot7, PinnedURL: "https://labdash.example.edu/s/7/compare"}
	cs := cite.ForChart("Pay and outlook", figures, ctx)
	text, _ := cite.Style(cs, "text")
	for _, want := range []string{
		"Occupational Employment and Wage Statistics (OEWS), May 2021",
		"Occupational Employment and Wage Statistics (OEWS), May 2024",
		"Employment Projections 2021-31", "Employment Projections 2024-34",
		"(SOC 29-2010)", "(SOC 29-2018)", "(SOC 31-9097)", "phlebotomists",
		"secondary source: a third-party page quoting BLS", "1 figure was not available",
		"snapshot 7", "https://labdash.example.edu/s/7/compare",
	} {
		if !strings.Contains(text.Text, want) {
			t.Errorf("chart citation lacks %q:\n%s", want, text.Text)
		}
	}
	// The order the chart lists its figures in does not change the citation.
	reversed := slices.Clone(figures)
	slices.Reverse(reversed)
	if again := cite.ForChart("Pay and outlook", reversed, ctx); !slices.Equal(again, cs) {
		t.Errorf("chart citation depends on the order of its figures:\n%v\n%v", cs, again)
	}
	// The retrieval date stated is the latest of the figures'.
	later := notAvailable()
	later.RetrievedAt = time.Date(2025, 7, 4, 0, 0, 0, 0, time.UTC)
	text, _ = cite.Style(cite.ForChart("Pay", append(figures, later), ctx), "text")
	if !strings.Contains(text.Text, "retrieved July 4, 2025") {
		t.Errorf("chart citation does not state the latest retrieval date:\n%s", text.Text)
	}
}

func TestUnknownRetrievalDateIsNotInvented(t *testing.T) {
	o := notAvailable()
	o.RetrievedAt = time.Time{}
	if got := cite.AccessDate(o, snapshot7); !got.IsZero() {
		t.Errorf("AccessDate = %v for a figure with no retrieval date", got)
	}
	for _, c := range cite.ForObservation(o, context7(o)) {
		if strings.Contains(strings.ToLower(c.Text), "retrieved") || strings.Contains(c.Text, "Accessed") || strings.Contains(c.Text, "urldate") {
			t.Errorf("%s states a retrieval date nobody recorded:\n%s", c.Style, c.Text)
		}
		if !strings.Contains(c.Text, "snapshot 7") {
			t.Errorf("%s lost the snapshot:\n%s", c.Style, c.Text)
		}
	}
}
