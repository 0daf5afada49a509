"""Layers in, GIS files out: GeoJSON (RFC 7946), GeoPackage, Shapefile, KML, GeoParquet, CSV.

Files are written through a temporary folder next to the target, verified (GeoJSON and KML
parse, GeoPackage and Shapefile layers hold every feature) and renamed into place (see
:mod:`hunan_map.layers.io._atomic`): a crash, a signal or a full disk never leaves a half-written
file, and an existing target is only replaced with ``overwrite=True``. List-valued properties
are JSON arrays in GeoJSON and ``;``-joined text everywhere else; dates and times are ISO 8601
text in every format.
"""

from __future__ import annotations

import datetime as _dt
import json
import warnings
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from hunan_map.geo.crs import WGS84, canonical_crs, from_wgs84
from hunan_map.geo.errors import HunanMapError
from hunan_map.layers import settings
from hunan_map.layers.io._cells import spreadsheet_safe
from hunan_map.layers.io._atomic import (AtomicTarget, atomic_path, check_target, parts_of, verify_file,
                                      write_bytes_atomic, write_text_atomic)
from hunan_map.layers.errors import DiskFullError, OutputExistsError, WriteError

#: Format name -> file suffixes that select it.
FORMATS = {
    "geojson": (".geojson", ".json"),
    "gpkg": (".gpkg",),
    "shp": (".shp",),
    "kml": (".kml",),
    "parquet": (".parquet", ".geoparquet"),
    "csv": (".csv",),
}
#: Shapefile field names are at most 10 characters; longer names are cut by this mapping.
SHAPEFILE_FIELDS = {
    "full_name": "full_name", "prefecture_adcode": "pref_code", "county_adcode": "cnty_code",
    "county_en": "county_en", "industries": "industries", "industries_en": "indust_en",
    "industry_ids": "indust_ids", "layout_industries": "lay_indust", "precision": "precision",
    "layouts": "layouts", "clusters": "clusters", "external": "external", "member_type": "mem_type",
    "member_ids": "member_ids", "member_roles": "mem_roles", "n_members": "n_members",
    "industry_en": "indust_en1", "layout_en": "layout_en", "layout_id": "layout_id",
    "schematic": "schematic", "route_ids": "route_ids", "width_km": "width_km",
    "parent_adcode": "parent_cod", "short_name": "short_name", "label_lon": "label_lon",
    "label_lat": "label_lat", "n_parks": "n_parks", "n_clusters": "n_clusters",
    "park_industries": "park_inds", "cluster_industries": "clus_inds", "city_en": "city_en",
    "near_park_km": "near_pk_km", "hm_county_adcode": "hm_cnty_cd", "hm_prefecture_adcode": "hm_pref_cd",
    "hm_near_park": "hm_nr_park", "hm_near_park_km": "hm_nr_km",
}


#: The old name of :class:`~hunan_map.layers.io._atomic.AtomicTarget` (``_Target(path, overwrite)``,
#: ``.tmp``, ``.commit()``, ``.abort()``), kept for callers that manage errors themselves.
_Target = AtomicTarget

__all__ = ["FORMATS", "SHAPEFILE_FIELDS", "AtomicTarget", "DiskFullError", "OutputExistsError", "WriteError",
           "atomic_path", "check_target", "detect_format", "flatten_lists", "geojson_text", "parts_of",
           "plain_values", "prepare", "write_bytes_atomic", "write_layers", "write_text_atomic"]


def detect_format(path: str | Path, fmt: str | None = None) -> str:
    """The export format from ``fmt`` or the output suffix.

    Raises
    ------
    HunanMapError
        When neither names a known format.
    """
    if fmt:
        fmt = fmt.lower().lstrip(".")
        fmt = {"json": "geojson", "shapefile": "shp", "geoparquet": "parquet", "gpkg": "gpkg"}.get(fmt, fmt)
        if fmt not in FORMATS:
            raise HunanMapError(f"unknown format {fmt!r}; use one of {', '.join(FORMATS)}")
        return fmt
    suffix = Path(path).suffix.lower()
    for name, suffixes in FORMATS.items():
        if suffix in suffixes:
            return name
    raise HunanMapError(
        f"cannot tell the format of {str(path)!r} from its suffix; use --format "
        f"({', '.join(FORMATS)}) or a suffix such as .geojson, .gpkg, .shp, .kml, .parquet, .csv"
    )


def _round_coords(geoms: np.ndarray, digits: int) -> np.ndarray:
    return shapely.transform(geoms, lambda c: np.round(c, digits))


def prepare(gdf: gpd.GeoDataFrame, *, crs: str | None = None, digits: int | None = None) -> gpd.GeoDataFrame:
    """Reproject (EPSG code, CGCS2000, GCJ-02 or BD-09), orient rings and round coordinates
    (to ``settings.export_precision`` decimals unless ``digits`` is given)."""
    digits = settings.export_precision if digits is None else digits
    out = gdf.copy()
    if crs is not None:
        out = from_wgs84(out, target=crs)
    geoms = np.asarray(out.geometry.values)
    present = ~shapely.is_missing(geoms)
    fixed = geoms.copy()
    fixed[present] = shapely.orient_polygons(_round_coords(geoms[present], digits), exterior_cw=False)
    out[out.geometry.name] = gpd.GeoSeries(fixed, index=out.index, crs=out.crs)
    return out


