"""Policy over time (issue 20): scopes, statuses, the CLI and API, the page's compare mode, small multiples."""

from __future__ import annotations

import json

import pytest

from hunan_map import layers


def _json(invoke, *args):
    res = invoke("timeline", *args, "--format", "json")
    assert res.exit_code == 0, res.output
    return json.loads(res.stdout), res.stderr


def test_zhuzhou_keeps_rail_and_cs2021_is_out_of_scope(invoke):
    rows, _ = _json(invoke, "--place", "株洲市")
    rail = {r["document"]: r for r in rows if r["row_id"] == "rail_transit_equipment"}
    assert rail["hn2013"]["present"] and rail["hn2026"]["present"]
    assert rail["hn2026"]["status"] == "kept"
    assert any("hn2013 二.3" in f for f in rail["hn2013"]["facts"])
    assert {r["status"] for r in rows if r["document"] == "cs2021"} == {"out_of_scope"}
    docs = list(dict.fromkeys(r["document"] for r in rows))
    dates = [r["date"] for r in rows[: len(docs)]]
    assert dates == sorted(dates) and "cat2018" not in docs  # plans in date order, the catalogue only when asked


def test_strategic_emerging_plan_does_not_drop_steel_or_cars():
    frame = layers.timeline(place="株洲市")
    sei = frame[frame["document"] == "hn2021sei"].set_index("row_id")["status"]
    assert sei.get("automotive") == "out_of_scope"
    assert set(frame["status"]) <= {"new", "kept", "dropped", "out_of_scope", "absent"}


def test_industry_timeline_names_the_first_document_and_place(invoke):
    rows, err = _json(invoke, "--industry", "人工智能")
    first = min((r for r in rows if r["present"]), key=lambda r: r["date"])
    assert f"first placed by {first['document']} in" in err and first["row"] in err
    assert {r["row_type"] for r in rows} == {"prefecture"}
    changsha = [r for r in rows if r["row"] == "长沙市" and r["document"] == "cs2021"]
    assert changsha and changsha[0]["present"]
    outside = [r for r in rows if r["row"] != "长沙市" and r["document"] == "cs2021"]
    assert {r["status"] for r in outside} == {"out_of_scope"}


def test_two_documents_compared_entity_by_entity(invoke):
    rows, err = _json(invoke, "--from", "hn2013", "--to", "hn2026")
    last = [r for r in rows if r["document"] == "hn2026"]
    assert {r["status"] for r in last} <= {"new", "kept", "dropped"}
    counts = {s: sum(r["status"] == s for r in last) for s in ("new", "kept", "dropped")}
    assert f"{counts['new']} new" in err and f"{counts['dropped']} dropped" in err
    assert counts["new"] and counts["dropped"]


def test_timeline_refuses_what_it_cannot_answer(invoke):
    assert invoke("timeline").exit_code == 2
    res = invoke("timeline", "--place", "株洲", "--industry", "新材料")
    assert res.exit_code == 2
    res = invoke("timeline", "--from", "hn2013", "--to", "nosuch")
    assert res.exit_code == 2 and "--to" in res.stderr


def test_industry_kept_through_the_tree_says_how():
    frame = layers.timeline(place="株洲市")
    aero = frame[frame["row_id"] == "aerospace"].set_index("document")
    assert aero.loc["hn2013", "present"] == "exact"
    assert aero.loc["hn2021sei", "present"] == "narrower" and aero.loc["hn2021sei", "status"] == "kept"


@pytest.mark.browser
@pytest.mark.parametrize("lang", ["zh", "en"])
def test_compare_mode_counts_match_the_cli(open_page, tmp_path, invoke, artifacts, lang):
    out = tmp_path / f"cmp_{lang}.html"
    assert invoke("render", "-o", out, "--tiles", "none", "--lang", lang).exit_code == 0
    frame = layers.timeline(start="hn2013", end="hn2026")
    last = frame[frame["document"] == "hn2026"]["status"].value_counts()
    for size in ((1366, 900), (390, 844)):
        page, messages, _ = open_page(out, viewport=size)
        counts = page.evaluate("window.hunanMap.compare('hn2013', 'hn2026')")
        assert counts == {"a": int(last.get("dropped", 0)), "b": int(last.get("new", 0)), "both": int(last.get("kept", 0))}
        assert "cmp=hn2013%2Chn2026" in page.evaluate("location.hash")
        page.evaluate("window.hunanMap.focus('parks', 'zhuzhou_hitech')")
        page.wait_for_selector(".hm-compare")
        assert "hn2013" in page.inner_text(".hm-compare")
        assert page.evaluate("window.hunanMap.step(1)") == "hn2013"
        assert page.evaluate("window.hunanMap.step(1)") != "hn2013"
        assert not [m for m in messages if m[0] == "pageerror"]
        page.screenshot(path=str(artifacts / f"compare_{lang}_{size[0]}.png"))
    # the permalink restores the comparison
    page, _, _ = open_page(out)
    url = page.url.split("#")[0] + "#cmp=hn2013%2Chn2026"
    page.goto("about:blank")
    page.goto(url)
    page.wait_for_function("window.hunanMapDrawn !== undefined")
    assert page.evaluate("document.getElementById('hunan-cmp-a').value") == "hn2013"


@pytest.mark.slow
def test_small_multiples_png_has_a_panel_per_document(invoke, tmp_path, artifacts):
    from PIL import Image

    png = tmp_path / "plans.png"
    res = invoke("render", "-o", tmp_path / "m.html", "--png", png, "--by-document")
    assert res.exit_code == 0, res.output
    img = Image.open(png)
    lines = img.info["Description"].splitlines()
    docs = [line.split(":")[0] for line in lines]
    assert docs == ["hn2013", "hn2021sei", "cs2021", "hn2023", "hn2026"]
    assert "(2013)" in lines[0] and "(2026)" in lines[-1]
    assert img.size[0] > 1000 and img.size[1] > 800
    img.save(artifacts / "plans_by_document.png")
    one = tmp_path / "two.png"
    res = invoke("render", "-o", tmp_path / "n.html", "--png", one, "--by-document", "--source", "hn2013",
                 "--source", "hn2026")
    assert res.exit_code == 0 and Image.open(one).info["Description"].count("\n") == 1
    assert invoke("render", "-o", tmp_path / "x.html", "--by-document").exit_code == 2
