"""Knowledge base + boundaries in, layout zones and corridors as GeoDataFrames (EPSG:4326) out."""

from __future__ import annotations

import geopandas as gpd
import pandas as pd
import shapely

from hunan_map.geo.crs import DISTANCE, WGS84
from hunan_map.layers._columns import _add_match, _cite, _empty_lists, _footprint, _industry_columns, _keep_places, _merge_lists
from hunan_map.layers.context import Context
from hunan_map.layers.match import Filter, keep_facts


def _part_table(ctx: Context) -> pd.DataFrame:
    kb = ctx.kb
    parts = kb.layout_parts.drop(columns=["csv_line"]).merge(
        kb.layouts[["id", "name", "name_en", "year"]].rename(
            columns={"id": "layout_id", "name": "layout", "name_en": "layout_en"}),
        left_on="layout", right_on="layout_id", suffixes=("", "_layout"))
    parts = parts.drop(columns=["layout"]).rename(columns={"layout_layout": "layout"})
    if "layout" not in parts.columns:
        parts["layout"] = parts["layout_id"].map(dict(zip(kb.layouts["id"], kb.layouts["name"])))
    ind = _industry_columns(ctx, ctx.kb.facts, "part")
    parts = parts.join(ind, on="id")
    _empty_lists(parts, ["industry_ids", "industries", "industries_en", "roles", "tiers", "fact_sources"])
    return parts


def _place_name(ctx: Context, place_type: str, place: str) -> str:
    if place_type == "park":
        return dict(zip(ctx.kb.parks["id"], ctx.kb.parks["name"])).get(place, place)
    return ctx.geo.admin_names.get(place, (place, ""))[0]


def _part_places(ctx: Context, part: str, role: str) -> pd.DataFrame:
    """The places of one part in one role, in ``seq`` order (grouped once per context, not filtered per part)."""
    groups = ctx.cache.get(("part_places",))
    if groups is None:
        pp = ctx.kb.part_places
        groups = ctx.cache[("part_places",)] = {
            key: grp.sort_values("seq", na_position="last") for key, grp in pp.groupby(["part", "role"], sort=False)}
    found = groups.get((part, role))
    return found if found is not None else ctx.kb.part_places.iloc[0:0]


def build_zones(ctx: Context, flt: Filter = Filter()) -> gpd.GeoDataFrame:
    """Each zone of each layout, dissolved from its member prefectures or counties.

    Corridor parts that list member areas also give a zone (their "corridor area"). Zones
    defined only by parks are the buffered hull of the parks; zones given by a centre and
    radius are circles; both are flagged ``schematic``.

    Returns
    -------
    geopandas.GeoDataFrame
        EPSG:4326 polygons with ``layout``, ``layout_id``, ``year``, ``kind``, industries,
        ``members``, ``parks`` and ``sources``.
    """
    res = ctx.resolve(flt)
    cache = ctx.cache
    key = ("zones",)
    if key not in cache:  # the features do not depend on the filter: built once per context
        rows = []
        for p in _part_table(ctx).itertuples(index=False):
            members = _part_places(ctx, p.id, "member")
            named = pd.concat([_part_places(ctx, p.id, "park"), _part_places(ctx, p.id, "platform")])
            geoms = [ctx.geo.admin_geom[(m.place_type, m.place)] for m in members.itertuples() if m.place_type != "park"]
            schematic = False
            if geoms:
                geom = shapely.coverage_union_all(geoms) if len(geoms) > 1 else geoms[0]
            elif pd.notna(p.center_lon) and pd.notna(p.radius_km):
                centre = gpd.GeoSeries([shapely.Point(p.center_lon, p.center_lat)], crs=WGS84).to_crs(DISTANCE)
                geom = shapely.set_precision(centre.buffer(p.radius_km * 1000, quad_segs=16).to_crs(WGS84).iloc[0], 1e-5)
                schematic = True
            elif p.kind == "zone" and any(ctx.geo.park_points.get(n) is not None for n in named["place"]):
                geom = _footprint([ctx.geo.park_points[n] for n in named["place"] if ctx.geo.park_points.get(n) is not None])
                schematic = True
            else:
                continue
            cites = _merge_lists([_cite(p.source, p.section)], p.fact_sources,
                                 [_cite(r.source, r.section) for r in pd.concat([members, named]).itertuples()],
                                 [p.geometry_source] if p.geometry_source else [])
            rows.append({
                "id": p.id, "name": p.name, "name_en": p.name_en, "layout": p.layout, "layout_en": p.layout_en,
                "layout_id": p.layout_id, "year": int(p.year), "kind": p.kind, "industries": p.industries,
                "industries_en": p.industries_en, "industry_ids": p.industry_ids, "roles": p.roles,
                "tiers": p.tiers, "members": [_place_name(ctx, m.place_type, m.place) for m in members.itertuples()],
                "member_ids": list(members["place"]),
                "parks": [_place_name(ctx, "park", n) for n in named["place"]],
                "schematic": schematic, "sources": cites, "geometry": geom,
            })
        cache[key] = gpd.GeoDataFrame(rows, geometry="geometry", crs=WGS84)
    gdf = cache[key].copy()
    keep = keep_facts(ctx.kb, gdf, res, "part") & _keep_places(gdf, res, "part")
    if res.layouts is not None:
        keep &= gdf["layout_id"].isin(res.layouts)
    return _add_match(ctx, gdf[keep.values], res, "part").reset_index(drop=True)


