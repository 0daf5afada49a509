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
    trees
        The ``industry_trees`` table: each document's own grouping (``source``, ``industry``,
        ``parent``). Filters expand through these as well as through the shared tree.
    """

    def __init__(self, industries: pd.DataFrame, tiers: pd.DataFrame | None = None,
                 trees: pd.DataFrame | None = None):
        self.table = industries.set_index("id", drop=False)
        self.tiers = tiers if tiers is not None else pd.DataFrame(columns=["industry", "tier", "source"])
        self.trees = trees if trees is not None else pd.DataFrame(columns=["source", "industry", "parent"])

    @cached_property
    def _tree_children(self) -> dict[str, dict[str, list[str]]]:
        """Source -> parent id -> child ids, as each document groups its industries."""
        out: dict[str, dict[str, list[str]]] = {}
        for row in self.trees.itertuples(index=False):
            if row.parent:
                out.setdefault(row.source, {}).setdefault(row.parent, []).append(row.industry)
        return out

    @cached_property
    def _tree_parents(self) -> dict[str, set[str]]:
        """Industry id -> every parent any document lists it under."""
        out: dict[str, set[str]] = {}
        for row in self.trees.itertuples(index=False):
            if row.parent:
                out.setdefault(row.industry, set()).add(row.parent)
        return out

    def tree(self, source: str) -> list[tuple[int, str, str]]:
        """(depth, id, name in the document) of one document's own tree, as the document orders it."""
        rows = self.trees[self.trees["source"] == source]
        names = dict(zip(rows["industry"], rows["name_in_source"])) if "name_in_source" in rows else {}
        kids = self._tree_children.get(source, {})
        out: list[tuple[int, str, str]] = []

        def walk(node: str, depth: int) -> None:
            if any(n == node for _d, n, _x in out):
                return
            out.append((depth, node, names.get(node, "")))
            for child in kids.get(node, []):
                walk(child, depth + 1)

        for row in rows.itertuples(index=False):
            if not row.parent:
                walk(row.industry, 0)
        return out

    def broader(self, industry_id: str) -> list[str]:
        """Everything above an industry: its shared-tree ancestors and every parent a document
        lists it under (and theirs), nearest first."""
        memo = self.__dict__.setdefault("_broader_memo", {})
        if industry_id in memo:
            return list(memo[industry_id])
        out: list[str] = []
        frontier = [industry_id]
        while frontier:
            nxt = []
            for node in frontier:
                ups = []
                if self._parent.get(node):
                    ups.append(self._parent[node])
                ups.extend(sorted(self._tree_parents.get(node, ())))
                for up in ups:
                    if up != industry_id and up not in out:
                        out.append(up)
                        nxt.append(up)
            frontier = nxt
        memo[industry_id] = tuple(out)
        return out

    @cached_property
    def _tree_parents_by_source(self) -> dict[str, dict[str, list[str]]]:
        """Source -> industry id -> the parents that document lists it under."""
        out: dict[str, dict[str, list[str]]] = {}
        for row in self.trees.itertuples(index=False):
            if row.parent:
                out.setdefault(row.source, {}).setdefault(row.industry, []).append(row.parent)
        return out

    def up(self, industry_id: str, source: str | None = None) -> tuple[str, ...]:
        """Everything above an industry in the shared tree and in ``source``'s own tree (no other
        document's), nearest first. With ``source`` None: the shared tree only."""
        memo = self.__dict__.setdefault("_up_memo", {})
        key = (industry_id, source)
        if key not in memo:
            own = self._tree_parents_by_source.get(source, {}) if source else {}
            out: list[str] = []
            frontier = [industry_id]
            while frontier:
                nxt = []
                for node in frontier:
                    ups = ([self._parent[node]] if self._parent.get(node) else []) + sorted(own.get(node, ()))
                    for parent in ups:
                        if parent != industry_id and parent not in out:
                            out.append(parent)
                            nxt.append(parent)
                frontier = nxt
            memo[key] = tuple(out)
        return memo[key]

    def parents(self, industry_id: str, source: str | None = None) -> list[str]:
        """The direct parents of an industry: in the shared tree and in ``source``'s own tree."""
        own = self._tree_parents_by_source.get(source, {}) if source else {}
        ups = ([self._parent[industry_id]] if self._parent.get(industry_id) else []) + sorted(own.get(industry_id, ()))
        return list(dict.fromkeys(ups))

    def down(self, industry_id: str, source: str | None = None) -> frozenset[str]:
        """The industry and everything below it in the shared tree and in ``source``'s own tree
        (no other document's). With ``source`` None: the shared tree only."""
        memo = self.__dict__.setdefault("_down_memo", {})
        key = (industry_id, source)
        if key not in memo:
            kids = [self.children]
            if source and source in self._tree_children:
                kids.append(self._tree_children[source])
            seen: set[str] = set()
            stack = [industry_id]
            while stack:
                node = stack.pop()
                if node not in seen:
                    seen.add(node)
                    for k in kids:
                        stack.extend(k.get(node, []))
            memo[key] = frozenset(seen)
        return memo[key]

    def sources_with_trees(self) -> set[str]:
        """The documents that have an own tree (``industry_trees.csv``)."""
        return set(self._tree_children)

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

    def descendants(self, industry_id: str, *, sources: list[str] | None = None,
                    trees: bool = False) -> list[str]:
        """The industry and everything below it (depth first): in the shared tree, and with
        ``trees`` also in the documents' own trees (only those of ``sources`` when given)."""
        kids = [self.children]
        if trees or sources:
            kids += [k for src, k in self._tree_children.items() if not sources or src in sources]
        out, stack = [], [industry_id]
        seen: set[str] = set()
        while stack:
            node = stack.pop()
            if node in seen:
                continue
            seen.add(node)
            out.append(node)
            for k in kids:
                stack.extend(reversed(k.get(node, [])))
        return out

    @cached_property
    def _parent(self) -> dict[str, str]:
        return dict(zip(self.table["id"], self.table["parent"]))

    def ancestors(self, industry_id: str) -> list[str]:
        """Parents of the industry in the shared tree up to the root, nearest first."""
        out, node = [], self._parent.get(industry_id, "")
        while node and node not in out:
            out.append(node)
            node = self._parent.get(node, "")
        return out

    def expand(self, names: list[str] | tuple[str, ...], *, sources: list[str] | None = None) -> set[str]:
        """Ids of the named industries and all their descendants, through the shared tree and the
        documents' own trees (only the trees of ``sources`` when given)."""
        ids: set[str] = set()
        for name in names:
            ids.update(self.descendants(self.resolve(name), sources=sources, trees=True))
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

    @cached_property
    def _names(self) -> dict[str, tuple[str, str]]:
        return {r.id: (str(r.name), str(r.name_en)) for r in self.table.itertuples(index=False)}

    def name(self, industry_id: str) -> str:
        """Chinese name of an id (the id itself when unknown)."""
        return self._names.get(industry_id, (industry_id, industry_id))[0]

    def name_en(self, industry_id: str) -> str:
        """English name of an id (the id itself when unknown)."""
        return self._names.get(industry_id, (industry_id, industry_id))[1]

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
