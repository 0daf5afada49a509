"""User overlays: column detection, CRS, rejects with line numbers, strict mode, fuzzing."""

from __future__ import annotations

import json

import geopandas as gpd
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from shapely.geometry import Point

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
    rejects = (tmp_path / "map.html.rejects.csv").read_text(encoding="utf-8").splitlines()
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
    assert "1 row(s)" in res.stderr and "empty geometry" in (tmp_path / "m.html.rejects.csv").read_text()


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
        if (d / "o.geojson.rejects.csv").exists():
            rejected = len((d / "o.geojson.rejects.csv").read_text(encoding="utf-8").splitlines()) - 1
        assert n + rejected == len(rows)


@pytest.mark.slow
@settings(max_examples=40, deadline=None)
@given(widths=st.lists(st.integers(1, 6), min_size=1, max_size=12))
def test_rows_of_any_width_are_read_or_rejected_with_their_line(widths):
    """Rows of 1 to 6 fields under a 3-field header: wider rows (their extra cells are not empty)
    are rejected with their line, short ones lack a coordinate and are rejected too, the rest read."""
    import tempfile
    from pathlib import Path

    from hunan_map.layers.io.overlay import read_overlay

    lines = ["name,lon,lat"]
    for i, width in enumerate(widths):
        cells = [f"r{i}", "112.9", "28.2", "x", "y", "z"][:width] if width >= 3 else [f"r{i}", "112.9"][:width]
        lines.append(",".join(cells))
    with tempfile.TemporaryDirectory() as d:
        path = Path(d) / "w.csv"
        path.write_text("\n".join(lines) + "\n", encoding="utf-8")
        ov = read_overlay(path)
    wide = [i + 2 for i, w in enumerate(widths) if w > 3]
    short = [i + 2 for i, w in enumerate(widths) if w < 3]
    read = [i + 2 for i, w in enumerate(widths) if w == 3]
    rejected_wide = sorted(ov.rejects.loc[ov.rejects["field"] == "row", "line"].tolist())
    assert rejected_wide == wide  # never a cell dropped silently, whichever row comes first
    assert sorted(ov.data["line"].tolist()) == read
    assert not set(short) & set(ov.data["line"])  # a short row has no latitude: rejected, not read
    assert len(ov.data) + len(set(ov.rejects["line"])) == len(widths)


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


# ------------------------------------------------------------------ encodings


FIRMS = "name,lon,lat\n长沙甲,112.95,28.20\n株洲乙,113.1,27.83\n"


def names_in(path):
    return [f["properties"]["name"] for f in json.loads(path.read_text(encoding="utf-8"))["features"]]


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gb18030", "gbk", "utf-16"])
def test_csv_encodings_are_found(invoke, tmp_path, encoding):
    csv = tmp_path / "firms.csv"
    csv.write_bytes(FIRMS.encode(encoding))
    out = tmp_path / "o.geojson"
    res = invoke("export", "overlay", "--overlay", csv, "-o", out)
    assert res.exit_code == 0, res.output
    assert names_in(out) == ["长沙甲", "株洲乙"]


def test_unknown_encoding_names_the_file_line_and_encoding_option(invoke, tmp_path):
    csv = tmp_path / "latin.csv"
    csv.write_bytes("name,lon,lat\nA,112.9,28.2\ncafé,112.95,28.2\n".encode("latin-1"))
    res = invoke("export", "overlay", "--overlay", csv, "-o", tmp_path / "o.geojson")
    assert res.exit_code == 1
    (line,) = res.stderr.splitlines()
    assert line.startswith(f"Error: {csv}: line 3:") and "--encoding" in line
    res = invoke("export", "overlay", "--overlay", csv, "--encoding", "latin-1", "-o", tmp_path / "o.geojson")
    assert res.exit_code == 0, res.output
    assert names_in(tmp_path / "o.geojson") == ["A", "café"]
    assert invoke("export", "overlay", "--overlay", csv, "--encoding", "klingon", "-o", tmp_path / "x.geojson").exit_code == 2


