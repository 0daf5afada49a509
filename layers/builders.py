"""Knowledge base + geometry in, GeoDataFrames (EPSG:4326) of parks, clusters, zones, corridors out.

Every builder is a pure function of a :class:`Context` (the knowledge base, its taxonomy and the
boundaries) and a :class:`~hunan_map.layers.filters.Filter`; list-valued columns hold Python
lists (``industries``, ``industries_en``, ``roles``, ``sources`` ...).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property, lru_cache

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from hunan_map.geo import boundaries
from hunan_map.geo.crs import DISTANCE, WGS84
from hunan_map.layers import facts as _facts
from hunan_map.layers import settings
from hunan_map.layers.filters import Filter, Resolved, resolve
from hunan_map.layers.kb import KnowledgeBase, load
from hunan_map.layers.taxonomy import Taxonomy, split_list

#: Park kinds that make the ``parks`` layer; every other kind is a platform or site.
PARK_KINDS = ("高新区", "经开区", "经济开发区", "工业园区", "工业园", "科技园", "出口加工区", "综合保税区", "保税物流中心")


@dataclass
class Context:
    """The inputs every builder needs, loaded once."""

    kb: KnowledgeBase

    @cached_property
    def taxonomy(self) -> Taxonomy:
        return Taxonomy(self.kb.industries, self.kb.industry_tiers, self.kb.industry_trees)

    @cached_property
    def facts(self) -> pd.DataFrame:
        return _facts.long_form(self.kb)

    @cached_property
    def counties(self) -> gpd.GeoDataFrame:
        return boundaries.counties()

    @cached_property
    def prefectures(self) -> gpd.GeoDataFrame:
        return boundaries.prefectures()

    @cached_property
    def admin_geom(self) -> dict[tuple[str, str], object]:
        out = {("county", r.adcode): r.geometry for r in self.counties.itertuples()}
        out.update({("prefecture", r.adcode): r.geometry for r in self.prefectures.itertuples()})
        return out

    @cached_property
    def admin_names(self) -> dict[str, tuple[str, str]]:
        frame = pd.concat([self.counties, self.prefectures])
        return {r.adcode: (r.name, r.name_en) for r in frame.itertuples()}

    @cached_property
    def label_points(self) -> dict[str, object]:
        frame = pd.concat([self.counties, self.prefectures])
        return {r.adcode: shapely.Point(r.label_lon, r.label_lat) for r in frame.itertuples()}

    @cached_property
    def seat_points(self) -> dict[str, object]:
        """Adcode -> the point of its seat of government."""
        return {r.adcode: shapely.Point(round(r.lon, 5), round(r.lat, 5))
                for r in boundaries.seats().itertuples()}

    @cached_property
    def park_points(self) -> dict[str, object]:
        """Park id -> its point: the stated site, else its county's seat, else its prefecture's
        seat; parks placed only in the province (precision ``province``) have none."""
        out = {}
        for row in self.kb.parks.itertuples(index=False):
            if pd.notna(row.lon) and pd.notna(row.lat):
                out[row.id] = shapely.Point(round(row.lon, 5), round(row.lat, 5))
            elif row.county_adcode in self.seat_points:
                out[row.id] = self.seat_points[row.county_adcode]
            elif row.prefecture_adcode in self.seat_points:
                out[row.id] = self.seat_points[row.prefecture_adcode]
            else:
                out[row.id] = None
        return out

    @cached_property
    def glosses(self) -> dict[str, str]:
        """Chinese glosses of the English external citations and location notes (``external_glosses.csv``
        in the data folder, else the bundled one); a Chinese page shows these."""
        from pathlib import Path

        from hunan_map.layers.kb import default_data_dir

        path = Path(self.kb.data_dir) / "external_glosses.csv"
        src = path if path.is_file() else default_data_dir() / "external_glosses.csv"
        try:
            with src.open(encoding="utf-8") as fh:
                frame = pd.read_csv(fh, dtype=str, keep_default_na=False)
            return dict(zip(frame["en"], frame["zh"]))
        except (OSError, KeyError, pd.errors.ParserError):
            return {}

    @cached_property
    def source_titles(self) -> dict[str, tuple[str, str, int]]:
        """Source id -> (short title, short English title, year)."""
        return {r.id: (r.short_title, r.short_title_en, int(r.year)) for r in self.kb.sources.itertuples()}

    @cached_property
    def source_years(self) -> dict[str, int]:
        return {r.id: int(r.year) for r in self.kb.sources.itertuples() if pd.notna(r.year)}

    def resolve(self, flt: Filter) -> Resolved:
        return resolve(flt, self.kb, self.taxonomy)

    @cached_property
    def _source_tiers(self) -> dict[tuple[str, str], list[str]]:
        t = self.kb.industry_tiers
        t = t[t["tier"] != "sub_sector"]
        return t.groupby(["source", "industry"])["tier"].agg(lambda s: sorted(set(s))).to_dict()

    def match_keys(self, industry: str, source: str) -> list[str]:
        """The industry ids a fact about ``industry`` answers to: the industry and everything above
        it in the shared tree and in the documents' own trees."""
        return [industry, *self.taxonomy.broader(industry)]

    def fact_tiers(self, industry: str, source: str) -> list[str]:
        """The tiers ``source`` gives ``industry`` or one of its ancestors (its own system only)."""
        out: set[str] = set()
        for node in self.match_keys(industry, source):
            out.update(self._source_tiers.get((source, node), []))
        return sorted(out)


