"""Answers that say why (issue 19) and questions about a place (issue 25): match kinds, each document's
tree on its own facts, plans apart from the catalogue, any named place, every filter honoured or refused."""

from __future__ import annotations

import json

import pytest

from hunan_map import layers

CHANGSHA_ICV_CORE = {"长沙高新区", "长沙经开区", "雨花经开区", "岳麓高新区"}


def _json(invoke, *args):
    res = invoke(*args, "--format", "json")
    assert res.exit_code == 0, res.output
    return json.loads(res.stdout)


def test_empty_industry_answer_points_to_the_broader_question(invoke):
    res = invoke("query", "parks", "--industry", "新能源汽车", "--source", "policy", "--format", "json")
    assert res.exit_code == 0 and json.loads(res.stdout) == []
    assert "--broader" in res.stderr and "智能网联汽车" in res.stderr
    rows = _json(invoke, "query", "parks", "--industry", "新能源汽车", "--source", "policy", "--broader")
    by_name = {r["name"]: r for r in rows}
    assert CHANGSHA_ICV_CORE <= set(by_name)
    for name in CHANGSHA_ICV_CORE:
        assert by_name[name]["match"] == ["broader"]
        assert any("cs2021 四(一)" in t and "core_carrier" in t for t in by_name[name]["matched"])


def test_every_matching_row_says_how_it_matched():
    parks = layers.parks(industry="新材料")
    assert len(parks) and all(r for r in parks["match"])
    assert set(k for ks in parks["match"] for k in ks) <= {"exact", "narrower", "layout", "catalogue"}
    exact = layers.parks(industry="工程机械", source="cs2021")
    kinds = dict(zip(exact["name"], exact["match"]))
    assert all(kinds[n] == ["exact"] for n in ("长沙高新区", "长沙经开区", "浏阳经开区"))
    assert kinds["长沙黄花综保区"] == ["narrower"]          # 再制造 lies below 工程机械
    facts = layers.long_form(industry="新材料")
    assert set(facts["match"]) <= {"exact", "narrower", "layout", "catalogue"} and (facts["match"] == "narrower").any()
    # catalogue facts say so, and keep the catalogue's wording
    cat = facts[facts["source"] == "cat2018"]
    assert len(cat) and set(cat["match"]) == {"catalogue"} and (cat["wording"] != "").all()


def test_policy_rows_show_no_catalogue_industries(invoke):
    rows = _json(invoke, "query", "parks", "--place", "衡阳", "--source", "policy")
    hy = next(r for r in rows if r["name"] == "衡阳高新区")
    assert {"有色金属", "冶金"} <= set(hy["layout_industries"])
    assert hy["catalogue_industries"] == [] and not any("catalogue_lead" in r for r in hy["roles"])
    assert all(not c.startswith("cat2018") for c in hy["sources"])
    every = _json(invoke, "query", "parks", "--place", "衡阳")
    assert next(r for r in every if r["name"] == "衡阳高新区")["catalogue_industries"]


@pytest.mark.parametrize("option,value", [("place", "株洲"), ("role", "core_carrier"), ("tier", "emerging"),
                                          ("level", "national"), ("layout", "三带四区")])
def test_query_facts_honours_each_filter(option, value):
    everything = layers.long_form()
    some = layers.long_form(**{option: value})
    assert 0 < len(some) < len(everything)
    if option == "role":
        assert set(some["role"]) == {"core_carrier"}
    if option == "level":
        from hunan_map.layers import answers

        levels = answers.levels_of(layers.context())
        assert all(levels.get((t, e)) == "national" for t, e in zip(some["entity_type"], some["entity"]))
    if option == "place":
        assert set(some["via"]) <= {"located", "member", "layout"}


def test_place_question_gets_only_that_place(invoke):
    rows = _json(invoke, "query", "facts", "--place", "株洲", "--source", "hn2023")
    assert not any("长沙" in r["entity_name"] or "马栏山" in r["entity_name"] for r in rows)
    own = _json(invoke, "query", "facts", "--place", "长沙高新区")
    assert {r["entity_name"] for r in own} == {"长沙高新区"}
    assert {"own", "member", "layout", "catalogue"} <= {r["via"] for r in own}
    assert {r["source"] for r in own if r["via"] == "catalogue"} == {"cat2018"}


