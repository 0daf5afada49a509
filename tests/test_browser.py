"""The real page in headless Chromium: draws offline, filters with counts, results, search, permalink, phone."""

from __future__ import annotations

import csv
import io

import pytest

from hunan_map import layers, maps
from hunan_map.maps import MapOptions

pytestmark = pytest.mark.browser

SHOWN = "window.hunanMap.shown()"


@pytest.fixture(scope="module")
def offline_map(tmp_path_factory):
    path = tmp_path_factory.mktemp("map") / "offline.html"
    maps.save(path, options=MapOptions(tiles="none"))
    return path


def expected_shown(**kw) -> int:
    """What the page should list for a filter: the layers that are on when it opens."""
    from hunan_map.layers.settings import default_layouts

    zones, corridors = layers.zones(**kw), layers.corridors(**kw)
    clusters = layers.clusters(**kw)
    n = len(layers.layer("parks", **kw)) + len(layers.platforms(**kw))
    n += int((clusters["member_type"] != "city").sum())
    n += int(zones["layout_id"].isin(default_layouts).sum()) + int(corridors["layout_id"].isin(default_layouts).sum())
    return n


def test_readme_map_draws_with_no_network_and_no_errors(open_page, tmp_path, invoke, artifacts):
    """The README's first command (default options) gives a page that draws with every request blocked."""
    out = tmp_path / "hunan.html"
    assert invoke("render", "-o", out).exit_code == 0
    page, messages, requests = open_page(out)
    page.wait_for_timeout(300)
    assert all("tile.openstreetmap.org" in r for r in requests)  # basemap tiles are the only requests
    errors = [m for m in messages if m[0] == "pageerror" or (m[0] == "error" and "ERR_FAILED" not in m[1])]
    assert errors == []
    assert page.evaluate("performance.getEntriesByName('hunan-map-drawn').length") == 1
    assert len(page.evaluate(SHOWN)) == expected_shown()
    # boundaries are drawn without tiles: 14 prefecture outlines as SVG paths
    assert page.evaluate("document.querySelectorAll('.leaflet-hm-admin-pane path').length") >= 14
    assert page.title().startswith("湖南产业政策地图")
    page.screenshot(path=str(artifacts / "map.png"))


def test_industry_filter_counts_zooms_and_lists(open_page, offline_map, artifacts):
    page, _, _ = open_page(offline_map)
    total = len(page.evaluate(SHOWN))
    zoom_before = page.evaluate("window.hunanLeafletMap.getZoom()")
    page.select_option("#hunan-industry", "artificial_intelligence")
    shown = page.evaluate(SHOWN)
    assert len(shown) == expected_shown(industry="人工智能")
    assert {"parks:changsha_hitech", "parks:tianxin_etdz", "parks:yuhua_etdz"} <= set(shown)
    summary = page.inner_text("#hunan-summary")
    assert f"{len(layers.parks(industry='人工智能'))}个园区" in summary
    assert page.evaluate("window.hunanLeafletMap.getZoom()") > zoom_before  # zoomed to the matches
    results = page.locator("#hunan-results li").all_text_contents()
    assert len(results) == len(shown) and any("长沙高新区" in r for r in results)
    page.screenshot(path=str(artifacts / "filter_ai.png"))
    page.select_option("#hunan-industry", "")
    assert len(page.evaluate(SHOWN)) == total


def test_parent_industry_keeps_descendants_and_options_show_counts(open_page, offline_map):
    page, _, _ = open_page(offline_map)
    page.select_option("#hunan-industry", "new_materials")
    assert len(page.evaluate(SHOWN)) == expected_shown(industry="新材料")
    options = page.evaluate("""Array.from(document.querySelectorAll('#hunan-industry option'))
        .filter(o => o.value).map(o => [o.value, o.textContent, o.disabled])""")
    assert all(t.rstrip().endswith(")") for _, t, _ in options)
    zero = [v for v, t, d in options if t.endswith("(0)")]
    assert zero and all(d for v, t, d in options if t.endswith("(0)") and v != "new_materials")


