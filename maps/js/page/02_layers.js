// Layers and popups: every feature of data.layers as an item, its Leaflet layer made on first use,
// popups and tooltips (item rows, cites), labels, points that share a place drawn once with a list
// of all entries there, and the user's overlay (data.overlay: columns and rows, each row an item).
// (part of the page function: the files in maps/js/page are joined in name order; this header is not.)
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
        line.appendChild(linked('span', 'hm-val', r[1]));
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
      var matched = matchedNode(item);
      if (matched) div.appendChild(matched);
      var compared = compareNode(item);
      if (compared) div.appendChild(compared);
      if (f.lay && f.lay.length) {
        div.appendChild(el('div', 'hm-head', lab.layout_industries));
        div.appendChild(el('div', 'hm-val', f.lay.join(data.lang === 'zh' ? '、' : ', ')));
      }
      var here = stackOf(item);
      if (here.length > 1) {
        var back = el('div', 'hm-link hm-here', lab.more_here.replace('{n}', here.length));
        back.tabIndex = 0;
        back.onclick = function () { openAt(listContent(here), item.layer.hmLatLng); };
        div.appendChild(back);
      }
      if (item.spec.type === 'points' && f.f && f.f.length) {
        var all = el('button', 'hm-btn hm-all-facts', lab.all_facts);
        all.type = 'button';
        all.onclick = function () { showAllFacts(item); };
        div.appendChild(all);
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

    // Points that share a place: one marker, whose popup lists every entry there.
    function stackOf(item) {
      if (!item.feat.g || !item.layer || !item.layer.hmLatLng) return [];
      return (stacks[item.feat.g.join(',')] || []).filter(function (o) { return o.visible && o.entry.on && o.layer; });
    }
    function listContent(here) {
      var div = el('div', 'hm-popup hm-here-list');
      div.appendChild(el('b', 'hm-name', lab.more_here.replace('{n}', here.length)));
      var ul = el('ul', 'hm-ul hm-same');
      here.forEach(function (o) {
        var li = el('li', 'hm-link', o.feat.n);
        li.appendChild(el('span', 'hm-result-kind', lab.kinds[o.kind] || ''));
        li.tabIndex = 0;
        li.onclick = function () { openAt(popupContent(o), o.layer.hmLatLng); };
        li.onkeydown = function (e) { if (e.key === 'Enter') li.onclick(); };
        ul.appendChild(li);
      });
      div.appendChild(ul);
      return div;
    }
    var POPUP = {maxWidth: 340, autoPan: false};
    function openAt(content, latlng) {
      L.popup(POPUP).setLatLng(latlng).setContent(content).openOn(map);
    }
    function openFor(it, latlng) {
      if (it.layer._map) { it.layer.openPopup(latlng); return; }
      openAt(popupContent(it), latlng || it.layer.hmLatLng);
    }
    function rankOf(it) {
      return (LABEL_RANK[it.spec.id] || LABEL_RANK[it.spec.type] || 10) * 1000 + (it.feat.f || []).length;
    }
    function byRank(a, b) { return rankOf(b) - rankOf(a) || (String(a.feat.n) < String(b.feat.n) ? -1 : 1); }

    // ---------------------------------------------------------------- layers
    var items = [];        // every feature drawn: {feat, spec, layer, kind}
    var specs = [];        // every layer: {spec, group, items, on}
    var byId = {};

    function styleFor(spec, f) {
      if (spec.type === 'admin') return {color: '#444444', weight: spec.w || 1, fill: false, opacity: 0.8, interactive: false};
      if (spec.type === 'zone') return {color: f.c, weight: 2, fillColor: f.c, fillOpacity: 0.12, opacity: 0.9};
      if (spec.type === 'corridor') return {color: f.c, weight: 5, opacity: 0.8, dashArray: '8 6', fill: false};
      if (spec.type === 'compare' && f.a && /00$/.test(f.a[0])) return {color: f.c, weight: 3, dashArray: '6 4', fill: false};
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
        layer.bindPopup(function () {
          var here = stackOf(item);
          return here.length > 1 ? listContent(here) : popupContent(item);
        }, POPUP);
        layer.bindTooltip(function () {
          var here = stackOf(item);
          return tip(here.length > 1 ? lab.more_here.replace('{n}', here.length) + ': ' + here[0].feat.n + ' …' : f.n);
        }, {sticky: spec.type !== 'points', direction: 'top'});
      }
      var lp = f.lp || (spec.type === 'points' ? f.g : null);
      if (!lp && spec.type === 'zone' && layer.getBounds && layer.getBounds().isValid()) {
        var c = layer.getBounds().getCenter();
        lp = [c.lat, c.lng];
      }
      if (lp && (spec.labels || spec.type === 'points')) {
        var pt = spec.type === 'points';
        item.label = L.tooltip({permanent: true, direction: pt ? 'right' : 'center', offset: pt ? [7, 0] : [0, 0],
                                className: 'hm-label hm-label-' + spec.id, interactive: false})
          .setLatLng(lp).setContent(tip(f.n));
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
        var item = {feat: f, spec: spec, layer: null, kind: spec.type === 'admin' ? ADMIN_KIND[spec.id] : kind,
                    entry: entry, visible: true};
        items.push(item);
        entry.items.push(item);
        if (f.id) byId[spec.id + ':' + f.id] = item;
      });
      specs.push(entry);
    });

    // Points that share a place are drawn once (the most important entry, larger when it stands
    // for several); its popup lists them all. Every entry still counts and is listed in the results.
    function spread() {
      Object.keys(stacks).forEach(function (k) {
        var shown = stacks[k].filter(function (it) { return it.visible && it.entry.on && it.layer; }).sort(byRank);
        shown.forEach(function (it, i) {
          var g = it.entry.group, head = i === 0;
          it.hidden = !head;
          if (head && !g.hasLayer(it.layer)) g.addLayer(it.layer);
          if (!head && g.hasLayer(it.layer)) g.removeLayer(it.layer);
          if (head) it.layer.setRadius(shown.length > 1 ? 10 : (it.spec.id === 'parks' ? 8 : 6));
          if (head) it.layer.setStyle({weight: shown.length > 1 ? 3 : (HOLLOW[it.feat.p] ? 2.5 : 1.5)});
          if (head && it.label) it.label.setContent(tip(shown.length > 1 ? it.feat.n + ' +' + (shown.length - 1) : it.feat.n));
        });
      });
    }

    // ---------------------------------------------------------------- overlay (a user's file)
    var OVERLAY_COLOR = '#00a6d6';
    if (data.overlay) { specs.push(buildOverlay(data.overlay)); }
    function overlayPopup(cols, row) {
      var div = el('div', 'hm-popup');
      var t = el('table', 'hm-table');
      cols.forEach(function (c, i) {
        var tr = el('tr');
        tr.appendChild(el('th', null, c));
        tr.appendChild(el('td', null, row[i]));
        t.appendChild(tr);
      });
      div.appendChild(t);
      return div;
    }
    function buildOverlay(o) {
      var group = L.featureGroup();
      var name = (o.mode === 'aggregate' ? lab.my_data_agg : lab.my_data) + ' (' + o.n.toLocaleString() + ')';
      var spec = {id: 'overlay', group: lab.my_data, name: name, type: 'overlay', show: true, features: []};
      var entry = {spec: spec, group: group, items: [], on: true, built: true};
      var dot = {pane: 'hm-user', radius: 5, color: '#222222', weight: 1, fillColor: OVERLAY_COLOR, fillOpacity: 0.9};
      if (o.mode === 'features') {
        // each row is an item: counted, listed, found by any of its text columns
        o.rows.forEach(function (row, i) {
          if (!o.geo[i]) return;
          var layer = L.geoJSON(o.geo[i], {
            pane: 'hm-user', style: {color: OVERLAY_COLOR, weight: 2, fillOpacity: 0.2},
            pointToLayer: function (_f, latlng) { return L.circleMarker(latlng, dot); }
          });
          layer.bindPopup(function () { return overlayPopup(o.cols, row); }, POPUP);
          var label = (o.label >= 0 ? row[o.label] : '') || '#' + (i + 1);
          layer.bindTooltip(tip(label));
          group.addLayer(layer);
          var item = {feat: {n: label, c: OVERLAY_COLOR, s: row.join('|'), rows: [], ov: true},
                      spec: spec, layer: layer, kind: 'overlay', entry: entry, visible: true};
          entry.items.push(item);
          items.push(item);
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
      entry.count = o.n;
      return entry;
    }

