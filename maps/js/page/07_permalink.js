// Permalink and start-up: the filter, search, layers and view in the URL hash, the notice for an
// empty result (data.notice), adding every control, and the window.hunanMap API the tests use.
// (part of the page function: the files in maps/js/page are joined in name order; this header is not.)
    // ---------------------------------------------------------------- permalink
    var restoring = false;
    function writeHash() {
      if (restoring) return;
      var p = [];
      ['industry', 'tier', 'source', 'role', 'q'].forEach(function (k) {
        if (state[k]) p.push(k + '=' + encodeURIComponent(state[k]));
      });
      if (state.broader) p.push('broader=1');
      if (comparing()) p.push('cmp=' + encodeURIComponent(cmp.a + ',' + cmp.b));
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
      state.broader = p.broader === '1';
      var pair = (p.cmp || '').split(',');
      if (pair.length === 2 && known(cmpSelA, pair[0]) && known(cmpSelB, pair[1])) {
        cmp.a = cmpSelA.value = pair[0];
        cmp.b = cmpSelB.value = pair[1];
      }
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
    new CompareControl().addTo(map);
    if (data.notice) noticeControl(data.notice);
    map.on('zoomend', function () { spread(); syncLabels(); writeHash(); });
    map.on('moveend', function () { syncLabels(); writeHash(); });
    restoring = true;
    var fromHash = readHash();
    restoring = false;
    var first = data.initial || {};
    if (!fromHash && (first.industry || first.tier || first.source || first.role)) {
      // a page rendered with a filter opens with it set; its lists still count against all the data
      ['industry', 'tier', 'source', 'role'].forEach(function (k) { state[k] = first[k] || ''; });
      state.broader = first.broader === '1';
      syncSelects();
      apply({zoom: true});
    } else {
      apply();
    }
    fitPanels();
    window.addEventListener('resize', fitPanels);
    if (!fromHash) writeHash();
    document.title = document.title || data.title;

    var api = {
      apply: apply, state: state, items: items, layers: specs, csv: downloadCsv, matched: matchedOf, kinds: kindsOf,
      set: function (st) {
        ['industry', 'tier', 'source', 'role'].forEach(function (k) { state[k] = (st && st[k]) || ''; });
        state.broader = !!(st && st.broader);
        syncSelects();
        return apply({zoom: true});
      },
      shown: function () { return lastShown.map(function (it) { return it.spec.id + ':' + (it.feat.id || it.feat.n); }); },
      setLayer: function (id, on) {
        specs.forEach(function (e) { if (e.spec.id === id) setLayer(e, on); });
        return apply();
      },
      compare: function (a, b) {
        cmp.a = cmpSelA.value = a || ''; cmp.b = cmpSelB.value = b || '';
        onCompare();
        return cmpCounts;
      },
      step: function (delta) { step(delta); return state.source; },
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