def build_corridors(ctx: Context, flt: Filter = Filter(), *, width_km: float | None = None) -> gpd.GeoDataFrame:
    """Corridors as schematic lines through their places in route order.

    Parameters
    ----------
    ctx, flt
        Context and filter.
    width_km
        When given, return buffer polygons of this total width (computed in geo.crs.DISTANCE,
        equidistant and centred on Hunan) instead of lines.

    Returns
    -------
    geopandas.GeoDataFrame
        EPSG:4326 LineStrings (or Polygons), ``schematic`` is True, ``route`` lists the places.
    """
    res = ctx.resolve(flt)
    cache = ctx.cache
    key = ("corridors",)
    if key not in cache:  # the features do not depend on the filter: built once per context
        rows = []
        for p in _part_table(ctx).itertuples(index=False):
            if p.kind != "corridor":
                continue
            route = _part_places(ctx, p.id, "route")
            pts = [ctx.geo.seat_points.get(r.place, ctx.geo.label_points.get(r.place)) if r.place_type != "park"
                   else ctx.geo.park_points[r.place] for r in route.itertuples()]
            pts = [pt for pt in pts if pt is not None]
            if len(pts) < 2:
                continue
            cites = _merge_lists([_cite(p.source, p.section)], p.fact_sources,
                                 [_cite(r.source, r.section) for r in route.itertuples()])
            rows.append({
                "id": p.id, "name": p.name, "name_en": p.name_en, "layout": p.layout, "layout_en": p.layout_en,
                "layout_id": p.layout_id, "year": int(p.year), "industries": p.industries,
                "industries_en": p.industries_en, "industry_ids": p.industry_ids, "roles": p.roles,
                "tiers": p.tiers, "route": [_place_name(ctx, r.place_type, r.place) for r in route.itertuples()],
                "route_ids": list(route["place"]), "schematic": True, "sources": cites,
                "geometry": shapely.LineString([(pt.x, pt.y) for pt in pts]),
            })
        cache[key] = gpd.GeoDataFrame(rows, geometry="geometry", crs=WGS84)
    gdf = cache[key].copy()
    keep = keep_facts(ctx.kb, gdf, res, "part") & _keep_places(gdf, res, "part")
    if res.layouts is not None:
        keep &= gdf["layout_id"].isin(res.layouts)
    gdf = _add_match(ctx, gdf[keep.values], res, "part").reset_index(drop=True)
    if width_km is not None:
        if width_km <= 0:
            raise ValueError(f"corridor width must be positive, got {width_km!r} km")
        buffered = gdf.to_crs(DISTANCE).buffer(width_km * 500, quad_segs=8).to_crs(WGS84)
        gdf = gdf.set_geometry(shapely.set_precision(buffered.values, 1e-5))
        gdf["width_km"] = float(width_km)
    return gdf
