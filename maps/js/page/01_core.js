// Opens the page function: small DOM helpers, then HunanMap.start(map), which parses the data
// document (#hunan-data: labels, topo) and merges county outlines (topo.objects.counties).
// (part of the page function: the files in maps/js/page are joined in name order; this header is not.)
// hunan-map page script (our own code; tested in headless Chromium by tests/test_browser.py).
//
// Reads the page data from <script type="application/json" id="hunan-data"> and draws
// everything from it: layers, popups, tooltips, labels, the layer list, legend, filters with
// counts, the results list with CSV download, search and the permalink in the URL hash.
// Text from data reaches the screen only through textContent (el() below); no string from
// data is ever parsed as HTML or evaluated.
(function () {
  'use strict';

  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text !== undefined && text !== null) e.textContent = String(text);
    return e;
  }
  // Text with its web addresses as links: the text goes in as textContent, each address as an
  // <a> whose href is set only for an http(s) address (no other scheme can become a link).
  function linked(tag, cls, text) {
    var e = el(tag, cls), s = String(text), re = /https?:\/\/[^\s;，；（）()]+/g, at = 0, m;
    while ((m = re.exec(s)) !== null) {
      if (m.index > at) e.appendChild(document.createTextNode(s.slice(at, m.index)));
      var a = el('a', 'hm-src', m[0]);
      a.href = m[0]; a.target = '_blank'; a.rel = 'noopener noreferrer';
      e.appendChild(a);
      at = m.index + m[0].length;
    }
    if (at < s.length) e.appendChild(document.createTextNode(s.slice(at)));
    return e;
  }
  function norm(s) { return String(s || '').toLowerCase().replace(/[\s·・,，、()（）\-_]/g, ''); }
  function stop(div) {
    L.DomEvent.disableClickPropagation(div);
    L.DomEvent.disableScrollPropagation(div);
  }
  var KIND_OF_TYPE = {points: null, zone: 'zone', corridor: 'corridor', cluster: 'cluster', admin: null};
  var POINT_KIND = {parks: 'park', platforms: 'platform', catalogue: 'catalogue'};
  var COUNT_KEYS = ['parks', 'catalogue', 'platforms', 'clusters', 'zones', 'corridors', 'overlay'];
  var HOLLOW = {seat: 1, county: 1, prefecture: 1, province: 1};  // drawn at a seat: hollow; site, town: solid
  var ADMIN_KIND = {prefectures: 'prefecture', counties: 'county'};
  // which label wins where two would overlap (higher first)
  var LABEL_RANK = {prefectures: 100, zone: 80, parks: 70, platforms: 50, catalogue: 40, counties: 30};
  var NARROW = 600;   // at most this wide, panels collapse when a popup opens

  function start(map) {
    var data = JSON.parse(document.getElementById('hunan-data').textContent);
    var lab = data.labels;
    var topo = data.topo;
    var geoms = topo.objects.counties.geometries;
    var mergeCache = {};
    function topoGeometry(codes) {
      var key = codes.join(',');
      if (!mergeCache[key]) {
        var parts = geoms.filter(function (g) {
          return codes.indexOf(g.properties.adcode) >= 0 || codes.indexOf(g.properties.parent) >= 0;
        });
        mergeCache[key] = topojson.merge(topo, parts);
      }
      return mergeCache[key];
    }

    function countText(n, key) {
      var word = (n === 1 ? lab.counts_one : lab.counts)[key];
      return n + (data.lang === 'zh' ? '' : ' ') + word;
    }

    [['hm-admin', 350], ['hm-areas', 400], ['hm-lines', 450], ['hm-points', 620], ['hm-user', 640]]
      .forEach(function (p) { map.createPane(p[0]).style.zIndex = p[1]; });

