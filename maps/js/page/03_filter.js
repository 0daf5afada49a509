// The filter: state (industry, tier, source, role, search text), which facts and features pass
// (facts carry key-set, source, role and tiers; data.keysets), counts and apply().
// (part of the page function: the files in maps/js/page are joined in name order; this header is not.)
    // ---------------------------------------------------------------- filter state
    var state = {industry: '', tier: '', source: '', role: '', q: '', broader: false};
    function filtering() { return !!(state.industry || state.tier || state.source || state.role); }
    function factOk(f, st) {
      if (!industryOk(f, st)) return false;
      if (!sourceOk(f, st)) return false;
      if (st.role && f[2] !== st.role) return false;
      if (st.tier && f[3].indexOf(st.tier) < 0) return false;
      return true;
    }
    function featOk(item, st) {
      if (item.spec.type === 'admin' || item.spec.type === 'compare' || item.spec.type === 'overlay') return true;
      if (comparing()) return cmpStatus(item) !== '';
      if (!(st.industry || st.tier || st.source || st.role)) return true;
      return (item.feat.f || []).some(function (f) { return factOk(f, st); });
    }

    // Colour follows the filter: a park takes the tier its matching facts give it (the asked tier,
    // else the first of data.tier_order among them); with no filter, its own first tier.
    function matchTier(it) {
      if (!filtering()) return null;
      if (state.tier) return state.tier;
      var tiers = {};
      (it.feat.f || []).forEach(function (f) {
        if (factOk(f, state)) f[3].forEach(function (t) { tiers[t] = 1; });
      });
      for (var i = 0; i < data.tier_order.length; i++) { if (tiers[data.tier_order[i]]) return data.tier_order[i]; }
      return '';
    }
    function recolour() {
      items.forEach(function (it) {
        if (it.spec.id !== 'parks' || !it.layer) return;
        var t = matchTier(it);
        var c = t === null ? it.feat.c : (t ? data.tier_colors[t] : data.no_tier_color);
        it.lg = t === null ? it.feat.lg : (t ? lab.tiers[t] : lab.no_tier);
        if (it.colour === c) return;
        it.colour = c;
        it.layer.setStyle(HOLLOW[it.feat.p] ? {color: c} : {fillColor: c});
      });
    }

    function topPanelsBottom() {
      var top = map.getContainer().getBoundingClientRect().top, most = 0;
      Array.prototype.forEach.call(document.querySelectorAll('.leaflet-top .leaflet-control'), function (e) {
        most = Math.max(most, e.getBoundingClientRect().bottom - top);
      });
      return most;
    }

    function countsOf(list) {
      var c = {};
      list.forEach(function (it) {
        var key = it.spec.type === 'points' ? it.spec.id : (it.spec.type === 'cluster' ? 'clusters' :
          (it.spec.type === 'zone' ? 'zones' : (it.spec.type === 'corridor' ? 'corridors' :
            (it.spec.type === 'overlay' ? 'overlay' : null))));
        if (key) c[key] = (c[key] || 0) + 1;
      });
      return c;
    }
    function summaryText(c) {
      var parts = [];
      COUNT_KEYS.forEach(function (k) {
        if (c[k] || k === 'parks' || k === 'clusters' || k === 'platforms' || k === 'zones') {
          parts.push(countText(c[k] || 0, k));
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
      specs.forEach(function (e) {  // a clustered or heat-map overlay: its rows are not items
        if (e.spec.type === 'overlay' && e.on && !e.items.length && e.count) c.overlay = e.count;
      });
      recolour();
      summary.textContent = summaryText(c) + planCatalogueSplit(shown);
      map.getContainer().setAttribute('data-shown', String(shown.length));
      updateOptionCounts();
      renderResults(shown);
      syncLegend();
      syncLabels();
      syncCompare();
      if (opts.zoom && filtering() && shown.length) {
        var b = L.latLngBounds([]);
        shown.forEach(function (it) { b.extend(it.layer.hmLatLng || it.layer.getBounds()); });
        // on a phone the open filter panel spans the top: fit the matches below it
        var below = window.innerWidth <= NARROW ? topPanelsBottom() : 0;
        if (b.isValid()) map.fitBounds(b, {paddingTopLeft: [30, Math.max(30, below + 10)], paddingBottomRight: [30, 30], maxZoom: 11});
      }
      emptyNote.style.display = (!shown.length && (filtering() || data.notice)) ? '' : 'none';
      writeHash();
      return shown.length;
    }

