"""`hunan-map validate`: clean on the bundled data, one clear line per problem on a broken copy.

Every table is corrupted in every way a user's copy gets broken (encodings, empty file, quotes,
missing columns, extra commas, trailing commas, blank lines, enumerated values, ranges); each
must give exit 1 and a line naming the file, the physical line and the fix, never a traceback.
Every other command that takes --data refuses a broken copy the same way.
"""

from __future__ import annotations

import csv
import io

import pytest

from hunan_map.layers.kb import TABLES, default_data_dir
from hunan_map.layers.kb.validate import ALLOWED

TABLE_NAMES = list(TABLES)
#: The column each table loses in the missing-column test (the ones users drop by accident).
DROPPED = {"parks": "lat", "industries": "parent"}


@pytest.fixture
def data_copy(tmp_path):
    src = default_data_dir()
    dst = tmp_path / "data"
    dst.mkdir()
    for item in src.iterdir():
        if item.name.endswith(".csv"):
            (dst / item.name).write_bytes(item.read_bytes())
    return dst


def edit(path, func):
    rows = list(csv.DictReader(path.open(encoding="utf-8")))
    fields = list(rows[0].keys())
    rows = func(rows)
    with path.open("w", encoding="utf-8", newline="") as fh:
        w = csv.DictWriter(fh, fieldnames=fields, lineterminator="\n")
        w.writeheader()
        w.writerows(rows)


def problem_lines(res) -> list[str]:
    assert "Traceback" not in res.output
    assert res.exception is None or isinstance(res.exception, SystemExit), res.exception
    return [line for line in res.stderr.splitlines() if line.strip()]


def only_problem(res, prefix: str, *needles: str) -> str:
    """Exactly one problem, starting with ``prefix`` (file:line) and containing the needles."""
    assert res.exit_code == 1, res.output
    lines = problem_lines(res)
    assert lines[-1] == "1 problem(s) found", lines
    (line,) = lines[:-1]
    assert line.startswith(prefix), (line, prefix)
    for needle in needles:
        assert needle in line, (needle, line)
    assert "fix:" in line
    return line


def test_bundled_data_is_valid(invoke):
    res = invoke("validate")
    assert res.exit_code == 0, res.output
    assert "no problems" in res.stderr


def test_broken_copy_reports_each_problem_with_file_row_and_fix(invoke, data_copy):
    first = {}

    def bad_industry(rows):
        rows[0]["industry"] = "quantum_teleportation"
        return rows

    def no_citation(rows):
        rows[2]["section"] = ""
        return rows

    def duplicate(rows):
        first["id"] = rows[0]["id"]
        rows.append(dict(rows[0], basis="a second row with the same id"))  # not a repeat cell for cell
        return rows

    edit(data_copy / "park_industries.csv", bad_industry)
    edit(data_copy / "cluster_members.csv", no_citation)
    edit(data_copy / "parks.csv", duplicate)
    res = invoke("validate", "--data", data_copy)
    assert res.exit_code == 1
    lines = problem_lines(res)
    assert any(l.startswith("park_industries.csv:2: industry: unknown industry 'quantum_teleportation'") for l in lines), lines
    assert any(l.startswith("cluster_members.csv:4: section: missing citation") and "fix:" in l for l in lines), lines
    dup_line = len((data_copy / "parks.csv").read_text(encoding="utf-8").splitlines())  # the appended row
    assert any(l.startswith(f"parks.csv:{dup_line}: id: duplicate id {first['id']!r} (first at row 2)")
               for l in lines), lines
    # the copied row is also a second row with the same official name
    assert any(l.startswith(f"parks.csv:{dup_line}: full_name: official name") for l in lines), lines
    assert lines[-1] == "4 problem(s) found"


def test_park_outside_its_county_is_reported(invoke, data_copy):
    county = {}

    def move(rows):
        row = next(r for r in rows if r["county_adcode"].startswith("4301") and r["lon"])
        county["code"], county["line"] = row["county_adcode"], rows.index(row) + 2
        row["lon"], row["lat"] = "113.08", "27.83"  # Zhuzhou (天元区)
        row["other_county_adcodes"] = ""
        return rows

    edit(data_copy / "parks.csv", move)
    res = invoke("validate", "--data", data_copy)
    only_problem(res, f"parks.csv:{county['line']}: lon/lat:",
                 f"outside county {county['code']}; it lies in county 430211")