@lru_cache(maxsize=4)
def _cached_context(data_dir: str | None) -> Context:
    return Context(load(data_dir))


def context(data_dir: str | None = None) -> Context:
    """The context for the bundled data (cached) or for a user's data folder."""
    return _cached_context(None if data_dir is None else str(data_dir))


# ----------------------------------------------------------------------------- helpers

def _cite(source: str, section: str) -> str:
    return f"{source} {section}".strip()


def _industry_columns(ctx: Context, facts: pd.DataFrame, entity_type: str) -> pd.DataFrame:
    """Per entity: industries (zh/en), roles, tiers and citations from the long form."""
    tax = ctx.taxonomy
    sub = facts[facts["entity_type"] == entity_type]
    tier_of = (ctx.kb.industry_tiers[ctx.kb.industry_tiers["tier"] != "sub_sector"]
               .groupby("industry")["tier"].agg(lambda s: sorted(set(s))).to_dict())
    by_entity: dict[str, list[tuple[str, str, str, str]]] = {}
    for entity, ind, role, source, section in zip(sub["entity"], sub["industry"], sub["role"], sub["source"],
                                                   sub["section"]):
        by_entity.setdefault(entity, []).append((ind, role, source, section))
    rows = {}
    for entity, facts_of in by_entity.items():
        inds = list(dict.fromkeys(f[0] for f in facts_of))
        tiers: list[str] = []
        for ind in inds:
            for node in [ind, *tax.ancestors(ind)]:
                tiers.extend(tier_of.get(node, []))
        rows[entity] = {
            "industry_ids": inds,
            "industries": [tax.name(i) for i in inds],
            "industries_en": [tax.name_en(i) for i in inds],
            "roles": [f"{tax.name(ind)}:{role}" for ind, role, _s, _x in facts_of],
            "tiers": sorted(set(tiers)),
            "fact_sources": [_cite(src, sec) for _i, _r, src, sec in facts_of],
        }
    return pd.DataFrame.from_dict(rows, orient="index")


def _merge_lists(*lists) -> list[str]:
    out: list[str] = []
    for items in lists:
        if isinstance(items, list):
            out.extend(items)
    return list(dict.fromkeys(out))


def matching_facts(ctx: Context, res: Resolved, entity_type: str | None = None) -> pd.DataFrame:
    """The facts (long form) that satisfy the industry, tier, role and source of a filter at once."""
    facts = ctx.facts if entity_type is None else ctx.facts[ctx.facts["entity_type"] == entity_type]
    ok = pd.Series(True, index=facts.index)
    if res.industries is not None:
        ok &= facts["industry"].isin(res.industries)
    if res.sources is not None:
        ok &= facts["source"].isin(res.sources)
    if res.roles is not None:
        ok &= facts["role"].isin(res.roles)
    if res.tiers is not None:
        ok &= pd.Series([bool(set(ctx.fact_tiers(i, s)) & res.tiers) for i, s in zip(facts["industry"], facts["source"])],
                        index=facts.index, dtype=bool)
    return facts[ok]


