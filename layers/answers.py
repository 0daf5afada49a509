"""A filter in, the facts that answer it out: one row per entity, industry and cited fact, with the
entity's name, the fact's own wording, how it matched the asked industry (``match``) and how the
entity belongs to the asked place (``via``); and one place's whole record (:func:`profile`)."""

from __future__ import annotations

import pandas as pd

from hunan_map.layers.builders import build_clusters, build_parks
from hunan_map.layers.areas import build_corridors, build_zones
from hunan_map.layers.context import Context
from hunan_map.layers.match import Filter, catalogue_sources, level_class, matching_facts

COLUMNS = ["entity_type", "entity", "entity_name", "industry", "industry_name", "industry_en", "wording", "role",
           "match", "via", "origin", "source", "section"]


def _names(ctx: Context) -> dict[str, str]:
    kb = ctx.kb
    return {**dict(zip(kb.parks["id"], kb.parks["name"])), **dict(zip(kb.clusters["id"], kb.clusters["name"])),
            **dict(zip(kb.layout_parts["id"], kb.layout_parts["name"]))}


def entity_scope(ctx: Context, flt: Filter) -> dict[str, set[str]] | None:
    """Entity ids per type that the filter's level and layout allow (None: all); used by the timeline too."""
    if not (flt.level or flt.layout):
        return None
    where = Filter(level=flt.level, layout=flt.layout)
    out = {"park": set(build_parks(ctx, where, kinds="all", include_unlocated=True)["id"]),
           "cluster": set(build_clusters(ctx, where, include_unlocated=True)["id"])}
    if flt.level:  # layout parts have no level
        out["part"] = set()
    else:
        out["part"] = set(build_zones(ctx, where)["id"]) | set(build_corridors(ctx, where)["id"])
    return out


def facts(ctx: Context, flt: Filter = Filter()) -> pd.DataFrame:
    """Every fact that answers the filter (all options on the same fact; place, level and layout on
    its entity), with :data:`COLUMNS`.

    ``via`` says how the entity belongs to the asked place: ``own`` (it is the place), ``located``,
    ``member`` or ``layout`` (see :mod:`hunan_map.layers.places`); empty when no place is asked.
    For a park asked as the place, the facts of the clusters and layout parts it belongs to are
    already its own rows (``origin`` member / layout), so only its own rows are listed.
    """
    res = ctx.resolve(flt)
    lf = matching_facts(ctx.kb, res)
    allowed = entity_scope(ctx, flt)
    if allowed is not None:
        lf = lf[[e in allowed.get(t, set()) for t, e in zip(lf["entity_type"], lf["entity"])]]
    via = pd.Series("", index=lf.index, dtype=object)
    if res.entities is not None:
        wanted = set(zip(res.entities["entity_type"], res.entities["entity"]))
        lf = lf[[(t, e) in wanted for t, e in zip(lf["entity_type"], lf["entity"])]]
        via = via[lf.index]
        ways = {(t, e): v for t, e, v in zip(res.entities["entity_type"], res.entities["entity"], res.entities["via"])}
        via = pd.Series([ways.get((t, e), "") for t, e in zip(lf["entity_type"], lf["entity"])], index=lf.index,
                        dtype=object)
        if all(p.kind == "park" for p in res.places):  # a park's clusters and parts are in its own rows
            keep = (lf["entity_type"] == "park").values
            lf, via = lf[keep], via[keep]
        own = (via == "own").values
        # what the place itself inherits says through what: a cluster (member) or a layout part (layout)
        via = via.where(~(own & (lf["origin"] == "member").values), "member")
        via = via.where(~(own & (lf["origin"] == "layout").values), "layout")
        catalogue = lf["source"].isin(catalogue_sources(ctx.kb)).values
        via = via.where(~(catalogue & (via == "own").values), "catalogue")
    tax = ctx.kb.taxonomy
    out = lf.assign(entity_name=lf["entity"].map(_names(ctx)), industry_name=lf["industry"].map(tax.name),
                    industry_en=lf["industry"].map(tax.name_en), via=via.values)
    return out[COLUMNS].reset_index(drop=True)


def levels_of(ctx: Context) -> dict[tuple[str, str], str]:
    """(entity_type, id) -> national, provincial, other or "" (layout parts have none)."""
    kb = ctx.kb
    out = {("park", r.id): level_class(r.level) for r in kb.parks.itertuples(index=False)}
    out.update({("cluster", r.id): level_class(r.level) for r in kb.clusters.itertuples(index=False)})
    return out


#: Sections of a profile, in the order they are printed.
PROFILE_PARTS = ("place", "facts", "inherited", "catalogue")


