package charts

import (
	"math"
	"strconv"
	"testing"
)

// relativeLuminance is WCAG 2.1's, for a "#rrggbb" or "#rgb" colour.
func relativeLuminance(t *testing.T, hex string) float64 {
	t.Helper()
	if len(hex) == 4 {
		hex = string([]byte{'#', hex[1], hex[1], hex[2], hex[2], hex[3], hex[3]})
	}
	var lin [3]float64
	for i := range lin {
		v, err := strconv.ParseUint(hex[1+2*i:3+2*i], 16, 8)
		if err != nil || len(hex) != 7 {
			t.Fatalf("colour %q: %v", hex, err)
		}
		c := float64(v) / 255
		if c <= 0.03928 {
			lin[i] = c / 12.92
		} else {
			lin[i] = math.Pow((c+0.055)/1.055, 2.4)
		}
	}
	return 0.2126*lin[0] + 0.7152*lin[1] + 0.0722*lin[2]
}

func contrast(t *testing.T, a, b string) float64 {
	la, lb := relativeLuminance(t, a), relativeLuminance(t, b)
	return (math.Max(la, lb) + 0.05) / (math.Min(la, lb) + 0.05)
}

// The series colours the pages use (at most five series per chart) are
// graphics a reader needs: WCAG 2.1 1.4.11 asks 3:1 against the white
// background. Chart text is small: 4.5:1 (1.4.3).
func TestColoursContrastWithWhite(t *testing.T) {
	const maxSeriesOnAPage = 5
	for i, c := range palette()[:maxSeriesOnAPage] {
		if r := contrast(t, c, background); r < 3 {
			t.Errorf("series colour %d %s is %.2f:1 on white, want at least 3:1", i, c, r)
		}
	}
	for _, c := range []string{textColor, titleColor} {
		if r := contrast(t, c, background); r < 4.5 {
			t.Errorf("text colour %s is %.2f:1 on white, want at least 4.5:1", c, r)
		}
	}
}
