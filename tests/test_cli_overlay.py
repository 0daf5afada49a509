"""User overlays: column detection, CRS, rejects with line numbers, strict mode, fuzzing."""

from __future__ import annotations

import json

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from hunan_map.geo.crs import wgs84_to_gcj02


def write(path, text):
    path.write_text(text, encoding="utf-8")
    return path


def test_three_bad_rows_are_reported_with_line_numbers_and_good_rows_render(invoke, tmp_path):
    csv = write(tmp_path / "firms.csv", "name,经度,纬度\n甲,112.95,28.20\n乙,abc,28.1\n丙,28.2,112.9\n"
                                        "丁,112.5,27.0\n戊,121.5,31.2\n")
    out = tmp_path / "map.html"
    res = invoke("render", "--overlay", csv, "-o", out)
    assert res.exit_code == 0, res.output
    assert "3 row(s)" in res.stderr and "lines 3, 4, 6" in res.stderr
    rejects = (tmp_path / "map.rejects.csv").read_text(encoding="utf-8").splitlines()
    assert [r.split(",")[0] for r in rejects[1:]] == ["3", "4", "6"]
    assert "swapped" in rejects[2] and "outside Hunan" in rejects[3]
    html = out.read_text(encoding="utf-8")
    assert "甲" in html and "丁" in html and "戊" not in html


def test_strict_makes_rejects_an_error_and_writes_nothing(invoke, tmp_path):
    csv = write(tmp_path / "firms.csv", "name,lon,lat\n甲,112.95,28.20\n乙,abc,28.1\n")
    out = tmp_path / "map.html"
    res = invoke("render", "--overlay", csv, "--strict", "-o", out)
    assert res.exit_code == 1
    assert "line 3" in res.stderr and "not a number" in res.stderr
    assert not out.exists()


def test_export_overlay_joined_to_counties_and_zones(invoke, tmp_path):
    csv = write(tmp_path / "p.csv", "name,lng,lat\nA,112.885,28.22\nB,113.1,27.83\n")
    out = tmp_path / "joined.geojson"
    res = invoke("export", "overlay", "--overlay", csv, "-o", out)
    assert res.exit_code == 0, res.output
    feats = {f["properties"]["name"]: f["properties"] for f in json.loads(out.read_text(encoding="utf-8"))["features"]}
    assert feats["A"]["county"] == "岳麓区" and feats["A"]["near_park"] == "长沙高新区"
    assert "三带四区:长株潭地区" in feats["A"]["zones"]
    assert feats["B"]["county"] == "天元区"


def test_gcj02_overlay_is_shifted_back_to_wgs84(invoke, tmp_path):
    gx, gy = wgs84_to_gcj02(112.885, 28.22)
    csv = write(tmp_path / "g.csv", f"name,lon,lat\nA,{float(gx)},{float(gy)}\n")
    out = tmp_path / "j.geojson"
    assert invoke("export", "overlay", "--overlay", csv, "--overlay-crs", "gcj02", "-o", out).exit_code == 0
    lon, lat = json.loads(out.read_text(encoding="utf-8"))["features"][0]["geometry"]["coordinates"]
    assert abs(lon - 112.885) < 1e-6 and abs(lat - 28.22) < 1e-6


def test_geojson_overlay_and_empty_geometry(invoke, tmp_path):
    gj = {"type": "FeatureCollection", "features": [
        {"type": "Feature", "properties": {"name": "ok"}, "geometry": {"type": "Point", "coordinates": [112.9, 28.2]}},
        {"type": "Feature", "properties": {"name": "none"}, "geometry": None}]}
    path = write(tmp_path / "u.geojson", json.dumps(gj))
    out = tmp_path / "m.html"
    res = invoke("render", "--overlay", path, "-o", out)
    assert res.exit_code == 0
    assert "1 row(s)" in res.stderr and "empty geometry" in (tmp_path / "m.rejects.csv").read_text()


def test_overlay_cannot_be_the_output(invoke, tmp_path):
    csv = write(tmp_path / "p.csv", "name,lon,lat\nA,112.9,28.2\n")
    res = invoke("export", "overlay", "--overlay", csv, "-o", csv, "--format", "csv", "--overwrite")
    assert res.exit_code == 2
    assert csv.read_text(encoding="utf-8").startswith("name,lon,lat")


