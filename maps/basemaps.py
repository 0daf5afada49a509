"""Basemaps: a name in, tile URL, attribution and the coordinate system the tiles use out."""

from __future__ import annotations

import os
from dataclasses import dataclass

from hunan_map.geo.errors import HunanMapError


@dataclass(frozen=True)
class Basemap:
    """A tile source; ``crs`` is ``"wgs84"`` or ``"gcj02"`` (overlays are shifted to match)."""

    name: str
    url: str | None
    attribution: str
    crs: str = "wgs84"
    subdomains: str = "abc"
    max_zoom: int = 18


BASEMAPS = ("osm", "cartodb", "amap", "tianditu", "none")


def basemap(name: str, *, tianditu_key: str | None = None) -> Basemap:
    """The basemap called ``name`` (one of :data:`BASEMAPS`).

    Tianditu needs a user key: ``tianditu_key`` or the ``TIANDITU_KEY`` environment variable.
    Amap tiles are in GCJ-02 and xyzservices lists them over http.
    """
    import xyzservices.providers as xyz

    if name == "osm":
        p = xyz.OpenStreetMap.Mapnik
        return Basemap("osm", p.build_url(), p.html_attribution, max_zoom=19)
    if name == "cartodb":
        p = xyz.CartoDB.Positron
        return Basemap("cartodb", p.build_url(), p.html_attribution, subdomains="abcd", max_zoom=20)
    if name == "amap":
        p = xyz.Gaode.Normal
        url = p.build_url().replace("webrd01", "webrd0{s}")
        return Basemap("amap", url, "&copy; 高德地图 AutoNavi", crs="gcj02", subdomains="1234")
    if name == "tianditu":
        key = tianditu_key or os.environ.get("TIANDITU_KEY")
        if not key:
            raise HunanMapError("Tianditu tiles need a key; pass --tianditu-key KEY or set TIANDITU_KEY "
                                "(get one free at the Tianditu developer site)")
        url = ("https://t{s}.tianditu.gov.cn/vec_w/wmts?SERVICE=WMTS&REQUEST=GetTile&VERSION=1.0.0"
               "&LAYER=vec&STYLE=default&TILEMATRIXSET=w&FORMAT=tiles&TILEMATRIX={z}&TILEROW={y}"
               f"&TILECOL={{x}}&tk={key}")
        return Basemap("tianditu", url, "&copy; 天地图 Tianditu (CGCS2000)", subdomains="01234567")
    if name == "none":
        return Basemap("none", None, "")
    raise HunanMapError(f"unknown basemap {name!r}; use one of {', '.join(BASEMAPS)}")
