"""Knowledge-base tables (CSV under ``layers/kb/data`` or a user's copy) in, typed DataFrames out."""

from __future__ import annotations

from dataclasses import dataclass, fields
from functools import cached_property, lru_cache
from pathlib import Path

import numpy as np
import pandas as pd

from hunan_map.layers.kb.schema import EXTRA_TABLES, NUMERIC, OPTIONAL, TABLES, default_data_dir  # noqa: F401


@dataclass(frozen=True)
class KnowledgeBase:
    """All knowledge-base tables. Text columns are ``str`` ("" when empty), numbers are floats."""

    sources: pd.DataFrame
    industries: pd.DataFrame
    industry_tiers: pd.DataFrame
    parks: pd.DataFrame
    park_industries: pd.DataFrame
    industry_trees: pd.DataFrame
    targets: pd.DataFrame
    coverage: pd.DataFrame
    park_changes: pd.DataFrame
    clusters: pd.DataFrame
    cluster_members: pd.DataFrame
    layouts: pd.DataFrame
    layout_parts: pd.DataFrame
    part_industries: pd.DataFrame
    part_places: pd.DataFrame
    zone_locations: pd.DataFrame
    data_dir: str = ""

    def table_names(self) -> list[str]:
        """Names of the tables, in file order."""
        return [f.name for f in fields(self) if f.name != "data_dir"]

    # What follows is derived from the tables once per knowledge base (read-only views).

    @cached_property
    def taxonomy(self):
        """The industry tree with each document's own tree (:class:`~hunan_map.layers.kb.taxonomy.Taxonomy`)."""
        from hunan_map.layers.kb.taxonomy import Taxonomy

        return Taxonomy(self.industries, self.industry_tiers, self.industry_trees)

    @cached_property
    def facts(self) -> pd.DataFrame:
        """The long form: one row per entity, industry and cited fact (:func:`~hunan_map.layers.kb.facts.long_form`)."""
        from hunan_map.layers.kb.facts import long_form

        return long_form(self)

    @cached_property
    def glosses(self) -> dict[str, str]:
        """Chinese glosses of the English external citations and location notes (``external_glosses.csv``
        in the data folder, else the bundled one); a Chinese page shows these."""
        path = Path(self.data_dir) / "external_glosses.csv"
        src = path if path.is_file() else default_data_dir() / "external_glosses.csv"
        try:
            frame, problems = parse_table(src.read_bytes(), "external_glosses")
        except OSError:
            return {}
        return {} if problems else dict(zip(frame["en"], frame["zh"]))

    @cached_property
    def source_titles(self) -> dict[str, tuple[str, str, int]]:
        """Source id -> (short title, short English title, year)."""
        return {r.id: (r.short_title, r.short_title_en, int(r.year)) for r in self.sources.itertuples()}

    @cached_property
    def source_tiers(self) -> dict[tuple[str, str], list[str]]:
        """(source, industry id) -> the tiers that document's own system gives the industry."""
        t = self.industry_tiers[self.industry_tiers["tier"] != "sub_sector"]
        return t.groupby(["source", "industry"])["tier"].agg(lambda s: sorted(set(s))).to_dict()

    @cached_property
    def source_years(self) -> dict[str, int]:
        """Source id -> the year of the document."""
        return {r.id: int(r.year) for r in self.sources.itertuples() if pd.notna(r.year)}


#: How to save a table so it reads: the fix for encoding problems.
_SAVE_UTF8 = "save the file as UTF-8 (Excel: Save As > 'CSV UTF-8'; WPS/LibreOffice: choose UTF-8)"
_QUOTES = ("wrap a cell that contains a comma, a double quote or a line break in double quotes, and double "
           "the quotes inside it (\"\")")
#: At most this many rows of one table are reported for the same shape problem.
_SHOW_ROWS = 5


def _problem(name: str, line: int, column: str, message: str, fix: str):
    from hunan_map.layers.errors import Problem

    return Problem(_spec(name)[0], int(line), column, message, fix)


def _spec(name: str) -> tuple[str, list[str]]:
    return TABLES[name] if name in TABLES else EXTRA_TABLES[name]


