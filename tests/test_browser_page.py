"""Issue 21 in headless Chromium (network blocked), at 1366×900 and 390×844: popups clear of the
panels, search that moves on, a filtered render that keeps all data, the searchable industry list,
labels without overlaps, one list per shared place, colour and legend by the filter, the layer list
and legend side by side, English without Chinese, and the user's own data as a first-class layer."""

from __future__ import annotations

import json
import re

import pytest

from hunan_map import layers, maps
from hunan_map.maps import MapOptions

pytestmark = pytest.mark.browser

SIZES = [(1366, 900), (390, 844)]
SHOWN = "window.hunanMap.shown()"


@pytest.fixture(scope="module")
def pages(tmp_path_factory):
    """The default page offline in both languages."""
    folder = tmp_path_factory.mktemp("pages")
    out = {}
    for lang in ("zh", "en"):
        out[lang] = folder / f"{lang}.html"
        maps.save(out[lang], options=MapOptions(tiles="none", lang=lang))
    return out


def _tag(size, lang="") -> str:
    return f"{size[0]}x{size[1]}{'_' + lang if lang else ''}"


def _boxes_overlap(a, b) -> bool:
    return a["left"] < b["right"] and a["right"] > b["left"] and a["top"] < b["bottom"] and a["bottom"] > b["top"]


RECT = "e => { const r = e.getBoundingClientRect(); return {left: r.left, top: r.top, right: r.right, bottom: r.bottom}; }"


def _popup_clear_of_panels(page) -> None:
    """The popup's title is on top where it is drawn and lies below every top panel above it."""
    page.wait_for_timeout(350)   # popups fade in
    on_top = page.evaluate("""() => { const t = document.querySelector('.leaflet-popup-content .hm-name, .leaflet-popup-content th');
        const r = t.getBoundingClientRect(); const e = document.elementFromPoint(r.left + 4, r.top + r.height / 2);
        return !!e && !!e.closest('.leaflet-popup'); }""")
    assert on_top
    popup = page.eval_on_selector(".leaflet-popup-content-wrapper", RECT)
    for panel in page.eval_on_selector_all(".leaflet-top .leaflet-control", f"es => es.map({RECT})"):
        assert not _boxes_overlap(popup, panel), (popup, panel)


@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize("lang", ["zh", "en"])
def test_results_row_opens_a_popup_clear_of_the_panels(open_page, pages, size, lang, artifacts):
    page, messages, _ = open_page(pages[lang], viewport=size)
    if not page.evaluate("document.querySelector('.hm-filter-details').open"):
        page.click(".hm-filter-details summary")
    page.click(".hm-results-details summary")
    page.locator("#hunan-results li").nth(5).click()
    page.wait_for_selector(".leaflet-popup-content .hm-name")
    _popup_clear_of_panels(page)
    page.screenshot(path=str(artifacts / f"i21_results_popup_{_tag(size, lang)}.png"))
    assert [m for m in messages if m[0] == "pageerror"] == []


def _search(page, text):
    page.fill("#hunan-search", text)
    page.wait_for_selector("#hunan-suggest li", timeout=5000)
    return page.locator("#hunan-suggest li").all_inner_texts()


@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize("lang, first, second", [("zh", "湘江智谷", "株洲市"), ("en", "Xiangjiang Smart Valley", "Zhuzhou")])
def test_search_moves_on_closes_the_popup_and_highlights_the_place(open_page, pages, size, lang, first, second,
                                                                   artifacts):
    page, _, _ = open_page(pages[lang], viewport=size)
    _search(page, first)
    page.press("#hunan-search", "Enter")
    page.wait_for_selector(".leaflet-popup-content")
    assert page.evaluate("window.hunanLeafletMap.getCenter().lat") > 28.0  # at 湘江智谷 in Changsha
    _search(page, second)
    page.press("#hunan-search", "Enter")
    page.wait_for_timeout(400)   # a closed popup fades out
    assert page.locator(".leaflet-popup").count() == 0
    lat = page.evaluate("window.hunanLeafletMap.getCenter().lat")
    assert abs(lat - 27.0) < 0.5, lat
    assert page.locator("path.hm-highlight").count() == 1
    page.screenshot(path=str(artifacts / f"i21_search_zhuzhou_{_tag(size, lang)}.png"))


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_suggestions_show_kind_labels_never_internal_kinds(open_page, pages, lang, artifacts):
    page, _, _ = open_page(pages[lang], viewport=SIZES[0])
    kinds = set(page.evaluate("Object.values(JSON.parse(document.getElementById('hunan-data').textContent).labels.kinds)"))
    for query in ("liuyang", "长沙", "Changsha", "湘江"):
        _search(page, query)
        shown = page.locator("#hunan-suggest .hm-s-kind").all_inner_texts()
        assert shown and set(shown) <= kinds, (query, shown)
        assert not {"countie", "compare", "prefecture" if lang == "zh" else "市州"} & set(shown)
    _search(page, "liuyang")
    assert sum("浏阳市" in t or "Liuyang City" in t for t in page.locator("#hunan-suggest li").all_inner_texts()) == 1
    page.screenshot(path=str(artifacts / f"i21_suggest_liuyang_{lang}.png"))


