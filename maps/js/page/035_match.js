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
      box.appendChild(el('div', 'hm-head', lab.matched));
      var ul = el('ul', 'hm-ul hm-match');
      lines.forEach(function (t) { ul.appendChild(el('li', null, t)); });
      box.appendChild(ul);
      return box;
    }
