"""Whether a fact answers a question: a filter (user values) in, resolved ids and the matching facts out.

This is the one module that expands industries and sources; builders, reports, the page and the
CLI ask it.

Options AND together; repeated values of one option OR together. Industries match by any name,
alias, English name or id and include their descendants in the taxonomy. Unknown values raise
:class:`UnknownValueError` listing the closest known values.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Iterable

import pandas as pd

from hunan_map.geo.gazetteer import normalize
from hunan_map.layers.errors import UnknownValueError
from hunan_map.layers.kb import KnowledgeBase
from hunan_map.layers.kb.taxonomy import Taxonomy, closest


def _tuple(value: str | Iterable[str] | None) -> tuple[str, ...]:
    if value is None:
        return ()
    if isinstance(value, (str, int)):
        return (str(value),)
    return tuple(str(v) for v in value)


@dataclass(frozen=True)
class Filter:
    """What a user asked for; every field is a tuple of values (OR) and fields AND together."""

    industry: tuple[str, ...] = ()
    tier: tuple[str, ...] = ()
    layout: tuple[str, ...] = ()
    source: tuple[str, ...] = ()
    year: tuple[str, ...] = ()
    place: tuple[str, ...] = ()
    role: tuple[str, ...] = ()
    level: tuple[str, ...] = ()
    broader: bool = False

    @classmethod
    def make(cls, *, industry=None, tier=None, layout=None, source=None, year=None, place=None,
             role=None, level=None, broader: bool = False) -> "Filter":
        """Build a filter from strings or lists of strings; ``broader`` also matches facts on a parent
        of the asked industry (match kind ``broader``)."""
        return cls(_tuple(industry), _tuple(tier), _tuple(layout), _tuple(source), _tuple(year), _tuple(place),
                   _tuple(role), _tuple(level), bool(broader))

    def is_empty(self) -> bool:
        """True when nothing is filtered."""
        return not any((self.industry, self.tier, self.layout, self.source, self.year, self.place,
                        self.role, self.level))


#: The filter options, and which of them each layer honours; any other option given for a layer is
#: refused (:func:`check_applies`), never silently ignored.
OPTIONS = ("industry", "tier", "layout", "source", "year", "place", "role", "level", "broader")
APPLIES: dict[str, tuple[str, ...]] = {
    **{name: OPTIONS for name in ("parks", "platforms", "clusters", "facts", "park-zones", "prefectures",
                                  "counties", "profile")},
    "timeline": tuple(o for o in OPTIONS if o != "broader"),
    "zones": tuple(o for o in OPTIONS if o != "level"),
    "corridors": tuple(o for o in OPTIONS if o != "level"),
}
#: Why an option does not apply to a layer (said when it is refused).
NOT_APPLICABLE = {"level": "layout zones and corridors have no approval level"}


def check_applies(layer: str, given) -> None:
    """Refuse a filter option that ``layer`` cannot honour, naming where it applies.

    Raises
    ------
    UnknownValueError
        With ``option`` set to the command-line option (a usage error, exit 2, in the CLI).
    """
    allowed = APPLIES.get(layer, OPTIONS)
    for name in given:
        if name in OPTIONS and name not in allowed:
            where = ", ".join(k for k, v in APPLIES.items() if name in v)
            exc = UnknownValueError(f"--{name} does not apply to {layer} ({NOT_APPLICABLE.get(name, 'not a property of it')}); "
                                    f"it applies to {where}")
            exc.option = f"--{name}"
            raise exc


#: Roles a fact can have (what --role takes), with the words users may type for them.
ROLES = {
    "core_carrier": ("核心载体",), "carrier": ("载体",), "relied_on": ("依托",), "lead": ("牵头", "引领"),
    "named_focus": ("重点园区",), "focus": ("重点",), "transfer": ("承接",), "member": ("成员", "集群成员"),
    "layout_focus": ("布局",), "cluster_industry": ("集群",), "catalogue_lead": ("主导产业", "目录"),
}
LEVELS = ("national", "provincial", "other")
#: A cluster's level (clusters.csv) as one of :data:`LEVELS` (what --level compares).
CLUSTER_LEVELS = {"world_class_target": "national", "national_amc": "national", "national_sei": "national",
                  "national_target": "national", "provincial": "provincial", "characteristic": "other",
                  "sme_characteristic": "other"}


def level_class(level: str) -> str:
    """A park's or cluster's level as national, provincial or other ("" when the documents give none)."""
    return level if level in LEVELS else CLUSTER_LEVELS.get(level, "")


@dataclass
class Resolved:
    """A filter with every value turned into ids (None means: not filtered).

    ``industries``, ``tiers``, ``roles`` and ``sources`` constrain one fact at a time: an entity
    matches when one of its facts satisfies all of them.
    """

    industries: set[str] | None = None  # every id a fact may carry to answer (any document's tree)
    asked: tuple[str, ...] = ()  # the asked industries' ids, as asked
    broader: bool = False
    layouts: set[str] | None = None
    sources: set[str] | None = None
    places: list = field(default_factory=list)  # GeocodeResult of admin units, parks or layout parts
    entities: pd.DataFrame | None = None  # what the places answer for (entity_type, entity, via); None: all
    place_sets: list = field(default_factory=list)  # per place: its entities (as above) or None (the province)
    tiers: set[str] | None = None
    roles: set[str] | None = None
    levels: set[str] | None = None

    def on_facts(self) -> bool:
        """True when an industry, tier or role is asked for (a fact must match, not a mention)."""
        return self.industries is not None or self.tiers is not None or self.roles is not None


def _resolve_layouts(values: tuple[str, ...], kb: KnowledgeBase) -> set[str]:
    keys = {}
    for row in kb.layouts.itertuples(index=False):
        for form in (row.id, row.name, row.name_en):
            keys[normalize(form)] = row.id
    out = set()
    for value in values:
        key = normalize(value)
        if key not in keys:
            near = "、".join(closest(value, list(kb.layouts["name"]) + list(kb.layouts["id"])))
            raise UnknownValueError(f"no layout named {value!r}; did you mean: {near}? See `hunan-map layouts`.")
        out.add(keys[key])
    return out


def _resolve_sources(sources: tuple[str, ...], years: tuple[str, ...], kb: KnowledgeBase) -> set[str] | None:
    if not sources and not years:
        return None
    known = set(kb.sources["id"])
    kinds = dict(zip(kb.sources["id"], kb.sources["kind"] if "kind" in kb.sources else ["policy"] * len(kb.sources)))
    groups = {"policy": {s for s, k in kinds.items() if k in ("policy", "")},
              "catalogue": {s for s, k in kinds.items() if k == "catalogue"}}
    chosen = set(known)
    if sources:
        picked = set()
        for value in sources:
            if value in groups:
                picked |= groups[value]
                continue
            if value not in known:
                near = ", ".join(closest(value, sorted(known), limit=3))
                raise UnknownValueError(f"no source document {value!r}; use one of {', '.join(sorted(known))}, "
                                        f"policy or catalogue (closest: {near})")
            picked.add(value)
        chosen &= picked
    if years:
        by_year = {str(int(y)): set(kb.sources.loc[kb.sources["year"] == y, "id"]) for y in kb.sources["year"].dropna()}
        picked = set()
        for value in years:
            if value not in by_year:
                raise UnknownValueError(f"no source document from {value!r}; years with documents: {', '.join(sorted(by_year))}")
            picked |= by_year[value]
        chosen &= picked
    return chosen


def resolve(flt: Filter, kb: KnowledgeBase, taxonomy: Taxonomy, geo=None) -> Resolved:
    """Turn user values into ids, raising on anything unknown.

    Parameters
    ----------
    flt
        The filter.
    kb, taxonomy
        Knowledge base and its taxonomy.
    geo
        The :class:`~hunan_map.layers.geography.Geography` (for places; made from ``kb`` when omitted).

    Returns
    -------
    Resolved
    """
    from hunan_map.layers.kb.taxonomy import TIERS

    res = Resolved()
    sources = _resolve_sources(flt.source, flt.year, kb)
    res.sources = sources
    if flt.industry:
        res.asked = tuple(dict.fromkeys(taxonomy.resolve(v) for v in flt.industry))
        res.industries = industry_ids(kb, flt.industry, sources=sorted(sources) if sources else None)
        res.broader = flt.broader
    if flt.tier:
        for tier in flt.tier:
            if tier not in TIERS:
                near = "、".join(closest(tier, list(TIERS)))
                raise UnknownValueError(f"no tier named {tier!r}; use one of {', '.join(TIERS)} (closest: {near})")
        res.tiers = set(flt.tier)
    if flt.role:
        words = {w: r for r, ws in ROLES.items() for w in (r, *ws)}
        res.roles = set()
        for role in flt.role:
            if role not in words:
                near = ", ".join(closest(role, list(words)))
                raise UnknownValueError(f"no role {role!r}; use one of {', '.join(ROLES)} (closest: {near})")
            res.roles.add(words[role])
    if flt.level:
        for level in flt.level:
            if level not in LEVELS:
                raise UnknownValueError(f"no level {level!r}; use one of {', '.join(LEVELS)}")
        res.levels = set(flt.level)
    if flt.layout:
        res.layouts = _resolve_layouts(flt.layout, kb)
    if flt.place:
        from hunan_map.layers import places

        geo = geo if geo is not None else places.geography(kb)
        gaz = kb.__dict__.get("_place_gazetteer")
        if gaz is None:
            gaz = kb.__dict__["_place_gazetteer"] = places.gazetteer(kb, geo.park_points)
        res.places = [places.named_place(gaz, p) for p in flt.place]
        parent = dict(zip(geo.counties["adcode"], geo.counties["parent_adcode"]))
        found = [places.place_entities(kb, p, parent) for p in res.places]
        res.place_sets = found
        if all(f is not None for f in found):
            res.entities = pd.concat(found, ignore_index=True).drop_duplicates(["entity_type", "entity"])
    return res


# ----------------------------------------------------------------------------- facts that answer

#: How a fact answers an industry question, in the order they are shown.
KINDS = ("exact", "narrower", "layout", "catalogue", "broader")
#: What each kind means (help texts, README, the page).
KIND_HELP = {
    "exact": "the fact's industry is the one asked",
    "narrower": "the fact's industry is below the one asked (shared tree or its own document's tree)",
    "layout": "inherited from a layout part that names the place",
    "catalogue": "a 2018 catalogue lead industry mapped to the one asked or below it",
    "broader": "the fact is on a parent of the asked industry or elsewhere under its nearest parent "
               "(only with --broader)",
}


def catalogue_sources(kb: KnowledgeBase) -> set[str]:
    """Ids of the sources that are catalogues, not policy documents."""
    if "kind" not in kb.sources:
        return set()
    return set(kb.sources.loc[kb.sources["kind"] == "catalogue", "id"])


def _tree_source(kb: KnowledgeBase, source: str, role: str) -> str | None:
    """Whose own tree a fact is read through: its document's (None for the catalogue and external facts)."""
    if role == "catalogue_lead" or source in catalogue_sources(kb):
        return None
    return source if source in kb.taxonomy.sources_with_trees() else None


