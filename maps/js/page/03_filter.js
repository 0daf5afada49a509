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
      if (item.spec.type === 'admin' || item.spec.type === 'compare') return true;
      if (comparing()) return cmpStatus(item) !== '';
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
        if (b.isValid()) map.fitBounds(b, {padding: [30, 30], maxZoom: 11});
      }
      emptyNote.style.display = (!shown.length && (filtering() || data.notice)) ? '' : 'none';
      writeHash();
      return shown.length;
    }

