"""Writes are whole or nothing: full disks, concurrent writers, signals, Shapefile parts and the
rejects list never leave a half-written file, a replaced file nobody asked to replace, or a
temporary folder behind."""

from __future__ import annotations

import contextlib
import json
import os
import resource
import signal
import subprocess
import sys
import time
from pathlib import Path

import pyogrio
import pytest

from hunan_map.layers.io._atomic import AtomicTarget, verify_file
from hunan_map.layers.errors import OutputExistsError, WriteError
from hunan_map.layers.io.export import write_layers, write_text_atomic

FORMATS = ("geojson", "gpkg", "shp", "kml", "csv", "parquet")
SHP_PARTS = (".shp", ".shx", ".dbf", ".prj", ".cpg")


def cli(*args, limit: int | None = None, cwd=None, **kw):
    """Run the real console program in a subprocess, optionally under a file-size limit (ulimit -f)."""

    def setup():
        if limit is not None:
            resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))

    return subprocess.run([sys.executable, "-m", "hunan_map.cli", *map(str, args)], capture_output=True,
                          text=True, preexec_fn=setup, cwd=cwd, timeout=300, **kw)


def temp_folders(folder: Path) -> list[Path]:
    return [p for p in Path(folder).iterdir() if p.name.startswith(".hunan-map-")]


def parts(path: Path, fmt: str) -> list[Path]:
    return [path.with_suffix(s) for s in SHP_PARTS] if fmt == "shp" else [path]


def error_lines(stderr: str) -> list[str]:
    return [line for line in stderr.splitlines() if line.strip()]


# ------------------------------------------------------------------ a full disk


@pytest.mark.slow
@pytest.mark.parametrize("fmt", FORMATS)
def test_full_disk_writes_nothing(tmp_path, fmt):
    pytest.importorskip("pyarrow") if fmt == "parquet" else None
    out = tmp_path / f"counties.{fmt}"
    res = cli("export", "counties", "-o", out, limit=20_000)
    assert res.returncode == 1, res.stderr
    assert error_lines(res.stderr) == [f"Error: disk full writing {out}; nothing was written"]
    assert "Traceback" not in res.stderr
    assert not any(p.exists() for p in parts(out, fmt))
    assert temp_folders(tmp_path) == []


@pytest.mark.slow
@pytest.mark.parametrize("fmt", FORMATS)
def test_full_disk_with_overwrite_keeps_the_old_file(tmp_path, fmt):
    pytest.importorskip("pyarrow") if fmt == "parquet" else None
    out = tmp_path / f"parks.{fmt}"
    assert cli("export", "parks", "-o", out).returncode == 0
    before = {p.name: p.read_bytes() for p in parts(out, fmt)}
    res = cli("export", "counties", "-o", out, "--overwrite", limit=max(len(b) for b in before.values()) + 4096)
    assert res.returncode == 1, res.stderr
    assert error_lines(res.stderr) == [f"Error: disk full writing {out}; nothing was written"]
    assert {p.name: p.read_bytes() for p in parts(out, fmt)} == before
    assert temp_folders(tmp_path) == []


@pytest.mark.slow
def test_full_disk_map_and_png(tmp_path):
    pytest.importorskip("matplotlib")
    html = tmp_path / "m.html"
    res = cli("render", "-o", html, limit=50_000)
    assert res.returncode == 1
    assert error_lines(res.stderr) == [f"Error: disk full writing {html}; nothing was written"]
    png = tmp_path / "m.png"
    res = cli("render", "-o", html, "--png", png, "--lang", "en", limit=20_000)
    assert res.returncode == 1
    assert error_lines(res.stderr)[-1] == f"Error: disk full writing {png}; nothing was written"
    assert not html.exists() and not png.exists() and temp_folders(tmp_path) == []


@contextlib.contextmanager
def tiny_tmpfs(path: Path, size: str = "200k"):
    path.mkdir()
    if os.geteuid() != 0:
        pytest.skip("mounting a tmpfs needs root; the ulimit -f tests cover full disks")
    done = subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(path)], capture_output=True)
    if done.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here ({done.stderr.decode().strip()})")
    try:
        yield path
    finally:
        subprocess.run(["umount", str(path)], check=False)


@pytest.mark.slow
def test_full_tmpfs_every_format(tmp_path):
    with tiny_tmpfs(tmp_path / "small") as disk:
        old = disk / "old.geojson"
        old.write_text('{"type": "FeatureCollection", "features": []}', encoding="utf-8")
        for fmt in FORMATS:
            out = disk / f"counties.{fmt}"
            res = cli("export", "counties", "-o", out)
            assert res.returncode == 1, (fmt, res.stderr)
            assert error_lines(res.stderr) == [f"Error: disk full writing {out}; nothing was written"], fmt
        res = cli("export", "counties", "-o", old, "--overwrite")
        assert res.returncode == 1
        assert json.loads(old.read_text(encoding="utf-8")) == {"type": "FeatureCollection", "features": []}
        assert sorted(p.name for p in disk.iterdir()) == ["old.geojson"]


