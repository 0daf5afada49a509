"""Corruption generator: every table and column of the knowledge base broken by its type; `validate`
refuses the copy (exit 1, naming file, line and column, with the fix) or every command works on it.

The cases come from the schema (``TABLES``, the numeric columns, the references and trees ``validate``
checks), not from a list tuned to the code. ``validate`` runs on every case; the cases it passes are
combined into a few copies (a corruption that passes must be harmless next to others: cell edits on
different rows, one byte transform per file) and the whole command set runs once per copy; a
failing copy is rerun case by case to name the culprit.
"""

from __future__ import annotations

import codecs
import csv
import io
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

import pytest

from hunan_map.layers.kb import TABLES, default_data_dir
from hunan_map.layers.kb.tables import NUMERIC

pytestmark = pytest.mark.slow

GLOSSES = ("external_glosses.csv", ["en", "zh"])
#: Columns that name a row of another table (or a place), as validate checks them.
REFS = {
    "industries": ["parent"], "industry_tiers": ["source", "industry"],
    "parks": ["source", "prefecture_adcode", "county_adcode", "other_county_adcodes"],
    "park_industries": ["park", "industry", "source"], "industry_trees": ["source", "industry", "parent"],
    "targets": ["source", "industry", "subject"], "coverage": ["source", "tables"],
    "park_changes": ["park", "source"], "clusters": ["industry", "source"],
    "cluster_members": ["cluster", "member", "source"], "layouts": ["source"],
    "layout_parts": ["layout", "source"], "part_industries": ["part", "industry", "source"],
    "part_places": ["part", "place", "source"],
}
DATES = {"sources": ["date"], "parks": ["approved"]}
BAD_NUMBERS = ("abc", "inf", "-inf", "nan", "-1", "1e400", "99999999999999999999", "1,000", "2.5", "0x10")
BAD_DATES = ("2023-13-45", "yesterday", "20231018")
#: A text column of each table to carry line breaks, escapes and formulas.
TEXT_COLUMN = ("note", "name_en", "name_in_source", "topic", "reason", "zh", "section", "evidence")
ESCAPE = "\x1b]0;pwned\x07\x1b[2J"
ADCODE_COLUMNS = ("prefecture_adcode", "county_adcode", "other_county_adcodes")


@dataclass(frozen=True)
class Case:
    """One corruption: the file it breaks, the column it is about ('' for the whole file), the new bytes.

    ``kind`` says how it combines with others of the same file: "cell" edits the cells of ``rows`` only,
    "bytes" transforms the whole file's bytes (BOM, line ends: applied last), "whole" changes the table.
    """

    id: str
    file: str
    column: str
    make: Callable[[bytes], bytes]
    kind: str = "whole"
    rows: tuple[int, ...] = ()


def _rows(raw: bytes) -> tuple[list[str], list[list[str]]]:
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"), newline="")))
    return rows[0], rows[1:]


def _write(header: list[str], rows: list[list[str]]) -> bytes:
    buf = io.StringIO()
    cr = any("\r" in cell for row in rows for cell in row)  # the csv module leaves a lone CR unquoted
    csv.writer(buf, lineterminator="\n", quoting=csv.QUOTE_ALL if cr else csv.QUOTE_MINIMAL).writerows([header, *rows])
    return buf.getvalue().encode("utf-8")


def _set(column: str, value: str, row: int = 0) -> Callable[[bytes], bytes]:
    def make(raw: bytes) -> bytes:
        header, rows = _rows(raw)
        rows[row][header.index(column)] = value
        return _write(header, rows)

    return make


def _drop(column: str) -> Callable[[bytes], bytes]:
    def make(raw: bytes) -> bytes:
        header, rows = _rows(raw)
        i = header.index(column)
        return _write(header[:i] + header[i + 1:], [r[:i] + r[i + 1:] for r in rows])

    return make


def _tree_case(table: str, kind: str) -> Callable[[bytes], bytes]:
    """A self-parent, or a two-node cycle, between industries that both have a row."""

    def make(raw: bytes) -> bytes:
        header, rows = _rows(raw)
        key = "id" if table == "industries" else "industry"
        k, p = header.index(key), header.index("parent")
        child = next(i for i, r in enumerate(rows) if r[p])
        if kind == "self":
            rows[child][p] = rows[child][k]
            return _write(header, rows)
        parent_id = rows[child][p]
        same = (lambda r: r[0] == rows[child][0]) if table == "industry_trees" else (lambda r: True)
        parent = next(i for i, r in enumerate(rows) if r[k] == parent_id and same(r))
        rows[parent][p] = rows[child][k]
        return _write(header, rows)

    return make


def _text_col(header: list[str]) -> str:
    return next(c for c in TEXT_COLUMN if c in header)


