"""The HTML map as data: layers, names, escaping, determinism, basemaps, offline assets."""

from __future__ import annotations

import json
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


def page_data(html: str) -> dict:
    """The page's one JSON document, parsed as the browser's JSON.parse would."""
    m = re.search(r'<script type="application/json" id="hunan-data">(.*?)</script>', html, re.S)
    assert m, "no data element"
    return json.loads(m.group(1))


def features(data: dict, layer_id: str) -> list[dict]:
    return next(layer for layer in data["layers"] if layer["id"] == layer_id)["features"]


def test_popup_data_lists_industries_with_roles_and_citation(default_html):
    data = page_data(default_html)
    park = next(f for f in features(data, "parks") if f["id"] == "ningxiang_hitech")
    roles = dict(park["inds"])
    assert "核心载体" in roles["先进储能材料"].split("、")
    assert any(c.startswith("长沙“十四五”先进制造业规划 (2021) 四(一)") for c in park["cites"])
    assert ["所在地", "长沙市 宁乡市"] in park["rows"]


def test_layer_groups_and_no_folium_data_elements(default_html):
    data = page_data(default_html)
    groups = {layer["group"] for layer in data["layers"]}
    for group in ("行政区划", "三带四区", "一核多极", "产业集群", "园区与平台"):
        assert group in groups
    # folium draws nothing from data: no GeoJson, layer control or search plugin in the page
    assert "L.control.groupedLayers" not in default_html and "L.geoJson(" not in default_html


def test_english_interface():
    html = maps.render_html(options=MapOptions(lang="en"))
    data = page_data(html)
    assert data["labels"]["parks_group"] == "Parks and platforms" and data["labels"]["allIndustries"] == "All industries"
    assert any(f["n"] == "Changsha Hi-tech Industrial Development Zone" for f in features(data, "parks"))
    assert '<html lang="en">' in html


def test_prefilter_is_the_pages_first_state_and_keeps_all_data():
    """A render asked for one industry holds every feature (its lists count against all the data) and
    opens with that industry set; a place still cuts the data (the page has no place filter)."""
    data = page_data(maps.render_html(options=MapOptions(filter=Filter.make(industry="人工智能"))))
    full = page_data(maps.render_html())
    assert data["initial"] == {"industry": "artificial_intelligence"}
    assert {f["n"] for f in features(data, "parks")} == {f["n"] for f in features(full, "parks")}
    matching = {f["n"] for f in features(data, "parks")
                if any("artificial_intelligence" in data["keysets"][x[0]] for x in f["f"])}
    assert "天心经开区" in matching and "株洲高新区" not in matching
    assert data["title"] == "湖南产业政策地图 · 人工智能"
    placed = page_data(maps.render_html(options=MapOptions(filter=Filter.make(industry="人工智能", place="长沙市"))))
    assert placed["initial"] == {"industry": "artificial_intelligence"}
    assert len(features(placed, "parks")) < len(features(full, "parks"))
    two = page_data(maps.render_html(options=MapOptions(filter=Filter.make(industry=["人工智能", "工程机械"]))))
    assert two["initial"] == {} and len(features(two, "parks")) < len(features(full, "parks"))


def test_data_strings_stay_data(tmp_path):
    from hunan_map.layers.kb import default_data_dir

    data_dir = tmp_path / "data"
    data_dir.mkdir()
    for item in default_data_dir().iterdir():
        if item.name.endswith(".csv"):
            text = item.read_text(encoding="utf-8")
            if item.name == "parks.csv":
                text = text.replace("天心经开区,长沙天心经济开发区", "<img src=x onerror=alert(1)>{{7*7}},长沙天心经济开发区", 1)
            (data_dir / item.name).write_text(text, encoding="utf-8")
    ctx = layers.context(str(data_dir))
    html = maps.render_html(ctx)
    assert "<img src=x" not in html  # the markup exists only as JSON text (\\u003c), never as a tag
    names = {f["n"] for f in features(page_data(html), "parks")}
    assert "<img src=x onerror=alert(1)>{{7*7}}" in names


def test_amap_tiles_shift_overlays_to_gcj02():
    from hunan_map.geo.crs import wgs84_to_gcj02

    wgs = page_data(maps.render_html(options=MapOptions(tiles="none")))
    gcj_html = maps.render_html(options=MapOptions(tiles="amap"))
    gcj = page_data(gcj_html)
    assert "autonavi.com" in gcj_html
    pt = layers.parks().set_index("id").geometry.loc["changsha_hitech"]
    gx, gy = wgs84_to_gcj02(pt.x, pt.y)
    w = next(f for f in features(wgs, "parks") if f["id"] == "changsha_hitech")["g"]
    g = next(f for f in features(gcj, "parks") if f["id"] == "changsha_hitech")["g"]
    assert w == [round(pt.y, 5), round(pt.x, 5)]
    assert g == [round(float(gy), 5), round(float(gx), 5)]


