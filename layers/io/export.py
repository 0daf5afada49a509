"""Layers in, GIS files out: GeoJSON (RFC 7946), GeoPackage, Shapefile, KML, GeoParquet, CSV.

Files are written through a temporary folder next to the target, verified (GeoJSON and KML
parse, GeoPackage and Shapefile layers hold every feature) and renamed into place (see
:mod:`hunan_map.layers.io._atomic`): a crash, a signal or a full disk never leaves a half-written
file, and an existing target is only replaced with ``overwrite=True``. List-valued properties
are JSON arrays in GeoJSON and ``;``-joined text everywhere else; dates and times are ISO 8601
text in every format. Coordinates are WGS84 unless a file can say otherwise (:func:`crs_refusal`);
GeoPackages (version 1.2) get QGIS default styles, Shapefiles a ``.qml`` and a ``.fields.csv``
(:mod:`~hunan_map.layers.io.styles`, :mod:`~hunan_map.layers.io._shapefile`), KML one style per
layer and unique ids (:mod:`~hunan_map.layers.io._kml`).
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

from hunan_map.geo.crs import SHIFTED_NAMES, WGS84, canonical_crs, file_crs, from_wgs84
from hunan_map.geo.errors import HunanMapError
from hunan_map.layers import settings
from hunan_map.layers.io._cells import spreadsheet_safe
from hunan_map.layers.io._atomic import (AtomicTarget, atomic_path, check_target, parts_of, verify_file,
                                      write_bytes_atomic, write_text_atomic)
from hunan_map.layers.errors import DiskFullError, OutputExistsError, WriteError
from hunan_map.layers.io._shapefile import SHAPEFILE_FIELDS, field_names, fit_text, mapping_csv

#: Format name -> file suffixes that select it.
FORMATS = {
    "geojson": (".geojson", ".json"),
    "gpkg": (".gpkg",),
    "shp": (".shp",),
    "kml": (".kml",),
    "parquet": (".parquet", ".geoparquet"),
    "csv": (".csv",),
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


def _csv_frame(gdf: gpd.GeoDataFrame, kind: str = WGS84) -> pd.DataFrame:
    """Properties and the geometry: ``lon``/``lat`` in WGS84, ``lon_gcj02``/``lat_gcj02`` (``_bd09``) in
    GCJ-02 (BD-09), ``x``/``y`` in a projected CRS, else ``wkt``; any CRS but WGS84 adds a ``crs`` column."""
    flat = flatten_lists(gdf)
    geom = gdf.geometry
    out = pd.DataFrame(flat.drop(columns=gdf.geometry.name))
    missing = geom.isna() | geom.is_empty
    if len(gdf) and (missing | (geom.geom_type == "Point")).all() and not missing.all():
        xname, yname = _xy_names(kind)
        out[xname] = geom.x.round(settings.export_precision)
        out[yname] = geom.y.round(settings.export_precision)
    else:
        out["wkt"] = shapely.to_wkt(np.asarray(geom.values), rounding_precision=settings.export_precision)
    if kind != WGS84:
        out["crs"] = SHIFTED_NAMES.get(kind, kind)
    return out


def _xy_names(kind: str) -> tuple[str, str]:
    if kind in SHIFTED_NAMES:
        return f"lon_{kind}", f"lat_{kind}"
    if kind == WGS84:
        return "lon", "lat"
    from pyproj import CRS

    return ("lon", "lat") if CRS.from_user_input(kind).is_geographic else ("x", "y")


def crs_refusal(fmt: str, crs: str | None) -> str | None:
    """Why ``fmt`` cannot hold coordinates in ``crs`` (one line naming the way out), or None.

    GeoJSON and KML are WGS84 by definition; a Shapefile's ``.prj`` cannot name GCJ-02 or BD-09
    so that GIS programs notice. GeoPackage, GeoParquet and CSV can say any of them.
    """
    if not crs:
        return None
    kind = canonical_crs(crs)
    if kind == WGS84:
        return None
    name = {"geojson": "GeoJSON (RFC 7946)", "kml": "KML"}.get(fmt)
    if name:
        return (f"{name} is WGS84 by definition and cannot hold {crs} coordinates; write a GeoPackage "
                f"(-o FILE.gpkg) for {crs}, or leave out --crs")
    if fmt == "shp" and kind in SHIFTED_NAMES:
        return (f"a Shapefile's .prj cannot say that coordinates are {SHIFTED_NAMES[kind].split(' (')[0]} (GIS "
                "programs would take them for WGS84); write a GeoPackage (.gpkg), GeoParquet or CSV for it")
    return None


def _wgs84_columns(gdf: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """hunan-map's lon/lat columns (WGS84) renamed ``lon_wgs84``/``lat_wgs84`` … when the geometry is not."""
    names = {c: f"{c}_wgs84" for c in ("lon", "lat", "label_lon", "label_lat") if c in gdf.columns}
    return gdf.rename(columns=names) if names else gdf