def test_binary_file_is_one_line(invoke, tmp_path):
    csv = tmp_path / "junk.csv"
    csv.write_bytes(bytes(range(256)) * 8)
    res = invoke("render", "--overlay", csv, "-o", tmp_path / "m.html")
    assert res.exit_code == 1
    (line,) = res.stderr.splitlines()
    assert str(csv) in line and "--encoding" in line and "Traceback" not in res.output


def test_a_row_with_extra_commas_is_rejected_with_its_line_and_the_rest_renders(invoke, tmp_path):
    rows = [f"P{i},{112.5 + i / 100:.3f},{27.5 + i / 100:.3f},{i},x" for i in range(1, 60)]
    rows.insert(40, "Bad,Co,Ltd,112.8,28.1,9,x")  # 7 fields where the header has 5
    rows.insert(10, '"Quoted, fine",112.7,28.0,1,x')
    csv = write(tmp_path / "p.csv", "name,lon,lat,n,tag\n" + "\n".join(rows) + "\n")
    bad_line = 2 + rows.index("Bad,Co,Ltd,112.8,28.1,9,x")
    out = tmp_path / "map.html"
    res = invoke("render", "--overlay", csv, "-o", out, "--tiles", "none")
    assert res.exit_code == 0, res.output
    assert f"1 row(s) of {csv} rejected (lines {bad_line})" in res.stderr
    rejects = pd.read_csv(tmp_path / "map.html.rejects.csv", dtype=str)
    assert rejects[["line", "field"]].values.tolist() == [[str(bad_line), "row"]]
    assert rejects["reason"][0] == "7 fields where the header has 5" and "double quotes" in rejects["fix"][0]
    html = out.read_text(encoding="utf-8")
    assert "Quoted, fine" in html and "P59" in html and "Ltd" not in html
    assert not (tmp_path / "map.rejects.csv").exists()
    # every good row is exported with its own line number
    invoke("export", "overlay", "--overlay", csv, "-o", tmp_path / "o.geojson")
    got = json.loads((tmp_path / "o.geojson").read_text(encoding="utf-8"))["features"]
    lines = {f["properties"]["name"]: f["properties"]["line"] for f in got}
    assert len(got) == 60 and lines["P59"] == 62 and lines["Quoted, fine"] == 12 and lines["P40"] == 42 and lines["P41"] == 44


def test_strict_refuses_a_row_with_extra_commas_naming_the_line(invoke, tmp_path):
    csv = write(tmp_path / "p.csv", "name,lon,lat\nA,112.9,28.2\n\nB,Co,Ltd,112.8,28.1\n")
    res = invoke("export", "overlay", "--overlay", csv, "-o", tmp_path / "o.geojson", "--strict")
    assert res.exit_code == 1
    (line,) = res.stderr.splitlines()
    assert f"{csv}: 1 row(s) cannot be used (lines 4)" in line
    assert "line 4: row: 5 fields where the header has 3" in line and "double quotes" in line
    assert not (tmp_path / "o.geojson").exists() and not (tmp_path / "o.geojson.rejects.csv").exists()


def test_trailing_commas_on_some_rows_only_are_not_errors(invoke, tmp_path):
    csv = write(tmp_path / "p.csv", "name,lon,lat\nA,112.9,28.2\nB,112.8,28.1,\nC,112.7,28.0,,\n")
    out = tmp_path / "o.geojson"
    res = invoke("export", "overlay", "--overlay", csv, "-o", out)
    assert res.exit_code == 0, res.output
    assert names_in(out) == ["A", "B", "C"] and not (tmp_path / "o.geojson.rejects.csv").exists()