def test_tianditu_needs_a_valid_key(invoke, tmp_path, monkeypatch):
    monkeypatch.delenv("TIANDITU_KEY", raising=False)
    res = invoke("render", "--tiles", "tianditu", "-o", tmp_path / "t.html")
    assert res.exit_code == 1 and "TIANDITU_KEY" in res.stderr
    assert not (tmp_path / "t.html").exists()
    res = invoke("render", "--tiles", "tianditu", "--tianditu-key", "{{7*7}}", "-o", tmp_path / "t.html")
    assert res.exit_code == 2 and not (tmp_path / "t.html").exists()
    res = invoke("render", "--tiles", "tianditu", "--tianditu-key", "k1234567", "-o", tmp_path / "t.html")
    assert res.exit_code == 0
    assert "tk=k1234567" in (tmp_path / "t.html").read_text(encoding="utf-8")


def test_output_must_be_html(invoke, tmp_path):
    res = invoke("render", "-o", tmp_path / "map.png")
    assert res.exit_code == 2 and "--png" in res.output
    assert not (tmp_path / "map.png").exists()


def test_page_is_self_contained_by_default(default_html):
    html = default_html
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


LATIN_WORD = re.compile(r"(?<![A-Za-z])(?!OpenStreetMap|GeoNames|CSV|G\d|S\d|IPv6)[A-Za-z]{3,}")
CJK = re.compile(r"[\u3400-\u9fff]")


def _page_texts(data: dict) -> list[tuple[str, str]]:
    """(where, text) of every string the page shows that is not an entity's own name."""
    out = [("label", v) for v in _flatten(data["labels"])]
    out += [("industry option", i[1]) for i in data["industries"]]
    out += [("tier", t[1]) for t in data["tiers"]] + [("source", s[1]) for s in data["sources"]]
    out += [("role", r[1]) for r in data["roles"]] + [("layer", layer["name"]) for layer in data["layers"]]
    for layer in data["layers"]:
        for f in layer["features"]:
            for key, value in f.get("rows", []):
                out += [("row key", key), (f"row {key}", value)]
            for name, roles in f.get("inds", []):
                out += [("industry", name), ("role", roles)]
            out += [("citation", c) for c in f.get("cites", [])]
    return out


def _flatten(value):
    if isinstance(value, dict):
        for v in value.values():
            yield from _flatten(v)
    elif isinstance(value, list):
        for v in value:
            yield from _flatten(v)
    elif isinstance(value, str):
        yield value


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_each_language_is_complete(lang):
    """No word of the other language outside names: a Chinese page has no English words (but for
    OpenStreetMap and zone codes), an English page no Chinese but in quoted names of external notes."""
    data = page_data(maps.render_html(options=MapOptions(lang=lang, show_all=True)))
    leaks = []
    for where, text in _page_texts(data):
        if lang == "zh" and LATIN_WORD.search(re.sub(r"https?://\S+", "", text)):  # an address is no word
            leaks.append((where, text))
        quoted_names = (where == "citation" and text.startswith("external")) or where in ("row Location",
                                                                                             "row Location evidence")
        if lang == "en" and CJK.search(text) and not quoted_names:  # notes may quote a Chinese name
            leaks.append((where, text))
    assert leaks == [], leaks[:10]
    assert not any("external external" in t or "外部资料：外部资料" in t for _w, t in _page_texts(data))


def test_two_processes_with_different_hash_seeds_give_identical_bytes(tmp_path):
    import os
    import subprocess
    import sys

    code = ("import sys; from hunan_map import maps; from hunan_map.maps import MapOptions; "
            "sys.stdout.buffer.write(maps.render_html(options=MapOptions(lang='en', show_all=True)).encode())")
    outs = []
    for seed in ("1", "12345"):
        env = {**os.environ, "PYTHONHASHSEED": seed}
        outs.append(subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, check=True).stdout)
    assert outs[0] == outs[1] and len(outs[0]) > 100_000