# ------------------------------------------------------------------ concurrent writers


@pytest.mark.slow
def test_concurrent_exports_to_one_new_path_exactly_one_wins(tmp_path):
    out = tmp_path / "parks.geojson"
    procs = [subprocess.Popen([sys.executable, "-m", "hunan_map.cli", "export", "parks", "-o", str(out)],
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) for _ in range(8)]
    results = [(p.wait(timeout=300), p.stderr.read()) for p in procs]
    codes = sorted(code for code, _ in results)
    assert codes == [0] + [1] * 7, results
    for code, stderr in results:
        if code:
            assert f"{str(out)!r} exists; use --overwrite" in stderr and "Traceback" not in stderr
    assert len(json.loads(out.read_text(encoding="utf-8"))["features"]) > 0
    assert temp_folders(tmp_path) == []


def test_second_writer_loses_at_the_rename(tmp_path):
    """Both writers pass the early check; the exclusive link lets only the first into place."""
    out = tmp_path / "x.geojson"
    a, b = AtomicTarget(out), AtomicTarget(out)
    a.tmp.write_text('{"type": "FeatureCollection", "features": []}', encoding="utf-8")
    b.tmp.write_text('{"type": "FeatureCollection", "features": [], "b": 1}', encoding="utf-8")
    a.commit()
    with pytest.raises(OutputExistsError, match="exists; use --overwrite"):
        b.commit()
    assert "b" not in json.loads(out.read_text(encoding="utf-8"))
    assert temp_folders(tmp_path) == []


def test_shapefile_loser_leaves_no_parts(tmp_path, invoke):
    import geopandas as gpd
    import shapely

    out = tmp_path / "roads.shp"
    frame = gpd.GeoDataFrame({"name": ["a"]}, geometry=[shapely.Point(112.9, 28.2)], crs="EPSG:4326")
    target = AtomicTarget(out)
    pyogrio.write_dataframe(frame, target.tmp, driver="ESRI Shapefile")
    (tmp_path / "roads.prj").write_text("someone else's", encoding="utf-8")  # appears while we write
    with pytest.raises(OutputExistsError, match="roads.prj"):
        target.commit()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["roads.prj"]


# ------------------------------------------------------------------ shapefile parts and inputs


@pytest.mark.parametrize("existing", [".dbf", ".prj", ".cpg", ".shx"])
def test_every_shapefile_part_is_checked(invoke, tmp_path, existing):
    part = tmp_path / f"roads{existing}"
    part.write_bytes(b"keep me")
    res = invoke("export", "parks", "-o", tmp_path / "roads.shp")
    assert res.exit_code == 1
    assert f"roads{existing} exists" in res.stderr and "--overwrite" in res.stderr
    assert part.read_bytes() == b"keep me"
    assert sorted(p.name for p in tmp_path.iterdir()) == [part.name]


def test_output_that_is_a_data_table_is_refused(invoke, tmp_path):
    from hunan_map.layers.kb import default_data_dir

    data = tmp_path / "data"
    data.mkdir()
    for item in default_data_dir().iterdir():
        if item.name.endswith(".csv"):
            (data / item.name).write_bytes(item.read_bytes())
    before = (data / "parks.csv").read_bytes()
    res = invoke("matrix", "-o", data / "parks.csv", "--overwrite", "--data", data)
    assert res.exit_code == 2 and "is an input" in res.stderr
    assert (data / "parks.csv").read_bytes() == before


# ------------------------------------------------------------------ the rejects list


def overlay_with_a_bad_row(path: Path) -> Path:
    path.write_text("name,lon,lat\nA,112.9,28.2\nB,abc,28.1\n", encoding="utf-8")
    return path


def test_rejects_file_is_not_replaced_without_overwrite(invoke, tmp_path):
    csv = overlay_with_a_bad_row(tmp_path / "firms.csv")
    rejects = tmp_path / "out.geojson.rejects.csv"
    rejects.write_text("keep me", encoding="utf-8")
    res = invoke("export", "overlay", "--overlay", csv, "-o", tmp_path / "out.geojson")
    assert res.exit_code == 1
    assert f"{str(rejects)!r} exists; use --overwrite" in res.stderr
    assert rejects.read_text(encoding="utf-8") == "keep me"
    assert not (tmp_path / "out.geojson").exists()
    res = invoke("export", "overlay", "--overlay", csv, "-o", tmp_path / "out.geojson", "--overwrite")
    assert res.exit_code == 0
    assert rejects.read_text(encoding="utf-8").splitlines()[1].startswith("3,lon,'abc' is not a number")