def industry_ids(kb: KnowledgeBase, values, *, sources=None) -> set[str]:
    """The industry ids a question about ``values`` (any names) answers to: each industry and all below it."""
    return kb.taxonomy.expand(values, sources=sources)


def related(kb: KnowledgeBase, a: str, b: str) -> bool:
    """Same industry, or one lies above the other in the shared or a document's tree."""
    return a == b or b in kb.taxonomy.broader(a) or a in kb.taxonomy.broader(b)


def relation(kb: KnowledgeBase, plan: str, other: str) -> str | None:
    """How ``other`` (e.g. a catalogue lead) relates to ``plan``: ``exact``, ``narrower`` (below it),
    ``broader`` (above it, shared tree only) or None."""
    if plan == other:
        return "exact"
    if other in kb.taxonomy.down(plan):
        return "narrower"
    if other in kb.taxonomy.up(plan):
        return "broader"
    return None


def match_keys(kb: KnowledgeBase, industry: str, source: str, role: str = "") -> list[str]:
    """The industry ids a fact about ``industry`` answers to: the industry and everything above it in
    the shared tree and in its own document's tree (a document's tree is applied to its facts only)."""
    return [industry, *kb.taxonomy.up(industry, _tree_source(kb, source, role))]


def fact_tiers(kb: KnowledgeBase, industry: str, source: str) -> list[str]:
    """The tiers ``source`` gives ``industry`` or one of its ancestors (its own system only)."""
    out: set[str] = set()
    for node in match_keys(kb, industry, source):
        out.update(kb.source_tiers.get((source, node), []))
    return sorted(out)


