"""CSV cells out and back: text a spreadsheet would run as a formula gets a leading apostrophe (OWASP CSV injection), and loses it on reading."""

from __future__ import annotations

import re

import pandas as pd

#: A cell starting with one of these is a formula (or becomes one) in Excel, WPS and LibreOffice.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
_NUMBER = re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?")


def _text(dtype) -> bool:
    return dtype == object or pd.api.types.is_string_dtype(dtype)


def safe_cell(value):
    """One cell: text starting like a formula gets a leading ``'``; numbers (also written as text) are left."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS) and not _NUMBER.fullmatch(value):
        return "'" + value
    return value


def unguard_cell(value):
    """The inverse of :func:`safe_cell` for a cell read back: ``'=1+1`` -> ``=1+1``; other text unchanged."""
    if isinstance(value, str) and value[:1] == "'" and value[1:2] in FORMULA_STARTS and value[1:2]:
        return value[1:]
    return value


def spreadsheet_safe(frame: pd.DataFrame, *, raw: bool = False) -> pd.DataFrame:
    """A copy of ``frame`` for CSV whose text cells, column names and index labels cannot run as formulas
    (``raw`` returns it unchanged)."""
    if raw:
        return frame
    out = pd.DataFrame(frame).copy()
    for col in out.columns:
        if _text(out[col].dtype):
            out[col] = out[col].map(safe_cell)
    out.columns = [safe_cell(c) for c in out.columns]
    if _text(out.index.dtype):
        out.index = pd.Index([safe_cell(v) for v in out.index], name=safe_cell(out.index.name))
    return out


def unguard_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """Cells and column names of a CSV read back with the apostrophe of :func:`spreadsheet_safe` removed."""
    guarded = [c for c in frame.columns if _text(frame[c].dtype) and frame[c].str.startswith("'", na=False).any()]
    for col in guarded:
        frame[col] = frame[col].map(unguard_cell)
    frame.columns = [unguard_cell(c) for c in frame.columns]
    return frame
