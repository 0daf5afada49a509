"""The real page in headless Chromium: draws, filters, searches, works offline, follows toggles."""

from __future__ import annotations

import pytest

from hunan_map import layers, maps
from hunan_map.maps import MapOptions

pytestmark = pytest.mark.browser

PATHS = "document.querySelectorAll('path.leaflet-interactive').length"


@pytest.fixture(scope="module")
def offline_map(tmp_path_factory):
    path = tmp_path_factory.mktemp("map") / "offline.html"
    maps.save(path, options=MapOptions(tiles="none"), offline=True)
    return path


def expected_paths(industry=None):
    from hunan_map.layers.settings import default_layouts as DEFAULT_LAYOUTS

    kw = {"industry": industry} if industry else {}
    zones = layers.zones(**kw)
    corridors = layers.corridors(**kw)
    n = 14  # prefecture outlines (not filterable)
    n += len(layers.parks(**kw)) + len(layers.platforms(**kw)) + len(layers.clusters(**kw))
    n += int(zones["layout_id"].isin(DEFAULT_LAYOUTS).sum()) + int(corridors["layout_id"].isin(DEFAULT_LAYOUTS).sum())
    return n


def test_offline_page_draws_everything_with_no_network_and_no_errors(open_page, offline_map, artifacts):
    page, messages, requests = open_page(offline_map)
    page.wait_for_timeout(500)
    assert requests == []
    errors = [m for m in messages if m[0] in ("error", "pageerror")]
    assert errors == []
    assert page.evaluate(PATHS) == expected_paths()
    assert page.evaluate("performance.getEntriesByName('hunan-map-drawn').length") == 1
    page.screenshot(path=str(artifacts / "map.png"))


def test_choosing_an_industry_hides_parks_without_it_and_clearing_shows_them(open_page, offline_map):
    page, _, _ = open_page(offline_map)
    total = page.evaluate(PATHS)
    page.select_option("#hunan-industry", "artificial_intelligence")
    assert page.evaluate(PATHS) == expected_paths("人工智能")
    tips = page.evaluate("""Array.from(document.querySelectorAll('path.leaflet-interactive'))
        .map(p => p.getAttribute('fill'))""")
    assert len(tips) == expected_paths("人工智能")
    page.select_option("#hunan-industry", "")
    assert page.evaluate(PATHS) == total


def test_picking_a_parent_industry_keeps_its_descendants(open_page, offline_map):
    page, _, _ = open_page(offline_map)
    page.select_option("#hunan-industry", "new_materials")
    assert page.evaluate(PATHS) == expected_paths("新材料")


def test_tier_filter(open_page, offline_map):
    page, _, _ = open_page(offline_map)
    page.select_option("#hunan-tier", "future")
    shown = page.evaluate(PATHS)
    assert 14 < shown < expected_paths()


def search(page, text):
    """Type into the search box as an IME does: the text arrives, then a key-up."""
    box = page.locator(".leaflet-control-search input")
    box.fill(text)
    box.dispatch_event("keyup", {"key": "Process"})  # an IME's key-up (keyCode 229/0)


def open_first_result(page):
    """Pick the first search result with the keyboard and wait for its popup (after the map moves)."""
    box = page.locator(".leaflet-control-search input")
    box.press("ArrowDown")
    box.press("Enter")
    page.wait_for_selector(".leaflet-popup-content", timeout=15000)


def test_search_finds_a_park_by_alias(open_page, offline_map):
    page, _, _ = open_page(offline_map)
    search(page, "麓谷")
    page.wait_for_selector(".search-tooltip .search-tip", timeout=5000)
    tips = page.locator(".search-tooltip .search-tip").all_inner_texts()
    assert any("长沙高新区" in t for t in tips)
    open_first_result(page)
    assert "长沙高新区" in page.inner_text(".leaflet-popup-content")


def test_popup_shows_roles_and_citation(open_page, offline_map):
    page, _, _ = open_page(offline_map)
    search(page, "宁乡高新区")
    page.wait_for_selector(".search-tooltip .search-tip")
    open_first_result(page)
    text = page.inner_text(".leaflet-popup-content")
    line = next(l for l in text.splitlines() if l.startswith("先进储能材料"))
    assert "核心载体" in line
    assert "所在地: 长沙市 宁乡市" in text
    assert "长沙“十四五”先进制造业规划 (2021) 四(一)" in text


