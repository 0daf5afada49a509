"""Shared boundary arcs for maps: the bundled TopoJSON in, one embedded topology out.

Prefectures, counties, zones and city-based clusters are all unions of counties. Instead of
writing their coordinates again for every layer, the page embeds the county topology once and
builds each polygon in the browser with ``topojson.merge`` (topojson-client, the library folium's
own ``TopoJson`` layer loads). A feature that carries ``properties.a`` (a list of adcodes of
counties or prefectures) and no geometry is resolved this way; other features keep their
geometry.
"""

from __future__ import annotations

import json
from functools import lru_cache
from typing import Callable

import folium
import numpy as np
from branca.element import MacroElement
from folium.elements import JSCSSMixin
from folium.template import Template

from hunan_map.geo import boundaries

TOPOJSON_JS = "https://cdnjs.cloudflare.com/ajax/libs/topojson/1.6.9/topojson.min.js"


@lru_cache(maxsize=2)
def _topology_text(detail: str) -> str:
    return boundaries.topojson_path(detail).read_text(encoding="utf-8")


def topology(detail: str = "fine", *, shift: Callable | None = None) -> dict:
    """The county topology (objects ``counties`` only), optionally with every vertex shifted.

    Parameters
    ----------
    detail
        Boundary detail level.
    shift
        Function ``(lon, lat) -> (lon, lat)`` on arrays (e.g. WGS84 -> GCJ-02); the result has
        absolute coordinates rounded to 5 decimals.

    Returns
    -------
    dict
        A TopoJSON Topology.
    """
    topo = json.loads(_topology_text(detail))
    topo["objects"] = {"counties": topo["objects"]["counties"]}
    for geom in topo["objects"]["counties"]["geometries"]:
        props = geom.get("properties", {})
        geom["properties"] = {"adcode": str(props["adcode"]), "parent": str(props["parent_adcode"])}
    if shift is None:
        return topo
    transform = topo.pop("transform", None)
    arcs = []
    for arc in topo["arcs"]:
        xy = np.asarray(arc, dtype=float)
        if transform:
            xy = np.cumsum(xy, axis=0) * transform["scale"] + transform["translate"]
        x, y = shift(xy[:, 0], xy[:, 1])
        arcs.append(np.round(np.column_stack([x, y]), 5).tolist())
    topo["arcs"] = arcs
    topo.pop("bbox", None)
    return topo


class TopologyScript(JSCSSMixin, MacroElement):
    """Puts the topology and the resolver ``HunanTopo.resolve`` into the page header, once."""

    _template = Template("""
{% macro header(this, kwargs) %}
<script>
var HunanTopo = (function () {
    var topo = {{ this.topology|tojson }};
    var geoms = topo.objects.counties.geometries;
    function resolve(fc) {
        fc.features.forEach(function (f) {
            var codes = f.properties && f.properties.a;
            if (!codes || f.geometry) { return; }
            var parts = geoms.filter(function (g) {
                return codes.indexOf(g.properties.adcode) >= 0 || codes.indexOf(g.properties.parent) >= 0;
            });
            f.geometry = topojson.merge(topo, parts);
        });
        return fc;
    }
    return {topology: topo, resolve: resolve};
})();
</script>
{% endmacro %}
""")

    default_js = [("topojson", TOPOJSON_JS)]

    def __init__(self, topo: dict):
        super().__init__()
        self._name = "HunanTopo"
        self.topology = topo


class ResolvedGeoJson(folium.GeoJson):
    """A GeoJson layer whose features may name counties/prefectures (``properties.a``) instead of
    carrying coordinates; :class:`TopologyScript` must be on the same map."""

    _template = Template("""
{% macro script(this, kwargs) %}
var {{ this.get_name() }} = L.geoJson(null, {
    onEachFeature: {{ this.on_each_feature }},
    ...{{ this.options|tojavascript }}
});
{{ this.get_name() }}.addData(HunanTopo.resolve({{ this.data|tojson }}));
{% endmacro %}
""")
