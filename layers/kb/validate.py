"""Validation of the knowledge base: tables in, every problem (file, row, column, fix) out, all checks together."""

from __future__ import annotations

import pandas as pd

from hunan_map.layers.errors import Problem
from hunan_map.layers.kb._checks_base import Report, check_refs, table_file
from hunan_map.layers.kb._checks_numbers import check_dates, check_numbers
from hunan_map.layers.kb._checks_places import check_parks, check_relations
from hunan_map.layers.kb._checks_rows import check_ids, check_repeated_rows
from hunan_map.layers.kb._checks_trees import check_industries, check_trees_and_targets
from hunan_map.layers.kb.tables import TABLES, KnowledgeBase
from hunan_map.layers.kb.taxonomy import TIERS, split_list
from hunan_map.layers.kb.validate_rows import check_glosses, check_park_spans, check_unique_entities, check_wording
from hunan_map.layers.kb.zones import EVIDENCE_STRENGTHS, ZONE_PRECISIONS

ROLES_PARK = ("core_carrier", "carrier", "relied_on", "lead", "named_focus", "member", "focus", "transfer",
              "catalogue_lead")
ROLES_PART = ("focus", "transfer")
PLACE_ROLES = ("member", "route", "park", "platform")
#: Empty = the document names the cluster without a level.
CLUSTER_LEVELS = ("world_class_target", "national_amc", "national_sei", "national_target",
                  "provincial", "characteristic", "sme_characteristic", "")
PARK_LEVELS = ("national", "provincial", "other", "")
#: exact/approximate: a point is given; county/prefecture: drawn at that seat; province: no place.
PRECISIONS = ("exact", "site", "town", "seat", "approximate", "county", "prefecture", "province")
PARK_KINDS = ("高新区", "经开区", "经济开发区", "工业园区", "工业园", "科技园", "出口加工区", "综合保税区", "保税物流中心",
              "自贸试验区", "platform", "airport", "port", "laboratory", "institute", "base", "centre", "hub",
              "pilot_zone", "demonstration_zone", "new_area", "designation")
PART_KINDS = ("zone", "corridor")
TARGET_SUBJECTS = ("province", "industry", "park", "cluster", "prefecture", "county", "part")
COMPARATORS = ("=", ">=", ">", "about", "<=", "<", "")
TARGET_KINDS = ("target", "baseline", "")
PLACE_TYPES = ("park", "prefecture", "county")
#: How a fact's industry node relates to the source's own words (``wording``); empty = no wording.
RELATIONS = ("same", "part_of", "broader", "")
#: Every enumerated column and the values it may hold, in one place: to allow a new kind, level,
#: role or tier, add it to the tuple above (or here) and it is accepted everywhere.
ALLOWED: dict[str, dict[str, tuple[str, ...]]] = {
    "parks": {"kind": PARK_KINDS, "level": PARK_LEVELS, "precision": PRECISIONS},
    "zone_locations": {"precision": ZONE_PRECISIONS, "evidence_strength": EVIDENCE_STRENGTHS,
                       "searched": ("yes", "no")},
    "park_industries": {"role": ROLES_PARK, "relation": RELATIONS},
    "industry_tiers": {"tier": TIERS},
    "clusters": {"level": CLUSTER_LEVELS},
    "cluster_members": {"member_type": PLACE_TYPES, "role": ROLES_PARK},
    "layout_parts": {"kind": PART_KINDS},
    "part_industries": {"role": ROLES_PART},
    "part_places": {"place_type": PLACE_TYPES, "role": PLACE_ROLES},
    "targets": {"subject_type": TARGET_SUBJECTS, "comparator": COMPARATORS, "kind": TARGET_KINDS},
    "park_changes": {"change": ("level", "name", "merged_into", "kind")},
    "sources": {"industry_scope": ("all", "strategic_emerging", "")},
}
#: Tables a coverage-ledger row may name.
LEDGER_TABLES = ("parks", "park_industries", "clusters", "cluster_members", "layouts", "layout_parts",
                 "part_industries", "part_places", "industry_tiers", "industry_trees", "targets")


def _check_columns(kb: KnowledgeBase, rep: Report) -> None:
    for name, (_f, cols) in TABLES.items():
        df = getattr(kb, name)
        for col in cols:
            if col not in df.columns:
                rep.add(name, 1, col, "column is missing", f"add a column named {col!r} to the header")


def _check_values(df: pd.DataFrame, table: str, column: str, allowed: tuple[str, ...], rep: Report) -> None:
    for row in df.itertuples(index=False):
        value = getattr(row, column)
        if value not in allowed:
            rep.add(table, row.csv_line, column, f"unknown {column.replace('_', ' ')} {value!r}",
                    f"use one of {', '.join(a for a in allowed if a) or 'the allowed values'}")


