// Labels: prefectures always, counties when zoomed in, zones, and parks, platforms and catalogue
// zones when zoomed in (or few shown); overlapping labels are dropped greedily by rank (LABEL_RANK)
// on their screen boxes, so the more important one stays.
// (part of the page function: the files in maps/js/page are joined in name order; this header is not.)
    function labelWanted(it, z, fewPoints) {
      if (!it.label || !it.layer || !it.entry.on || !it.visible || it.hidden) return false;
      var sp = it.spec;
      if (sp.id === 'prefectures' || sp.type === 'zone') return true;
      if (sp.id === 'counties') return z >= 9;
      if (sp.type === 'points') return z >= 9 || (fewPoints && z >= 7);
      return false;
    }
    function syncLabels() {
      var z = map.getZoom(), view = map.getBounds().pad(0.05);
      var points = items.filter(function (it) { return it.spec.type === 'points' && it.visible && it.entry.on && !it.hidden; });
      var few = filtering() && points.length <= 60;
      var want = items.filter(function (it) {
        return labelWanted(it, z, few) && view.contains(it.label.getLatLng());
      }).sort(byRank);
      items.forEach(function (it) { it.wantLabel = false; });
      want.forEach(function (it) { it.wantLabel = true; });
      items.forEach(function (it) {
        if (!it.label) return;
        var on = it.wantLabel;
        if (!on && map.hasLayer(it.label)) map.removeLayer(it.label);
        if (on && !map.hasLayer(it.label)) it.label.addTo(map);
      });
      // greedy collision on screen boxes: a point's label goes right of it, else left, else is dropped
      want.forEach(function (it) { if (it.spec.type === 'points') side(it, 'right'); });
      var boxes = want.map(function (it) {
        var e = it.label.getElement();
        if (!e) return null;
        e.style.visibility = '';
        return e;
      }).map(function (e) { return e ? boxOf(e) : null; });
      var taken = [];
      function free(b) {
        return !taken.some(function (t) { return b[0] < t[2] && b[2] > t[0] && b[1] < t[3] && b[3] > t[1]; });
      }
      want.forEach(function (it, i) {
        var b = boxes[i];
        if (!b) return;
        var ok = free(b);
        if (!ok && it.spec.type === 'points') {
          side(it, 'left');
          b = boxOf(it.label.getElement());
          ok = free(b);
          if (!ok) side(it, 'right');
        }
        it.label.getElement().style.visibility = ok ? '' : 'hidden';
        it.labelShown = ok;
        if (ok) taken.push(b);
      });
      items.forEach(function (it) { if (it.label && !it.wantLabel) it.labelShown = false; });
    }
    function boxOf(e) {
      var r = e.getBoundingClientRect();
      return [r.left - 2, r.top - 1, r.right + 2, r.bottom + 1];
    }
    function side(it, dir) {
      if (it.label.options.direction === dir) return;
      it.label.options.direction = dir;
      it.label.options.offset = L.point(dir === 'left' ? -7 : 7, 0);
      if (it.label._map) it.label.update();
    }