def test_rejects_file_is_not_written_when_the_output_is_refused(invoke, tmp_path):
    csv = overlay_with_a_bad_row(tmp_path / "firms.csv")
    out = tmp_path / "map.html"
    out.write_text("old map", encoding="utf-8")
    res = invoke("render", "--overlay", csv, "-o", out)
    assert res.exit_code == 1 and "--overwrite" in res.stderr
    assert out.read_text(encoding="utf-8") == "old map"
    assert not (tmp_path / "map.html.rejects.csv").exists()


def test_rejects_file_never_replaces_the_input(invoke, tmp_path):
    csv = overlay_with_a_bad_row(tmp_path / "out.geojson.rejects.csv")
    before = csv.read_bytes()
    res = invoke("export", "overlay", "--overlay", csv, "-o", tmp_path / "out.geojson", "--overwrite")
    assert res.exit_code == 2
    assert "is an input" in res.stderr and "rejects list" in res.stderr
    assert csv.read_bytes() == before
    assert not (tmp_path / "out.geojson").exists()


# ------------------------------------------------------------------ verification and clean-up


@pytest.mark.skipif(os.geteuid() == 0, reason="root writes anywhere")
def test_unwritable_folder_is_one_line(invoke, tmp_path):
    folder = tmp_path / "ro"
    folder.mkdir()
    folder.chmod(0o500)
    try:
        res = invoke("export", "parks", "-o", folder / "p.geojson")
    finally:
        folder.chmod(0o700)
    assert res.exit_code == 1
    assert "cannot create files in" in res.stderr and len(res.stderr.splitlines()) == 1


def test_truncated_files_do_not_verify(tmp_path):
    kml = tmp_path / "t.kml"
    kml.write_text('<?xml version="1.0"?><kml xmlns="http://www.opengis.net/kml/2.2"><Document><Placemark>',
                   encoding="utf-8")
    with pytest.raises(WriteError, match="does not read back"):
        verify_file(kml)
    gj = tmp_path / "t.geojson"
    gj.write_text('{"type": "FeatureCollection", "features": [{"type": "Fea', encoding="utf-8")
    with pytest.raises(WriteError, match="does not read back"):
        verify_file(gj)
    empty = tmp_path / "e.html"
    empty.write_bytes(b"")
    with pytest.raises(WriteError, match="empty"):
        verify_file(empty)


def test_a_failing_writer_leaves_nothing(tmp_path):
    out = tmp_path / "x.kml"
    with pytest.raises(WriteError, match=r"cannot write .*x\.kml.*nothing was written"):
        with AtomicTarget(out) as t:
            t.tmp.write_text("<kml><Document>", encoding="utf-8")  # a writer that stopped half-way
    with pytest.raises(WriteError, match="boom; nothing was written"):
        with AtomicTarget(out) as t:
            t.tmp.write_text("x", encoding="utf-8")
            raise RuntimeError("boom")  # e.g. a GDAL error
    with pytest.raises(KeyboardInterrupt):
        with AtomicTarget(out) as t:
            t.tmp.write_text("x", encoding="utf-8")
            raise KeyboardInterrupt
    assert list(tmp_path.iterdir()) == []


@pytest.mark.filterwarnings("ignore:Shapefile text holds at most 254 bytes")
def test_write_layers_counts_features_in_every_format(tmp_path):
    from hunan_map import layers

    parks = layers.parks()
    for fmt in ("gpkg", "shp", "kml"):
        out = write_layers({"parks": parks}, tmp_path / f"p.{fmt}")
        assert len(pyogrio.read_dataframe(out, layer=None if fmt == "shp" else "parks")) == len(parks)
    assert write_text_atomic(tmp_path / "t.txt", "文本").read_text(encoding="utf-8") == "文本"
    with pytest.raises(OutputExistsError):
        write_text_atomic(tmp_path / "t.txt", "again")
    assert temp_folders(tmp_path) == []


@pytest.mark.slow
@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGINT])
def test_killed_run_leaves_no_temp_folder(tmp_path, sig):
    out = tmp_path / "counties.kml"
    proc = subprocess.Popen([sys.executable, "-m", "hunan_map.cli", "export", "counties", "-o", str(out)],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    deadline = time.time() + 120
    while not temp_folders(tmp_path):
        assert proc.poll() is None, "finished before its temporary folder was seen"
        assert time.time() < deadline
        time.sleep(0.002)
    proc.send_signal(sig)
    code = proc.wait(timeout=120)
    assert code != 0
    assert "Traceback" not in proc.stderr.read()
    assert temp_folders(tmp_path) == []
    assert not out.exists()
