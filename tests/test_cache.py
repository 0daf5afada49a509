"""The result cache (cli/_cache.py): a cached page or answer is byte-identical to a fresh one,
other options, ``--data`` and ``--no-cache`` never reuse it, and a broken cache is ignored."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from hunan_map.layers.kb import default_data_dir


@pytest.fixture
def cache(monkeypatch, tmp_path) -> Path:
    folder = tmp_path / "cache"
    monkeypatch.delenv("HUNAN_MAP_NO_CACHE", raising=False)
    monkeypatch.setenv("HUNAN_MAP_CACHE_DIR", str(folder))
    return folder


def entries(folder: Path, command: str | None = None) -> list[Path]:
    """The cache's entries (of one command: render, shell, query ...)."""
    found = sorted(folder.glob("*.entry")) if folder.exists() else []
    if command is None:
        return found
    return [p for p in found if json.loads(p.read_bytes().partition(b"\n")[0]).get("command") == command]


@pytest.mark.slow
def test_cached_page_is_byte_identical_to_a_fresh_render(invoke, cache, tmp_path):
    first, second, fresh = tmp_path / "first.html", tmp_path / "second.html", tmp_path / "fresh.html"
    assert invoke("render", "-o", first).exit_code == 0
    assert len(entries(cache, "render")) == 1 and len(entries(cache, "shell")) == 1
    stored = entries(cache, "render")[0].stat().st_mtime_ns
    res = invoke("render", "-o", second)
    assert res.exit_code == 0 and "Wrote" in res.stderr
    assert entries(cache, "render")[0].stat().st_mtime_ns == stored  # read, not rewritten
    assert invoke("render", "-o", fresh, "--no-cache").exit_code == 0
    assert first.read_bytes() == second.read_bytes() == fresh.read_bytes()
    assert b"HunanMap.start" in second.read_bytes() and b"leaflet" in second.read_bytes().lower()


@pytest.mark.slow
def test_other_options_are_other_entries(invoke, cache, tmp_path):
    zh, en, en_fresh = tmp_path / "zh.html", tmp_path / "en.html", tmp_path / "en_fresh.html"
    assert invoke("render", "-o", zh).exit_code == 0
    assert invoke("render", "-o", en, "--lang", "en").exit_code == 0
    assert len(entries(cache, "render")) == 2 and len(entries(cache, "shell")) == 1  # one shell serves both
    assert invoke("render", "-o", en_fresh, "--lang", "en", "--no-cache").exit_code == 0
    assert en.read_bytes() == en_fresh.read_bytes() != zh.read_bytes()
    assert '<html lang="en">' in en.read_text(encoding="utf-8")


