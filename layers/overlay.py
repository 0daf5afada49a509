"""Users' own data in (CSV, GeoJSON, GeoPackage, Shapefile in WGS84/CGCS2000/GCJ-02/BD-09), a
WGS84 GeoDataFrame joined to counties, layout zones and the nearest park out, plus every row that
could not be used (with its line number, field, reason and fix). Nothing is dropped silently.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from hunan_map.geo.checks import HUNAN_BBOX, check_lonlat
from hunan_map.geo.crs import DISTANCE, WGS84, canonical_crs, to_wgs84
from hunan_map.geo.errors import HunanMapError
from hunan_map.layers import settings

LON_NAMES = ("lon", "lng", "long", "longitude", "x", "经度")
LAT_NAMES = ("lat", "latitude", "y", "纬度")
WKT_NAMES = ("wkt", "geometry", "geom", "the_geom")
REJECT_COLUMNS = ["line", "field", "reason", "fix"]


class OverlayError(HunanMapError):
    """An overlay file that cannot be read at all (missing, wrong format, no coordinates)."""


@dataclass
class Overlay:
    """A user's data ready to draw: usable features and the rows that were rejected."""

    data: gpd.GeoDataFrame
    rejects: pd.DataFrame
    path: str

    @property
    def n_rejected(self) -> int:
        return len(self.rejects)


def _find(columns: list[str], names: tuple[str, ...], given: str | None, what: str, path: str) -> str | None:
    if given:
        if given not in columns:
            raise OverlayError(f"{path}: no column {given!r} for {what}; columns are {', '.join(columns)}")
        return given
    lower = {c.strip().lower(): c for c in columns}
    for name in names:
        if name in lower:
            return lower[name]
    return None


def _read_csv(path: Path, lon: str | None, lat: str | None) -> tuple[gpd.GeoDataFrame, pd.DataFrame]:
    try:
        df = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig")
    except UnicodeDecodeError:
        df = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="gb18030")
    except (pd.errors.ParserError, pd.errors.EmptyDataError) as exc:
        raise OverlayError(f"{path}: not a readable CSV ({str(exc).splitlines()[0]}); "
                           "save it as UTF-8 CSV with a header row") from exc
    cols = list(df.columns)
    lines = pd.Series(np.arange(2, len(df) + 2), index=df.index)
    xcol = _find(cols, LON_NAMES, lon, "longitude", str(path))
    ycol = _find(cols, LAT_NAMES, lat, "latitude", str(path))
    wcol = _find(cols, WKT_NAMES, None, "WKT", str(path))
    if xcol and ycol:
        ok, problems = check_lonlat(df[xcol], df[ycol], rows=lines, lon_field=xcol, lat_field=ycol)
        x = pd.to_numeric(df[xcol], errors="coerce")
        y = pd.to_numeric(df[ycol], errors="coerce")
        geoms = gpd.points_from_xy(x.where(ok, np.nan).fillna(0), y.where(ok, np.nan).fillna(0))
        rejects = pd.DataFrame([(p.row, p.field, p.reason, p.fix) for p in problems], columns=REJECT_COLUMNS)
        attrs = df.drop(columns=[xcol, ycol])
        gdf = gpd.GeoDataFrame(attrs, geometry=geoms, crs=WGS84).assign(line=lines)
        return gdf[ok], rejects
    if wcol:
        geoms, rejected = [], []
        for i, text in zip(lines, df[wcol]):
            try:
                g = shapely.from_wkt(text) if text.strip() else None
            except shapely.errors.GEOSException:
                g = None
            if g is None or g.is_empty:
                rejected.append((int(i), wcol, f"{text[:40]!r} is not a WKT geometry", "write e.g. POINT (112.98 28.2)"))
            geoms.append(g)
        gdf = gpd.GeoDataFrame(df.drop(columns=[wcol]), geometry=geoms, crs=WGS84).assign(line=lines)
        return gdf[gdf.geometry.notna()], pd.DataFrame(rejected, columns=REJECT_COLUMNS)
    raise OverlayError(
        f"{path}: found no coordinate columns (looked for {', '.join(LON_NAMES)} / {', '.join(LAT_NAMES)} "
        f"or a WKT column); columns are {', '.join(cols) or 'none'}. Name them with --lon and --lat"
    )


def _read_vector(path: Path) -> tuple[gpd.GeoDataFrame, pd.DataFrame]:
    import pyogrio

    try:
        gdf = pyogrio.read_dataframe(path)
    except Exception as exc:  # GDAL raises its own error types for every format problem
        raise OverlayError(f"{path}: cannot read it as a GIS file ({exc}); use CSV, GeoJSON, "
                           "GeoPackage or Shapefile") from exc
    gdf = gdf.assign(line=np.arange(1, len(gdf) + 1))
    bad = gdf.geometry.isna() | gdf.geometry.is_empty
    rejects = pd.DataFrame([(int(n), "geometry", "empty geometry", "give the feature a geometry or remove it")
                            for n in gdf.loc[bad, "line"]], columns=REJECT_COLUMNS)
    return gdf[~bad], rejects


