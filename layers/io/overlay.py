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
from hunan_map.geo.crs import WGS84, canonical_crs, to_wgs84
from hunan_map.layers.io._gis import (MAX_COLUMNS, PARQUET_SUFFIXES, OverlayError, _first_line, read_gis, unzip, zip_members)

__all__ = ["MAX_COLUMNS", "Overlay", "OverlayError", "column_names", "read_overlay", "renamed_columns"]

LON_NAMES = ("lon", "lng", "long", "longitude", "x", "easting", "经度")
LAT_NAMES = ("lat", "latitude", "y", "northing", "纬度")
WKT_NAMES = ("wkt", "geometry", "geom", "the_geom")
from hunan_map.layers.io._csv_rows import REJECT_COLUMNS  # noqa: E402  (line, field, reason, fix)
#: Columns hunan-map adds to an overlay; when the user's file has a column of the same name, theirs
#: keeps its name and ours gets this prefix (``county`` -> ``hm_county``).
OUR_COLUMNS = ("line", "county", "county_adcode", "prefecture_adcode", "zones", "near_park", "near_park_km",
               "near_park_within_km")
PREFIX = "hm_"
#: Suffixes of files an overlay can be, and of the members of a ZIP archive that are read.
CSV_SUFFIXES = (".csv", ".txt", ".tsv")
VECTOR_SUFFIXES = (".geojson", ".json", ".gpkg", ".shp", ".kml", ".gml", ".fgb", ".parquet", ".geoparquet")
_ATTR = "hunan_map_columns"


@dataclass
class Overlay:
    """A user's data ready to draw: usable features and the rows that were rejected."""

    data: gpd.GeoDataFrame
    rejects: pd.DataFrame
    path: str

    @property
    def n_rejected(self) -> int:
        return len(self.rejects)

    @property
    def renamed(self) -> dict[str, str]:
        """Our column -> the name it has in ``data`` where the user's file already used that name."""
        return renamed_columns(self.data)


def column_names(gdf: pd.DataFrame) -> dict[str, str]:
    """Where hunan-map's own columns are in an overlay frame: ``{"county": "hm_county", ...}`` (the
    name itself unless the user's file has a column of that name). Use it to find ``line``,
    ``county``, ``zones``, ``near_park`` ... in a frame from :func:`read_overlay`/:func:`join_overlay`."""
    given = dict(gdf.attrs.get(_ATTR, {}))
    return {name: given.get(name, name) for name in OUR_COLUMNS}


def renamed_columns(gdf: pd.DataFrame) -> dict[str, str]:
    """Only the columns of :func:`column_names` that were renamed, and present."""
    return {k: v for k, v in column_names(gdf).items() if k != v and v in gdf.columns}


def _ours(name: str, user_columns, mapping: dict[str, str]) -> str:
    """The column name for our ``name`` in a frame whose user columns are ``user_columns``."""
    new = name
    while new in user_columns:
        new = PREFIX + new
    mapping[name] = new
    return new


def _find(columns: list[str], names: tuple[str, ...], given: str | None, what: str, path: str) -> str | None:
    if given:
        if given not in columns:
            raise OverlayError(f"{path}: no column {given!r} for {what}; columns are {', '.join(columns)}; "
                               f"name the right one with --{'lon' if what == 'longitude' else 'lat'}")
        return given
    found = [c for c in columns if c.strip().lower() in names]
    if len(found) > 1 and what in ("longitude", "latitude"):
        flag = "--lon" if what == "longitude" else "--lat"
        raise OverlayError(f"{path}: columns {found[0]!r} and {found[1]!r} could both be the {what}; name the "
                           f"one to use with {flag}, e.g. {flag} {found[0]}")
    lower = {c.strip().lower(): c for c in columns}
    for name in names:
        if name in lower:
            return lower[name]
    return None


# ------------------------------------------------------------------ CSV


def _decode(raw: bytes, label: str, encoding: str | None) -> str:
    """Text of an overlay CSV (see :func:`hunan_map.layers.io._text.decode_table`)."""
    from hunan_map.layers.io._text import decode_table

    return decode_table(raw, label, encoding, error=OverlayError)