def test_legend_follows_the_filter_and_toggles(open_page, offline_map):
    page, _, _ = open_page(offline_map)
    visible = "Array.from(document.querySelectorAll('.hunan-legend [data-layer]')).filter(e => e.style.display !== 'none').length"
    before = page.evaluate(visible)
    page.evaluate("window.hunanMap.setLayer('clusters', false)")
    assert page.evaluate(visible) == before - 1
    page.select_option("#hunan-industry", "artificial_intelligence")
    assert page.evaluate(visible) < before - 1


def test_results_download_as_csv(open_page, offline_map, tmp_path):
    page, _, _ = open_page(offline_map)
    page.select_option("#hunan-industry", "artificial_intelligence")
    page.click(".hm-results-details summary")
    with page.expect_download() as info:
        page.click("#hunan-csv")
    path = tmp_path / "out.csv"
    info.value.save_as(path)
    rows = list(csv.reader(io.StringIO(path.read_text(encoding="utf-8-sig"))))
    assert rows[0] == ["名称", "类别", "所在地", "角色", "匹配方式", "出处"]
    assert len(rows) - 1 == len(page.evaluate(SHOWN))
    assert any(r[0] == "长沙高新区" and "人工智能" in r[3] and "本产业" in r[4] for r in rows[1:])


def test_permalink_restores_filter_layers_and_view(open_page, offline_map, browser, artifacts):
    page, _, _ = open_page(offline_map)
    page.select_option("#hunan-industry", "new_materials")
    page.evaluate("window.hunanMap.setLayer('counties', true)")
    url = page.url
    assert "industry=new_materials" in url and "counties" in url
    ctx = browser.new_context(viewport={"width": 1000, "height": 800})
    other = ctx.new_page()
    other.goto(url)
    other.wait_for_function("window.hunanMapDrawn !== undefined")
    assert other.input_value("#hunan-industry") == "new_materials"
    assert other.evaluate(SHOWN) == page.evaluate(SHOWN)
    assert other.evaluate("window.hunanMap.layers.find(e => e.spec.id === 'counties').on")
    assert other.evaluate("window.hunanLeafletMap.getZoom()") == page.evaluate("window.hunanLeafletMap.getZoom()")
    other.screenshot(path=str(artifacts / "permalink_restored.png"))
    ctx.close()


def _search(page, text):
    page.fill("#hunan-search", text)
    page.wait_for_selector("#hunan-suggest li", timeout=5000)
    return page.locator("#hunan-suggest li").all_inner_texts()


@pytest.mark.parametrize("query, expect, popup", [
    ("麓谷", "长沙高新区", True),          # a park by alias
    ("湘江科学城", "湘江科学城", True),    # a platform
    ("浏阳市", "浏阳市", False),           # a county (flies to its outline)
    ("长沙工程机械", "长沙工程机械", True),  # a cluster
    ("湘南地区", "湘南地区", True),         # a zone
    ("liuyangshi", "浏阳市", False),        # a county by pinyin
    ("csgxq", "长沙高新区", True),          # a park by the initials of its pinyin
])
def test_search_finds_every_kind_and_opens_it(open_page, offline_map, query, expect, popup, artifacts):
    page, _, _ = open_page(offline_map)
    tips = _search(page, query)
    assert expect in tips[0], tips
    if query == "湘江科学城":
        page.screenshot(path=str(artifacts / "search_platform.png"))
    page.press("#hunan-search", "Enter")
    if popup:
        page.wait_for_selector(".leaflet-popup-content", timeout=15000)
        assert expect in page.inner_text(".leaflet-popup-content")


def test_popup_shows_roles_precision_and_citation(open_page, offline_map):
    page, _, _ = open_page(offline_map)
    page.evaluate("window.hunanMap.focus('parks', 'ningxiang_hitech')")
    page.wait_for_selector(".leaflet-popup-content")
    text = page.inner_text(".leaflet-popup-content")
    line = next(l for l in text.splitlines() if l.startswith("先进储能材料"))
    assert "核心载体" in line
    assert "所在地：长沙市 宁乡市" in text
    assert "位置：" in text
    assert "长沙“十四五”先进制造业规划 (2021) 四(一)" in text


