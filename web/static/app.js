// labdash: draws every chart on the page from the options the server put in
// its data-options attribute (JSON, never evaluated), and keeps charts sized
// to their containers. No inline script anywhere: the CSP forbids it.
(function () {
  'use strict';

  // Drawn charts, each with an optional fit() that sets its element's height
  // for the current width before ECharts resizes it (the state map).
  var drawn = [];

  // Named value formats: the server sends a name (data-format), never code.
  var formats = {
    usd: new Intl.NumberFormat('en-US', { style: 'currency', currency: 'USD', maximumFractionDigits: 2, minimumFractionDigits: 0 }),
    percent: new Intl.NumberFormat('en-US', { maximumFractionDigits: 1 }),
    number: new Intl.NumberFormat('en-US', { maximumFractionDigits: 2 })
  };

  // Short forms ("$50K") for the labels of a value axis too short for the
  // long ones; the tooltip and the table keep the exact figures.
  var compactFormats = {
    usd: new Intl.NumberFormat('en-US', { style: 'currency', currency: 'USD', notation: 'compact', maximumFractionDigits: 1 }),
    number: new Intl.NumberFormat('en-US', { notation: 'compact', maximumFractionDigits: 1 })
  };

  function formatter(name, compact) {
    var f = (compact && compactFormats[name]) || formats[name] || formats.number;
    return function (v) {
      if (v === '-' || v === null || v === undefined || isNaN(v)) {
        return 'no figure';
      }
      return f.format(v) + (name === 'percent' ? '%' : '');
    };
  }

  // applyFormat puts the named formatter on value axes and the tooltip.
  function applyFormat(options, name) {
    var fmt = formatter(name);
    ['xAxis', 'yAxis'].forEach(function (key) {
      [].concat(options[key] || []).forEach(function (axis) {
        if (axis.type === 'value') {
          axis.axisLabel = axis.axisLabel || {};
          axis.axisLabel.formatter = fmt;
        }
      });
    });
    options.tooltip = options.tooltip || {};
    options.tooltip.valueFormatter = fmt;
  }

  // readOptions parses a chart's options and puts the page's formats on them.
  function readOptions(el) {
    var options = JSON.parse(el.getAttribute('data-options'));
    applyFormat(options, el.getAttribute('data-format'));
    if (document.body.classList.contains('handout')) {
      options.toolbox = { show: false }; // paper has no buttons
    }
    return options;
  }

  // baseHeight is the height a chart's element asks for before its texts are
  // fitted to its width: data-min-height, or else what the stylesheet gives
  // it (the handout), read once before app.js sets a height of its own.
  function baseHeight(el) {
    var minHeight = parseInt(el.getAttribute('data-min-height') || '0', 10);
    if (minHeight > 0) {
      return minHeight;
    }
    if (!el.hasAttribute('data-base-height')) {
      el.setAttribute('data-base-height', el.clientHeight);
    }
    return parseInt(el.getAttribute('data-base-height'), 10);
  }

  // layOut fits a chart's options to its element's width and sets the
  // element's height; adjust, when given, may change the options once
  // formatted and returns the chart's fit(), which sets the height itself.
  function layOut(el, options, adjust) {
    var width = el.clientWidth;
    var height = baseHeight(el) + fitToWidth(options, width);
    height += fitCategoryRows(options, height);
    height += plotShortfall(options, height);
    fitValueAxes(options, width, height, el.getAttribute('data-format'));
    el.style.height = height + 'px';
    var fit = adjust ? adjust(options, formatter(el.getAttribute('data-format'))) : null;
    if (fit) {
      fit();
    }
    return { fit: fit, width: width };
  }

  // draw reads a chart's options and draws it; see layOut for adjust.
  function draw(el, adjust) {
    var options;
    try {
      options = readOptions(el);
    } catch (e) {
      el.textContent = 'This chart could not be read; the table below has the same figures.';
      return;
    }
    var laid = layOut(el, options, adjust);
    var chart = window.echarts.init(el, null, { renderer: 'canvas' });
    chart.on('finished', function () {
      el.setAttribute('data-drawn', 'true');
      if (!el.hasAttribute('data-drawn-ms')) { el.setAttribute('data-drawn-ms', Math.round(performance.now())); } // first draw, ms after navigation (browser test)
    });
    chart.setOption(options);
    drawn.push({ el: el, chart: chart, adjust: adjust, fit: laid.fit, width: laid.width });
  }

  // redraw follows a change of window size: a chart whose width changed is
  // laid out again from its options (texts wrap differently), the others
  // are only resized.
  function redraw(d) {
    if (d.el.clientWidth !== d.width) {
      var options = readOptions(d.el);
      var laid = layOut(d.el, options, d.adjust);
      d.fit = laid.fit;
      d.width = laid.width;
      d.chart.setOption(options, true);
    } else if (d.fit) {
      d.fit();
    }
    d.chart.resize();
  }

  // ---- Chart texts fitted to the chart's width ----------------------------
  // charts/ leaves room for one line each of title, subtitle, legend and
  // source line (the constants below). On a phone they need more: fitToWidth
  // breaks every text into lines that fit (the title and subtitle clear of
  // the save-as-PNG button at the top right), turns the paged legend into
  // rows that wrap, showing every series' full name, and moves the legend,
  // the plot and what sits at the bottom by the room the extra lines take.
  // It places the line breaks itself, measured in the font ECharts draws
  // with, so the heights are known before the chart is drawn; the browser
  // tests read the drawn chart's component boxes and fail on any overlap.
  var TITLE_BLOCK_PX = 64; // charts.titleBlockPx: room above the legend
  var LEGEND_PX = 28; // charts.legendPx: one legend row
  var SOURCE_LINE_PX = 24; // charts.sourceLinePx: the source line at the bottom
  var PADDING_PX = 5; // ECharts' padding round a title or legend
  var TITLE_GAP_PX = 10; // ECharts' gap between title and subtitle
  var LEGEND_TEXT_X_PX = 30; // a legend item's text starts after its 25 px icon and 5 px
  var LEGEND_GAP_PX = 10; // ECharts' gap between legend items and rows
  var TOOLBOX_ROOM_PX = 44; // the button (right 8, 15 px icon, padding 5) and a gap
  var LINE_PX = { title: 20, subtitle: 16, legend: 16, source: 14 };

  var measuring = null;

  function textWidth(text, font) {
    measuring = measuring || document.createElement('canvas').getContext('2d');
    measuring.font = font;
    return measuring.measureText(text).width;
  }

  // fontOf is the CSS font ECharts draws a text style with; size and
  // weight are ECharts' defaults for that text.
  function fontOf(style, size, weight, family) {
    return [style.fontStyle || 'normal', style.fontWeight || weight, (style.fontSize || size) + 'px', style.fontFamily || family].join(' ');
  }

  // wrapText breaks text into lines no wider than width, at spaces and
  // after a hyphen between letters ("Chicago-Naperville-Elgin", never an
  // SOC code); a word wider than the line is cut where it must be.
  function wrapText(text, font, width) {
    var lines = [];
    String(text).split('\n').forEach(function (paragraph) {
      var line = '';
      paragraph.split(' ').forEach(function (word, w) {
        word.split(/(?<=[A-Za-z]-)(?=[A-Za-z])/).forEach(function (part, p) {
          var joint = line && w > 0 && p === 0 ? ' ' : '';
          if (textWidth(line + joint + part, font) <= width) {
            line += joint + part;
            return;
          }
          if (line) {
            lines.push(line);
          }
          line = part;
          while (line.length > 1 && textWidth(line, font) > width) {
            var cut = line.length - 1;
            while (cut > 1 && textWidth(line.slice(0, cut), font) > width) {
              cut--;
            }
            lines.push(line.slice(0, cut));
            line = line.slice(cut);
          }
        });
      });
      lines.push(line);
    });
    return lines;
  }

  // ellipsis ends a line cut short with "…", within width.
  function ellipsis(line, font, width) {
    var cut = line;
    while (cut && textWidth(cut + '…', font) > width) {
      cut = cut.slice(0, -1);
    }
    return cut.replace(/[\s,;]+$/, '') + '…';
  }

  function px(v) {
    var n = typeof v === 'number' ? v : parseFloat(v);
    return isFinite(n) && !/%$/.test(String(v)) ? n : null;
  }

  // fitTitle wraps the title and subtitle to width and returns how much
  // taller than one line each they are.
  function fitTitle(title, width, family) {
    var style = title.textStyle = title.textStyle || {};
    var lines = wrapText(title.text || '', fontOf(style, 18, 'bold', family), width);
    title.text = lines.join('\n');
    style.lineHeight = LINE_PX.title;
    var height = 2 * PADDING_PX + lines.length * LINE_PX.title;
    if (title.subtext) {
      var subStyle = title.subtextStyle = title.subtextStyle || {};
      var subLines = wrapText(title.subtext, fontOf(subStyle, 12, 'normal', family), width);
      title.subtext = subLines.join('\n');
      subStyle.lineHeight = LINE_PX.subtitle;
      height += TITLE_GAP_PX + subLines.length * LINE_PX.subtitle;
    }
    return Math.max(0, height - (TITLE_BLOCK_PX - 8));
  }

  // fitSource wraps the source line at the bottom; returns its extra height.
  function fitSource(title, width, family) {
    var style = title.textStyle = title.textStyle || {};
    var lines = wrapText(title.text || '', fontOf(style, 18, 'bold', family), width);
    title.text = lines.join('\n');
    style.lineHeight = LINE_PX.source;
    return Math.max(0, 2 * PADDING_PX + lines.length * LINE_PX.source - SOURCE_LINE_PX);
  }

  function legendNames(options, legend) {
    var names = [];
    [].concat(legend.data || options.series || []).forEach(function (item) {
      var name = typeof item === 'string' ? item : item && item.name;
      if (name != null && names.indexOf(String(name)) < 0) {
        names.push(String(name));
      }
    });
    return names;
  }

  // fitLegend makes the legend plain rows that wrap as ECharts lays them out
  // (an item goes to the next row when it would pass the legend's width),
  // each name broken into lines that fit, and returns its extra height.
  function fitLegend(options, legend, width, family) {
    var style = legend.textStyle = legend.textStyle || {};
    var font = fontOf(style, 12, 'normal', family);
    var labels = {};
    var x = 0;
    var rowHeight = 0;
    var height = 0;
    legendNames(options, legend).forEach(function (name) {
      var lines = wrapText(name, font, width - LEGEND_TEXT_X_PX - 1);
      labels[name] = lines.join('\n');
      var itemWidth = LEGEND_TEXT_X_PX + Math.max.apply(null, lines.map(function (l) { return textWidth(l, font); }));
      if (x > 0 && x + itemWidth > width) {
        height += rowHeight + LEGEND_GAP_PX;
        x = 0;
        rowHeight = 0;
      }
      x += itemWidth + LEGEND_GAP_PX;
      rowHeight = Math.max(rowHeight, lines.length * LINE_PX.legend);
    });
    height += rowHeight;
    legend.type = 'plain';
    legend.width = width;
    legend.itemGap = LEGEND_GAP_PX;
    style.lineHeight = LINE_PX.legend;
    legend.formatter = function (name) { return labels[name] !== undefined ? labels[name] : name; };
    return Math.max(0, 2 * PADDING_PX + height - (LEGEND_PX - 2));
  }

  // shiftBy moves what is placed from the top down by top pixels, and what
  // is placed from the bottom up by bottom pixels.
  function shiftBy(options, key, top, bottom) {
    [].concat(options[key] || []).forEach(function (o) {
      if (top && px(o.top) !== null) {
        o.top = px(o.top) + top;
      }
      if (bottom && px(o.bottom) !== null) {
        o.bottom = px(o.bottom) + bottom;
      }
    });
  }

  // ---- Axis labels that fit the plot -------------------------------------
  // A horizontal bar chart's category labels wrap (charts: axisLabel width
  // and lineHeight): each row must be as tall as its longest label, and the
  // first and last labels, centred on their rows, must not reach into the
  // legend above or the value labels below. A value axis gets no more
  // labels than its length holds.
  var X_LABELS_PX = 20; // one row of horizontal axis labels (charts.xLabelsPx, less its margin)
  var ROTATED_X_LABELS_PX = 50; // a row of labels turned 45 degrees
  var LABEL_GAP_PX = 12; // between two value labels
  var MAX_LABEL_LINES = 4; // of a category label

  function axesOf(options, key) {
    return [].concat(options[key] || []);
  }

  function gridOf(options, axis) {
    return axesOf(options, 'grid')[axis.gridIndex || 0] || {};
  }

  function plotHeight(options, grid, height) {
    var rotated = axesOf(options, 'xAxis').some(function (a) { return a.type === 'category' && a.axisLabel && a.axisLabel.rotate; });
    return height - (px(grid.top) || 0) - (px(grid.bottom) || 0) - (rotated ? ROTATED_X_LABELS_PX : X_LABELS_PX);
  }

  // plotShortfall is how much taller a chart must be for its plot to keep
  // MIN_PLOT_PX: a narrow chart (the handout's two columns) whose title wraps
  // onto several lines grows instead of squeezing its bars to a sliver.
  var MIN_PLOT_PX = 140;
  function plotShortfall(options, height) {
    var grid = axesOf(options, 'grid')[0];
    if (!grid || px(grid.top) === null) {
      return 0; // a map or a chart without a plot
    }
    return Math.max(0, MIN_PLOT_PX - plotHeight(options, grid, height));
  }

  function categoryLabel(c) {
    return String(c !== null && typeof c === 'object' ? c.value : c);
  }

  // fitCategoryRows returns how many pixels taller a horizontal bar chart
  // must be for its wrapped category labels, and moves its plot clear of
  // the first and last labels.
  function fitCategoryRows(options, height) {
    var extra = 0;
    axesOf(options, 'yAxis').forEach(function (axis) {
      var label = axis.axisLabel || {};
      var names = axis.data || [];
      if (axis.type !== 'category' || !label.width || label.overflow !== 'break' || !names.length) {
        return; // labels cut to one line ("truncate") fit any row
      }
      var lineHeight = px(label.lineHeight) || 14;
      var font = fontOf(label, 12, 'normal', (options.textStyle || {}).fontFamily || 'sans-serif');
      // A name longer than four lines ends in "…" on its fourth (the
      // tooltip and the table give it whole), so one long name does not
      // make every row as tall as it.
      var shown = {};
      var lines = names.map(function (c) {
        var name = categoryLabel(c);
        var wrapped = wrapText(name, font, label.width);
        if (wrapped.length > MAX_LABEL_LINES) {
          wrapped = wrapped.slice(0, MAX_LABEL_LINES);
          wrapped[MAX_LABEL_LINES - 1] = ellipsis(wrapped[MAX_LABEL_LINES - 1], font, label.width);
        }
        shown[name] = wrapped.join('\n');
        return wrapped.length;
      });
      label.formatter = function (value) { return shown[value] !== undefined ? shown[value] : value; };
      var grid = gridOf(options, axis);
      var rowNeeds = Math.max.apply(null, lines) * lineHeight + 4;
      var plot = plotHeight(options, grid, height);
      extra = Math.max(extra, rowNeeds * names.length - plot);
      var row = Math.max(plot, rowNeeds * names.length) / names.length;
      var first = lines[axis.inverse ? 0 : lines.length - 1] * lineHeight;
      var last = lines[axis.inverse ? lines.length - 1 : 0] * lineHeight;
      var above = Math.ceil(Math.max(0, (first - row) / 2));
      var below = Math.ceil(Math.max(0, (last - row) / 2));
      grid.top = (px(grid.top) || 0) + above;
      grid.bottom = (px(grid.bottom) || 0) + below;
      extra = Math.max(0, extra) + above + below;
    });
    return Math.max(0, extra);
  }

  // valueRange is the range a value axis spans: the chart's figures and 0.
  function valueRange(options) {
    var range = [0, 0];
    [].concat(options.series || []).forEach(function (series) {
      (series.data || []).forEach(function (d) {
        var v = Number(d !== null && typeof d === 'object' ? d.value : d);
        if (isFinite(v)) {
          range = [Math.min(range[0], v), Math.max(range[1], v)];
        }
      });
    });
    return range;
  }

  // niceInterval is the interval ECharts picks for splitNumber intervals
  // over span (echarts/lib/util/number.js nice, rounding).
  function niceInterval(span, splitNumber) {
    var raw = span / splitNumber;
    var exp10 = Math.pow(10, Math.floor(Math.log10(raw)));
    var f = raw / exp10;
    return (f < 1.5 ? 1 : f < 2.5 ? 2 : f < 4 ? 3 : f < 7 ? 5 : 10) * exp10;
  }

  // fitSplit asks ECharts for the most intervals, at most its default
  // five, whose labels fit along length pixels: labelPx(lo, hi) is the room
  // one label needs on an axis from lo to hi. It returns the number asked.
  function fitSplit(axis, range, length, labelPx) {
    var span = range[1] - range[0];
    if (!(span > 0)) {
      return 5;
    }
    for (var n = 5; n > 1; n--) {
      var interval = niceInterval(span, n);
      var lo = Math.floor(range[0] / interval) * interval;
      var hi = Math.ceil(range[1] / interval) * interval;
      if (length / Math.round((hi - lo) / interval) >= labelPx(lo, hi)) {
        break;
      }
    }
    if (n < 5) {
      axis.splitNumber = n;
    }
    return n;
  }

  // fitValueAxes gives a value axis no more labels than its length holds,
  // and writes a horizontal axis's labels short ("$50K") when the long ones
  // would leave fewer than three intervals.
  function fitValueAxes(options, width, height, format) {
    var family = (options.textStyle || {}).fontFamily || 'sans-serif';
    var range = valueRange(options);
    axesOf(options, 'yAxis').forEach(function (axis) {
      if (axis.type === 'value') {
        var label = axis.axisLabel || {};
        var size = (label.fontSize || 12) + LABEL_GAP_PX;
        fitSplit(axis, range, plotHeight(options, gridOf(options, axis), height), function () { return size; });
      }
    });
    axesOf(options, 'xAxis').forEach(function (axis) {
      if (axis.type !== 'value') {
        return;
      }
      var grid = gridOf(options, axis);
      var categories = axesOf(options, 'yAxis').filter(function (a) { return a.type === 'category'; })[0];
      var labels = categories && categories.axisLabel && categories.axisLabel.width ? categories.axisLabel.width + 8 : 0;
      var label = axis.axisLabel = axis.axisLabel || {};
      var font = fontOf(label, 12, 'normal', family);
      var right = px(grid.right) || 0;
      var asked = axis.splitNumber;
      var fit = function (fmt) {
        var widest = Math.max(textWidth(fmt(range[0] * 1.5), font), textWidth(fmt(range[1] * 1.5), font));
        // The last label is centred on the axis's end: room for its half.
        grid.right = Math.max(right, Math.ceil(widest / 2) + 4);
        axis.splitNumber = asked;
        return fitSplit(axis, range, width - (px(grid.left) || 0) - grid.right - labels, function (lo, hi) {
          return Math.max(textWidth(fmt(lo), font), textWidth(fmt(hi), font)) + LABEL_GAP_PX;
        });
      };
      if (fit(formatter(format)) < 3 && compactFormats[format]) {
        label.formatter = formatter(format, true);
        fit(label.formatter);
      }
    });
  }

  // fitToWidth fits a chart's texts to width and returns how many pixels
  // taller the chart must be to keep its plot as large.
  function fitToWidth(options, width) {
    var family = (options.textStyle && options.textStyle.fontFamily) || 'sans-serif';
    options.textStyle = options.textStyle || {};
    options.textStyle.fontFamily = family; // measured in the font it is drawn in
    var titles = [].concat(options.title || []);
    var button = options.toolbox && options.toolbox.show !== false ? TOOLBOX_ROOM_PX : 0;
    var top = titles[0] ? fitTitle(titles[0], width - 2 * PADDING_PX - button, family) : 0;
    var bottom = titles[1] ? fitSource(titles[1], width - 2 * PADDING_PX, family) : 0;
    var legendTop = 0;
    [].concat(options.legend || []).forEach(function (legend) {
      if (legend.show !== false) {
        if (px(legend.top) !== null) {
          legend.top = px(legend.top) + top;
        }
        legendTop = Math.max(legendTop, fitLegend(options, legend, width - 2 * PADDING_PX, family));
      }
    });
    // Axis texts get a line height of their own: ECharts' default is the
    // width of a CJK glyph, which a machine without CJK fonts gets wrong,
    // and that puts the first period label against the y axis's "0".
    ['xAxis', 'yAxis'].forEach(function (key) {
      axesOf(options, key).forEach(function (axis) {
        axis.axisLabel = axis.axisLabel || {};
        axis.nameTextStyle = axis.nameTextStyle || {};
        [axis.axisLabel, axis.nameTextStyle].forEach(function (style) {
          if (style.lineHeight == null) {
            style.lineHeight = (style.fontSize || 12) + 2;
          }
        });
      });
    });
    shiftBy(options, 'grid', top + legendTop, bottom);
    shiftBy(options, 'series', top + legendTop, bottom); // a map places itself
    shiftBy(options, 'visualMap', 0, bottom);
    shiftBy(options, 'graphic', 0, bottom);
    return top + legendTop + bottom;
  }

  // resetControlsOnReturn makes the form show what the address says when the
  // browser brings a page back from its back-forward cache: the page is the
  // old one, but the live form still holds the choice made before leaving.
  function resetControlsOnReturn() {
    window.addEventListener('pageshow', function (event) {
      if (event.persisted) {
        document.querySelectorAll('form.controls').forEach(function (form) { form.reset(); });
      }
    });
  }

  // enableCopyButtons shows the "Copy" button of each citation (hidden
  // without JavaScript, where the text can still be selected) and copies the
  // citation's text, never markup, to the clipboard.
  function enableCopyButtons() {
    document.querySelectorAll('button.copy[data-copy]').forEach(function (button) {
      var label = button.textContent;
      button.hidden = false;
      button.addEventListener('click', function () {
        var source = document.getElementById(button.getAttribute('data-copy'));
        var done = function () {
          button.textContent = 'Copied';
          button.setAttribute('data-copied', 'true');
          setTimeout(function () { button.textContent = label; }, 2000);
        };
        var fallback = function () {
          var range = document.createRange();
          range.selectNodeContents(source);
          var selection = window.getSelection();
          selection.removeAllRanges();
          selection.addRange(range);
          if (document.execCommand('copy')) {
            done();
          }
        };
        if (navigator.clipboard && window.isSecureContext) {
          navigator.clipboard.writeText(source.textContent).then(done, fallback);
        } else {
          fallback();
        }
      });
    });
  }

  // markCurrentPage tells the navigation which page this is, pinned
  // addresses (/s/ID/…) included.
  function markCurrentPage() {
    var path = location.pathname.replace(/^\/s\/\d+(?=\/)/, '');
    document.querySelectorAll('header.site nav a').forEach(function (a) {
      if (a.pathname === path) {
        a.setAttribute('aria-current', 'page');
      }
    });
  }

  // ---- Tables too wide for their box --------------------------------------
  // A table whose columns do not fit its box with each label and figure on
  // one line is stacked (app.css .stacked): each row a card of label-value
  // lines, so a phone shows every figure with its label and period without
  // scrolling sideways. Its rows and cells keep their table roles, which the
  // stacked display would drop in some browsers. Sortable tables (two
  // columns) keep their header buttons and never stack: on a phone their
  // labels wrap instead.
  var TABLE_ROLES = [['table', 'table'], ['thead, tbody', 'rowgroup'], ['tr', 'row'],
    ['thead th', 'columnheader'], ['tbody th', 'rowheader'], ['td', 'cell']];

  // keepTableRoles gives a table's parts their roles explicitly (the
  // handout's quick facts are shown as lines on a phone, too).
  function keepTableRoles(root) {
    TABLE_ROLES.forEach(function (r) {
      root.querySelectorAll(r[0]).forEach(function (el) { el.setAttribute('role', r[1]); });
    });
  }

  function stackWideTables() {
    var wraps = Array.prototype.filter.call(document.querySelectorAll('.table-wrap'), function (wrap) {
      return wrap.querySelector('table:not([data-sortable])');
    });
    wraps.forEach(function (wrap) {
      wrap.classList.remove('stacked');
      wrap.classList.add('measuring'); // labels and figures on one line each
    });
    var wide = wraps.filter(function (wrap) { return wrap.scrollWidth > wrap.clientWidth + 1; });
    wraps.forEach(function (wrap) { wrap.classList.remove('measuring'); });
    wide.forEach(function (wrap) {
      keepTableRoles(wrap);
      wrap.classList.add('stacked');
    });
  }

  function start() {
    markCurrentPage();
    stackWideTables();
    document.querySelectorAll('table.handout-facts').forEach(function (table) { keepTableRoles(table.parentNode); });
    resetControlsOnReturn();
    enableCopyButtons();
    document.querySelectorAll('table[data-sortable]').forEach(makeSortable);
    if (!window.echarts) {
      document.querySelectorAll('.chart').forEach(function (el) {
        el.textContent = 'Charts need JavaScript; the tables below have the same figures.';
      });
      return;
    }
    document.querySelectorAll('.chart[data-options]').forEach(function (el) {
      if (el.hasAttribute('data-map')) {
        drawMap(el);
      } else {
        draw(el);
      }
    });
    var pending;
    window.addEventListener('resize', function () {
      clearTimeout(pending);
      pending = setTimeout(function () {
        stackWideTables();
        drawn.forEach(redraw);
      }, 100);
    });
  }

  // ---- Places page: the state map ----------------------------------------
  // A chart with data-map draws U.S. states. ECharts' map series
  // (data-map-module, an ES module that registers it into the ECharts every
  // page loads), the shapes (us-atlas states-albers-10m.json, at data-map)
  // and topojson-client (data-map-script), which turns them into GeoJSON,
  // are hashed same-origin assets that only a page with a map loads. The
  // shapes are already projected to a 975x610 pixel frame, Alaska and Hawaii
  // inset, with y pointing down; ECharts reads GeoJSON as
  // longitude/latitude with y up, so y is negated once before the shapes are
  // registered. The series' options come from charts.StateMap.

  var MAP_NAME = 'usa-albers'; // charts.MapName
  var MAX_MAP_HEIGHT_PX = 520; // on a wide screen the map stops growing
  var MAP_SIDE_PX = 8; // room either side of the map (charts.mapSidePx)
  var statesReady = null; // promise of the shapes' height/width ratio

  function loadScript(src) {
    return new Promise(function (resolve, reject) {
      var script = document.createElement('script');
      script.src = src;
      script.onload = resolve;
      script.onerror = function () { reject(new Error('could not load ' + src)); };
      document.head.appendChild(script);
    });
  }

  function fetchJSON(url) {
    return fetch(url, { credentials: 'same-origin' }).then(function (res) {
      if (!res.ok) {
        throw new Error(url + ': ' + res.status);
      }
      return res.json();
    });
  }

  // flipY returns nested GeoJSON coordinates with every y negated. It copies
  // rather than changes them: topojson-client may share one position between
  // rings (a tiny island's closing point), which would be flipped twice.
  function flipY(coords) {
    if (typeof coords[0] === 'number') {
      return [coords[0], -coords[1]];
    }
    return coords.map(flipY);
  }

  // registerStates loads and registers the shapes once per page.
  function registerStates(el) {
    if (!statesReady) {
      statesReady = Promise.all([
        import(el.getAttribute('data-map-module')),
        loadScript(el.getAttribute('data-map-script')),
        fetchJSON(el.getAttribute('data-map'))
      ]).then(function (loaded) {
        var topology = loaded[2];
        var states = window.topojson.feature(topology, topology.objects.states);
        states.features.forEach(function (f) { f.geometry.coordinates = flipY(f.geometry.coordinates); });
        loaded[0].registerMap(MAP_NAME, states);
        var box = topology.bbox;
        return (box[3] - box[1]) / (box[2] - box[0]);
      });
    }
    return statesReady;
  }

  // labelScale writes the colour scale's end labels with the page's format.
  function labelScale(options, fmt) {
    [].concat(options.visualMap || []).forEach(function (scale) {
      scale.text = [fmt(scale.max), fmt(scale.min)];
    });
  }

  // mapFitter returns a fit() that makes the element as tall as the map
  // needs at its width: the map's own aspect plus the series' top and bottom
  // margins (title above; legend and source line below). ECharts then fits
  // the map to that height, keeping its aspect, centred.
  function mapFitter(el, options, aspect) {
    var series = options.series[0];
    return function () {
      var mapHeight = Math.min((el.clientWidth - 2 * MAP_SIDE_PX) * aspect, MAX_MAP_HEIGHT_PX);
      el.style.height = Math.round(series.top + series.bottom + mapHeight) + 'px';
    };
  }

  function drawMap(el) {
    registerStates(el).then(function (aspect) {
      draw(el, function (options, fmt) {
        labelScale(options, fmt);
        return mapFitter(el, options, aspect);
      });
    }, function () {
      el.textContent = 'The map could not be loaded; the table below has the same figures.';
    });
  }

  // ---- Sortable tables ---------------------------------------------------
  // table[data-sortable] comes from the server in reading order (highest
  // figure first) with th[data-sort="text"|"number"] headers. Each such header
  // gets a button, so sorting works from the keyboard, and aria-sort says how
  // the table is sorted. Numbers sort by the cell's data-value; rows without
  // one stay last either way. Without JavaScript the server order stands.

  function sortKey(row, column, type) {
    var cell = row.cells[column];
    if (type === 'number') {
      var v = cell.getAttribute('data-value');
      return v === null || v === '' ? null : Number(v);
    }
    return cell.textContent.trim();
  }

  function compareRows(column, type, direction) {
    var sign = direction === 'ascending' ? 1 : -1;
    return function (a, b) {
      var x = sortKey(a, column, type);
      var y = sortKey(b, column, type);
      if (x === null || y === null) {
        return (x === null) - (y === null);
      }
      return sign * (type === 'number' ? x - y : x.localeCompare(y));
    };
  }

  // nextDirection flips a sorted column; an unsorted one starts A to Z for
  // names and highest first for figures.
  function nextDirection(th) {
    var current = th.getAttribute('aria-sort');
    if (current === 'ascending') {
      return 'descending';
    }
    if (current === 'descending') {
      return 'ascending';
    }
    return th.getAttribute('data-sort') === 'number' ? 'descending' : 'ascending';
  }

  function sortTable(table, th, status) {
    var direction = nextDirection(th);
    var body = table.tBodies[0];
    var rows = Array.prototype.slice.call(body.rows);
    rows.sort(compareRows(th.cellIndex, th.getAttribute('data-sort'), direction));
    rows.forEach(function (row) { body.appendChild(row); });
    table.querySelectorAll('th[aria-sort]').forEach(function (h) { h.removeAttribute('aria-sort'); });
    th.setAttribute('aria-sort', direction);
    status.textContent = 'Sorted by ' + th.textContent.trim() + ', ' + direction + '.';
  }

  function makeSortable(table) {
    var status = document.createElement('p');
    status.className = 'visually-hidden';
    status.setAttribute('aria-live', 'polite');
    table.parentNode.insertBefore(status, table.nextSibling);
    table.querySelectorAll('thead th[data-sort]').forEach(function (th) {
      var button = document.createElement('button');
      button.type = 'button';
      button.className = 'sort';
      while (th.firstChild) {
        button.appendChild(th.firstChild);
      }
      th.appendChild(button);
      button.addEventListener('click', function () { sortTable(table, th, status); });
    });
  }

  if (document.readyState === 'loading') {
    document.addEventListener('DOMContentLoaded', start);
  } else {
    start();
  }
})();