def _keep_facts(ctx: Context, frame: pd.DataFrame, res: Resolved, entity_type: str) -> pd.Series:
    """Rows with one fact that satisfies every fact-level filter; with only a source or year
    asked for, rows that the source mentions at all."""
    if res.on_facts():
        passing = set(matching_facts(ctx, res, entity_type)["entity"])
        return frame["id"].isin(passing)
    if res.sources is not None:
        return frame["sources"].map(lambda cites: any(c.split(" ")[0] in res.sources for c in cites))
    return pd.Series(True, index=frame.index)


def _overlaps(geom, place) -> bool:
    if geom is None or geom.is_empty:
        return False
    if geom.geom_type in ("Point", "MultiPoint"):
        return place.covers(geom) if geom.geom_type == "Point" else any(place.covers(p) for p in geom.geoms)
    if geom.geom_type in ("LineString", "MultiLineString"):
        return geom.intersection(place).length > 1e-9
    inter = geom.intersection(place).area
    return inter > 0.01 * min(geom.area, place.area)


def _keep_places(frame: gpd.GeoDataFrame, res: Resolved) -> pd.Series:
    if not res.places:
        return pd.Series(True, index=frame.index)
    return frame.geometry.map(lambda g: any(_overlaps(g, p.geometry) for p in res.places))


def _empty_lists(frame: pd.DataFrame, columns: list[str]) -> None:
    for col in columns:
        if col not in frame.columns:
            frame[col] = [[] for _ in range(len(frame))]
        else:
            frame[col] = frame[col].map(lambda v: v if isinstance(v, list) else [])


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
    own = ctx.facts[ctx.facts["role"] != "layout_focus"]
    parks = parks.join(_industry_columns(ctx, own, "park"), on="id")
    via_layout = ctx.facts[ctx.facts["role"] == "layout_focus"]
    lay = _industry_columns(ctx, via_layout, "park")
    parks["layout_industries"] = parks["id"].map(lay["industries"] if len(lay) else {})
    parks["layout_sources"] = parks["id"].map(lay["fact_sources"] if len(lay) else {})
    _empty_lists(parks, ["industry_ids", "industries", "industries_en", "roles", "tiers", "fact_sources",
                         "layout_industries", "layout_sources"])

    named = kb.part_places[kb.part_places["place_type"] == "park"].merge(
        kb.layout_parts[["id", "layout"]], left_on="part", right_on="id", suffixes=("", "_p"))
    named_layouts = named.groupby("place")["layout"].agg(lambda s: list(dict.fromkeys(s))).to_dict()
    named_cites = named.groupby("place").apply(
        lambda g: [_cite(r.source, r.section) for r in g.itertuples()], include_groups=False).to_dict()
    cm = kb.cluster_members[kb.cluster_members["member_type"] == "park"]
    cl_names = dict(zip(kb.clusters["id"], kb.clusters["name"]))
    park_clusters = cm.groupby("member")["cluster"].agg(lambda s: [cl_names[c] for c in dict.fromkeys(s)]).to_dict()

    names = ctx.admin_names
    parks["city"] = parks["prefecture_adcode"].map(lambda c: names.get(c, ("", ""))[0])
    parks["city_en"] = parks["prefecture_adcode"].map(lambda c: names.get(c, ("", ""))[1])
    parks["county"] = parks["county_adcode"].map(lambda c: names.get(c, ("", ""))[0])
    parks["county_en"] = parks["county_adcode"].map(lambda c: names.get(c, ("", ""))[1])
    parks["aliases"] = parks["aliases"].map(split_list)
    parks["clusters"] = parks["id"].map(lambda i: park_clusters.get(i, []))
    parks["layouts"] = parks["id"].map(lambda i: named_layouts.get(i, []))
    parks["sources"] = [
        _merge_lists([_cite(s, sec)], fs, named_cites.get(i, []), ls)
        for i, s, sec, fs, ls in zip(parks["id"], parks["source"], parks["section"], parks["fact_sources"],
                                     parks["layout_sources"])
    ]
    if not include_unlocated:
        parks = parks[[ctx.park_points[i] is not None for i in parks["id"]]]
    parks["lon"] = parks["id"].map(lambda i: ctx.park_points[i].x if ctx.park_points[i] is not None else None)
    parks["lat"] = parks["id"].map(lambda i: ctx.park_points[i].y if ctx.park_points[i] is not None else None)
    gdf = gpd.GeoDataFrame(parks, geometry=[ctx.park_points[i] for i in parks["id"]], crs=WGS84)

    keep = _keep_facts(ctx, gdf, res, "park")
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
        codes = {p.id for p in res.places}
        keep &= pd.Series([
            bool(codes & {pc, cc, *split_list(oc)})
            for pc, cc, oc in zip(gdf["prefecture_adcode"], gdf["county_adcode"], gdf["other_county_adcodes"])
        ], index=gdf.index)
    gdf = gdf[keep.values]
    cols = ["id", "name", "full_name", "name_en", "aliases", "kind", "level", "city", "city_en",
            "prefecture_adcode", "county", "county_en", "county_adcode", "lon", "lat", "precision",
            "basis", "industries", "industries_en", "industry_ids", "roles", "tiers", "clusters",
            "layouts", "layout_industries", "sources", "external", "geometry"]
    return gdf[cols].reset_index(drop=True)


