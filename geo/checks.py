"""Checks on users' own coordinates: numbers in, a list of problems (row, field, fix) out.

Finds values that are not numbers, points outside Hunan, longitude and latitude given in the
wrong order, and coordinates that look shifted between WGS84 and GCJ-02.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

#: Hunan's bounding box with a small margin (lon_min, lat_min, lon_max, lat_max).
HUNAN_BBOX = (108.7, 24.6, 114.3, 30.2)


@dataclass(frozen=True)
class Problem:
    """One unusable coordinate pair: which row, which field, what is wrong and the fix."""

    row: int
    field: str
    reason: str
    fix: str


def _in_bbox(lon: np.ndarray, lat: np.ndarray) -> np.ndarray:
    x0, y0, x1, y1 = HUNAN_BBOX
    return (lon >= x0) & (lon <= x1) & (lat >= y0) & (lat <= y1)


def check_lonlat(lon: pd.Series, lat: pd.Series, *, rows: pd.Series | None = None,
                 lon_field: str = "lon", lat_field: str = "lat") -> tuple[np.ndarray, list[Problem]]:
    """Check coordinate columns row by row.

    Parameters
    ----------
    lon, lat
        Raw values (strings or numbers), one per row.
    rows
        Row numbers to report (e.g. line numbers in the user's file); defaults to 1..n.
    lon_field, lat_field
        Column names to mention in problems.

    Returns
    -------
    tuple
        A boolean mask of usable rows and the list of :class:`Problem` for the others.
    """
    n = len(lon)
    row_numbers = np.arange(1, n + 1) if rows is None else np.asarray(list(rows))
    raw_x = pd.Series(list(lon)) if not isinstance(lon, pd.Series) else lon.reset_index(drop=True)
    raw_y = pd.Series(list(lat)) if not isinstance(lat, pd.Series) else lat.reset_index(drop=True)
    x = pd.to_numeric(raw_x, errors="coerce").to_numpy(dtype=float)
    y = pd.to_numeric(raw_y, errors="coerce").to_numpy(dtype=float)
    bad_x = ~np.isfinite(x)
    bad_y = ~np.isfinite(y)
    inside = _in_bbox(x, y)
    ok = ~bad_x & ~bad_y & inside
    problems: list[Problem] = []
    for i in np.flatnonzero(~ok):  # only the unusable rows are looked at one by one
        row = int(row_numbers[i])
        if bad_x[i] or bad_y[i]:
            field = lon_field if bad_x[i] else lat_field
            raw = raw_x.iloc[i] if bad_x[i] else raw_y.iloc[i]
            problems.append(Problem(row, field, f"{raw!r} is not a number",
                                    "write decimal degrees such as 112.98"))
        elif _in_bbox(y[i:i + 1], x[i:i + 1])[0]:
            problems.append(Problem(row, f"{lon_field}/{lat_field}",
                                    f"({x[i]}, {y[i]}) looks like latitude and longitude swapped",
                                    f"put longitude (108.7-114.3) in {lon_field!r} and latitude in {lat_field!r}"))
        elif abs(x[i]) > 360 or abs(y[i]) > 360:
            problems.append(Problem(row, f"{lon_field}/{lat_field}", f"({x[i]}, {y[i]}) are not degrees",
                                    "projected coordinates (metres)? name their system with --overlay-crs, "
                                    "e.g. --overlay-crs EPSG:4546 or EPSG:3857"))
        else:
            problems.append(Problem(row, f"{lon_field}/{lat_field}", f"({x[i]}, {y[i]}) is outside Hunan",
                                    "check the coordinates; Hunan spans 108.7-114.3 E, 24.6-30.2 N"))
    return ok, problems


def check_km(value, *, name: str, maximum: float) -> float:
    """A distance, width or size in km: finite, above 0 and at most ``maximum``.

    Raises
    ------
    hunan_map.geo.errors.RangeError
        Naming ``name`` and the allowed range.
    """
    from hunan_map.geo.errors import RangeError

    try:
        number = float(value)
    except (TypeError, ValueError):
        raise RangeError(f"{name} must be a number of km, not {value!r}") from None
    if not np.isfinite(number) or number <= 0 or number > maximum:
        raise RangeError(f"{name} must be above 0 and at most {maximum:g} km, not {value!r}")
    return number


def crs_shift_suspected(points, expected_county_adcodes, counties) -> str | None:
    """Whether points sit better in their stated counties after a GCJ-02 -> WGS84 shift.

    Parameters
    ----------
    points : geopandas.GeoDataFrame
        Points in EPSG:4326 as declared by the user.
    expected_county_adcodes : sequence of str
        The county each point should be in (from the user's own data).
    counties : geopandas.GeoDataFrame
        County boundaries.

    Returns
    -------
    str or None
        A warning naming the likely real CRS, or None when the declared one fits best.
    """
    import geopandas as gpd

    from hunan_map.geo.crs import to_wgs84

    expected = pd.Series(list(expected_county_adcodes), index=points.index).astype(str)

    def hits(frame) -> int:
        joined = gpd.sjoin(frame[[frame.geometry.name]], counties[["adcode", "geometry"]], how="left")
        joined = joined[~joined.index.duplicated()]
        return int((joined["adcode"].astype(str) == expected).sum())

    as_is = hits(points)
    shifted = hits(to_wgs84(points, source="gcj02"))
    if shifted > as_is:
        return (f"{shifted} points fall in their stated county if read as GCJ-02 but only {as_is} "
                "as WGS84: the data look like GCJ-02 (Amap); pass --overlay-crs gcj02")
    return None
