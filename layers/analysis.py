"""Spatial analysis over layers: parks in/near zones and corridors, industry matrices, proximity."""

from __future__ import annotations

import geopandas as gpd
import pandas as pd

from hunan_map.geo.crs import DISTANCE
from hunan_map.layers.builders import Context, build_clusters, build_corridors, build_parks, build_zones
from hunan_map.layers.match import Filter


def park_zones(ctx: Context, flt: Filter = Filter(), *, near_km: float = 10.0) -> pd.DataFrame:
    """Which zones each park lies in and which corridors it lies near.

    Parameters
    ----------
    ctx, flt
        Context and filter (applied to parks).
    near_km
        Corridor distance threshold in km (computed in geo.crs.DISTANCE).

    Returns
    -------
    pandas.DataFrame
        One row per (park, zone or corridor): ``park_id``, ``park``, ``layout``, ``part_id``,
        ``part``, ``relation`` (``in`` or ``near``) and ``distance_km`` (0 for zones).
    """
    from hunan_map.geo.checks import check_km

    near_km = check_km(near_km, name="near_km", maximum=1000)
    parks = build_parks(ctx, flt)
    zones = build_zones(ctx)
    corridors = build_corridors(ctx)
    inside = gpd.sjoin(parks[["id", "name", "geometry"]], zones[["id", "name", "layout", "geometry"]],
                       predicate="within", how="inner", lsuffix="park", rsuffix="part")
    rows = [
        {"park_id": r.id_park, "park": r.name_park, "layout": r.layout, "part_id": r.id_part,
         "part": r.name_part, "relation": "in", "distance_km": 0.0}
        for r in inside.itertuples()
    ]
    pp = parks.to_crs(DISTANCE)
    cc = corridors.to_crs(DISTANCE)
    for c in cc.itertuples():
        dist = pp.geometry.distance(c.geometry) / 1000.0
        for i in dist[dist <= near_km].index:
            rows.append({"park_id": parks.at[i, "id"], "park": parks.at[i, "name"], "layout": c.layout,
                         "part_id": c.id, "part": c.name, "relation": "near",
                         "distance_km": round(float(dist[i]), 2)})
    cols = ["park_id", "park", "layout", "part_id", "part", "relation", "distance_km"]
    return pd.DataFrame(rows, columns=cols).sort_values(["park_id", "layout", "part_id"]).reset_index(drop=True)


