"""Helpers the layer builders share: facts in, per-entity list columns, citations and place tests out."""

from __future__ import annotations

import geopandas as gpd
import pandas as pd
import shapely

from hunan_map.geo.crs import DISTANCE, WGS84
from hunan_map.layers import settings
from hunan_map.layers.context import Context
from hunan_map.layers.match import Resolved


def _cite(source: str, section: str) -> str:
    return f"{source} {section}".strip()


def _industry_columns(ctx: Context, facts: pd.DataFrame, entity_type: str) -> pd.DataFrame:
    """Per entity: industries (zh/en), roles, tiers and citations from the long form."""
    tax = ctx.kb.taxonomy
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


def _overlaps(geom, place) -> bool:
    from hunan_map.layers.places import _overlaps as overlaps

    return overlaps(geom, place)


def _keep_places(frame: gpd.GeoDataFrame, res: Resolved, entity_type: str) -> pd.Series:
    from hunan_map.layers.places import in_places

    return in_places(res, entity_type, frame["id"], frame.geometry)


def _empty_lists(frame: pd.DataFrame, columns: list[str]) -> None:
    for col in columns:
        if col not in frame.columns:
            frame[col] = [[] for _ in range(len(frame))]
        else:
            frame[col] = frame[col].map(lambda v: v if isinstance(v, list) else [])


def _footprint(points: list) -> object:
    """Convex hull of member points buffered by ``settings.footprint_km``, computed in a projected CRS."""
    proj = gpd.GeoSeries([shapely.MultiPoint(points)], crs=WGS84).to_crs(DISTANCE)
    hull = proj.convex_hull.buffer(settings.footprint_km * 1000, quad_segs=8)
    return shapely.set_precision(hull.to_crs(WGS84).iloc[0], 1e-5)


def _add_match(ctx: Context, gdf: pd.DataFrame, res: Resolved, entity_type: str) -> pd.DataFrame:
    """Add ``match`` (the kinds by which each row answers the asked industry, in :data:`KINDS` order)
    and ``matched`` (one "wording [kind] source section" per matching fact); empty lists when no
    industry, tier or role is asked."""
    from hunan_map.layers.match import KINDS, describe_match, matching_facts

    gdf = gdf.copy()
    if not res.on_facts() or not len(gdf):
        gdf["match"] = [[] for _ in range(len(gdf))]
        gdf["matched"] = [[] for _ in range(len(gdf))]
        return gdf
    mf = matching_facts(ctx.kb, res, entity_type)
    mf = mf[mf["entity"].isin(set(gdf["id"]))]
    kinds = mf.groupby("entity")["match"].agg(lambda s: [k for k in KINDS if k in set(s)]).to_dict()
    texts = describe_match(ctx.kb, mf)
    gdf["match"] = [kinds.get(i, []) for i in gdf["id"]]
    gdf["matched"] = [texts.get(i, []) for i in gdf["id"]]
    return gdf