@pytest.mark.slow
def test_corrupt_or_unwritable_cache_is_ignored(invoke, cache, tmp_path):
    good = tmp_path / "good.html"
    assert invoke("render", "-o", good, "--no-cache").exit_code == 0
    assert invoke("render", "-o", tmp_path / "a.html").exit_code == 0
    for entry in entries(cache):  # truncated, then garbage: both are misses, never a crash or a stale page
        entry.write_bytes(entry.read_bytes()[: entry.stat().st_size // 2])
    res = invoke("render", "-o", tmp_path / "b.html")
    assert res.exit_code == 0 and "Error" not in res.stderr
    assert (tmp_path / "b.html").read_bytes() == good.read_bytes()
    for entry in entries(cache):
        entry.write_bytes(b'{"format": 1, "size": 3, "digest": "x"}\nabc')
    assert invoke("render", "-o", tmp_path / "c.html").exit_code == 0
    assert (tmp_path / "c.html").read_bytes() == good.read_bytes()
    shutil.rmtree(cache)
    cache.write_text("not a folder")  # the cache folder cannot be created
    res = invoke("render", "-o", tmp_path / "d.html")
    assert res.exit_code == 0 and res.stderr.count("\n") == 1 and "Wrote" in res.stderr
    assert (tmp_path / "d.html").read_bytes() == good.read_bytes()


def test_query_answers_replay_exactly(invoke, cache):
    for args in (("query", "parks", "--industry", "人工智能", "--format", "json"), ("geocode", "长沙"),
                 ("industries", "--tier", "future")):
        fresh = invoke(*args, "--no-cache")
        first = invoke(*args)
        again = invoke(*args)
        assert fresh.exit_code == first.exit_code == again.exit_code == 0
        assert fresh.stdout == first.stdout == again.stdout and fresh.stderr == again.stderr
    assert len(entries(cache, "query")) == len(entries(cache, "geocode")) == len(entries(cache, "industries")) == 1
    rows = json.loads(invoke("query", "parks", "--industry", "人工智能", "--format", "json").stdout)
    assert "长沙高新区" in {r["name"] for r in rows}


def test_errors_are_not_cached(invoke, cache):
    res = invoke("query", "parks", "--industry", "没有这个产业")
    assert res.exit_code == 2
    assert entries(cache) == []


def test_a_data_folder_is_never_cached(invoke, cache, tmp_path):
    data = tmp_path / "data"
    shutil.copytree(default_data_dir(), data)
    fresh = invoke("query", "parks", "--industry", "人工智能", "--format", "json")
    parks = data / "parks.csv"
    parks.write_text(parks.read_text(encoding="utf-8").replace("长沙高新区", "长沙高新技术区"), encoding="utf-8")
    edited = invoke("query", "parks", "--industry", "人工智能", "--format", "json", "--data", data)
    assert edited.exit_code == 0
    assert "长沙高新技术区" in edited.stdout and "长沙高新技术区" not in fresh.stdout
    assert len(entries(cache)) == 1 and entries(cache, "query")  # only the bundled-data answer


@pytest.mark.slow
def test_cached_shell_gives_the_same_page(invoke, cache, tmp_path):
    """A page that is not cached reuses the cached folium shell: same bytes as without any cache."""
    assert invoke("render", "-o", tmp_path / "a.html", "--lang", "en").exit_code == 0  # stores page and shell
    shells = len(entries(cache))
    out, fresh = tmp_path / "ai.html", tmp_path / "ai_fresh.html"
    assert invoke("render", "-o", out, "--industry", "人工智能").exit_code == 0  # page: miss; shell: hit
    assert len(entries(cache)) == shells + 1  # only the new page was stored
    assert invoke("render", "-o", fresh, "--industry", "人工智能", "--no-cache").exit_code == 0
    assert out.read_bytes() == fresh.read_bytes()
    assert len(entries(cache)) == shells + 1


@pytest.mark.slow
def test_cached_answers_import_neither_geopandas_nor_folium(cache, tmp_path):
    """A cache hit runs without the heavy libraries: that is where the speed comes from."""
    import os
    import subprocess
    import sys

    probe = ("import sys\nfrom hunan_map.cli.main import app\n"
             "try:\n    app(sys.argv[1:])\nexcept SystemExit:\n    pass\n"
             "sys.stderr.write('LOADED ' + ' '.join(m for m in ('pandas', 'geopandas', 'folium', 'shapely') "
             "if m in sys.modules) + '\\n')\n")
    env = {**os.environ}
    for args in (["render", "-o", str(tmp_path / "m.html"), "--overwrite"], ["query", "parks", "--industry", "人工智能"],
                 ["geocode", "长沙"], ["industries"]):
        runs = [subprocess.run([sys.executable, "-c", probe, *args], env=env, capture_output=True, text=True,
                               timeout=600) for _ in range(2)]
        assert runs[0].returncode == runs[1].returncode == 0, runs[0].stderr
        assert "geopandas" in runs[0].stderr.splitlines()[-1]  # the first run computes
        assert runs[1].stderr.splitlines()[-1] == "LOADED ", (args, runs[1].stderr)  # the second replays
        assert runs[0].stdout == runs[1].stdout