def test_cycle_and_alias_collision(invoke, data_copy):
    def cycle(rows):
        for r in rows:
            if r["id"] == "new_materials":
                r["parent"] = "new_alloys"
            if r["id"] == "food":
                r["aliases"] += ";新材料产业"
        return rows

    edit(data_copy / "industries.csv", cycle)
    res = invoke("validate", "--data", data_copy)
    assert res.exit_code == 1
    assert "cycle in the industry tree" in res.stderr
    assert "name '新材料产业' is also used by industry 'new_materials'" in res.stderr or \
        "is also used by industry 'food'" in res.stderr
    assert "Traceback" not in res.output


def test_missing_table_is_a_clear_error(invoke, data_copy):
    (data_copy / "clusters.csv").unlink()
    res = invoke("validate", "--data", data_copy)
    assert res.exit_code == 1
    assert "missing table 'clusters.csv'" in res.stderr
    assert "Traceback" not in res.output


# ------------------------------------------------------------------ every table, every way


def _first_non_ascii_line(text: str) -> int:
    return next(i for i, line in enumerate(text.split("\n"), 1) if any(ord(c) > 127 for c in line))


@pytest.mark.parametrize("table", TABLE_NAMES)
def test_gbk_file_names_the_line_and_says_save_as_utf8(invoke, data_copy, table):
    path = data_copy / TABLES[table][0]
    text = path.read_text(encoding="utf-8")
    path.write_bytes(text.encode("gb18030"))
    res = invoke("validate", "--data", data_copy)
    only_problem(res, f"{path.name}:{_first_non_ascii_line(text)}:", "is not UTF-8", "GBK", "save the file as UTF-8")


@pytest.mark.parametrize("table", TABLE_NAMES)
def test_utf16_file_is_named(invoke, data_copy, table):
    path = data_copy / TABLES[table][0]
    path.write_bytes(path.read_text(encoding="utf-8").encode("utf-16"))
    res = invoke("validate", "--data", data_copy)
    only_problem(res, f"{path.name}:1:", "UTF-16", "not UTF-8", "save the file as UTF-8")


@pytest.mark.parametrize("table", TABLE_NAMES)
def test_garbage_bytes_name_the_line(invoke, data_copy, table):
    path = data_copy / TABLES[table][0]
    lines = path.read_bytes().split(b"\n")
    lines[2] = bytes(range(0, 256, 7)) + lines[2]
    path.write_bytes(b"\n".join(lines))
    res = invoke("validate", "--data", data_copy)
    only_problem(res, f"{path.name}:3:", "NUL bytes", "save the file as UTF-8")


@pytest.mark.parametrize("table", TABLE_NAMES)
def test_empty_file(invoke, data_copy, table):
    path = data_copy / TABLES[table][0]
    path.write_bytes(b"")
    res = invoke("validate", "--data", data_copy)
    only_problem(res, f"{path.name}:1:", "the file is empty", TABLES[table][1][0])


@pytest.mark.parametrize("table", TABLE_NAMES)
def test_missing_column_is_one_line_on_the_file_as_read(invoke, data_copy, table):
    path = data_copy / TABLES[table][0]
    column = DROPPED.get(table, TABLES[table][1][-1])
    rows = list(csv.reader(io.StringIO(path.read_text(encoding="utf-8"), newline="")))
    at = rows[0].index(column)
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows([r[:at] + r[at + 1:] for r in rows])
    path.write_text(out.getvalue(), encoding="utf-8")
    res = invoke("validate", "--data", data_copy)
    only_problem(res, f"{path.name}:1: {column}: column {column!r} is missing", "add")
    assert "location missing" not in res.stderr


@pytest.mark.parametrize("table", TABLE_NAMES)
def test_row_with_extra_commas_counts_blank_lines(invoke, data_copy, table):
    path = data_copy / TABLES[table][0]
    lines = path.read_text(encoding="utf-8").split("\n")
    lines[1] = lines[1] + ",surplus,cells"
    lines[1:1] = ["", ""]  # two blank lines after the header: the bad row is physical line 4
    path.write_text("\n".join(lines), encoding="utf-8")
    res = invoke("validate", "--data", data_copy)
    only_problem(res, f"{path.name}:4:", "more than the", "double quotes")


@pytest.mark.parametrize("table", TABLE_NAMES)
def test_trailing_comma_on_every_row_is_one_problem(invoke, data_copy, table):
    path = data_copy / TABLES[table][0]
    lines = path.read_text(encoding="utf-8").rstrip("\n").split("\n")
    path.write_text("\n".join([lines[0]] + [line + "," for line in lines[1:]]) + "\n", encoding="utf-8")
    res = invoke("validate", "--data", data_copy)
    only_problem(res, f"{path.name}:2:", "every row ends with an extra comma", "remove the comma")


