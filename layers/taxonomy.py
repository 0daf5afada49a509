"""Industry taxonomy: the industries table in, name resolution and tree walks out."""

from __future__ import annotations

from functools import cached_property

import pandas as pd

from hunan_map.geo.gazetteer import normalize
from hunan_map.layers.errors import UnknownValueError

#: Tier values; the first four are the ones the province's plans share.
TIERS = ("traditional", "advantage", "emerging", "future", "potential", "pillar", "new_support",
         "special", "sub_sector")


def split_list(value: str) -> list[str]:
    """Split a ``;``-separated cell into stripped, non-empty items."""
    return [v.strip() for v in str(value).split(";") if v.strip()]


def closest(value: str, choices: list[str], *, limit: int = 5) -> list[str]:
    """The choices closest to ``value`` (rapidfuzz), best first."""
    from rapidfuzz import fuzz, process

    return [c for c, _s, _i in process.extract(value, choices, scorer=fuzz.WRatio, limit=limit)]


class Taxonomy:
    """Industries as a tree, found by id, Chinese name, alias or English name.

    Parameters
    ----------
    industries
        The ``industries`` table (columns id, name, name_en, parent, aliases).
    tiers
        The ``industry_tiers`` table, for :meth:`in_tier`.
    """

    def __init__(self, industries: pd.DataFrame, tiers: pd.DataFrame | None = None):
        self.table = industries.set_index("id", drop=False)
        self.tiers = tiers if tiers is not None else pd.DataFrame(columns=["industry", "tier", "source"])

    @cached_property
    def _keys(self) -> dict[str, str]:
        keys: dict[str, str] = {}
        for row in self.table.itertuples(index=False):
            for form in [row.id, row.name, row.name_en, *split_list(row.aliases)]:
                keys.setdefault(normalize(form), row.id)
        return keys

    @cached_property
    def children(self) -> dict[str, list[str]]:
        """Industry id -> ids of its direct children."""
        out: dict[str, list[str]] = {i: [] for i in self.table.index}
        for row in self.table.itertuples(index=False):
            if row.parent:
                out.setdefault(row.parent, []).append(row.id)
        return out

    def resolve(self, name: str) -> str:
        """The industry id for any of its names.

        Raises
        ------
        UnknownValueError
            With the closest names, when nothing matches.
        """
        key = normalize(name)
        if key in self._keys:
            return self._keys[key]
        names = list(self.table["name"]) + list(self.table["name_en"])
        near = "、".join(closest(name, names)) or "none"
        raise UnknownValueError(
            f"no industry named {name!r}; did you mean: {near}? "
            "See `hunan-map industries` for every name and alias."
        )

    def descendants(self, industry_id: str) -> list[str]:
        """The industry and everything below it in the tree (depth first)."""
        out, stack = [], [industry_id]
        while stack:
            node = stack.pop()
            if node in out:
                continue
            out.append(node)
            stack.extend(reversed(self.children.get(node, [])))
        return out

    def ancestors(self, industry_id: str) -> list[str]:
        """Parents of the industry up to the root, nearest first."""
        out, node = [], self.table.at[industry_id, "parent"]
        while node and node not in out:
            out.append(node)
            node = self.table.at[node, "parent"] if node in self.table.index else ""
        return out

    def expand(self, names: list[str] | tuple[str, ...]) -> set[str]:
        """Ids of the named industries and all their descendants."""
        ids: set[str] = set()
        for name in names:
            ids.update(self.descendants(self.resolve(name)))
        return ids

    def in_tier(self, tier: str, *, sources: list[str] | None = None) -> set[str]:
        """Ids a document puts in ``tier`` (optionally only these documents), with descendants."""
        if tier not in TIERS:
            near = "、".join(closest(tier, list(TIERS)))
            raise UnknownValueError(f"no tier named {tier!r}; use one of {', '.join(TIERS[:4])} (closest: {near})")
        rows = self.tiers[self.tiers["tier"] == tier]
        if sources:
            rows = rows[rows["source"].isin(sources)]
        ids: set[str] = set()
        for ind in rows["industry"]:
            ids.update(self.descendants(ind))
        return ids

    def name(self, industry_id: str) -> str:
        """Chinese name of an id."""
        return str(self.table.at[industry_id, "name"])

    def name_en(self, industry_id: str) -> str:
        """English name of an id."""
        return str(self.table.at[industry_id, "name_en"])

    def tree_rows(self) -> list[tuple[int, str]]:
        """(depth, id) for every industry, roots first, in table order (for printing)."""
        out: list[tuple[int, str]] = []

        def walk(node: str, depth: int) -> None:
            out.append((depth, node))
            for child in self.children.get(node, []):
                walk(child, depth + 1)

        for row in self.table.itertuples(index=False):
            if not row.parent:
                walk(row.id, 0)
        return out
