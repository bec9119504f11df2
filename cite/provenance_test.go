package cite

import (
	"slices"
	"testing"

	"github.com/labdash/labdash/data"
)

func TestShortReleaseAndReleases(t *testing.T) {
	fig := func(m data.Measure, period string) data.Observation {
		return data.Observation{Measure: m, Period: period}
	}
	for _, tc := range []struct {
		o    data.Observation
		want string
	}{
		{fig(data.MeasureMedianAnnualWage, "May 2024"), "OEWS May 2024"},
		{fig(data.MeasureProjectedGrowthPct, "2024-2034"), "EP 2024-34"},
		{fig(data.MeasureEmployment, "2019"), "EP 2019 base-year employment"},
		{fig(data.MeasureShareOfOccupationPct, "2021"), "EP matrix 2021"},
		{fig(data.MeasureEmployment, "someday"), ""},
	} {
		if got := ShortRelease(tc.o); got != tc.want {
			t.Errorf("ShortRelease(%s %s) = %q, want %q", tc.o.Measure, tc.o.Period, got, tc.want)
		}
	}
	var obs []data.Observation
	for _, y := range []string{"May 2024", "May 2014", "May 2016"} {
		obs = append(obs, fig(data.MeasureMedianAnnualWage, y), fig(data.MeasureMeanAnnualWage, y))
	}
	obs = append(obs, fig(data.MeasureProjectedGrowthPct, "2024-2034"), fig(data.MeasureAnnualOpenings, "2019-2029"),
		fig(data.MeasureEmployment, "2019"))
	want := []string{"OEWS May 2014 to May 2024 (3 releases)", "EP 2019-29 and 2024-34", "EP 2019 base-year employment"}
	if got := Releases(obs); !slices.Equal(got, want) {
		t.Errorf("Releases = %q, want %q", got, want)
	}
}

func TestIntermediaries(t *testing.T) {
	fig := func(tier data.Tier, url string) data.Observation { return data.Observation{Tier: tier, SourceURL: url} }
	obs := []data.Observation{
		fig(data.TierPrimary, "https://www.bls.gov/oes/special-requests/oesm24nat.zip"),
		fig(data.TierSecondary, "https://www.beckershospitalreview.com/pay.html"),
		fig(data.TierSecondary, "https://www.beckershospitalreview.com/pay.html"),
		// A third party's quote filed under the bls.gov page it quotes.
		fig(data.TierSecondary, "https://www.bls.gov/ooh/healthcare/x.htm"),
		fig(data.TierResavedCopy, "https://www.bls.gov/oes/special-requests/oesm24nat.zip"),
	}
	want := []string{
		"1 of 5 figures from a BLS workbook re-saved by a third party",
		"3 of 5 figures from third-party pages quoting BLS (beckershospitalreview.com)",
	}
	if got := Intermediaries(obs); !slices.Equal(got, want) {
		t.Errorf("Intermediaries = %q, want %q", got, want)
	}
	if got := Intermediaries(obs[:1]); len(got) != 0 {
		t.Errorf("only primary figures: %q, want nothing", got)
	}
}