def fact_kind(kb: KnowledgeBase, industry: str, source: str, role: str, asked: tuple[str, ...],
              broader: bool = False) -> str | None:
    """How a fact answers a question about the ``asked`` industry ids (one of :data:`KINDS`), or None."""
    tree = _tree_source(kb, source, role)
    tax = kb.taxonomy
    if any(industry in tax.down(q, tree) for q in asked):
        if tree is None and (role == "catalogue_lead" or source in catalogue_sources(kb)):
            return "catalogue"
        if role == "layout_focus":
            return "layout"
        return "exact" if industry in asked else "narrower"
    if broader and any(industry in broader_ids(kb, q, tree) for q in asked):
        return "broader"
    return None


def broader_ids(kb: KnowledgeBase, asked: str, tree: str | None) -> frozenset[str]:
    """What a fact read through ``tree`` (a document id, or None for the shared tree only) may carry to
    answer ``asked`` as ``broader``: a parent of it, or anything under its nearest parents."""
    memo = kb.__dict__.setdefault("_broader_ids", {})
    key = (asked, tree)
    if key not in memo:
        tax = kb.taxonomy
        out = set(tax.up(asked, tree))
        for parent in tax.parents(asked, tree):
            out |= tax.down(parent, tree)
        memo[key] = frozenset(out - tax.down(asked, tree))
    return memo[key]


