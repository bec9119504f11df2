package dashboard

import (
	"slices"
	"strings"
	"testing"

	"github.com/labdash/labdash/data"
)

// The ladder on the built-in snapshot: pay from OEWS May 2016, the last
// release that lists technicians and technologists apart, entry from EP
// 2014-24 (BLS's education table), openings from the 2016-26 edition, the
// one with all three, read in a copy of BLS's table, and it says so.
func TestLadderOnBuiltinData(t *testing.T) {
	obs, snap := fullBuiltin(t)
	read := selectObs(obs, func(o data.Observation) bool {
		return slices.Contains(LadderCodes(), o.OccupationCode) && o.AreaCode == data.NationalAreaCode
	})
	p, err := BuildLadder(snap, read)
	if err != nil {
		t.Fatal(err)
	}
	if p.Name != "ladder" || len(p.Blocks) != 3 {
		t.Fatalf("page %q with %d blocks", p.Name, len(p.Blocks))
	}
	pay := occBlock(t, p, "ladder-pay")
	if !pay.HasChart() || !strings.Contains(pay.Chart.Subtitle, "OEWS May 2016") {
		t.Fatalf("pay: %q %q", pay.Empty, pay.Chart.Subtitle)
	}
	for step, want := range map[string]string{"Phlebotomist (31-9097)": "$32,710", "Technician (29-2012)": "$38,950", "Technologist (29-2011)": "$61,070"} {
		if got := occCell(t, pay, "Median", step); got != want {
			t.Errorf("median of %s = %s, want %s", step, got, want)
		}
	}
	for _, o := range pay.Observations {
		if o.Period != "May 2016" || !snap.Origins.FromBLSFile(o) {
			t.Errorf("pay figure %s %s %s from %s", o.OccupationCode, o.Measure, o.Period, o.SourceURL)
		}
	}
	entry := occBlock(t, p, "ladder-entry")
	for step, want := range map[string]string{"Phlebotomist (31-9097)": "Postsecondary nondegree award", "Technician (29-2012)": "Associate's degree", "Technologist (29-2011)": "Bachelor's degree"} {
		if got := occCell(t, entry, step, "Typical entry education"); got != want {
			t.Errorf("education of %s = %s, want %s", step, got, want)
		}
	}
	if len(entry.Observations) != 9 || !strings.Contains(entry.Table.Caption, "2014-24") {
		t.Errorf("entry: %d figures, caption %q", len(entry.Observations), entry.Table.Caption)
	}
	open := occBlock(t, p, "ladder-outlook")
	if got := occCell(t, open, "Openings a year, 2016-26", "Technician (29-2012)"); got != "12,900" {
		t.Errorf("technicians' openings %s", got)
	}
	if !strings.Contains(strings.Join(open.Caveats, " "), "no BLS file in this snapshot gives openings for the three steps separately") ||
		!strings.Contains(open.Chart.Source, "3 of 3 figures from BLS tables copied into public repositories") {
		t.Errorf("openings caveats %q, source %q", open.Caveats, open.Chart.Source)
	}
	if !strings.Contains(p.Notes[0], "OEWS lists them separately until May 2016") || !strings.Contains(p.Notes[0], "29-2018 from May 2019") {
		t.Errorf("history %q", p.Notes[0])
	}
}
