"""Issue 26's reproductions: validate guards what the commands read, no input reaches "internal error", no
output replaces a file the run reads, control characters never reach the terminal raw, CSV is spreadsheet-safe."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path
import re
import zipfile

import pytest

from hunan_map.layers.kb import default_data_dir

ESC = "\x1b]0;pwned\x07\x1b[2J"


@pytest.fixture
def data(tmp_path):
    dst = tmp_path / "kb"
    dst.mkdir()
    for item in default_data_dir().iterdir():
        if item.name.endswith(".csv"):
            (dst / item.name).write_bytes(item.read_bytes())
    return dst


def set_cell(path, row: int, column: str, value: str) -> None:
    rows = list(csv.reader(io.StringIO(path.read_bytes().decode("utf-8"), newline="")))
    rows[row][rows[0].index(column)] = value
    with path.open("w", encoding="utf-8", newline="") as fh:
        csv.writer(fh, lineterminator="\n", quoting=csv.QUOTE_ALL).writerows(rows)


def one_problem(res, prefix: str) -> str:
    """Exit 1 and exactly one problem line, starting with file:line: column."""
    assert res.exit_code == 1, res.output
    assert "internal error" not in res.output and "Traceback" not in res.output
    lines = [ln for ln in res.stderr.splitlines() if ln.strip()]
    assert lines[-1] == "1 problem(s) found", lines
    (line,) = lines[:-1]
    assert line.startswith(prefix) and "; fix: " in line, (line, prefix)
    return line


# ------------------------------------------------------------------ validate is the gate


def test_park_changes_year_abc_is_one_problem_and_render_refuses(invoke, data, tmp_path):
    set_cell(data / "park_changes.csv", 1, "year", "abc")
    one_problem(invoke("validate", "--data", data), "park_changes.csv:2: year: 'abc' is not a number")
    for value in ("inf", "1,000"):
        set_cell(data / "park_changes.csv", 1, "year", value)
        one_problem(invoke("validate", "--data", data), f"park_changes.csv:2: year: {value!r}")
    res = invoke("render", "-o", tmp_path / "m.html", "--data", data)
    assert res.exit_code == 1 and "park_changes.csv:2: year" in res.stderr and "internal error" not in res.stderr
    assert not (tmp_path / "m.html").exists()


def test_empty_external_glosses_is_one_problem(invoke, data):
    (data / "external_glosses.csv").write_bytes(b"")
    one_problem(invoke("validate", "--data", data), "external_glosses.csv:1: the file is empty")


@pytest.mark.parametrize("table,column", [("sources", "year"), ("layout_parts", "seq"), ("part_places", "seq"),
                                          ("industry_tiers", "rank"), ("targets", "year")])
def test_inf_in_an_integer_column_is_one_problem(invoke, data, table, column):
    set_cell(data / f"{table}.csv", 1, column, "inf")
    line = one_problem(invoke("validate", "--data", data), f"{table}.csv:2: {column}: 'inf'")
    assert "not a finite number" in line


def test_repeated_part_places_row_is_one_problem(invoke, data):
    path = data / "part_places.csv"
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    path.write_text("".join(lines + [lines[1]]), encoding="utf-8")
    one_problem(invoke("validate", "--data", data), f"part_places.csv:{len(lines) + 1}: the row repeats line 2")


@pytest.mark.parametrize("parent", ["oil_to_chemicals", "petrochemicals"])
def test_tree_cycle_or_self_parent_is_one_problem(invoke, data, parent):
    set_cell(data / "industry_trees.csv", 1, "parent", parent)  # petrochemicals under oil_to_chemicals, or itself
    line = one_problem(invoke("validate", "--data", data), "industry_trees.csv:")
    assert "parent: cycle in the tree of hn2023: " in line and "petrochemicals" in line


def test_duplicate_target_id_is_refused(invoke, data):
    set_cell(data / "targets.csv", 2, "id", "hn2023_t01")
    one_problem(invoke("validate", "--data", data), "targets.csv:3: id: duplicate id 'hn2023_t01'")


def test_cr_inside_a_quoted_cell_is_not_a_line_break(invoke, data):
    path = data / "targets.csv"
    rows = list(csv.reader(io.StringIO(path.read_bytes().decode("utf-8"), newline="")))
    rows[1][rows[0].index("note")] = "first\rsecond"
    rows[3][rows[0].index("note")] = "third\r\nfourth"
    with path.open("w", encoding="utf-8", newline="") as fh:
        csv.writer(fh, lineterminator="\n", quoting=csv.QUOTE_ALL).writerows(rows)
    assert invoke("validate", "--data", data).exit_code == 0
    from hunan_map.layers.kb import load

    kb = load(data)
    assert kb.targets["note"].iloc[0] == "first\rsecond" and len(kb.targets) == len(rows) - 1
    assert list(kb.targets["csv_line"].iloc[:4]) == [2, 3, 4, 6]  # only LF ends a line
    set_cell(path, 5, "id", "")  # a problem after the cells: its line number counts LF only
    one_problem(invoke("validate", "--data", data), "targets.csv:7: id: id is empty")


# ------------------------------------------------------------------ no output onto a file the run reads


@pytest.mark.parametrize("args", [
    ["compare-catalogue", "-o", "{data}/parks.csv"], ["matrix", "-o", "{data}/targets.csv"],
    ["export", "parks", "-o", "{data}/external_glosses.csv"], ["render", "-o", "{out}/m.html", "--png", "{data}/parks.csv"],
])
def test_no_command_writes_over_a_table_it_reads(invoke, data, tmp_path, args):
    before = {p.name: p.read_bytes() for p in data.iterdir()}
    res = invoke(*[a.format(data=data, out=tmp_path) for a in args], "--data", data, "--overwrite")
    assert res.exit_code == 2 and "is an input" in res.stderr, res.output
    assert {p.name: p.read_bytes() for p in data.iterdir()} == before


def test_png_may_not_be_the_rejects_file_or_the_map(invoke, tmp_path):
    ov = tmp_path / "pts.csv"
    ov.write_text("name,lon,lat\na,112.9,28.2\nb,0,0\n", encoding="utf-8")
    res = invoke("render", "--overlay", ov, "-o", tmp_path / "m.html", "--png", tmp_path / "m.html.rejects.csv")
    assert res.exit_code == 2 and "also the output of" in res.stderr, res.output
    res = invoke("render", "-o", tmp_path / "m.html", "--png", tmp_path / "m.html")
    assert res.exit_code == 2 and "also the output of" in res.stderr
    assert not list(tmp_path.glob("m.*"))


# ------------------------------------------------------------------ no input reaches "internal error"


def _no_internal_error(res) -> None:
    assert "internal error" not in res.output and "Traceback" not in res.output, res.output
    assert res.exception is None or isinstance(res.exception, SystemExit), res.exception


def test_hostile_overlays_never_reach_internal_error(invoke, tmp_path):
    """Curved and empty WKT rows are rejected once each; a symlink loop and a non-text codec are one line."""
    curved = tmp_path / "curved.csv"
    curved.write_text('name,wkt\na,"CIRCULARSTRING(112 28, 112.5 28.5, 113 28)"\nb,POINT EMPTY\nc,POLYGON EMPTY\n'
                      'd,"CURVEPOLYGON(CIRCULARSTRING(112 28, 113 28, 112 28))"\ne,POINT (112.9 28.2)\n', encoding="utf-8")
    for command in (["render", "-o", tmp_path / "m.html"], ["export", "overlay", "-o", tmp_path / "m.geojson"]):
        res = invoke(*command, "--overlay", curved)
        _no_internal_error(res)
        assert res.exit_code == 0, res.output
        rejects_file = Path(f"{command[-1]}.rejects.csv")  # <output>.rejects.csv
        assert [ln for ln in res.stderr.splitlines() if ln.startswith("Warning")] == [
            f"Warning: 4 row(s) of {curved} rejected (lines 2, 3, 4, 5); details in {rejects_file}"]
        with rejects_file.open(encoding="utf-8") as fh:
            rejects = list(csv.DictReader(fh))
        assert [r["line"] for r in rejects] == ["2", "3", "4", "5"]
        assert "curved geometry" in rejects[0]["reason"] and "curved geometry" in rejects[3]["reason"]
        assert rejects[1]["reason"] == rejects[2]["reason"] == "empty geometry"
        rejects_file.unlink()
    loop = tmp_path / "loop.csv"
    (tmp_path / "a").symlink_to(tmp_path / "b")
    (tmp_path / "b").symlink_to(tmp_path / "a")
    loop.symlink_to(tmp_path / "a")
    for command in (["render", "-o", tmp_path / "l.html"], ["export", "overlay", "-o", tmp_path / "l.csv"]):
        res = invoke(*command, "--overlay", loop)
        _no_internal_error(res)
        assert res.exit_code == 1 and res.stderr.strip().count("\n") == 0 and str(loop) in res.stderr, res.output
    res = invoke("export", "overlay", "--overlay", curved, "-o", tmp_path / "r.csv", "--encoding", "rot13")
    _no_internal_error(res)
    assert res.exit_code == 2 and "'rot13' is not a text encoding" in res.stderr


def test_empty_geojson_geometries_rejected_once(invoke, tmp_path):
    src = tmp_path / "e.geojson"
    src.write_text(json.dumps({"type": "FeatureCollection", "features": [
        {"type": "Feature", "properties": {"n": 1}, "geometry": None},
        {"type": "Feature", "properties": {"n": 2}, "geometry": {"type": "Polygon", "coordinates": []}},
        {"type": "Feature", "properties": {"n": 3}, "geometry": {"type": "Point", "coordinates": [112.9, 28.2]}}]}))
    res = invoke("export", "overlay", "--overlay", src, "-o", tmp_path / "o.geojson")
    _no_internal_error(res)
    with (tmp_path / "o.geojson.rejects.csv").open(encoding="utf-8") as fh:
        assert [(r["line"], r["reason"]) for r in csv.DictReader(fh)] == [("1", "empty geometry"), ("2", "empty geometry")]
    assert all(len(ln) < 300 for ln in res.stderr.splitlines())


# ------------------------------------------------------------------ control characters escaped


def test_table_text_with_escapes_is_escaped_on_stdout(invoke, data):
    set_cell(data / "parks.csv", 1, "name", "园" + ESC)
    set_cell(data / "industries.csv", 1, "name_en", "Equip" + ESC)
    set_cell(data / "layouts.csv", 1, "name", "布局" + ESC)
    set_cell(data / "sources.csv", 1, "title", "标题" + ESC)
    set_cell(data / "targets.csv", 1, "metric", "scale" + ESC)
    for args in (["query", "platforms"], ["industries"], ["layouts"], ["sources"], ["targets"]):
        res = invoke(*args, "--data", data)
        assert res.exit_code == 0, res.output
        assert "\x1b" not in res.output and "\x07" not in res.output, args
        compact = re.sub(r"[\s│┃]", "", res.stdout)  # table cells fold long text over lines
        assert "pwned" in compact and "\\x" in res.stdout, (args, res.stdout[:500])


def test_file_and_member_names_with_escapes_are_escaped_on_stderr(invoke, tmp_path):
    archive = tmp_path / "in.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        zf.writestr(f"a{ESC}.csv", "name,lon,lat\na,112.9,28.2\n")
        zf.writestr("b.csv", "name,lon,lat\nb,112.9,28.2\n")
    res = invoke("export", "overlay", "--overlay", archive, "-o", tmp_path / "o.geojson")
    assert res.exit_code == 1 and "holds 2 data files" in res.stderr
    assert "\x1b" not in res.stderr and "\\x1b]0;pwned\\x07" in res.stderr
    missing = tmp_path / f"no{ESC}.csv"
    res = invoke("export", "overlay", "--overlay", missing, "-o", tmp_path / "o.geojson")
    assert res.exit_code == 1 and "\x1b" not in res.stderr and "\x07" not in res.stderr


# ------------------------------------------------------------------ spreadsheet-safe CSV


def test_export_overlay_guards_formulas_and_reads_them_back(invoke, tmp_path):
    src = tmp_path / "f.csv"
    src.write_text('name,note,count,lon,lat\n=1+1,"=HYPERLINK(""http://x"",""y"")",-5,112.9,28.2\n'
                   "@SUM(A1),+cmd,3,112.95,28.25\nplain,-2+3,-1.5,113.0,28.3\n", encoding="utf-8")
    res = invoke("export", "overlay", "--overlay", src, "-o", tmp_path / "out.csv")
    assert res.exit_code == 0, res.output
    with (tmp_path / "out.csv").open(encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    assert [r["name"] for r in rows] == ["'=1+1", "'@SUM(A1)", "plain"]
    assert [r["note"] for r in rows] == ["'=HYPERLINK(\"http://x\",\"y\")", "'+cmd", "'-2+3"]
    assert [r["count"] for r in rows] == ["-5", "3", "-1.5"]  # numbers (also as text) untouched
    assert rows[0]["lon"] == "112.9"
    raw = invoke("export", "overlay", "--overlay", src, "-o", tmp_path / "raw.csv", "--csv-raw")
    assert raw.exit_code == 0
    with (tmp_path / "raw.csv").open(encoding="utf-8") as fh:
        assert [r["name"] for r in csv.DictReader(fh)] == ["=1+1", "@SUM(A1)", "plain"]
    back = invoke("export", "overlay", "--overlay", tmp_path / "out.csv", "-o", tmp_path / "back.geojson")
    assert back.exit_code == 0, back.output
    feats = json.loads((tmp_path / "back.geojson").read_text(encoding="utf-8"))["features"]
    assert [f["properties"]["name"] for f in feats] == ["=1+1", "@SUM(A1)", "plain"]


def test_every_csv_output_is_guarded(invoke, data, tmp_path):
    set_cell(data / "parks.csv", 1, "name", "=HYPERLINK(\"http://x\")")
    set_cell(data / "targets.csv", 1, "metric", "-cmd")
    # an industry whose name no catalogue wording relies on (validate checks that wording is a name)
    words = {r["wording"] for r in csv.DictReader(io.StringIO((data / "park_industries.csv").read_text(encoding="utf-8")))}
    names = [r["name"] for r in csv.DictReader(io.StringIO((data / "industries.csv").read_text(encoding="utf-8")))]
    set_cell(data / "industries.csv", next(i for i, n in enumerate(names, 1) if n not in words), "name", "+工业")
    outputs = {
        "query": invoke("query", "platforms", "-f", "csv", "--data", data).stdout,
        "targets": invoke("targets", "-f", "csv", "--data", data).stdout,
        "matrix": invoke("matrix", "--data", data).stdout,
    }
    assert invoke("compare-catalogue", "-o", tmp_path / "c.csv", "--data", data).exit_code == 0
    outputs["compare"] = (tmp_path / "c.csv").read_text(encoding="utf-8")
    assert invoke("export", "platforms", "-o", tmp_path / "p.csv", "--data", data).exit_code == 0
    outputs["export"] = (tmp_path / "p.csv").read_text(encoding="utf-8")
    for name, text in outputs.items():
        cells = [c for row in csv.reader(io.StringIO(text)) for c in row]
        assert cells, name
        bad = [c for c in cells if c[:1] in ("=", "+", "@") or (c[:1] == "-" and not c.lstrip("-").replace(".", "").isdigit())]
        assert not bad, (name, bad[:5])
    assert "'=HYPERLINK" in outputs["query"] and "'-cmd" in outputs["targets"] and "'+工业" in outputs["matrix"]
    assert "'=HYPERLINK" in outputs["export"]
    raw = invoke("query", "platforms", "-f", "csv", "--csv-raw", "--data", data).stdout
    assert "\n=HYPERLINK" in raw or ",=HYPERLINK" in raw or '"=HYPERLINK' in raw


HOSTILE_FILES = {
    "folder.csv": None, "empty.geojson": b"", "text.gpkg": b"hi\n", "not.zip": b"nozip\n",
    "binary.csv": bytes(range(256)) * 2, "bad_wkt.csv": b'name,wkt\na,"POINT Z (112.9 28.2 5)"\nb,GEOMETRYCOLLECTION EMPTY\n'
    b'c,"POINT (nan nan)"\nd,"POINT (inf 28)"\ne,"COMPOUNDCURVE((112 28, 113 28))"\nf,"POLYGON ((1 2, 3"\n',
    "curved.geojson": b'{"type":"FeatureCollection","features":[{"type":"Feature","properties":{},'
    b'"geometry":{"type":"Point","coordinates":[]}}]}',
}


@pytest.mark.parametrize("name", sorted(HOSTILE_FILES))
@pytest.mark.parametrize("command", ["render", "export"])
def test_hostile_file_sweep_has_no_internal_error(invoke, tmp_path, name, command):
    path = tmp_path / name
    if HOSTILE_FILES[name] is None:
        path.mkdir()
    else:
        path.write_bytes(HOSTILE_FILES[name])
    args = ["render", "-o", tmp_path / "o.html"] if command == "render" else ["export", "overlay", "-o", tmp_path / "o.csv"]
    res = invoke(*args, "--overlay", path)
    _no_internal_error(res)
    assert res.exit_code in (0, 1), res.output
    lines = [ln for ln in res.stderr.splitlines() if ln.strip()]
    assert all(ln.startswith(("Error: ", "Warning: ", "Overlay: ", "Wrote ")) for ln in lines), lines  # one line each
    assert sum(ln.startswith("Error: ") for ln in lines) == (res.exit_code == 1)
