// Compare mode: pick two documents (data.docOrder, in date order; the catalogue too) and every park,
// zone, cluster and corridor is coloured by only-in-A / only-in-B / both (facts' sources, with the other
// filters kept), counties by what lies in them; popups say what each document assigns; a step control
// walks the documents in date order. Counts are `hunan-map timeline --from A --to B`'s.
// (part of the page function: the files in maps/js/page are joined in name order; this header is not.)
    // ---------------------------------------------------------------- compare two documents
    var cmp = {a: '', b: '', step: -1};
    var CMP_COLORS = {a: '#d95f02', b: '#1b9e77', both: '#7570b3'};
    function comparing() { return !!(cmp.a && cmp.b); }
    function docFacts(item, doc) {
      var st = {industry: state.industry, tier: state.tier, role: state.role, source: '', broader: state.broader};
      return (item.feat.f || []).filter(function (f) { return f[1] === doc && factOk(f, st); });
    }
    function cmpStatus(item) {
      var a = docFacts(item, cmp.a).length > 0, b = docFacts(item, cmp.b).length > 0;
      return a && b ? 'both' : (a ? 'a' : (b ? 'b' : ''));
    }
    function restyle(it, color) {
      if (!it.layer || !it.layer.setStyle) return;
      if (!it.hmOrig) it.hmOrig = {color: it.layer.options.color, fillColor: it.layer.options.fillColor,
                                   fill: it.layer.options.fill, fillOpacity: it.layer.options.fillOpacity};
      if (color) {
        var opacity = it.spec.type === 'points' ? 0.9 : (it.spec.type === 'admin' ? 0.3 : 0.15);
        it.layer.setStyle({color: color, fillColor: color, fill: it.spec.type !== 'corridor', fillOpacity: opacity});
      } else {
        it.layer.setStyle(it.hmOrig);
      }
    }
    var cmpCounts = {a: 0, b: 0, both: 0};
    function syncCompare() {
      if (!comparing()) {  // leave the filter's colours alone; restore them once when compare mode ends
        if (cmp.styled) {
          items.forEach(function (it) {
            if (it.hmOrig && it.layer) it.layer.setStyle(it.hmOrig);
            it.hmOrig = null; it.colour = null; it.cmp = '';
          });
          cmp.styled = false;
          recolour();
        }
        if (cmpLine) while (cmpLine.firstChild) cmpLine.removeChild(cmpLine.firstChild);
        return;
      }
      cmp.styled = true;
      cmpCounts = {a: 0, b: 0, both: 0};
      var county = {}, counted = {};
      items.forEach(function (it) {
        if (it.spec.type === 'admin' || it.spec.type === 'compare') return;
        var s = comparing() ? cmpStatus(it) : '';
        it.cmp = s;
        // one count per entity (a corridor part is drawn as its area and its line: one part)
        var key = (it.spec.type === 'points' ? 'park' : (it.spec.type === 'cluster' ? 'cluster' : 'part')) + ':' + it.feat.id;
        if (s && !counted[key]) { counted[key] = 1; cmpCounts[s] += 1; }
        restyle(it, s ? CMP_COLORS[s] : null);
        if (s && it.feat.pl && it.feat.pl[1]) {
          var c = county[it.feat.pl[1]] || (county[it.feat.pl[1]] = {});
          if (s === 'a' || s === 'both') c.a = 1;
          if (s === 'b' || s === 'both') c.b = 1;
        }
      });
      items.forEach(function (it) {
        if (it.spec.id !== 'counties') return;
        var c = comparing() && county[it.feat.id];
        restyle(it, c ? CMP_COLORS[c.a && c.b ? 'both' : (c.a ? 'a' : 'b')] : null);
      });
      if (cmpLine) {
        while (cmpLine.firstChild) cmpLine.removeChild(cmpLine.firstChild);
        if (comparing()) {
          [['a', lab.cmp_a + ' (' + cmp.a + ')'], ['b', lab.cmp_b + ' (' + cmp.b + ')'], ['both', lab.cmp_both]]
            .forEach(function (r) {
              var row = el('div', 'hm-legend-row');
              row.setAttribute('data-status', r[0]);
              var sw = el('i', 'hm-swatch hm-box');
              sw.style.background = sw.style.borderColor = CMP_COLORS[r[0]];
              row.appendChild(sw);
              row.appendChild(el('span', null, r[1] + ': ' + cmpCounts[r[0]]));
              cmpLine.appendChild(row);
            });
        }
      }
      if (cmpBox) cmpBox.setAttribute('data-counts', JSON.stringify(cmpCounts));
    }
    function compareNode(item) {
      if (!comparing() || !item.cmp) return null;
      var box = el('div', 'hm-matched hm-compare');
      box.appendChild(el('div', 'hm-head', lab.compare_docs));
      [cmp.a, cmp.b].forEach(function (doc) {
        var facts = docFacts(item, doc);
        var line = el('div', 'hm-row');
        line.appendChild(el('span', 'hm-key', doc + (data.lang === 'zh' ? '：' : ': ')));
        line.appendChild(el('span', 'hm-val', facts.length ? facts.map(function (f) {
          return (f[6] || industryName[f[4]] || f[4]) + ' (' + (lab.roles[f[2]] || f[2]) + ', ' + f[5] + ')';
        }).join(data.lang === 'zh' ? '；' : '; ') : lab.cmp_none));
        box.appendChild(line);
      });
      return box;
    }
    var cmpLine = null, cmpBox = null, cmpSelA = null, cmpSelB = null, stepLabel = null;
    function docSelect(id) {
      var s = el('select', 'hm-select');
      s.id = id;
      s.appendChild(option('', lab.cmp_pick, 0));
      data.docOrder.forEach(function (d) { s.appendChild(option(d[0], d[1], 0)); });
      s.onchange = function () { cmp.a = cmpSelA.value; cmp.b = cmpSelB.value; onCompare(); };
      return s;
    }
    function onCompare() {
      if (comparing()) {
        specs.forEach(function (e) { if (e.spec.id === 'counties' && !e.on) setLayer(e, true); });
      }
      apply();
    }
    function step(delta) {
      var n = data.docOrder.length;
      cmp.step = cmp.step < 0 ? (delta > 0 ? 0 : n - 1) : (cmp.step + delta + n) % n;
      state.source = data.docOrder[cmp.step][0];
      stepLabel.textContent = data.docOrder[cmp.step][1];
      syncSelects();
      apply({zoom: false});
    }
    var CompareControl = L.Control.extend({
      options: {position: 'bottomleft'},
      onAdd: function () {
        var div = el('div', 'leaflet-bar hm-panel hunan-compare');
        var details = el('details');
        details.appendChild(el('summary', null, lab.compare_docs));
        cmpSelA = docSelect('hunan-cmp-a');
        cmpSelB = docSelect('hunan-cmp-b');
        details.appendChild(cmpSelA);
        details.appendChild(cmpSelB);
        cmpLine = el('div', 'hm-summary');
        details.appendChild(cmpLine);
        var steps = el('div', 'hm-buttons');
        var prev = el('button', 'hm-btn', '◀');
        prev.type = 'button';
        prev.id = 'hunan-step-prev';
        prev.onclick = function () { step(-1); };
        var next = el('button', 'hm-btn', '▶');
        next.type = 'button';
        next.id = 'hunan-step-next';
        next.onclick = function () { step(1); };
        stepLabel = el('span', 'hm-step', lab.step_docs);
        steps.appendChild(prev); steps.appendChild(stepLabel); steps.appendChild(next);
        details.appendChild(steps);
        div.appendChild(details);
        cmpBox = div;
        stop(div);
        return div;
      }
    });
