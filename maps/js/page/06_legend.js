// Legend and labels: one legend row per colour drawn for layers that are on (spec.legend), and
// the prefecture/county labels by zoom (data.labels).
// (part of the page function: the files in maps/js/page are joined in name order; this header is not.)
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
            // catalogue zones: one row per precision (site, town, seat, county ...), each with its words
            var precise = spec.id === 'catalogue' && spec.type === 'points';
            if (precise) text += ' · ' + lab.location + ': ' + (lab.precision[it.feat.p] || it.feat.p);
            var key = it.feat.c + shape + text;
            if (seen[key]) { seen[key].its.push(it); return; }
            var row = el('div', 'hm-legend-row');
            row.setAttribute('data-layer', spec.id);
            var sw = el('i', 'hm-swatch hm-' + shape);
            sw.style.borderColor = it.feat.c;
            if (shape !== 'ring' && shape !== 'line') sw.style.background = it.feat.c;
            row.appendChild(sw);
            row.appendChild(el('span', null, text + (shape === 'ring' && !precise ? ' · ' + lab.location + ': ' + lab.at_seat : '')));
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

