"""Coordinate systems: WGS84 / CGCS2000 / projected CRS constants and GCJ-02, BD-09 transforms.

Everything pyproj knows (EPSG:4326, EPSG:4490, equal-area and Gauss-Krüger/UTM projections)
goes through pyproj. GCJ-02 ("Mars coordinates", used by Amap/Gaode and Tencent) and BD-09
(Baidu) are deliberate obfuscations that no EPSG code describes, so they are implemented here,
vectorised with NumPy so that whole GeoDataFrames convert in one pass:

* forward WGS84 -> GCJ-02 is the published algorithm (Krasovsky 1940 ellipsoid offsets);
* the inverse GCJ-02 -> WGS84 is a fixed-point iteration on the forward transform, run until
  every point moves less than 1e-9 degrees (about 0.1 mm), so the round trip error is far
  below the 0.5 m the project requires;
* outside mainland China (a coarse bounding box, as in the published algorithm) the transform
  is the identity, because no shift is applied there.

No maintained package does this vectorised on Python 3.10+: ``prcoords-typed`` needs Python
3.14 and ``prcoords``/``eviltransform`` are scalar and unmaintained; the tests check this module
against ``prcoords`` point by point.
"""

from __future__ import annotations

from typing import Callable

import numpy as np

WGS84 = "EPSG:4326"
CGCS2000 = "EPSG:4490"
#: Equal-area CRS for areas: Albers conic on CGCS2000 with standard parallels fitted to Hunan.
EQUAL_AREA = (
    "+proj=aea +lat_0=0 +lon_0=111.5 +lat_1=25 +lat_2=30 +x_0=0 +y_0=0 "
    "+ellps=GRS80 +units=m +no_defs"
)
#: Projected CRS for distances, buffers and hexagons: azimuthal equidistant on GRS80 (CGCS2000's
#: ellipsoid) centred on Hunan (111.7E 27.5N, the point nearest to all of its border). Inside Hunan
#: every scale factor is within 0.041 % of 1, so distances agree with geodesics (pyproj.Geod) to
#: better than 0.05 %. A 3-degree Gauss-Kruger zone cannot do that: Hunan spans 108.8-114.3E, and
#: even the zone through its middle (EPSG:4546, CM 111E) is 0.13 % long at the eastern border.
DISTANCE = "+proj=aeqd +lat_0=27.5 +lon_0=111.7 +x_0=0 +y_0=0 +ellps=GRS80 +units=m +no_defs +type=crs"
#: The CGCS2000 3-degree Gauss-Kruger zones over Hunan (false easting 500 km, no zone prefix):
#: EPSG:4545 has CM 108E (western Hunan), EPSG:4546 CM 111E (most of Hunan), EPSG:4547 CM 114E
#: (the eastern border). EPSG:4546 is the one to give for Hunan-wide data in metres.
GAUSS_KRUGER = {"EPSG:4545": "CM 108E", "EPSG:4546": "CM 111E", "EPSG:4547": "CM 114E"}

#: Names accepted for the non-EPSG systems (case-insensitive).
GCJ02_NAMES = frozenset({"gcj02", "gcj-02", "gcj", "mars", "amap", "gaode"})
BD09_NAMES = frozenset({"bd09", "bd-09", "baidu"})

_A = 6378245.0  # Krasovsky 1940 semi-major axis used by GCJ-02
_EE = 0.00669342162296594323  # its first eccentricity squared
_X_PI = np.pi * 3000.0 / 180.0


def in_china(lon: np.ndarray, lat: np.ndarray) -> np.ndarray:
    """Whether points fall in the box where GCJ-02 applies a shift.

    Parameters
    ----------
    lon, lat
        Longitudes and latitudes in degrees.

    Returns
    -------
    numpy.ndarray
        Boolean mask, True where the obfuscation is applied.
    """
    lon = np.asarray(lon, dtype=float)
    lat = np.asarray(lat, dtype=float)
    return (lon >= 72.004) & (lon <= 137.8347) & (lat >= 0.8293) & (lat <= 55.8271)