def _choose_industry(page, typed: str, value: str) -> None:
    page.fill("#hunan-industry-find", typed)
    page.wait_for_selector(f"#hunan-industry-list li[data-value='{value}']")
    page.click(f"#hunan-industry-list li[data-value='{value}']")


@pytest.mark.parametrize("size", SIZES)
def test_filtered_render_opens_filtered_and_counts_against_all_data(open_page, pages, tmp_path, invoke, size,
                                                                      artifacts):
    out = tmp_path / "ai.html"
    assert invoke("render", "--industry", "人工智能", "--tiles", "none", "-o", out).exit_code == 0
    page, _, _ = open_page(out, viewport=size)
    if not page.evaluate("document.querySelector('.hm-filter-details').open"):
        page.click(".hm-filter-details summary")
    assert page.input_value("#hunan-industry") == "artificial_intelligence"
    assert len(page.evaluate(SHOWN)) == len(layers.parks(industry="人工智能")) + len(layers.platforms(industry="人工智能")) + \
        int((layers.clusters(industry="人工智能")["member_type"] != "city").sum()) + _default_zones(industry="人工智能")
    _choose_industry(page, "工程机械", "construction_machinery")
    filtered = sorted(page.evaluate(SHOWN))
    full, _, _ = open_page(pages["zh"], viewport=size)
    _open_filter(full)
    full.select_option("#hunan-industry", "construction_machinery")
    assert filtered == sorted(full.evaluate(SHOWN))
    parks = [s for s in filtered if s.startswith("parks:")]
    assert len(parks) > 1 and f"{len(parks)}个园区" in page.inner_text("#hunan-summary")
    assert page.inner_text("#hunan-summary") == full.inner_text("#hunan-summary")
    # the matches are drawn where no panel covers them
    panels = page.eval_on_selector_all(".leaflet-top .leaflet-control", f"es => es.map({RECT})")
    spots = page.evaluate("""() => window.hunanMap.items.filter(it => it.spec.id === 'parks' && it.visible && it.layer
        && window.hunanLeafletMap.hasLayer(it.layer)).map(it => window.hunanLeafletMap.latLngToContainerPoint(it.layer.getLatLng()))""")
    assert spots and not any(p["left"] <= s["x"] <= p["right"] and p["top"] <= s["y"] <= p["bottom"]
                             for s in spots for p in panels)
    page.screenshot(path=str(artifacts / f"i21_filtered_render_{_tag(size)}.png"))


def _open_filter(page) -> None:
    if not page.evaluate("document.querySelector('.hm-filter-details').open"):
        page.click(".hm-filter-details summary")


def _default_zones(**kw) -> int:
    from hunan_map.layers.settings import default_layouts

    zones, corridors = layers.zones(**kw), layers.corridors(**kw)
    return int(zones["layout_id"].isin(default_layouts).sum()) + int(corridors["layout_id"].isin(default_layouts).sum())


@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize("lang", ["zh", "en"])
def test_industry_list_is_searchable_and_grouped_by_the_tree(open_page, pages, size, lang, artifacts):
    page, _, _ = open_page(pages[lang], viewport=size)
    if not page.evaluate("document.querySelector('.hm-filter-details').open"):
        page.click(".hm-filter-details summary")
    for typed in ("人工智能", "rengongzhineng", "rgzn", "artificial"):
        page.fill("#hunan-industry-find", typed)
        first = page.locator("#hunan-industry-list li.hm-pick-item").first
        assert first.get_attribute("data-value") == "artificial_intelligence", typed
    # a branch's name heads its matches
    page.fill("#hunan-industry-find", "gcjx")
    items = page.locator("#hunan-industry-list li").all_inner_texts()
    groups = page.locator("#hunan-industry-list li.hm-pick-group").all_inner_texts()
    assert groups and items.index(groups[0]) < 1 + items.index(next(t for t in items if "(" in t))
    page.screenshot(path=str(artifacts / f"i21_industry_search_{_tag(size, lang)}.png"))
    page.press("#hunan-industry-find", "Enter")
    assert page.input_value("#hunan-industry") == "construction_machinery"
    # the role list is long too and can be typed into
    assert page.locator("#hunan-role-find").count() == 1