# ----------------------------------------------------------------------------- clusters

def _footprint(points: list) -> object:
    """Convex hull of member points buffered by ``settings.footprint_km``, computed in a projected CRS."""
    proj = gpd.GeoSeries([shapely.MultiPoint(points)], crs=WGS84).to_crs(DISTANCE)
    hull = proj.convex_hull.buffer(settings.footprint_km * 1000, quad_segs=8)
    return shapely.set_precision(hull.to_crs(WGS84).iloc[0], 1e-5)


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
    cache = ctx.__dict__.setdefault("_unfiltered", {})
    key = ("clusters", geometry)
    if key not in cache:  # the features do not depend on the filter: built once per context
        kb = ctx.kb
        tax = ctx.taxonomy
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
                    if ctx.park_points.get(m.member) is not None:
                        pts.append(ctx.park_points[m.member])
                else:
                    label = ctx.admin_names.get(m.member, (m.member, ""))[0]
                    geoms.append(ctx.admin_geom[(m.member_type, m.member)])
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
    keep = _keep_facts(ctx, gdf, res, "cluster") & _keep_places(gdf, res)
    if res.levels is not None:
        keep &= gdf["level"].isin(res.levels)
    if not include_unlocated:
        keep &= gdf.geometry.notna()
    if res.layouts is not None:
        zones = build_zones(ctx, Filter())
        union = shapely.union_all(zones.loc[zones["layout_id"].isin(res.layouts), "geometry"].values)
        keep &= gdf.geometry.map(lambda g: _overlaps(g, union))
    return gdf[keep.values].reset_index(drop=True)


# ----------------------------------------------------------------------------- zones, corridors

def _part_table(ctx: Context) -> pd.DataFrame:
    kb = ctx.kb
    parts = kb.layout_parts.drop(columns=["csv_line"]).merge(
        kb.layouts[["id", "name", "name_en", "year"]].rename(
            columns={"id": "layout_id", "name": "layout", "name_en": "layout_en"}),
        left_on="layout", right_on="layout_id", suffixes=("", "_layout"))
    parts = parts.drop(columns=["layout"]).rename(columns={"layout_layout": "layout"})
    if "layout" not in parts.columns:
        parts["layout"] = parts["layout_id"].map(dict(zip(kb.layouts["id"], kb.layouts["name"])))
    ind = _industry_columns(ctx, ctx.facts, "part")
    parts = parts.join(ind, on="id")
    _empty_lists(parts, ["industry_ids", "industries", "industries_en", "roles", "tiers", "fact_sources"])
    return parts