def cases() -> list[Case]:
    """Every corruption of every table, from the schema."""
    out: list[Case] = []
    tables = {name: spec for name, spec in TABLES.items()}
    tables["external_glosses"] = GLOSSES
    for name, (file, required) in tables.items():
        header, _rows_ = _rows((default_data_dir() / file).read_bytes())
        text = _text_col(header)

        n_rows = len(_rows_)
        cells = iter(range(10**6))

        def add(kind: str, column: str, make: Callable[[bytes], bytes], file=file, name=name, how="whole",
                rows=()) -> None:
            out.append(Case(f"{name}:{kind}" + (f":{column}" if column else ""), file, column, make, how, rows))

        def add_cell(kind: str, column: str, value: str, cells=cells, n_rows=n_rows, unique=False) -> None:
            row = next(cells) % n_rows  # cell cases of a table use different rows, so they combine
            text = f"{value} {row}" if unique else value  # names stay unique when combined
            add(kind, column, _set(column, text, row), how="cell", rows=(row,))

        add("empty", "", lambda raw: b"")
        add("header_only", "", lambda raw: raw.split(b"\n", 1)[0] + b"\n")
        add("only_blank_lines", "", lambda raw: b"\n\n\n")
        for col in required:
            add("missing_column", col, _drop(col))
        add("extra_column", "", lambda raw: _write(_rows(raw)[0] + ["extra"], [r + ["x"] for r in _rows(raw)[1]]))
        add("extra_cell", "", lambda raw: _write(_rows(raw)[0], [_rows(raw)[1][0] + ["x"], *_rows(raw)[1][1:]]))
        add("short_row", "", lambda raw: _write(_rows(raw)[0], [_rows(raw)[1][0][:-1], *_rows(raw)[1][1:]]))
        add("repeated_row", "", lambda raw: _write(_rows(raw)[0], [*_rows(raw)[1], _rows(raw)[1][0]]))
        add("repeated_row_adjacent", "", lambda raw: _write(_rows(raw)[0], [_rows(raw)[1][0], *_rows(raw)[1]]))
        add("bom", "", lambda raw: codecs.BOM_UTF8 + raw, how="bytes")
        add("gb18030", "", lambda raw: raw.decode("utf-8").encode("gb18030", errors="replace") + "中".encode("gb18030"))
        add("utf16", "", lambda raw: raw.decode("utf-8").encode("utf-16"))
        add("stray_byte", "", lambda raw: raw.replace(b"\n", b"\n\xe9", 1))
        add("nul_byte", "", lambda raw: raw.replace(b"\n", b"\n\x00", 1))
        add("unbalanced_quote", "", lambda raw: raw.replace(b"\n", b'\n"', 1))
        add("crlf_line_ends", "", lambda raw: raw.replace(b"\n", b"\r\n"), how="bytes")
        add("cr_line_ends", "", lambda raw: raw.replace(b"\n", b"\r"), how="bytes")
        for label, value in (("cr_in_cell", "a\rb"), ("lf_in_cell", "a\nb"), ("crlf_in_cell", "a\r\nb"),
                             ("escape_in_cell", ESCAPE), ("formula_in_cell", "=HYPERLINK(\"http://x\",\"y\")"),
                             ("html_in_cell", "<script>alert(1)</script>")):
            add_cell(label, text, value, unique=True)
        for col in NUMERIC.get(name, []):
            for value in BAD_NUMBERS:
                add_cell(f"number={value}", col, value)
        for col in DATES.get(name, []):
            for value in BAD_DATES:
                add_cell(f"date={value}", col, value)
        for col in REFS.get(name, []):
            add_cell("dangling", col, "999999" if col in ADCODE_COLUMNS else "no_such_thing")
        if "id" in header:
            add("empty_id", "id", _set("id", ""))
            add("duplicate_id", "id", lambda raw: _set("id", _rows(raw)[1][0][0], 1)(raw))
        if name in ("industries", "industry_trees"):
            add("self_parent", "parent", _tree_case(name, "self"))
            add("cycle", "parent", _tree_case(name, "cycle"))
    return out


CASES = cases()
PROBLEM = re.compile(r"^(?P<file>[\w.]+\.csv):(?P<line>\d+):(?: (?P<column>[^:]+):)? .+; fix: .+$")


def _copy(dst: Path) -> Path:
    dst.mkdir(parents=True)
    for item in default_data_dir().iterdir():
        if item.name.endswith(".csv"):
            (dst / item.name).write_bytes(item.read_bytes())
    return dst


def _apply(folder: Path, case: Case) -> None:
    path = folder / case.file
    path.write_bytes(case.make(path.read_bytes()))


def _clean(res) -> bool:
    return (res.exception is None or isinstance(res.exception, SystemExit)) and "internal error" not in res.output \
        and "Traceback" not in res.output


def check_validate(invoke, folder: Path, case: Case) -> str:
    """'pass' or 'refused'; raises AssertionError when validate fails inside or names no file and line."""
    res = invoke("validate", "--data", folder)
    assert _clean(res), (case.id, res.output)
    assert res.exit_code in (0, 1), (case.id, res.exit_code, res.output)
    if res.exit_code == 0:
        return "pass"
    lines = [ln for ln in res.stderr.splitlines() if ln.strip()]
    assert re.fullmatch(r"\d+ problem\(s\) found", lines[-1]), (case.id, lines)
    for line in lines[:-1]:
        m = PROBLEM.match(line)
        assert m, (case.id, line)
        assert m["line"] != "0" or "missing table" in line, (case.id, line)
    if case.column:
        named = {m["file"] for m in map(PROBLEM.match, lines[:-1])}
        assert case.file in named or any(case.column in ln for ln in lines[:-1]), (case.id, lines)
    return "refused"


