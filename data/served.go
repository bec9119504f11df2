package data

import (
	"fmt"
	"strings"
)

// maxServedText bounds each free-text field of an observation as the store
// hands it to pages, exports and the API. A real BLS title or note is a few
// hundred characters at most; a store written before ingest limited them, or
// edited by hand, may hold one of megabytes, which repeated across a page's
// charts, tables and citations once made a 734 MB home page. The database
// returns at most one character more than this, so such a field never
// reaches Go whole; ingest limits should stay below it, so that what is
// served is what was stored.
const maxServedText = 4096

// clippedColumns are the free-text columns of observationColumns that reads
// for serving clip: titles, text values, units, sources and notes. Codes,
// measures and periods are keys, checked on the way in.
var clippedColumns = map[string]bool{
	"occupation_title": true, "area_title": true, "industry_title": true, "text_value": true, "unit": true,
	"source_name": true, "source_title": true, "source_url": true, "notes": true,
}

// servedObservationColumns is observationColumns with each clipped column
// read as its first maxServedText+1 characters, in the same scan order.
var servedObservationColumns = clipColumns(resolvedObservationColumns)

func clipColumns(columns string) string {
	parts := strings.Split(columns, ",")
	for i, p := range parts {
		name := strings.TrimSpace(p)
		if clippedColumns[name] {
			parts[i] = " " + clipSQL(name) + " AS " + name
		}
	}
	return strings.TrimSpace(strings.Join(parts, ","))
}

// clipSQL reads at most maxServedText+1 characters of a text expression:
// one more than is served, so clipText can tell a field that was cut.
func clipSQL(expr string) string {
	return fmt.Sprintf("substr(%s, 1, %d)", expr, maxServedText+1)
}

// clipText cuts the free-text fields longer than maxServedText, marking the
// cut with an ellipsis.
func (o *Observation) clipText() {
	for _, p := range []*string{&o.OccupationTitle, &o.AreaTitle, &o.IndustryTitle, &o.Text,
		&o.SourceName, &o.SourceTitle, &o.SourceURL, &o.Notes} {
		*p = clipString(*p)
	}
	o.Unit = Unit(clipString(string(o.Unit)))
}

func clipString(s string) string {
	if len(s) <= maxServedText {
		return s // fewer bytes than the limit: fewer characters too
	}
	n := 0
	for i := range s {
		if n == maxServedText {
			return s[:i] + "…"
		}
		n++
	}
	return s
}

// scanServedObservation reads servedObservationColumns and clips the text.
func scanServedObservation(row interface{ Scan(...any) error }) (Observation, error) {
	o, err := scanObservation(row, nil)
	o.clipText()
	return o, err
}
