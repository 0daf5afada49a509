"""The page answers like the CLI (issues 19 and 25): plans apart from the catalogue in the source list,
match kinds in popups and results, the broader box, and a park's "all facts" record with the CLI's counts."""

from __future__ import annotations

import json

import pytest

from hunan_map import layers, maps
from hunan_map.maps import MapOptions

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module", params=["zh", "en"])
def page_file(request, tmp_path_factory):
    path = tmp_path_factory.mktemp("answers") / f"map_{request.param}.html"
    maps.save(path, options=MapOptions(tiles="none", lang=request.param))
    return path, request.param


def _shown_ids(page):
    return {s.split(":", 1)[1] for s in page.evaluate("window.hunanMap.shown()")}


def test_policy_documents_choice_keeps_the_catalogue_out(open_page, page_file, artifacts):
    path, lang = page_file
    for size in ((1366, 900), (390, 844)):
        page, messages, _ = open_page(path, viewport=size)
        page.evaluate("window.hunanMap.set({industry: 'nev', source: 'policy'})")
        shown = page.evaluate("window.hunanMap.shown()")
        assert not any(s.startswith("catalogue:") for s in shown)
        expected = set(layers.parks(industry="新能源汽车", source="policy")["id"]) | \
            set(layers.platforms(industry="新能源汽车", source="policy")["id"])
        assert {s.split(":", 1)[1] for s in shown if s.split(":")[0] in ("parks", "platforms")} == expected
        page.evaluate("window.hunanMap.set({industry: 'nev', source: 'catalogue'})")
        shown = page.evaluate("window.hunanMap.shown()")
        assert shown and all(s.split(":")[0] in ("parks", "catalogue") for s in shown)
        page.evaluate("window.hunanMap.set({industry: 'nev'})")
        summary = page.inner_text(".hm-summary")
        assert ("仅目录" if lang == "zh" else "catalogue only") in summary  # plans and catalogue counted apart
        labels = page.evaluate("Array.from(document.querySelectorAll('#hunan-source option')).map(o => o.value)")
        assert labels[1:3] == ["policy", "catalogue"]
        assert not [m for m in messages if m[0] == "pageerror"]
        page.screenshot(path=str(artifacts / f"answers_catalogue_{lang}_{size[0]}.png"))


def test_broader_box_and_match_kinds_in_popups(open_page, page_file, artifacts):
    path, lang = page_file
    page, _, _ = open_page(path, viewport=(1366, 900))
    page.evaluate("window.hunanMap.set({industry: 'nev', source: 'policy'})")
    narrow = _shown_ids(page)
    page.check("#hunan-broader")
    wide = _shown_ids(page)
    expected = set(layers.parks(industry="新能源汽车", source="policy", broader=True)["id"])
    assert expected <= wide and len(wide) > len(narrow)
    assert "broader=1" in page.evaluate("location.hash")
    page.evaluate("window.hunanMap.focus('parks', 'yuhua_etdz')")
    page.wait_for_selector(".hm-matched li")
    text = page.inner_text(".hm-matched")
    assert ("上位或相关产业" if lang == "zh" else "broader or related industry") in text and "cs2021" in text
    kinds = page.evaluate("window.hunanMap.kinds(window.hunanMap.items.find(i => i.feat.id === 'yuhua_etdz'))")
    assert kinds
    page.screenshot(path=str(artifacts / f"answers_broader_{lang}.png"))


def test_all_facts_panel_has_the_clis_counts(open_page, page_file, invoke, artifacts):
    path, lang = page_file
    page, _, _ = open_page(path, viewport=(1366, 900))
    res = invoke("profile", "长沙高新区", "--format", "json")
    rec = json.loads(res.stdout)
    page.evaluate("window.hunanMap.focus('parks', 'changsha_hitech')")
    page.click(".hm-all-facts")
    page.wait_for_selector("#hunan-facts")
    counts = page.evaluate("Object.fromEntries(Array.from(document.querySelectorAll('#hunan-facts [data-group]'))"
                           ".map(h => [h.dataset.group, +h.dataset.count]))")
    assert counts["own"] == len(rec["facts"])
    assert counts["inherited"] == len(rec["inherited"])
    assert counts["catalogue"] == len(rec["catalogue"][0]["lead_industries"])
    page.screenshot(path=str(artifacts / f"answers_all_facts_{lang}.png"))
