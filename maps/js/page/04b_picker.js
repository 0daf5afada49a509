// A searchable list in front of a long <select> (the industries; any list of more than ten): type
// Chinese, pinyin, initials or English; matches are shown under their branches of the tree
// (data.industries: id, name, depth, search keys) and picking one sets the select.
// (part of the page function: the files in maps/js/page are joined in name order; this header is not.)
    function picker(sel, tree) {
      var wrap = el('div', 'hm-pick');
      var input = el('input');
      input.type = 'search';
      input.id = sel.id + '-find';
      input.autocomplete = 'off';
      input.placeholder = tree ? lab.pick_industry : lab.pick_list;
      input.setAttribute('aria-label', input.placeholder);
      var list = el('ul', 'hm-pick-list');
      list.id = sel.id + '-list';
      list.setAttribute('role', 'listbox');
      wrap.appendChild(input);
      wrap.appendChild(list);
      // each option: its keys and (for the tree) the names of the branches above it
      var rows = [], path = [];
      Array.prototype.forEach.call(sel.options, function (o, i) {
        if (!o.value) return;
        var t = tree ? tree[i - 1] : null;
        var depth = t ? t[2] : 0;
        path = path.slice(0, depth);
        rows.push({value: o.value, option: o, depth: depth, up: path.slice(),
                   keys: String(t ? t[3] : o.hmLabel).split('|').map(norm).filter(Boolean)});
        path.push(o.hmLabel.replace(/^\u00a0+/, ''));
      });
      var found = [], active = 0;
      function score(r, q) {
        var best = 9;
        r.keys.forEach(function (k) {
          var s = k === q ? 0 : (k.indexOf(q) === 0 ? 1 : (k.indexOf(q) > 0 ? 2 : 9));
          if (s < best) best = s;
        });
        return best;
      }
      function show() {
        while (list.firstChild) list.removeChild(list.firstChild);
        var q = norm(input.value);
        if (!q) return;
        if (!found.length) { list.appendChild(el('li', 'hm-pick-none', lab.no_match)); return; }
        var lastUp = null;
        found.forEach(function (r, i) {
          var up = r.up.join(' › ');
          if (up && up !== lastUp) list.appendChild(el('li', 'hm-pick-group', up));
          lastUp = up;
          var li = el('li', 'hm-pick-item' + (i === active ? ' hm-active' : '') + (r.option.disabled ? ' hm-zero' : ''),
                      r.option.textContent.replace(/^\u00a0+/, ''));
          li.setAttribute('role', 'option');
          li.setAttribute('data-value', r.value);
          if (up) li.style.paddingLeft = '14px';
          li.onmousedown = function (e) { e.preventDefault(); choose(r); };
          list.appendChild(li);
        });
      }
      function choose(r) {
        sel.value = r.value;
        input.value = '';
        found = [];
        show();
        sel.onchange();
      }
      input.oninput = function () {
        var q = norm(input.value);
        active = 0;
        var scored = [];
        if (q) {
          rows.forEach(function (r, i) {
            var s = score(r, q);
            if (s < 9) scored.push([r.up.length ? 1 : 0, i, r, s]);
          });
          // the best matches first, kept in tree order within their quality
          var best = Math.min.apply(null, scored.map(function (x) { return x[3]; }).concat([9]));
          scored = scored.filter(function (x) { return x[3] <= Math.max(best, 1); }).concat(
            scored.filter(function (x) { return x[3] > Math.max(best, 1); }));
        }
        found = scored.slice(0, 30).map(function (x) { return x[2]; });
        show();
      };
      input.onkeydown = function (e) {
        if (e.key === 'ArrowDown') { active = Math.min(found.length - 1, active + 1); show(); e.preventDefault(); }
        else if (e.key === 'ArrowUp') { active = Math.max(0, active - 1); show(); e.preventDefault(); }
        else if (e.key === 'Enter') { if (found[active]) choose(found[active]); e.preventDefault(); }
        else if (e.key === 'Escape') { input.value = ''; found = []; show(); }
      };
      input.onblur = function () { setTimeout(function () { found = []; show(); }, 150); };
      return wrap;
    }
