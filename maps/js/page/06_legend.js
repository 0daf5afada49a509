// Legend and labels: one legend row per colour drawn for layers that are on (spec.legend), and
// the prefecture/county labels by zoom (data.labels).
// (part of the page function: the files in maps/js/page are joined in name order; this header is not.)
    // Legend: one row per colour drawn for what is shown now (rebuilt as the filter and layers change).
    var legendBody = null;
    var LegendControl = L.Control.extend({
      options: {position: 'bottomright'},
      onAdd: function () {
        var div = el('div', 'hm-panel hunan-legend');
        var details = el('details');
        details.id = 'hunan-legend';
        details.open = window.innerWidth > NARROW;
        details.appendChild(el('summary', null, lab.legend));
        legendBody = el('div', 'hm-legend-body');
        details.appendChild(legendBody);
        details.appendChild(el('div', 'hm-src', data.attribution));
        details.addEventListener('toggle', fitPanels);
        div.appendChild(details);
        stop(div);
        return div;
      }
    });
    function isPrefecture(code) { return /00$/.test(String(code)); }
    function legendRow(entry, colour, shape, text) {
      var row = el('div', 'hm-legend-row');
      row.setAttribute('data-layer', entry.spec.id);
      var sw = el('i', 'hm-swatch hm-' + shape);
      sw.style.borderColor = colour;
      if (shape === 'circle' || shape === 'box') sw.style.background = colour;
      row.appendChild(sw);
      row.appendChild(el('span', null, text));
      legendBody.appendChild(row);
    }
    function syncLegend() {
      if (!legendBody) return;
      while (legendBody.firstChild) legendBody.removeChild(legendBody.firstChild);
      specs.forEach(function (entry) {
        var spec = entry.spec;
        if (!entry.on || spec.type === 'admin') return;
        if (spec.type === 'overlay') { legendRow(entry, OVERLAY_COLOR, 'circle', spec.name); return; }
        var seen = {};
        entry.items.forEach(function (it) {
          if (!it.visible || !it.layer) return;
          var colour = it.colour || it.feat.c, shape, text;
          if (spec.type === 'points') {
            shape = HOLLOW[it.feat.p] ? 'ring' : 'circle';
            text = spec.name + ((it.lg || it.feat.lg) ? ' · ' + (it.lg || it.feat.lg) : '');
            var colon = data.lang === 'zh' ? '：' : ': ';
            // catalogue zones: one row per precision (site, town, seat, county ...), each with its words
            if (spec.id === 'catalogue') text += ' · ' + lab.location + colon + (lab.precision[it.feat.p] || it.feat.p);
            else if (shape === 'ring') text += ' · ' + lab.location + colon + lab.at_seat;
          } else if (spec.type === 'corridor') {
            shape = 'line'; text = spec.group + ' · ' + it.feat.n;
          } else if (spec.type === 'zone') {
            shape = 'box'; text = spec.group + ' · ' + it.feat.n;
          } else if (spec.type === 'compare') {
            var pref = it.feat.a && isPrefecture(it.feat.a[0]);
            shape = pref ? 'outline' : 'box';
            text = it.feat.lg + (pref ? ' · ' + lab.prefectures : '');
          } else {
            shape = spec.outline ? 'outline' : 'box'; text = spec.name;
          }
          var key = colour + shape + text;
          if (seen[key]) return;
          seen[key] = 1;
          legendRow(entry, colour, shape, text);
        });
      });
      fitPanels();
    }

    // The layer list and the legend share the right edge: the legend gets what the list leaves.
    function fitPanels() {
      var layers = document.querySelector('.hm-layers');
      var legend = document.querySelector('.hunan-legend details');
      if (!layers || !legend) return;
      var mr = map.getContainer().getBoundingClientRect();
      var room = mr.bottom - layers.getBoundingClientRect().bottom - 40;
      legend.style.maxHeight = Math.max(48, Math.min(room, 0.45 * mr.height)) + 'px';
    }
