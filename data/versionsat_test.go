package data

import (
	"context"
	"fmt"
	"strings"
	"testing"
)

// publishRevisions publishes figures figures, then revises every one of them
// revisions times: the store then holds (revisions+1)×figures versions, of
// which figures are live. Synthetic values, as in testObs.
func publishRevisions(t testing.TB, s *Store, figures, revisions int) []Snapshot {
	t.Helper()
	obs := make([]Observation, figures)
	for i := range obs {
		obs[i] = testObs(fmt.Sprintf("%02d-%04d", 11+i%80, i/80), MeasureMedianAnnualWage, "May 2024", float64(i))
	}
	var snaps []Snapshot
	for r := 0; r <= revisions; r++ {
		for i := range obs {
			obs[i].Value = Float(float64(i + 1000*r))
		}
		snap, err := s.Publish(context.Background(), Publication{Label: fmt.Sprint("revision ", r), Observations: obs})
		if err != nil {
			t.Fatal(err)
		}
		snaps = append(snaps, snap)
	}
	return snaps
}

// Each snapshot still reads as it was published once later ones revised
// every figure: the live versions for the latest, the superseded ones for
// the others, on both backends.
func TestSnapshotsReadTheirOwnVersionsAfterRevisions(t *testing.T) {
	forEachBackend(t, func(t *testing.T, s *Store) {
		ctx := context.Background()
		snaps := publishRevisions(t, s, 40, 3)
		for r, snap := range snaps {
			got := values(t, s, snap.ID)
			if len(got) != 40 {
				t.Fatalf("snapshot %d: %d figures, want 40", snap.ID, len(got))
			}
			for _, v := range got {
				if int(v)/1000 != r {
					t.Fatalf("snapshot %d (revision %d) shows %v, a figure of revision %d", snap.ID, r, v, int(v)/1000)
				}
			}
			facets, err := s.Distinct(ctx, snap.ID, "measure", Filter{})
			if err != nil || len(facets) != 1 || facets[0].Count != 40 {
				t.Errorf("snapshot %d: measures %+v, %v; want one with 40 figures", snap.ID, facets, err)
			}
			counts, err := s.FigureCounts(ctx, snap.ID)
			if err != nil || len(counts) != 1 || counts[0].Count != 40 {
				t.Errorf("snapshot %d: figure counts %+v, %v; want 40 primary", snap.ID, counts, err)
			}
			some, err := s.Observations(ctx, snap.ID, Filter{Occupations: []string{"12-0000"}})
			if err != nil || len(some) != 1 || int(*some[0].Value)/1000 != r {
				t.Errorf("snapshot %d, one occupation: %+v, %v", snap.ID, some, err)
			}
		}
	})
}

// The queries of a snapshot's figures reach the versions through indexes,
// never by reading every version: in SQLite's plan for each, the table is
// searched by an index, or the live versions' index is read whole. A scan
// of the table, or of an index of every version, would make the latest
// pages slower with every snapshot ever published
// (BenchmarkReadLatestWithHistory).
func TestSnapshotQueriesUseTheVersionIndexes(t *testing.T) {
	s, _ := openTestStore(t)
	publishRevisions(t, s, 40, 2)
	where, args := Filter{Occupations: []string{"12-0000"}}.where()
	for name, q := range map[string]struct {
		sql      string
		args     []any
		filtered bool // an index of the filter's column may serve instead
	}{
		"observations":          {observationsQuery(""), versionsAtArgs(2), false},
		"observations filtered": {observationsQuery(where), versionsAtArgs(2, args...), true},
		"distinct":              {distinctQuery("area_code", "area_title", ""), versionsAtArgs(2), false},
		"figure counts":         {figureCountsQuery, versionsAtArgs(2), false},
	} {
		plan := queryPlan(t, s, q.sql, q.args)
		if !q.filtered && !strings.Contains(plan.String(), "observations_superseded") {
			t.Errorf("%s: the plan does not find superseded versions by their index:\n%s", name, plan)
		}
		// Within the union, the one whole scan allowed is of the live
		// versions' index; outside it, the query scans its own subquery,
		// which is named observations too.
		for _, step := range plan {
			if strings.HasPrefix(step.detail, "SCAN observations") && plan.inUnion(step) &&
				step.detail != "SCAN observations USING INDEX observations_live" {
				t.Errorf("%s: the plan reads every version (%s):\n%s", name, step.detail, plan)
			}
		}
	}
}

// planStep is one line of SQLite's EXPLAIN QUERY PLAN.
type planStep struct {
	id, parent int
	detail     string
}

type queryPlanSteps []planStep

func (p queryPlanSteps) String() string {
	var b strings.Builder
	for _, s := range p {
		fmt.Fprintf(&b, "%d<-%d %s\n", s.id, s.parent, s.detail)
	}
	return b.String()
}

// unionSteps are how a plan shows the arms of a UNION ALL, run one after
// the other or merged in order.
var unionSteps = map[string]bool{"COMPOUND QUERY": true, "MERGE (UNION ALL)": true}

// inUnion reports whether a step is within the UNION ALL of versionsAtSQL.
func (p queryPlanSteps) inUnion(step planStep) bool {
	for parent := step.parent; parent != 0; {
		found := false
		for _, s := range p {
			if s.id == parent {
				if unionSteps[s.detail] {
					return true
				}
				parent, found = s.parent, true
				break
			}
		}
		if !found {
			return false
		}
	}
	return false
}

func queryPlan(t *testing.T, s *Store, query string, args []any) queryPlanSteps {
	t.Helper()
	rows, err := s.read.QueryContext(context.Background(), "EXPLAIN QUERY PLAN "+query, args...)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var plan queryPlanSteps
	for rows.Next() {
		var step planStep
		var unused int
		if err := rows.Scan(&step.id, &step.parent, &unused, &step.detail); err != nil {
			t.Fatal(err)
		}
		plan = append(plan, step)
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return plan
}

// BenchmarkReadLatestWithHistory reads the latest snapshot's figures from a
// store where every figure was revised 30 times, beside the same read from
// a store that holds one snapshot (Baseline): the ratio of the two is what
// history costs the latest pages (a page renders from several such reads).
//
//	go test ./data -run '^$' -bench ReadLatest
func BenchmarkReadLatestWithHistory(b *testing.B) {
	for _, bc := range []struct {
		name      string
		revisions int
	}{{"Baseline", 0}, {"After30Revisions", 30}} {
		b.Run(bc.name, func(b *testing.B) {
			s, _ := openTestStore(b)
			snaps := publishRevisions(b, s, 3500, bc.revisions)
			latest := snaps[len(snaps)-1].ID
			ctx := context.Background()
			for b.Loop() {
				n := 0
				if err := s.EachObservation(ctx, latest, Filter{}, func(Observation) error { n++; return nil }); err != nil || n != 3500 {
					b.Fatal(n, err)
				}
				if _, err := s.FigureCounts(ctx, latest); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
