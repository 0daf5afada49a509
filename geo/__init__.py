"""Geography: place names in, geometry out, in stated coordinate systems.

Bundled Hunan boundaries (province, 14 prefectures, 122 counties) in EPSG:4326, Hunan's towns
(乡镇街道) as points, an offline gazetteer that geocodes names to geometry, and WGS84 / CGCS2000 / GCJ-02 / BD-09 transforms.

Submodules and names load on first use (PEP 562), so ``hunan_map.geo.errors`` costs no geopandas.
"""

from __future__ import annotations

import importlib

_WHERE = {
    "boundaries": "", "checks": "", "crs": "", "gazetteer": "", "errors": "", "towns": "",
    "counties": "boundaries", "prefectures": "boundaries", "province": "boundaries",
    "AmbiguousPlaceError": "errors", "CoordinateError": "errors", "HunanMapError": "errors",
    "UnknownPlaceError": "errors",
    "Gazetteer": "gazetteer", "GeocodeResult": "gazetteer", "geocode": "gazetteer",
}

__all__ = [
    "boundaries", "checks", "crs", "gazetteer", "towns",
    "counties", "prefectures", "province",
    "Gazetteer", "GeocodeResult", "geocode",
    "AmbiguousPlaceError", "CoordinateError", "HunanMapError", "UnknownPlaceError",
]


def __getattr__(name: str):
    if name not in _WHERE:
        raise AttributeError(f"module 'hunan_map.geo' has no attribute {name!r}")
    module = _WHERE[name]
    if not module:
        return importlib.import_module(f"hunan_map.geo.{name}")
    value = getattr(importlib.import_module(f"hunan_map.geo.{module}"), name)
    globals()[name] = value
    return value
