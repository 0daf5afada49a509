"""Maps: layers in, self-contained Folium HTML (and static PNG) out.

>>> from hunan_map import maps
>>> maps.save("hunan.html")                                  # the default map
>>> maps.save("ai.html", options=maps.MapOptions(lang="en"))  # English interface

Names load on first use (PEP 562): ``hunan_map.maps.basemaps`` costs no folium or geopandas.
"""

from __future__ import annotations

import importlib

_WHERE = {"BASEMAPS": "basemaps", "basemap": "basemaps", "LANGS": "render", "MapOptions": "render",
          "build_map": "render", "render_html": "render", "save": "render"}

__all__ = ["BASEMAPS", "LANGS", "MapOptions", "basemap", "build_map", "render_html", "save"]


def __getattr__(name: str):
    if name not in _WHERE:
        raise AttributeError(f"module 'hunan_map.maps' has no attribute {name!r}")
    value = getattr(importlib.import_module(f"hunan_map.maps.{_WHERE[name]}"), name)
    globals()[name] = value
    return value