def test_near_km_sets_the_near_park_distance_and_is_written(invoke, tmp_path):
    from hunan_map import layers
    from hunan_map.geo.crs import DISTANCE

    ctx = layers.context()
    parks = layers.builders.build_parks(ctx, kinds="parks").to_crs(DISTANCE)
    pt = gpd.GeoSeries([Point(112.95, 28.35)], crs="EPSG:4326").to_crs(DISTANCE)[0]
    nearest_km = parks.distance(pt).min() / 1000
    assert 0.5 < nearest_km < 50
    csv = write(tmp_path / "p.csv", "name,lon,lat\nA,112.95,28.35\n")

    def near(*extra):
        out = tmp_path / f"o{'_'.join(extra)}.geojson"
        res = invoke("export", "overlay", "--overlay", csv, "-o", out, *extra)
        assert res.exit_code == 0, res.output
        return json.loads(out.read_text(encoding="utf-8"))["features"][0]["properties"]

    default = near()
    assert default["near_park_within_km"] == 10.0 and bool(default["near_park"]) == (nearest_km <= 10)
    wide = near("--near-km", f"{nearest_km * 1.2:.3f}")
    assert wide["near_park"] and abs(wide["near_park_km"] - nearest_km) < 0.01
    assert wide["near_park_within_km"] == pytest.approx(nearest_km * 1.2, abs=1e-3)
    tight = near("--near-km", f"{nearest_km * 0.8:.3f}")
    assert not tight["near_park"] and tight["near_park_km"] is None
    html = tmp_path / "m.html"
    assert invoke("render", "--overlay", csv, "--near-km", "2", "-o", html).exit_code == 0
    assert "near_park_within_km" in html.read_text(encoding="utf-8")


@pytest.mark.parametrize("args, needle", [
    (["--near-km", "0"], "out of range"), (["--near-km", "5000"], "out of range"),
    (["--near-km", "5", "--no-overlay"], "needs --overlay"),
])
def test_near_km_bad_values_are_usage_errors(invoke, tmp_path, args, needle):
    csv = write(tmp_path / "p.csv", "name,lon,lat\nA,112.9,28.2\n")
    base = ["export", "overlay", "--overlay", csv, "-o", tmp_path / "o.geojson"]
    if "--no-overlay" in args:
        base, args = ["render", "-o", tmp_path / "m.html"], args[:-1]
    res = invoke(*base, *args)
    assert res.exit_code == 2 and needle in res.stderr and "--near-km" in res.stderr


def test_near_km_help_states_the_default(invoke):
    res = invoke("render", "--help")
    assert "--near-km" in res.stdout and "Default 10 km" in " ".join(res.stdout.split())


def test_trailing_commas_do_not_shift_columns_and_lines_count_blank_lines(invoke, tmp_path):
    csv = write(tmp_path / "p.csv", "name,lon,lat\nA,112.9,28.2,\n\nB,abc,28.1,\n")
    out = tmp_path / "o.geojson"
    res = invoke("export", "overlay", "--overlay", csv, "-o", out)
    assert res.exit_code == 0, res.output
    assert names_in(out) == ["A"]
    assert (tmp_path / "o.geojson.rejects.csv").read_text(encoding="utf-8").splitlines()[1].startswith("4,lon,'abc'")


def test_empty_csv_is_one_line(invoke, tmp_path):
    csv = write(tmp_path / "p.csv", "")
    res = invoke("export", "overlay", "--overlay", csv, "-o", tmp_path / "o.geojson")
    assert res.exit_code == 1 and "is empty" in res.stderr and len(res.stderr.splitlines()) == 1


# ------------------------------------------------------------------ archives and layers


