"""Knowledge base in, report tables out: policy vs catalogue, coverage per document, targets.

Pure functions of a :class:`~hunan_map.layers.builders.Context`; the CLI prints or writes them.
"""

from __future__ import annotations

import pandas as pd

from hunan_map.layers.context import Context
from hunan_map.layers.match import industry_ids, related

#: Roles of the policy facts that assign an industry to a park or a place.
POLICY_ROLES = ("core_carrier", "carrier", "relied_on", "lead", "named_focus", "member", "focus", "transfer",
                "layout_focus")
COMPARE_COLUMNS = ["status", "prefecture_adcode", "prefecture", "county_adcode", "county", "industry_id",
                   "industry", "industry_en", "plan_entities", "plan_sources", "zones", "zone_leads"]


def _policy_assignments(ctx: Context) -> pd.DataFrame:
    """(prefecture, county or '', industry, entity name, citation) for every located policy fact."""
    kb = ctx.kb
    kinds = dict(zip(kb.sources["id"], kb.sources.get("kind", pd.Series(["policy"] * len(kb.sources)))))
    facts = ctx.kb.facts[ctx.kb.facts["source"].map(lambda s: kinds.get(s, "policy") == "policy")
                      & ctx.kb.facts["role"].isin(POLICY_ROLES + ("cluster_industry",))]
    park_at = {r.id: (r.prefecture_adcode, r.county_adcode, r.name) for r in kb.parks.itertuples()}
    county_parent = dict(zip(ctx.geo.counties["adcode"], ctx.geo.counties["parent_adcode"]))
    members = kb.part_places[kb.part_places["role"] == "member"]
    places_of = {("part", k): list(zip(g["place_type"], g["place"])) for k, g in members.groupby("part")}
    places_of.update({("cluster", k): list(zip(g["member_type"], g["member"]))
                      for k, g in kb.cluster_members.groupby("cluster")})
    names = {("part", r.id): r.name for r in kb.layout_parts.itertuples()}
    names.update({("cluster", r.id): r.name for r in kb.clusters.itertuples()})
    rows = []
    for f in facts.itertuples(index=False):
        cite = f"{f.source} {f.section}"
        if f.entity_type == "park":
            pref, county, name = park_at.get(f.entity, ("", "", ""))
            if pref:
                rows.append((pref, county, f.industry, name, cite))
            continue
        name = names.get((f.entity_type, f.entity), f.entity)
        for place_type, place in places_of.get((f.entity_type, f.entity), []):
            if place_type == "prefecture":
                rows.append((place, "", f.industry, name, cite))
            elif place_type == "county":
                rows.append((county_parent.get(place, ""), place, f.industry, name, cite))
            elif place_type == "park" and place in park_at:
                rows.append((park_at[place][0], park_at[place][1], f.industry, name, cite))
    return pd.DataFrame(rows, columns=["prefecture_adcode", "county_adcode", "industry", "entity", "cite"])


