"""A GIS file, a GeoParquet file or a ZIP member in, a GeoDataFrame (or the member's checked bytes)
out; every failure is one :class:`OverlayError` line naming the file and the fix."""

from __future__ import annotations

from pathlib import Path

import geopandas as gpd

from hunan_map.geo.errors import HunanMapError

#: Most columns an overlay may have; wider files are refused before their rows are read.
MAX_COLUMNS = 1_000
PARQUET_SUFFIXES = (".parquet", ".geoparquet")


class OverlayError(HunanMapError):
    """An overlay file that cannot be read at all (missing, wrong format, no coordinates)."""


def check_width(n: int, label: str) -> None:
    if n > MAX_COLUMNS:
        raise OverlayError(f"{label}: {n:,} columns; hunan-map reads at most {MAX_COLUMNS:,}; keep the columns "
                           "you need (name and geometry) and try again")


def _pick_layer(source: str, label: str, layer: str | None) -> str | None:
    import pyogrio

    try:
        names = [str(n) for n, _g in pyogrio.list_layers(source)]
    except Exception as exc:  # GDAL raises its own error types for every format problem
        raise OverlayError(f"{label}: cannot read it as a GIS file ({_first_line(exc)}); use CSV, GeoJSON, "
                           "GeoPackage or Shapefile") from exc
    if layer is not None:
        if layer not in names:
            raise OverlayError(f"{label}: no layer {layer!r}; its layers are {', '.join(map(repr, names))}; "
                               "pick one with --overlay-layer")
        return layer
    if len(names) > 1 and len(data := [n for n in names if n != "layer_styles"]) == 1:  # QGIS's style table
        return data[0]
    if len(names) > 1:
        raise OverlayError(f"{label} has {len(names)} layers ({', '.join(map(repr, names))}); pick one with "
                           f"--overlay-layer, e.g. --overlay-layer {names[0]}")
    return None


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip()
    return text.splitlines()[0] if text else type(exc).__name__


def _read_parquet(source, label: str) -> gpd.GeoDataFrame:
    """GeoParquet with pyarrow (geopandas.read_parquet), not GDAL, whose Parquet driver may be missing."""
    try:
        import pyarrow.parquet as pq
    except ImportError as exc:
        raise OverlayError(f"{label}: reading GeoParquet needs pyarrow; pip install 'hunan-map[parquet]' or "
                           "send GeoJSON, GeoPackage or CSV") from exc
    try:
        check_width(len(pq.read_schema(source).names), label)
        if hasattr(source, "seek"):
            source.seek(0)
        return gpd.read_parquet(source)
    except OverlayError:
        raise
    except Exception as exc:  # pyarrow and geopandas raise many types for a broken file
        raise OverlayError(f"{label}: cannot read it as GeoParquet ({_first_line(exc)}); write it again with "
                           "geopandas.to_parquet, or send GeoJSON, GeoPackage or CSV") from exc


def read_gis(source, label: str, layer: str | None = None) -> gpd.GeoDataFrame:
    """A GIS file (GDAL through pyogrio) or GeoParquet (pyarrow) with a geometry column."""
    import pyogrio

    if Path(label).suffix.lower() in PARQUET_SUFFIXES:
        if layer is not None and not label.lower().endswith(f"/{layer.lower()}"):
            raise OverlayError(f"{label}: a GeoParquet file has one layer; leave out --overlay-layer")
        gdf = _read_parquet(source, label)
    else:
        chosen = _pick_layer(source, label, layer)
        try:
            check_width(len(pyogrio.read_info(source, layer=chosen)["fields"]), label)
            gdf = pyogrio.read_dataframe(source, layer=chosen)
        except OverlayError:
            raise
        except NotImplementedError as exc:  # shapely reads no curves
            raise OverlayError(f"{label}: the layer has curved geometries (arcs), which hunan-map cannot use; convert "
                               "them to straight segments first (QGIS: Segmentize; ogr2ogr -nlt CONVERT_TO_LINEAR)") from exc
        except Exception as exc:  # GDAL raises its own error types for every format problem
            raise OverlayError(f"{label}: cannot read it as a GIS file ({_first_line(exc)}); use CSV, GeoJSON, "
                               "GeoPackage or Shapefile") from exc
    if not isinstance(gdf, gpd.GeoDataFrame) or gdf.geometry.name not in gdf.columns:
        raise OverlayError(f"{label}: the layer has no geometry; give a layer with points, lines or polygons, "
                           "or a CSV with lon/lat columns")
    return gdf


def zip_members(path: Path) -> list[str]:
    import zipfile

    try:
        with zipfile.ZipFile(path) as zf:
            names = [i.filename for i in zf.infolist() if not i.is_dir()]
    except (zipfile.BadZipFile, OSError) as exc:
        raise OverlayError(f"{path}: not a readable ZIP archive ({_first_line(exc)}); unpack it or send the "
                           "file itself") from exc
    return [n for n in names if not n.startswith("__MACOSX/") and not Path(n).name.startswith(".")]


#: ZIP compression methods Python reads: stored, deflate, bzip2, lzma.
_ZIP_METHODS = {0: "stored", 8: "deflate", 12: "bzip2", 14: "lzma"}


def unzip(path: Path, member: str) -> bytes:
    """A member's bytes, checked (password, compression method, CRC) before anything reads it."""
    import zipfile
    import zlib

    try:
        with zipfile.ZipFile(path) as zf:
            info = zf.getinfo(member)
            if info.flag_bits & 0x1:
                raise OverlayError(f"{path}: {member} is encrypted (password-protected); make the archive "
                                   "again without a password, or send the file itself")
            if info.compress_type not in _ZIP_METHODS:
                raise OverlayError(f"{path}: {member} uses compression method {info.compress_type}, which "
                                   "cannot be read; make the archive again with standard (deflate) compression")
            return zf.read(member)
    except OverlayError:
        raise
    except (zipfile.BadZipFile, zlib.error, EOFError, RuntimeError, NotImplementedError, OSError) as exc:
        raise OverlayError(f"{path}: {member} cannot be unpacked ({_first_line(exc)}); the archive is damaged: "
                           "make it again, or send the file itself") from exc
