// labdash: draws every chart on the page from the options the server put in
// its data-options attribute (JSON, never evaluated), and keeps charts sized
// to their containers. No inline script anywhere: the CSP forbids it.
(function () {
  'use strict';

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

  function draw(el) {
    var options;
    try {
      options = JSON.parse(el.getAttribute('data-options'));
    } catch (e) {
      el.textContent = 'This chart could not be read; the table below has the same figures.';
      return;
    }
    applyFormat(options, el.getAttribute('data-format'));
    var minHeight = parseInt(el.getAttribute('data-min-height') || '0', 10);
    if (minHeight > 0) {
      el.style.height = minHeight + 'px';
    }
    var chart = window.echarts.init(el, null, { renderer: 'canvas' });
    chart.on('finished', function () {
      el.setAttribute('data-drawn', 'true');
    });
    chart.setOption(options);
    drawn.push(chart);
  }

  function start() {
    if (!window.echarts) {
      document.querySelectorAll('.chart').forEach(function (el) {
        el.textContent = 'Charts need JavaScript; the tables below have the same figures.';
      });
      return;
    }
    document.querySelectorAll('.chart[data-options]').forEach(draw);
    var pending;
    window.addEventListener('resize', function () {
      clearTimeout(pending);
      pending = setTimeout(function () {
        drawn.forEach(function (c) { c.resize(); });
      }, 100);
    });
  }

  if (document.readyState === 'loading') {
    document.addEventListener('DOMContentLoaded', start);
  } else {
    start();
  }
})();
