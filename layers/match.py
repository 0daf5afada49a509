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

    @classmethod
    def make(cls, *, industry=None, tier=None, layout=None, source=None, year=None, place=None,
             role=None, level=None) -> "Filter":
        """Build a filter from strings or lists of strings."""
        return cls(_tuple(industry), _tuple(tier), _tuple(layout), _tuple(source), _tuple(year), _tuple(place),
                   _tuple(role), _tuple(level))

    def is_empty(self) -> bool:
        """True when nothing is filtered."""
        return not any((self.industry, self.tier, self.layout, self.source, self.year, self.place,
                        self.role, self.level))


#: Roles a fact can have (what --role takes), with the words users may type for them.
ROLES = {
    "core_carrier": ("核心载体",), "carrier": ("载体",), "relied_on": ("依托",), "lead": ("牵头", "引领"),
    "named_focus": ("重点园区",), "focus": ("重点",), "transfer": ("承接",), "member": ("成员", "集群成员"),
    "layout_focus": ("布局",), "cluster_industry": ("集群",), "catalogue_lead": ("主导产业", "目录"),
}
LEVELS = ("national", "provincial", "other")


@dataclass
class Resolved:
    """A filter with every value turned into ids (None means: not filtered).

    ``industries``, ``tiers``, ``roles`` and ``sources`` constrain one fact at a time: an entity
    matches when one of its facts satisfies all of them.
    """

    industries: set[str] | None = None
    layouts: set[str] | None = None
    sources: set[str] | None = None
    places: list = field(default_factory=list)  # GeocodeResult of admin units
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


def resolve(flt: Filter, kb: KnowledgeBase, taxonomy: Taxonomy) -> Resolved:
    """Turn user values into ids, raising on anything unknown.

    Parameters
    ----------
    flt
        The filter.
    kb, taxonomy
        Knowledge base and its taxonomy.

    Returns
    -------
    Resolved
    """
    from hunan_map.layers.kb.taxonomy import TIERS

    res = Resolved()
    sources = _resolve_sources(flt.source, flt.year, kb)
    res.sources = sources
    if flt.industry:
        res.industries = industry_ids(kb, flt.industry, sources=sorted(sources) if sources else None)
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
        from hunan_map.geo.gazetteer import default_gazetteer

        gaz = default_gazetteer()
        res.places = [_admin_place(gaz, p) for p in flt.place]
    return res


def _admin_place(gaz, name: str):
    """A prefecture or county for ``place``; a town's name is refused with a hint to use ``--near``."""
    from hunan_map.geo.errors import UnknownPlaceError
    from hunan_map.geo.gazetteer import normalize
    from hunan_map.geo.towns import short_name, towns

    try:
        return gaz.geocode(name)
    except UnknownPlaceError:
        key = normalize(name)
        t = towns()
        hit = t[(t["name"].map(normalize) == key) | (t["name"].map(lambda n: normalize(short_name(n))) == key)]
        if len(hit):
            row = hit.iloc[0]
            raise UnknownPlaceError(f"{name!r} is a town ({row['name']}, {row['county']}), not a prefecture or county; "
                                    f"filter by its county ({row['county']}), or ask for zones near it with "
                                    f"--near {row['name']} --km 5") from None
        raise


# ----------------------------------------------------------------------------- facts that answer

def industry_ids(kb: KnowledgeBase, values, *, sources=None) -> set[str]:
    """The industry ids a question about ``values`` (any names) answers to: each industry and all below it."""
    return kb.taxonomy.expand(values, sources=sources)


def related(kb: KnowledgeBase, a: str, b: str) -> bool:
    """Same industry, or one lies above the other in the shared or a document's tree."""
    return a == b or b in kb.taxonomy.broader(a) or a in kb.taxonomy.broader(b)


def match_keys(kb: KnowledgeBase, industry: str, source: str) -> list[str]:
    """The industry ids a fact about ``industry`` answers to: the industry and everything above
    it in the shared tree and in the documents' own trees."""
    return [industry, *kb.taxonomy.broader(industry)]


def fact_tiers(kb: KnowledgeBase, industry: str, source: str) -> list[str]:
    """The tiers ``source`` gives ``industry`` or one of its ancestors (its own system only)."""
    out: set[str] = set()
    for node in match_keys(kb, industry, source):
        out.update(kb.source_tiers.get((source, node), []))
    return sorted(out)


def matching_facts(kb: KnowledgeBase, res: Resolved, entity_type: str | None = None) -> pd.DataFrame:
    """The facts (long form) that satisfy the industry, tier, role and source of a filter at once."""
    facts = kb.facts if entity_type is None else kb.facts[kb.facts["entity_type"] == entity_type]
    ok = pd.Series(True, index=facts.index)
    if res.industries is not None:
        ok &= facts["industry"].isin(res.industries)
    if res.sources is not None:
        ok &= facts["source"].isin(res.sources)
    if res.roles is not None:
        ok &= facts["role"].isin(res.roles)
    if res.tiers is not None:
        ok &= pd.Series([bool(set(fact_tiers(kb, i, s)) & res.tiers) for i, s in zip(facts["industry"], facts["source"])],
                        index=facts.index, dtype=bool)
    return facts[ok]


def keep_facts(kb: KnowledgeBase, frame: pd.DataFrame, res: Resolved, entity_type: str) -> pd.Series:
    """Rows with one fact that satisfies every fact-level filter; with only a source or year
    asked for, rows that the source mentions at all."""
    if res.on_facts():
        passing = set(matching_facts(kb, res, entity_type)["entity"])
        return frame["id"].isin(passing)
    if res.sources is not None:
        return frame["sources"].map(lambda cites: any(c.split(" ")[0] in res.sources for c in cites))
    return pd.Series(True, index=frame.index)
