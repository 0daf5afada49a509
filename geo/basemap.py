"""The bundled light basemap (Hunan's main rivers and lakes, from GSHHG) in, a GeoDataFrame in EPSG:4326 out."""

from __future__ import annotations

from functools import lru_cache
from importlib import resources

import geopandas as gpd

from hunan_map.geo.crs import WGS84

#: Credit line for maps that draw :func:`water`.
ATTRIBUTION = "rivers, lakes: GSHHG (LGPL)"


@lru_cache(maxsize=1)
def _water() -> gpd.GeoDataFrame:
    import json

    from shapely.geometry import shape

    path = resources.files("hunan_map.geo") / "data" / "basemap.geojson"
    collection = json.loads(path.read_text(encoding="utf-8"))
    rows = [f["properties"] for f in collection["features"]]
    geoms = [shape(f["geometry"]) for f in collection["features"]]
    return gpd.GeoDataFrame(rows, geometry=geoms, crs=WGS84)


def water() -> gpd.GeoDataFrame:
    """Main rivers and larger lakes in and around Hunan (EPSG:4326).

    Built by ``scripts/build_basemap.py`` from GSHHG (WDBII rivers of levels 1-3 and level-2
    lake shorelines), clipped to the province and its surroundings, simplified to about 400 m
    (rivers) and 200 m (lakes). Columns: ``kind`` (river or lake), ``level`` (the source's level:
    1 Yangtze, 2 major rivers, 3 other rivers), ``name``, ``name_en`` (湘江, 资水, 沅江, 澧水,
    长江; 东洞庭湖, 西洞庭湖、南洞庭湖, 大通湖, 洪湖; empty for the others), ``source``. For context on maps only,
    not for analysis.
    """
    return _water().copy()
