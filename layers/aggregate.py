"""Many points in, counts per county, per layout zone and per hexagon out (pandas or dask engine).

For overlays of millions of points the map draws these aggregates instead of the points. The
``dask`` engine runs the point-in-polygon joins and the counting on dask-geopandas, on a local
``dask.distributed`` cluster or on an existing one (``scheduler``); both engines give identical
counts (points exactly on a boundary count in neither polygon, in both engines).
"""

from __future__ import annotations

from dataclasses import dataclass

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from hunan_map.geo.crs import DISTANCE, WGS84
from hunan_map.geo.errors import HunanMapError
from hunan_map.layers import settings

ENGINES = ("pandas", "dask")


@dataclass
class Aggregates:
    """Counts of points: ``counties`` and ``zones`` (boundaries with a ``count`` column, zero rows
    dropped) and ``hexes`` (hexagons with ``hex_q``, ``hex_r``, ``count``), all EPSG:4326."""

    counties: gpd.GeoDataFrame
    zones: gpd.GeoDataFrame
    hexes: gpd.GeoDataFrame
    n_points: int
    engine: str


def _to_projected(lon: np.ndarray, lat: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    from pyproj import Transformer

    t = Transformer.from_crs(WGS84, DISTANCE, always_xy=True)
    return t.transform(lon, lat)


def hex_ids(lon: np.ndarray, lat: np.ndarray, *, hex_km: float) -> tuple[np.ndarray, np.ndarray]:
    """Axial (q, r) ids of pointy-top hexagons of width ``hex_km`` in geo.crs.DISTANCE for each point."""
    x, y = _to_projected(np.asarray(lon, dtype=float), np.asarray(lat, dtype=float))
    radius = hex_km * 1000.0 / np.sqrt(3.0)
    q = (np.sqrt(3.0) / 3.0 * x - y / 3.0) / radius
    r = (2.0 / 3.0 * y) / radius
    # cube rounding
    cx, cz = q, r
    cy = -cx - cz
    rx, ry, rz = np.round(cx), np.round(cy), np.round(cz)
    dx, dy, dz = np.abs(rx - cx), np.abs(ry - cy), np.abs(rz - cz)
    fix_x = (dx > dy) & (dx > dz)
    fix_y = ~fix_x & (dy > dz)
    rx = np.where(fix_x, -ry - rz, rx)
    rz = np.where(~fix_x & ~fix_y, -rx - ry, rz)
    return rx.astype(np.int64), rz.astype(np.int64)


def hex_polygons(q: np.ndarray, r: np.ndarray, *, hex_km: float) -> np.ndarray:
    """The hexagons with axial ids (q, r) as WGS84 polygons."""
    from pyproj import Transformer

    radius = hex_km * 1000.0 / np.sqrt(3.0)
    cx = radius * (np.sqrt(3.0) * q + np.sqrt(3.0) / 2.0 * r)
    cy = radius * 1.5 * r
    angles = np.deg2rad(np.arange(6) * 60.0 - 30.0)
    xs = cx[:, None] + radius * np.cos(angles)[None, :]
    ys = cy[:, None] + radius * np.sin(angles)[None, :]
    t = Transformer.from_crs(DISTANCE, WGS84, always_xy=True)
    lon, lat = t.transform(xs.ravel(), ys.ravel())
    coords = np.stack([np.round(lon, 5), np.round(lat, 5)], axis=-1).reshape(len(q), 6, 2)
    return shapely.polygons(np.concatenate([coords, coords[:, :1]], axis=1))


def _counts_pandas(points: gpd.GeoDataFrame, polygons: gpd.GeoDataFrame, key: str) -> pd.Series:
    joined = gpd.sjoin(points[["geometry"]], polygons[[key, "geometry"]], predicate="within", how="inner")
    return joined[key].value_counts()


def _hex_counts(frame: pd.DataFrame, hex_km: float) -> pd.DataFrame:
    q, r = hex_ids(frame.geometry.x.to_numpy(), frame.geometry.y.to_numpy(), hex_km=hex_km)
    return pd.DataFrame({"hex_q": q, "hex_r": r})


def _dask_counts(points: gpd.GeoDataFrame, counties: gpd.GeoDataFrame, zones: gpd.GeoDataFrame,
                 hex_km: float, scheduler: str | None, npartitions: int | None):
    try:
        import dask_geopandas
        from dask.distributed import Client, LocalCluster
    except ImportError as exc:
        raise HunanMapError("the dask engine needs dask-geopandas and distributed; "
                            "install them with pip install 'hunan-map[dask]'") from exc
    if scheduler:
        if scheduler.lower().startswith("tls://"):
            import dask.config

            if not dask.config.get("distributed.comm.tls.client.cert", None) and \
                    not dask.config.get("distributed.comm.tls.ca-file", None):
                raise HunanMapError(f"the dask scheduler {scheduler!r} uses TLS, and no TLS settings were found; "
                                    "set distributed.comm.tls (ca-file, client cert and key) in dask's "
                                    "configuration (~/.config/dask/*.yaml or DASK_DISTRIBUTED__COMM__TLS__...) "
                                    "or use a tcp:// address")
        try:
            client = Client(scheduler, timeout="10s")
        except (OSError, TypeError, ValueError) as exc:
            raise HunanMapError(f"cannot reach the dask scheduler at {scheduler!r}: {exc}; "
                                "check the address or leave --scheduler out for a local cluster") from exc
        cluster = None
    else:
        import logging

        cluster = LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None,
                               silence_logs=logging.ERROR)
        client = Client(cluster)
    import logging

    logging.getLogger("distributed").setLevel(logging.ERROR)
    try:
        parts = npartitions or max(2, len(points) // 250_000)
        dpts = dask_geopandas.from_geopandas(points[["geometry"]], npartitions=parts)
        dc = dask_geopandas.from_geopandas(counties[["adcode", "geometry"]], npartitions=1)
        dz = dask_geopandas.from_geopandas(zones[["id", "geometry"]], npartitions=1)
        c = dask_geopandas.sjoin(dpts, dc, predicate="within", how="inner")["adcode"].value_counts()
        z = dask_geopandas.sjoin(dpts, dz, predicate="within", how="inner")["id"].value_counts()
        meta = pd.DataFrame({"hex_q": pd.Series(dtype="int64"), "hex_r": pd.Series(dtype="int64")})
        h = dpts.map_partitions(_hex_counts, hex_km, meta=meta).groupby(["hex_q", "hex_r"]).size()
        import dask

        county_counts, zone_counts, hexes = dask.compute(c, z, h)
    finally:
        client.close()
        if cluster is not None:
            cluster.close()
    return county_counts, zone_counts, hexes


def aggregate(points: gpd.GeoDataFrame, *, counties: gpd.GeoDataFrame, zones: gpd.GeoDataFrame,
              hex_km: float | None = None, engine: str = "pandas", scheduler: str | None = None,
              npartitions: int | None = None) -> Aggregates:
    """Count points per county, per layout zone and per hexagon.

    Parameters
    ----------
    points
        Points in EPSG:4326.
    counties, zones
        Polygons with ``adcode`` (counties) and ``id`` (zones) columns.
    hex_km
        Hexagon width in km (computed in geo.crs.DISTANCE); ``settings.hex_km`` by default.
    engine
        ``"pandas"`` (in process) or ``"dask"`` (dask-geopandas on a dask.distributed cluster).
    scheduler
        Address of an existing dask scheduler (``tcp://host:8786``); a local cluster by default.
    npartitions
        Dask partitions (default: one per 250,000 points, at least two).

    Returns
    -------
    Aggregates
    """
    hex_km = settings.hex_km if hex_km is None else hex_km
    if not (isinstance(hex_km, (int, float)) and settings.MIN_HEX_KM <= hex_km <= settings.MAX_HEX_KM):
        raise HunanMapError(f"hexagon width {hex_km!r} km is out of range; give {settings.MIN_HEX_KM:g} to "
                            f"{settings.MAX_HEX_KM:g} km (--hex-km)")
    if engine not in ENGINES:
        raise HunanMapError(f"unknown engine {engine!r}; use pandas or dask")
    from hunan_map.geo.checks import check_km

    hex_km = check_km(hex_km, name="hexagon width (hex_km)", maximum=200)
    if engine == "dask":
        county_counts, zone_counts, hexes = _dask_counts(points, counties, zones, hex_km, scheduler, npartitions)
    else:
        county_counts = _counts_pandas(points, counties, "adcode")
        zone_counts = _counts_pandas(points, zones, "id")
        hexes = _hex_counts(points, hex_km).groupby(["hex_q", "hex_r"]).size()
    c = counties.assign(count=counties["adcode"].map(county_counts).fillna(0).astype(int))
    z = zones.assign(count=zones["id"].map(zone_counts).fillna(0).astype(int))
    hx = hexes.rename("count").reset_index().sort_values(["hex_q", "hex_r"]).reset_index(drop=True)
    hx["count"] = hx["count"].astype(int)
    geoms = hex_polygons(hx["hex_q"].to_numpy(), hx["hex_r"].to_numpy(), hex_km=hex_km)
    hgdf = gpd.GeoDataFrame(hx, geometry=geoms, crs=WGS84)
    return Aggregates(c[c["count"] > 0].reset_index(drop=True), z[z["count"] > 0].reset_index(drop=True),
                      hgdf, int(len(points)), engine)
