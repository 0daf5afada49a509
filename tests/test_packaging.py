"""The package installs as one import package, ships its data and runs from anywhere."""

from __future__ import annotations

import subprocess
import sys
from importlib import resources
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def test_subpackages_import_under_hunan_map():
    import hunan_map.cli
    import hunan_map.geo
    import hunan_map.layers
    import hunan_map.maps

    assert "geometry out" in hunan_map.geo.__doc__
    assert "GeoDataFrames joined to industries out" in hunan_map.layers.__doc__
    assert "HTML" in hunan_map.maps.__doc__ and "layers in" in hunan_map.maps.__doc__
    assert "Typer commands over the library API" in hunan_map.cli.__doc__


def test_package_data_is_reachable_through_importlib_resources():
    geo = resources.files("hunan_map.geo") / "data"
    assert (geo / "hunan_fine.topojson").is_file()
    assert (geo / "hunan_coarse.topojson").is_file()
    data = resources.files("hunan_map.layers.kb") / "data"
    for name in ("sources.csv", "industries.csv", "parks.csv", "clusters.csv", "README.md"):
        assert (data / name).is_file(), name
    assert len([p for p in (resources.files("hunan_map.maps") / "js" / "page").iterdir() if p.name.endswith(".js")]) >= 7
    assert (resources.files("hunan_map.maps") / "js" / "hunan_map.css").is_file()
    assert (resources.files("hunan_map.geo") / "data" / "seats.csv").is_file()
    assert (resources.files("hunan_map.geo") / "data" / "towns.csv").is_file()
    assert (data / "zone_locations.csv").is_file()


def test_python_dash_m_runs_the_cli():
    done = subprocess.run([sys.executable, "-m", "hunan_map.cli", "--help"], capture_output=True, text=True)
    assert done.returncode == 0
    assert "render" in done.stdout and "export" in done.stdout


@pytest.mark.slow
def test_built_wheel_holds_only_hunan_map_and_runs_from_another_directory(tmp_path):
    dist = tmp_path / "dist"
    build = subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation",
                            "-w", str(dist), str(ROOT)], capture_output=True, text=True)
    if build.returncode != 0:  # setuptools missing from the env: build in isolation
        build = subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "-w", str(dist), str(ROOT)],
                               capture_output=True, text=True)
    assert build.returncode == 0, build.stderr
    wheel = next(dist.glob("hunan_map-*.whl"))
    target = tmp_path / "site"
    inst = subprocess.run([sys.executable, "-m", "pip", "install", "--no-deps", "--target", str(target), str(wheel)],
                          capture_output=True, text=True)
    assert inst.returncode == 0, inst.stderr
    top = sorted(p.name for p in target.iterdir() if not p.name.endswith(".dist-info") and p.name != "bin")
    assert top == ["hunan_map"]
    work = tmp_path / "elsewhere"
    work.mkdir()
    out = work / "parks.geojson"
    env = {"PYTHONPATH": str(target), "PATH": "/usr/bin:/bin"}
    run = subprocess.run([sys.executable, "-c", "from hunan_map.cli.main import main; main()",
                          "export", "parks", "-o", str(out)], capture_output=True, text=True, cwd=work, env=env)
    assert run.returncode == 0, run.stderr
    import json

    data = json.loads(out.read_text(encoding="utf-8"))
    from hunan_map import layers

    assert len(data["features"]) == len(layers.parks()) > 129  # the documents' parks and the 2018 catalogue
    check = subprocess.run([sys.executable, "-c", "import hunan_map.geo, sys; print(hunan_map.geo.__file__)"],
                           capture_output=True, text=True, cwd=work, env=env)
    assert str(target) in check.stdout  # the wheel's copy was imported, not the checkout