def test_phone_width_keeps_the_map_usable(open_page, offline_map, artifacts):
    page, _, _ = open_page(offline_map, viewport=(390, 844))
    # panels start collapsed and leave most of the map free
    assert page.evaluate("document.getElementById('hunan-legend').open") is False
    covered = page.evaluate("""() => Array.from(document.querySelectorAll('.hm-panel'))
        .map(e => e.getBoundingClientRect()).reduce((a, r) => a + r.width * r.height, 0)""")
    assert covered < 0.35 * 390 * 844
    widest = page.evaluate("Math.max(...Array.from(document.querySelectorAll('.hm-panel')).map(e => e.getBoundingClientRect().right))")
    assert widest <= 390
    page.screenshot(path=str(artifacts / "map_390px.png"))


def test_empty_filter_renders_a_notice(open_page, tmp_path, invoke):
    out = tmp_path / "empty.html"
    res = invoke("render", "--industry", "人工智能", "--place", "张家界市", "-o", out)
    assert res.exit_code == 0, res.output
    page, messages, _ = open_page(out)
    assert [m for m in messages if m[0] == "pageerror"] == []
    notice = page.inner_text("#hunan-notice")
    assert "没有符合条件的要素" in notice and "去掉 --place" in notice


def test_english_page(open_page, tmp_path, invoke):
    out = tmp_path / "en.html"
    assert invoke("render", "--lang", "en", "-o", out).exit_code == 0
    page, _, _ = open_page(out)
    page.evaluate("window.hunanMap.focus('parks', 'changsha_hitech')")
    page.wait_for_selector(".leaflet-popup-content")
    text = page.inner_text(".leaflet-popup-content")
    assert "Kind: hi-tech zone · national" in text
    assert "Changsha Hi-tech Industrial Development Zone" in text
    assert " parks · " in page.inner_text("#hunan-summary")


def test_overlay_text_shows_literally(open_page, tmp_path):
    path = tmp_path / "firms.csv"
    path.write_text("name,lon,lat\n<img src=x onerror=\"window.pwned=1\">,112.95,28.2\n{{7*7}},112.96,28.21\n",
                    encoding="utf-8")
    from hunan_map.layers.io.overlay import read_overlay

    ov = read_overlay(path)
    out = tmp_path / "xss.html"
    maps.save(out, options=MapOptions(tiles="none", overlay=ov.data))
    page, _, _ = open_page(out)
    texts = page.evaluate("""() => { const e = window.hunanMap.layers.find(x => x.spec.id === 'overlay');
        const out = []; e.group.eachLayer(l => { l.openPopup(l.getLayers()[0].getLatLng());
        const all = document.querySelectorAll('.leaflet-popup-content'); out.push(all[all.length - 1].textContent); });
        return out; }""")
    page.wait_for_timeout(200)
    assert page.evaluate("window.pwned === undefined")
    assert any('<img src=x onerror="window.pwned=1">' in t for t in texts)
    assert any("{{7*7}}" in t for t in texts)


@pytest.mark.slow
def test_100k_point_overlay_renders_and_opens(open_page, tmp_path, invoke):
    import numpy as np

    rng = np.random.default_rng(11)
    n = 100_000
    path = tmp_path / "firms.csv"
    xs, ys = rng.uniform(109.5, 113.8, n), rng.uniform(25.5, 29.5, n)
    path.write_text("name,lon,lat\n" + "\n".join(f"f{i},{x:.6f},{y:.6f}" for i, (x, y) in enumerate(zip(xs, ys))) + "\n",
                    encoding="utf-8")
    out = tmp_path / "big.html"
    res = invoke("render", "--overlay", path, "--tiles", "none", "-o", out)
    assert res.exit_code == 0, res.output
    page, messages, requests = open_page(out)
    assert requests == []
    assert [m for m in messages if m[0] == "pageerror"] == []
    assert page.evaluate("document.querySelectorAll('canvas.leaflet-heatmap-layer').length") == 1


