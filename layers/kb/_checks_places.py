"""Place checks: parks, their adcodes and points, and every row naming a park, prefecture or county."""

from __future__ import annotations

import pandas as pd

from hunan_map.layers.kb._checks_base import Report, check_refs
from hunan_map.layers.kb.taxonomy import split_list
from hunan_map.layers.kb.tables import KnowledgeBase

#: Precisions that give a point of their own (a catalogue zone's site, town or seat included).
LOCATED = ("exact", "site", "town", "seat", "approximate")


def check_parks(kb: KnowledgeBase, rep: Report, counties, prefectures) -> None:
    parks = kb.parks
    pref_codes = set(prefectures["adcode"])
    county_parent = dict(zip(counties["adcode"], counties["parent_adcode"]))
    for row in parks.itertuples(index=False):
        if row.precision == "province":
            if row.prefecture_adcode or row.county_adcode or pd.notna(row.lon):
                rep.add("parks", row.csv_line, "precision", "a park placed in the whole province has a place",
                        "clear prefecture_adcode, county_adcode, lon and lat, or set the precision that fits")
            continue
        if row.prefecture_adcode not in pref_codes:
            rep.add("parks", row.csv_line, "prefecture_adcode", f"no prefecture with adcode {row.prefecture_adcode!r}",
                    "use a 6-digit prefecture adcode such as 430100 (see `hunan-map export prefectures`)")
        for col in ("county_adcode",):
            code = getattr(row, col)
            if code and code not in county_parent:
                rep.add("parks", row.csv_line, col, f"no county with adcode {code!r}",
                        "use a current 6-digit county adcode (see `hunan-map export counties`)")
            elif code and county_parent[code] != row.prefecture_adcode:
                rep.add("parks", row.csv_line, col, f"county {code} is not in prefecture {row.prefecture_adcode}",
                        f"set prefecture_adcode to {county_parent[code]} or fix the county")
        for code in split_list(row.other_county_adcodes):
            if code not in county_parent:
                rep.add("parks", row.csv_line, "other_county_adcodes", f"no county with adcode {code!r}",
                        "list current county adcodes separated by ';'")
        located = pd.notna(row.lon) and pd.notna(row.lat)
        if row.precision in LOCATED and not located:
            rep.add("parks", row.csv_line, "lon", "location missing",
                    "give lon and lat in WGS84 degrees, or set precision to 'county' (drawn at the county seat)")
        if row.precision in (*LOCATED, "county") and not row.county_adcode:
            rep.add("parks", row.csv_line, "county_adcode", f"county missing for precision {row.precision!r}",
                    "give the county adcode or set precision to 'prefecture'")
    _check_park_locations(parks, rep, counties, prefectures)


def _check_park_locations(parks: pd.DataFrame, rep: Report, counties, prefectures) -> None:
    import shapely

    cgeom = dict(zip(counties["adcode"], counties.geometry))
    pgeom = dict(zip(prefectures["adcode"], prefectures.geometry))
    for row in parks.itertuples(index=False):
        if pd.isna(row.lon) or pd.isna(row.lat):
            continue
        point = shapely.Point(row.lon, row.lat)
        codes = [c for c in [row.county_adcode, *split_list(row.other_county_adcodes)] if c in cgeom]
        if codes:
            if not any(cgeom[c].covers(point) for c in codes):
                inside = [c for c, g in cgeom.items() if g.covers(point)]
                where = f"it lies in county {inside[0]}" if inside else "it lies outside Hunan"
                rep.add("parks", row.csv_line, "lon/lat", f"point ({row.lon}, {row.lat}) is outside county {row.county_adcode}; {where}",
                        "fix the coordinates (WGS84, not GCJ-02) or the county_adcode")
        elif row.prefecture_adcode in pgeom and not pgeom[row.prefecture_adcode].covers(point):
            rep.add("parks", row.csv_line, "lon/lat", f"point ({row.lon}, {row.lat}) is outside prefecture {row.prefecture_adcode}",
                    "fix the coordinates (WGS84) or the prefecture_adcode")


def _check_places(df: pd.DataFrame, table: str, type_col: str, id_col: str, places: dict[str, set[str]],
                  rep: Report) -> None:
    """Rows that name a place by type (park, prefecture, county) and id or adcode."""
    for row in df.itertuples(index=False):
        kind, value = getattr(row, type_col), getattr(row, id_col)
        if kind not in places:
            continue  # reported by _check_allowed
        if value not in places[kind]:
            rep.add(table, row.csv_line, id_col, f"no {kind} {value!r}", f"use a known {kind} id or adcode")


def check_relations(kb: KnowledgeBase, rep: Report, counties, prefectures) -> None:
    inds = set(kb.industries["id"])
    parks = set(kb.parks["id"])
    clusters = set(kb.clusters["id"])
    parts = set(kb.layout_parts["id"])
    places = {"park": parks, "prefecture": set(prefectures["adcode"]), "county": set(counties["adcode"])}
    pi = kb.park_industries
    check_refs(pi, "park_industries", "park", parks, "park", rep)
    check_refs(pi, "park_industries", "industry", inds, "industry", rep)
    cl = kb.clusters
    check_refs(cl, "clusters", "industry", inds, "industry", rep, allow_empty=True)
    cm = kb.cluster_members
    check_refs(cm, "cluster_members", "cluster", clusters, "cluster", rep)
    _check_places(cm, "cluster_members", "member_type", "member", places, rep)
    lp = kb.layout_parts
    check_refs(lp, "layout_parts", "layout", set(kb.layouts["id"]), "layout", rep)
    pin = kb.part_industries
    check_refs(pin, "part_industries", "part", parts, "layout part", rep)
    check_refs(pin, "part_industries", "industry", inds, "industry", rep)
    pp = kb.part_places
    check_refs(pp, "part_places", "part", parts, "layout part", rep)
    _check_places(pp, "part_places", "place_type", "place", places, rep)
    corridor_ids = set(lp.loc[lp["kind"] == "corridor", "id"])
    for part in corridor_ids:
        route = pp[(pp["part"] == part) & (pp["role"] == "route")]
        if len(route) < 2:
            row = int(lp.loc[lp["id"] == part, "csv_line"].iloc[0])
            rep.add("layout_parts", row, "id", f"corridor {part!r} has fewer than two route places",
                    "add ordered rows with role 'route' to part_places.csv")