def profile(ctx: Context, place: str, flt: Filter = Filter()) -> dict[str, pd.DataFrame]:
    """One place's whole record: every fact about it, grouped by document in date order.

    Parameters
    ----------
    place
        A prefecture, county, park, platform, catalogue zone or layout part (any name, alias or id).
    flt
        Further filters (industry, source, role, tier ...); ``place`` is this function's.

    Returns
    -------
    dict of pandas.DataFrame
        ``place``: one row (kind, id, name, prefecture, county, lon, lat, precision, basis);
        ``facts``: the place's own facts, or for a city or county the facts of what lies in it
        (document order: year, then source; with section, role, wording, match and ``via``);
        ``inherited``: what a park, platform or part inherits through layouts and clusters, apart
        from its own facts; ``catalogue``: its 2018 catalogue entry (code, approval, area, level,
        lead industries as the catalogue words them), empty when it has none; for a city, county or
        layout part, the catalogue facts of the zones that lie in it.
    """
    from dataclasses import replace

    res = ctx.resolve(replace(flt, place=(place,)))
    hit = res.places[0]
    kb = ctx.kb
    info = {"kind": hit.kind, "id": hit.id, "name": hit.name, "prefecture": "", "county": "", "lon": None,
            "lat": None, "precision": hit.precision, "basis": ""}
    names = ctx.geo.admin_names
    row = kb.parks[kb.parks["id"] == hit.id]
    if hit.kind == "park" and len(row):
        r = row.iloc[0]
        pt = ctx.geo.park_points.get(hit.id)
        info.update(prefecture=names.get(r.prefecture_adcode, ("", ""))[0], county=names.get(r.county_adcode, ("", ""))[0],
                    lon=None if pt is None else pt.x, lat=None if pt is None else pt.y, precision=r.precision,
                    basis=r.basis, level=r.level, park_kind=r.kind)
    elif hit.kind in ("prefecture", "county"):
        info.update(prefecture=names.get(hit.prefecture_adcode, ("", ""))[0],
                    county=hit.name if hit.kind == "county" else "")
    every = facts(ctx, replace(flt, place=(place,)))
    years = kb.source_years
    every = every.assign(year=every["source"].map(lambda s: years.get(s, 0)))
    every = every.sort_values(["year", "source", "entity_type", "entity_name"], kind="stable")
    catalogue = every["source"].isin(catalogue_sources(kb))
    inherited = every["via"].isin(["member", "layout"]) & (hit.kind in ("park", "part"))
    cat = pd.DataFrame()
    if hit.kind == "park" and len(row) and row.iloc[0].get("catalogue_code", ""):
        r = row.iloc[0]
        leads = every.loc[catalogue, "wording"].where(every.loc[catalogue, "wording"] != "",
                                                      every.loc[catalogue, "industry_name"])
        cat = pd.DataFrame([{"code": r.catalogue_code, "name": r.full_name, "level_2018": r.level,
                             "approved": r.approved, "area_ha": r.area_ha,
                             "lead_industries": list(dict.fromkeys(leads)), "source": "cat2018"}])
    elif catalogue.any():  # a city, county or part: the catalogue zones that lie in it, with their leads
        cat = every[catalogue].reset_index(drop=True)
    return {"place": pd.DataFrame([info]), "facts": every[~catalogue & ~inherited].reset_index(drop=True),
            "inherited": every[inherited].reset_index(drop=True), "catalogue": cat}


def gis_tables(ctx: Context, flt: Filter = Filter()) -> dict[str, pd.DataFrame]:
    """The tables that let a GIS reproduce ``--industry`` with one join (written into ``export all`` GeoPackages).

    ``facts``: the facts that answer the filter, one row per entity, industry, role, source and section,
    with ``answers_to`` and ``answers_to_names``: every industry id (name) the fact answers to, wrapped in
    ``;`` (``;nev;nev_icv;automotive;``), so ``"answers_to" LIKE '%;nev;%'`` selects the facts that answer
    新能源汽车 exactly as the CLI does (kinds exact, narrower, layout and catalogue).
    ``industries``: every industry with its parent, its ancestors (same ``;`` form), aliases and English name.
    """
    from hunan_map.layers.match import match_keys

    kb = ctx.kb
    tax = kb.taxonomy
    lf = facts(ctx, flt)
    keys = [match_keys(kb, i, s, r) for i, s, r in zip(lf["industry"], lf["source"], lf["role"])]
    lf = lf.assign(answers_to=[";" + ";".join(k) + ";" for k in keys],
                   answers_to_names=[";" + ";".join(tax.name(i) for i in k) + ";" for k in keys])
    ind = kb.industries[["id", "name", "name_en", "parent", "aliases"]].copy()
    ind["ancestors"] = [";" + ";".join(tax.up(i)) + ";" if tax.up(i) else "" for i in ind["id"]]
    ind["ancestor_names"] = [";" + ";".join(tax.name(a) for a in tax.up(i)) + ";" if tax.up(i) else "" for i in ind["id"]]
    return {"facts": lf.reset_index(drop=True), "industries": ind.reset_index(drop=True)}