def test_no_coordinate_columns_names_the_options(invoke, tmp_path):
    csv = write(tmp_path / "p.csv", "name,东,北\nA,112.9,28.2\n")
    res = invoke("render", "--overlay", csv, "-o", tmp_path / "m.html")
    assert res.exit_code == 1 and "--lon and --lat" in res.stderr
    res = invoke("render", "--overlay", csv, "--lon", "东", "--lat", "北", "-o", tmp_path / "m.html")
    assert res.exit_code == 0


def test_missing_file(invoke, tmp_path):
    res = invoke("render", "--overlay", tmp_path / "nope.csv", "-o", tmp_path / "m.html")
    assert res.exit_code == 1 and "does not exist" in res.stderr


cell = st.one_of(st.text(max_size=8), st.floats(allow_nan=True, allow_infinity=True).map(str),
                 st.integers(-1000, 1000).map(str))


@pytest.mark.slow
@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(rows=st.lists(st.tuples(cell, cell, cell), min_size=1, max_size=6))
def test_malformed_csv_never_tracebacks(tmp_path_factory, rows):
    import csv as csvmod

    from typer.testing import CliRunner

    from hunan_map.cli.main import app

    d = tmp_path_factory.mktemp("fuzz")
    path = d / "f.csv"
    with path.open("w", encoding="utf-8", newline="") as fh:
        w = csvmod.writer(fh)
        w.writerow(["name", "lon", "lat"])
        w.writerows(rows)
    res = CliRunner().invoke(app, ["export", "overlay", "--overlay", str(path), "-o", str(d / "o.geojson")])
    assert res.exit_code in (0, 1), res.output
    assert res.exception is None or isinstance(res.exception, SystemExit)
    if res.exit_code == 0:
        n = len(json.loads((d / "o.geojson").read_text(encoding="utf-8"))["features"])
        rejected = 0
        if (d / "o.rejects.csv").exists():
            rejected = len((d / "o.rejects.csv").read_text(encoding="utf-8").splitlines()) - 1
        assert n + rejected == len(rows)


@pytest.mark.slow
@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=st.text(max_size=200))
def test_malformed_geojson_never_tracebacks(tmp_path_factory, text):
    from typer.testing import CliRunner

    from hunan_map.cli.main import app

    d = tmp_path_factory.mktemp("fuzzgj")
    path = d / "f.geojson"
    path.write_text(text, encoding="utf-8")
    res = CliRunner().invoke(app, ["render", "--overlay", str(path), "-o", str(d / "m.html")])
    assert res.exit_code in (0, 1), res.output
    assert res.exception is None or isinstance(res.exception, SystemExit)


def test_gcj02_data_declared_as_wgs84_is_flagged(invoke, tmp_path):
    """Points near county borders, given in GCJ-02 but declared WGS84, land in the wrong county."""
    import numpy as np

    from hunan_map.geo import boundaries

    counties = boundaries.counties()
    rng = np.random.default_rng(0)
    lines = ["name,county,lon,lat"]
    for row in counties.sample(40, random_state=1).itertuples():
        inner = row.geometry.buffer(-0.002)  # about 200 m inside the border
        ring = inner.exterior if inner.geom_type == "Polygon" else max(inner.geoms, key=lambda g: g.area).exterior
        pt = ring.interpolate(rng.uniform(0, ring.length))
        gx, gy = wgs84_to_gcj02(pt.x, pt.y)
        lines.append(f"p,{row.name},{float(gx):.6f},{float(gy):.6f}")
    csv = write(tmp_path / "gcj.csv", "\n".join(lines) + "\n")
    res = invoke("export", "overlay", "--overlay", csv, "-o", tmp_path / "o.geojson")
    assert res.exit_code == 0
    assert "look like GCJ-02" in res.stderr and "--overlay-crs gcj02" in res.stderr
    res = invoke("export", "overlay", "--overlay", csv, "--overlay-crs", "gcj02", "-o", tmp_path / "o2.geojson")
    assert "look like GCJ-02" not in res.stderr
