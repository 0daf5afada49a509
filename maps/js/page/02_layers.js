// Layers and popups: every feature of data.layers as an item, its Leaflet layer made on first use,
// popups and tooltips (item rows, cites), points that share a place spread, and the user's overlay
// (data.overlay: columns and rows).
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
      var matched = matchedNode(item);
      if (matched) div.appendChild(matched);
      var compared = compareNode(item);
      if (compared) div.appendChild(compared);
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

