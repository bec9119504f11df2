package web

import (
	"encoding/json"
	"html"
	"regexp"
	"strings"
	"testing"

	"github.com/labdash/labdash/data"
)

func TestPlacesPageShowsStatesAndMetros(t *testing.T) {
	ts, _, _ := newTestSite(t)
	resp, body := get(t, ts.URL+"/places?code=29-2018&measure=mean_annual_wage&period=May+2022")
	if resp.StatusCode != 200 {
		t.Fatalf("status %d: %s", resp.StatusCode, body)
	}
	for _, want := range []string{
		"mean annual wage by state and metro area, May 2022", // title with measure, geography and period
		`id="state-map-chart"`, `id="metro-areas-chart"`,
		`<table data-sortable>`, `data-sort="number" aria-sort="descending"`,
		`data-value="76110">$76,110`, // New York, secondary
		"$43,870", "Mississippi",
		"San Francisco-Oakland-Berkeley", "$78,490",
		`data-map="/static/vendor/states-albers-10m.`, `data-map-script="/static/vendor/topojson-client.min.`,
		`href="/s/1/places/state-map.csv?code=29-2018&amp;measure=mean_annual_wage&amp;period=May&#43;2022"`,
		`<option value="May 2022" selected>May 2022 (51 states)</option>`,
	} {
		if !strings.Contains(body, want) {
			t.Errorf("places page lacks %q", want)
		}
	}
	// Without JavaScript the states come highest first.
	ny, ct, ms := strings.Index(body, ">New York<"), strings.Index(body, ">Connecticut<"), strings.Index(body, ">Mississippi<")
	if !(ny < ct && ct < ms) {
		t.Errorf("state rows out of order: New York %d, Connecticut %d, Mississippi %d", ny, ct, ms)
	}
	if regexp.MustCompile(`<script>|<script [^>]*>[^<]`).MatchString(body) {
		t.Error("the page has an inline script")
	}
}

func TestPlacesPageDefaultsAndFallBack(t *testing.T) {
	ts, _, _ := newTestSite(t)
	_, body := get(t, ts.URL+"/places")
	if !strings.Contains(body, "May 2022</h1>") || !strings.Contains(body, `<option value="29-2018" selected>`) {
		t.Error("/places does not default to 29-2018, May 2022")
	}
	// The form keeps measure and period when the occupation changes.
	resp, body := get(t, ts.URL+"/places?code=31-9097&measure=mean_annual_wage&period=May+2022")
	if resp.StatusCode != 200 || !strings.Contains(html.UnescapeString(body), "so this page shows May 2012 (5 states) instead") {
		t.Errorf("phlebotomists with May 2022: %d, no sentence about the replaced period", resp.StatusCode)
	}
}

func TestPlacesPageRefusesInvalidParameters(t *testing.T) {
	ts, _, _ := newTestSite(t)
	for _, tc := range []struct{ query, want string }{
		{"code=99-9999", `The code parameter "99-9999" is not available in this snapshot`},
		{"measure=shoe_size", `The measure parameter "shoe_size" is not available in this snapshot`},
		{"period=May+1999", `The period parameter "May 1999" is not available in this snapshot`},
		{"colour=red", `The colour parameter "red" is not one this page takes`},
		{"period=May+2022&period=May+2019", "is given more than once"},
	} {
		resp, body := get(t, ts.URL+"/places?"+tc.query)
		if resp.StatusCode != 400 || !strings.Contains(html.UnescapeString(body), tc.want) {
			t.Errorf("%s: %d, want 400 saying %q", tc.query, resp.StatusCode, tc.want)
		}
	}
}

func TestPlacesPinnedAndCSV(t *testing.T) {
	ts, _, _ := newTestSite(t)
	q := "?code=29-2018&measure=mean_annual_wage&period=May+2022"
	resp, body := get(t, ts.URL+"/s/1/places"+q)
	if resp.StatusCode != 200 || !strings.Contains(resp.Header.Get("Cache-Control"), "immutable") || !strings.Contains(body, "$76,110") {
		t.Fatalf("pinned page: %d %q", resp.StatusCode, resp.Header.Get("Cache-Control"))
	}
	for _, tc := range []struct {
		chart     string
		rows      int
		firstArea string
	}{
		// The national figure of the same release first (the May 2022 OEWS
		// workbook), then the 51 states, highest first.
		{"state-map", 52, "United States"},
		{"metro-areas", 13, "San Francisco-Oakland-Berkeley"},
	} {
		resp, body := get(t, ts.URL+"/s/1/places/"+tc.chart+".csv"+q)
		if resp.StatusCode != 200 {
			t.Fatalf("%s CSV: %d %s", tc.chart, resp.StatusCode, body)
		}
		rows := readCSV(t, body)
		if len(rows)-1 != tc.rows || rows[1][3] != tc.firstArea || rows[1][7] != "May 2022" || rows[1][6] != "mean_annual_wage" {
			t.Errorf("%s CSV: %d rows, first %v", tc.chart, len(rows)-1, rows[1])
		}
		if tc.chart == "state-map" && (rows[1][11] != "primary" || rows[2][3] != "New York" || rows[2][11] != "secondary") {
			t.Errorf("state-map CSV: national row %v, then %v", rows[1], rows[2])
		}
	}
}

// The map's shapes are served by the binary, name every state the way
// data.States does, and are loaded by the places page only.
func TestPlacesMapAssets(t *testing.T) {
	ts, _, site := newTestSite(t)
	url, err := site.assets.URL("vendor/states-albers-10m.json")
	if err != nil {
		t.Fatal(err)
	}
	resp, body := get(t, ts.URL+url)
	if resp.StatusCode != 200 || !strings.HasPrefix(resp.Header.Get("Content-Type"), "application/json") {
		t.Fatalf("%s: %d %s", url, resp.StatusCode, resp.Header.Get("Content-Type"))
	}
	var topology struct {
		Objects struct {
			States struct {
				Geometries []struct {
					Properties struct{ Name string }
				}
			}
		}
	}
	if err := json.Unmarshal([]byte(body), &topology); err != nil {
		t.Fatal(err)
	}
	shapes := map[string]bool{}
	for _, g := range topology.Objects.States.Geometries {
		shapes[g.Properties.Name] = true
	}
	for _, s := range data.States {
		if onMap := s.FIPS <= "56"; onMap != shapes[s.Name] {
			t.Errorf("%s: on the map %t, want %t", s.Name, shapes[s.Name], onMap)
		}
	}
	_, home := get(t, ts.URL+"/")
	if strings.Contains(home, "states-albers") || strings.Contains(home, "topojson") {
		t.Error("the home page refers to the map's assets; only the places page may load them")
	}
}
