"""The documents in date order and the facts that answer a place or an industry in, what each document
gives (rows x documents) out: each cell's facts with role and citation, how it matched, and a status
per step (``new``, ``kept``, ``dropped``, ``out_of_scope``, ``absent``), claimed only where both
documents' scopes cover the place and the industry.

Scope: a document covers a place when its ``geo_scope`` contains it (cs2021: Changsha only) and, for a
place's timeline, when it says anything at all about the place (hn2023 names a handful of places: it is
out of scope for the others, not a document that "dropped" them); it covers an industry when its
``industry_scope`` is ``all`` or the industry is in its own tree (hn2021sei: strategic emerging only).
A step compares a document with the last earlier one in scope."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pandas as pd

from hunan_map.layers.answers import entity_scope
from hunan_map.layers.answers import facts as answer_facts
from hunan_map.layers.builders import build_clusters, build_parks
from hunan_map.layers.areas import build_corridors, build_zones
from hunan_map.layers.context import Context
from hunan_map.layers.errors import UnknownValueError
from hunan_map.layers.match import Filter, catalogue_sources, matching_facts, tree_of
from hunan_map.layers.places import park_codes

STATUSES = ("new", "kept", "dropped", "out_of_scope", "absent")
COLUMNS = ["row_type", "row_id", "row", "document", "date", "present", "facts", "status"]
#: Best presence first: how a document's facts cover a row's industry.
PRESENCE = ("exact", "narrower", "layout", "catalogue")
PROVINCE = "430000"


def documents(ctx: Context, *, start: str | None = None, end: str | None = None,
              sources: set[str] | None = None) -> list[str]:
    """Source ids in date order (date, else year), from ``start`` to ``end`` inclusive; with both
    given, just those two."""
    src = ctx.kb.sources
    key = {r.id: (str(r.date) or f"{int(r.year)}-00-00") for r in src.itertuples(index=False)}
    for value, name in ((start, "--from"), (end, "--to")):
        if value is not None and value not in key:
            exc = UnknownValueError(f"no document {value!r}; use one of {', '.join(sorted(key))}")
            exc.option = name
            raise exc
    order = sorted(key, key=lambda s: (key[s], s))
    if sources is not None:
        order = [s for s in order if s in sources | {start, end}]
    if start is not None and end is not None:
        return sorted({start, end}, key=lambda s: (key[s], s))
    lo = order.index(start) if start is not None else 0
    hi = order.index(end) + 1 if end is not None else len(order)
    return order[lo:hi]


def _dates(ctx: Context) -> dict[str, str]:
    return {r.id: (str(r.date) or str(int(r.year))) for r in ctx.kb.sources.itertuples(index=False)}


def _scope(ctx: Context) -> dict[str, tuple[str, str]]:
    src = ctx.kb.sources
    geo = src["geo_scope"] if "geo_scope" in src else pd.Series([""] * len(src))
    ind = src["industry_scope"] if "industry_scope" in src else pd.Series([""] * len(src))
    return {s: (g or PROVINCE, i or "all") for s, g, i in zip(src["id"], geo, ind)}


def _prefectures_of(ctx: Context, codes: set[str]) -> set[str]:
    parent = dict(zip(ctx.geo.counties["adcode"], ctx.geo.counties["parent_adcode"]))
    return {parent.get(c, c) for c in codes if c}


def geo_in_scope(ctx: Context, doc: str, prefectures: set[str]) -> bool:
    """Whether a document covers a place (given as the prefectures it lies in)."""
    area = _scope(ctx)[doc][0]
    return area == PROVINCE or area in prefectures


def industry_in_scope(ctx: Context, doc: str, industry: str) -> bool:
    """Whether a document speaks of an industry at all: every industry for a general plan; for one on
    strategic emerging industries, those its own tree lists and what lies below them (汽车 is out of
    hn2021sei's scope though 新能源汽车 is in it)."""
    if _scope(ctx)[doc][1] == "all":
        return True
    tax = ctx.kb.taxonomy
    own = set(ctx.kb.industry_trees.loc[ctx.kb.industry_trees["source"] == doc, "industry"])
    own |= set(ctx.kb.industry_tiers.loc[ctx.kb.industry_tiers["source"] == doc, "industry"])
    return industry in own or bool(own & set(tax.up(industry, doc)))


def _presence(ctx: Context, row: str, fact_industry: str, source: str, role: str) -> str:
    """How a fact covers a row's industry: exact, narrower (below it in the shared tree or the fact's
    document's tree), or "" (a fact on a parent does not count: 航空航天 in 2013 is not 北斗)."""
    tax = ctx.kb.taxonomy
    tree = tree_of(ctx.kb, source, role)
    if fact_industry == row:
        return "exact"
    if fact_industry in tax.down(row, tree):
        return "narrower"
    return ""


def _statuses(cells: list[dict], docs: list[str]) -> None:
    """Fill ``status`` of one row's cells (one per document, in order): change is claimed only
    between documents whose scopes both cover the row."""
    previous = None
    for cell in cells:
        if not cell["in_scope"]:
            cell["status"] = "out_of_scope"
            continue
        here = bool(cell["present"])
        if here:
            cell["status"] = "kept" if previous is not None and previous["present"] else "new"
        else:
            cell["status"] = "dropped" if previous is not None and previous["present"] else "absent"
        previous = cell


def _cell_text(f) -> str:
    words = f.wording or f.industry_name
    return f"{f.entity_name} · {words} ({f.role}) {f.source} {f.section}".strip()


def by_place(ctx: Context, place: str, docs: list[str], flt: Filter = Filter()) -> pd.DataFrame:
    """Industries x documents for one place (any name :func:`~hunan_map.layers.match.resolve` takes)."""
    res = ctx.resolve(replace(flt, place=(place,)))
    hit = res.places[0]
    every = answer_facts(ctx, replace(flt, place=(place,)))
    every = every[every["source"].isin(docs)]
    if hit.kind == "park":
        prefs = _prefectures_of(ctx, park_codes(ctx.kb)[hit.id])
    elif hit.kind in ("prefecture", "county"):
        prefs = _prefectures_of(ctx, {hit.id})
    else:
        prefs = {PROVINCE}
    rows = list(dict.fromkeys(every["industry"]))
    tax = ctx.kb.taxonomy
    speaks = set(every["source"])  # a document that says nothing at all about the place is out of its scope
    out = []
    for ind in rows:
        cells = []
        for doc in docs:
            mine = every[every["source"] == doc]
            kinds = [(_presence(ctx, ind, f.industry, f.source, f.role), f) for f in mine.itertuples(index=False)]
            kinds = [(k, f) for k, f in kinds if k]
            best = min((PRESENCE.index(k) for k, _f in kinds), default=None)
            present = PRESENCE[best] if best is not None else ""
            cells.append({"row_type": "industry", "row_id": ind, "row": tax.name(ind), "document": doc,
                          "present": present, "facts": [_cell_text(f) for k, f in kinds if k == present],
                          "in_scope": doc in speaks and (prefs == {PROVINCE} or geo_in_scope(ctx, doc, prefs)
                                                         or hit.kind == "part") and industry_in_scope(ctx, doc, ind)})
        _statuses(cells, docs)
        out.extend(cells)
    return _frame(ctx, out)


def _entity_prefectures(ctx: Context) -> dict[tuple[str, str], set[str]]:
    """(entity_type, id) -> the prefectures it lies in or has members in."""
    kb = ctx.kb
    out: dict[tuple[str, str], set[str]] = {}
    codes_of = park_codes(kb)
    for pid, codes in codes_of.items():
        out[("park", pid)] = _prefectures_of(ctx, codes)
    for c in kb.cluster_members.itertuples(index=False):
        codes = codes_of.get(c.member, set()) if c.member_type == "park" else {c.member}
        out.setdefault(("cluster", c.cluster), set()).update(_prefectures_of(ctx, codes))
    for p in kb.part_places[kb.part_places["role"].isin(["member", "route", "park"])].itertuples(index=False):
        codes = codes_of.get(p.place, set()) if p.place_type == "park" else {p.place}
        out.setdefault(("part", p.part), set()).update(_prefectures_of(ctx, codes))
    return out


def by_industry(ctx: Context, industry: str, docs: list[str], flt: Filter = Filter()) -> pd.DataFrame:
    """Prefectures x documents for one industry: where each document places it."""
    res = ctx.resolve(replace(flt, industry=(industry,)))
    asked = res.asked[0]
    lf = _allowed(ctx, matching_facts(ctx.kb, res), flt)
    lf = lf[lf["source"].isin(docs)]
    names = {**dict(zip(ctx.kb.parks["id"], ctx.kb.parks["name"])), **dict(zip(ctx.kb.clusters["id"], ctx.kb.clusters["name"])),
             **dict(zip(ctx.kb.layout_parts["id"], ctx.kb.layout_parts["name"]))}
    lf = lf.assign(entity_name=lf["entity"].map(names), industry_name=lf["industry"].map(ctx.kb.taxonomy.name))
    where = _entity_prefectures(ctx)
    order = list(ctx.geo.prefectures["adcode"])
    label = dict(zip(ctx.geo.prefectures["adcode"], ctx.geo.prefectures["name"]))
    out = []
    for pref in order:
        cells = []
        for doc in docs:
            inside = np.array([pref in where.get((t, e), set()) for t, e in zip(lf["entity_type"], lf["entity"])], dtype=bool)
            mine = lf[(lf["source"] == doc).to_numpy() & inside]
            kinds = [k for k in PRESENCE if (mine["match"] == k).any()]
            present = kinds[0] if kinds else ""
            cells.append({"row_type": "prefecture", "row_id": pref, "row": label[pref], "document": doc,
                          "present": present, "facts": [_cell_text(f) for f in mine.itertuples(index=False)
                                                        if f.match == present],
                          "in_scope": geo_in_scope(ctx, doc, {pref}) and industry_in_scope(ctx, doc, asked)})
        _statuses(cells, docs)
        out.extend(cells)
    return _frame(ctx, out)


def by_entity(ctx: Context, docs: list[str], flt: Filter = Filter()) -> pd.DataFrame:
    """Entities x documents: which parks, platforms, clusters and layout parts each document names
    (with a fact that answers the filter): the map's compare mode counts these."""
    res = ctx.resolve(flt)
    lf = _allowed(ctx, matching_facts(ctx.kb, res), flt)
    lf = lf[lf["source"].isin(docs)]
    drawn = {("park", i) for i in build_parks(ctx, kinds="all")["id"]}
    drawn |= {("cluster", i) for i in build_clusters(ctx)["id"]}
    drawn |= {("part", i) for i in pd.concat([build_zones(ctx)["id"], build_corridors(ctx)["id"]])}
    where = _entity_prefectures(ctx)
    names = {**dict(zip(ctx.kb.parks["id"], ctx.kb.parks["name"])), **dict(zip(ctx.kb.clusters["id"], ctx.kb.clusters["name"])),
             **dict(zip(ctx.kb.layout_parts["id"], ctx.kb.layout_parts["name"]))}
    has = {(t, e, s) for t, e, s in zip(lf["entity_type"], lf["entity"], lf["source"])}
    cites = lf.groupby(["entity_type", "entity", "source"])["section"].agg(lambda s: sorted(set(s))).to_dict()
    out = []
    for etype, ent in sorted({(t, e) for t, e, _s in has if (t, e) in drawn}):
        cells = []
        for doc in docs:
            present = "named" if (etype, ent, doc) in has else ""
            cells.append({"row_type": etype, "row_id": ent, "row": names.get(ent, ent), "document": doc,
                          "present": present, "facts": [f"{doc} {s}" for s in cites.get((etype, ent, doc), [])],
                          "in_scope": geo_in_scope(ctx, doc, where.get((etype, ent), set()) or {PROVINCE})})
        _statuses(cells, docs)
        out.extend(cells)
    return _frame(ctx, out)


def _allowed(ctx: Context, lf: pd.DataFrame, flt: Filter) -> pd.DataFrame:
    """The facts whose entity the filter's level and layout allow (the place is each mode's own)."""
    allowed = entity_scope(ctx, flt)
    if allowed is None:
        return lf
    return lf[[e in allowed.get(t, set()) for t, e in zip(lf["entity_type"], lf["entity"])]]


def _frame(ctx: Context, cells: list[dict]) -> pd.DataFrame:
    dates = _dates(ctx)
    frame = pd.DataFrame(cells, columns=[*COLUMNS, "in_scope"])
    frame["date"] = frame["document"].map(dates)
    return frame[COLUMNS].reset_index(drop=True)


def timeline(ctx: Context, *, place: str | None = None, industry: str | None = None, start: str | None = None,
             end: str | None = None, flt: Filter = Filter()) -> pd.DataFrame:
    """What each document gives a place (industries x documents), an industry (prefectures x documents)
    or, with neither, each entity (entities x documents), in date order.

    Parameters
    ----------
    place, industry
        One of them (any name); with neither, ``start`` and ``end`` compare which entities two documents name.
    start, end
        Document ids: the first and last document (both: just those two). The policy documents by
        default; the 2018 catalogue when ``--source`` or ``start``/``end`` name it.
    flt
        Further filters (tier, role, level, source ...), applied to the facts.

    Returns
    -------
    pandas.DataFrame
        :data:`COLUMNS`, one row per (row, document); ``present`` is how the document covers the row
        (``exact``, ``narrower``, ``layout``, ``catalogue``, ``broader``, ``named``; "" when it does not),
        ``facts`` the cell's facts with role and citation, ``status`` one of :data:`STATUSES`.
    """
    if place and industry:
        exc = UnknownValueError("give --place or --industry, not both (a place's industries, or an industry's places)")
        exc.option = "--industry"
        raise exc
    sources = ctx.resolve(flt).sources
    if sources is None and not ({start, end} & catalogue_sources(ctx.kb)):
        sources = set(ctx.kb.sources["id"]) - catalogue_sources(ctx.kb)  # plans only, unless the catalogue is asked
    docs = documents(ctx, start=start, end=end, sources=sources)
    if place:
        return by_place(ctx, place, docs, flt)
    if industry:
        return by_industry(ctx, industry, docs, replace(flt, industry=()))
    return by_entity(ctx, docs, flt)


def first_placed(frame: pd.DataFrame) -> tuple[str, list[str]] | None:
    """The first document that gives a row anything, and the rows it gives: (document, rows)."""
    present = frame[frame["present"] != ""]
    if not len(present):
        return None
    first = present.sort_values(["date", "document"], kind="stable").iloc[0]["document"]
    return first, list(dict.fromkeys(present.loc[present["document"] == first, "row"]))