def compare_catalogue(ctx: Context) -> pd.DataFrame:
    """Where the plans and the 2018 catalogue agree and differ, per place and industry.

    A plan fact placed in a county (a park's county) is compared with the lead industries of the
    catalogue's zones in that county; one placed only in a prefecture (a zone, a city cluster) with
    the zones of the whole prefecture. Industries match when they are the same or one lies above the
    other in the taxonomy or in a document's tree (电工电器 covers 电气机械器材's node and its children).

    Returns
    -------
    pandas.DataFrame
        Columns :data:`COMPARE_COLUMNS`; ``status`` is ``plan_only`` (a plan assigns the industry to
        the place, no zone there lists it as a lead industry), ``catalogue_only`` (a zone's lead
        industry that no plan assigns to its county or prefecture) or ``both``.
    """
    kb = ctx.kb
    tax = ctx.kb.taxonomy
    names = ctx.geo.admin_names
    plan = _policy_assignments(ctx)
    zones = kb.parks[kb.parks["catalogue_code"] != ""][["id", "name", "prefecture_adcode", "county_adcode"]]
    leads = kb.park_industries[kb.park_industries["role"] == "catalogue_lead"].merge(
        zones, left_on="park", right_on="id")
    out = []

    by_county = {k: g for k, g in leads.groupby("county_adcode")}
    by_pref = {k: g for k, g in leads.groupby("prefecture_adcode")}
    empty = leads.iloc[0:0]
    for (pref, county, ind), grp in plan.groupby(["prefecture_adcode", "county_adcode", "industry"], sort=True):
        here = by_county.get(county, empty) if county else by_pref.get(pref, empty)
        hit = here[[related(ctx.kb, ind, z) for z in here["industry"]]] if len(here) else here
        out.append({
            "status": "both" if len(hit) else "plan_only", "prefecture_adcode": pref,
            "prefecture": names.get(pref, ("", ""))[0], "county_adcode": county,
            "county": names.get(county, ("", ""))[0] if county else "", "industry_id": ind,
            "industry": tax.name(ind), "industry_en": tax.name_en(ind),
            "plan_entities": sorted(set(grp["entity"])), "plan_sources": sorted(set(grp["cite"])),
            "zones": sorted(set(hit["name"])), "zone_leads": sorted(set(hit["wording"])) if "wording" in hit else [],
        })
    plan_county = plan.groupby("county_adcode")["industry"].agg(set).to_dict()
    plan_pref = plan[plan["county_adcode"] == ""].groupby("prefecture_adcode")["industry"].agg(set).to_dict()
    for (pref, county, ind), grp in leads.groupby(["prefecture_adcode", "county_adcode", "industry"], sort=True):
        near = plan_county.get(county, set()) | plan_pref.get(pref, set())
        if any(related(ctx.kb, ind, p) for p in near):
            continue
        out.append({
            "status": "catalogue_only", "prefecture_adcode": pref, "prefecture": names.get(pref, ("", ""))[0],
            "county_adcode": county, "county": names.get(county, ("", ""))[0], "industry_id": ind,
            "industry": tax.name(ind), "industry_en": tax.name_en(ind), "plan_entities": [], "plan_sources": [],
            "zones": sorted(set(grp["name"])), "zone_leads": sorted(set(grp["wording"])),
        })
    frame = pd.DataFrame(out, columns=COMPARE_COLUMNS)
    order = {"plan_only": 0, "catalogue_only": 1, "both": 2}
    return frame.sort_values(["status", "prefecture_adcode", "county_adcode", "industry_id"],
                             key=lambda s: s.map(order) if s.name == "status" else s).reset_index(drop=True)


def coverage_summary(ctx: Context) -> pd.DataFrame:
    """Per source: sections in the ledger, sections with rows, and how many facts of each kind."""
    kb = ctx.kb
    rows = []
    for src in kb.sources["id"]:
        ledger = kb.coverage[kb.coverage["source"] == src]
        facts = ctx.kb.facts[ctx.kb.facts["source"] == src]
        rows.append({
            "source": src,
            "sections": len(ledger),
            "sections_with_rows": int((ledger["tables"] != "").sum()),
            "sections_without": int((ledger["tables"] == "").sum()),
            "parks_and_platforms": int((kb.parks["source"] == src).sum()),
            "industry_links": len(facts[facts["entity_type"] == "park"]),
            "clusters": int((kb.clusters["source"] == src).sum()),
            "cluster_members": int((kb.cluster_members["source"] == src).sum()),
            "layout_parts": int(kb.layout_parts["layout"].isin(kb.layouts.loc[kb.layouts["source"] == src, "id"]).sum()),
            "tree_nodes": int((kb.industry_trees["source"] == src).sum()),
            "tiers": int(((kb.industry_tiers["source"] == src) & (kb.industry_tiers["tier"] != "sub_sector")).sum()),
            "targets": int((kb.targets["source"] == src).sum()),
        })
    return pd.DataFrame(rows)


def targets(ctx: Context, *, source: list[str] | None = None, industry: str | None = None,
            year: list[str] | None = None) -> pd.DataFrame:
    """Numeric targets (and baselines) with readable subjects and industries.

    Parameters
    ----------
    source, year
        Keep these documents / target years.
    industry
        Keep targets about this industry (any name) or one below it.
    """
    kb = ctx.kb
    t = kb.targets.drop(columns=["csv_line"]).copy()
    if source:
        t = t[t["source"].isin(source)]
    if year:
        t = t[t["year"].isin([float(y) for y in year])]
    if industry:
        ids = industry_ids(ctx.kb, [industry])
        t = t[t["industry"].isin(ids)]
    names = {**{r.id: r.name for r in kb.parks.itertuples()}, **{r.id: r.name for r in kb.clusters.itertuples()},
             **{r.id: r.name for r in kb.layout_parts.itertuples()},
             **{k: v[0] for k, v in ctx.geo.admin_names.items()}}
    t["subject_name"] = [("湖南省" if st == "province" else names.get(s, s)) for st, s in zip(t["subject_type"], t["subject"])]
    t["industry_name"] = [ctx.kb.taxonomy.name(i) if i else "" for i in t["industry"]]
    t["year"] = t["year"].map(lambda y: "" if pd.isna(y) else str(int(y)))
    cols = ["id", "kind", "source", "section", "subject_type", "subject", "subject_name", "industry",
            "industry_name", "metric", "comparator", "value", "unit", "year", "note"]
    return t[cols].reset_index(drop=True)