@pytest.mark.parametrize("size", SIZES)
def test_labels_are_shown_close_in_and_never_overlap(open_page, pages, size, artifacts):
    page, _, _ = open_page(pages["zh"], viewport=size)
    page.evaluate("window.hunanLeafletMap.setView([28.2, 112.95], 10, {animate: false})")
    page.wait_for_timeout(100)
    boxes = page.evaluate("""() => Array.from(document.querySelectorAll('.leaflet-tooltip.hm-label'))
        .filter(e => e.style.visibility !== 'hidden').map(e => { const r = e.getBoundingClientRect();
        return {left: r.left, top: r.top, right: r.right, bottom: r.bottom, cls: e.className}; })""")
    points = [b for b in boxes if re.search(r"hm-label-(parks|platforms|catalogue)", b["cls"])]
    assert len(points) >= 5
    for i, a in enumerate(boxes):
        for b in boxes[i + 1:]:
            assert not _boxes_overlap(a, b), (a, b)
    dropped = page.evaluate("document.querySelectorAll('.leaflet-tooltip.hm-label[style*=\"hidden\"]').length")
    assert dropped > 0  # there were overlaps to resolve
    page.screenshot(path=str(artifacts / f"i21_labels_z10_{_tag(size)}.png"))


@pytest.mark.parametrize("size", SIZES)
def test_points_that_share_a_place_open_one_list(open_page, pages, size, artifacts):
    page, _, _ = open_page(pages["zh"], viewport=size)
    stack = page.evaluate("""() => { const seen = {};
        window.hunanMap.items.filter(it => it.layer && it.layer.hmLatLng && it.entry.on && it.visible).forEach(it => {
            const k = it.feat.g.join(','); seen[k] = (seen[k] || []).concat([it.feat.id]); });
        return Object.values(seen).sort((a, b) => b.length - a.length)[0]; }""")
    assert len(stack) >= 10
    on_map = page.evaluate(f"""() => {stack!r}.filter(id => {{ const it = window.hunanMap.items.find(i => i.feat.id === id);
        return window.hunanLeafletMap.hasLayer(it.layer); }}).length""")
    assert on_map == 1  # drawn once, not a stack of markers
    page.evaluate(f"window.hunanMap.focus('platforms', {stack[0]!r}) || window.hunanMap.focus('parks', {stack[0]!r})")
    page.wait_for_selector(".leaflet-popup-content")
    page.click(".hm-here")
    page.wait_for_selector(".hm-here-list")
    assert page.locator(".hm-here-list li").count() == len(stack)
    assert f"此处共 {len(stack)} 项" in page.inner_text(".leaflet-popup-content")
    _popup_clear_of_panels(page)
    page.screenshot(path=str(artifacts / f"i21_shared_place_list_{_tag(size)}.png"))
    page.locator(".hm-here-list li").nth(2).click()
    page.wait_for_selector(".leaflet-popup-content .hm-popup:not(.hm-here-list)")
    page.wait_for_timeout(400)   # a closed popup fades out
    assert page.locator(".leaflet-popup").count() == 1