def _check_allowed(kb: KnowledgeBase, rep: Report) -> None:
    """Enumerated columns hold one of their :data:`ALLOWED` values."""
    for table, columns in ALLOWED.items():
        df = getattr(kb, table)
        for column, allowed in columns.items():
            if column in df.columns:
                _check_values(df, table, column, allowed, rep)


def _check_citations(kb: KnowledgeBase, rep: Report) -> None:
    sources = set(kb.sources["id"])
    for name in ("industry_tiers", "parks", "park_industries", "clusters", "cluster_members",
                 "layouts", "layout_parts", "part_industries", "part_places"):
        df = getattr(kb, name)
        for row in df.itertuples(index=False):
            if not row.source:
                rep.add(name, row.csv_line, "source", "missing citation: source is empty",
                        f"name the document ({', '.join(sorted(sources))}) or write 'external'")
            elif row.source != "external" and row.source not in sources:
                rep.add(name, row.csv_line, "source", f"unknown source {row.source!r}",
                        f"use one of {', '.join(sorted(sources))} or 'external'")
            if not row.section:
                fix = ("write a short citation of where the fact comes from" if row.source == "external"
                       else "give the section, e.g. '四(一) 专栏4-1'")
                rep.add(name, row.csv_line, "section", "missing citation: section is empty", fix)


def _check_changes(kb: KnowledgeBase, rep: Report) -> None:
    """Later changes of a park (after the fact a source states) name a known park and a cited source."""
    ch = kb.park_changes
    check_refs(ch, "park_changes", "park", set(kb.parks["id"]), "park", rep)
    sources = set(kb.sources["id"]) | {"external"}
    check_refs(ch, "park_changes", "source", sources, "source", rep)


def _check_ledger(kb: KnowledgeBase, rep: Report) -> None:
    """Every section the coverage ledger lists has rows in the tables it names, or a reason."""
    sources = set(kb.sources["id"])
    cited = {name: {(src, part.strip()) for src, sec in zip(getattr(kb, name)["source"], getattr(kb, name)["section"])
                    for part in sec.split(";")} for name in LEDGER_TABLES}
    cited["parks"] |= {tuple(c.split(" ", 1)) for c in split_list(";".join(kb.parks["also_cited"])) if " " in c}
    for row in kb.coverage.itertuples(index=False):
        if row.source not in sources:
            rep.add("coverage", row.csv_line, "source", f"unknown source {row.source!r}",
                    f"use one of {', '.join(sorted(sources))}")
            continue
        tables = split_list(row.tables)
        if not tables and not row.reason:
            rep.add("coverage", row.csv_line, "tables", f"section {row.section!r} has no rows and no reason",
                    "name the tables that hold its facts, or say in 'reason' why it has none")
        for name in tables:
            if name not in cited:
                rep.add("coverage", row.csv_line, "tables", f"unknown table {name!r}",
                        f"use one of {', '.join(LEDGER_TABLES)}")
            elif (row.source, row.section) not in cited[name]:
                rep.add("coverage", row.csv_line, "tables",
                        f"{table_file(name)} has no row citing {row.source} {row.section}",
                        "add the rows for this section, or correct the ledger")


def _check_zones(kb: KnowledgeBase, rep: Report, counties, prefectures) -> None:
    """Every zone site inside its county, every town/site/seat cited, parks.csv agreeing (:mod:`.zones`)."""
    from hunan_map.geo.towns import towns
    from hunan_map.layers.kb import zones

    for problem in zones.check(kb, counties, prefectures, towns()):
        rep.add(*problem)


def validate(kb: KnowledgeBase) -> list[Problem]:
    """Every problem in the knowledge base, sorted by file and row.

    Parameters
    ----------
    kb
        Tables from :func:`hunan_map.layers.kb.load`.

    Returns
    -------
    list of Problem
        Empty when the data are clean.
    """
    from hunan_map.geo import boundaries

    counties = boundaries.counties()
    prefectures = boundaries.prefectures()
    rep = Report()
    _check_columns(kb, rep)
    check_numbers(kb, rep)
    check_dates(kb, rep)
    _check_allowed(kb, rep)
    check_ids(kb, rep)
    check_repeated_rows(kb, rep)
    _check_citations(kb, rep)
    check_industries(kb, rep)
    check_parks(kb, rep, counties, prefectures)
    check_relations(kb, rep, counties, prefectures)
    check_trees_and_targets(kb, rep, counties, prefectures)
    _check_ledger(kb, rep)
    _check_changes(kb, rep)
    _check_zones(kb, rep, counties, prefectures)
    check_unique_entities(kb, rep)
    check_wording(kb, rep)
    check_park_spans(kb, rep, prefectures)
    check_glosses(kb, rep)
    check_refs(kb.layouts, "layouts", "source", set(kb.sources["id"]), "source", rep)
    order = {f: i for i, (f, _c) in enumerate(TABLES.values())}
    return sorted(rep.problems, key=lambda p: (order.get(p.file, 99), p.row))
