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
  function norm(s) { return String(s || '').toLowerCase().replace(/[\s·・,，、()（）\-_]/g, ''); }
  function stop(div) {
    L.DomEvent.disableClickPropagation(div);
    L.DomEvent.disableScrollPropagation(div);
  }
  var KIND_OF_TYPE = {points: null, zone: 'zone', corridor: 'corridor', cluster: 'cluster', admin: null};
  var POINT_KIND = {parks: 'park', platforms: 'platform', catalogue: 'catalogue'};
  var COUNT_KEYS = ['parks', 'catalogue', 'platforms', 'clusters', 'zones', 'corridors'];
  var HOLLOW = {county: 1, prefecture: 1, province: 1};

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

    [['hm-admin', 350], ['hm-areas', 400], ['hm-lines', 450], ['hm-points', 620], ['hm-user', 640]]
      .forEach(function (p) { map.createPane(p[0]).style.zIndex = p[1]; });

    // ---------------------------------------------------------------- popups and tooltips
    function popupContent(item) {
      var f = item.feat;
      var div = el('div', 'hm-popup');
      div.appendChild(el('b', 'hm-name', f.n));
      if (f.alt) { div.appendChild(el('div', 'hm-alt', f.alt)); }
      (f.rows || []).forEach(function (r) {
        if (!r[1]) return;
        var line = el('div', 'hm-row');
        line.appendChild(el('span', 'hm-key', r[0] + (data.lang === 'zh' ? '：' : ': ')));
        line.appendChild(el('span', 'hm-val', r[1]));
        div.appendChild(line);
      });
      if (f.inds && f.inds.length) {
        div.appendChild(el('div', 'hm-head', lab.industries));
        var ul = el('ul', 'hm-ul');
        f.inds.forEach(function (i) {
          var li = el('li', null, i[0]);
          if (i[1]) li.appendChild(el('i', 'hm-role', ' (' + i[1] + ')'));
          ul.appendChild(li);
        });
        div.appendChild(ul);
      }
      if (f.lay && f.lay.length) {
        div.appendChild(el('div', 'hm-head', lab.layout_industries));
        div.appendChild(el('div', 'hm-val', f.lay.join(data.lang === 'zh' ? '、' : ', ')));
      }
      var same = (item.feat.g && stacks[item.feat.g.join(',')] || []).filter(function (o) {
        return o !== item && o.visible && o.entry.on && o.layer;
      });
      if (same.length) {
        div.appendChild(el('div', 'hm-head', lab.same_place.replace('{n}', same.length)));
        var others = el('ul', 'hm-ul hm-same');
        same.forEach(function (o) {
          var li = el('li', 'hm-link', o.feat.n);
          li.tabIndex = 0;
          li.onclick = function () { focusItem(o); };
          others.appendChild(li);
        });
        div.appendChild(others);
      }
      if (f.cites && f.cites.length) {
        div.appendChild(el('div', 'hm-head', lab.sources));
        var src = el('ul', 'hm-ul hm-src');
        f.cites.forEach(function (c) { src.appendChild(el('li', null, c)); });
        div.appendChild(src);
      }
      return div;
    }
    function tip(text) { return el('span', null, text); }

    // ---------------------------------------------------------------- layers
    var items = [];        // every feature drawn: {feat, spec, layer, kind}
    var specs = [];        // every layer: {spec, group, items, on}
    var byId = {};

    function styleFor(spec, f) {
      if (spec.type === 'admin') return {color: '#444444', weight: spec.w || 1, fill: false, opacity: 0.8, interactive: false};
      if (spec.type === 'zone') return {color: f.c, weight: 2, fillColor: f.c, fillOpacity: 0.12, opacity: 0.9};
      if (spec.type === 'corridor') return {color: f.c, weight: 5, opacity: 0.8, dashArray: '8 6', fill: false};
      if (spec.type === 'compare') return {color: f.c, weight: 1.2, fillColor: f.c, fillOpacity: 0.25};
      if (spec.outline) return {color: f.c, weight: 2, dashArray: '2 4', fillOpacity: 0.03, fillColor: f.c};
      return {color: f.c, weight: 1.5, dashArray: '4 3', fillColor: f.c, fillOpacity: 0.18};
    }
    function paneFor(spec) {
      return spec.type === 'admin' || spec.type === 'compare' ? 'hm-admin' : (spec.type === 'corridor' ? 'hm-lines' : 'hm-areas');
    }

    // Every feature is an item at once (search, counts and the results list read them); its Leaflet
    // layer is made when its layer is first switched on, so layers that start off cost nothing.
    function makeLayer(item) {
      var f = item.feat, spec = item.spec, layer;
      if (spec.type === 'points') {
        var hollow = HOLLOW[f.p];
        layer = L.circleMarker(f.g, {
          pane: 'hm-points', radius: spec.id === 'parks' ? 8 : 6,
          color: hollow ? f.c : '#ffffff', weight: hollow ? 2.5 : 1.5,
          fillColor: hollow ? '#ffffff' : f.c, fillOpacity: hollow ? 0.85 : 0.9
        });
        layer.hmLatLng = L.latLng(f.g[0], f.g[1]);
      } else {
        var geometry = f.a ? topoGeometry(f.a) : f.geo;
        if (!geometry) return null;
        layer = L.geoJSON(geometry, {pane: paneFor(spec), style: styleFor(spec, f)});
      }
      if (spec.type !== 'admin') {
        layer.bindPopup(function () { return popupContent(item); }, {maxWidth: 340, autoPanPadding: [20, 20]});
        layer.bindTooltip(tip(f.n), {sticky: spec.type !== 'points', direction: 'top'});
      }
      if ((spec.labels === true || spec.labels === 'zoom') && f.lp) {
        item.label = L.tooltip({permanent: true, direction: 'center', className: 'hm-label hm-label-' + spec.id,
                                interactive: false}).setLatLng(f.lp).setContent(tip(f.n));
      }
      return layer;
    }
    function build(entry) {
      if (entry.built) return;
      entry.built = true;
      entry.items.forEach(function (item) {
        item.layer = makeLayer(item);
        if (!item.layer) return;
        if (item.visible) entry.group.addLayer(item.layer);
        if (item.layer.hmLatLng) {
          var k = item.feat.g.join(',');
          (stacks[k] = stacks[k] || []).push(item);
        }
      });
    }
    var stacks = {};
    data.layers.forEach(function (spec) {
      var entry = {spec: spec, group: L.featureGroup(), items: [], on: !!spec.show, built: false};
      var kind = POINT_KIND[spec.id] || KIND_OF_TYPE[spec.type] || spec.type;
      spec.features.forEach(function (f) {
        var item = {feat: f, spec: spec, layer: null, kind: spec.type === 'admin' ? spec.id.replace(/s$/, '') : kind,
                    entry: entry, visible: true};
        items.push(item);
        entry.items.push(item);
        if (f.id) byId[spec.id + ':' + f.id] = item;
      });
      specs.push(entry);
    });

    // Points that share a place are spread on a small disc so each can be clicked.
    var SPREAD_ZOOM = 9;  // below it, points that share a place overlap and their popup lists the others
    function spread() {
      var far = map.getZoom() < SPREAD_ZOOM;
      Object.keys(stacks).forEach(function (k) {
        var shown = stacks[k].filter(function (it) { return it.visible && it.entry.on && it.layer; });
        stacks[k].forEach(function (it) { it.layer.setLatLng(it.layer.hmLatLng); });
        if (shown.length < 2 || far) return;
        var centre = map.latLngToLayerPoint(shown[0].layer.hmLatLng);
        // a sunflower disc: every point has its own spot, the disc grows with the square root of n
        shown.forEach(function (it, i) {
          var r = 8 * Math.sqrt(i + 0.5), a = i * 2.39996;
          it.layer.setLatLng(map.layerPointToLatLng(centre.add(L.point(r * Math.cos(a), r * Math.sin(a)))));
        });
      });
    }

    // ---------------------------------------------------------------- overlay (a user's file)
    if (data.overlay) { specs.push(buildOverlay(data.overlay)); }
    function overlayPopup(cols, row) {
      var t = el('table', 'hm-popup hm-table');
      cols.forEach(function (c, i) {
        var tr = el('tr');
        tr.appendChild(el('th', null, c));
        tr.appendChild(el('td', null, row[i]));
        t.appendChild(tr);
      });
      return t;
    }
    function buildOverlay(o) {
      var group = L.featureGroup();
      var name = (o.mode === 'aggregate' ? lab.my_data_agg : lab.my_data) + ' (' + o.n.toLocaleString() + ')';
      var spec = {id: 'overlay', group: lab.my_data, name: name, type: 'overlay', show: true, features: []};
      var dot = {pane: 'hm-user', radius: 5, color: '#222222', weight: 1, fillColor: '#00a6d6', fillOpacity: 0.9};
      if (o.mode === 'features') {
        o.rows.forEach(function (row, i) {
          if (!o.geo[i]) return;
          var layer = L.geoJSON(o.geo[i], {
            pane: 'hm-user', style: {color: '#00a6d6', weight: 2, fillOpacity: 0.2},
            pointToLayer: function (_f, latlng) { return L.circleMarker(latlng, dot); }
          });
          layer.bindPopup(function () { return overlayPopup(o.cols, row); }, {maxWidth: 360});
          var label = o.label >= 0 ? row[o.label] : '#' + (i + 1);
          if (label) layer.bindTooltip(tip(label));
          group.addLayer(layer);
        });
      } else if (o.mode === 'cluster') {
        var mc = L.markerClusterGroup({chunkedLoading: true});
        mc.addLayers(o.pts.map(function (p) {
          var m = L.circleMarker([p[0], p[1]], dot);
          if (p[2]) m.bindTooltip(tip(p[2]));
          return m;
        }));
        group.addLayer(mc);
      } else if (o.mode === 'heat') {
        group.addLayer(L.heatLayer(o.pts, {radius: 8, blur: 10, minOpacity: 0.3}));
      } else if (o.mode === 'aggregate') {
        var colours = ['#fee8c8', '#fdbb84', '#fc8d59', '#e34a33', '#b30000'];
        o.hexes.forEach(function (h) {
          var layer = L.geoJSON(h.geo, {pane: 'hm-user', style: {color: colours[h.k], weight: 0.5, fillColor: colours[h.k], fillOpacity: 0.6}});
          layer.bindTooltip(tip(lab.count + ' ' + h.v.toLocaleString()));
          group.addLayer(layer);
        });
        o.counties.forEach(function (c) {
          var layer = L.geoJSON(topoGeometry(c.a), {pane: 'hm-user', style: {color: colours[c.k], weight: 0.5, fillColor: colours[c.k], fillOpacity: 0.6}});
          layer.bindTooltip(tip(c.n + ' ' + c.v.toLocaleString()));
          layer.hmCounty = true;
          group.addLayer(layer);
        });
      }
      return {spec: spec, group: group, items: [], on: true};
    }

    // ---------------------------------------------------------------- filter state
    var state = {industry: '', tier: '', source: '', role: '', q: ''};
    function filtering() { return !!(state.industry || state.tier || state.source || state.role); }
    function factOk(f, st) {
      if (st.industry && data.keysets[f[0]].indexOf(st.industry) < 0) return false;
      if (st.source && f[1] !== st.source) return false;
      if (st.role && f[2] !== st.role) return false;
      if (st.tier && f[3].indexOf(st.tier) < 0) return false;
      return true;
    }
    function featOk(item, st) {
      if (item.spec.type === 'admin' || item.spec.type === 'compare') return true;
      if (!(st.industry || st.tier || st.source || st.role)) return true;
      return (item.feat.f || []).some(function (f) { return factOk(f, st); });
    }

    function countsOf(list) {
      var c = {};
      list.forEach(function (it) {
        var key = it.spec.type === 'points' ? it.spec.id : (it.spec.type === 'cluster' ? 'clusters' :
          (it.spec.type === 'zone' ? 'zones' : (it.spec.type === 'corridor' ? 'corridors' : null)));
        if (key) c[key] = (c[key] || 0) + 1;
      });
      return c;
    }
    function summaryText(c) {
      var parts = [];
      COUNT_KEYS.forEach(function (k) {
        if (c[k] || k === 'parks' || k === 'clusters' || k === 'platforms' || k === 'zones') {
          parts.push((c[k] || 0) + (data.lang === 'zh' ? '' : ' ') + lab.counts[k]);
        }
      });
      return parts.join(' · ');
    }

    function apply(opts) {
      opts = opts || {};
      var shown = [];
      items.forEach(function (it) {
        var ok = featOk(it, state);
        it.visible = ok;
        if (it.layer) {
          if (ok && !it.entry.group.hasLayer(it.layer)) it.entry.group.addLayer(it.layer);
          if (!ok && it.entry.group.hasLayer(it.layer)) it.entry.group.removeLayer(it.layer);
        }
        if (ok && it.entry.on && it.layer && it.spec.type !== 'admin' && it.spec.type !== 'compare') shown.push(it);
      });
      spread();
      var c = countsOf(shown);
      summary.textContent = summaryText(c);
      map.getContainer().setAttribute('data-shown', String(shown.length));
      updateOptionCounts();
      renderResults(shown);
      syncLegend();
      syncLabels();
      if (opts.zoom && filtering() && shown.length) {
        var b = L.latLngBounds([]);
        shown.forEach(function (it) { b.extend(it.layer.hmLatLng || it.layer.getBounds()); });
        if (b.isValid()) map.fitBounds(b, {padding: [30, 30], maxZoom: 11});
      }
      emptyNote.style.display = (!shown.length && (filtering() || data.notice)) ? '' : 'none';
      writeHash();
      return shown.length;
    }

    // ---------------------------------------------------------------- controls
    function select(id, allLabel, options) {
      var s = el('select');
      s.id = id;
      s.appendChild(option('', allLabel));
      options.forEach(function (o) { s.appendChild(option(o[0], o[1], o[2])); });
      return s;
    }
    function option(value, label, depth) {
      var o = el('option', null, (depth ? '\u00a0\u00a0'.repeat(depth) : '') + label);
      o.value = value;
      o.hmLabel = o.textContent;
      return o;
    }
    var indSel = select('hunan-industry', lab.allIndustries, data.industries);
    var tierSel = select('hunan-tier', lab.allTiers, data.tiers);
    var srcSel = select('hunan-source', lab.allSources, data.sources);
    var roleSel = select('hunan-role', lab.allRoles, data.roles);
    var summary = el('div', 'hm-summary');
    summary.id = 'hunan-summary';
    var emptyNote = el('div', 'hm-empty', lab.nothing);
    emptyNote.id = 'hunan-empty';
    var resultsBox = el('div', 'hm-results');
    resultsBox.id = 'hunan-results';
    var resultsList = el('ol', 'hm-results-list');

    function updateOptionCounts() {
      var st = {industry: '', tier: state.tier, source: state.source, role: state.role};
      var onItems = items.filter(function (it) { return it.entry.on && it.spec.type !== 'admin'; });
      var counts = {};
      onItems.forEach(function (it) {
        var seen = {};
        (it.feat.f || []).forEach(function (f) {
          if (!factOk(f, st)) return;
          data.keysets[f[0]].forEach(function (k) { seen[k] = 1; });
        });
        Object.keys(seen).forEach(function (k) { counts[k] = (counts[k] || 0) + 1; });
      });
      Array.prototype.forEach.call(indSel.options, function (o) {
        if (!o.value) return;
        var n = counts[o.value] || 0;
        o.textContent = o.hmLabel + ' (' + n + ')';
        o.disabled = n === 0 && o.value !== state.industry;
        o.className = n === 0 ? 'hm-zero' : '';
      });
    }

    function placeOf(it) {
      var rows = it.feat.rows || [];
      for (var i = 0; i < rows.length; i++) { if (rows[i][0] === lab.where || rows[i][0] === lab.members) return rows[i][1]; }
      return '';
    }
    function rolesOf(it) {
      return (it.feat.inds || []).map(function (i) { return i[0] + (i[1] ? ' (' + i[1] + ')' : ''); })
        .join(data.lang === 'zh' ? '；' : '; ');
    }
    var lastShown = [];
    function renderResults(shown) {
      lastShown = shown.slice().sort(function (a, b) {
        var ka = COUNT_KEYS.indexOf(a.spec.type === 'points' ? a.spec.id : a.spec.type + 's');
        var kb = COUNT_KEYS.indexOf(b.spec.type === 'points' ? b.spec.id : b.spec.type + 's');
        return ka - kb || String(a.feat.n).localeCompare(String(b.feat.n), data.lang === 'zh' ? 'zh-CN' : 'en');
      });
      while (resultsList.firstChild) resultsList.removeChild(resultsList.firstChild);
      lastShown.forEach(function (it) {
        var li = el('li', 'hm-result');
        li.tabIndex = 0;
        li.appendChild(el('span', 'hm-result-name', it.feat.n));
        li.appendChild(el('span', 'hm-result-kind', lab.kinds[it.kind] || it.kind));
        var place = placeOf(it);
        if (place) li.appendChild(el('span', 'hm-result-place', place));
        li.onclick = function () { focusItem(it); };
        li.onkeydown = function (e) { if (e.key === 'Enter') focusItem(it); };
        resultsList.appendChild(li);
      });
    }
    function csvCell(v) {
      var s = String(v === undefined || v === null ? '' : v);
      if (/^[=+\-@\t\r]/.test(s)) s = "'" + s;   // spreadsheets must not read a cell as a formula
      return '"' + s.replace(/"/g, '""') + '"';
    }
    function downloadCsv() {
      var lines = [lab.csv.map(csvCell).join(',')];
      lastShown.forEach(function (it) {
        lines.push([it.feat.n, lab.kinds[it.kind] || it.kind, placeOf(it), rolesOf(it),
                    (it.feat.cites || []).join(' | ')].map(csvCell).join(','));
      });
      var blob = new Blob(['\ufeff' + lines.join('\r\n') + '\r\n'], {type: 'text/csv;charset=utf-8'});
      var a = el('a');
      a.href = URL.createObjectURL(blob);
      a.download = 'hunan-map.csv';
      document.body.appendChild(a);
      a.click();
      setTimeout(function () { URL.revokeObjectURL(a.href); a.remove(); }, 0);
      return lines.length - 1;
    }

    function focusItem(it) {
      if (!it.entry.on) setLayer(it.entry, true);
      if (!it.visible && it.spec.type !== 'admin') {
        state.industry = state.tier = state.source = state.role = '';
        syncSelects();
        apply();
      }
      if (!it.layer) return;
      if (it.layer.hmLatLng) {
        map.setView(it.layer.hmLatLng, Math.max(map.getZoom(), 11), {animate: false});
        spread();
        it.layer.openPopup();
      } else {
        var b = it.layer.getBounds();
        map.fitBounds(b, {maxZoom: 10, padding: [20, 20]});
        if (it.spec.type !== 'admin') it.layer.openPopup(b.getCenter());
      }
    }

    var FilterControl = L.Control.extend({
      options: {position: 'topleft'},
      onAdd: function () {
        var div = el('div', 'leaflet-bar hm-panel hunan-filter');
        var details = el('details', 'hm-filter-details');
        details.open = window.innerWidth > 600;
        details.appendChild(el('summary', null, lab.filter));
        [indSel, tierSel, srcSel, roleSel].forEach(function (s) {
          details.appendChild(s);
          s.onchange = function () {
            state.industry = indSel.value; state.tier = tierSel.value;
            state.source = srcSel.value; state.role = roleSel.value;
            apply({zoom: true});
          };
        });
        var buttons = el('div', 'hm-buttons');
        var reset = el('button', 'hm-btn', lab.reset);
        reset.type = 'button';
        reset.onclick = function () {
          state.industry = state.tier = state.source = state.role = '';
          syncSelects(); apply(); map.fitBounds(data.bounds);
        };
        var csv = el('button', 'hm-btn', lab.download);
        csv.type = 'button';
        csv.id = 'hunan-csv';
        csv.onclick = downloadCsv;
        var link = el('button', 'hm-btn', lab.link);
        link.type = 'button';
        link.onclick = function () {
          writeHash();
          if (navigator.clipboard) navigator.clipboard.writeText(location.href).catch(function () {});
          link.textContent = lab.copied;
          setTimeout(function () { link.textContent = lab.link; }, 1500);
        };
        buttons.appendChild(reset); buttons.appendChild(csv); buttons.appendChild(link);
        details.appendChild(buttons);
        div.appendChild(details);
        div.appendChild(summary);
        div.appendChild(emptyNote);
        var res = el('details', 'hm-results-details');
        res.appendChild(el('summary', null, lab.results));
        resultsBox.appendChild(resultsList);
        res.appendChild(resultsBox);
        div.appendChild(res);
        stop(div);
        return div;
      }
    });
    function syncSelects() {
      indSel.value = state.industry; tierSel.value = state.tier;
      srcSel.value = state.source; roleSel.value = state.role;
    }

    // Layer list: our own, so that layer names (data) are text, never markup.
    function setLayer(entry, on) {
      entry.on = on;
      if (on) build(entry);
      if (on) map.addLayer(entry.group); else map.removeLayer(entry.group);
      if (entry.box) entry.box.checked = on;
      syncLegend();
      syncLabels();
      spread();
    }
    var LayerControl = L.Control.extend({
      options: {position: 'topright'},
      onAdd: function () {
        var div = el('div', 'leaflet-bar hm-panel hm-layers');
        var details = el('details');
        details.open = window.innerWidth > 600;
        details.appendChild(el('summary', null, lab.layers));
        var groups = {};
        specs.forEach(function (entry) {
          var g = entry.spec.group;
          if (!groups[g]) {
            groups[g] = el('fieldset', 'hm-group');
            groups[g].appendChild(el('legend', null, g));
            details.appendChild(groups[g]);
          }
          var label = el('label', 'hm-layer');
          var box = el('input');
          box.type = 'checkbox';
          box.checked = entry.on;
          box.setAttribute('data-layer', entry.spec.id);
          box.onchange = function () { setLayer(entry, box.checked); apply(); };
          entry.box = box;
          label.appendChild(box);
          label.appendChild(el('span', null, entry.spec.name));
          groups[g].appendChild(label);
        });
        div.appendChild(details);
        stop(div);
        return div;
      }
    });

    // Search everything: parks, platforms, zones, clusters, corridors, prefectures, counties.
    var SearchControl = L.Control.extend({
      options: {position: 'topright'},
      onAdd: function () {
        var div = el('div', 'leaflet-bar hm-panel hm-search');
        var input = el('input');
        input.type = 'search';
        input.id = 'hunan-search';
        input.placeholder = lab.search;
        input.setAttribute('aria-label', lab.search);
        input.autocomplete = 'off';
        var list = el('ul', 'hm-suggest');
        list.id = 'hunan-suggest';
        list.setAttribute('role', 'listbox');
        var found = [], active = -1;
        function show() {
          while (list.firstChild) list.removeChild(list.firstChild);
          found.forEach(function (it, i) {
            var li = el('li', i === active ? 'hm-active' : '');
            li.setAttribute('role', 'option');
            li.appendChild(el('span', 'hm-s-name', it.feat.n));
            li.appendChild(el('span', 'hm-s-kind', lab.kinds[it.kind] || it.kind));
            li.onmousedown = function (e) { e.preventDefault(); pick(i); };
            list.appendChild(li);
          });
        }
        function pick(i) {
          var it = found[i];
          if (!it) return;
          input.value = it.feat.n;
          state.q = it.feat.n;
          found = []; show();
          focusItem(it);
          writeHash();
        }
        input.oninput = function () {
          var q = norm(input.value);
          state.q = input.value;
          active = -1;
          found = [];
          if (q) {
            var scored = [];
            items.forEach(function (it) {
              var names = [it.feat.n, it.feat.alt].concat(String(it.feat.s || '').split('|'));
              var best = 9;
              names.forEach(function (n) {
                var k = norm(n);
                if (!k) return;
                var s = k === q ? 0 : (k.indexOf(q) === 0 ? 1 : (k.indexOf(q) > 0 ? 2 : 9));
                if (s < best) best = s;
              });
              if (best < 9) scored.push([best, String(it.feat.n).length, it]);
            });
            scored.sort(function (a, b) { return a[0] - b[0] || a[1] - b[1]; });
            found = scored.slice(0, 8).map(function (s) { return s[2]; });
          }
          show();
        };
        input.onkeydown = function (e) {
          if (e.key === 'ArrowDown') { active = Math.min(found.length - 1, active + 1); show(); e.preventDefault(); }
          else if (e.key === 'ArrowUp') { active = Math.max(0, active - 1); show(); e.preventDefault(); }
          else if (e.key === 'Enter') { pick(active >= 0 ? active : 0); e.preventDefault(); }
          else if (e.key === 'Escape') { found = []; show(); }
        };
        input.onblur = function () { setTimeout(function () { found = []; show(); }, 150); };
        div.appendChild(input);
        div.appendChild(list);
        stop(div);
        return div;
      }
    });

    // Legend: one row per colour drawn, for layers that are on and have something shown.
    var legendRows = [];
    var LegendControl = L.Control.extend({
      options: {position: 'bottomright'},
      onAdd: function () {
        var div = el('div', 'hm-panel hunan-legend');
        var details = el('details');
        details.id = 'hunan-legend';
        details.open = window.innerWidth > 600;
        details.appendChild(el('summary', null, lab.legend));
        specs.forEach(function (entry) {
          var seen = {};
          entry.items.forEach(function (it) {
            var spec = entry.spec;
            if (spec.type === 'admin') return;
            var shape = spec.type === 'points' ? (HOLLOW[it.feat.p] ? 'ring' : 'circle') : (spec.type === 'corridor' ? 'line' : 'box');
            var text = spec.type === 'zone' || spec.type === 'corridor' ? spec.group + ' · ' + it.feat.n :
              spec.name + (it.feat.lg ? ' · ' + it.feat.lg : '');
            var key = it.feat.c + shape + text;
            if (seen[key]) { seen[key].its.push(it); return; }
            var row = el('div', 'hm-legend-row');
            row.setAttribute('data-layer', spec.id);
            var sw = el('i', 'hm-swatch hm-' + shape);
            sw.style.borderColor = it.feat.c;
            if (shape !== 'ring' && shape !== 'line') sw.style.background = it.feat.c;
            row.appendChild(sw);
            row.appendChild(el('span', null, text + (shape === 'ring' ? ' · ' + lab.location + ': ' + (data.lang === 'zh' ? '近似' : 'approximate') : '')));
            details.appendChild(row);
            seen[key] = {row: row, entry: entry, its: [it]};
            legendRows.push(seen[key]);
          });
        });
        details.appendChild(el('div', 'hm-src', data.attribution));
        div.appendChild(details);
        stop(div);
        return div;
      }
    });
    function syncLegend() {
      legendRows.forEach(function (r) {
        var any = r.entry.on && r.its.some(function (it) { return it.visible; });
        r.row.style.display = any ? '' : 'none';
      });
    }
    function syncLabels() {
      var z = map.getZoom();
      items.forEach(function (it) {
        if (!it.label || !it.layer) return;
        var want = it.entry.on && it.visible && (it.spec.labels === true || z >= 9);
        if (want && !map.hasLayer(it.label)) it.label.addTo(map);
        if (!want && map.hasLayer(it.label)) map.removeLayer(it.label);
      });
    }

    // ---------------------------------------------------------------- permalink
    var restoring = false;
    function writeHash() {
      if (restoring) return;
      var p = [];
      ['industry', 'tier', 'source', 'role', 'q'].forEach(function (k) {
        if (state[k]) p.push(k + '=' + encodeURIComponent(state[k]));
      });
      p.push('on=' + specs.filter(function (e) { return e.on; }).map(function (e) { return e.spec.id; }).join(','));
      var c = map.getCenter();
      p.push('view=' + map.getZoom() + '/' + c.lat.toFixed(4) + '/' + c.lng.toFixed(4));
      var hash = '#' + p.join('&');
      if (location.hash !== hash && history.replaceState) history.replaceState(null, '', hash);
    }
    function readHash() {
      var h = location.hash.replace(/^#/, '');
      if (!h) return false;
      var p = {};
      h.split('&').forEach(function (kv) {
        var i = kv.indexOf('=');
        if (i > 0) { try { p[kv.slice(0, i)] = decodeURIComponent(kv.slice(i + 1)); } catch (e) { /* ignore */ } }
      });
      function known(sel, v) {
        return Array.prototype.some.call(sel.options, function (o) { return o.value === v; }) ? v : '';
      }
      state.industry = known(indSel, p.industry || '');
      state.tier = known(tierSel, p.tier || '');
      state.source = known(srcSel, p.source || '');
      state.role = known(roleSel, p.role || '');
      if (p.on !== undefined) {
        var on = p.on.split(',');
        specs.forEach(function (e) { setLayer(e, on.indexOf(e.spec.id) >= 0); });
      }
      syncSelects();
      if (p.q) { var s = document.getElementById('hunan-search'); s.value = p.q; state.q = p.q; }
      var v = (p.view || '').split('/').map(Number);
      if (v.length === 3 && v.every(isFinite)) map.setView([v[1], v[2]], v[0]);
      return true;
    }

    // ---------------------------------------------------------------- notice for an empty result
    function noticeControl(n) {
      var Notice = L.Control.extend({
        options: {position: 'topleft'},
        onAdd: function () {
          var div = el('div', 'hm-panel hm-notice');
          div.id = 'hunan-notice';
          div.appendChild(el('b', null, lab.nothing + (data.lang === 'zh' ? '：' : ': ') + n.words.join(' · ')));
          if (n.hints.length) {
            div.appendChild(el('div', null, lab.nearest + (data.lang === 'zh' ? '：' : ': ') + n.hints.map(function (h) {
              return (data.lang === 'zh' ? '去掉 --' : 'drop --') + h[0] + ' (' + h[1] + ')';
            }).join(data.lang === 'zh' ? '；' : '; ')));
          }
          return div;
        }
      });
      new Notice().addTo(map);
    }

    // ---------------------------------------------------------------- go
    specs.forEach(function (e) { if (e.on) { build(e); map.addLayer(e.group); } });
    new FilterControl().addTo(map);
    new SearchControl().addTo(map);
    new LayerControl().addTo(map);
    new LegendControl().addTo(map);
    if (data.notice) noticeControl(data.notice);
    map.on('zoomend', function () { spread(); syncLabels(); writeHash(); });
    map.on('moveend', writeHash);
    restoring = true;
    var fromHash = readHash();
    restoring = false;
    apply();
    if (!fromHash) writeHash();
    document.title = document.title || data.title;

    var api = {
      apply: apply, state: state, items: items, layers: specs, csv: downloadCsv,
      set: function (st) {
        ['industry', 'tier', 'source', 'role'].forEach(function (k) { state[k] = (st && st[k]) || ''; });
        syncSelects();
        return apply({zoom: true});
      },
      shown: function () { return lastShown.map(function (it) { return it.spec.id + ':' + (it.feat.id || it.feat.n); }); },
      setLayer: function (id, on) {
        specs.forEach(function (e) { if (e.spec.id === id) setLayer(e, on); });
        return apply();
      },
      focus: function (layerId, id) { var it = byId[layerId + ':' + id]; if (it) focusItem(it); return !!it; }
    };
    window.hunanMap = api;
    window.hunanLeafletMap = map;
    performance.mark('hunan-map-drawn');
    window.hunanMapDrawn = performance.now();
    return api;
  }

  window.HunanMap = {start: start};
})();
