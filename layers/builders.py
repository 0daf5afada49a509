"""Knowledge base + geometry in, GeoDataFrames (EPSG:4326) of parks, clusters, zones, corridors out.

Every builder is a pure function of a :class:`Context` (the knowledge base, its taxonomy and the
boundaries) and a :class:`~hunan_map.layers.match.Filter`; list-valued columns hold Python
lists (``industries``, ``industries_en``, ``roles``, ``sources`` ...).
"""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from hunan_map.geo import boundaries
from hunan_map.geo.crs import WGS84
from hunan_map.layers._columns import (_add_match, _cite, _empty_lists, _footprint, _industry_columns, _keep_places,
                                       _merge_lists, _overlaps)
from hunan_map.layers.areas import build_corridors, build_zones
from hunan_map.layers.context import Context, context
from hunan_map.layers.kb.taxonomy import split_list
from hunan_map.layers.match import Filter, catalogue_sources, keep_facts, level_class, matching_facts
from hunan_map.layers.places import in_places

#: Park kinds that make the ``parks`` layer; every other kind is a platform or site.
PARK_KINDS = ("高新区", "经开区", "经济开发区", "工业园区", "工业园", "科技园", "出口加工区", "综合保税区", "保税物流中心")


# ----------------------------------------------------------------------------- parks

def build_parks(ctx: Context, flt: Filter = Filter(), *, kinds: str = "parks",
                include_unlocated: bool = False) -> gpd.GeoDataFrame:
    """Parks (or platforms and sites) as points, one row per entity, with industries and roles.

    ``industries`` are what the documents assign to the park itself (directly or as a cluster
    member, with ``roles``); ``layout_industries`` are the focus industries of layout parts that
    name the park (e.g. the 2013 core growth pole) and are shown but not used for filtering.

    Parameters
    ----------
    ctx
        Context from :func:`context`.
    flt
        Filter; parks match the layout filter when a part of the layout names them or when they
        lie in one of its zones.
    kinds
        ``"parks"`` (development zones: kinds in :data:`PARK_KINDS`), ``"platforms"`` (every
        other named platform or site) or ``"all"``.
    include_unlocated
        Also return what the documents place only in Hunan as a whole (precision ``province``,
        geometry None); spatial layers and maps leave them out.

    Returns
    -------
    geopandas.GeoDataFrame
        EPSG:4326 points; ``city``/``county`` are the host prefecture and county names.
    """
    res = ctx.resolve(flt)
    kb = ctx.kb
    if kinds not in ("parks", "platforms", "all"):
        raise ValueError(f"unknown kinds {kinds!r}; use 'parks', 'platforms' or 'all'")
    parks = kb.parks.drop(columns=["csv_line"]).copy()
    if kinds != "all":
        is_park = parks["kind"].isin(PARK_KINDS)
        parks = parks[is_park if kinds == "parks" else ~is_park]
    facts = ctx.kb.facts if res.sources is None else ctx.kb.facts[ctx.kb.facts["source"].isin(res.sources)]
    catalogue = catalogue_sources(kb)
    own = facts[(facts["role"] != "layout_focus") & ~facts["source"].isin(catalogue)]
    parks = parks.join(_industry_columns(ctx, own, "park"), on="id")
    leads = facts[facts["source"].isin(catalogue) & (facts["entity_type"] == "park")]
    lead_words = leads.groupby("entity").apply(
        lambda g: list(dict.fromkeys(w or ctx.kb.taxonomy.name(i) for w, i in zip(g["wording"], g["industry"]))),
        include_groups=False).to_dict() if len(leads) else {}
    parks["catalogue_industries"] = parks["id"].map(lambda i: lead_words.get(i, []))
    lead_cites = leads.groupby("entity").apply(
        lambda g: list(dict.fromkeys(_cite(s, sec) for s, sec in zip(g["source"], g["section"]))),
        include_groups=False).to_dict() if len(leads) else {}
    via_layout = facts[facts["role"] == "layout_focus"]
    lay = _industry_columns(ctx, via_layout, "park")
    parks["layout_industries"] = parks["id"].map(lay["industries"] if len(lay) else {})
    parks["layout_sources"] = parks["id"].map(lay["fact_sources"] if len(lay) else {})
    _empty_lists(parks, ["industry_ids", "industries", "industries_en", "roles", "tiers", "fact_sources",
                         "layout_industries", "layout_sources"])

    named = kb.part_places[kb.part_places["place_type"] == "park"].merge(
        kb.layout_parts[["id", "layout"]], left_on="part", right_on="id", suffixes=("", "_p"))
    named_layouts = named.groupby("place")["layout"].agg(lambda s: list(dict.fromkeys(s))).to_dict()
    named_cites: dict[str, list[str]] = {}
    for place, source, section in zip(named["place"], named["source"], named["section"]):
        named_cites.setdefault(place, []).append(_cite(source, section))
    cm = kb.cluster_members[kb.cluster_members["member_type"] == "park"]
    cl_names = dict(zip(kb.clusters["id"], kb.clusters["name"]))
    park_clusters = cm.groupby("member")["cluster"].agg(lambda s: [cl_names[c] for c in dict.fromkeys(s)]).to_dict()

    names = ctx.geo.admin_names
    parks["city"] = parks["prefecture_adcode"].map(lambda c: names.get(c, ("", ""))[0])
    parks["city_en"] = parks["prefecture_adcode"].map(lambda c: names.get(c, ("", ""))[1])
    parks["county"] = parks["county_adcode"].map(lambda c: names.get(c, ("", ""))[0])
    parks["county_en"] = parks["county_adcode"].map(lambda c: names.get(c, ("", ""))[1])
    parks["aliases"] = parks["aliases"].map(split_list)
    parks["clusters"] = parks["id"].map(lambda i: park_clusters.get(i, []))
    parks["layouts"] = parks["id"].map(lambda i: named_layouts.get(i, []))
    parks["sources"] = [
        _merge_lists([_cite(s, sec)], split_list(also), fs, named_cites.get(i, []), ls, lead_cites.get(i, []))
        for i, s, sec, also, fs, ls in zip(parks["id"], parks["source"], parks["section"], parks["also_cited"],
                                           parks["fact_sources"], parks["layout_sources"])
    ]
    if not include_unlocated:
        parks = parks[[ctx.geo.park_points[i] is not None for i in parks["id"]]]
    from hunan_map.layers.kb.zones import site_columns

    parks = parks.join(site_columns(kb, parks))
    parks["lon"] = parks["id"].map(lambda i: ctx.geo.park_points[i].x if ctx.geo.park_points[i] is not None else None)
    parks["lat"] = parks["id"].map(lambda i: ctx.geo.park_points[i].y if ctx.geo.park_points[i] is not None else None)
    gdf = gpd.GeoDataFrame(parks, geometry=[ctx.geo.park_points[i] for i in parks["id"]], crs=WGS84)

    keep = keep_facts(ctx.kb, gdf, res, "park")
    if res.levels is not None:
        keep &= gdf["level"].isin(res.levels)
    if res.layouts is not None:
        zone_union = {}
        zones = build_zones(ctx, Filter())
        for lay in res.layouts:
            geoms = zones.loc[zones["layout_id"] == lay, "geometry"]
            zone_union[lay] = shapely.union_all(geoms.values) if len(geoms) else None
        keep &= pd.Series([
            bool(set(named_layouts.get(i, [])) & res.layouts)
            or any(u is not None and u.covers(pt) for u in zone_union.values())
            for i, pt in zip(gdf["id"], gdf.geometry)
        ], index=gdf.index)
    if res.places:
        keep &= in_places(res, "park", gdf["id"])
    gdf = _add_match(ctx, gdf[keep.values], res, "park")
    if res.sources is not None:  # rows follow the filter: only the asked sources' citations
        gdf["sources"] = gdf["sources"].map(lambda cites: [c for c in cites if c.split(" ")[0] in res.sources])
    cols = ["id", "name", "full_name", "name_en", "aliases", "kind", "level", "city", "city_en",
            "prefecture_adcode", "county", "county_en", "county_adcode", "lon", "lat", "precision",
            "basis", "site", "evidence", "evidence_source", "evidence_strength", "industries", "industries_en",
            "industry_ids", "roles", "tiers", "catalogue_industries",
            "clusters", "layouts", "layout_industries", "match", "matched", "sources", "external", "geometry"]
    return gdf[cols].reset_index(drop=True)