def read_overlay(path: str | Path, *, crs: str = "wgs84", lon: str | None = None,
                 lat: str | None = None) -> Overlay:
    """Read a user's file into WGS84, rejecting rows that cannot be used.

    Parameters
    ----------
    path
        CSV (lon/lat columns found by name, or a WKT column), GeoJSON, GeoPackage or Shapefile.
    crs
        What the coordinates really are: wgs84, cgcs2000, gcj02, bd09 or an EPSG code. For GIS
        files with their own CRS, that CRS is used unless ``crs`` names GCJ-02 or BD-09.
    lon, lat
        CSV column names when they are not found automatically.

    Returns
    -------
    Overlay
        ``data`` in EPSG:4326 with a ``line`` column (CSV line or feature number) and
        ``rejects`` with line, field, reason and fix.

    Raises
    ------
    OverlayError
        When the file is missing or cannot be read at all.
    """
    p = Path(path)
    if not p.is_file():
        raise OverlayError(f"overlay file {str(p)!r} does not exist; check the path")
    kind = canonical_crs(crs)
    if p.suffix.lower() in (".csv", ".txt", ".tsv"):
        gdf, rejects = _read_csv(p, lon, lat)
        source = kind
    else:
        gdf, rejects = _read_vector(p)
        source = kind if (kind in ("gcj02", "bd09") or gdf.crs is None) else gdf.crs
    gdf = to_wgs84(gdf, source=source)
    x0, y0, x1, y1 = HUNAN_BBOX
    inside = gdf.geometry.intersects(shapely.box(x0, y0, x1, y1))
    extra = pd.DataFrame([(int(n), "geometry", "outside Hunan", "check the coordinates and --overlay-crs")
                          for n in gdf.loc[~inside, "line"]], columns=REJECT_COLUMNS)
    rejects = pd.concat([rejects, extra], ignore_index=True).sort_values("line").reset_index(drop=True)
    return Overlay(gdf[inside].reset_index(drop=True), rejects, str(p))


COUNTY_COLUMNS = ("county", "区县", "县区", "county_adcode", "adcode")


def crs_warning(data: gpd.GeoDataFrame, counties: gpd.GeoDataFrame, *, declared: str = "wgs84") -> str | None:
    """When the user's data name each point's county, check that the declared CRS places the
    points in those counties better than the GCJ-02 reading does (a common mix-up); a warning
    text or None."""
    from hunan_map.geo.checks import crs_shift_suspected
    from hunan_map.geo.gazetteer import default_gazetteer

    if canonical_crs(declared) != WGS84 or not len(data):
        return None
    column = next((c for c in data.columns if str(c).strip().lower() in COUNTY_COLUMNS), None)
    if column is None or not (data.geometry.geom_type == "Point").all():
        return None
    gaz = default_gazetteer()

    def code(value) -> str:
        try:
            hit = gaz.geocode(str(value))
        except HunanMapError:
            return ""
        return hit.id if hit.kind == "county" else ""

    expected = data[column].map(code)
    known = expected != ""
    if known.sum() < 5:
        return None
    return crs_shift_suspected(data[known], expected[known], counties)


def join_overlay(gdf: gpd.GeoDataFrame, *, counties: gpd.GeoDataFrame, zones: gpd.GeoDataFrame,
                 parks: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """Add ``county``, ``county_adcode``, ``prefecture_adcode``, ``zones`` (``layout:zone``) and the
    nearest park within ``settings.near_park_km`` (``near_park``, ``near_park_km``) to each feature."""
    out = gdf.copy()
    pts = gpd.GeoDataFrame(geometry=out.geometry.representative_point(), crs=WGS84)
    cj = gpd.sjoin(pts, counties[["adcode", "name", "parent_adcode", "geometry"]], how="left", predicate="within")
    cj = cj[~cj.index.duplicated()]
    out["county"] = cj["name"].fillna("").values
    out["county_adcode"] = cj["adcode"].fillna("").values
    out["prefecture_adcode"] = cj["parent_adcode"].fillna("").values
    zj = gpd.sjoin(pts, zones[["layout", "name", "geometry"]], how="inner", predicate="within")
    labels = (zj["layout"] + ":" + zj["name"]).groupby(level=0).agg(list)
    out["zones"] = [labels.get(i, []) for i in out.index]
    if len(parks) and len(out):
        near = gpd.sjoin_nearest(pts.to_crs(DISTANCE), parks[["name", "geometry"]].to_crs(DISTANCE), how="left",
                                 max_distance=settings.near_park_km * 1000, distance_col="dist")
        near = near[~near.index.duplicated()]
        out["near_park"] = near["name"].fillna("").values
        out["near_park_km"] = (near["dist"] / 1000).round(2).values
    return out