def test_zip_with_one_csv_or_one_shapefile_is_read(invoke, tmp_path):
    import zipfile

    import geopandas as gpd
    import shapely

    one = tmp_path / "one.zip"
    with zipfile.ZipFile(one, "w") as zf:
        zf.writestr("firms.csv", FIRMS)
        zf.writestr("__MACOSX/._firms.csv", "junk")
    assert invoke("export", "overlay", "--overlay", one, "-o", tmp_path / "a.geojson").exit_code == 0
    assert names_in(tmp_path / "a.geojson") == ["长沙甲", "株洲乙"]
    shp_dir = tmp_path / "shp"
    shp_dir.mkdir()
    gpd.GeoDataFrame({"name": ["S"]}, geometry=[shapely.Point(112.9, 28.2)], crs="EPSG:4326").to_file(shp_dir / "s.shp")
    shz = tmp_path / "shp.zip"
    with zipfile.ZipFile(shz, "w") as zf:
        for part in shp_dir.iterdir():
            zf.write(part, f"data/{part.name}")
    res = invoke("export", "overlay", "--overlay", shz, "-o", tmp_path / "b.geojson")
    assert res.exit_code == 0, res.output
    assert names_in(tmp_path / "b.geojson") == ["S"]


def test_zip_with_several_members_says_how_to_pick(invoke, tmp_path):
    import zipfile

    two = tmp_path / "two.zip"
    with zipfile.ZipFile(two, "w") as zf:
        zf.writestr("a.csv", FIRMS)
        zf.writestr("more/b.csv", FIRMS.replace("长沙甲", "乙号"))
    res = invoke("export", "overlay", "--overlay", two, "-o", tmp_path / "o.geojson")
    assert res.exit_code == 1
    (line,) = res.stderr.splitlines()
    assert "a.csv" in line and "more/b.csv" in line and "--overlay-layer" in line
    res = invoke("export", "overlay", "--overlay", two, "--overlay-layer", "b.csv", "-o", tmp_path / "o.geojson")
    assert res.exit_code == 0, res.output
    assert names_in(tmp_path / "o.geojson")[0] == "乙号"
    bad = write(tmp_path / "bad.zip", "not a zip")
    res = invoke("export", "overlay", "--overlay", bad, "-o", tmp_path / "x.geojson")
    assert res.exit_code == 1 and "not a readable ZIP" in res.stderr


def test_multi_layer_geopackage_needs_overlay_layer(invoke, tmp_path):
    import geopandas as gpd
    import shapely

    gpkg = tmp_path / "multi.gpkg"
    for layer, name in (("firms", "F"), ("shops", "S")):
        gpd.GeoDataFrame({"name": [name]}, geometry=[shapely.Point(112.9, 28.2)], crs="EPSG:4326").to_file(
            gpkg, layer=layer)
    res = invoke("export", "overlay", "--overlay", gpkg, "-o", tmp_path / "o.geojson")
    assert res.exit_code == 1
    assert "'firms', 'shops'" in res.stderr and "--overlay-layer" in res.stderr
    assert invoke("export", "overlay", "--overlay", gpkg, "--overlay-layer", "shops", "-o", tmp_path / "o.geojson").exit_code == 0
    assert names_in(tmp_path / "o.geojson") == ["S"]
    res = invoke("export", "overlay", "--overlay", gpkg, "--overlay-layer", "roads", "-o", tmp_path / "x.geojson")
    assert res.exit_code == 1 and "no layer 'roads'" in res.stderr and "'firms', 'shops'" in res.stderr


# ------------------------------------------------------------------ dates and lists survive every format


