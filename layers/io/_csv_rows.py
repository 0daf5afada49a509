"""CSV text in, its cells out: rows with more fields than the header (an unquoted comma inside a
cell) are taken out with their line numbers instead of stopping the whole file."""

from __future__ import annotations

import csv
import io
import warnings

import pandas as pd

REJECT_COLUMNS = ["line", "field", "reason", "fix"]


def read_cells(text: str, sep: str) -> tuple[pd.DataFrame, str, pd.DataFrame]:
    """All cells as text, the text read (long records blanked, line breaks kept) and the rejects
    table of the long records (line, field, reason, fix); pandas' own errors otherwise propagate.

    pandas alone is used while every record fits the header; it stops at a longer record, and
    silently drops the last cell of every record when the first record is one cell longer (it
    takes that as an index column), so in both cases the csv module finds the long records first.
    """
    if not _first_record_is_long(text, sep):
        try:
            return _parse(text, sep), text, pd.DataFrame(columns=REJECT_COLUMNS)
        except pd.errors.ParserError as exc:
            if "Expected" not in str(exc):
                raise
    cleaned, rejects = long_records(text, sep)
    return _parse(cleaned, sep), cleaned, rejects


def _first_record_is_long(text: str, sep: str) -> bool:
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=sep)
    try:
        rows = (row for row in reader if row)
        header, first = next(rows, []), next(rows, [])
    except csv.Error:
        return False
    return len(first) > len(header)


def _parse(text: str, sep: str) -> pd.DataFrame:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return pd.read_csv(io.StringIO(text), dtype=str, keep_default_na=False, sep=sep, index_col=False)


def long_records(text: str, sep: str) -> tuple[str, pd.DataFrame]:
    """Records with more fields than the header (an unquoted comma in a cell), found with the csv
    module: the text with each of them blanked (line breaks kept, so every other row keeps its
    line number) and a rejects table naming their lines.

    Extra fields that are all empty (trailing commas) are not an error: they are dropped."""
    lines = list(io.StringIO(text, newline=""))
    reader = csv.reader(iter(lines), delimiter=sep)
    header = None
    bad: list[tuple[int, int, int]] = []  # first line, last line, fields
    previous = 0
    try:
        for row in reader:
            start, previous = previous, reader.line_num
            if not row:
                continue
            if header is None:
                header = len(row)
                continue
            if len(row) > header and not _strip_empty_tail(lines, start, previous, row, header, sep):
                bad.append((start, previous, len(row)))
    except csv.Error:
        return text, pd.DataFrame(columns=REJECT_COLUMNS)
    for start, end, _n in bad:
        lines[start:end] = ["\n"] * (end - start)
    fix = "put cells that contain commas in double quotes, or remove the extra commas"
    rejects = pd.DataFrame([(start + 1, "row", f"{n} fields where the header has {header}", fix)
                            for start, _end, n in bad], columns=REJECT_COLUMNS)
    return "".join(lines), rejects


def _strip_empty_tail(lines: list[str], start: int, end: int, row: list[str], limit: int, sep: str) -> bool:
    """Drop a one-line record's extra fields when they are all empty (trailing commas), in place."""
    extra = len(row) - limit
    if end - start != 1 or any(cell.strip() for cell in row[limit:]):
        return False
    line = lines[start]
    body = line.rstrip("\r\n")
    kept = body.rstrip(" ")
    if not kept.endswith(sep * extra):
        return False
    lines[start] = kept[: len(kept) - extra] + line[len(body):]
    return True