def test_any_named_place_works_on_every_layer():
    assert set(layers.parks(place="长沙高新区")["name"]) == {"长沙高新区"}
    clusters = layers.clusters(place="长沙高新区")
    assert len(clusters) and all("长沙高新区" in m for m in clusters["members"])
    part = layers.long_form(place="长株潭地区")
    assert "own" in set(part["via"]) and "located" in set(part["via"])


def test_options_a_layer_cannot_honour_are_refused(invoke):
    for layer in ("zones", "corridors"):
        res = invoke("query", layer, "--level", "national")
        assert res.exit_code == 2 and "--level" in res.stderr and "parks" in res.stderr
    res = invoke("query", "parks", "--broader")
    assert res.exit_code == 2 and "--industry" in res.stderr


def test_profile_of_a_city_and_a_park(invoke):
    city = _json(invoke, "profile", "衡阳市")
    assert city["place"][0]["kind"] == "prefecture"
    years = [r["source"] for r in city["facts"]]
    assert years and all(r["section"] for r in city["facts"])
    assert {"located", "layout"} <= {r["via"] for r in city["facts"]}
    assert all(r["source"] == "cat2018" for r in city["catalogue"])
    md = invoke("profile", "长沙高新区", "--format", "md")
    assert md.exit_code == 0
    text = md.stdout
    assert text.startswith("# 长沙高新区") and "| cs2021 | 四(一)" in text and "G432033" in text
    assert "## Inherited through layouts and clusters" in text
    rec = layers.profile("长沙高新区")
    assert len(rec["facts"]) + len(rec["inherited"]) == len(layers.long_form(place="长沙高新区").query("via != 'catalogue'"))


def test_compare_catalogue_says_how_both_agree_and_leaves_research_out():
    from hunan_map.layers import context, reports

    frame = reports.compare_catalogue(context())
    both = frame[frame["status"] == "both"]
    assert set(both["match"]) == {"exact", "narrower", "broader"}
    assert (frame.loc[frame["status"] != "both", "match"] == "").all()
    plan = frame[frame["status"] == "plan_only"]
    assert not any("国防科技大学" in e for es in plan["plan_entities"] for e in es)


def test_matrix_counts_only_the_asked_documents_facts():
    m = layers.industry_matrix(source="hn2013")
    assert "人工智能" not in m.index and "信息安全" not in m.index
    assert "工程机械" in m.index


@pytest.mark.parametrize("industry,key", [("新能源汽车", "nev"), ("新材料", "new_materials"), ("工程机械", "construction_machinery")])
def test_geopackage_facts_table_reproduces_the_industry_filter(invoke, tmp_path, industry, key):
    import pyogrio

    out = tmp_path / "hunan.gpkg"
    res = invoke("export", "all", "-o", out)
    assert res.exit_code == 0, res.output
    names = [n for n, _g in pyogrio.list_layers(out)]
    assert {"facts", "industries"} <= set(names)
    facts = pyogrio.read_dataframe(out, layer="facts")
    # the README's QGIS expression: "answers_to" LIKE '%;<id>;%' on the facts table, joined on entity
    hit = facts[facts["answers_to"].str.contains(f";{key};", regex=False)]
    parks = layers.parks(industry=industry)
    platforms = layers.platforms(industry=industry)
    assert set(hit.loc[hit["entity_type"] == "park", "entity"]) >= set(parks["id"]) | set(platforms["id"])
    gpkg_parks = pyogrio.read_dataframe(out, layer="parks")
    assert set(gpkg_parks["id"]) & set(hit["entity"]) == set(parks["id"])
    by_name = facts[facts["answers_to_names"].str.contains(f";{industry};", regex=False)]
    assert len(by_name) == len(hit)
    inds = pyogrio.read_dataframe(out, layer="industries")
    assert inds.loc[inds["id"] == "nev", "ancestors"].iloc[0] == ";nev_icv;automotive;"