def tree_of(kb: KnowledgeBase, source: str, role: str = "") -> str | None:
    """Whose own tree a fact of ``source`` (with ``role``) is read through (None: the shared tree only)."""
    return _tree_source(kb, source, role)


def _kinds(kb: KnowledgeBase, facts: pd.DataFrame, res: Resolved) -> pd.Series:
    """The match kind of every fact ("" when no industry is asked; None when it does not answer)."""
    if not res.asked:
        return pd.Series("", index=facts.index, dtype=object)
    memo: dict[tuple[str, str, str], str | None] = {}
    out = []
    for ind, src, role in zip(facts["industry"], facts["source"], facts["role"]):
        key = (ind, src, role)
        if key not in memo:
            memo[key] = fact_kind(kb, ind, src, role, res.asked, res.broader)
        out.append(memo[key])
    return pd.Series(out, index=facts.index, dtype=object)


def matching_facts(kb: KnowledgeBase, res: Resolved, entity_type: str | None = None) -> pd.DataFrame:
    """The facts (long form) that satisfy the industry, tier, role and source of a filter at once,
    with ``match``: how each answers the asked industry (:data:`KINDS`; "" when none is asked)."""
    facts = kb.facts if entity_type is None else kb.facts[kb.facts["entity_type"] == entity_type]
    ok = pd.Series(True, index=facts.index)
    if res.sources is not None:
        ok &= facts["source"].isin(res.sources)
    if res.roles is not None:
        ok &= facts["role"].isin(res.roles)
    if res.tiers is not None:
        ok &= pd.Series([bool(set(fact_tiers(kb, i, s)) & res.tiers) for i, s in zip(facts["industry"], facts["source"])],
                        index=facts.index, dtype=bool)
    facts = facts[ok]
    kinds = _kinds(kb, facts, res)
    facts = facts.assign(match=kinds)
    return facts[kinds.notna().values]


def keep_facts(kb: KnowledgeBase, frame: pd.DataFrame, res: Resolved, entity_type: str) -> pd.Series:
    """Rows with one fact that satisfies every fact-level filter; with only a source or year
    asked for, rows that the source mentions at all."""
    if res.on_facts():
        passing = set(matching_facts(kb, res, entity_type)["entity"])
        return frame["id"].isin(passing)
    if res.sources is not None:
        return frame["sources"].map(lambda cites: any(c.split(" ")[0] in res.sources for c in cites))
    return pd.Series(True, index=frame.index)


def describe_match(kb: KnowledgeBase, facts: pd.DataFrame) -> dict[str, list[str]]:
    """Entity id -> how it matched, one text per matching fact: "wording (role) [kind] source section"."""
    tax = kb.taxonomy
    out: dict[str, list[str]] = {}
    wording = facts["wording"] if "wording" in facts else pd.Series("", index=facts.index)
    for ent, ind, words, role, kind, src, sec in zip(facts["entity"], facts["industry"], wording, facts["role"],
                                                      facts["match"], facts["source"], facts["section"]):
        how = f" [{kind}]" if kind else ""
        text = f"{words or tax.name(ind)} ({role}){how} {src} {sec}".strip()
        out.setdefault(ent, [])
        if text not in out[ent]:
            out[ent].append(text)
    return out
