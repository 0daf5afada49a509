"""One filter for every layer and command: user values in, resolved id sets out.

Options AND together; repeated values of one option OR together. Industries match by any name,
alias, English name or id and include their descendants in the taxonomy. Unknown values raise
:class:`UnknownValueError` listing the closest known values.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Iterable

from hunan_map.geo.gazetteer import normalize
from hunan_map.layers.errors import UnknownValueError
from hunan_map.layers.kb import KnowledgeBase
from hunan_map.layers.taxonomy import Taxonomy, closest


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
    from hunan_map.layers.taxonomy import TIERS

    res = Resolved()
    sources = _resolve_sources(flt.source, flt.year, kb)
    res.sources = sources
    if flt.industry:
        res.industries = taxonomy.expand(flt.industry, sources=sorted(sources) if sources else None)
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
        res.places = [gaz.geocode(p) for p in flt.place]
    return res
