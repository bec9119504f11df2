// labdash: on a page pinned to a snapshot, asks the server whether newer data
// exists and, if so, shows a banner saying what changed for the figures on
// the page. The pinned HTML itself never changes; this request is not cached.
// Everything from the server is inserted as text, never as markup.
(function () {
  'use strict';

  function link(href, text) {
    var a = document.createElement('a');
    a.href = href;
    a.textContent = text;
    return a;
  }

  function show(box, info) {
    var p = document.createElement('p');
    p.appendChild(document.createTextNode('Newer data exists: snapshot ' + info.latest + '. '));
    if (info.changed_on_page > 0) {
      p.appendChild(document.createTextNode(info.changed_on_page + ' of the figures on this page changed. '));
    } else {
      p.appendChild(document.createTextNode('None of the figures on this page changed. '));
    }
    p.appendChild(link(info.latest_url, 'See this page with the latest data'));
    p.appendChild(document.createTextNode(' · '));
    p.appendChild(link(info.diff_url, 'everything that changed'));
    box.appendChild(p);
    if (info.lines.length) {
      var ul = document.createElement('ul');
      info.lines.forEach(function (line) {
        var li = document.createElement('li');
        li.textContent = line;
        ul.appendChild(li);
      });
      box.appendChild(ul);
    }
    box.hidden = false;
  }

  function check() {
    var box = document.getElementById('newer-banner');
    if (!box || !window.fetch) {
      return;
    }
    fetch(box.getAttribute('data-check'), { cache: 'no-store' })
      .then(function (res) { return res.ok ? res.json() : null; })
      .then(function (info) {
        if (info && info.newer) {
          show(box, info);
        }
      })
      .catch(function () { /* the plain "latest data" link still works */ });
  }

  if (document.readyState === 'loading') {
    document.addEventListener('DOMContentLoaded', check);
  } else {
    check();
  }
})();
