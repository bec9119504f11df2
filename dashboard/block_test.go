package dashboard

import (
	"errors"
	"math"
	"strings"
	"testing"

	"github.com/labdash/labdash/charts"
	"github.com/labdash/labdash/data"
)

// A chart that cannot be built is an error of the page, never a block
// whose text is the error: the server logs it and caches nothing.
// Synthetic test data: a share that is not a finite number.
func TestChartThatFailsToBuildFailsThePage(t *testing.T) {
	obs := occBuiltin(t)
	bad := data.Observation{OccupationCode: data.CodeClinicalLabEP, AreaCode: data.NationalAreaCode, AreaTitle: data.NationalAreaTitle,
		IndustryTitle: "Synthetic setting", Measure: data.MeasureShareOfOccupationPct, Period: "2024",
		Value: data.Float(math.Inf(1)), Unit: data.UnitPercentOfOccupation, Tier: data.TierPrimary}
	obs = append(obs, bad)

	b, err := WorkSettings("work-settings", data.CodeClinicalLabEP, "Clinical lab", obs)
	if !errors.Is(err, charts.ErrBadInput) || !strings.Contains(err.Error(), "building chart work-settings") {
		t.Errorf("WorkSettings: %v; want the chart's error, naming the chart", err)
	}
	if b.HasChart() || b.Empty != "" || len(b.Observations) > 0 {
		t.Errorf("a failed chart still gave a block: %+v", b)
	}
	if p, err := BuildHome(data.Snapshot{ID: 1}, obs); !errors.Is(err, charts.ErrBadInput) || len(p.Blocks) > 0 {
		t.Errorf("BuildHome: %d blocks, %v; want no page and the chart's error", len(p.Blocks), err)
	}
	q := map[string][]string{"code": {data.CodeClinicalLabEP}}
	choice, err := ChooseOccupation(q, occFacets(obs))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := BuildOccupation(data.Snapshot{ID: 1}, choice, obs); !errors.Is(err, charts.ErrBadInput) {
		t.Errorf("BuildOccupation: %v; want the chart's error", err)
	}
}
