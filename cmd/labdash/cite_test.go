package main

import (
	"bytes"
	"context"
	"errors"
	"strings"
	"testing"
)

// runCiteCLI runs `labdash cite` in-process on its own environment. It calls
// runCite directly, so it does not depend on main's command switch.
func runCiteCLI(t *testing.T, env map[string]string, args ...string) (string, string, error) {
	t.Helper()
	var stdout, stderr bytes.Buffer
	err := runCite(context.Background(), args, &stdout, &stderr, func(k string) string { return env[k] })
	return stdout.String(), stderr.String(), err
}

func TestCiteCommand(t *testing.T) {
	env := map[string]string{"LABDASH_DB": seededStore(t)}

	out, errOut, err := runCiteCLI(t, env)
	if err != nil {
		t.Fatalf("cite: %v %s", err, errOut)
	}
	// The quick facts: pay from one OEWS release (May 2024, the re-saved
	// workbook), outlook from one EP edition (2019-29, BLS's workbooks).
	for _, want := range []string{"61,890", "May 2024", "snapshot 1", "re-saved copy", "7.3%", "2019-29", "occupation.xlsx",
		"U.S. Bureau of Labor Statistics", "http://127.0.0.1:8080/s/1/occupation?code=29-2010"} {
		if !strings.Contains(out, want) {
			t.Errorf("default output lacks %q:\n%s", want, out)
		}
	}
	if strings.Contains(out, "secondary") || strings.Contains(out, "2024-34") {
		t.Errorf("a quick fact's citation names a listed figure:\n%s", out)
	}
	paragraphs := strings.Split(strings.TrimSpace(out), "\n\n")
	if len(paragraphs) < 5 {
		t.Errorf("want one citation per quick fact, got %d:\n%s", len(paragraphs), out)
	}
	for _, p := range paragraphs {
		if strings.Contains(p, "\n") {
			t.Errorf("a text citation spans lines: %q", p)
		}
	}

	out, _, err = runCiteCLI(t, env, "--style", "bibtex", "--snapshot", "1", "--base-url", "https://labdash.example.edu/")
	if err != nil || strings.Count(out, "@misc{") != len(paragraphs) ||
		!strings.Contains(out, `\url{https://labdash.example.edu/s/1/occupation?code=29-2010}`) {
		t.Errorf("--style bibtex (%v):\n%s", err, out)
	}

	env["LABDASH_BASE_URL"] = "https://lab.example.org"
	out, _, err = runCiteCLI(t, env, "--occupation", "31-9097", "--style", "apa")
	if err != nil || !strings.Contains(out, "Phlebotomists (SOC 31-9097)") ||
		!strings.Contains(out, "https://lab.example.org/s/1/occupation?code=31-9097") || strings.Contains(out, "29-2010") {
		t.Errorf("--occupation 31-9097 --style apa (%v):\n%s", err, out)
	}
}

func TestCiteCommandUsageErrors(t *testing.T) {
	env := map[string]string{"LABDASH_DB": seededStore(t)}
	for _, args := range [][]string{
		{"--style", "harvard"},
		{"--occupation", "lab techs"},
		{"--base-url", "labdash.example.edu"},
		{"--snapshot", "first"},
		{"extra"},
	} {
		_, _, err := runCiteCLI(t, env, args...)
		var ue usageError
		if !errors.As(err, &ue) {
			t.Errorf("%v: want a usage error, got %v", args, err)
		}
	}
	if _, _, err := runCiteCLI(t, env, "--snapshot", "9"); err == nil || errors.As(err, new(usageError)) {
		t.Errorf("missing snapshot: want a plain error, got %v", err)
	}
	if _, _, err := runCiteCLI(t, env, "--occupation", "11-1011"); err == nil || !strings.Contains(err.Error(), "no quick facts") {
		t.Errorf("occupation with no figures: %v", err)
	}
}