def _delta(lon: np.ndarray, lat: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    x = lon - 105.0
    y = lat - 35.0
    sqrt_abs_x = np.sqrt(np.abs(x))
    dlat = (
        -100.0 + 2.0 * x + 3.0 * y + 0.2 * y * y + 0.1 * x * y + 0.2 * sqrt_abs_x
        + (20.0 * np.sin(6.0 * x * np.pi) + 20.0 * np.sin(2.0 * x * np.pi)) * 2.0 / 3.0
        + (20.0 * np.sin(y * np.pi) + 40.0 * np.sin(y / 3.0 * np.pi)) * 2.0 / 3.0
        + (160.0 * np.sin(y / 12.0 * np.pi) + 320.0 * np.sin(y * np.pi / 30.0)) * 2.0 / 3.0
    )
    dlon = (
        300.0 + x + 2.0 * y + 0.1 * x * x + 0.1 * x * y + 0.1 * sqrt_abs_x
        + (20.0 * np.sin(6.0 * x * np.pi) + 20.0 * np.sin(2.0 * x * np.pi)) * 2.0 / 3.0
        + (20.0 * np.sin(x * np.pi) + 40.0 * np.sin(x / 3.0 * np.pi)) * 2.0 / 3.0
        + (150.0 * np.sin(x / 12.0 * np.pi) + 300.0 * np.sin(x / 30.0 * np.pi)) * 2.0 / 3.0
    )
    radlat = lat / 180.0 * np.pi
    magic = 1.0 - _EE * np.sin(radlat) ** 2
    sqrtmagic = np.sqrt(magic)
    dlat = (dlat * 180.0) / ((_A * (1.0 - _EE)) / (magic * sqrtmagic) * np.pi)
    dlon = (dlon * 180.0) / (_A / sqrtmagic * np.cos(radlat) * np.pi)
    return dlon, dlat


def wgs84_to_gcj02(lon, lat) -> tuple[np.ndarray, np.ndarray]:
    """Convert WGS84 longitudes/latitudes to GCJ-02 (identity outside China).

    Parameters
    ----------
    lon, lat
        Scalars or arrays of degrees.

    Returns
    -------
    tuple of numpy.ndarray
        GCJ-02 longitudes and latitudes.
    """
    lon = np.asarray(lon, dtype=float)
    lat = np.asarray(lat, dtype=float)
    dlon, dlat = _delta(lon, lat)
    mask = in_china(lon, lat)
    return np.where(mask, lon + dlon, lon), np.where(mask, lat + dlat, lat)


def gcj02_to_wgs84(lon, lat, *, tol: float = 1e-9, max_iter: int = 30) -> tuple[np.ndarray, np.ndarray]:
    """Convert GCJ-02 longitudes/latitudes to WGS84 by iterating the forward transform.

    Parameters
    ----------
    lon, lat
        Scalars or arrays of GCJ-02 degrees.
    tol
        Stop when every point moved less than this many degrees.
    max_iter
        Upper bound on iterations (convergence takes 3-5 in practice).

    Returns
    -------
    tuple of numpy.ndarray
        WGS84 longitudes and latitudes.
    """
    glon = np.asarray(lon, dtype=float)
    glat = np.asarray(lat, dtype=float)
    wlon, wlat = glon.copy(), glat.copy()
    for _ in range(max_iter):
        flon, flat = wgs84_to_gcj02(wlon, wlat)
        elon, elat = flon - glon, flat - glat
        wlon = wlon - elon
        wlat = wlat - elat
        if np.all(np.abs(elon) < tol) and np.all(np.abs(elat) < tol):
            break
    return wlon, wlat


def gcj02_to_bd09(lon, lat) -> tuple[np.ndarray, np.ndarray]:
    """Convert GCJ-02 to BD-09 (Baidu) with the published formula."""
    x = np.asarray(lon, dtype=float)
    y = np.asarray(lat, dtype=float)
    z = np.sqrt(x * x + y * y) + 0.00002 * np.sin(y * _X_PI)
    theta = np.arctan2(y, x) + 0.000003 * np.cos(x * _X_PI)
    return z * np.cos(theta) + 0.0065, z * np.sin(theta) + 0.006


def bd09_to_gcj02(lon, lat) -> tuple[np.ndarray, np.ndarray]:
    """Convert BD-09 to GCJ-02 with the published inverse formula."""
    x = np.asarray(lon, dtype=float) - 0.0065
    y = np.asarray(lat, dtype=float) - 0.006
    z = np.sqrt(x * x + y * y) - 0.00002 * np.sin(y * _X_PI)
    theta = np.arctan2(y, x) - 0.000003 * np.cos(x * _X_PI)
    return z * np.cos(theta), z * np.sin(theta)


def wgs84_to_bd09(lon, lat) -> tuple[np.ndarray, np.ndarray]:
    """Convert WGS84 to BD-09 (via GCJ-02)."""
    return gcj02_to_bd09(*wgs84_to_gcj02(lon, lat))


def bd09_to_wgs84(lon, lat) -> tuple[np.ndarray, np.ndarray]:
    """Convert BD-09 to WGS84 (via GCJ-02, iterative inverse)."""
    return gcj02_to_wgs84(*bd09_to_gcj02(lon, lat))


_TO_WGS84: dict[str, Callable] = {"gcj02": gcj02_to_wgs84, "bd09": bd09_to_wgs84}
_FROM_WGS84: dict[str, Callable] = {"gcj02": wgs84_to_gcj02, "bd09": wgs84_to_bd09}


def canonical_crs(crs: object) -> str:
    """Normalise a CRS given by a user to ``"gcj02"``, ``"bd09"`` or a pyproj-parsable string.

    Parameters
    ----------
    crs
        ``"gcj02"``/``"GCJ-02"``/``"amap"``, ``"bd09"``/``"baidu"``, ``"wgs84"``,
        ``"cgcs2000"``, an EPSG code (``4490``, ``"EPSG:4490"``) or anything pyproj accepts.

    Returns
    -------
    str
        ``"gcj02"``, ``"bd09"`` or an ``"EPSG:xxxx"``/proj string.

    Raises
    ------
    ValueError
        If pyproj cannot parse the CRS either.
    """
    text = str(crs).strip()
    low = text.lower()
    if low in GCJ02_NAMES:
        return "gcj02"
    if low in BD09_NAMES:
        return "bd09"
    if low in {"wgs84", "wgs-84", "4326"}:
        return WGS84
    if low in {"cgcs2000", "4490"}:
        return CGCS2000
    from pyproj import CRS
    from pyproj.exceptions import CRSError

    try:
        parsed = CRS.from_user_input(text)
    except CRSError as exc:
        raise ValueError(
            f"unknown coordinate system {text!r}; use WGS84, CGCS2000, GCJ02, BD09 "
            "or an EPSG code such as EPSG:4490"
        ) from exc
    ellipsoid = parsed.ellipsoid
    if ellipsoid is not None and not 6_300_000 <= ellipsoid.semi_major_metre <= 6_400_000:
        raise ValueError(
            f"{text!r} is not a coordinate system of the Earth (its ellipsoid's semi-major axis is "
            f"{ellipsoid.semi_major_metre:g} m); use WGS84, CGCS2000, GCJ02, BD09 or an EPSG code such as EPSG:4490"
        )
    epsg = parsed.to_epsg()
    return f"EPSG:{epsg}" if epsg else parsed.to_string()


_SHIFTED_WKT = """GEOGCRS["{name}",
    DATUM["{datum}",
        ELLIPSOID["WGS 84",6378137,298.257223563,LENGTHUNIT["metre",1]]],
    PRIMEM["Greenwich",0,ANGLEUNIT["degree",0.0174532925199433]],
    CS[ellipsoidal,2],
        AXIS["geodetic latitude (Lat)",north,ORDER[1],ANGLEUNIT["degree",0.0174532925199433]],
        AXIS["geodetic longitude (Lon)",east,ORDER[2],ANGLEUNIT["degree",0.0174532925199433]],
    USAGE[SCOPE["{scope}"],AREA["China"],BBOX[0.83,72.0,55.83,137.84]],
    REMARK["Not an EPSG system and not WGS 84: {remark}"]]"""
#: Names of the non-EPSG systems as written into files that can carry a CRS definition.
SHIFTED_NAMES = {"gcj02": "GCJ-02 (Mars coordinates; not EPSG:4326)", "bd09": "BD-09 (Baidu coordinates; not EPSG:4326)"}


def file_crs(kind: str):
    """The CRS to label a file with: a custom definition naming GCJ-02 or BD-09 (no EPSG code,
    so no program takes it for WGS84), else ``kind`` itself (an ``EPSG:xxxx`` or PROJ string)."""
    if kind not in SHIFTED_NAMES:
        return kind
    from pyproj import CRS

    gcj = kind == "gcj02"
    return CRS.from_wkt(_SHIFTED_WKT.format(
        name=SHIFTED_NAMES[kind],
        datum=("GCJ-02: WGS 84 shifted by the Chinese obfuscation" if gcj
               else "BD-09: GCJ-02 shifted again by Baidu"),
        scope=("Amap/Gaode and Tencent maps; 100-700 m off WGS 84 in China" if gcj
               else "Baidu maps; about 1 km off WGS 84 in China"),
        remark=("WGS 84 shifted by the published GCJ-02 algorithm; hunan_map.geo.crs.gcj02_to_wgs84 undoes it"
                if gcj else "GCJ-02 shifted by Baidu; hunan_map.geo.crs.bd09_to_wgs84 undoes it")))


def _transform_geoms(gdf, func: Callable, crs: object):
    import geopandas
    import shapely

    def apply(coords: np.ndarray) -> np.ndarray:
        x, y = func(coords[:, 0], coords[:, 1])
        return np.column_stack([x, y])

    geoms = shapely.transform(np.asarray(gdf.geometry.values), apply)
    out = gdf.copy()
    out[gdf.geometry.name] = geopandas.GeoSeries(geoms, index=gdf.index, crs=crs)
    return out


def to_wgs84(gdf, *, source: object):
    """Return a copy of a GeoDataFrame converted to WGS84 from ``source``.

    Parameters
    ----------
    gdf : geopandas.GeoDataFrame
        Frame whose coordinates are in ``source`` (its own ``crs`` is ignored for GCJ-02/BD-09).
    source
        The coordinate system the numbers are really in (see :func:`canonical_crs`).

    Returns
    -------
    geopandas.GeoDataFrame
        New frame in EPSG:4326.
    """
    kind = canonical_crs(source)
    if kind in _TO_WGS84:
        return _transform_geoms(gdf, _TO_WGS84[kind], WGS84)
    if gdf.crs is None:
        gdf = gdf.set_crs(kind)
    return gdf.to_crs(WGS84) if kind != WGS84 else gdf.copy()


def from_wgs84(gdf, *, target: object):
    """Return a copy of a WGS84 GeoDataFrame converted to ``target``.

    For GCJ-02 and BD-09 the frame keeps the label EPSG:4326 (there is no EPSG code for them)
    but its numbers are shifted; keep track of that yourself.

    Parameters
    ----------
    gdf : geopandas.GeoDataFrame
        Frame in EPSG:4326.
    target
        Any system accepted by :func:`canonical_crs`.

    Returns
    -------
    geopandas.GeoDataFrame
    """
    kind = canonical_crs(target)
    if kind in _FROM_WGS84:
        base = gdf.to_crs(WGS84) if gdf.crs is not None else gdf
        return _transform_geoms(base, _FROM_WGS84[kind], WGS84)
    return gdf.to_crs(kind)
