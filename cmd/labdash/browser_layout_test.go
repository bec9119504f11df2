package main

import (
	"fmt"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/labdash/labdash/internal/browsertest"
)

// The layout checks: what a reader sees is whole and legible at the
// screen's width. They read the page and change nothing.

// overlappingTextJS lists pairs of text runs drawn over each other. Each run
// is a line box of a text node (Range.getClientRects), taken at the body of
// its glyphs (the middle three fifths of the line, a pixel in from each
// end), so lines that only touch never count; two boxes of one text node
// never overlap. Text a reader cannot see (hidden, the skip link until
// focused, text clipped to nothing for screen readers, a select's options)
// is left out.
const overlappingTextJS = `(() => {
  const range = document.createRange();
  const seen = new Map();
  const clipped = el => { // kept for screen readers only: clipped to nothing
    if (!el || el === document.body) return false;
    if (!seen.has(el)) {
      const cs = getComputedStyle(el);
      seen.set(el, (cs.clip !== 'auto' && cs.position === 'absolute') || cs.clipPath !== 'none' || clipped(el.parentElement));
    }
    return seen.get(el);
  };
  const shown = el => el.checkVisibility({visibilityProperty: true, opacityProperty: true}) &&
    !el.closest('.skip, script, style, noscript, template, select, option') && !clipped(el);
  const boxes = [];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let n = walker.nextNode(), i = 0; n; n = walker.nextNode(), i++) {
    if (!n.nodeValue.trim() || !shown(n.parentElement)) continue;
    range.selectNodeContents(n);
    for (const r of range.getClientRects()) {
      if (r.width < 1 || r.height < 1) continue;
      const inset = r.height / 5;
      boxes.push({node: i, el: n.parentElement, text: n.nodeValue.trim().slice(0, 40),
        l: r.left + 1, r: r.right - 1, t: r.top + inset, b: r.bottom - inset});
    }
  }
  const name = b => '"' + b.text + '" (' + b.el.tagName.toLowerCase() +
    (typeof b.el.className === 'string' && b.el.className ? '.' + b.el.className.split(' ')[0] : '') + ')';
  boxes.sort((a, b) => a.t - b.t);
  const out = [];
  for (let i = 0; i < boxes.length && out.length < 10; i++) {
    const a = boxes[i];
    for (let j = i + 1; j < boxes.length && boxes[j].t < a.b; j++) {
      const b = boxes[j];
      if (b.node !== a.node && Math.min(a.r, b.r) > Math.max(a.l, b.l)) {
        out.push(name(a) + ' overlaps ' + name(b));
      }
    }
  }
  return out;
})()`

// checkNoOverlappingText fails when text on the page is drawn over other
// text (the charts' canvases are checked by checkChartLayout).
func checkNoOverlappingText(t *testing.T, page *browsertest.Page) {
	t.Helper()
	for _, o := range browsertest.Eval[[]string](t, page, overlappingTextJS) {
		t.Errorf("overlapping text: %s", o)
	}
}

// cutTablesJS lists table text a reader cannot see whole at a screen W CSS
// pixels wide: text outside the screen, or outside the box of an element
// that clips the table's overflow (a sideways-scrolling wrapper, a height
// limit that hides the last rows). Headings kept only for screen readers
// (a stacked table's) are left out, and so are cells not shown.
const cutTablesJS = `((W) => {
  const range = document.createRange();
  const name = el => el.tagName.toLowerCase() + (el.id ? '#' + el.id : '') +
    (typeof el.className === 'string' && el.className ? '.' + el.className.split(' ')[0] : '');
  const out = [];
  for (const table of document.querySelectorAll('table')) {
    if (!table.checkVisibility()) continue;
    const clips = [];
    for (let a = table.parentElement; a && a !== document.body; a = a.parentElement) {
      const cs = getComputedStyle(a);
      if (cs.overflowX !== 'visible' || cs.overflowY !== 'visible') clips.push({el: a, box: a.getBoundingClientRect()});
    }
    const where = table.closest('[id]') ? '#' + table.closest('[id]').id : name(table);
    for (const cell of table.querySelectorAll('caption, th, td')) {
      if (!cell.checkVisibility({visibilityProperty: true})) continue;
      const head = cell.closest('thead');
      if (head && getComputedStyle(head).clip !== 'auto') continue;
      const walker = document.createTreeWalker(cell, NodeFilter.SHOW_TEXT);
      for (let n = walker.nextNode(); n; n = walker.nextNode()) {
        if (!n.nodeValue.trim()) continue;
        range.selectNodeContents(n);
        for (const r of range.getClientRects()) {
          let why = '';
          if (r.left < -1 || r.right > W + 1) {
            why = 'outside the ' + W + ' px screen (' + Math.round(r.left) + ' to ' + Math.round(r.right) + ' px)';
          } else {
            const c = clips.find(c => r.left < c.box.left - 1 || r.right > c.box.right + 1 || r.top < c.box.top - 1 || r.bottom > c.box.bottom + 1);
            if (c) why = 'cut off by ' + name(c.el);
          }
          if (why && out.length < 8) out.push('"' + n.nodeValue.trim().slice(0, 40) + '" in ' + where + ': ' + why);
        }
      }
    }
  }
  return out;
})(%d)`