@pytest.mark.slow
def test_aggregated_overlay_draws_hexagons(open_page, tmp_path, invoke):
    path = tmp_path / "p.csv"
    path.write_text("lon,lat\n" + "\n".join(f"{112 + i / 1000:.4f},{28 - i / 2000:.4f}" for i in range(500)) + "\n",
                    encoding="utf-8")
    out = tmp_path / "agg.html"
    res = invoke("render", "--overlay", path, "--engine", "dask", "--tiles", "none", "-o", out)
    assert res.exit_code == 0, res.output
    page, messages, _ = open_page(out)
    assert [m for m in messages if m[0] == "pageerror"] == []
    assert "我的数据（汇总）" in page.inner_text(".hm-layers")
    drawn = page.evaluate("document.querySelectorAll('.leaflet-hm-user-pane path').length")
    data = page.evaluate("JSON.parse(document.getElementById('hunan-data').textContent).overlay")
    assert data["mode"] == "aggregate" and drawn == len(data["hexes"]) + len(data["counties"]) > 0


def test_clustered_overlay_of_5000_points_draws(open_page, tmp_path, invoke):
    path = tmp_path / "p.csv"
    path.write_text("name,lon,lat\n" + "\n".join(f"f{i},{110 + (i % 100) / 30:.4f},{26 + (i // 100) / 20:.4f}"
                                                 for i in range(5000)) + "\n", encoding="utf-8")
    out = tmp_path / "cluster.html"
    assert invoke("render", "--overlay", path, "--tiles", "none", "-o", out).exit_code == 0
    page, messages, _ = open_page(out)
    assert [m for m in messages if m[0] == "pageerror"] == []
    assert page.evaluate("document.querySelectorAll('.marker-cluster').length") > 0


def test_points_that_share_a_place_are_drawn_once_and_list_each_other(open_page, offline_map, artifacts):
    page, _, _ = open_page(offline_map)
    stacked = page.evaluate("""() => { const seen = {};
        window.hunanMap.items.filter(it => it.layer && it.layer.hmLatLng && it.entry.on).forEach(it => {
            const k = it.feat.g.join(','); seen[k] = (seen[k] || []).concat([it.feat.id]); });
        const k = Object.keys(seen).find(k => seen[k].length >= 3); return seen[k]; }""")
    assert stacked and len(stacked) >= 3
    drawn = page.evaluate(f"""() => {stacked!r}.filter(id => window.hunanLeafletMap.hasLayer(
        window.hunanMap.items.find(i => i.feat.id === id).layer)).length""")
    assert drawn == 1
    # the one marker's popup lists every entry there; each opens its own popup
    page.evaluate(f"""() => {{ const ids = {stacked!r};
        const it = window.hunanMap.items.find(i => ids.includes(i.feat.id) && window.hunanLeafletMap.hasLayer(i.layer));
        it.layer.openPopup(); }}""")
    text = page.inner_text(".leaflet-popup-content")
    assert f"此处共 {len(stacked)} 项" in text
    assert page.locator(".hm-here-list li").count() == len(stacked)
    page.click(".hm-here-list li >> nth=1")
    page.wait_for_timeout(400)   # the list's popup fades out
    assert page.locator(".leaflet-popup").count() == 1
    assert f"此处共 {len(stacked)} 项" in page.inner_text(".leaflet-popup-content .hm-here")
    # every entry still counts and is in the results
    assert all(any(s.endswith(":" + i) for s in page.evaluate(SHOWN)) for i in stacked)
    page.screenshot(path=str(artifacts / "map_shared_place_list.png"))


def test_catalogue_zones_show_their_precision_in_popup_and_legend(open_page, offline_map):
    """A zone placed by cited evidence says so (town / county town), solid or hollow as the legend shows."""
    page, _, _ = open_page(offline_map)
    page.evaluate("window.hunanMap.setLayer('catalogue', true)")
    assert page.evaluate("window.hunanMap.focus('catalogue', 'hengdong_ez')")
    page.wait_for_selector(".leaflet-popup-content")
    text = page.inner_text(".leaflet-popup-content")
    assert "位置：所在乡镇（有依据，乡镇中心点） · 新塘镇" in text
    rows = page.evaluate("""Array.from(document.querySelectorAll('.hunan-legend [data-layer="catalogue"]'))
        .filter(e => e.style.display !== 'none').map(e => [e.textContent, e.querySelector('i').className])""")
    town = [c for t, c in rows if "所在乡镇" in t]
    seat = [c for t, c in rows if "县城（有依据）" in t]
    county = [c for t, c in rows if "县（区）政府驻地" in t]
    assert town and seat and county
    assert "hm-circle" in town[0] and "hm-ring" in seat[0] and "hm-ring" in county[0]
