// How a fact answers the filter: the source choice (one document, all policy documents or the 2018
// catalogue; data.sourceKinds), the industry (the fact's key set; with the broader box, data.wider),
// and the match kind shown in popups, the results list and its CSV (data.labels.match_kinds).
// (part of the page function: the files in maps/js/page are joined in name order; this header is not.)
    // ---------------------------------------------------------------- match kinds
    // A fact is [key set, source, role, tiers, industry id, section, wording] (maps/payload.py _Facts).
    function sourceOk(f, st) {
      if (!st.source) return true;
      if (st.source === 'policy' || st.source === 'catalogue') return data.sourceKinds[f[1]] === st.source;
      return f[1] === st.source;
    }
    function widerOk(f, st) {  // data.wider[industry][i]: the key set for facts of data.widerSources[i]
      var per = data.wider[st.industry];
      var i = data.widerSources.indexOf(f[1]);
      return !!per && i >= 0 && data.keysets[per[i]].indexOf(f[4]) >= 0;
    }
    function industryOk(f, st) {
      if (!st.industry) return true;
      if (data.keysets[f[0]].indexOf(st.industry) >= 0) return true;
      return !!st.broader && widerOk(f, st);
    }
    function factKind(f, st) {
      if (!st.industry) return '';
      if (data.keysets[f[0]].indexOf(st.industry) < 0) return st.broader && widerOk(f, st) ? 'broader' : '';
      if (f[2] === 'catalogue_lead' || data.sourceKinds[f[1]] === 'catalogue') return 'catalogue';
      if (f[2] === 'layout_focus') return 'layout';
      return f[4] === st.industry ? 'exact' : 'narrower';
    }
    var industryName = {};
    (data.industries || []).forEach(function (r) { industryName[r[0]] = r[1]; });
    // One text per fact of an item that answers the filter: "wording · role · kind · source section".
    function matchedOf(item) {
      if (!(state.industry || state.tier || state.source || state.role)) return [];
      var out = [];
      (item.feat.f || []).forEach(function (f) {
        if (!factOk(f, state)) return;
        var kind = factKind(f, state);
        var text = [f[6] || industryName[f[4]] || f[4], lab.roles[f[2]] || f[2],
                    kind ? (lab.match_kinds[kind] || kind) : '', (f[1] + ' ' + (f[5] || '')).trim()]
          .filter(function (x) { return x; }).join(' · ');
        if (out.indexOf(text) < 0) out.push(text);
      });
      return out;
    }
    function matchedNode(item) {
      var lines = matchedOf(item);
      if (!lines.length) return null;
      var box = el('div', 'hm-matched');
      box.appendChild(el('div', 'hm-head', lab.match_how));
      var ul = el('ul', 'hm-ul hm-match');
      lines.forEach(function (t) { ul.appendChild(el('li', null, t)); });
      box.appendChild(ul);
      return box;
    }
    // ---------------------------------------------------------------- all facts of a park or platform
    // The same record as `hunan-map profile`: its own facts, what it inherits through layouts and
    // clusters (origin layout/member), and its catalogue entry, each group in document date order.
    function recordOf(item) {
      var groups = {own: [], inherited: [], catalogue: []};
      var seen = {};
      (item.feat.f || []).forEach(function (f) {
        var key = [f[1], f[5], f[4], f[2]].join('|');
        if (seen[key]) return;
        seen[key] = 1;
        var g = data.sourceKinds[f[1]] === 'catalogue' ? 'catalogue' :
          (f[7] === 'member' || f[7] === 'layout' ? 'inherited' : 'own');
        groups[g].push(f);
      });
      Object.keys(groups).forEach(function (g) {
        groups[g].sort(function (a, b) {
          return (data.sourceYears[a[1]] || 0) - (data.sourceYears[b[1]] || 0) || (a[1] < b[1] ? -1 : a[1] > b[1] ? 1 : 0);
        });
      });
      return groups;
    }
    var factsPanel = null;
    function showAllFacts(item) {
      if (factsPanel) factsPanel.remove();
      var rec = recordOf(item);
      factsPanel = el('div', 'hm-facts-panel');
      factsPanel.id = 'hunan-facts';
      var close = el('button', 'hm-btn hm-close', lab.close);
      close.type = 'button';
      close.onclick = function () { factsPanel.remove(); factsPanel = null; };
      factsPanel.appendChild(close);
      factsPanel.appendChild(el('b', 'hm-name', item.feat.n));
      [['own', lab.own_facts], ['inherited', lab.inherited], ['catalogue', lab.catalogue_entry]].forEach(function (g) {
        var list = rec[g[0]];
        var head = el('div', 'hm-head', g[1] + ' (' + list.length + ')');
        head.setAttribute('data-group', g[0]);
        head.setAttribute('data-count', String(list.length));
        factsPanel.appendChild(head);
        var ul = el('ul', 'hm-ul');
        list.forEach(function (f) {
          ul.appendChild(el('li', null, [f[6] || industryName[f[4]] || f[4], lab.roles[f[2]] || f[2],
            (f[1] + ' ' + (f[5] || '')).trim()].join(' · ')));
        });
        factsPanel.appendChild(ul);
      });
      stop(factsPanel);
      map.getContainer().appendChild(factsPanel);
    }
    // The summary counts plans and the catalogue apart: "… (规划 8 · 仅目录 5)".
    function planCatalogueSplit(shown) {
      if (!(state.industry || state.tier || state.role) || state.source) return '';
      var plan = 0, cat = 0;
      shown.forEach(function (it) {
        var byPlan = (it.feat.f || []).some(function (f) { return factOk(f, state) && data.sourceKinds[f[1]] !== 'catalogue'; });
        if (byPlan) plan += 1; else cat += 1;
      });
      return cat ? ' (' + lab.by_plans + ' ' + plan + ' · ' + lab.by_catalogue + ' ' + cat + ')' : '';
    }