// checkTablesWhole fails when a table's label, figure or period is cut off:
// off the screen, or hidden in a box the reader has to scroll.
func checkTablesWhole(t *testing.T, page *browsertest.Page, width int64) {
	t.Helper()
	for _, c := range browsertest.Eval[[]string](t, page, fmt.Sprintf(cutTablesJS, width)) {
		t.Errorf("cut-off table: %s", c)
	}
}

// chartLayoutJS reads how ECharts laid out each drawn chart: for every
// component (titles, legend, save button, axes, colour scale, the "No data"
// swatch, a series' marker line) the boxes of what it draws (text, icons,
// lines; not its invisible background and hover areas) as quadrilaterals in
// the chart's pixels (a rotated axis label is a rotated box). It lists boxes
// outside the canvas, boxes of two components that overlap (the lines of
// the two axes meet by design, and a marker line crosses the axes' grid
// lines, but no text may touch another), and texts of one component that
// overlap (axis labels, legend items, title and subtitle). Two boxes
// overlap when they go more than a pixel into each other along every axis
// that could separate them.
const chartLayoutJS = `(() => {
  const paint = c => !!c && c !== 'none' && c !== 'transparent' && !/^rgba\(.*,\s*0\)$/.test(String(c));
  const inked = el => el.type === 'text' || el.type === 'image' ||
    (!!el.style && (paint(el.style.fill) || (paint(el.style.stroke) && (el.style.lineWidth ?? 1) > 0)));
  const crossing = (a, b) => a !== b && ['xAxis', 'yAxis', 'markLine'].includes(a) && ['xAxis', 'yAxis', 'markLine'].includes(b);
  const corners = (r, m) => [[r.x, r.y], [r.x + r.width, r.y], [r.x + r.width, r.y + r.height], [r.x, r.y + r.height]]
    .map(([x, y]) => m ? [m[0] * x + m[2] * y + m[4], m[1] * x + m[3] * y + m[5]] : [x, y]);
  const depth = (p, q) => {
    let least = Infinity;
    for (const poly of [p, q]) {
      for (let i = 0; i < 4; i++) {
        const [x1, y1] = poly[i], [x2, y2] = poly[(i + 1) % 4];
        const len = Math.hypot(x2 - x1, y2 - y1);
        if (len < 1e-6) continue;
        const nx = (y1 - y2) / len, ny = (x2 - x1) / len;
        const a = p.map(([x, y]) => x * nx + y * ny), b = q.map(([x, y]) => x * nx + y * ny);
        least = Math.min(least, Math.min(Math.max(...a), Math.max(...b)) - Math.max(Math.min(...a), Math.min(...b)));
      }
    }
    return least;
  };
  const out = [];
  for (const dom of document.querySelectorAll('.chart[data-drawn="true"]')) {
    const chart = echarts.getInstanceByDom(dom);
    if (!chart) continue;
    const W = chart.getWidth(), H = chart.getHeight();
    const boxes = [];
    let node = 0;
    const add = (what, r, m, text) => {
      if (r.width <= 0 && r.height <= 0) return;
      const quad = corners(r, m);
      const xs = quad.map(c => c[0]), ys = quad.map(c => c[1]);
      boxes.push({what, quad, node, text, l: Math.min(...xs), r: Math.max(...xs), t: Math.min(...ys), b: Math.max(...ys)});
    };
    // A text is boxed line by line: each line's measured width, centred on
    // its line, at least as tall as its font (zrender sizes a line by the
    // width of a CJK glyph, which a machine without CJK fonts gets wrong).
    const addText = (what, el) => {
      const m = el.getComputedTransform();
      for (const line of el.childrenRef()) {
        if (!line.style || line.style.text == null || !String(line.style.text).trim()) continue;
        const r = line.getBoundingRect();
        const size = parseFloat((/(\d+(?:\.\d+)?)px/.exec(line.style.font || '') || [0, 12])[1]);
        const h = Math.max(r.height, size);
        add(what, {x: r.x, y: r.y + r.height / 2 - h / 2, width: r.width, height: h}, m, String(line.style.text).slice(0, 40));
      }
    };
    const collect = (what, group) => {
      if (!group || group.ignore) return;
      group.traverse(el => {
        if (el.isGroup || el.ignore || el.invisible || !inked(el)) return;
        node++;
        if (el.type === 'text') addText(what, el);
        else add(what, el.getBoundingRect(), el.getComputedTransform(), '');
      });
    };
    const model = chart.getModel();
    for (const type of ['title', 'legend', 'toolbox', 'xAxis', 'yAxis', 'visualMap', 'graphic', 'markLine']) {
      model.eachComponent(type, (m, i) => {
        const view = chart.getViewOfComponentModel(m);
        collect(type + (i ? '[' + i + ']' : ''), view && view.group);
      });
    }
    const name = b => b.what + (b.text ? ' "' + b.text + '"' : '');
    const problems = [];
    for (const b of boxes) {
      if (b.l < -1 || b.t < -1 || b.r > W + 1 || b.b > H + 1) {
        problems.push(name(b) + ' is outside the ' + W + '×' + H + ' chart (' + [b.l, b.t, b.r, b.b].map(Math.round).join(', ') + ')');
      }
    }
    for (let i = 0; i < boxes.length; i++) {
      for (let j = i + 1; j < boxes.length; j++) {
        const a = boxes[i], b = boxes[j];
        const same = a.what === b.what;
        if (a.node === b.node) continue;
        if (same || crossing(a.what.replace(/\[.*/, ''), b.what.replace(/\[.*/, ''))) {
          if (!(a.text && b.text)) continue; // lines and marks may cross; texts never
        }
        if (Math.min(a.r, b.r) - Math.max(a.l, b.l) > 1 && Math.min(a.b, b.b) - Math.max(a.t, b.t) > 1 && depth(a.quad, b.quad) > 1) {
          problems.push(name(a) + ' overlaps ' + name(b));
        }
      }
    }
    for (const p of problems.slice(0, 6)) out.push(dom.id + ': ' + p);
  }
  return out;
})()`