def test_dates_and_lists_export_to_every_format(invoke, tmp_path):
    import geopandas as gpd
    import pandas as pd

    gj = {"type": "FeatureCollection", "features": [
        {"type": "Feature", "properties": {"name": "a", "opened": "2021-05-03", "seen": "2021-05-03T10:30:00",
                                           "tags": ["x", "y"], "nums": [1, 2]},
         "geometry": {"type": "Point", "coordinates": [112.9, 28.2]}},
        {"type": "Feature", "properties": {"name": "b", "opened": None, "seen": None, "tags": [], "nums": [3]},
         "geometry": {"type": "Point", "coordinates": [112.95, 28.25]}}]}
    src = write(tmp_path / "u.geojson", json.dumps(gj))
    for fmt in ("geojson", "gpkg", "shp", "kml", "csv", "parquet"):
        out = tmp_path / f"o.{fmt}"
        res = invoke("export", "overlay", "--overlay", src, "-o", out)
        assert res.exit_code == 0, (fmt, res.output)
        if fmt == "geojson":
            props = json.loads(out.read_text(encoding="utf-8"))["features"][0]["properties"]
            assert props["opened"] == "2021-05-03" and props["seen"] == "2021-05-03T10:30:00"
            assert props["tags"] == ["x", "y"] and props["nums"] == [1, 2]
            continue
        if fmt == "csv":
            back = pd.read_csv(out, dtype=str)
        elif fmt == "parquet":
            back = gpd.read_parquet(out)
        else:
            import pyogrio

            back = pyogrio.read_dataframe(out, layer="overlay" if fmt == "gpkg" else None)
        fields = {c.lower(): c for c in back.columns}  # KML calls it Name
        row = back[back[fields["name"]] == "a"].iloc[0]
        assert str(row[fields["opened"]])[:10] == "2021-05-03", fmt
        assert row[fields["tags"]] == "x;y" and row[fields["nums"]] == "1;2", fmt


# ------------------------------------------------------------------ coordinate systems and column names


@pytest.mark.parametrize("crs", ["EPSG:4545", "EPSG:3857"])
def test_overlay_crs_converts_projected_xy(invoke, tmp_path, crs):
    from pyproj import Transformer

    x, y = Transformer.from_crs("EPSG:4326", crs, always_xy=True).transform(112.95, 28.2)
    csv = write(tmp_path / "p.csv", f"name,x,y\nA,{x},{y}\n")
    res = invoke("export", "overlay", "--overlay", csv, "-o", tmp_path / "wrong.geojson")
    assert "not degrees" in (tmp_path / "wrong.geojson.rejects.csv").read_text(encoding="utf-8")
    assert "--overlay-crs" in (tmp_path / "wrong.geojson.rejects.csv").read_text(encoding="utf-8")
    out = tmp_path / "o.geojson"
    res = invoke("export", "overlay", "--overlay", csv, "--overlay-crs", crs, "-o", out)
    assert res.exit_code == 0, res.output
    (feature,) = json.loads(out.read_text(encoding="utf-8"))["features"]
    lon, lat = feature["geometry"]["coordinates"]
    assert abs(lon - 112.95) < 1e-6 and abs(lat - 28.2) < 1e-6
    assert feature["properties"]["county"] == "岳麓区"


def test_bad_overlay_crs_is_usage_error(invoke, tmp_path):
    csv = write(tmp_path / "p.csv", "name,lon,lat\nA,112.9,28.2\n")
    res = invoke("export", "overlay", "--overlay", csv, "--overlay-crs", "EPSG:999999", "-o", tmp_path / "o.geojson")
    assert res.exit_code == 2 and "--overlay-crs" in res.stderr


def test_user_columns_named_like_ours_keep_their_values(invoke, tmp_path):
    csv = write(tmp_path / "p.csv", "name,line,county,zones,near_park,county_adcode,prefecture_adcode,lon,lat\n"
                                    "A,G4 京港澳,我的县,我的区,我的园,C1,P1,112.885,28.22\n")
    out = tmp_path / "o.geojson"
    res = invoke("export", "overlay", "--overlay", csv, "-o", out)
    assert res.exit_code == 0, res.output
    assert "hm_county" in res.stderr and "kept" in res.stderr
    (feature,) = json.loads(out.read_text(encoding="utf-8"))["features"]
    p = feature["properties"]
    assert (p["line"], p["county"], p["zones"], p["near_park"]) == ("G4 京港澳", "我的县", "我的区", "我的园")
    assert (p["county_adcode"], p["prefecture_adcode"]) == ("C1", "P1")
    assert p["hm_line"] == 2 and p["hm_county"] == "岳麓区" and p["hm_county_adcode"] == "430104"
    assert "三带四区:长株潭地区" in p["hm_zones"] and p["hm_near_park"]