def _read_csv_frame(raw: bytes, label: str, encoding: str | None) -> tuple[pd.DataFrame, np.ndarray, pd.DataFrame]:
    """All cells as text, each row's physical line number, and the records that have more fields
    than the header (rejected with their line numbers, the rest read)."""
    import re

    from hunan_map.layers.io._csv_rows import read_cells
    from hunan_map.layers.io._cells import unguard_frame
    from hunan_map.layers.io._text import record_lines

    text = _decode(raw, label, encoding)
    if not text.strip():
        raise OverlayError(f"{label}: the file is empty; it needs a header line (e.g. name,lon,lat) and rows")
    sep = "\t" if label.lower().endswith(".tsv") else ","
    _check_header(text, sep, label)
    try:
        df, text, long_rows = read_cells(text, sep)
    except pd.errors.EmptyDataError:
        raise OverlayError(f"{label}: the file has no header line; add one (e.g. name,lon,lat)") from None
    except pd.errors.ParserError as exc:
        msg = str(exc)
        m = re.search(r"Expected (\d+) fields in line (\d+), saw (\d+)", msg)
        if m:
            want, line, saw = m.groups()
            raise OverlayError(f"{label}: line {line}: {saw} fields where the header has {want}; put cells that "
                               "contain commas in double quotes, or remove the extra commas") from None
        raise OverlayError(f"{label}: not a readable CSV ({msg.splitlines()[0]}); save it as CSV with a header "
                           "row (quote cells that contain commas or line breaks)") from None
    df = unguard_frame(df)  # '=1+1 written by hunan-map's own CSV export reads back as =1+1
    unnamed = [c for c in df.columns if str(c).startswith("Unnamed: ")]
    if unnamed and all(not df[c].str.strip().any() for c in unnamed):
        df = df.drop(columns=unnamed)  # empty trailing columns (a trailing comma on the header)
    df.columns = [str(c).strip() for c in df.columns]
    dupes = sorted({c for c in df.columns if list(df.columns).count(c) > 1})
    if dupes:
        raise OverlayError(f"{label}: line 1: the header names {', '.join(map(repr, dupes))} more than once; "
                           "give every column its own name")
    return df, record_lines(text, len(df)), long_rows


def _check_header(text: str, sep: str, label: str) -> None:
    """Refuse a header wider than :data:`MAX_COLUMNS` or naming a column twice (both named)."""
    import csv
    import io

    first = text[: text.find("\n", 0, 1 << 22) if "\n" in text[: 1 << 22] else 1 << 22]
    if first.count(sep) + 1 > MAX_COLUMNS:  # counted before parsing, so a huge header costs nothing
        raise OverlayError(f"{label}: line 1: {first.count(sep) + 1:,} columns or more; hunan-map reads at most "
                           f"{MAX_COLUMNS:,}; keep the columns you need (name and coordinates) and try again")
    try:
        header = next(csv.reader(io.StringIO(text), delimiter=sep), [])
    except csv.Error:
        return  # pandas reports the broken line
    seen: dict[str, int] = {}
    for i, name in enumerate(header, start=1):
        key = name.strip()
        if key and key in seen:
            raise OverlayError(f"{label}: line 1: columns {seen[key]} and {i} are both named {key!r}; give every "
                               "column its own name")
        seen.setdefault(key, i)





def _csv_problems_projected(x: pd.Series, y: pd.Series, lines, xcol: str, ycol: str, kind: str):
    """Projected x/y (metres): numbers transformed to WGS84, then checked against Hunan."""
    from pyproj import Transformer

    from hunan_map.geo.checks import Problem

    xs = pd.to_numeric(x, errors="coerce").to_numpy(dtype=float)
    ys = pd.to_numeric(y, errors="coerce").to_numpy(dtype=float)
    finite = np.isfinite(xs) & np.isfinite(ys)
    lon = np.full(len(xs), np.nan)
    lat = np.full(len(xs), np.nan)
    if finite.any():
        t = Transformer.from_crs(kind, WGS84, always_xy=True)
        lon[finite], lat[finite] = t.transform(xs[finite], ys[finite], errcheck=False)
    x0, y0, x1, y1 = HUNAN_BBOX
    inside = np.isfinite(lon) & np.isfinite(lat) & (lon >= x0) & (lon <= x1) & (lat >= y0) & (lat <= y1)
    problems = []
    for i in np.flatnonzero(~inside):
        row = int(lines[i])
        if not np.isfinite(xs[i]) or not np.isfinite(ys[i]):
            field, raw = (xcol, x.iloc[i]) if not np.isfinite(xs[i]) else (ycol, y.iloc[i])
            problems.append(Problem(row, field, f"{raw!r} is not a number",
                                    f"write the coordinate in the units of {kind} (metres), e.g. 3100000.5"))
        elif not (np.isfinite(lon[i]) and np.isfinite(lat[i])):
            problems.append(Problem(row, f"{xcol}/{ycol}", f"({xs[i]}, {ys[i]}) cannot be converted from {kind}",
                                    "check the coordinates and --overlay-crs"))
        else:
            problems.append(Problem(row, f"{xcol}/{ycol}",
                                    f"({xs[i]}, {ys[i]}) in {kind} is ({lon[i]:.5f}, {lat[i]:.5f}), outside Hunan",
                                    "check the coordinates and --overlay-crs (e.g. EPSG:4546 for CGCS2000 3-degree "
                                    "Gauss-Kruger CM 111E without zone prefix; EPSG:4545 is CM 108E, 4547 CM 114E)"))
    return inside, lon, lat, problems


