package data

import (
	"fmt"
	"strings"
	"testing"
)

// TestWorkSettingsGolden: every wording of a work setting the built-in
// figures use, and a few others, on its harmonised row.
func TestWorkSettingsGolden(t *testing.T) {
	var b strings.Builder
	for _, in := range []struct{ code, title string }{
		{"", "Hospitals"},
		{"", "Hospitals; state, local, and private"},
		{"", "General medical and surgical hospitals; state, local, and private"},
		{"", "  HOSPITALS;  state, local, and private "},
		{"", "Medical and diagnostic laboratories"},
		{"", "Offices of physicians"},
		{"", "Outpatient care centers"},
		{"", "Other ambulatory health care services"},
		{"", "All other ambulatory healthcare services"},
		{"", "Colleges, universities, and professional schools; state, local, and private"},
		{"", "Junior colleges, colleges, universities, and professional schools; state, local, and private"},
		{"", "Federal Government"},
		{"62", "Health Care and Social Assistance"},
		{"31-33", "Manufacturing"},
		{"", "Blood banks"},
		{"4242", ""},
	} {
		s, covers := WorkSettingOf(Observation{IndustryCode: in.code, IndustryTitle: in.title})
		fmt.Fprintf(&b, "%q %q → %s | %s", in.code, in.title, s.Code, s.Name)
		if covers != "" {
			fmt.Fprintf(&b, " | covers %s only", covers)
		}
		b.WriteString("\n")
	}
	golden(t, "work-settings.golden", b.String())
}
