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
        li.appendChild(el('span', 'hm-result-kind', lab.kinds[it.kind] || ''));
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
        lines.push([it.feat.n, lab.kinds[it.kind] || '', placeOf(it), rolesOf(it),
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

    // Focusing an item (results list, search, a link): the previous popup closes, the map moves to
    // the item, an admin unit is outlined, and the item's popup opens clear of the panels.
    var highlight = null;
    function focusItem(it) {
      map.closePopup();
      if (highlight) { map.removeLayer(highlight); highlight = null; }
      if (!it.entry.on) setLayer(it.entry, true);
      if (!it.visible && it.spec.type !== 'admin') {
        state.industry = state.tier = state.source = state.role = '';
        syncSelects();
        apply();
      }
      if (!it.layer) return;
      if (window.innerWidth <= NARROW) collapsePanels();
      if (it.layer.hmLatLng) {
        map.setView(it.layer.hmLatLng, Math.max(map.getZoom(), 11), {animate: false});
        spread();
        openFor(it);
      } else {
        var b = it.layer.getBounds();
        map.fitBounds(b, {maxZoom: 10, padding: [20, 20], animate: false});
        if (it.spec.type === 'admin') {
          highlight = L.geoJSON(topoGeometry(it.feat.a), {pane: 'hm-lines', interactive: false,
            style: {color: '#ffb000', weight: 4, opacity: 0.95, fill: false, className: 'hm-highlight'}}).addTo(map);
        } else {
          openFor(it, b.getCenter());
        }
      }
      syncLabels();
    }
    function collapsePanels() {
      Array.prototype.forEach.call(document.querySelectorAll('.hm-panel details'), function (d) { d.open = false; });
    }
    // Our own autopan: a popup stays inside the map and below any top panel it would lie under.
    function fitPopup(popup) {
      var c = popup.getElement();
      if (!c) return;
      var pr = c.getBoundingClientRect(), mr = map.getContainer().getBoundingClientRect();
      var dx = 0, dy = 0;
      if (pr.right > mr.right - 10) dx = pr.right - (mr.right - 10);
      if (pr.left - dx < mr.left + 10) dx = pr.left - (mr.left + 10);
      var top = mr.top + 10;
      Array.prototype.forEach.call(document.querySelectorAll('.leaflet-top .leaflet-control'), function (e) {
        var r = e.getBoundingClientRect();
        if (!r.height || r.right <= pr.left - dx || r.left >= pr.right - dx) return;
        if (r.bottom + 8 + pr.height < mr.bottom) top = Math.max(top, r.bottom + 8);
      });
      if (pr.top < top) dy = pr.top - top;
      else if (pr.bottom > mr.bottom - 10) dy = Math.min(pr.bottom - (mr.bottom - 10), pr.top - top);
      // a tall side panel it still lies under (a long results list): move it sideways when there is room
      var left = pr.left - dx, right = pr.right - dx, ptop = pr.top - dy, pbottom = pr.bottom - dy;
      Array.prototype.forEach.call(document.querySelectorAll('.hm-panel'), function (e) {
        var r = e.getBoundingClientRect();
        if (!r.height || r.right <= left || r.left >= right || r.bottom <= ptop || r.top >= pbottom) return;
        var onLeft = r.left + r.width / 2 < mr.left + mr.width / 2;
        if (onLeft && r.right + 8 + (right - left) < mr.right - 10) dx += left - (r.right + 8);
        else if (!onLeft && r.left - 8 - (right - left) > mr.left + 10) dx += right - (r.left - 8);
        left = pr.left - dx; right = pr.right - dx;
      });
      if (dx || dy) map.panBy([dx, dy], {animate: false});
    }
    map.on('popupopen', function (e) {
      if (window.innerWidth <= NARROW) collapsePanels();
      fitPopup(e.popup);
    });

    var FilterControl = L.Control.extend({
      options: {position: 'topleft'},
      onAdd: function () {
        var div = el('div', 'leaflet-bar hm-panel hunan-filter');
        var details = el('details', 'hm-filter-details');
        details.open = window.innerWidth > NARROW;
        details.appendChild(el('summary', null, lab.filter));
        [indSel, tierSel, srcSel, roleSel].forEach(function (s) {
          if (s.options.length > 10) details.appendChild(picker(s, s === indSel ? data.industries : null));
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
        details.open = window.innerWidth > NARROW;
        details.appendChild(el('summary', null, lab.layers));
        details.addEventListener('toggle', function () { fitPanels(); });
        var groups = {}, size = {};
        specs.forEach(function (entry) { size[entry.spec.group] = (size[entry.spec.group] || 0) + 1; });
        specs.forEach(function (entry) {
          var g = entry.spec.group;
          if (!groups[g]) {
            groups[g] = el('fieldset', 'hm-group');
            // a group of one item named like the group is just that item
            if (!(size[g] === 1 && entry.spec.name === g)) groups[g].appendChild(el('legend', null, g));
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
          var name = String(entry.spec.name), prefix = g + ' · ';
          // an item does not repeat its group's name (算力集群 / 区域, not 算力集群 / 算力集群 · 区域)
          if (name.indexOf(prefix) === 0) name = name.slice(prefix.length);
          label.appendChild(el('span', null, name));
          groups[g].appendChild(label);
        });
        div.appendChild(details);
        stop(div);
        return div;
      }
    });