def _read_csv(raw: bytes, label: str, lon: str | None, lat: str | None, kind: str,
              encoding: str | None) -> tuple[gpd.GeoDataFrame, pd.DataFrame, bool]:
    """A CSV overlay as features in ``kind`` (or already WGS84, third value True) and its rejects."""
    df, line_numbers, long_rows = _read_csv_frame(raw, label, encoding)
    gdf, rejects, done = _read_csv_records(df, line_numbers, label, lon, lat, kind)
    if len(long_rows):
        rejects = pd.concat([long_rows, rejects], ignore_index=True) if len(rejects) else long_rows
    return gdf, rejects, done


def _read_csv_records(df: pd.DataFrame, line_numbers: np.ndarray, label: str, lon: str | None, lat: str | None,
                      kind: str) -> tuple[gpd.GeoDataFrame, pd.DataFrame, bool]:
    """Parsed CSV cells as features in ``kind`` (or already WGS84, third value True) and the rows
    whose coordinates cannot be used."""
    cols = list(df.columns)
    lines = pd.Series(line_numbers, index=df.index)
    xcol = _find(cols, LON_NAMES, lon, "longitude", label)
    ycol = _find(cols, LAT_NAMES, lat, "latitude", label)
    wcol = _find(cols, WKT_NAMES, None, "WKT", label)
    mapping: dict[str, str] = {}
    if xcol and ycol:
        if _is_projected(kind):
            ok, x, y, problems = _csv_problems_projected(df[xcol], df[ycol], line_numbers, xcol, ycol, kind)
            done = True
        else:
            ok, problems = check_lonlat(df[xcol], df[ycol], rows=lines, lon_field=xcol, lat_field=ycol)
            x = pd.to_numeric(df[xcol], errors="coerce").to_numpy(dtype=float)
            y = pd.to_numeric(df[ycol], errors="coerce").to_numpy(dtype=float)
            done = False
        geoms = gpd.points_from_xy(np.where(ok, x, 0.0), np.where(ok, y, 0.0))
        rejects = pd.DataFrame([(p.row, p.field, p.reason, p.fix) for p in problems], columns=REJECT_COLUMNS)
        attrs = df.drop(columns=[xcol, ycol])
        gdf = gpd.GeoDataFrame(attrs, geometry=geoms, crs=WGS84 if done else None)
        gdf[_ours("line", set(attrs.columns), mapping)] = lines.values
        gdf.attrs[_ATTR] = mapping
        return gdf[np.asarray(ok)], rejects, done
    if wcol:
        from hunan_map.layers.io._wkt import read_wkt

        geoms, rejected = [], []
        for i, text in zip(lines, df[wcol]):
            g, reason, fix = read_wkt(text)
            if reason:
                rejected.append((int(i), wcol, reason, fix))
            geoms.append(g)
        attrs = df.drop(columns=[wcol])
        gdf = gpd.GeoDataFrame(attrs, geometry=geoms, crs=None)
        gdf[_ours("line", set(attrs.columns), mapping)] = lines.values
        gdf.attrs[_ATTR] = mapping
        return gdf[gdf.geometry.notna().values], pd.DataFrame(rejected, columns=REJECT_COLUMNS), False
    raise OverlayError(
        f"{label}: found no coordinate columns (looked for {', '.join(LON_NAMES)} / {', '.join(LAT_NAMES)} "
        f"or a WKT column); columns are {', '.join(cols) or 'none'}. Name them with --lon and --lat"
    )


