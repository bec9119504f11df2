package browsertest

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sync"
	"testing"

	"github.com/chromedp/chromedp"
)

// AxeViolation is one WCAG rule that axe-core found broken on a page, with
// the elements that break it.
type AxeViolation struct {
	ID      string    `json:"id"`
	Impact  string    `json:"impact"` // minor, moderate, serious or critical
	Help    string    `json:"help"`
	HelpURL string    `json:"helpUrl"`
	Nodes   []AxeNode `json:"nodes"`
}

// AxeNode is one offending element: its CSS selector path, its opening
// markup and axe's explanation of what to fix.
type AxeNode struct {
	Target  []string `json:"target"`
	HTML    string   `json:"html"`
	Summary string   `json:"summary"`
}

func (v AxeViolation) String() string {
	s := fmt.Sprintf("%s (%s): %s", v.ID, v.Impact, v.Help)
	for _, n := range v.Nodes {
		s += fmt.Sprintf("\n    %v %s\n      %s", n.Target, n.HTML, n.Summary)
	}
	return s
}

// axePath is where `npm ci` (run by `make test`) puts axe-core: it is a
// devDependency in package.json, used only by the tests and never served.
const axePath = "node_modules/axe-core/axe.min.js"

var axeScript = sync.OnceValues(func() (string, error) {
	root, err := moduleRoot()
	if err != nil {
		return "", err
	}
	b, err := os.ReadFile(filepath.Join(root, axePath))
	if err != nil {
		return "", fmt.Errorf("%w (run `make test` or `npm ci`, which install axe-core)", err)
	}
	return string(b), nil
})

// moduleRoot walks up from the working directory (a test runs in its
// package's folder) to the folder holding go.mod.
func moduleRoot() (string, error) {
	dir, err := os.Getwd()
	if err != nil {
		return "", err
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir, nil
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", errors.New("no go.mod above the working directory")
		}
		dir = parent
	}
}

// axeRunJS runs the WCAG 2.0 and 2.1 A and AA rules on the whole document
// and keeps what a report needs of each violation.
const axeRunJS = `axe.run(document, {runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']}, resultTypes: ['violations']})
  .then(r => r.violations.map(v => ({id: v.id, impact: v.impact || '', help: v.help, helpUrl: v.helpUrl,
    nodes: v.nodes.map(n => ({target: n.target.map(String), html: n.html, summary: n.failureSummary || ''}))})))`

// Axe checks the page as it is now with axe-core and returns its WCAG A and
// AA violations. The script goes in through the DevTools protocol, which the
// page's Content-Security-Policy does not govern, so the policy stays as
// strict as in production and the binary never serves axe. A missing
// axe-core fails the test: `make test` installs it.
func Axe(t testing.TB, p *Page) []AxeViolation {
	t.Helper()
	script, err := axeScript()
	if err != nil {
		t.Fatalf("axe-core: %v", err)
	}
	if _, err := chromedp.Run(p.Ctx, chromedp.Evaluate[chromedp.Void](script+"\n;undefined")); err != nil {
		t.Fatalf("injecting axe-core: %v", err)
	}
	raw, err := chromedp.Run(p.Ctx, chromedp.Evaluate[[]byte](axeRunJS, chromedp.EvalAsValue, chromedp.EvalAwaitPromise))
	if err != nil {
		t.Fatalf("running axe-core: %v", err)
	}
	var out []AxeViolation
	if err := json.Unmarshal(raw, &out); err != nil {
		t.Fatalf("reading axe-core's results: %v", err)
	}
	return out
}
