"""Spatial analysis over layers: parks in/near zones and corridors, industry matrices, proximity."""

from __future__ import annotations

import geopandas as gpd
import pandas as pd

from hunan_map.geo.crs import DISTANCE
from hunan_map.layers.builders import Context, build_clusters, build_corridors, build_parks, build_zones
from hunan_map.layers.filters import Filter


def park_zones(ctx: Context, flt: Filter = Filter(), *, near_km: float = 10.0) -> pd.DataFrame:
    """Which zones each park lies in and which corridors it lies near.

    Parameters
    ----------
    ctx, flt
        Context and filter (applied to parks).
    near_km
        Corridor distance threshold in km (computed in EPSG:4545).

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
                    entity: str = "parks", rollup: bool = True) -> pd.DataFrame:
    """Counts of parks or clusters per industry and prefecture (or zone).

    Parameters
    ----------
    by
        ``"prefecture"`` or ``"zone"``.
    entity
        ``"parks"`` or ``"clusters"``.
    rollup
        Count an entity under every ancestor of its industries too (新材料 counts 先进储能材料 parks).

    Returns
    -------
    pandas.DataFrame
        Index: industry (Chinese name); columns: prefecture short names or zone names; ints.
    """
    if by not in ("prefecture", "zone"):
        raise ValueError(f"unknown matrix axis {by!r}; use 'prefecture' or 'zone'")
    if entity not in ("parks", "clusters"):
        raise ValueError(f"unknown entity {entity!r}; use 'parks' or 'clusters'")
    tax = ctx.taxonomy
    frame = build_parks(ctx, flt) if entity == "parks" else build_clusters(ctx, flt)
    if by == "prefecture":
        areas = ctx.prefectures[["short_name", "geometry"]].rename(columns={"short_name": "area"})
        order = list(areas["area"])
    else:
        zones = build_zones(ctx)
        areas = zones[["name", "geometry"]].rename(columns={"name": "area"})
        order = list(areas["area"])
    pts = frame.copy()
    pts["geometry"] = pts.geometry.representative_point() if entity == "clusters" else pts.geometry
    pts = pts[~pts.geometry.is_empty & pts.geometry.notna()]
    joined = gpd.sjoin(pts[["id", "industry_ids", "geometry"]], areas, predicate="within", how="inner")
    records = []
    for r in joined.itertuples():
        inds = set(r.industry_ids)
        if rollup:
            for i in list(inds):
                inds.update(tax.ancestors(i))
        records.extend((tax.name(i), r.area, r.id) for i in inds)
    long = pd.DataFrame(records, columns=["industry", "area", "id"]).drop_duplicates()
    matrix = long.pivot_table(index="industry", columns="area", values="id", aggfunc="count", fill_value=0)
    matrix = matrix.reindex(columns=[a for a in order if a in matrix.columns]).fillna(0).astype(int)
    matrix.columns.name = by
    return matrix


def parks_within(ctx: Context, place: str, km: float, flt: Filter = Filter()) -> gpd.GeoDataFrame:
    """Parks within ``km`` of a place (admin unit, park) or of a corridor (by name or id).

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
        target = gazetteer(ctx).geocode(place).geometry
    tgt = gpd.GeoSeries([target], crs=parks.crs).to_crs(DISTANCE).iloc[0]
    dist = parks.to_crs(DISTANCE).geometry.distance(tgt) / 1000.0
    out = parks.assign(distance_km=dist.round(2))
    return out[out["distance_km"] <= km].sort_values("distance_km").reset_index(drop=True)
