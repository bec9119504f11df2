package main

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
)

// LABDASH_BLS_API_KEY reaches the BLS API in the request bodies of bls-api
// sources, and nowhere a person reads.
func TestIngestSendsTheAPIKeyFromTheEnvironment(t *testing.T) {
	var mu sync.Mutex
	var keys []any
	api := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var body map[string]any
		json.NewDecoder(r.Body).Decode(&body)
		mu.Lock()
		keys = append(keys, body["registrationkey"])
		mu.Unlock()
		// A refusal, in the API's words: the source fails, nothing is published.
		w.Write([]byte(`{"status":"REQUEST_NOT_PROCESSED","message":["Daily threshold reached"],"Results":{}}`))
	}))
	defer api.Close()
	dir := t.TempDir()
	sources := filepath.Join(dir, "sources.yaml")
	os.WriteFile(sources, []byte(`user_agent: "labdash-test (ops@lab.test)"
sources:
  - name: api
    format: bls-api
    url: `+api.URL+`/publicAPI/v2/timeseries/data/
    occupations: ["29-2010"]
`), 0o644)
	env := map[string]string{"LABDASH_DB": filepath.Join(dir, "l.db"), "LABDASH_SOURCES": sources}

	const key = "key-from-the-environment-42"
	env["LABDASH_BLS_API_KEY"] = key
	code, out, errOut := runCLI(t, env, "ingest")
	if code != exitFailed || !strings.Contains(out, "Daily threshold reached") {
		t.Errorf("a refused request (exit %d): %s %s", code, out, errOut)
	}
	if strings.Contains(out+errOut, key) {
		t.Error("the key was printed")
	}
	delete(env, "LABDASH_BLS_API_KEY")
	runCLI(t, env, "ingest")

	mu.Lock()
	defer mu.Unlock()
	if len(keys) != 2 || keys[0] != key || keys[1] != nil {
		t.Errorf("registrationkey of each request: %v; want the key, then none", keys)
	}
}
