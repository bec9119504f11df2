package web

import (
	"bytes"
	"cmp"
	"context"
	"encoding/base64"
	"fmt"
	"html/template"
	"image/png"
	"net/url"
	"strings"

	"github.com/boombuler/barcode"
	"github.com/boombuler/barcode/qr"

	"github.com/labdash/labdash/cite"
	"github.com/labdash/labdash/dashboard"
	"github.com/labdash/labdash/data"
)

// handoutBlocks are the fact sheet's charts a one-page handout keeps.
var handoutBlocks = []string{"outlook-growth", "wage-distribution"}

// buildHandoutPage is the counselor handout (/handout?code=29-2010): the
// fact sheet cut to one printed page.
func buildHandoutPage(ctx context.Context, s *Server, snap data.Snapshot, q url.Values) (dashboard.Page, error) {
	p, err := buildOccupationPage(ctx, s, snap, q)
	if err != nil {
		return p, err
	}
	var kept []dashboard.Block
	for _, id := range handoutBlocks {
		if b, ok := p.Block(id); ok && b.HasChart() {
			kept = append(kept, b)
		}
	}
	p.Name, p.Blocks = "handout", kept
	if len(p.Facts) > 1 {
		p.Facts = p.Facts[:1] // the chosen occupation's column
	}
	// One page: the introduction keeps the classification history only.
	if f, ok := data.FamilyOf(p.Facts[0].Family.Codes[0]); ok && f.Note != "" {
		p.Intro = f.Note
	} else {
		p.Intro = ""
	}
	return p, nil
}

// handoutExtras are what the handout adds to a page: one citation for the
// whole sheet and a QR code of its pinned address.
type handoutExtras struct {
	Citation string
	QR       template.URL // a data: URL of a PNG
	Address  string
}

func (s *Server) handoutExtras(v pageView, base string) (handoutExtras, error) {
	address := base + v.PinnedURL
	var figures []data.Observation
	for _, col := range v.Facts {
		figures = append(figures, col.Figures()...)
	}
	for _, b := range v.Blocks {
		figures = append(figures, b.Observations...)
	}
	qrURL, err := qrDataURL(address)
	if err != nil {
		return handoutExtras{}, err
	}
	return handoutExtras{Citation: handoutCitation(v, figures, address), QR: qrURL, Address: address}, nil
}

// handoutCitation is one short citation for the whole sheet: the BLS
// releases, how many figures came through something other than BLS itself,
// and the pinned address where every figure's own source is listed. A full
// per-figure citation would not fit on one page.
func handoutCitation(v pageView, figures []data.Observation, address string) string {
	text := fmt.Sprintf("U.S. Bureau of Labor Statistics, %s. %s, as shown in labdash snapshot %d (published %s): %s.",
		strings.Join(cite.Releases(figures), "; "), v.Title, v.Snapshot.ID, v.Snapshot.CreatedAt.Format("January 2, 2006"), address)
	// Briefly, to keep to one page; cite.Intermediaries words each tier in
	// full on the pages.
	short := map[data.Tier]string{data.TierPrimaryArchived: "from archived bls.gov pages", data.TierResavedCopy: "from a re-saved BLS workbook",
		data.TierGithubCopy: "from copies of BLS tables", data.TierSecondary: "from third-party pages quoting BLS"}
	count := map[data.Tier]int{}
	for _, o := range figures {
		count[o.Tier]++
	}
	var via []string
	for _, t := range data.KnownTiers {
		if n := count[t]; n > 0 && t != data.TierPrimary {
			via = append(via, fmt.Sprintf("%d %s", n, cmp.Or(short[t], "of tier "+string(t))))
		}
	}
	if len(via) > 0 {
		text += fmt.Sprintf(" Of its %d figures, %s; each figure's source and tier are on that page.", len(figures), strings.Join(via, ", "))
	}
	return text
}

// qrDataURL draws a QR code of text as a PNG data URL: the page's CSP allows
// data: images, and the handout needs no second request.
func qrDataURL(text string) (template.URL, error) {
	code, err := qr.Encode(text, qr.M, qr.Auto)
	if err != nil {
		return "", fmt.Errorf("QR code: %w", err)
	}
	if code, err = barcode.Scale(code, 240, 240); err != nil {
		return "", fmt.Errorf("QR code: %w", err)
	}
	var buf bytes.Buffer
	if err := png.Encode(&buf, code); err != nil {
		return "", err
	}
	// The URL is built here from our own PNG bytes, never from data.
	return template.URL("data:image/png;base64," + base64.StdEncoding.EncodeToString(buf.Bytes())), nil
}