def test_legend_follows_layer_toggles(open_page, offline_map):
    page, _, _ = open_page(offline_map)
    hidden = page.evaluate("""() => {
        const entry = Array.from(document.querySelectorAll('.hunan-legend [data-layer]'))
            .find(e => e.textContent.includes('产业集群'));
        const map = window[Object.keys(window).find(k => k.startsWith('map_'))];
        const before = entry.style.display;
        map.removeLayer(window[entry.getAttribute('data-layer')]);
        map.fire('overlayremove');
        return [before, entry.style.display];
    }""")
    assert hidden == ["", "none"]


def test_injected_html_in_an_overlay_shows_as_text(open_page, tmp_path):
    csv = tmp_path / "firms.csv"
    csv.write_text("name,lon,lat\n<img src=x onerror=\"window.pwned=1\">,112.95,28.2\n", encoding="utf-8")
    from hunan_map.layers.overlay import read_overlay

    ov = read_overlay(csv)
    out = tmp_path / "xss.html"
    maps.save(out, options=MapOptions(tiles="none", overlay=ov.data), offline=True)
    page, messages, _ = open_page(out)
    page.evaluate("""() => { const m = window[Object.keys(window).find(k => k.startsWith('map_'))];
        m.eachLayer(l => { if (l.feature && l.feature.properties.r === 5) l.openPopup(); }); }""")
    page.wait_for_timeout(300)
    assert page.evaluate("window.pwned === undefined")
    assert "<img src=x" in page.inner_text(".leaflet-popup-content")


@pytest.mark.slow
def test_100k_point_overlay_renders_and_opens(open_page, tmp_path, invoke):
    import numpy as np

    rng = np.random.default_rng(11)
    n = 100_000
    csv = tmp_path / "firms.csv"
    xs, ys = rng.uniform(109.5, 113.8, n), rng.uniform(25.5, 29.5, n)
    csv.write_text("name,lon,lat\n" + "\n".join(f"f{i},{x:.6f},{y:.6f}" for i, (x, y) in enumerate(zip(xs, ys))) + "\n",
                   encoding="utf-8")
    out = tmp_path / "big.html"
    res = invoke("render", "--overlay", csv, "--tiles", "none", "--offline", "-o", out)
    assert res.exit_code == 0, res.output
    page, messages, requests = open_page(out)
    assert requests == []
    assert [m for m in messages if m[0] == "pageerror"] == []
    assert page.evaluate("document.querySelectorAll('canvas.leaflet-heatmap-layer').length") == 1


@pytest.mark.slow
def test_aggregated_overlay_draws_hexagons(open_page, tmp_path, invoke):
    csv = tmp_path / "p.csv"
    csv.write_text("lon,lat\n" + "\n".join(f"{112 + i / 1000:.4f},{28 - i / 2000:.4f}" for i in range(500)) + "\n",
                   encoding="utf-8")
    out = tmp_path / "agg.html"
    res = invoke("render", "--overlay", csv, "--engine", "dask", "--tiles", "none", "--offline", "-o", out)
    assert res.exit_code == 0, res.output
    page, messages, _ = open_page(out)
    assert [m for m in messages if m[0] == "pageerror"] == []
    assert "我的数据（汇总）" in page.content()


def test_clustered_overlay_of_5000_points_draws(open_page, tmp_path, invoke):
    csv = tmp_path / "p.csv"
    csv.write_text("name,lon,lat\n" + "\n".join(f"f{i},{110 + (i % 100) / 30:.4f},{26 + (i // 100) / 20:.4f}"
                                                for i in range(5000)) + "\n", encoding="utf-8")
    out = tmp_path / "cluster.html"
    assert invoke("render", "--overlay", csv, "--tiles", "none", "--offline", "-o", out).exit_code == 0
    page, messages, _ = open_page(out)
    assert [m for m in messages if m[0] == "pageerror"] == []
    assert page.evaluate("document.querySelectorAll('.marker-cluster').length") > 0
