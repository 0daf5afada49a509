"""Hostile files and options (issue 23's corpus classes): each is read correctly or refused with one
line naming the file and the fix, never a traceback or "this is a bug", never half-written output.

Classes: mathtext in PNG labels, concurrent --overwrite writers, stale rejects files, duplicate
column names, duplicate coordinate columns, Z values, UTF-32 with BOM, very wide files, denormal
hexagon sizes, damaged / encrypted / oddly compressed ZIP members, non-Earth CRSs, a TLS
scheduler without TLS settings, and GeoParquet overlays.
"""

from __future__ import annotations

import shutil
import struct
import subprocess
import sys
import zipfile

import geopandas as gpd
import pandas as pd
import pyogrio
import pytest
import shapely

from hunan_map.layers.io.overlay import MAX_COLUMNS, read_overlay
from hunan_map.layers.kb import default_data_dir

POINTS = "name,lon,lat\n甲,112.9,28.2\n乙,113.0,28.1\n"
MATHTEXT = ["$\\frac{1}{0}$区", "$x^$", "$$", "a\\$b$c", "$\\undefinedcommand$"]


def one_line_error(res, *words: str) -> None:
    assert res.exit_code in (1, 2), res.stderr
    text = res.stderr.strip()
    assert "Traceback" not in res.stderr and "this is a bug" not in text, text
    assert text.splitlines()[-1].startswith("Error"), text
    for word in words:
        assert word in text, text


# ------------------------------------------------------------------ PNG labels


@pytest.fixture(scope="module")
def mathtext_kb(tmp_path_factory):
    data = tmp_path_factory.mktemp("mathtext") / "data"
    shutil.copytree(default_data_dir(), data, ignore=shutil.ignore_patterns("*.md", "__pycache__"))
    parts = pd.read_csv(data / "layout_parts.csv", dtype=str, keep_default_na=False)
    drawn = parts.index[parts["layout"] == "sandai_siqu"]
    for i, payload in zip(drawn, MATHTEXT * 3):
        parts.loc[i, "name"] = payload
        parts.loc[i, "name_en"] = payload
    parts.to_csv(data / "layout_parts.csv", index=False)
    parks = pd.read_csv(data / "parks.csv", dtype=str, keep_default_na=False)
    national = parks.index[parks["level"] == "national"][: len(MATHTEXT)]
    for i, payload in zip(national, MATHTEXT):
        parks.loc[i, "name"] = payload + parks.loc[i, "name"]
        parks.loc[i, "name_en"] = payload + " Park"
    parks.to_csv(data / "parks.csv", index=False)
    return data


@pytest.mark.slow
@pytest.mark.parametrize("lang", ["zh", "en"])
def test_mathtext_in_names_draws_literally_in_png(invoke, mathtext_kb, tmp_path, lang):
    assert invoke("validate", "--data", mathtext_kb).exit_code == 0
    png = tmp_path / "map.png"
    res = invoke("render", "--data", mathtext_kb, "--lang", lang, "-o", tmp_path / "map.html", "--png", png)
    assert res.exit_code == 0, res.stderr
    from PIL import Image

    with Image.open(png) as im:
        assert im.format == "PNG" and im.size[0] > 500


def test_plain_labels_are_never_mathtext():
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    from hunan_map.maps.static import plain

    fig, ax = plt.subplots()
    try:
        for payload in MATHTEXT:
            text = ax.text(0, 0, plain(payload))
            fig.canvas.draw()  # mathtext would raise here for $x^$ and \undefinedcommand
            assert text._preprocess_math(text.get_text()) == (payload, False)
    finally:
        plt.close(fig)


# ------------------------------------------------------------------ concurrent writers


def test_overwriting_writer_loses_when_the_target_changed_meanwhile(tmp_path):
    from hunan_map.layers.errors import OutputExistsError
    from hunan_map.layers.io._atomic import AtomicTarget

    out = tmp_path / "map.png"
    out.write_bytes(b"old")
    a, b = AtomicTarget(out, overwrite=True, fmt="text"), AtomicTarget(out, overwrite=True, fmt="text")
    a.tmp.write_bytes(b"first")
    b.tmp.write_bytes(b"second")
    a.commit()
    with pytest.raises(OutputExistsError, match="written by another run while this one was writing"):
        b.commit()
    assert out.read_bytes() == b"first"
    assert [p.name for p in tmp_path.iterdir()] == ["map.png"]


@pytest.mark.slow
def test_five_concurrent_png_renders_with_overwrite_exactly_one_wins(tmp_path):
    png, html = tmp_path / "map.png", tmp_path / "map.html"
    env = {"HUNAN_MAP_NO_CACHE": "1", "PATH": "/usr/bin:/bin"}
    procs = [subprocess.Popen([sys.executable, "-m", "hunan_map.cli", "render", "-o", str(html), "--png", str(png),
                               "--overwrite"], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)
             for _ in range(5)]
    results = [(p.wait(timeout=900), p.stderr.read()) for p in procs]
    codes = [code for code, _ in results]
    winners = codes.count(0)
    # all started before any finished: one wins; any that started after a finish serialize honestly
    assert winners >= 1 and all(c in (0, 1) for c in codes), results
    for code, stderr in results:
        if code:
            assert "written by another run while this one was writing" in stderr and "Traceback" not in stderr
    assert png.read_bytes().endswith(b"IEND\xaeB`\x82")
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".hunan-map-")] == []