@pytest.mark.parametrize("size", SIZES)
def test_colour_and_legend_follow_the_filter(open_page, pages, size, artifacts):
    page, _, _ = open_page(pages["zh"], viewport=size)
    _open_filter(page)
    page.select_option("#hunan-industry", "construction_machinery")
    data = page.evaluate("JSON.parse(document.getElementById('hunan-data').textContent)")
    parks = page.evaluate("""() => window.hunanMap.items.filter(it => it.spec.id === 'parks').map(it => ({
        id: it.feat.id, visible: it.visible, drawn: window.hunanLeafletMap.hasLayer(it.layer), f: it.feat.f,
        colour: it.layer.options.fillColor, ring: it.layer.options.color, hollow: it.feat.p in {seat: 1, county: 1, prefecture: 1, province: 1}}))""")
    keysets = data["keysets"]
    for p in parks:
        facts = [f for f in p["f"] if "construction_machinery" in keysets[f[0]]]
        assert (not p["drawn"]) or facts, p["id"]   # nothing drawn that does not match
        if not facts or not p["drawn"]:
            continue
        tiers = {t for f in facts for t in f[3]}
        want = next((data["tier_colors"][t] for t in data["tier_order"] if t in tiers), data["no_tier_color"])
        assert (p["ring"] if p["hollow"] else p["colour"]) == want, p["id"]
    legend = page.locator(".hunan-legend [data-layer='parks']").all_text_contents()
    asked = {data["labels"]["tiers"][t] for p in parks if p["drawn"] for f in p["f"]
             if "construction_machinery" in keysets[f[0]] for t in f[3]} | {data["labels"]["no_tier"]}
    assert legend and all(any(t in row for t in asked) for row in legend), legend
    assert not any("新兴产业" in row for row in legend)  # 工程机械 is no emerging industry here
    page.screenshot(path=str(artifacts / f"i21_colour_by_filter_{_tag(size)}.png"))


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_layer_list_and_legend_share_the_edge(open_page, pages, lang, artifacts):
    page, _, _ = open_page(pages[lang], viewport=SIZES[0])
    layers_box = page.eval_on_selector(".hm-layers", RECT)
    legend_box = page.eval_on_selector(".hunan-legend", RECT)
    assert not _boxes_overlap(layers_box, legend_box)
    page.check("input[data-layer='compare']")   # fails if the legend covers it
    assert page.evaluate("window.hunanMap.layers.find(e => e.spec.id === 'compare').on")
    page.wait_for_timeout(100)
    assert not _boxes_overlap(page.eval_on_selector(".hm-layers", RECT), page.eval_on_selector(".hunan-legend", RECT))
    # names wrap inside the panels
    cut = page.evaluate("""() => Array.from(document.querySelectorAll('.hm-layer, .hm-legend-row'))
        .filter(e => e.scrollWidth > e.clientWidth + 1).map(e => e.textContent)""")
    assert cut == []
    # a group does not repeat its name in its items
    repeats = page.evaluate("""() => Array.from(document.querySelectorAll('.hm-layers fieldset')).flatMap(f => {
        const head = f.querySelector('legend'); if (!head) return []; const g = head.textContent;
        const names = Array.from(f.querySelectorAll('.hm-layer')).map(l => l.textContent);
        return names.filter(t => t.startsWith(g + ' · ') || (names.length === 1 && t === g)); })""")
    assert repeats == []
    # the compare layer's legend has every colour it paints
    painted = set(page.evaluate("""() => window.hunanMap.items.filter(it => it.spec.id === 'compare')
        .map(it => it.feat.c)"""))
    swatches = set(page.evaluate("""() => Array.from(document.querySelectorAll(".hunan-legend [data-layer='compare'] i"))
        .map(i => getComputedStyle(i).borderTopColor)"""))
    assert len(painted) == len(swatches) >= 2
    page.screenshot(path=str(artifacts / f"i21_layers_legend_{lang}.png"))


# ---------------------------------------------------------------- English complete

HAN = re.compile(r"[\u3400-\u9fff]+")


def _place_names() -> set[str]:
    from hunan_map.geo.gazetteer import default_gazetteer
    from hunan_map.layers import context

    ctx = context()
    names = set(ctx.geo.counties["name"]) | set(ctx.geo.counties["short_name"])
    names |= set(ctx.geo.prefectures["name"]) | set(ctx.geo.prefectures["short_name"])
    names |= set(ctx.kb.parks["name"]) | set(ctx.kb.layout_parts["name"])
    names |= set(default_gazetteer().names)
    names |= {"长株潭", "黄花"}  # place names quoted by external notes: the three-city region, the airport town
    return {n for n in names if n}


def test_english_page_data_has_no_chinese_outside_names_and_place_names(pages):
    """Han characters only in name subtitles, search keys, place names, and the external notes that
    quote a Chinese name (written in the data as English sentences around the quoted name)."""
    text = pages["en"].read_text(encoding="utf-8")
    data = json.loads(re.search(r'<script type="application/json" id="hunan-data">(.*?)</script>', text, re.S).group(1))
    places = _place_names()
    leaks = []

    def walk(value, path):
        if isinstance(value, dict):
            for k, v in value.items():
                if k not in ("alt", "s", "topo"):   # name subtitles and search keys
                    walk(v, f"{path}.{k}")
        elif isinstance(value, list):
            for i, v in enumerate(value):
                if not (path == ".industries[]" and i == 3):  # an industry's search keys
                    walk(v, f"{path}[]")
        elif isinstance(value, str):
            if value.startswith(("external", "strong evidence:", "weak evidence, check it:")) or (
                    " · host county: " in value or "(approximate) · " in value):
                return   # a note that quotes names (external notes, a zone's location evidence)
            leaks.extend((path, run, value[:80]) for run in HAN.findall(value) if run not in places)

    walk(data, "")
    assert leaks == [], leaks[:10]
    cites = [c for layer in data["layers"] for f in layer["features"] for c in f.get("cites", [])]
    assert not any(re.search(r"section [GS]\d{6}", c) for c in cites)
    assert any(re.search(r"catalogue 2018 code [GS]\d{6}$", c) for c in cites)
    assert not any("(2018) (2018)" in c or "2018 (2018)" in c for c in cites)
    assert not any("2018 (2018)" in s[1] for s in data["sources"])