def _is_projected(kind: str) -> bool:
    if kind in ("gcj02", "bd09"):
        return False
    from pyproj import CRS

    return not CRS.from_user_input(kind).is_geographic


# ------------------------------------------------------------------ GIS files and archives


def _read_vector(source, label: str, layer: str | None = None) -> tuple[gpd.GeoDataFrame, pd.DataFrame]:
    gdf = read_gis(source, label, layer)
    mapping: dict[str, str] = {}
    user = {c for c in gdf.columns if c != gdf.geometry.name}
    gdf[_ours("line", user, mapping)] = np.arange(1, len(gdf) + 1)
    gdf.attrs[_ATTR] = mapping
    geoms = gdf.geometry
    bad = (geoms.isna() | geoms.is_empty).to_numpy()
    line_col = mapping["line"]
    rejects = pd.DataFrame([(int(n), "geometry", "empty geometry", "give the feature a geometry or remove it")
                            for n in gdf.loc[bad, line_col]], columns=REJECT_COLUMNS)
    return gdf[~bad], rejects


def _read_zip(path: Path, member: str | None, lon, lat, kind, encoding):
    """One CSV, GeoJSON, GeoPackage or Shapefile inside a ZIP archive (GDAL's /vsizip/)."""
    members = zip_members(path)
    data = [m for m in members if Path(m).suffix.lower() in CSV_SUFFIXES + VECTOR_SUFFIXES]
    layer = None
    if member is not None:
        match = [m for m in data if m == member or Path(m).name == member or Path(m).stem == member]
        if len(match) != 1:
            listed = ", ".join(data) or "none"
            raise OverlayError(f"{path}: no single data file {member!r} inside; it holds {listed}; pick one "
                               "with --overlay-layer")
        chosen = match[0]
    elif len(data) == 1:
        chosen = data[0]
    elif not data:
        raise OverlayError(f"{path}: no CSV, GeoJSON, GeoPackage or Shapefile inside (members: "
                           f"{', '.join(members[:10]) or 'none'}); send one of those")
    else:
        raise OverlayError(f"{path} holds {len(data)} data files ({', '.join(data)}); pick one with "
                           f"--overlay-layer, e.g. --overlay-layer {data[0]}")
    label = f"{path}/{chosen}"
    raw = unzip(path, chosen)
    if Path(chosen).suffix.lower() in CSV_SUFFIXES:
        return _read_csv(raw, label, lon, lat, kind, encoding)
    if Path(chosen).suffix.lower() in PARQUET_SUFFIXES:
        import io

        gdf, rejects = _read_vector(io.BytesIO(raw), label, layer)
    else:
        gdf, rejects = _read_vector(f"/vsizip/{path.resolve()}/{chosen}", label, layer)
    return gdf, rejects, False