@pytest.mark.parametrize("table", TABLE_NAMES)
def test_unclosed_quote_names_the_line(invoke, data_copy, table):
    path = data_copy / TABLES[table][0]
    lines = path.read_text(encoding="utf-8").split("\n")
    lines[3] = '"' + lines[3]
    path.write_text("\n".join(lines), encoding="utf-8")
    res = invoke("validate", "--data", data_copy)
    line = only_problem(res, f"{path.name}:", "double quotes")
    assert int(line.split(":")[1]) >= 4


def test_header_that_is_not_a_header(invoke, data_copy):
    path = data_copy / "parks.csv"
    lines = path.read_text(encoding="utf-8").split("\n")
    path.write_text("\n".join(lines[1:]), encoding="utf-8")
    res = invoke("validate", "--data", data_copy)
    only_problem(res, "parks.csv:1:", "is not the header", "put the header line first")


@pytest.mark.parametrize("table,column", [(t, c) for t, cols in ALLOWED.items() for c in cols])
def test_enumerated_columns_reject_unknown_values(invoke, data_copy, table, column):
    hostile = "<img src=x onerror=alert(1)>"

    def corrupt(rows):
        rows[0][column] = hostile
        return rows

    edit(data_copy / TABLES[table][0], corrupt)
    res = invoke("validate", "--data", data_copy)
    assert res.exit_code == 1
    lines = problem_lines(res)
    assert any(l.startswith(f"{TABLES[table][0]}:2: {column}: unknown {column.replace('_', ' ')} {hostile!r}")
               and "fix: use one of" in l for l in lines), lines


def test_new_kinds_roles_and_precisions_are_allowed():
    assert {"laboratory", "base", "centre", "hub", "pilot_zone", "demonstration_zone", "new_area", "port",
            "institute", "经济开发区", "工业园区", "综合保税区", "保税物流中心"} <= set(ALLOWED["parks"]["kind"])
    assert {"focus", "transfer", "catalogue_lead"} <= set(ALLOWED["park_industries"]["role"])
    assert {"county", "prefecture", "province"} <= set(ALLOWED["parks"]["precision"])


def _circle_row(rows):
    return next(r for r in rows if r["radius_km"])


@pytest.mark.parametrize("change,prefix,needle", [
    ({"lon": "150"}, "lon/lat", "outside Hunan"),
    ({"lat": "abc"}, "lat", "'abc' is not a number"),
    ({"lat": ""}, "lat", "lat is empty but lon is given"),
])
def test_park_coordinates_are_range_checked(invoke, data_copy, change, prefix, needle):
    where = {}

    def corrupt(rows):
        row = next(r for r in rows if r["lon"] and r["lat"])
        where["line"] = rows.index(row) + 2
        row.update(change)
        return rows

    edit(data_copy / "parks.csv", corrupt)
    res = invoke("validate", "--data", data_copy)
    assert res.exit_code == 1
    lines = problem_lines(res)
    assert any(l.startswith(f"parks.csv:{where['line']}: {prefix}:") and needle in l for l in lines), lines


@pytest.mark.parametrize("change,column,needle", [
    ({"center_lon": "150"}, "center_lon/center_lat", "outside Hunan"),
    ({"radius_km": "0"}, "radius_km", "out of range"),
    ({"radius_km": "500"}, "radius_km", "out of range"),
    ({"radius_km": "-3"}, "radius_km", "out of range"),
    ({"center_lat": ""}, "center_lon/center_lat/radius_km", "needs all of"),
])
def test_zone_centres_and_radii_are_range_checked(invoke, data_copy, change, column, needle):
    where = {}

    def corrupt(rows):
        row = _circle_row(rows)
        where["line"] = rows.index(row) + 2
        row.update(change)
        return rows

    edit(data_copy / "layout_parts.csv", corrupt)
    res = invoke("validate", "--data", data_copy)
    only_problem(res, f"layout_parts.csv:{where['line']}: {column}:", needle)


def test_layout_year_must_be_a_year(invoke, data_copy):
    def corrupt(rows):
        rows[1]["year"] = "20260"
        return rows

    edit(data_copy / "layouts.csv", corrupt)
    res = invoke("validate", "--data", data_copy)
    only_problem(res, "layouts.csv:3: year:", "not a year")


# ------------------------------------------------------------------ --data is checked by every command


def _duplicate_park(data):
    edit(data / "parks.csv", lambda rows: rows + [dict(rows[0], basis="a second row with the same id")])


