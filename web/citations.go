package web

import (
	"net/http"

	"github.com/labdash/labdash/cite"
	"github.com/labdash/labdash/dashboard"
	"github.com/labdash/labdash/data"
)

// pageCitations computes every citation a page offers, once per rendered
// page: one set per chart and one per quick fact, naming the page's pinned
// address so the citation still points at the same number next year.
func (s *Server) pageCitations(r *http.Request, v pageView) map[string][]cite.Citation {
	ctx := cite.Context{Snapshot: v.Snapshot, PinnedURL: s.baseURL(r) + v.PinnedURL}
	out := map[string][]cite.Citation{}
	for _, b := range v.Blocks {
		if len(b.Observations) == 0 {
			continue
		}
		title := b.Heading
		if b.HasChart() {
			title = b.Chart.Title
		}
		out[blockCiteKey(b)] = cite.ForChart(title, b.Observations, ctx)
	}
	for _, col := range v.Facts {
		for _, f := range col.Facts {
			if f.Observation != nil {
				out[factCiteKey(f.Observation)] = cite.ForObservation(*f.Observation, ctx)
			}
		}
	}
	return out
}

func blockCiteKey(b dashboard.Block) string { return "block:" + b.ID }

func factCiteKey(o *data.Observation) string { return "fact:" + o.Key().String() }

// citeStyleNames are the headings of the citation styles.
var citeStyleNames = map[string]string{
	cite.StyleAPA: "APA", cite.StyleMLA: "MLA", cite.StyleChicago: "Chicago", cite.StyleBibTeX: "BibTeX", cite.StyleText: "Plain sentence",
}

// citeView is what the "cite" template gets: the citations and an id prefix
// unique on the page, so each copy button knows its text.
type citeView struct {
	ID        string
	Label     string
	Citations []cite.Citation
}
