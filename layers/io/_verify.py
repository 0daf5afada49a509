"""A freshly written temporary file in, nothing out: it reads back as the format it claims, with the
expected features, or :class:`WriteError` says what is wrong (checked before it replaces anything)."""

from __future__ import annotations

import os
from pathlib import Path

from hunan_map.layers.errors import WriteError

#: Files that make up a Shapefile; all are checked and moved together.
SHAPEFILE_PARTS = (".shp", ".shx", ".dbf", ".prj", ".cpg")
#: Files hunan-map writes beside a Shapefile (the field-name mapping, the QGIS style); moved with it.
SHAPEFILE_SIDECARS = (".fields.csv", ".qml")


def parts_of(path: Path, fmt: str | None = None) -> tuple[Path, ...]:
    """The files an output consists of: the path itself, or every part of a Shapefile and its sidecars."""
    if (fmt == "shp") or (fmt is None and path.suffix.lower() == ".shp"):
        return tuple(path.with_name(path.stem + s) for s in SHAPEFILE_PARTS + SHAPEFILE_SIDECARS)
    return (path,)


def verify_file(path: Path, fmt: str | None = None, *, layers: dict[str, int] | None = None) -> None:
    """Check a freshly written file before it replaces anything.

    Parameters
    ----------
    path
        The temporary file.
    fmt
        Format name (geojson, kml, gpkg, shp, csv, parquet, html, png, text); from the suffix
        when omitted.
    layers
        Layer name -> expected feature count, checked for GeoPackage, Shapefile, KML and
        GeoParquet.

    Raises
    ------
    WriteError
        Naming what is wrong with the file.
    """
    fmt = fmt or {".geojson": "geojson", ".json": "geojson", ".kml": "kml", ".gpkg": "gpkg", ".shp": "shp",
                  ".png": "png", ".parquet": "parquet", ".geoparquet": "parquet"}.get(path.suffix.lower(), "text")
    for part in parts_of(path, fmt)[:len(SHAPEFILE_PARTS)] if fmt == "shp" else (path,):
        if not part.is_file():
            raise WriteError(f"{part.name} was not written")
    if path.stat().st_size == 0:
        raise WriteError("the file is empty")
    try:
        if fmt == "geojson":
            import json

            with open(path, encoding="utf-8") as fh:
                data = json.load(fh)
            if layers:
                (n,) = layers.values()
                if len(data.get("features", [])) != n:
                    raise WriteError(f"it holds {len(data.get('features', []))} features, not {n}")
        elif fmt == "kml":
            import xml.etree.ElementTree as ET

            count = sum(1 for _ev, el in ET.iterparse(path) if el.tag.rsplit("}", 1)[-1] == "Placemark")
            if layers and count != sum(layers.values()):
                raise WriteError(f"it holds {count} placemarks, not {sum(layers.values())}")
        elif fmt in ("gpkg", "shp"):
            import pyogrio

            for name, n in (layers or {}).items():
                info = pyogrio.read_info(path, layer=name if fmt == "gpkg" else None, force_feature_count=True)
                if info["features"] != n:
                    raise WriteError(f"layer {name!r} holds {info['features']} features, not {n}")
        elif fmt == "parquet":
            import pyarrow.parquet as pq

            rows = pq.read_metadata(path).num_rows
            if layers and rows != sum(layers.values()):
                raise WriteError(f"it holds {rows} rows, not {sum(layers.values())}")
        elif fmt == "png":
            with open(path, "rb") as fh:
                head = fh.read(8)
                fh.seek(-12, os.SEEK_END)
                tail = fh.read(12)
            if head != b"\x89PNG\r\n\x1a\n" or tail[4:8] != b"IEND":
                raise WriteError("it is not a complete PNG image")
    except WriteError:
        raise
    except Exception as exc:  # a parser's own error: the file is broken
        raise WriteError(f"it does not read back ({str(exc).splitlines()[0] if str(exc) else type(exc).__name__})") from exc


# ---------------------------------------------------------------- the target
