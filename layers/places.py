"""A place name in (prefecture, county, park, platform, catalogue zone or layout part: any name, alias or
id), the place and the entities that lie in it or belong to it out, each saying how (``via``)."""

from __future__ import annotations

import pandas as pd

from hunan_map.geo.gazetteer import GeocodeResult, Gazetteer
from hunan_map.layers.kb import KnowledgeBase
from hunan_map.layers.kb.taxonomy import split_list

#: How an entity belongs to a place: ``own`` (it is the place), ``located`` (it lies in it), ``member``
#: (a cluster the place is a member of, or whose members lie in it), ``layout`` (a layout part that
#: contains or names the place).
VIA = ("own", "located", "member", "layout")
ADMIN = ("province", "prefecture", "county")


def gazetteer(kb: KnowledgeBase, park_points: dict) -> Gazetteer:
    """A gazetteer of admin units, every park, platform and catalogue zone, and every layout part."""
    import geopandas as gpd

    table = kb.parks.copy()
    gaz = Gazetteer(gpd.GeoDataFrame(table, geometry=[park_points.get(i) for i in table["id"]], crs="EPSG:4326"))
    parts = kb.layout_parts[["id", "name", "name_en"]].assign(full_name="", aliases="", precision="schematic",
                                                               prefecture_adcode="")
    gaz.add_places(parts, kind="part")
    return gaz


def _areas(kb: KnowledgeBase, place: GeocodeResult, county_parent: dict[str, str]) -> set[str]:
    """Adcodes that lie in an admin place: the place and, for a prefecture, its counties."""
    if place.kind == "county":
        return {place.id}
    return {place.id, *(c for c, p in county_parent.items() if p == place.id)}


def park_codes(kb: KnowledgeBase) -> dict[str, set[str]]:
    """Park id -> the adcodes it lies in (prefecture, county and every other county or prefecture it spans)."""
    extra = kb.parks["other_prefecture_adcodes"] if "other_prefecture_adcodes" in kb.parks else [""] * len(kb.parks)
    return {r.id: {r.prefecture_adcode, r.county_adcode, *split_list(r.other_county_adcodes), *split_list(op)} - {""}
            for r, op in zip(kb.parks.itertuples(index=False), extra)}


def place_entities(kb: KnowledgeBase, place: GeocodeResult, county_parent: dict[str, str]) -> pd.DataFrame | None:
    """The entities a place answers for: ``entity_type`` (park, cluster, part), ``entity`` and ``via``;
    None for the province (everything).

    Parameters
    ----------
    place
        From :func:`gazetteer` (kinds province, prefecture, county, park, part).
    county_parent
        County adcode -> prefecture adcode.
    """
    rows: list[tuple[str, str, str]] = []
    parks = park_codes(kb)
    cm, pp = kb.cluster_members, kb.part_places
    if place.kind in ADMIN:
        if place.kind == "province":
            return None
        areas = _areas(kb, place, county_parent)
        inside = {pid for pid, codes in parks.items() if codes & areas}
        rows += [("park", pid, "located") for pid in sorted(inside)]
        for c in cm.itertuples(index=False):
            if (c.member_type != "park" and c.member in areas) or \
                    (c.member_type == "prefecture" and place.kind == "county" and county_parent.get(place.id) == c.member):
                rows.append(("cluster", c.cluster, "member"))
            elif c.member_type == "park" and c.member in inside:
                rows.append(("cluster", c.cluster, "located"))
        pref = place.id if place.kind == "prefecture" else county_parent.get(place.id, "")
        for r in pp.itertuples(index=False):
            if (r.place_type != "park" and (r.place in areas or r.place == pref)) or \
                    (r.place_type == "park" and r.place in inside):
                rows.append(("part", r.part, "layout"))
    elif place.kind == "park":
        rows.append(("park", place.id, "own"))
        rows += [("cluster", c, "member") for c in cm.loc[(cm["member_type"] == "park") & (cm["member"] == place.id),
                                                          "cluster"]]
        rows += [("part", p, "layout") for p in pp.loc[(pp["place_type"] == "park") & (pp["place"] == place.id), "part"]]
    elif place.kind == "part":
        rows.append(("part", place.id, "own"))
        mine = pp[pp["part"] == place.id]
        named = set(mine.loc[mine["place_type"] == "park", "place"])
        rows += [("park", pid, "layout") for pid in sorted(named)]
        areas: set[str] = set()
        for r in mine[(mine["place_type"] != "park") & (mine["role"] == "member")].itertuples(index=False):
            areas |= {r.place, *(c for c, p in county_parent.items() if p == r.place)}
        inside = {pid for pid, codes in parks.items() if codes & areas} - named
        rows += [("park", pid, "located") for pid in sorted(inside)]
        rows += [("cluster", c.cluster, "located") for c in cm.itertuples(index=False)
                 if (c.member_type == "park" and c.member in inside | named)
                 or (c.member_type != "park" and c.member in areas)]
    frame = pd.DataFrame(rows, columns=["entity_type", "entity", "via"])
    order = {v: i for i, v in enumerate(VIA)}
    frame = frame.assign(_o=frame["via"].map(order)).sort_values("_o", kind="stable")
    return frame.drop_duplicates(["entity_type", "entity"]).drop(columns="_o").reset_index(drop=True)


def geography(kb: KnowledgeBase):
    """A Geography for a knowledge base (boundaries, seats, park points)."""
    from hunan_map.layers.geography import Geography

    return Geography(kb.parks)


def in_places(res, entity_type: str, ids: pd.Series, geoms=None) -> pd.Series:
    """Which entities lie in (or belong to) one of the asked places: admin units by ``geoms``
    overlap when given (else by the entity sets), parks and layout parts by their entity sets."""
    if not res.places:
        return pd.Series(True, index=ids.index)
    ok = pd.Series(False, index=ids.index)
    for place, found in zip(res.places, res.place_sets):
        if found is None:
            return pd.Series(True, index=ids.index)
        if place.kind in ADMIN and geoms is not None:
            ok |= geoms.map(lambda g, p=place: _overlaps(g, p.geometry)).astype(bool)
        else:
            ok |= ids.isin(set(found.loc[found["entity_type"] == entity_type, "entity"]))
    return ok


def _overlaps(geom, place) -> bool:
    if geom is None or geom.is_empty or place is None:
        return False
    if geom.geom_type in ("Point", "MultiPoint"):
        return place.covers(geom) if geom.geom_type == "Point" else any(place.covers(p) for p in geom.geoms)
    if geom.geom_type in ("LineString", "MultiLineString"):
        return geom.intersection(place).length > 1e-9
    inter = geom.intersection(place).area
    return inter > 0.01 * min(geom.area, place.area)


def named_place(gaz, name: str):
    """The place ``--place`` names; a town's name is refused with a hint to use ``--near`` (a town has
    no area to filter by)."""
    from hunan_map.geo.errors import UnknownPlaceError
    from hunan_map.geo.gazetteer import normalize
    from hunan_map.geo.towns import short_name, towns

    try:
        return gaz.geocode(name)
    except UnknownPlaceError:
        key = normalize(name)
        t = towns()
        hit = t[(t["name"].map(normalize) == key) | (t["name"].map(lambda n: normalize(short_name(n))) == key)]
        if len(hit):
            row = hit.iloc[0]
            raise UnknownPlaceError(f"{name!r} is a town ({row['name']}, {row['county']}), not a prefecture, county, park or layout part; "
                                    f"filter by its county ({row['county']}), or ask for zones near it with "
                                    f"--near {row['name']} --km 5") from None
        raise
