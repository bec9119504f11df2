package web

import (
	"crypto/sha256"
	"encoding/hex"
	"regexp"
	"testing"
)

// builtFrom is the first line `make assets` writes into a minified file.
var builtFrom = regexp.MustCompile(`^/\* built from ([a-z.]+) sha256:([0-9a-f]{64}) \*/`)

// TestMinifiedAssetsMatchSources: the pages load our scripts and
// stylesheets minified (vendor/app.js from app.js …). Each must have been
// built from the source in this tree, or a test would pass on old code.
func TestMinifiedAssetsMatchSources(t *testing.T) {
	for _, name := range []string{"app.js", "banner.js", "app.css", "handout.css"} {
		source, err := staticFiles.ReadFile("static/" + name)
		if err != nil {
			t.Fatal(err)
		}
		built, err := staticFiles.ReadFile("static/vendor/" + name)
		if err != nil {
			t.Fatalf("vendor/%s is missing: run `make assets`", name)
		}
		m := builtFrom.FindSubmatch(built)
		sum := sha256.Sum256(source)
		switch {
		case m == nil:
			t.Errorf("vendor/%s does not say what it was built from: run `make assets`", name)
		case string(m[1]) != name || string(m[2]) != hex.EncodeToString(sum[:]):
			t.Errorf("vendor/%s was built from another %s (%s): run `make assets`", name, m[1], m[2][:12])
		}
		if len(built) >= len(source) {
			t.Errorf("vendor/%s (%d bytes) is not smaller than %s (%d bytes)", name, len(built), name, len(source))
		}
	}
}