@pytest.mark.slow
def test_every_prefecture_tier_source_and_industry_renders():
    """Every single filter value gives a page (with a notice when nothing matches), never an error.

    Prefectures, tiers and sources render whole pages; the 500-odd industries build the page's data
    (the HTML shell around it does not depend on the filter)."""
    from hunan_map.layers import context
    from hunan_map.maps.basemaps import basemap
    from hunan_map.maps.render import page_data as build_page_data

    ctx = context()
    values = [("place", p) for p in ctx.geo.prefectures["name"]]
    values += [("tier", t) for t in ("traditional", "advantage", "emerging", "future", "potential", "special",
                                     "pillar", "new_support")]
    values += [("source", s) for s in ctx.kb.sources["id"]] + [("industry", i) for i in ctx.kb.industries["id"]]
    empty = []
    for key, value in values:
        opts = MapOptions(tiles="none", filter=Filter.make(**{key: value}))
        if key == "industry":
            data = json.loads(json.dumps(build_page_data(ctx, opts, basemap("none"))))
        else:
            data = page_data(maps.render_html(ctx, opts))
        drawn = sum(sum(_passes(data, f) for f in layer["features"]) for layer in data["layers"]
                    if layer["type"] not in ("admin", "compare"))
        if not drawn:
            assert data["notice"] is not None, (key, value)
            empty.append(value)
    # a filter matches nothing only when no fact of a drawn entity lies on or below the value
    from hunan_map.layers import builders

    drawn_ids = set(builders.build_parks(ctx, kinds="all")["id"]) | set(builders.build_clusters(ctx)["id"])
    drawn_ids |= set(builders.build_zones(ctx)["id"]) | set(builders.build_corridors(ctx)["id"])
    facts = ctx.kb.facts[ctx.kb.facts["entity"].isin(drawn_ids)]
    from hunan_map.layers.match import fact_kind

    for ind in empty:  # "below" as each fact's own document reads it (its tree, or the shared tree)
        if ind in set(ctx.kb.industries["id"]):
            assert not any(fact_kind(ctx.kb, f.industry, f.source, f.role, (ind,))
                           for f in facts.itertuples(index=False)), ind


def _passes(data: dict, feat: dict) -> bool:
    """Whether the page shows a feature when it opens (its first filter state, data["initial"])."""
    st = data.get("initial") or {}
    if not st:
        return True
    return any((not st.get("industry") or st["industry"] in data["keysets"][f[0]])
               and (not st.get("source") or f[1] == st["source"]) and (not st.get("role") or f[2] == st["role"])
               and (not st.get("tier") or st["tier"] in f[3]) for f in feat.get("f", []))


def test_bundled_pinyin_covers_every_bundled_name_and_matches_pypinyin():
    """maps/data/pinyin.csv (scripts/build_pinyin.py) spares each render loading pypinyin's dictionary."""
    from hunan_map.layers import context
    from hunan_map.maps.payload import _pinyin_table, pinyin_names, to_pinyin

    table = _pinyin_table()
    missing = pinyin_names(context()) - set(table)
    assert not missing, f"run python scripts/build_pinyin.py ({len(missing)} names missing)"
    assert table["长沙高新区"] == to_pinyin("长沙高新区") == ("changshagaoxinqu", "csgxq")


def test_overlay_columns_keep_the_users_names_and_ours_are_translated(tmp_path):
    """A user's own ``county`` column stays ``county``; the columns the join adds are in the page's words,
    the near-park one says its distance, and list values are joined text."""
    from hunan_map.layers import context
    from hunan_map.layers.io.overlay import read_overlay
    from hunan_map.layers.overlay_join import join_overlay
    from hunan_map.maps import payload as P

    path = tmp_path / "firms.csv"
    path.write_text("name,county,lon,lat\nA,my county,112.95,28.2\n", encoding="utf-8")
    ctx = context()
    raw = read_overlay(path).data
    joined = join_overlay(raw, counties=ctx.geo.counties, zones=layers.zones(), parks=layers.parks())
    for lang in ("zh", "en"):
        out = P.overlay_layer(joined, marker_limit=10, cluster_limit=100, lang=lang, near_km=7.5)
        cols, row = out["cols"], out["rows"][0]
        assert cols[:2] == ["name", "county"] and row[1] == "my county"
        assert cols.count("county") == 1 and not {"hm_county", "zones", "near_park", "near_park_km", "line"} & set(cols)
        assert any("7.5" in c for c in cols)
        assert not any(v.startswith("[") for v in row)
    zh = P.overlay_layer(joined, marker_limit=10, cluster_limit=100, lang="zh")
    assert "所在区县" in zh["cols"] and "所在区域" in zh["cols"]
    assert "、" in zh["rows"][0][zh["cols"].index("所在区域")]
    plain = P.overlay_layer(raw, marker_limit=10, cluster_limit=100, lang="zh")
    assert plain["cols"][:2] == ["name", "county"]