@pytest.mark.parametrize("size", SIZES)
def test_english_plurals(open_page, pages, size, artifacts):
    page, _, _ = open_page(pages["en"], viewport=size)
    _open_filter(page)
    page.select_option("#hunan-industry", "artificial_intelligence")
    summary = page.inner_text("#hunan-summary")
    assert "1 cluster " in summary + " " and "1 clusters" not in summary
    assert "0 zones" in summary
    page.screenshot(path=str(artifacts / f"i21_en_plurals_{_tag(size)}.png"))


# ---------------------------------------------------------------- the user's data

@pytest.mark.parametrize("size", SIZES)
def test_overlay_is_first_class_on_the_chinese_page(open_page, tmp_path, invoke, size, artifacts):
    path = tmp_path / "firms.csv"
    path.write_text("名称,lon,lat,备注\n企业甲,112.95,28.2,\"a,b\"\n企业乙,113.1,27.85,独特备注\n", encoding="utf-8")
    out = tmp_path / "ov.html"
    assert invoke("render", "--overlay", path, "--tiles", "none", "-o", out).exit_code == 0
    page, _, _ = open_page(out, viewport=size)
    assert "2条我的数据" in page.inner_text("#hunan-summary")
    legend = page.evaluate("Array.from(document.querySelectorAll(\".hunan-legend [data-layer='overlay']\")).map(e => e.textContent)")
    assert legend == ["我的数据 (2)"]
    _search(page, "独特备注")  # found by any text column
    page.press("#hunan-search", "Enter")
    page.wait_for_selector(".leaflet-popup-content th")
    heads = page.locator(".leaflet-popup-content th").all_inner_texts()
    cells = page.locator(".leaflet-popup-content td").all_inner_texts()
    assert heads[:2] == ["名称", "备注"]          # the user's columns as written
    assert not {"county", "zones", "near_park", "near_park_km", "county_adcode"} & set(heads)
    assert any(h.startswith("附近园区（") and "公里" in h for h in heads)  # the distance is stated
    assert not any(c.startswith("[") or "', '" in c for c in cells)   # lists as text
    zones = cells[heads.index("所在区域")]
    assert "、" in zones
    _popup_clear_of_panels(page)
    page.screenshot(path=str(artifacts / f"i21_overlay_popup_{_tag(size)}.png"))


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_a_zone_popup_gives_its_location_evidence_with_links(open_page, pages, lang):
    """A catalogue zone's popup says how strong its location evidence is, with the sources as links
    (http(s) only, opened in a new tab without an opener); a zone without evidence has no such row."""
    page, _, _ = open_page(pages[lang], viewport=SIZES[0])
    key = "位置依据" if lang == "zh" else "Location evidence"
    strong = "依据较强" if lang == "zh" else "strong evidence"
    for zone, has in (("hengdong_ez", True), ("daxiang_ip", False)):
        name = page.evaluate(f"window.hunanMap.items.find(it => it.feat.id === {zone!r}).feat.n")
        assert page.evaluate(f"window.hunanMap.focus('catalogue', {zone!r}) || window.hunanMap.focus('parks', {zone!r})")
        page.wait_for_function("n => Array.from(document.querySelectorAll('.leaflet-popup-content .hm-name'))"
                               ".some(b => b.textContent === n)", arg=name)
        page.wait_for_timeout(400)   # the previous popup fades out
        text = page.inner_text(".leaflet-popup-content")
        assert (key in text) == has, (zone, text)
        links = page.eval_on_selector_all(".leaflet-popup-content a.hm-src",
                                          "as => as.map(a => [a.getAttribute('href'), a.rel, a.target, a.textContent])")
        if has:
            assert strong in text
            assert links and all(h.startswith(("http://", "https://")) and h == t and "noopener" in r and tg == "_blank"
                                 for h, r, tg, t in links), links
        else:
            assert links == []