def _drop_lat(data):
    path = data / "parks.csv"
    rows = list(csv.reader(io.StringIO(path.read_text(encoding="utf-8"), newline="")))
    at = rows[0].index("lat")
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows([r[:at] + r[at + 1:] for r in rows])
    path.write_text(out.getvalue(), encoding="utf-8")


def _industry_cycle(data):
    def cycle(rows):
        for r in rows:
            if r["id"] == "new_materials":
                r["parent"] = "new_alloys"
        return rows

    edit(data / "industries.csv", cycle)


COMMANDS = [
    ("render", "-o", "{out}/m.html"),
    ("export", "parks", "-o", "{out}/p.geojson"),
    ("query", "parks", "--format", "json"),
    ("industries",),
    ("sources",),
    ("layouts",),
    ("geocode", "长沙"),
    ("matrix", "-o", "{out}/m.csv"),
]


@pytest.mark.parametrize("breakage,needle", [(_duplicate_park, "duplicate id"), (_drop_lat, "column 'lat' is missing"),
                                             (_industry_cycle, "cycle in the industry tree")])
def test_every_command_refuses_broken_data(invoke, data_copy, tmp_path, breakage, needle):
    breakage(data_copy)
    out = tmp_path / "out"
    out.mkdir()
    for command in COMMANDS:
        args = [a.format(out=out) for a in command]
        res = invoke(*args, "--data", data_copy)
        assert res.exit_code == 1, (command, res.output)
        assert "Traceback" not in res.output and res.stdout == "", (command, res.output)
        assert needle in res.stderr, (command, res.stderr)
        assert f"hunan-map validate --data {data_copy}" in res.stderr, (command, res.stderr)
        assert len(res.stderr.splitlines()) <= 6, res.stderr  # the first problems, not all of them
    assert list(out.iterdir()) == []


def test_identical_rows_official_names_and_wording_are_checked(invoke, data_copy):
    def twice(rows):
        rows.append(dict(rows[0]))  # an identical row in a relation table
        return rows

    def second_huanghua(rows):
        copy = dict(next(r for r in rows if r["catalogue_code"] == "G433093"))
        copy["id"], copy["name"], copy["aliases"] = "huanghua_again", "黄花", ""
        rows.append(copy)
        bad = next(r for r in rows if r["id"] == "cztz_nidz")
        bad["also_cited"], bad["other_prefecture_adcodes"] = "cs2099 一", "439999"
        return rows

    def bent_wording(rows):
        lead = next(r for r in rows if r["wording"] == "轻纺制鞋" and r["industry"] == "textiles")
        lead["industry"], lead["relation"] = "footwear", "same"  # 轻纺制鞋 is no name of 制鞋
        one = next(r for r in rows if r["wording"] == "商贸物流" and r["industry"] == "logistics")
        rows.remove(one)  # 商贸物流 left with one part
        empty = next(r for r in rows if r["role"] == "catalogue_lead" and r["wording"] == "食品")
        empty["wording"], empty["relation"] = "", ""
        broad = next(r for r in rows if r["wording"] == "机器人")
        broad["relation"] = "broader"  # 机器人 names an industry of its own
        return rows

    edit(data_copy / "cluster_members.csv", twice)
    edit(data_copy / "parks.csv", second_huanghua)
    edit(data_copy / "park_industries.csv", bent_wording)
    res = invoke("validate", "--data", data_copy)
    assert res.exit_code == 1
    text = "\n".join(problem_lines(res))
    assert "cluster_members.csv:" in text and "the row repeats line 2 cell for cell" in text
    assert "full_name: official name '长沙黄花综合保税区' is also that of park 'changsha_huanghua_cbz'" in text
    assert "catalogue_code: catalogue code 'G433093' is also that of park 'changsha_huanghua_cbz'" in text
    assert "also_cited: 'cs2099 一' is not a document and section" in text
    assert "other_prefecture_adcodes: '439999' is not another prefecture" in text
    assert "'轻纺制鞋' is not a name or alias of industry 'footwear'" in text
    assert "'商贸物流' is mapped to only one part" in text
    assert "wording: a catalogue lead industry without its wording" in text
    assert "'机器人' is the name of industry 'advanced_robots'" in text


def test_a_gloss_row_with_a_bare_comma_is_reported(invoke, data_copy):
    path = data_copy / "external_glosses.csv"
    path.write_text(path.read_text(encoding="utf-8") + "a note, with a comma,一个注释\n", encoding="utf-8")
    res = invoke("validate", "--data", data_copy)
    assert res.exit_code == 1
    assert any(l.startswith("external_glosses.csv:") and "3 cells, more than the 2 of the header" in l
               for l in problem_lines(res))
