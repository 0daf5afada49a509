// Panels: the filter panel (data.industries, tiers, sources, roles with counts), the summary line,
// the results list with CSV download, focusing an item, and the layer list (data.layers groups).
// (part of the page function: the files in maps/js/page are joined in name order; this header is not.)
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
      var st = {industry: '', tier: state.tier, source: state.source, role: state.role, broader: false};
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
    function kindsOf(it) {  // the match kinds of an item's answering facts, e.g. "本产业、下位产业"
      if (!state.industry) return '';
      var seen = [];
      (it.feat.f || []).forEach(function (f) {
        var k = factOk(f, state) ? factKind(f, state) : '';
        if (k && seen.indexOf(k) < 0) seen.push(k);
      });
      return seen.map(function (k) { return lab.match_kinds[k] || k; }).join(data.lang === 'zh' ? '、' : ', ');
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
        var kinds = kindsOf(it);
        if (kinds) li.appendChild(el('span', 'hm-result-match', kinds));
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
                    matchedOf(it).join(' | '), (it.feat.cites || []).join(' | ')].map(csvCell).join(','));
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
          if (s === indSel) details.appendChild(broaderBox);
        });
        var buttons = el('div', 'hm-buttons');
        var reset = el('button', 'hm-btn', lab.reset);
        reset.type = 'button';
        reset.onclick = function () {
          state.industry = state.tier = state.source = state.role = '';
          state.broader = false;
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
    var broaderBox = el('label', 'hm-check');
    var broaderInput = el('input');
    broaderInput.type = 'checkbox';
    broaderInput.id = 'hunan-broader';
    broaderInput.onchange = function () { state.broader = broaderInput.checked; apply({zoom: true}); };
    broaderBox.appendChild(broaderInput);
    broaderBox.appendChild(el('span', null, lab.broader));
    function syncSelects() {
      broaderInput.checked = !!state.broader;
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

