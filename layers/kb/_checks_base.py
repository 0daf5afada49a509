"""Shared pieces of the knowledge-base checks: the problem report and the reference check."""

from __future__ import annotations

import pandas as pd

from hunan_map.layers.errors import Problem
from hunan_map.layers.kb.tables import TABLES


def table_file(name: str) -> str:
    """The file name of a table."""
    return TABLES[name][0]


class Report:
    """Problems collected by every check, in the order found."""

    def __init__(self) -> None:
        self.problems: list[Problem] = []

    def add(self, table: str, row: int, column: str, message: str, fix: str) -> None:
        """One problem: table, physical line, column, what is wrong and the fix."""
        self.problems.append(Problem(table_file(table), int(row), column, message, fix))


def check_refs(df: pd.DataFrame, table: str, column: str, known: set[str], what: str,
               rep: Report, *, allow_empty: bool = False) -> None:
    for row in df.itertuples(index=False):
        value = getattr(row, column)
        if not value and allow_empty:
            continue
        if value not in known:
            from hunan_map.layers.kb.taxonomy import closest

            near = ", ".join(closest(value, sorted(known), limit=3)) if known and value else ""
            hint = f"use a known {what} id" + (f" (closest: {near})" if near else "")
            rep.add(table, row.csv_line, column, f"unknown {what} {value!r}", hint)

