"""`hunan-map validate`: clean on the bundled data, one clear line per problem on a broken copy."""

from __future__ import annotations

import csv

import pytest

from hunan_map.layers.kb import default_data_dir


@pytest.fixture
def data_copy(tmp_path):
    src = default_data_dir()
    dst = tmp_path / "data"
    dst.mkdir()
    for item in src.iterdir():
        if item.name.endswith(".csv"):
            (dst / item.name).write_text(item.read_text(encoding="utf-8"), encoding="utf-8")
    return dst


def edit(path, func):
    rows = list(csv.DictReader(path.open(encoding="utf-8")))
    fields = list(rows[0].keys())
    rows = func(rows)
    with path.open("w", encoding="utf-8", newline="") as fh:
        w = csv.DictWriter(fh, fieldnames=fields, lineterminator="\n")
        w.writeheader()
        w.writerows(rows)


def test_bundled_data_is_valid(invoke):
    res = invoke("validate")
    assert res.exit_code == 0, res.output
    assert "no problems" in res.stderr


def test_broken_copy_reports_each_problem_with_file_row_and_fix(invoke, data_copy):
    def bad_industry(rows):
        rows[0]["industry"] = "quantum_teleportation"
        return rows

    def no_citation(rows):
        rows[2]["section"] = ""
        return rows

    def duplicate(rows):
        rows.append(dict(rows[0]))
        return rows

    edit(data_copy / "park_industries.csv", bad_industry)
    edit(data_copy / "cluster_members.csv", no_citation)
    edit(data_copy / "parks.csv", duplicate)
    res = invoke("validate", "--data", data_copy)
    assert res.exit_code == 1
    lines = [l for l in res.stderr.splitlines() if l.strip()]
    assert any(l.startswith("park_industries.csv:2: industry: unknown industry 'quantum_teleportation'") for l in lines), lines
    assert any(l.startswith("cluster_members.csv:4: section: missing citation") and "fix:" in l for l in lines), lines
    dup_line = len((data_copy / "parks.csv").read_text(encoding="utf-8").splitlines())  # the appended row
    assert any(l.startswith(f"parks.csv:{dup_line}: id: duplicate id 'changsha_hitech' (first at row 2)")
               for l in lines), lines
    assert lines[-1] == "3 problem(s) found"
    assert "Traceback" not in res.output


def test_park_outside_its_county_is_reported(invoke, data_copy):
    def move(rows):
        rows[0]["lon"], rows[0]["lat"] = "113.08", "27.83"  # Zhuzhou, not Yuelu
        return rows

    edit(data_copy / "parks.csv", move)
    res = invoke("validate", "--data", data_copy)
    assert res.exit_code == 1
    assert "outside county 430104; it lies in county 430211" in res.stderr


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


def test_missing_table_is_a_clear_error(invoke, data_copy):
    (data_copy / "clusters.csv").unlink()
    res = invoke("validate", "--data", data_copy)
    assert res.exit_code == 1
    assert "missing table 'clusters.csv'" in res.stderr
    assert "Traceback" not in res.output