COMMANDS = [
    ["validate"], ["render", "-o", "{out}/map.html"], ["export", "all", "-o", "{out}/all.gpkg"],
    ["export", "parks", "-o", "{out}/parks.csv"], ["matrix", "-o", "{out}/matrix.csv"],
    ["matrix", "--by", "zone", "--entity", "clusters"], ["targets"], ["targets", "-f", "csv"],
    ["compare-catalogue", "-o", "{out}/cmp.csv"], ["industries"], ["layouts"], ["sources"],
    *[["query", layer] for layer in ("parks", "platforms", "clusters", "zones", "corridors", "facts", "park-zones")],
]


def run_commands(invoke, folder: Path, out: Path) -> list[str]:
    """Every command on the data: the failures as 'command: output'."""
    failures = []
    out.mkdir(parents=True, exist_ok=True)
    for cmd in COMMANDS:
        args = [a.format(out=out) for a in cmd] + ["--data", str(folder)]
        res = invoke(*args)
        if res.exit_code != 0 or not _clean(res):
            failures.append(f"{' '.join(cmd)}: exit {res.exit_code}: {res.output.strip()[-400:]}")
    return failures


def _fits(group: list[Case], case: Case) -> bool:
    """Whether ``case`` combines with the cases of ``group`` (see :class:`Case`)."""
    same = [c for c in group if c.file == case.file]
    if not same:
        return True
    if case.kind == "whole" or any(c.kind == "whole" for c in same):
        return False
    if case.kind == "bytes":
        return not any(c.kind == "bytes" for c in same)
    return not any(set(c.rows) & set(case.rows) for c in same if c.kind == "cell")


def _apply_all(folder: Path, group: list[Case]) -> None:
    order = {"cell": 0, "whole": 1, "bytes": 2}
    for case in sorted(group, key=lambda c: order[c.kind]):
        _apply(folder, case)


def _passing_parts(invoke, folder: Path, group: list[Case]) -> list[list[Case]]:
    """``group`` split (in halves, as needed) into parts whose combined copy validate passes: cases that pass
    one by one may be refused together (say, every row citing a section edited), which is no failure."""
    copy = _copy(folder / f"v{len(list(folder.glob('v*'))) if folder.exists() else 0}")
    _apply_all(copy, group)
    if check_validate(invoke, copy, Case("combined", "", "", bytes)) == "pass":
        return [group]
    if len(group) == 1:
        return []
    half = len(group) // 2
    return _passing_parts(invoke, folder, group[:half]) + _passing_parts(invoke, folder, group[half:])


def test_every_corruption_is_refused_by_validate_or_harmless(invoke, tmp_path, capsys):
    """validate on every case; the commands on the cases it passes; 0 internal errors, 0 'passed, then failed'."""
    passed: list[Case] = []
    refused = 0
    bad: list[str] = []
    folder = _copy(tmp_path / "kb")
    originals = {p.name: p.read_bytes() for p in folder.iterdir()}
    for case in CASES:
        _apply(folder, case)
        try:
            if check_validate(invoke, folder, case) == "pass":
                passed.append(case)
            else:
                refused += 1
        except AssertionError as exc:
            bad.append(f"validate: {exc}")
        (folder / case.file).write_bytes(originals[case.file])
    groups: list[list[Case]] = []
    for case in passed:
        group = next((g for g in groups if _fits(g, case)), None)
        if group is None:
            groups.append(group := [])
        group.append(case)
    folder = tmp_path / "groups"
    runnable = [g for group in groups for g in _passing_parts(invoke, folder, group)]
    failed_after_pass = []
    for g, group in enumerate(runnable):
        copy = _copy(folder / f"g{g}")
        _apply_all(copy, group)
        if not run_commands(invoke, copy, folder / f"g{g}out"):
            continue
        for i, case in enumerate(group):  # name the culprit
            single = _copy(folder / f"g{g}_{i}")
            _apply(single, case)
            failed_after_pass += [f"{case.id}: {f}" for f in run_commands(invoke, single, folder / f"g{g}_{i}out")]
    with capsys.disabled():
        print(f"\ncorruption cases: {len(CASES)} ({refused} refused by validate, {len(passed)} passed and run through "
              f"{len(COMMANDS)} commands in {len(runnable)} combined copies); validate failures: {len(bad)}; "
              f"passed validate then a command failed: {len(failed_after_pass)}")
    assert not bad, "\n".join(bad[:20])
    assert not failed_after_pass, "\n".join(failed_after_pass[:20])


def test_case_count_covers_every_table_and_column():
    """The generator reaches every table file and every required column."""
    files = {c.file for c in CASES}
    assert files == {f for f, _c in TABLES.values()} | {GLOSSES[0]}
    for name, (file, cols) in TABLES.items():
        touched = {c.column for c in CASES if c.file == file}
        assert set(cols) <= touched | {""}, (name, set(cols) - touched)
    assert len(CASES) > 300
