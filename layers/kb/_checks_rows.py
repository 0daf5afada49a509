"""Row checks: knowledge-base tables in, problems with empty or repeated ids and repeated rows out."""

from __future__ import annotations

from hunan_map.layers.kb._checks_base import Report
from hunan_map.layers.kb.tables import TABLES, KnowledgeBase


def _repeated(df):
    """Rows equal cell for cell to an earlier row."""
    return df.duplicated(subset=[c for c in df.columns if c != "csv_line"], keep="first")


def check_ids(kb: KnowledgeBase, rep: Report) -> None:
    """Every table with an ``id`` column: each row has an id, and no two rows share one."""
    for name, (_file, columns) in TABLES.items():
        if "id" not in columns:
            continue
        seen: dict[str, int] = {}
        df = getattr(kb, name)
        repeats = _repeated(df)  # a row repeated cell for cell is reported once, by check_repeated_rows
        if not repeats.any() and df["id"].is_unique and (df["id"] != "").all():
            continue
        for ident, line, repeat in zip(df["id"], df["csv_line"], repeats):
            if repeat:
                continue
            if not ident:
                rep.add(name, line, "id", "id is empty", "give the row a unique id")
            elif ident in seen:
                rep.add(name, line, "id", f"duplicate id {ident!r} (first at row {seen[ident]})",
                        "give each row its own id")
            else:
                seen[ident] = int(line)


def check_repeated_rows(kb: KnowledgeBase, rep: Report) -> None:
    """No table holds the same row twice (every cell equal, ignoring spaces around cells)."""
    for name in kb.table_names():
        df = getattr(kb, name)
        repeated = _repeated(df)
        if not repeated.any():
            continue
        cells = df.drop(columns="csv_line").astype(str)
        firsts: dict[tuple, int] = {}
        for row, line in zip(cells.itertuples(index=False), df["csv_line"]):
            firsts.setdefault(tuple(row), int(line))
        for row, line in zip(cells[repeated].itertuples(index=False), df.loc[repeated, "csv_line"]):
            rep.add(name, line, "", f"the row repeats line {firsts[tuple(row)]} cell for cell",
                    "delete one of the two rows")