# ----------------------------------------------------------------------------- clusters

def build_clusters(ctx: Context, flt: Filter = Filter(), *, geometry: str = "footprint",
                   include_unlocated: bool = False) -> gpd.GeoDataFrame:
    """Clusters with their industry, level and members.

    Parameters
    ----------
    ctx, flt
        Context and filter.
    geometry
        ``"footprint"``: a polygon around member parks (or the member cities' polygons);
        ``"points"``: a MultiPoint of member parks (city-based clusters keep their polygons).
    include_unlocated
        Also return clusters whose documents name no park or city (geometry None); they are
        left out of map layers and spatial exports by default.

    Returns
    -------
    geopandas.GeoDataFrame
        One row per cluster.
    """
    if geometry not in ("footprint", "points"):
        raise ValueError(f"unknown cluster geometry {geometry!r}; use 'footprint' or 'points'")
    res = ctx.resolve(flt)
    cache = ctx.cache
    key = ("clusters", geometry)
    if key not in cache:  # the features do not depend on the filter: built once per context
        kb = ctx.kb
        tax = ctx.kb.taxonomy
        cl = kb.clusters.drop(columns=["csv_line"]).copy()
        park_names = dict(zip(kb.parks["id"], kb.parks["name"]))
        rows = []
        for c in cl.itertuples(index=False):
            mem = kb.cluster_members[kb.cluster_members["cluster"] == c.id].sort_values("seq")
            mem = mem.drop_duplicates(["member_type", "member", "role"])
            names, ids, roles, geoms, pts, cites = [], [], [], [], [], [_cite(c.source, c.section)]
            for m in mem.itertuples(index=False):
                if m.member_type == "park":
                    label = park_names.get(m.member, m.member)
                    if ctx.geo.park_points.get(m.member) is not None:
                        pts.append(ctx.geo.park_points[m.member])
                else:
                    label = ctx.geo.admin_names.get(m.member, (m.member, ""))[0]
                    geoms.append(ctx.geo.admin_geom[(m.member_type, m.member)])
                if m.member not in ids:
                    names.append(label)
                    ids.append(m.member)
                roles.append(f"{label}:{m.role}")
                cites.append(_cite(m.source, m.section))
            if pts and geometry == "footprint":
                geom = _footprint(pts)
            elif pts:
                geom = shapely.MultiPoint(pts)
            elif geoms:
                geom = shapely.coverage_union_all(geoms) if len(geoms) > 1 else geoms[0]
            else:
                geom = None
            member_type = "park" if pts else ("city" if geoms else "none")
            tiers = sorted({t for t in kb.industry_tiers.loc[
                kb.industry_tiers["industry"].isin([c.industry, *tax.ancestors(c.industry)])
                & (kb.industry_tiers["tier"] != "sub_sector"), "tier"]})
            rows.append({
                "id": c.id, "name": c.name, "name_en": c.name_en, "industry": tax.name(c.industry),
                "industry_en": tax.name_en(c.industry), "industry_ids": [c.industry],
                "industries": [tax.name(c.industry)], "industries_en": [tax.name_en(c.industry)],
                "level": c.level, "member_type": member_type, "members": names, "member_ids": ids,
                "member_roles": roles, "n_members": len(ids), "tiers": tiers,
                "sources": list(dict.fromkeys(cites)), "geometry": geom,
            })
        cache[key] = gpd.GeoDataFrame(rows, geometry="geometry", crs=WGS84)
    gdf = cache[key].copy()
    keep = keep_facts(ctx.kb, gdf, res, "cluster") & _keep_places(gdf, res, "cluster")
    if res.levels is not None:
        keep &= gdf["level"].map(level_class).isin(res.levels)
    if not include_unlocated:
        keep &= gdf.geometry.notna()
    if res.layouts is not None:
        zones = build_zones(ctx, Filter())
        union = shapely.union_all(zones.loc[zones["layout_id"].isin(res.layouts), "geometry"].values)
        keep &= gdf.geometry.map(lambda g: _overlaps(g, union))
    return _add_match(ctx, gdf[keep.values], res, "cluster").reset_index(drop=True)