def _plain(value, *, lists: bool, sep: str):
    """One property value as JSON-ready Python: ISO text for dates, lists for arrays."""
    if value is None:
        return None
    if isinstance(value, np.ndarray):
        value = value.tolist()
    if isinstance(value, (list, tuple)):
        items = [_plain(v, lists=True, sep=sep) for v in value]
        if lists:
            return items
        return sep.join("" if v is None else (json.dumps(v, ensure_ascii=False) if isinstance(v, (list, dict))
                                               else str(v)) for v in items)
    if isinstance(value, dict):
        plain = {str(k): _plain(v, lists=True, sep=sep) for k, v in value.items()}
        return plain if lists else json.dumps(plain, ensure_ascii=False)
    if isinstance(value, float) and value != value:
        return None
    if value is pd.NaT:
        return None
    if isinstance(value, pd.Timestamp):
        return value.isoformat()
    if isinstance(value, (_dt.datetime, _dt.date, _dt.time)):
        return value.isoformat()
    if isinstance(value, (pd.Timedelta, _dt.timedelta, np.timedelta64)):
        return str(value)
    if isinstance(value, np.generic):
        return value.item()
    if isinstance(value, (bytes, bytearray)):
        return value.hex()
    if value is pd.NA:
        return None
    return value


def _iso_column(series: pd.Series) -> pd.Series:
    """Datetimes as ISO 8601 text; a column of midnights is written as dates only."""
    values = series.dt.tz_convert(None) if getattr(series.dt, "tz", None) is not None else series
    present = series.notna()
    dates_only = bool(present.any()) and bool((values[present] == values[present].dt.normalize()).all()) \
        and getattr(series.dt, "tz", None) is None
    text = series.map(lambda v: None if pd.isna(v) else (v.date().isoformat() if dates_only else v.isoformat()))
    return text.astype(object)


def plain_values(df: pd.DataFrame, *, lists: bool = True, sep: str = ";") -> pd.DataFrame:
    """Make every property writable in every format.

    Dates, times and timestamps become ISO 8601 text; NumPy arrays (as GDAL reads list-valued
    GeoJSON properties) become lists; with ``lists=False`` lists are joined with ``sep`` and
    objects written as JSON text, booleans become 0/1 and columns mixing numbers and text become
    text (GeoPackage, Shapefile, KML, GeoParquet and CSV have no list type).
    """
    out = df.copy()
    geometry = getattr(out, "_geometry_column_name", None)
    for col in out.columns:
        if col == geometry:
            continue
        s = out[col]
        if isinstance(s, pd.DataFrame):  # duplicated column names: leave them to the writer's error
            continue
        if pd.api.types.is_datetime64_any_dtype(s.dtype):
            out[col] = _iso_column(s)
        elif pd.api.types.is_timedelta64_dtype(s.dtype):
            out[col] = s.map(lambda v: None if pd.isna(v) else str(v)).astype(object)
        elif s.dtype == bool and not lists:
            out[col] = s.astype(int)
        elif s.dtype == object or isinstance(s.dtype, pd.CategoricalDtype):
            values = [_plain(v, lists=lists, sep=sep) for v in s]
            if not lists:
                kinds = {type(v) for v in values if v is not None}
                if len(kinds) > 1 or (kinds and not kinds <= {str, int, float, bool}):
                    values = [None if v is None else str(v) for v in values]
                elif kinds == {bool}:
                    values = [None if v is None else int(v) for v in values]
            out[col] = pd.Series(values, index=s.index, dtype=object)
    if any(not isinstance(c, str) for c in out.columns):
        out.columns = [c if c == geometry else str(c) for c in out.columns]
    return out


def flatten_lists(df: pd.DataFrame, sep: str = ";") -> pd.DataFrame:
    """Join list-valued columns with ``sep``, dates as ISO text, booleans as ints (for non-JSON formats)."""
    return plain_values(df, lists=False, sep=sep)


def _feature_collection(prepared: gpd.GeoDataFrame) -> str:
    data = json.loads(plain_values(prepared).to_json(drop_id=True, na="null"))
    data.pop("crs", None)
    return json.dumps(data, ensure_ascii=False, separators=(",", ":"))


def geojson_text(gdf: gpd.GeoDataFrame, *, digits: int | None = None) -> str:
    """An RFC 7946 FeatureCollection (no ``crs`` member, CCW exterior rings, rounded)."""
    return _feature_collection(prepare(gdf, digits=digits))


def _csv_frame(gdf: gpd.GeoDataFrame) -> pd.DataFrame:
    flat = flatten_lists(gdf)
    geom = gdf.geometry
    out = pd.DataFrame(flat.drop(columns=gdf.geometry.name))
    missing = geom.isna() | geom.is_empty
    if len(gdf) and (missing | (geom.geom_type == "Point")).all() and not missing.all():
        out["lon"] = geom.x.round(settings.export_precision)
        out["lat"] = geom.y.round(settings.export_precision)
    else:
        out["wkt"] = shapely.to_wkt(np.asarray(geom.values), rounding_precision=settings.export_precision)
    return out


