// Search: every item and admin unit by name, alias, English name, pinyin or initials
// (items' search keys, data.pinyin).
// (part of the page function: the files in maps/js/page are joined in name order; this header is not.)
    // Search everything: parks, platforms, zones, clusters, corridors, prefectures, counties.
    var SearchControl = L.Control.extend({
      options: {position: 'topright'},
      onAdd: function () {
        var div = el('div', 'leaflet-bar hm-panel hm-search');
        var input = el('input');
        input.type = 'search';
        input.id = 'hunan-search';
        input.placeholder = lab.search;
        input.setAttribute('aria-label', lab.search);
        input.autocomplete = 'off';
        var list = el('ul', 'hm-suggest');
        list.id = 'hunan-suggest';
        list.setAttribute('role', 'listbox');
        var found = [], active = -1;
        function show() {
          while (list.firstChild) list.removeChild(list.firstChild);
          found.forEach(function (it, i) {
            var li = el('li', i === active ? 'hm-active' : '');
            li.setAttribute('role', 'option');
            li.appendChild(el('span', 'hm-s-name', it.feat.n));
            li.appendChild(el('span', 'hm-s-kind', lab.kinds[it.kind] || ''));
            li.onmousedown = function (e) { e.preventDefault(); pick(i); };
            list.appendChild(li);
          });
        }
        function pick(i) {
          var it = found[i];
          if (!it) return;
          input.value = it.feat.n;
          state.q = it.feat.n;
          found = []; show();
          focusItem(it);
          writeHash();
        }
        input.oninput = function () {
          var q = norm(input.value);
          state.q = input.value;
          active = -1;
          found = [];
          if (q) {
            var scored = [];
            items.forEach(function (it) {
              if (it.spec.type === 'compare') return;   // the county itself is found
              var names = [it.feat.n, it.feat.alt].concat(String(it.feat.s || '').split('|'));
              var best = 9;
              names.forEach(function (n) {
                var k = norm(n);
                if (!k) return;
                var s = k === q ? 0 : (k.indexOf(q) === 0 ? 1 : (k.indexOf(q) > 0 ? 2 : 9));
                if (s < best) best = s;
              });
              if (best < 9) scored.push([best, String(it.feat.n).length, it]);
            });
            scored.sort(function (a, b) { return a[0] - b[0] || a[1] - b[1]; });
            found = scored.slice(0, 8).map(function (s) { return s[2]; });
          }
          show();
        };
        input.onkeydown = function (e) {
          if (e.key === 'ArrowDown') { active = Math.min(found.length - 1, active + 1); show(); e.preventDefault(); }
          else if (e.key === 'ArrowUp') { active = Math.max(0, active - 1); show(); e.preventDefault(); }
          else if (e.key === 'Enter') { pick(active >= 0 ? active : 0); e.preventDefault(); }
          else if (e.key === 'Escape') { found = []; show(); }
        };
        input.onblur = function () { setTimeout(function () { found = []; show(); }, 150); };
        div.appendChild(input);
        div.appendChild(list);
        stop(div);
        return div;
      }
    });

