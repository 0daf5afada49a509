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

    @classmethod
    def make(cls, *, industry=None, tier=None, layout=None, source=None, year=None, place=None) -> "Filter":
        """Build a filter from strings or lists of strings."""
        return cls(_tuple(industry), _tuple(tier), _tuple(layout), _tuple(source), _tuple(year), _tuple(place))

    def is_empty(self) -> bool:
        """True when nothing is filtered."""
        return not any((self.industry, self.tier, self.layout, self.source, self.year, self.place))


@dataclass
class Resolved:
    """A filter with every value turned into ids (None means: not filtered)."""

    industries: set[str] | None = None
    layouts: set[str] | None = None
    sources: set[str] | None = None
    places: list = field(default_factory=list)  # GeocodeResult of admin units


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
    chosen = set(known)
    if sources:
        picked = set()
        for value in sources:
            if value not in known:
                near = ", ".join(closest(value, sorted(known), limit=3))
                raise UnknownValueError(f"no source document {value!r}; use one of {', '.join(sorted(known))} (closest: {near})")
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
    res = Resolved()
    sources = _resolve_sources(flt.source, flt.year, kb)
    res.sources = sources
    if flt.industry:
        res.industries = taxonomy.expand(flt.industry)
    if flt.tier:
        tiers: set[str] = set()
        for tier in flt.tier:
            tiers |= taxonomy.in_tier(tier, sources=sorted(sources) if sources else None)
        res.industries = tiers if res.industries is None else (res.industries & tiers)
    if flt.layout:
        res.layouts = _resolve_layouts(flt.layout, kb)
    if flt.place:
        from hunan_map.geo.gazetteer import default_gazetteer

        gaz = default_gazetteer()
        res.places = [gaz.geocode(p) for p in flt.place]
    return res