def _place_name(ctx: Context, place_type: str, place: str) -> str:
    if place_type == "park":
        return dict(zip(ctx.kb.parks["id"], ctx.kb.parks["name"])).get(place, place)
    return ctx.admin_names.get(place, (place, ""))[0]


def _part_places(ctx: Context, part: str, role: str) -> pd.DataFrame:
    pp = ctx.kb.part_places
    return pp[(pp["part"] == part) & (pp["role"] == role)].sort_values("seq", na_position="last")


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
    cache = ctx.__dict__.setdefault("_unfiltered", {})
    key = ("zones",)
    if key not in cache:  # the features do not depend on the filter: built once per context
        rows = []
        for p in _part_table(ctx).itertuples(index=False):
            members = _part_places(ctx, p.id, "member")
            named = pd.concat([_part_places(ctx, p.id, "park"), _part_places(ctx, p.id, "platform")])
            geoms = [ctx.admin_geom[(m.place_type, m.place)] for m in members.itertuples() if m.place_type != "park"]
            schematic = False
            if geoms:
                geom = shapely.coverage_union_all(geoms) if len(geoms) > 1 else geoms[0]
            elif pd.notna(p.center_lon) and pd.notna(p.radius_km):
                centre = gpd.GeoSeries([shapely.Point(p.center_lon, p.center_lat)], crs=WGS84).to_crs(DISTANCE)
                geom = shapely.set_precision(centre.buffer(p.radius_km * 1000, quad_segs=16).to_crs(WGS84).iloc[0], 1e-5)
                schematic = True
            elif p.kind == "zone" and any(ctx.park_points.get(n) is not None for n in named["place"]):
                geom = _footprint([ctx.park_points[n] for n in named["place"] if ctx.park_points.get(n) is not None])
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
    keep = _keep_facts(ctx, gdf, res, "part") & _keep_places(gdf, res)
    if res.layouts is not None:
        keep &= gdf["layout_id"].isin(res.layouts)
    return gdf[keep.values].reset_index(drop=True)


def build_corridors(ctx: Context, flt: Filter = Filter(), *, width_km: float | None = None) -> gpd.GeoDataFrame:
    """Corridors as schematic lines through their places in route order.

    Parameters
    ----------
    ctx, flt
        Context and filter.
    width_km
        When given, return buffer polygons of this total width (computed in EPSG:4545,
        CGCS2000 / Gauss-Kruger CM 111E) instead of lines.

    Returns
    -------
    geopandas.GeoDataFrame
        EPSG:4326 LineStrings (or Polygons), ``schematic`` is True, ``route`` lists the places.
    """
    res = ctx.resolve(flt)
    cache = ctx.__dict__.setdefault("_unfiltered", {})
    key = ("corridors",)
    if key not in cache:  # the features do not depend on the filter: built once per context
        rows = []
        for p in _part_table(ctx).itertuples(index=False):
            if p.kind != "corridor":
                continue
            route = _part_places(ctx, p.id, "route")
            pts = [ctx.seat_points.get(r.place, ctx.label_points.get(r.place)) if r.place_type != "park"
                   else ctx.park_points[r.place] for r in route.itertuples()]
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
    keep = _keep_facts(ctx, gdf, res, "part") & _keep_places(gdf, res)
    if res.layouts is not None:
        keep &= gdf["layout_id"].isin(res.layouts)
    gdf = gdf[keep.values].reset_index(drop=True)
    if width_km is not None:
        if width_km <= 0:
            raise ValueError(f"corridor width must be positive, got {width_km!r} km")
        buffered = gdf.to_crs(DISTANCE).buffer(width_km * 500, quad_segs=8).to_crs(WGS84)
        gdf = gdf.set_geometry(shapely.set_precision(buffered.values, 1e-5))
        gdf["width_km"] = float(width_km)
    return gdf


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
    county_parent = dict(zip(ctx.counties["adcode"], ctx.counties["parent_adcode"]))
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
