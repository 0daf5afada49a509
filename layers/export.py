"""Layers in, GIS files out: GeoJSON (RFC 7946), GeoPackage, Shapefile, KML, GeoParquet, CSV.

Files are written to a temporary name next to the target and renamed into place, so a crash
never leaves a half-written file; an existing target is only replaced with ``overwrite=True``.
List-valued properties are JSON arrays in GeoJSON and ``;``-joined text everywhere else.
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
import warnings
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from hunan_map.geo.crs import WGS84, canonical_crs, from_wgs84
from hunan_map.geo.errors import HunanMapError
from hunan_map.layers import settings

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
}


class OutputExistsError(HunanMapError, FileExistsError):
    """The output file exists and ``overwrite`` was not given."""


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


def flatten_lists(df: pd.DataFrame, sep: str = ";") -> pd.DataFrame:
    """Join list-valued columns with ``sep`` and turn booleans into ints (for non-JSON formats)."""
    out = df.copy()
    for col in out.columns:
        if col == getattr(out, "_geometry_column_name", None):
            continue
        if out[col].map(lambda v: isinstance(v, (list, tuple))).any():
            out[col] = out[col].map(lambda v: sep.join(map(str, v)) if isinstance(v, (list, tuple)) else v)
        elif out[col].dtype == bool:
            out[col] = out[col].astype(int)
    return out


def _feature_collection(prepared: gpd.GeoDataFrame) -> str:
    data = json.loads(prepared.to_json(drop_id=True, na="null"))
    data.pop("crs", None)
    return json.dumps(data, ensure_ascii=False, separators=(",", ":"))


def geojson_text(gdf: gpd.GeoDataFrame, *, digits: int | None = None) -> str:
    """An RFC 7946 FeatureCollection (no ``crs`` member, CCW exterior rings, rounded)."""
    return _feature_collection(prepare(gdf, digits=digits))


class _Target:
    """Write to a temporary sibling and rename into place (with its sidecar files)."""

    def __init__(self, path: Path, overwrite: bool, sidecars: tuple[str, ...] = ()):
        self.path = path
        self.sidecars = sidecars
        if path.exists() and not overwrite:
            raise OutputExistsError(f"{str(path)!r} exists; pass --overwrite to replace it or choose another name")
        if not path.parent.exists():
            raise HunanMapError(f"folder {str(path.parent)!r} does not exist; create it first")
        self.tmpdir = Path(tempfile.mkdtemp(prefix=".hunan-map-", dir=path.parent))
        self.tmp = self.tmpdir / path.name

    def commit(self) -> None:
        for suffix in ("", *self.sidecars):
            src = self.tmp.with_suffix(suffix) if suffix else self.tmp
            dst = self.path.with_suffix(suffix) if suffix else self.path
            if src.exists():
                os.replace(src, dst)
        shutil.rmtree(self.tmpdir, ignore_errors=True)

    def abort(self) -> None:
        shutil.rmtree(self.tmpdir, ignore_errors=True)


def write_text_atomic(path: str | Path, text: str, *, overwrite: bool = False) -> Path:
    """Write ``text`` (UTF-8) to ``path`` through a temporary file."""
    target = _Target(Path(path), overwrite)
    try:
        target.tmp.write_text(text, encoding="utf-8")
        target.commit()
    except BaseException:
        target.abort()
        raise
    return Path(path)


def _csv_frame(gdf: gpd.GeoDataFrame) -> pd.DataFrame:
    flat = flatten_lists(gdf)
    geom = gdf.geometry
    out = pd.DataFrame(flat.drop(columns=gdf.geometry.name))
    if len(gdf) and (geom.geom_type == "Point").all():
        out["lon"] = geom.x.round(settings.export_precision)
        out["lat"] = geom.y.round(settings.export_precision)
    else:
        out["wkt"] = shapely.to_wkt(np.asarray(geom.values), rounding_precision=settings.export_precision)
    return out


def write_layers(layers: dict[str, gpd.GeoDataFrame], path: str | Path, *, fmt: str | None = None,
                 crs: str | None = None, overwrite: bool = False) -> Path:
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

    Returns
    -------
    pathlib.Path

    Raises
    ------
    OutputExistsError, HunanMapError
    """
    path = Path(path)
    fmt = detect_format(path, fmt)
    if len(layers) > 1 and fmt not in ("gpkg", "kml"):
        raise HunanMapError(f"{len(layers)} layers need a GeoPackage (.gpkg) or KML file, not {fmt}; "
                            "export one layer at a time for other formats")
    kind = canonical_crs(crs) if crs else WGS84
    if fmt in ("geojson", "kml") and kind != WGS84:
        warnings.warn(f"{fmt} is WGS84 by definition; coordinates are written in {crs} but the file "
                      "cannot say so, and other software will read them as WGS84", stacklevel=2)
    label = kind if kind.startswith("EPSG") else WGS84
    prepared = {name: prepare(gdf, crs=crs) for name, gdf in layers.items()}
    sidecars = (".shx", ".dbf", ".prj", ".cpg") if fmt == "shp" else ()
    target = _Target(path, overwrite, sidecars)
    try:
        if fmt == "geojson":
            (name, gdf), = prepared.items()
            target.tmp.write_text(_feature_collection(gdf), encoding="utf-8")
        elif fmt == "csv":
            (name, gdf), = prepared.items()
            _csv_frame(gdf).to_csv(target.tmp, index=False, encoding="utf-8")
        elif fmt == "parquet":
            (name, gdf), = prepared.items()
            try:
                flatten_lists(gdf).set_crs(label, allow_override=True).to_parquet(target.tmp)
            except ImportError as exc:
                raise HunanMapError("GeoParquet needs pyarrow; install it with pip install 'hunan-map[parquet]'") from exc
        else:
            import pyogrio

            driver = {"gpkg": "GPKG", "shp": "ESRI Shapefile", "kml": "LIBKML"}[fmt]
            for i, (name, gdf) in enumerate(prepared.items()):
                flat = flatten_lists(gdf).set_crs(label, allow_override=True)
                options = {}
                if fmt == "shp":
                    flat = flat.rename(columns={c: SHAPEFILE_FIELDS.get(c, c[:10]) for c in flat.columns
                                                if c != flat.geometry.name})
                    options["ENCODING"] = "UTF-8"
                pyogrio.write_dataframe(flat, target.tmp, layer=name, driver=driver,
                                        append=i > 0, **({"layer_options": options} if options else {}))
        target.commit()
    except BaseException:
        target.abort()
        raise
    return path
