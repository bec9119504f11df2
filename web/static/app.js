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

  function formatter(name) {
    var f = formats[name] || formats.number;
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

  // draw reads a chart's options and draws it. adjust, when given, may
  // change the options once formatted and returns the chart's fit().
  function draw(el, adjust) {
    var options;
    try {
      options = JSON.parse(el.getAttribute('data-options'));
    } catch (e) {
      el.textContent = 'This chart could not be read; the table below has the same figures.';
      return;
    }
    applyFormat(options, el.getAttribute('data-format'));
    if (document.body.classList.contains('handout')) {
      options.toolbox = { show: false }; // paper has no buttons
    }
    var minHeight = parseInt(el.getAttribute('data-min-height') || '0', 10);
    if (minHeight > 0) {
      el.style.height = minHeight + 'px';
    }
    var fit = adjust ? adjust(options, formatter(el.getAttribute('data-format'))) : null;
    if (fit) {
      fit();
    }
    var chart = window.echarts.init(el, null, { renderer: 'canvas' });
    chart.on('finished', function () {
      el.setAttribute('data-drawn', 'true');
      if (!el.hasAttribute('data-drawn-ms')) { el.setAttribute('data-drawn-ms', Math.round(performance.now())); } // first draw, ms after navigation (browser test)
    });
    chart.setOption(options);
    drawn.push({ chart: chart, fit: fit });
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

  function start() {
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
        drawn.forEach(function (d) {
          if (d.fit) {
            d.fit();
          }
          d.chart.resize();
        });
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
