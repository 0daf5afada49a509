// hunan-map in-page filter and legend (our own code, kept small; tested in headless Chromium).
// HunanFilter(map, config): config = {layers: [{layer, name}], industries: [[id, label, depth]],
// tiers: [[id, label]], labels: {...}}. Each feature carries properties.m (industry ids with
// their ancestors) and properties.t (tiers). Choosing an industry keeps only features whose
// m contains it; choosing a tier keeps features whose t contains it. Sublayers are removed
// from and re-added to their GeoJSON layer, so the layer control and search keep working.
(function () {
  function matches(props, industry, tier) {
    if (!props) return true;
    if (industry && (props.m || []).indexOf(industry) < 0) return false;
    if (tier && (props.t || []).indexOf(tier) < 0) return false;
    return true;
  }
  function option(value, label) {
    var o = document.createElement('option');
    o.value = value;
    o.textContent = label;  // textContent: labels are never parsed as HTML
    return o;
  }
  window.HunanFilter = function (map, config) {
    var entries = config.layers.map(function (e) {
      var all = [];
      e.layer.eachLayer(function (l) { all.push(l); });
      return {layer: e.layer, all: all};
    });
    var state = {industry: '', tier: ''};
    function apply() {
      var shown = 0;
      entries.forEach(function (e) {
        e.layer.clearLayers();
        e.all.forEach(function (l) {
          if (matches(l.feature && l.feature.properties, state.industry, state.tier)) {
            e.layer.addLayer(l);
            shown += 1;
          }
        });
      });
      map.getContainer().setAttribute('data-shown', String(shown));
      return shown;
    }
    var Control = L.Control.extend({
      options: {position: 'topleft'},
      onAdd: function () {
        var div = L.DomUtil.create('div', 'leaflet-bar hunan-filter');
        var ind = document.createElement('select');
        ind.id = 'hunan-industry';
        ind.appendChild(option('', config.labels.allIndustries));
        config.industries.forEach(function (i) {
          ind.appendChild(option(i[0], '\u00a0\u00a0'.repeat(i[2]) + i[1]));
        });
        var tier = document.createElement('select');
        tier.id = 'hunan-tier';
        tier.appendChild(option('', config.labels.allTiers));
        config.tiers.forEach(function (t) { tier.appendChild(option(t[0], t[1])); });
        ind.onchange = function () { state.industry = ind.value; apply(); };
        tier.onchange = function () { state.tier = tier.value; apply(); };
        div.appendChild(ind);
        div.appendChild(tier);
        L.DomEvent.disableClickPropagation(div);
        L.DomEvent.disableScrollPropagation(div);
        return div;
      }
    });
    new Control().addTo(map);
    // Legends follow the layer control: an entry shows while its layer is on the map.
    function syncLegend() {
      document.querySelectorAll('.hunan-legend [data-layer]').forEach(function (el) {
        var layer = window[el.getAttribute('data-layer')];
        el.style.display = layer && map.hasLayer(layer) ? '' : 'none';
      });
    }
    map.on('overlayadd overlayremove', syncLegend);
    syncLegend();
    return {apply: apply, state: state, set: function (industry, tier) {
      state.industry = industry || ''; state.tier = tier || '';
      document.getElementById('hunan-industry').value = state.industry;
      document.getElementById('hunan-tier').value = state.tier;
      return apply();
    }};
  };
})();
