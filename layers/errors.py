"""Errors raised by the knowledge base and the layers (all are :class:`HunanMapError`)."""

from __future__ import annotations

from dataclasses import dataclass

from hunan_map.geo.errors import HunanMapError


class OutputExistsError(HunanMapError, FileExistsError):
    """The output file exists and ``overwrite`` was not given (or another process created it first)."""


class WriteError(HunanMapError):
    """An output could not be written completely; nothing was moved into place."""


class DiskFullError(WriteError):
    """The disk (or the process's file-size limit) filled up while writing; nothing was moved into place."""


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
        column = f" {self.column}:" if self.column else ""
        return f"{where}:{column} {self.message}; fix: {self.fix}"


class DataValidationError(HunanMapError):
    """The knowledge-base tables have problems; ``problems`` lists every one.

    The message shows the first few and how to see them all (``hunan-map validate --data DIR``).
    """

    def __init__(self, problems: list[Problem], data_dir: str | None = None, *, show: int = 5):
        import shlex

        self.problems = problems
        self.data_dir = data_dir
        where = f" in {data_dir}" if data_dir else " in the knowledge base"
        command = "hunan-map validate" + (f" --data {shlex.quote(str(data_dir))}" if data_dir else "")
        lines = "\n".join(f"  {p}" for p in problems[:show])
        more = f"\n  ... and {len(problems) - show} more" if len(problems) > show else ""
        super().__init__(f"{len(problems)} problem(s){where}; fix them first (every one: `{command}`):\n"
                         f"{lines}{more}")
