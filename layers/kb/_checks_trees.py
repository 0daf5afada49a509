"""Tree and target checks: the industry tree, each document's own tree, tiers and numeric targets."""

from __future__ import annotations

import pandas as pd

from hunan_map.geo.gazetteer import normalize
from hunan_map.layers.kb._checks_base import Report, check_refs
from hunan_map.layers.kb._checks_numbers import bad_number
from hunan_map.layers.kb.taxonomy import split_list
from hunan_map.layers.kb.tables import KnowledgeBase


def _cycles(edges) -> list[tuple[list[str], int]]:
    """Each cycle of child -> parent edges (a self-parent included) once, with the line of its closing edge."""
    parents: dict[str, list[tuple[str, int]]] = {}
    for child, parent, line in edges:
        if parent:
            parents.setdefault(child, []).append((parent, int(line)))
    state: dict[str, int] = {}  # 1: on the current path, 2: done
    found: list[tuple[list[str], int]] = []
    for start in parents:
        if state.get(start):
            continue
        path: list[str] = [start]
        state[start] = 1
        stack = [iter(parents.get(start, []))]
        while stack:
            step = next(stack[-1], None)
            if step is None:
                state[path.pop()] = 2
                stack.pop()
                continue
            parent, line = step
            if state.get(parent) == 1:
                found.append((path[path.index(parent):] + [parent], line))
            elif not state.get(parent):
                state[parent] = 1
                path.append(parent)
                stack.append(iter(parents.get(parent, [])))
    return found


def check_industries(kb: KnowledgeBase, rep: Report) -> None:
    ind = kb.industries
    ids = set(ind["id"])
    check_refs(ind, "industries", "parent", ids, "industry", rep, allow_empty=True)
    for cycle, line in _cycles(zip(ind["id"], ind["parent"], ind["csv_line"])):
        rep.add("industries", line, "parent", f"cycle in the industry tree: {' -> '.join(cycle)}",
                "make one of these industries a root (empty parent) or point it elsewhere")
    owner: dict[str, tuple[str, str]] = {}
    for row in ind.itertuples(index=False):
        for form in [row.id, row.name, row.name_en, *split_list(row.aliases)]:
            key = normalize(form)
            if not key:
                continue
            if key in owner and owner[key][0] != row.id:
                rep.add("industries", row.csv_line, "aliases",
                        f"name {form!r} is also used by industry {owner[key][0]!r}",
                        "keep each name or alias on one industry only")
            owner.setdefault(key, (row.id, form))
    tiers = kb.industry_tiers
    check_refs(tiers, "industry_tiers", "industry", ids, "industry", rep)



def check_trees_and_targets(kb: KnowledgeBase, rep: Report, counties, prefectures) -> None:
    inds = set(kb.industries["id"])
    sources = set(kb.sources["id"])
    tr = kb.industry_trees
    for source, tree in tr.groupby("source", sort=False):
        for cycle, line in _cycles(zip(tree["industry"], tree["parent"], tree["csv_line"])):
            rep.add("industry_trees", line, "parent", f"cycle in the tree of {source}: {' -> '.join(cycle)}",
                    "make one of these industries a root (empty parent) in that document's tree, or point it "
                    "elsewhere")
    check_refs(tr, "industry_trees", "source", sources, "source", rep)
    check_refs(tr, "industry_trees", "industry", inds, "industry", rep)
    check_refs(tr, "industry_trees", "parent", inds, "industry", rep, allow_empty=True)
    tg = kb.targets
    check_refs(tg, "targets", "source", sources, "source", rep)
    check_refs(tg, "targets", "industry", inds, "industry", rep, allow_empty=True)
    subjects = {"park": set(kb.parks["id"]), "cluster": set(kb.clusters["id"]),
                "part": set(kb.layout_parts["id"]), "prefecture": set(prefectures["adcode"]),
                "county": set(counties["adcode"])}
    for row in tg.itertuples(index=False):
        if row.subject_type in subjects and row.subject not in subjects[row.subject_type]:
            rep.add("targets", row.csv_line, "subject", f"no {row.subject_type} {row.subject!r}",
                    f"use a known {row.subject_type} id or adcode")
        if pd.isna(row.value) and not bad_number(kb, "targets", row.csv_line, "value"):
            rep.add("targets", row.csv_line, "value", "value is empty", "write the number only, e.g. 5000")

