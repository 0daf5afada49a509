"""A render's filter in, the part that cuts the page's data and the page's first filter state out."""

from __future__ import annotations

from hunan_map.layers.context import Context
from hunan_map.layers.match import Filter


def page_filter(ctx: Context, flt: Filter) -> tuple[Filter, dict[str, str]]:
    """Split a render's filter into the part that cuts the data and the page's first filter state.

    The page filters by one industry, tier, role and source itself, so a render asked for those
    holds every feature and opens with its lists set to them (choosing another value then counts
    against all the data). Place, layout, year and level, several values of one field, and a source
    alone (which matches any mention, not a fact) cut the data at render time as before.
    """
    from hunan_map.layers.kb.taxonomy import TIERS
    from hunan_map.layers.match import ROLES

    initial: dict[str, str] = {}
    if any(len(v) > 1 for v in (flt.industry, flt.tier, flt.role, flt.source)):
        return flt, initial
    try:
        if flt.industry:
            initial["industry"] = ctx.kb.taxonomy.resolve(flt.industry[0])
    except Exception:  # noqa: BLE001 - an unknown value is refused by the builders with its own message
        return flt, {}
    if flt.tier:
        if flt.tier[0] not in TIERS:
            return flt, {}
        initial["tier"] = flt.tier[0]
    if flt.role:
        words = {w: r for r, ws in ROLES.items() for w in (r, *ws)}
        if flt.role[0] not in words:
            return flt, {}
        initial["role"] = words[flt.role[0]]
    if flt.source and initial and not flt.year and flt.source[0] in {*ctx.kb.sources["id"], "policy", "catalogue"}:
        initial["source"] = flt.source[0]
    if not initial:
        return flt, {}
    if flt.broader and "industry" in initial:
        initial["broader"] = "1"
    scope = Filter(layout=flt.layout, year=flt.year, place=flt.place, level=flt.level,
                   source=() if "source" in initial else flt.source)
    return scope, initial
