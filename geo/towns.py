"""Hunan's township-level units (NBS 2016 codes, centre points converted to WGS84) in, a GeoDataFrame out.

The points come from the public repository Vonng/adcode (CC BY 4.0; data from 国家统计局,
民政部 and 高德地图, map-provider derived, published in GCJ-02) and were converted with
:func:`hunan_map.geo.crs.gcj02_to_wgs84` by ``scripts/build_towns.py``; each lies inside its
county. They are centre-like points of the unit, which can sit a few km from the town's seat.
"""

from __future__ import annotations

from functools import lru_cache
from importlib import resources

import geopandas as gpd

from hunan_map.geo.crs import WGS84

#: Attribution to show wherever the town points are used.
ATTRIBUTION = "towns: Vonng/adcode (CC BY 4.0), data from NBS/民政部/高德; points map-provider derived"


@lru_cache(maxsize=1)
def _frame():
    import pandas as pd

    path = resources.files("hunan_map.geo") / "data" / "towns.csv"
    with path.open(encoding="utf-8") as fh:
        return pd.read_csv(fh, dtype=str, keep_default_na=False)


def towns() -> gpd.GeoDataFrame:
    """The 1,712 township units with a point (EPSG:4326).

    Columns: ``code`` (12-digit NBS code), ``name``, ``kind`` (town 镇, township 乡, subdistrict
    街道, other: farms and parks), ``county_adcode`` (current code), ``county``,
    ``prefecture_adcode``, ``lon``, ``lat``.
    """
    frame = _frame().copy()
    frame["lon"] = frame["lon"].astype(float)
    frame["lat"] = frame["lat"].astype(float)
    return gpd.GeoDataFrame(frame, geometry=gpd.points_from_xy(frame["lon"], frame["lat"]), crs=WGS84)


def short_name(name: str) -> str:
    """The name without its 镇/乡/街道 suffix (易俗河镇 -> 易俗河), or "" when too short to be a name."""
    for suffix in ("街道办事处", "街道", "镇", "乡"):
        if name.endswith(suffix):
            short = name[: -len(suffix)]
            return short if len(short) >= 2 else ""
    return ""
