package format

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	"github.com/labdash/labdash/data"
	"github.com/labdash/labdash/ingest/fetch"
	"github.com/labdash/labdash/ingest/fileerr"
)

// apiServer answers like the BLS Public Data API v2 on loopback: POST JSON
// {"seriesid": [...], "registrationkey": "..."}, an answer with status,
// message and Results.series[].data[]. Numbers are synthetic.
type apiServer struct {
	mu       sync.Mutex
	bodies   []map[string]any
	refuse   string // when set, answer REQUEST_NOT_PROCESSED with this message
	requests int
}

func (s *apiServer) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.requests++
	var body map[string]any
	if r.Method != http.MethodPost || r.Header.Get("Content-Type") != "application/json" || json.NewDecoder(r.Body).Decode(&body) != nil {
		http.Error(w, "bad request", http.StatusBadRequest)
		return
	}
	s.bodies = append(s.bodies, body)
	w.Header().Set("Content-Type", "application/json")
	if s.refuse != "" {
		json.NewEncoder(w).Encode(map[string]any{"status": "REQUEST_NOT_PROCESSED", "responseTime": 1,
			"message": []string{s.refuse}, "Results": map[string]any{}})
		return
	}
	var series []map[string]any
	for _, id := range body["seriesid"].([]any) {
		sid := id.(string)
		point := map[string]any{"year": "2024", "period": "A01", "periodName": "Annual", "latest": "true",
			"value": "50000", "footnotes": []map[string]any{{}}}
		switch {
		case strings.HasSuffix(sid, "15"): // pct90 annual: top-coded, with the cap
			point["value"], point["footnotes"] = "239200", []map[string]any{{"code": "5",
				"text": "This wage is equal to or greater than $115.00 per hour or $239,200 per year."}}
		case strings.HasSuffix(sid, "16"):
			point["value"] = "-"
		}
		series = append(series, map[string]any{"seriesID": sid, "data": []any{point}})
	}
	json.NewEncoder(w).Encode(map[string]any{"status": "REQUEST_SUCCEEDED", "responseTime": 12,
		"message": []string{}, "Results": map[string]any{"series": series}})
}

// fetchAPI runs a bls-api source the way the runner does: its requests
// through the fetcher, then Parse.
func fetchAPI(t *testing.T, url string, src Source) ([]data.Observation, []Request, error) {
	t.Helper()
	src.URL = url
	reqs, err := blsAPIFormat{}.Files(src)
	if err != nil {
		return nil, nil, err
	}
	f := &fetch.Fetcher{Retries: -1, TempDir: t.TempDir()}
	var files []File
	for _, req := range reqs {
		res, err := f.Fetch(context.Background(), fetch.Request{URL: req.URL, Body: req.Body, ContentType: req.ContentType})
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(res.Cleanup)
		files = append(files, File{Name: req.Name, Path: res.Path})
	}
	obs, err := blsAPIFormat{}.Parse(Input{Source: src, Files: files, Prov: Provenance{SourceName: "api"}})
	return obs, reqs, err
}

func TestBLSAPIBatchesWithinLimitsAndKeepsTheKeyOut(t *testing.T) {
	srv := &apiServer{}
	ts := httptest.NewServer(srv)
	defer ts.Close()
	const key = "secret-key-1234"
	src := Source{Occupations: []string{"29-2010", "31-9097", "00-0000"}, APIKey: key}
	obs, reqs, err := fetchAPI(t, ts.URL, src)
	if err != nil {
		t.Fatal(err)
	}
	// 3 occupations × 17 datatypes = 51 series: two requests of at most 50.
	if len(reqs) != 2 || srv.requests != 2 {
		t.Fatalf("%d requests built, %d received; want 2", len(reqs), srv.requests)
	}
	for _, b := range srv.bodies {
		if n := len(b["seriesid"].([]any)); n > apiSeriesPerQuery {
			t.Errorf("a request asks for %d series, over the limit of %d", n, apiSeriesPerQuery)
		}
		if b["registrationkey"] != key {
			t.Errorf("registrationkey = %v, want the key", b["registrationkey"])
		}
	}
	if len(obs) != 51 {
		t.Errorf("%d observations, want 51", len(obs))
	}
	for _, o := range obs {
		if strings.Contains(o.SourceURL+o.Notes+o.SourceTitle, key) || strings.Contains(reqs[0].URL, key) {
			t.Fatalf("the key leaked into %+v", o)
		}
	}
	top, ok := findFigure(obs, "29-2010", "", "pct90_annual_wage")
	if !ok || top.Flag != data.FlagTopCoded || top.Value == nil || *top.Value != 239200 || top.Period != "May 2024" {
		t.Errorf("pct90_annual_wage = %+v, want 239200 top_coded May 2024", top)
	}
	na, _ := findFigure(obs, "31-9097", "", "employment_per_1000")
	if na.Flag != data.FlagNotAvailable || na.Value != nil {
		t.Errorf("a dash is %+v, want not_available without a value", na)
	}
}

func TestBLSAPIUnregisteredLimits(t *testing.T) {
	src := Source{URL: "http://127.0.0.1:1/", Occupations: []string{"29-2010"}}
	reqs, err := blsAPIFormat{}.Files(src)
	if err != nil || len(reqs) != 1 {
		t.Fatalf("17 series without a key: %d requests, %v; want 1", len(reqs), err)
	}
	if strings.Contains(string(reqs[0].Body), "registrationkey") {
		t.Error("a request without a key names registrationkey")
	}
	src.Areas = make([]string, 40)
	for i := range src.Areas {
		src.Areas[i] = "0100000"
	}
	_, err = blsAPIFormat{}.Files(src)
	if err == nil || !strings.Contains(err.Error(), "a day") {
		t.Errorf("680 series without a key = %v, want the daily limit named", err)
	}
}

func TestBLSAPIErrorStatusFailsWithItsSentence(t *testing.T) {
	srv := &apiServer{refuse: "Series does not exist for Series OEUN000000000000029999913"}
	ts := httptest.NewServer(srv)
	defer ts.Close()
	_, _, err := fetchAPI(t, ts.URL, Source{Occupations: []string{"29-9999"}, Measures: []string{"median_annual_wage"}})
	if !errors.Is(err, fileerr.ErrServiceRefused) || !strings.Contains(err.Error(), "REQUEST_NOT_PROCESSED") ||
		!strings.Contains(err.Error(), "Series does not exist") {
		t.Errorf("err = %v, want the API's status and sentence", err)
	}
	srv.refuse = "daily threshold for total number of requests allocated to the user has been reached"
	_, _, err = fetchAPI(t, ts.URL, Source{Occupations: []string{"29-2010"}, Measures: []string{"employment"}})
	if err == nil || !strings.Contains(err.Error(), "daily threshold") {
		t.Errorf("err = %v, want the limit sentence", err)
	}
}