# ------------------------------------------------------------------ rejects of an earlier run


def test_clean_run_removes_an_earlier_runs_rejects(invoke, tmp_path):
    bad = tmp_path / "firms.csv"
    bad.write_text(POINTS + "丙,abc,28.1\n", encoding="utf-8")
    out = tmp_path / "firms.geojson"
    assert invoke("export", "overlay", "--overlay", bad, "-o", out).exit_code == 0
    rejects = tmp_path / "firms.geojson.rejects.csv"  # <output>.rejects.csv
    assert rejects.exists()
    bad.write_text(POINTS, encoding="utf-8")  # fixed: a clean run
    res = invoke("export", "overlay", "--overlay", bad, "-o", out, "--overwrite")
    assert res.exit_code == 0
    assert not rejects.exists() and f"Removed {rejects}" in res.stderr
    assert len(gpd.read_file(out)) == 2


# ------------------------------------------------------------------ overlay files


def test_duplicate_column_names_name_both(invoke, tmp_path):
    f = tmp_path / "dup.csv"
    f.write_text("name,lon,lat,name\n甲,112.9,28.2,x\n", encoding="utf-8")
    one_line_error(invoke("export", "overlay", "--overlay", f, "-o", tmp_path / "o.geojson"),
                   "dup.csv", "columns 1 and 4 are both named 'name'")


def test_duplicate_coordinate_columns_name_both(invoke, tmp_path):
    f = tmp_path / "dupc.csv"
    f.write_text("name,lon,longitude,lat\n甲,112.9,112.9,28.2\n", encoding="utf-8")
    one_line_error(invoke("export", "overlay", "--overlay", f, "-o", tmp_path / "o.geojson"),
                   "'lon' and 'longitude'", "--lon")
    res = invoke("export", "overlay", "--overlay", f, "--lon", "longitude", "-o", tmp_path / "o.geojson")
    assert res.exit_code == 0


@pytest.mark.parametrize("kind", ["wkt", "geojson"])
def test_z_values_are_dropped_with_a_warning_for_shapefile(invoke, tmp_path, kind):
    if kind == "wkt":
        f = tmp_path / "z.csv"
        f.write_text('name,wkt\n甲,"POINT Z (112.9 28.2 50)"\n乙,"POINT (113 28.1)"\n',
                     encoding="utf-8")
    else:
        f = tmp_path / "z.geojson"
        f.write_text('{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"name":"甲"},'
                     '"geometry":{"type":"Point","coordinates":[112.9,28.2,40]}}]}', encoding="utf-8")
    out = tmp_path / "z.shp"
    res = invoke("export", "overlay", "--overlay", f, "-o", out)
    assert res.exit_code == 0, res.stderr
    assert "Z values" in res.stderr and "dropped" in res.stderr
    back = pyogrio.read_dataframe(out)
    assert len(back) >= 1 and not back.geometry.has_z.any()


def test_utf32_with_bom_is_read(tmp_path):
    for enc in ("utf-32", "utf-32-le", "utf-32-be"):
        f = tmp_path / f"{enc}.csv"
        body = POINTS.encode(enc)
        f.write_bytes(body if enc == "utf-32" else ("\ufeff" + POINTS).encode(enc))
        ov = read_overlay(f)
        assert list(ov.data["name"]) == ["甲", "乙"] and ov.n_rejected == 0


@pytest.mark.parametrize("n", [MAX_COLUMNS + 1, 10_000])
def test_wide_files_are_refused_in_one_line(invoke, tmp_path, n):
    f = tmp_path / "wide.csv"
    f.write_text(",".join(["lon", "lat"] + [f"c{i}" for i in range(n - 2)]) + "\n"
                 + ",".join(["112.9", "28.2"] + ["1"] * (n - 2)) + "\n", encoding="utf-8")
    one_line_error(invoke("export", "overlay", "--overlay", f, "-o", tmp_path / "o.geojson"),
                   "wide.csv", f"at most {MAX_COLUMNS:,}")
    gpkg = tmp_path / "wide.gpkg"
    frame = gpd.GeoDataFrame({f"c{i}": [1] for i in range(MAX_COLUMNS + 1)}, geometry=[shapely.Point(112.9, 28.2)],
                             crs="EPSG:4326")
    frame.to_file(gpkg)
    one_line_error(invoke("export", "overlay", "--overlay", gpkg, "-o", tmp_path / "o.geojson"),
                   "wide.gpkg", f"at most {MAX_COLUMNS:,}")


