"""Rivers, lakes and seats of government in, the page's light offline basemap (plain JSON) out."""

from __future__ import annotations

from typing import Any, Callable

import numpy as np
import shapely

from hunan_map.geo import basemap, boundaries


#: Coordinates are sent as integers of this many degrees, each after the first as the step from the previous one.
STEP = 1e-4


def _coords(geom, shift: Callable | None, *, packed: bool = True) -> list:
    """The paths of a line (or rings of each polygon) as flat lists [lat0, lon0, dlat1, dlon1, ...]
    in units of :data:`STEP` (about 10 m; the page adds the steps up), or as [lat, lon] pairs
    with ``packed=False``."""
    def path(coords) -> list:
        xy = np.asarray(coords, dtype=float)[:, :2]
        if shift is not None:
            lon, lat = shift(xy[:, 0], xy[:, 1])
            xy = np.column_stack([lon, lat])
        if not packed:
            return np.round(xy[:, ::-1], 4).tolist()
        units = np.rint(xy[:, ::-1] / STEP).astype(np.int64)
        units[1:] -= units[:-1].copy()
        return units.ravel().tolist()

    parts = shapely.get_parts(geom)
    if geom.geom_type == "Point":
        return [path([geom.coords[0]])]  # a label point, unpacked by the caller
    if geom.geom_type.endswith("Polygon"):
        return [[path(p.exterior.coords)] + [path(r.coords) for r in p.interiors] for p in parts]
    return [path(p.coords) for p in parts]


def backdrop(lang: str, *, shift: Callable | None = None) -> dict[str, Any]:
    """The basemap drawn under every layer, visible where the tiles are missing or off.

    Returns
    -------
    dict
        ``water``: ``[kind, level, name, paths, label]`` per river or lake (paths packed as in
        :func:`_coords`; a lake's are polygons as lists of rings; ``label`` is the [lat, lon] of the name, on the longest line
        or largest lake of each name, else None); ``seats``: ``[lat, lon, level]`` per prefecture and county seat (prefectures first);
        ``credit``: attribution text. ``shift`` (lon, lat arrays -> lon, lat) moves everything
        to the tiles' coordinates (GCJ-02 for Amap), like every other layer.
    """
    water = basemap.water()
    metres = water.geometry.to_crs("EPSG:4545")  # CGCS2000 / Gauss-Kruger: lengths and areas in m
    lengths = metres.length.where(water["kind"] == "river", metres.area / 1000)
    labelled = set(lengths[water["name"] != ""].groupby(water["name"]).idxmax())
    rows = []
    for i, r in enumerate(water.itertuples(index=False)):
        name = r.name_en if lang == "en" else r.name
        where = None
        if i in labelled:  # one label per name, on its longest line or largest lake
            pt = r.geometry.interpolate(0.5, normalized=True) if r.kind == "river" else r.geometry.representative_point()
            where = _coords(pt, shift, packed=False)[0][0]
        rows.append([r.kind, int(r.level), name or "", _coords(r.geometry, shift), where])
    seats = boundaries.seats().sort_values(["level", "adcode"], ascending=[False, True])
    lon, lat = seats["lon"].to_numpy(float), seats["lat"].to_numpy(float)
    if shift is not None:
        lon, lat = shift(lon, lat)
    points = [[round(float(y), 4), round(float(x), 4), lv] for x, y, lv in zip(lon, lat, seats["level"])]
    return {"water": rows, "seats": points, "step": STEP, "credit": basemap.ATTRIBUTION}
