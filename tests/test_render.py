"""The HTML map as data: layers, names, escaping, determinism, basemaps, offline assets."""

from __future__ import annotations

import re

import pytest

from hunan_map import layers, maps
from hunan_map.maps import MapOptions
from hunan_map.layers import Filter


@pytest.fixture(scope="module")
def default_html():
    return maps.render_html()


def test_render_command_writes_map_with_every_park(invoke, tmp_path):
    out = tmp_path / "map.html"
    res = invoke("render", "-o", out)
    assert res.exit_code == 0, res.output
    text = out.read_text(encoding="utf-8")
    for name in layers.parks()["name"]:
        assert name in text
    assert "cs2021" not in text or "长沙“十四五”先进制造业规划" in text


def test_same_inputs_give_identical_bytes(default_html):
    assert maps.render_html() == default_html
    assert not re.search(r"_[0-9a-f]{32}\b", default_html)  # no random branca ids left


def test_popup_lists_industries_with_roles_and_citation(default_html):
    assert "先进储能材料 <i>(核心载体)</i>" in default_html.replace("\\u003c", "<").replace("\\u003e", ">")
    assert "长沙“十四五”先进制造业规划 (2021) 四(一)" in default_html.encode().decode("unicode_escape", "ignore") or \
        "四(一)" in default_html


def test_layer_groups_in_the_control(default_html):
    for group in ("行政区划", "三带四区", "一核多极", "产业集群", "园区与平台"):
        assert group in default_html
    assert "L.control.groupedLayers" in default_html


def test_english_interface():
    html = maps.render_html(options=MapOptions(lang="en"))
    assert "Parks and platforms" in html and "All industries" in html
    assert "Changsha Hi-tech Industrial Development Zone" in html


def test_prefilter_keeps_only_matching_parks():
    html = maps.render_html(options=MapOptions(filter=Filter.make(industry="人工智能")))
    assert "天心经开区" in html and "株洲高新区" not in html


def test_data_strings_are_escaped(tmp_path):
    from hunan_map.layers.kb import default_data_dir

    data = tmp_path / "data"
    data.mkdir()
    for item in default_data_dir().iterdir():
        if item.name.endswith(".csv"):
            text = item.read_text(encoding="utf-8")
            if item.name == "parks.csv":
                text = text.replace("天心经开区,天心经济开发区", "<img src=x onerror=alert(1)>,天心经济开发区", 1)
            (data / item.name).write_text(text, encoding="utf-8")
    ctx = layers.context(str(data))
    html = maps.render_html(ctx)
    # What the browser's JSON parser gives back to the page's JavaScript:
    decoded = (html.replace("\\u003c", "<").replace("\\u003e", ">").replace("\\u0026", "&")
               .replace("\\u0027", "'"))
    assert "&lt;img src=x onerror=alert(1)&gt;" in decoded
    assert "<img src=x" not in decoded


def test_amap_tiles_shift_overlays_to_gcj02():
    wgs = maps.render_html(options=MapOptions(tiles="none"))
    gcj = maps.render_html(options=MapOptions(tiles="amap"))
    assert "autonavi.com" in gcj
    assert "高德" in gcj or "\\u9ad8\\u5fb7" in gcj  # attribution (folium escapes it in tile options)
    pt = layers.parks().set_index("id").geometry.loc["changsha_hitech"]
    from hunan_map.geo.crs import wgs84_to_gcj02

    gx, gy = wgs84_to_gcj02(pt.x, pt.y)
    assert f"[{round(float(gx), 5)}, {round(float(gy), 5)}]" in gcj or f"[{round(float(gx), 5)},{round(float(gy), 5)}]" in gcj.replace(" ", "")
    assert f"{pt.x}" in wgs


def test_tianditu_needs_a_key(invoke, tmp_path, monkeypatch):
    monkeypatch.delenv("TIANDITU_KEY", raising=False)
    res = invoke("render", "--tiles", "tianditu", "-o", tmp_path / "t.html")
    assert res.exit_code == 1 and "TIANDITU_KEY" in res.stderr
    assert not (tmp_path / "t.html").exists()
    res = invoke("render", "--tiles", "tianditu", "--tianditu-key", "k123", "-o", tmp_path / "t.html")
    assert res.exit_code == 0
    assert "tk=k123" in (tmp_path / "t.html").read_text(encoding="utf-8")


def test_offline_page_has_no_external_script_or_style():
    html = maps.render_html(options=MapOptions(tiles="none"), offline=True)
    assert not re.findall(r'<script src="https?://', html)
    assert not re.findall(r'<link rel="stylesheet" href="https?://', html)
    assert "L.Map" in html or "L.map" in html


def test_bad_language_is_usage_error(invoke, tmp_path):
    assert invoke("render", "--lang", "fr", "-o", tmp_path / "x.html").exit_code == 2


def test_png_has_chinese_title(invoke, tmp_path):
    pytest.importorskip("matplotlib")
    from hunan_map.maps.static import find_cjk_font
    from hunan_map.geo.errors import HunanMapError

    try:
        find_cjk_font()
    except HunanMapError:
        pytest.skip("no CJK font installed (apt-get install fonts-noto-cjk)")
    out = tmp_path / "m.png"
    res = invoke("render", "--png", out, "-o", tmp_path / "m.html")
    assert res.exit_code == 0, res.output
    assert out.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert out.stat().st_size > 50_000


def test_unknown_basemap_is_usage_error(invoke, tmp_path):
    res = invoke("render", "--tiles", "foo", "-o", tmp_path / "x.html")
    assert res.exit_code == 2 and "osm" in res.output
