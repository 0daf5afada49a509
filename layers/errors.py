"""Errors raised by the knowledge base and the layers (all are :class:`HunanMapError`)."""

from __future__ import annotations

from dataclasses import dataclass

from hunan_map.geo.errors import HunanMapError


class UnknownValueError(HunanMapError, ValueError):
    """A filter value (industry, tier, layout, document, place) that is not in the knowledge base."""


@dataclass(frozen=True)
class Problem:
    """One problem in the knowledge-base tables: where it is and how to fix it."""

    file: str
    row: int
    column: str
    message: str
    fix: str

    def __str__(self) -> str:
        where = f"{self.file}:{self.row}" if self.row else self.file
        return f"{where}: {self.column}: {self.message}; fix: {self.fix}"


class DataValidationError(HunanMapError):
    """The knowledge-base tables have problems; ``problems`` lists every one."""

    def __init__(self, problems: list[Problem]):
        self.problems = problems
        lines = "\n".join(str(p) for p in problems)
        super().__init__(f"{len(problems)} problem(s) in the knowledge base:\n{lines}")
