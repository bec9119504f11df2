package main

import (
	"context"
	"fmt"
	"io"
	"strings"

	"github.com/labdash/labdash/dashboard"
	"github.com/labdash/labdash/data"
)

// runDiff prints what changed between two snapshots: labdash diff A B.
func runDiff(ctx context.Context, args []string, stdout, stderr io.Writer, getenv func(string) string) error {
	fs := newFlagSet("diff", stderr)
	dbPath := fs.String("db", envDefault(getenv, "LABDASH_DB", defaultDBPath), dbFlagUsage)
	if err := fs.Parse(args); err != nil {
		return usageError{err.Error()}
	}
	if fs.NArg() != 2 {
		return usageError{"diff takes two snapshots: labdash diff FROM TO (ids or latest)"}
	}
	store, err := data.OpenReadOnly(ctx, *dbPath)
	if err != nil {
		return err
	}
	defer store.Close()
	from, err := resolveSnapshot(ctx, store, fs.Arg(0))
	if err != nil {
		return err
	}
	to, err := resolveSnapshot(ctx, store, fs.Arg(1))
	if err != nil {
		return err
	}
	changes, err := store.Diff(ctx, from.ID, to.ID)
	if err != nil {
		return err
	}
	printDiff(stdout, dashboard.BuildDiff(from, to, changes))
	return nil
}

func printDiff(w io.Writer, r dashboard.DiffReport) {
	fmt.Fprintf(w, "snapshot %d → %d: %d added, %d revised, %d removed\n", r.From.ID, r.To.ID, r.Added, r.Revised, r.Removed)
	for _, c := range r.Callouts {
		fmt.Fprintf(w, "! %s\n", validText(c))
	}
	for _, g := range r.Groups {
		fmt.Fprintf(w, "\n%s · %s (%s) · %s\n", validText(g.Source), validText(g.OccupationTitle), validText(g.OccupationCode),
			g.Measure.LowerLabel())
		for _, l := range g.Lines {
			fmt.Fprintf(w, "  %-8s %s\n", l.Kind, validText(l.Text))
		}
	}
}

// validText replaces invalid UTF-8 in text from the store with U+FFFD
// before it reaches a terminal or a file: a store written by an older
// labdash, or edited by hand, may hold some.
func validText(s string) string { return strings.ToValidUTF8(s, "\uFFFD") }