// checkChartLayout fails when a chart's texts overlap or leave its canvas:
// the save button over the subtitle, a legend over the plot, a source line
// cut off at the right.
func checkChartLayout(t *testing.T, page *browsertest.Page) {
	t.Helper()
	for _, p := range browsertest.Eval[[]string](t, page, chartLayoutJS) {
		t.Errorf("chart layout: %s", p)
	}
}

// factCard is one quick-fact card (.fact-column) and the periods it shows.
type factCard struct {
	Title   string   `json:"title"`
	Periods []string `json:"periods"`
}

const factCardsJS = `[...document.querySelectorAll('.fact-column')].map(card => ({
  title: (card.querySelector('h2, h3, h4') || card).textContent.trim().slice(0, 80),
  periods: [...card.querySelectorAll('.period')].map(p => p.textContent.replace(/\s+/g, ' ').trim())}))`

var (
	// oewsRelease is an OEWS release as the pages write it: "May 2024".
	oewsRelease = regexp.MustCompile(`\b(?:January|February|March|April|May|June|July|August|September|October|November|December) \d{4}\b`)
	// epEdition is an Employment Projections edition, "2024-34" (or with an
	// en dash, or four digits at the end); its first year is its base year.
	epEdition = regexp.MustCompile(`\b(\d{4}) ?[-–—] ?(?:\d{4}|\d{2})\b`)
	// baseYear is a period that is a bare year: an EP figure for its
	// edition's base year (employment, "2024", belongs to 2024-34).
	baseYear = regexp.MustCompile(`^(\d{4})$`)
)

// releasesOf returns the OEWS releases and EP editions (by base year) that
// periods name, each once. A period may name both, as a card's label saying
// which release and edition it shows does.
func releasesOf(periods []string) (oews, ep []string) {
	for _, p := range periods {
		for _, r := range oewsRelease.FindAllString(p, -1) {
			if !slices.Contains(oews, r) {
				oews = append(oews, r)
			}
		}
		years := baseYear.FindStringSubmatch(p)
		if years == nil {
			for _, m := range epEdition.FindAllStringSubmatch(p, -1) {
				years = append(years, m[1])
			}
		} else {
			years = years[1:]
		}
		for _, y := range years {
			if !slices.Contains(ep, y) {
				ep = append(ep, y)
			}
		}
	}
	return oews, ep
}

