"""Number and date checks: knowledge-base tables in, problems with values out of range or unreadable out."""

from __future__ import annotations

import pandas as pd

from hunan_map.layers.kb._checks_base import Report
from hunan_map.layers.kb.tables import KnowledgeBase

#: Hunan's bounding box (lon_min, lat_min, lon_max, lat_max): park points and zone centres lie inside.
HUNAN_BBOX = (108.7, 24.6, 114.3, 30.2)
#: Largest radius (km) of a zone drawn as a circle; Hunan is about 600 km across.
MAX_RADIUS_KM = 300.0
#: Largest position (seq) or rank a row may give.
MAX_POSITION = 1_000_000
#: Date columns: (table, column, the ISO 8601 forms allowed as the number of parts: 1 YYYY, 2 YYYY-MM, 3 full).
DATES = (("sources", "date", (3,)), ("parks", "approved", (1, 2, 3)))
#: Years a document, target, layout or park change may carry.
YEARS = (1949, 2100)


def check_numbers(kb: KnowledgeBase, rep: Report) -> None:
    """Numbers that do not read as numbers (found by the reader), and numbers out of range."""
    for name in kb.table_names():
        rep.problems.extend(getattr(kb, name).attrs.get("problems", []))
    x0, y0, x1, y1 = HUNAN_BBOX
    for row in kb.parks.itertuples(index=False):
        if pd.notna(row.lon) != pd.notna(row.lat):
            missing = "lat" if pd.notna(row.lon) else "lon"
            rep.add("parks", row.csv_line, missing, f"{missing} is empty but {'lon' if missing == 'lat' else 'lat'} "
                    "is given", "give both lon and lat (WGS84 degrees), or neither")
        elif pd.notna(row.lon) and not (x0 <= row.lon <= x1 and y0 <= row.lat <= y1):
            swapped = x0 <= row.lat <= x1 and y0 <= row.lon <= y1
            rep.add("parks", row.csv_line, "lon/lat", f"point ({row.lon:g}, {row.lat:g}) is outside Hunan"
                    + (" (longitude and latitude swapped?)" if swapped else ""),
                    f"give WGS84 degrees inside Hunan ({x0}-{x1} E, {y0}-{y1} N)")
    for row in kb.layout_parts.itertuples(index=False):
        given = [pd.notna(v) for v in (row.center_lon, row.center_lat, row.radius_km)]
        if any(given) and not all(given):
            rep.add("layout_parts", row.csv_line, "center_lon/center_lat/radius_km",
                    "a circle needs all of center_lon, center_lat and radius_km", "give all three, or none")
            continue
        if not any(given):
            continue
        if not (x0 <= row.center_lon <= x1 and y0 <= row.center_lat <= y1):
            rep.add("layout_parts", row.csv_line, "center_lon/center_lat",
                    f"centre ({row.center_lon:g}, {row.center_lat:g}) is outside Hunan",
                    f"give WGS84 degrees inside Hunan ({x0}-{x1} E, {y0}-{y1} N)")
        if not 0 < row.radius_km < MAX_RADIUS_KM:
            rep.add("layout_parts", row.csv_line, "radius_km", f"radius {row.radius_km:g} km is out of range",
                    f"give a radius above 0 and below {MAX_RADIUS_KM:g} km")
    for name, column, required in (("sources", "year", True), ("layouts", "year", True), ("targets", "year", False),
                                   ("park_changes", "year", False)):
        for row in getattr(kb, name).itertuples(index=False):
            year = getattr(row, column)
            if pd.isna(year):
                if required and not bad_number(kb, name, row.csv_line, column):
                    rep.add(name, row.csv_line, column, "year is empty", "give the year, e.g. 2026")
            elif year != int(year) or not YEARS[0] <= year <= YEARS[1]:
                rep.add(name, row.csv_line, column, f"year {year:g} is not a year between {YEARS[0]} and {YEARS[1]}",
                        "give the four-digit year, e.g. 2026")
    for name, column in (("cluster_members", "seq"), ("layout_parts", "seq"), ("part_places", "seq"),
                         ("industry_tiers", "rank")):
        for row in getattr(kb, name).itertuples(index=False):
            value = getattr(row, column)
            if pd.notna(value) and (value != int(value) or not 0 <= value <= MAX_POSITION):
                rep.add(name, row.csv_line, column, f"{column} {value:g} is not a whole number from 0 to "
                        f"{MAX_POSITION:,}", "give the position as 1, 2, 3 ...")


def check_dates(kb: KnowledgeBase, rep: Report) -> None:
    """Date columns hold a real calendar date written as ISO 8601 (or are empty)."""
    import datetime as dt

    for name, column, shapes in DATES:
        df = getattr(kb, name)
        for value, line in zip(df[column], df["csv_line"]):
            if not value:
                continue
            parts = value.split("-")
            ok = len(parts) in shapes and all(p.isdigit() for p in parts) and [len(p) for p in parts] == \
                [4, 2, 2][:len(parts)]
            if ok:
                try:
                    dt.date(*(int(p) for p in parts + ["01"] * (3 - len(parts))))
                except ValueError:
                    ok = False
            if not ok or not YEARS[0] <= int(parts[0]) <= YEARS[1]:
                forms = " or ".join({1: "YYYY", 2: "YYYY-MM", 3: "YYYY-MM-DD"}[n] for n in shapes)
                rep.add(name, line, column, f"{value!r} is not a date", f"write it as {forms}, e.g. 2023-10-18")


def bad_number(kb: KnowledgeBase, name: str, line: int, column: str) -> bool:
    """Whether the reader already reported the cell as not a number."""
    return any(p.row == line and p.column == column for p in getattr(kb, name).attrs.get("problems", []))

