// Light offline basemap: rivers and lakes (data.base.water, GSHHG) and seats of government
// (data.base.seats, dots without names: the prefectures are named by their own layer) in a pane
// under the tile pane, so they show wherever tiles are off (--tiles none), missing or unreachable, and the tiles hide them where they load. Nothing here takes
// clicks; names reach the page through textContent only.
// (part of the page function: the files in maps/js/page are joined in name order; this header is not.)
    // ---------------------------------------------------------------- basemap under the tiles
    var basemapCounts = {rivers: 0, lakes: 0, seats: 0, labels: 0};
    (function () {
      var base = data.base;
      if (!base) return;
      map.createPane('hm-base').style.zIndex = 150;  // the tile pane is 200
      map.getPane('hm-base').style.pointerEvents = 'none';
      var group = L.layerGroup();
      var WIDTH = {1: 2.4, 2: 1.7, 3: 1};
      function unpack(flat) {  // [lat0, lon0, dlat, dlon, ...] in steps of base.step degrees
        var out = [], lat = 0, lon = 0;
        for (var i = 0; i + 1 < flat.length; i += 2) {
          lat += flat[i]; lon += flat[i + 1];
          out.push([lat * base.step, lon * base.step]);
        }
        return out;
      }
      function label(at, text, cls) {
        var span = el('span', null, text);
        L.marker(at, {pane: 'hm-base', interactive: false, keyboard: false,
                      icon: L.divIcon({className: 'hm-base-label ' + cls, html: span, iconSize: null})}).addTo(group);
        basemapCounts.labels += 1;
      }
      base.water.forEach(function (w) {
        var opts = {pane: 'hm-base', interactive: false, color: '#7aa7d6', opacity: 1, weight: WIDTH[w[1]] || 1};
        if (w[0] === 'lake') {
          opts.weight = 0.8; opts.fillColor = '#c3daf0'; opts.fillOpacity = 1;
          L.polygon(w[3].map(function (rings) { return rings.map(unpack); }), opts).addTo(group);
          basemapCounts.lakes += 1;
        } else {
          L.polyline(w[3].map(unpack), opts).addTo(group);
          basemapCounts.rivers += 1;
        }
        if (w[4] && w[2]) label(w[4], w[2], 'hm-base-water');
      });
      base.seats.forEach(function (s) {
        var pref = s[2] === 'prefecture';
        L.circleMarker([s[0], s[1]], {pane: 'hm-base', interactive: false, radius: pref ? 3.5 : 2,
                                      color: '#666', weight: 1, fillColor: pref ? '#666' : '#fff', fillOpacity: 1}).addTo(group);
        basemapCounts.seats += 1;
      });
      group.addTo(map);
      // river and lake names from zoom 7 on (at province scale on a phone they would crowd the parks)
      function names() { map.getPane('hm-base').classList.toggle('hm-base-far', map.getZoom() < 7); }
      map.on('zoomend', names);
      names();
      window.hunanMapBasemap = basemapCounts;  // for tests and scripts
    })();