def industry_matrix(ctx: Context, flt: Filter = Filter(), *, by: str = "prefecture",
                    entity: str = "parks", rollup: bool = True, drop_empty: bool = False) -> pd.DataFrame:
    """Counts of parks, platforms or clusters per industry and prefecture, county or zone.

    Each entity is counted in every area it belongs to: a park in its prefecture or county, a
    cluster in each member prefecture (a cluster of parks in their prefectures, a city cluster in
    its cities), and for zones wherever it lies in or overlaps the zone. Only the facts that match
    the filter count (an industry, tier, role and source on the same fact).

    Parameters
    ----------
    by
        ``"prefecture"``, ``"county"`` or ``"zone"``.
    entity
        ``"parks"`` (development zones, policy-named and catalogue), ``"platforms"`` or ``"clusters"``.
    rollup
        Count an entity under every ancestor of its industries too (新材料 counts 先进储能材料 parks), so a
        parent row includes its children's entities (said in ``attrs["note"]``).
    drop_empty
        Leave out areas where nothing is counted (kept by default, so every area shows).

    Returns
    -------
    pandas.DataFrame
        Index: industry (Chinese name); columns: area names in their usual order; ints.
        ``attrs["unlocated"]`` lists the clusters with no member place (counted nowhere).
    """
    from hunan_map.layers.builders import build_parks, matching_facts

    if by not in ("prefecture", "county", "zone"):
        raise ValueError(f"unknown matrix axis {by!r}; use 'prefecture', 'county' or 'zone'")
    if entity not in ("parks", "platforms", "clusters"):
        raise ValueError(f"unknown entity {entity!r}; use 'parks', 'platforms' or 'clusters'")
    tax = ctx.kb.taxonomy
    res = ctx.resolve(flt)
    if entity == "clusters":
        frame = build_clusters(ctx, flt, include_unlocated=True)
        etype = "cluster"
    else:
        frame = build_parks(ctx, flt, kinds=entity)
        etype = "park"
    facts = matching_facts(ctx.kb, res, etype)  # only the asked sources' facts count (and the asked industry's)
    facts = facts[facts["entity"].isin(set(frame["id"]))]
    county_parent = dict(zip(ctx.geo.counties["adcode"], ctx.geo.counties["parent_adcode"]))
    park_place = {r.id: (r.prefecture_adcode, r.county_adcode) for r in ctx.kb.parks.itertuples()}

    if by == "zone":
        zones = build_zones(ctx)
        order = list(zones["name"])
        areas_of = {}
        for r in frame.itertuples():
            geom = r.geometry
            areas_of[r.id] = [] if geom is None or geom.is_empty else [
                z.name for z in zones.itertuples() if (z.geometry.covers(geom) if geom.geom_type == "Point"
                                                       else z.geometry.intersects(geom))]
    else:
        admin = ctx.geo.prefectures if by == "prefecture" else ctx.geo.counties
        label = dict(zip(admin["adcode"], admin["short_name" if by == "prefecture" else "name"]))
        order = list(admin["adcode"])
        areas_of = {}
        for r in frame.itertuples():
            codes: list[str] = []
            if entity == "clusters":
                for m in r.member_ids:
                    if m in park_place:
                        pref, county = park_place[m]
                    else:
                        pref, county = county_parent.get(m, m), (m if m in county_parent else "")
                    codes.append(pref if by == "prefecture" else county)
                    if by == "county" and not county:  # a city member covers each of its counties
                        codes.extend(c for c, p in county_parent.items() if p == m)
            else:
                pref, county = park_place.get(r.id, ("", ""))
                codes.append(pref if by == "prefecture" else county)
            areas_of[r.id] = list(dict.fromkeys(c for c in codes if c))
    records = []
    for f in facts.itertuples(index=False):
        inds = {f.industry, *(tax.ancestors(f.industry) if rollup else [])}
        for area in areas_of.get(f.entity, []):
            records.extend((tax.name(i), area, f.entity) for i in inds)
    long = pd.DataFrame(records, columns=["industry", "area", "id"]).drop_duplicates()
    if len(long):
        matrix = long.pivot_table(index="industry", columns="area", values="id", aggfunc="count", fill_value=0)
    else:
        matrix = pd.DataFrame(index=pd.Index([], name="industry"))
    matrix = matrix.reindex(columns=order, fill_value=0).fillna(0).astype(int)
    if by != "zone":
        matrix.columns = [label[c] for c in matrix.columns]
    if drop_empty:
        matrix = matrix.loc[:, matrix.sum(axis=0) > 0]
    matrix.columns.name = by
    matrix.attrs["unlocated"] = sorted(frame.loc[[not areas_of.get(i) for i in frame["id"]], "name"]) \
        if entity == "clusters" else []
    matrix.attrs["note"] = ("parent industries include their children's counts; an entity counts once per row"
                            if rollup else "")
    return matrix


def parks_within(ctx: Context, place: str, km: float, flt: Filter = Filter()) -> gpd.GeoDataFrame:
    """Parks within ``km`` of a place (admin unit, park, layout zone; pinyin too) or of a corridor (by name or id).

    Returns
    -------
    geopandas.GeoDataFrame
        The parks with a ``distance_km`` column, nearest first.
    """
    from hunan_map.geo.checks import check_km
    from hunan_map.layers import gazetteer

    km = check_km(km, name="km", maximum=1000)
    parks = build_parks(ctx, flt)
    corridors = build_corridors(ctx)
    hit = corridors[(corridors["id"] == place) | (corridors["name"] == place)]
    if len(hit):
        target = hit.geometry.iloc[0]
    else:
        found = gazetteer(ctx).geocode(place)
        target = found.geometry
        if target is None or target.is_empty:
            from hunan_map.layers.errors import UnknownValueError

            raise UnknownValueError(f"{found.name!r} has no place (the documents name it for Hunan as a whole); "
                                    "measure from a park, county or prefecture instead")
    tgt = gpd.GeoSeries([target], crs=parks.crs).to_crs(DISTANCE).iloc[0]
    dist = parks.to_crs(DISTANCE).geometry.distance(tgt) / 1000.0
    out = parks.assign(distance_km=dist.round(2))
    return out[out["distance_km"] <= km].sort_values("distance_km").reset_index(drop=True)
