"""Shared boundary arcs for maps: the bundled TopoJSON in, one embedded topology out.

Prefectures, counties, zones and city-based clusters are all unions of counties. Instead of
writing their coordinates again for every layer, the page embeds the county topology once and
builds each polygon in the browser with ``topojson.merge`` (topojson-client, the library folium's
own ``TopoJson`` layer loads). A feature that carries ``a`` (a list of adcodes of counties or
prefectures) and no geometry is resolved this way in ``maps/js/page/*.js``; other features
keep their geometry.
"""

from __future__ import annotations

import json
from functools import lru_cache
from typing import Callable

import numpy as np

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