def parse_table(raw: bytes, name: str) -> tuple[pd.DataFrame | None, list]:
    """The cells of one table file as text, checked for shape before anything else.

    Every problem names the file, the physical line (blank lines counted) and the fix: text
    that is not UTF-8 (GBK, UTF-16, binary), an empty file, unbalanced quotes, a header missing
    required columns (checked on the file as read, before optional columns are added), empty or
    repeated column names, and rows with more or fewer cells than the header (a trailing comma on
    every row is reported once).

    Returns
    -------
    tuple
        The table (``None`` when it has problems) and the list of
        :class:`~hunan_map.layers.errors.Problem`.
    """
    import csv
    import io

    from hunan_map.layers.io._text import TextProblem, decode_utf8

    required = _spec(name)[1]
    try:
        text = decode_utf8(raw, fix=_SAVE_UTF8)
    except TextProblem as exc:
        return None, [_problem(name, exc.line, "", exc.message, exc.fix)]
    if not text.strip():
        return None, [_problem(name, 1, "", "the file is empty",
                               f"start it with the header line: {','.join(required)}")]
    records: list[tuple[int, list[str]]] = []
    if "\r" in text and "\n" not in text:  # old Mac line ends
        text = text.replace("\r", "\n")
    # lines end at LF (a CR before it is part of the line end); a CR inside a quoted cell is not a line break
    reader = csv.reader(io.StringIO(text, newline="\n"), strict=True)
    previous = 0
    try:
        for cells in reader:
            start, previous = previous + 1, reader.line_num
            if any(c.strip() for c in cells):  # blank lines and lines of bare commas are skipped
                records.append((start, cells))
    except csv.Error as exc:
        return None, [_problem(name, previous + 1, "", f"cannot split the line into cells ({exc})", _QUOTES)]
    (header_line, header), rows = records[0], records[1:]
    names = [c.strip() for c in header]
    trailing = 0
    while names and names[-1] == "":
        names.pop()
        trailing += 1
    problems = []
    present = set(names)
    missing = [c for c in required if c not in present]
    if missing and len(missing) == len(required):
        return None, [_problem(name, header_line, "", f"line {header_line} is not the header: it names none of the "
                               f"columns {', '.join(required)}",
                               f"put the header line first: {','.join(required)}")]
    for col in missing:
        problems.append(_problem(name, header_line, col, f"column {col!r} is missing",
                                 f"add a {col!r} column to the header line (and a cell for it on every row)"))
    for i, col in enumerate(names):
        if not col:
            problems.append(_problem(name, header_line, "", f"column {i + 1} of the header has no name",
                                     "name it, or delete the column"))
        elif names.index(col) != i:
            problems.append(_problem(name, header_line, col, f"column {col!r} appears twice in the header "
                                     f"(columns {names.index(col) + 1} and {i + 1})", "keep one of them"))
    n = len(names)
    shapes: dict[str, list[tuple[int, int]]] = {"trailing": [], "more": [], "fewer": []}
    for line, cells in rows:
        extra = cells[n:]
        if len(cells) > n + trailing or (len(cells) > n and any(c.strip() for c in extra)):
            kind = "trailing" if not any(c.strip() for c in extra) else "more"
        elif len(cells) < n:
            kind = "fewer"
        else:
            continue
        shapes[kind].append((line, len(cells)))
    if shapes["trailing"] and len(shapes["trailing"]) == len(rows):
        line, count = shapes["trailing"][0]
        problems.append(_problem(name, line, "", f"every row ends with an extra comma ({count} cells; the header has "
                                 f"{n}), which shifts the columns", "remove the comma at the end of each row"))
    else:
        shapes["more"] = sorted(shapes["more"] + [(line, count, "trailing") for line, count in shapes["trailing"]])
    for kind, what in (("more", "more"), ("fewer", "fewer")):
        found = shapes[kind]
        for line, count, *how in found[:_SHOW_ROWS]:
            if how:
                message, fix = (f"the row has {count} cells (it ends with an extra comma), more than the {n} of the "
                                "header", "remove the comma at the end of the row")
            elif kind == "more":
                message, fix = (f"the row has {count} cells, more than the {n} of the header",
                                f"a cell contains a comma: {_QUOTES}")
            else:
                message, fix = (f"the row has {count} cells, fewer than the {n} of the header",
                                "add the missing cells: every row needs a comma-separated cell for each header "
                                "column, even when empty")
            problems.append(_problem(name, line, "", message, fix))
        if len(found) > _SHOW_ROWS:
            lines = ", ".join(str(f[0]) for f in found[_SHOW_ROWS:_SHOW_ROWS + 10])
            problems.append(_problem(name, found[_SHOW_ROWS][0], "", f"{len(found) - _SHOW_ROWS} more rows have "
                                     f"{what} cells than the header (lines {lines}{' ...' if len(found) > 15 else ''})",
                                     "fix them as above"))
    if problems:
        return None, problems
    width = n
    data = [[c.strip() for c in (cells + [""] * width)[:width]] for _line, cells in rows]
    if "'" in text:  # a cell guarded against spreadsheets by hunan-map's CSV output ('=...) reads back as it was
        from hunan_map.layers.io._cells import unguard_cell

        data = [[unguard_cell(c) for c in row] for row in data]
    df = pd.DataFrame(data, columns=names, dtype=object)
    if not len(df):
        df = pd.DataFrame({c: pd.Series(dtype=object) for c in names})
    return df.assign(csv_line=[line for line, _c in rows]), []