// checkFactCardsOneRelease: figures shown together come from one release.
// Every quick-fact card's pay figures are from one OEWS release and its
// outlook figures from one EP edition, whatever else the card says.
//
// On main as of this check's writing the 29-2010 card mixes editions
// (employment change from 2022-32 beside growth from 2024-34): the content
// half of issue 10 ("coherent quick facts") makes it pass. The failure
// message starts with "quick facts mix releases" so it can be told apart.
func checkFactCardsOneRelease(t *testing.T, r visitRun) {
	cards := browsertest.Eval[[]factCard](t, r.page, factCardsJS)
	if len(cards) == 0 {
		t.Errorf("no quick-fact card (.fact-column) on %s", r.v.path)
	}
	for _, c := range cards {
		if len(c.Periods) == 0 {
			t.Errorf("quick-fact card %q shows no period (.period)", c.Title)
		}
		oews, ep := releasesOf(c.Periods)
		if len(oews) > 1 || len(ep) > 1 {
			t.Errorf("quick facts mix releases: card %q shows OEWS releases %s and EP editions starting %s (periods: %s)",
				c.Title, strings.Join(oews, ", "), strings.Join(ep, ", "), strings.Join(c.Periods, " | "))
		}
	}
}

// TestReleasesOf: the classifier the quick-fact check relies on.
func TestReleasesOf(t *testing.T) {
	for _, c := range []struct {
		periods  []string
		oews, ep []string
	}{
		// Today's 29-2010 card: one OEWS release, two EP editions.
		{[]string{"May 2024", "May 2024", "2024", "2024-34", "2022-32", "2024-34", "2024-34"}, []string{"May 2024"}, []string{"2024", "2022"}},
		// One release and one edition, with a label naming both.
		{[]string{"OEWS May 2024 · Employment Projections 2024–34", "May 2024", "2024", "2024-2034"}, []string{"May 2024"}, []string{"2024"}},
		{[]string{"May 2023", "May 2024"}, []string{"May 2023", "May 2024"}, nil},
		{[]string{"2023", "2024-34"}, nil, []string{"2023", "2024"}},
		{nil, nil, nil},
	} {
		oews, ep := releasesOf(c.periods)
		if !slices.Equal(oews, c.oews) || !slices.Equal(ep, c.ep) {
			t.Errorf("releasesOf(%q) = %q, %q; want %q, %q", c.periods, oews, ep, c.oews, c.ep)
		}
	}
}

// navigationJS reads the site navigation: its links, the footer's, and the
// links that are no usable target on a screen W CSS pixels wide (smaller
// than the 24 px WCAG 2.2 asks, or off the screen). null: the page has no
// site navigation (the handout).
const navigationJS = `((W) => {
  const nav = document.querySelector('header.site nav');
  if (!nav) return null;
  const links = [...nav.querySelectorAll('a')];
  return {
    links: links.map(a => a.getAttribute('href')),
    footer: [...document.querySelectorAll('footer.site a')].map(a => a.getAttribute('href')),
    unusable: links.filter(a => { const r = a.getBoundingClientRect(); return r.width < 24 || r.height < 24 || r.left < 0 || r.right > W; })
      .map(a => a.textContent.trim()),
  };
})(%d)`

type navigation struct {
	Links, Footer, Unusable []string
}

// operatorPages are for whoever runs labdash, not for its readers: linked
// from the footer, not from the site navigation.
var operatorPages = []string{"/snapshots", "/ingest"}

// checkNavigation: the site navigation holds the readers' pages, each link
// a target a thumb can hit on the screen; the operator's pages are in the
// footer.
func checkNavigation(t *testing.T, page *browsertest.Page, width int64) {
	t.Helper()
	nav := browsertest.Eval[*navigation](t, page, fmt.Sprintf(navigationJS, width))
	if nav == nil {
		return
	}
	if len(nav.Links) < 5 {
		t.Errorf("the site navigation has %d links: %v", len(nav.Links), nav.Links)
	}
	for _, p := range operatorPages {
		if slices.Contains(nav.Links, p) {
			t.Errorf("the operator's page %s is in the site navigation %v", p, nav.Links)
		}
		if !slices.Contains(nav.Footer, p) {
			t.Errorf("the footer does not link the operator's page %s: %v", p, nav.Footer)
		}
	}
	if len(nav.Unusable) > 0 {
		t.Errorf("navigation links too small or off a %d px screen: %v", width, nav.Unusable)
	}
}