# ----------------------------------------------------------------------------- admin units

def _count_lists(series_of_lists: pd.Series) -> list[str]:
    counts = pd.Series([x for items in series_of_lists for x in items]).value_counts()
    return [f"{k}:{v}" for k, v in counts.items()]


def build_admin(ctx: Context, level: str, flt: Filter = Filter()) -> gpd.GeoDataFrame:
    """Prefectures or counties with counts of parks and clusters (after the filter) joined on.

    Parameters
    ----------
    level
        ``"prefectures"`` or ``"counties"``.

    Returns
    -------
    geopandas.GeoDataFrame
        Boundary columns plus ``n_parks``, ``n_clusters``, ``park_industries`` (``name:count``)
        and ``cluster_industries``.
    """
    units = boundaries.load(level)
    parks = build_parks(ctx, flt, kinds="parks")
    clusters = build_clusters(ctx, flt)
    code_col = "prefecture_adcode" if level == "prefectures" else "county_adcode"
    n_parks, park_inds, n_clusters, cl_inds = [], [], [], []
    park_pref = dict(zip(ctx.kb.parks["id"], ctx.kb.parks[code_col]))
    county_parent = dict(zip(ctx.geo.counties["adcode"], ctx.geo.counties["parent_adcode"]))
    for unit in units.itertuples():
        in_unit = parks[parks[code_col] == unit.adcode]
        n_parks.append(len(in_unit))
        park_inds.append(_count_lists(in_unit["industries"]))

        def touches(row, code: str) -> bool:
            for mid in row.member_ids:
                if mid in park_pref and park_pref[mid] == code:
                    return True
                if mid == code or (level == "prefectures" and county_parent.get(mid) == code):
                    return True
            return False

        hit = clusters[[touches(r, unit.adcode) for r in clusters.itertuples()]] if len(clusters) else clusters
        n_clusters.append(len(hit))
        cl_inds.append(_count_lists(hit["industries"]) if len(hit) else [])
    units["n_parks"] = np.array(n_parks, dtype=int)
    units["n_clusters"] = np.array(n_clusters, dtype=int)
    units["park_industries"] = park_inds
    units["cluster_industries"] = cl_inds
    return units


__all__ = ["PARK_KINDS", "Context", "build_admin", "build_clusters", "build_corridors", "build_parks", "build_zones",
           "context", "matching_facts"]