def _looks_numeric(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


def _typed(df: pd.DataFrame, name: str) -> pd.DataFrame:
    """Optional columns added as "", numeric columns as floats; unreadable numbers are listed in
    ``df.attrs["problems"]`` for :func:`hunan_map.layers.kb.validate.validate`."""
    for col in OPTIONAL.get(name, []):
        if col not in df.columns:
            df[col] = ""
    bad = []
    for col in NUMERIC.get(name, []):
        text = df[col].astype(str)
        numbers = pd.to_numeric(text.replace("", None), errors="coerce").astype(float)
        unread = ~np.isfinite(numbers) & (text != "")
        for line, raw in zip(df.loc[unread, "csv_line"], text[unread]):
            bad.append(_problem(name, line, col, f"{raw!r} is not a number" if not _looks_numeric(raw)
                                else f"{raw!r} is not a finite number (too large, inf or nan)",
                                "write digits only (decimal point '.', no units or thousands separators), "
                                "or leave the cell empty"))
        df[col] = numbers.where(~unread)
    df.attrs["problems"] = bad
    return df


def read_table(path, name: str) -> pd.DataFrame:
    """Read one CSV as strings, keeping empty cells as "" and adding missing optional columns.

    Parameters
    ----------
    path
        File path or Traversable.
    name
        Table name (a key of :data:`TABLES`).

    Returns
    -------
    pandas.DataFrame
        With a ``csv_line`` column giving the physical line of each row in the file (the header
        is usually line 1; blank lines are counted).

    Raises
    ------
    DataValidationError
        When the file cannot be read as a table (see :func:`parse_table`).
    """
    from hunan_map.layers.errors import DataValidationError

    df, problems = parse_table(path.read_bytes(), name)
    if problems:
        raise DataValidationError(problems)
    return _typed(df, name)


@lru_cache(maxsize=64)
def _read_bytes(raw: bytes, name: str) -> tuple[pd.DataFrame | None, tuple]:
    """One table's bytes parsed and typed, cached by content (``--data`` is read by the check and the command)."""
    df, problems = parse_table(raw, name)
    return (None if problems else _typed(df, name)), tuple(problems)


def read_tables(data_dir: str | Path | None = None) -> tuple[dict[str, pd.DataFrame], list]:
    """Every table of a data folder, and every problem that keeps one from being read.

    Returns
    -------
    tuple
        Table name -> DataFrame for the tables that read, and the problems (missing files,
        encodings, shapes, columns) of the others.
    """
    base = default_data_dir() if data_dir is None else Path(data_dir)
    tables, problems = {}, []
    for name, (filename, _cols) in TABLES.items():
        path = base / filename
        if not path.is_file():
            problems.append(_problem(name, 0, "", f"missing table {filename!r} in {str(base)!r}",
                                     f"copy it from the bundled data folder {str(default_data_dir())!r} and edit it"))
            continue
        try:
            raw = path.read_bytes()
        except OSError as exc:
            problems.append(_problem(name, 0, "", f"cannot read the file ({exc.strerror})", "check its permissions"))
            continue
        df, found = _read_bytes(raw, name)
        if found:
            problems.extend(found)
        else:
            tables[name] = df.copy()  # attrs (the number problems) are copied too
    for name, (filename, _cols) in EXTRA_TABLES.items():
        path = base / filename
        if data_dir is not None and path.is_file():
            try:
                problems.extend(parse_table(path.read_bytes(), name)[1])
            except OSError as exc:
                problems.append(_problem(name, 0, "", f"cannot read the file ({exc.strerror})", "check its permissions"))
    return tables, problems


def load(data_dir: str | Path | None = None) -> KnowledgeBase:
    """Load every table of the knowledge base.

    Parameters
    ----------
    data_dir
        A folder with the CSV files (a user's edited copy); the bundled data by default.

    Returns
    -------
    KnowledgeBase

    Raises
    ------
    DataValidationError
        When a table is missing or cannot be read as a table; every such problem is listed
        (file, line, fix). Content problems are found by
        :func:`hunan_map.layers.kb.validate.validate`.
    """
    from hunan_map.layers.errors import DataValidationError

    base = default_data_dir() if data_dir is None else Path(data_dir)
    tables, problems = read_tables(data_dir)
    if problems:
        raise DataValidationError(problems, None if data_dir is None else str(data_dir))
    return KnowledgeBase(**tables, data_dir=str(base))