def write_layers(layers: dict[str, gpd.GeoDataFrame], path: str | Path, *, fmt: str | None = None,
                 crs: str | None = None, overwrite: bool = False, csv_raw: bool = False) -> Path:
    """Write one or more layers to a file.

    Parameters
    ----------
    layers
        Layer name -> GeoDataFrame in EPSG:4326. Several layers need GeoPackage (or KML,
        which writes one folder per layer).
    path
        Output file.
    fmt
        Format name (see :data:`FORMATS`); taken from the suffix when omitted.
    crs
        Output coordinate system: ``EPSG:4490``/``cgcs2000``, ``gcj02``, ``bd09`` or any EPSG
        code; WGS84 by default.
    overwrite
        Replace an existing file.
    csv_raw
        CSV only: write text cells as they are, without the apostrophe that keeps a cell starting
        with ``=``, ``+``, ``-`` or ``@`` from running as a spreadsheet formula.

    Returns
    -------
    pathlib.Path

    Raises
    ------
    OutputExistsError
        The file (or, for a Shapefile, any of its parts) exists and ``overwrite`` is false,
        also when another process created it while this one was writing.
    DiskFullError
        The disk or the file-size limit filled up; the old file (or nothing) is left.
    WriteError, HunanMapError
        The file could not be written or did not read back; nothing was moved into place.
    """
    path = Path(path)
    fmt = detect_format(path, fmt)
    check_target(path, overwrite=overwrite, fmt=fmt)
    if len(layers) > 1 and fmt not in ("gpkg", "kml"):
        raise HunanMapError(f"{len(layers)} layers need a GeoPackage (.gpkg) or KML file, not {fmt}; "
                            "export one layer at a time for other formats")
    kind = canonical_crs(crs) if crs else WGS84
    if fmt in ("geojson", "kml") and kind != WGS84:
        warnings.warn(f"{fmt} is WGS84 by definition; coordinates are written in {crs} but the file "
                      "cannot say so, and other software will read them as WGS84", stacklevel=2)
    label = kind if kind.startswith("EPSG") else WGS84
    prepared = {name: prepare(gdf, crs=crs) for name, gdf in layers.items()}
    counts = {name: len(gdf) for name, gdf in prepared.items()}
    if fmt == "parquet":
        try:
            import pyarrow  # noqa: F401
        except ImportError as exc:
            raise HunanMapError("GeoParquet needs pyarrow; install it with pip install 'hunan-map[parquet]'") from exc

    def check(tmp: Path) -> None:
        verify_file(tmp, fmt, layers=None if fmt == "csv" else counts)

    with AtomicTarget(path, overwrite, fmt=fmt, verify=check) as target:
        _write(prepared, target.tmp, fmt, label, csv_raw=csv_raw)
    return path


def _shapefile_names(columns: list[str]) -> dict[str, str]:
    """Field names of at most 10 characters (:data:`SHAPEFILE_FIELDS`, else cut), made unique."""
    out: dict[str, str] = {}
    used: set[str] = set()
    for col in columns:
        base = name = SHAPEFILE_FIELDS.get(col, col[:10])
        n = 1
        while name.lower() in used:
            n += 1
            name = f"{base[:10 - len(str(n)) - 1]}_{n}"
        used.add(name.lower())
        out[col] = name
    return out


def _write(prepared: dict[str, gpd.GeoDataFrame], tmp: Path, fmt: str, label: str, *, csv_raw: bool = False) -> None:
    with warnings.catch_warnings():
        # field names are cut by _shapefile_names already; GDAL's note on it is noise
        warnings.filterwarnings("ignore", message=".*Normalized/laundered.*")
        if fmt == "geojson":
            (gdf,) = prepared.values()
            with open(tmp, "w", encoding="utf-8") as fh:
                fh.write(_feature_collection(gdf))
        elif fmt == "csv":
            (gdf,) = prepared.values()
            spreadsheet_safe(_csv_frame(gdf), raw=csv_raw).to_csv(tmp, index=False, encoding="utf-8")
        elif fmt == "parquet":
            (gdf,) = prepared.values()
            flatten_lists(gdf).set_crs(label, allow_override=True).to_parquet(tmp)
        else:
            import pyogrio

            driver = {"gpkg": "GPKG", "shp": "ESRI Shapefile", "kml": "LIBKML"}[fmt]
            for i, (name, gdf) in enumerate(prepared.items()):
                flat = flatten_lists(gdf).set_crs(label, allow_override=True)
                options = {}
                if fmt == "shp":
                    flat = flat.rename(columns=_shapefile_names([c for c in flat.columns if c != flat.geometry.name]))
                    options["ENCODING"] = "UTF-8"
                pyogrio.write_dataframe(flat, tmp, layer=name, driver=driver,
                                        append=i > 0, **({"layer_options": options} if options else {}))