def write_layers(layers: dict[str, gpd.GeoDataFrame], path: str | Path, *, fmt: str | None = None,
                 crs: str | None = None, overwrite: bool = False, lang: str = "zh", styles: bool = True,
                 tables: dict[str, pd.DataFrame] | None = None, csv_raw: bool = False) -> Path:
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
        code; WGS84 by default. GeoJSON and KML take WGS84 only, Shapefiles no GCJ-02/BD-09
        (see :func:`crs_refusal`); GCJ-02/BD-09 files carry a CRS definition naming them (CSV:
        ``lon_gcj02``/``lat_gcj02`` and ``crs`` columns) and a warning says they are not WGS84.
    overwrite
        Replace an existing file.
    lang
        Language of the labels in the default styles and of KML placemark names: ``zh``
        (``name``) or ``en`` (``name_en``).
    styles
        Write default styles: a ``layer_styles`` table in a GeoPackage (QGIS reads it on open),
        a ``.qml`` beside a Shapefile (KML always gets one ``<Style>`` per layer).
    tables
        Table name -> DataFrame without geometry, written beside the layers (GeoPackage only; lists
        joined with ``;``), e.g. the ``facts`` and ``industries`` tables of ``export all``.
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
    refusal = crs_refusal(fmt, crs)
    if refusal:
        raise HunanMapError(refusal)
    kind = canonical_crs(crs) if crs else WGS84
    if kind in SHIFTED_NAMES:
        where = {"csv": f"columns lon_{kind}/lat_{kind} and crs"}.get(fmt, f"the CRS {SHIFTED_NAMES[kind]!r}")
        warnings.warn(f"{path.name} holds {SHIFTED_NAMES[kind].split(' (')[0]} coordinates, NOT WGS84: hundreds of "
                      f"metres off true positions in Hunan; the file says so ({where}); use it only with "
                      f"{'Amap/Gaode or Tencent' if kind == 'gcj02' else 'Baidu'} basemaps", stacklevel=2)
    prepared = {name: prepare(gdf if name.startswith("overlay") or kind == WGS84 else _wgs84_columns(gdf), crs=crs)
                for name, gdf in layers.items()}
    if tables and fmt != "gpkg":
        raise HunanMapError(f"tables without geometry ({', '.join(tables)}) need a GeoPackage (.gpkg), not {fmt}")
    counts = {name: len(gdf) for name, gdf in prepared.items()}
    counts.update({name: len(t) for name, t in (tables or {}).items()})
    if fmt == "parquet":
        try:
            import pyarrow  # noqa: F401
        except ImportError as exc:
            raise HunanMapError("GeoParquet needs pyarrow; install it with pip install 'hunan-map[parquet]'") from exc

    def check(tmp: Path) -> None:
        verify_file(tmp, fmt, layers=None if fmt == "csv" else counts)

    with AtomicTarget(path, overwrite, fmt=fmt, verify=check) as target:
        _write(prepared, target.tmp, fmt, kind, lang=lang, styles=styles, csv_raw=csv_raw)
        if tables:
            import pyogrio

            for name, table in tables.items():
                pyogrio.write_dataframe(pd.DataFrame(flatten_lists(table)), target.tmp, layer=name, driver="GPKG",
                                        append=True)
    return path


def _write(prepared: dict[str, gpd.GeoDataFrame], tmp: Path, fmt: str, kind: str, *, lang: str = "zh",
           styles: bool = True, csv_raw: bool = False) -> None:
    from hunan_map.layers.io import styles as st

    label = file_crs(kind)
    with warnings.catch_warnings():
        # field names are cut by _shapefile.field_names already; GDAL's note on it is noise
        warnings.filterwarnings("ignore", message=".*Normalized/laundered.*")
        if fmt == "geojson":
            (gdf,) = prepared.values()
            with open(tmp, "w", encoding="utf-8") as fh:
                fh.write(_feature_collection(gdf))
        elif fmt == "csv":
            (gdf,) = prepared.values()
            spreadsheet_safe(_csv_frame(gdf, kind), raw=csv_raw).to_csv(tmp, index=False, encoding="utf-8")
        elif fmt == "parquet":
            (gdf,) = prepared.values()
            flatten_lists(gdf).set_crs(label, allow_override=True).to_parquet(tmp)
        elif fmt == "shp":
            import pyogrio

            ((name, gdf),) = prepared.items()
            flat = flatten_lists(fit_text(plain_values(gdf), name)).set_crs(label, allow_override=True)
            names = field_names([c for c in flat.columns if c != flat.geometry.name])
            pyogrio.write_dataframe(flat.rename(columns=names), tmp, layer=name, driver="ESRI Shapefile",
                                    layer_options={"ENCODING": "UTF-8"})
            tmp.with_name(tmp.stem + ".fields.csv").write_text(mapping_csv(names), encoding="utf-8")
            if styles:
                tmp.with_name(tmp.stem + ".qml").write_text(st.qml(name, gdf, lang=lang, fields=names),
                                                            encoding="utf-8")
        else:
            import pyogrio

            from hunan_map.layers.io._kml import kml_ready, style_kml

            driver = {"gpkg": "GPKG", "kml": "LIBKML"}[fmt]
            for i, (name, gdf) in enumerate(prepared.items()):
                flat = flatten_lists(gdf).set_crs(label, allow_override=True)
                if fmt == "kml":
                    flat = kml_ready(flat, name, lang)
                extra = {"dataset_options": {"VERSION": "1.2"}} if fmt == "gpkg" and i == 0 else {}
                pyogrio.write_dataframe(flat, tmp, layer=name, driver=driver, append=i > 0, **extra)
            if styles and fmt == "gpkg":
                st.write_layer_styles(tmp, {name: st.qml(name, gdf, lang=lang) for name, gdf in prepared.items()})
            elif fmt == "kml":
                style_kml(tmp, {name: st.style_spec(name, gdf) for name, gdf in prepared.items()})