def read_overlay(path: str | Path, *, crs: str | None = None, lon: str | None = None,
                 lat: str | None = None, layer: str | None = None, encoding: str | None = None) -> Overlay:
    """Read a user's file into WGS84, rejecting rows that cannot be used.

    Parameters
    ----------
    path
        CSV (lon/lat or x/y columns found by name, or a WKT column), GeoJSON, GeoPackage,
        Shapefile, or a ZIP archive holding one of them.
    crs
        What the coordinates really are: wgs84, cgcs2000, gcj02, bd09 or an EPSG code. CSV
        coordinates are WGS84 unless given; a projected CRS (EPSG:4546, EPSG:3857 ...) converts
        x/y metres before the check against Hunan. GIS files use their own CRS unless ``crs``
        is given (GCJ-02 and BD-09 are always taken from ``crs``).
    lon, lat
        CSV column names when they are not found automatically.
    layer
        The layer of a multi-layer file (GeoPackage), or the member of a ZIP archive.
    encoding
        Text encoding of a CSV; by default UTF-8 (with or without BOM), UTF-16 with a BOM, then
        GB18030.

    Returns
    -------
    Overlay
        ``data`` in EPSG:4326 with a ``line`` column (CSV line or feature number) and
        ``rejects`` with line, field, reason and fix. Where the user's file has columns named
        like ours (``line``, ``county``, ...), theirs keep the name and ours get the prefix
        ``hm_`` (see :func:`column_names`).

    Raises
    ------
    OverlayError
        When the file is missing or cannot be read at all; the message names the file, the
        line or layer, and the fix.
    """
    p = Path(path)
    if p.is_symlink() and not p.exists():
        raise OverlayError(f"overlay file {str(p)!r} is a symbolic link that leads nowhere (a loop or a missing "
                           "target); give the path of the file itself")
    if not p.is_file():
        raise OverlayError(f"overlay file {str(p)!r} does not exist; check the path")
    kind = canonical_crs(crs) if crs is not None else WGS84
    suffix = p.suffix.lower()
    if suffix in CSV_SUFFIXES:
        if layer is not None:
            raise OverlayError(f"{p}: a CSV file has no layers; leave out --overlay-layer")
        try:
            raw = p.read_bytes()
        except OSError as exc:
            raise OverlayError(f"{p}: cannot read the file ({exc.strerror}); check its permissions") from exc
        gdf, rejects, done = _read_csv(raw, str(p), lon, lat, kind, encoding)
        source = kind
    elif suffix == ".zip":
        gdf, rejects, done = _read_zip(p, layer, lon, lat, kind, encoding)
        source = kind if gdf.crs is None else _vector_source(gdf, kind, crs)
    else:
        gdf, rejects = _read_vector(str(p), str(p), layer)
        done, source = False, _vector_source(gdf, kind, crs)
    mapping = dict(gdf.attrs.get(_ATTR, {}))
    line_col = mapping.get("line", "line")
    gdf = _drop_z(gdf, str(p))
    if not done:
        try:
            if source in ("gcj02", "bd09"):
                gdf = to_wgs84(gdf, source=source)
            else:
                gdf = gdf.set_crs(source, allow_override=True).to_crs(WGS84)
        except Exception as exc:  # pyproj refuses impossible transformations
            raise OverlayError(f"{p}: cannot convert the coordinates from {source} to WGS84 "
                               f"({_first_line(exc)}); check --overlay-crs") from exc
    gdf.attrs[_ATTR] = mapping
    x0, y0, x1, y1 = HUNAN_BBOX
    with np.errstate(invalid="ignore"):
        inside = gdf.geometry.intersects(shapely.box(x0, y0, x1, y1)).to_numpy()
    extra = pd.DataFrame([(int(n), "geometry", "outside Hunan", "check the coordinates and --overlay-crs")
                          for n in gdf.loc[~inside, line_col]], columns=REJECT_COLUMNS)
    rejects = pd.concat([rejects, extra], ignore_index=True) if len(extra) else rejects
    rejects = rejects.sort_values("line", kind="stable").reset_index(drop=True)
    data = gdf[inside].reset_index(drop=True)
    data.attrs[_ATTR] = mapping
    return Overlay(data, rejects, str(p))


def _drop_z(gdf: gpd.GeoDataFrame, label: str) -> gpd.GeoDataFrame:
    """Geometry in 2D: Z values (heights) are dropped, with a warning saying how many features had them."""
    has_z = np.asarray(shapely.has_z(np.asarray(gdf.geometry.values)), dtype=bool)
    if not has_z.any():
        return gdf
    import warnings

    warnings.warn(f"{label}: {int(has_z.sum())} feature(s) have Z values (heights); the map and the 2D "
                  "formats (Shapefile, KML, CSV) keep x/y only, so the heights were dropped", stacklevel=3)
    out = gdf.copy()
    out[gdf.geometry.name] = gpd.GeoSeries(shapely.force_2d(np.asarray(gdf.geometry.values)), index=gdf.index,
                                           crs=gdf.crs)
    out.attrs = dict(gdf.attrs)
    return out


def _vector_source(gdf: gpd.GeoDataFrame, kind: str, crs: str | None):
    """The CRS a GIS file's numbers are in: ``crs`` when the user gave it, else the file's own."""
    if crs is not None:
        if gdf.crs is not None and kind not in ("gcj02", "bd09"):
            import warnings

            from pyproj import CRS

            if not CRS.from_user_input(kind).equals(gdf.crs, ignore_axis_order=True):
                warnings.warn(f"the file says its coordinates are {gdf.crs.to_string()}, --overlay-crs says "
                              f"{kind}; using {kind}", stacklevel=3)
        return kind
    return gdf.crs.to_string() if gdf.crs is not None else WGS84
