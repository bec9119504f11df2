package charts

import (
	"errors"
	"fmt"
	"math"
)

// ErrBadInput is wrapped by every error caused by input that cannot make a
// sensible chart, so callers can tell it from an encoding failure.
var ErrBadInput = errors.New("input cannot make a chart")

// checkSpec rejects a Spec missing what every chart must show.
func checkSpec(spec Spec) error {
	if !validID(spec.ID) {
		return fmt.Errorf("%w: id %q is not a letter followed by letters, digits, '-' or '_'", ErrBadInput, spec.ID)
	}
	for _, f := range []struct{ name, value string }{
		{"title", spec.Title},
		{"subtitle (geography and period)", spec.Subtitle},
		{"unit", spec.Unit},
		{"source", spec.Source},
	} {
		if f.value == "" {
			return fmt.Errorf("%w: no %s", ErrBadInput, f.name)
		}
	}
	return nil
}

// validID keeps the ID usable both as a DOM id and as a file name.
func validID(id string) bool {
	if id == "" {
		return false
	}
	for i, r := range id {
		letter := (r >= 'a' && r <= 'z') || (r >= 'A' && r <= 'Z')
		if i == 0 && !letter {
			return false
		}
		if !letter && !(r >= '0' && r <= '9') && r != '-' && r != '_' {
			return false
		}
	}
	return true
}

// checkCategories rejects an empty axis, unnamed categories and duplicates;
// ECharts would merge duplicates on a category axis and misplace the bars.
func checkCategories(categories []string) error {
	if len(categories) == 0 {
		return fmt.Errorf("%w: no categories", ErrBadInput)
	}
	seen := make(map[string]bool, len(categories))
	for i, c := range categories {
		if c == "" {
			return fmt.Errorf("%w: category %d has no name", ErrBadInput, i)
		}
		if seen[c] {
			return fmt.Errorf("%w: duplicate category %q", ErrBadInput, c)
		}
		seen[c] = true
	}
	return nil
}

// checkSeries rejects series that do not line up with categories. Names must
// be present and unique because the legend toggles series by name.
func checkSeries(categories []string, series []Series) error {
	if len(series) == 0 {
		return fmt.Errorf("%w: no series", ErrBadInput)
	}
	names := make(map[string]bool, len(series))
	for i, s := range series {
		if s.Name == "" {
			return fmt.Errorf("%w: series %d has no name", ErrBadInput, i)
		}
		if names[s.Name] {
			return fmt.Errorf("%w: duplicate series %q", ErrBadInput, s.Name)
		}
		names[s.Name] = true
		if err := checkPoints(categories, s); err != nil {
			return err
		}
	}
	return nil
}

// checkPoints checks one series against the categories, position by position.
func checkPoints(categories []string, s Series) error {
	if len(s.Points) != len(categories) {
		return fmt.Errorf("%w: series %q has %d points for %d categories",
			ErrBadInput, s.Name, len(s.Points), len(categories))
	}
	for j, p := range s.Points {
		if p.Category != "" && p.Category != categories[j] {
			return fmt.Errorf("%w: series %q point %d is for %q, expected %q",
				ErrBadInput, s.Name, j, p.Category, categories[j])
		}
		// encoding/json cannot write NaN or ±Inf, and neither is a figure.
		if p.Value != nil && (math.IsNaN(*p.Value) || math.IsInf(*p.Value, 0)) {
			return fmt.Errorf("%w: series %q point %q is not a finite number",
				ErrBadInput, s.Name, categories[j])
		}
	}
	return nil
}

// checkInput runs every check a category chart needs.
func checkInput(spec Spec, categories []string, series []Series) error {
	if err := checkSpec(spec); err != nil {
		return err
	}
	if err := checkCategories(categories); err != nil {
		return err
	}
	return checkSeries(categories, series)
}