def test_a_file_just_under_the_limit_is_read(tmp_path):
    f = tmp_path / "ok.csv"
    f.write_text(",".join(["lon", "lat"] + [f"c{i}" for i in range(MAX_COLUMNS - 2)]) + "\n"
                 + ",".join(["112.9", "28.2"] + ["1"] * (MAX_COLUMNS - 2)) + "\n", encoding="utf-8")
    assert len(read_overlay(f).data) == 1


@pytest.mark.parametrize("value", ["1e-320", "0.01", "0", "-1", "nan", "201"])
def test_hex_km_out_of_range_is_a_usage_error(invoke, tmp_path, value):
    f = tmp_path / "pts.csv"
    f.write_text(POINTS, encoding="utf-8")
    res = invoke("export", "overlay", "--overlay", f, "--aggregate", "--hex-km", value, "-o", tmp_path / "o.gpkg")
    assert res.exit_code == 2 and "--hex-km" in res.stderr and "at least 0.1" in res.stderr
    assert not (tmp_path / "o.gpkg").exists()


def test_hex_limits_agree():
    from hunan_map.cli import options
    from hunan_map.layers import settings

    assert (options.MIN_HEX_KM, options.MAX_HEX_KM) == (settings.MIN_HEX_KM, settings.MAX_HEX_KM)


def _zip(tmp_path, name: str, damage) -> object:
    z = tmp_path / name
    with zipfile.ZipFile(z, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("pts.csv", POINTS * 20)
    raw = bytearray(z.read_bytes())
    central = raw.rfind(b"PK\x01\x02")
    damage(raw, central)
    z.write_bytes(bytes(raw))
    return z


def _bad_crc(raw, central):
    raw[30 + len("pts.csv") + 5] ^= 0xFF


def _encrypted(raw, central):
    raw[6] |= 1
    raw[central + 8] |= 1


def _method(raw, central):
    raw[8:10] = struct.pack("<H", 99)
    raw[central + 10:central + 12] = struct.pack("<H", 99)


@pytest.mark.parametrize("damage, words", [(_bad_crc, "cannot be unpacked"), (_encrypted, "encrypted"),
                                           (_method, "compression method 99")])
def test_broken_zip_members_are_one_line(invoke, tmp_path, damage, words):
    z = _zip(tmp_path, "firms.zip", damage)
    one_line_error(invoke("export", "overlay", "--overlay", z, "-o", tmp_path / "o.geojson"), "firms.zip", words)
    assert not (tmp_path / "o.geojson").exists()


@pytest.mark.parametrize("option", ["--crs", "--overlay-crs"])
def test_non_earth_crs_is_a_usage_error(invoke, tmp_path, option):
    f = tmp_path / "pts.csv"
    f.write_text(POINTS, encoding="utf-8")
    res = invoke("export", "overlay", "--overlay", f, option, "+proj=longlat +a=1 +b=1", "-o", tmp_path / "o.gpkg")
    assert res.exit_code == 2 and "not a coordinate system of the Earth" in res.stderr and option in res.stderr


def test_tls_scheduler_without_tls_settings_is_one_line(invoke, tmp_path):
    pytest.importorskip("dask_geopandas")
    f = tmp_path / "pts.csv"
    f.write_text(POINTS, encoding="utf-8")
    res = invoke("export", "overlay", "--overlay", f, "--aggregate", "--engine", "dask", "--scheduler",
                 "tls://127.0.0.1:1", "-o", tmp_path / "o.gpkg")
    one_line_error(res, "tls://127.0.0.1:1", "TLS")
    assert not (tmp_path / "o.gpkg").exists()


@pytest.mark.parametrize("suffix", [".parquet", ".geoparquet"])
def test_geoparquet_overlay_is_read_with_pyarrow(invoke, tmp_path, suffix):
    pytest.importorskip("pyarrow")
    f = tmp_path / f"firms{suffix}"
    gpd.GeoDataFrame({"name": ["甲", "乙"]}, geometry=[shapely.Point(112.9, 28.2), shapely.Point(113.0, 28.1)],
                     crs="EPSG:4326").to_parquet(f)
    out = tmp_path / "o.geojson"
    res = invoke("export", "overlay", "--overlay", f, "-o", out)
    assert res.exit_code == 0, res.stderr
    back = gpd.read_file(out)
    assert sorted(back["name"]) == ["乙", "甲"] and back.crs.to_epsg() == 4326
    z = tmp_path / "firms.zip"
    with zipfile.ZipFile(z, "w") as zf:
        zf.write(f, f.name)
    assert sorted(read_overlay(z).data["name"]) == ["乙", "甲"]
    broken = tmp_path / f"broken{suffix}"
    broken.write_bytes(b"PAR1 not really")
    one_line_error(invoke("export", "overlay", "--overlay", broken, "-o", tmp_path / "b.geojson"), broken.name)


def test_an_error_whose_text_starts_with_a_blank_line_is_not_a_bare_error():
    from hunan_map.cli._app import message

    assert message(ValueError("\nmathtext: unknown symbol \\foo")) == "mathtext: unknown symbol \\foo"
    assert message(ValueError("")) == "ValueError"
    assert message(KeyError()).startswith("internal error (KeyError: )")
