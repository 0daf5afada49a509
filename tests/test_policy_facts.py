"""The knowledge base answers the questions users ask: fact-level filters, document trees, places,
clusters across prefectures, targets, the coverage ledger and the wrong rows that were fixed."""

from __future__ import annotations

import json
import shutil

import pandas as pd
import pytest

from hunan_map import layers
from hunan_map.layers import context
from hunan_map.layers.kb import default_data_dir


@pytest.fixture(scope="module")
def ctx():
    return context()


def _facts(ctx, entity, **where):
    f = ctx.kb.facts[ctx.kb.facts["entity"] == entity]
    for k, v in where.items():
        f = f[f[k] == v]
    return f


def test_textiles_finds_the_three_yueyichang_parks_by_layout_focus(invoke, ctx):
    res = invoke("query", "parks", "--industry", "纺织", "--source", "hn2013", "--format", "json")
    assert res.exit_code == 0, res.output
    names = {r["name"] for r in json.loads(res.stdout)}
    assert names == {"岳阳经开区", "益阳高新区", "常德经开区"}
    for park in ("yueyang_etdz", "yiyang_hitech", "changde_etdz"):
        f = _facts(ctx, park, industry="textiles", role="layout_focus")
        assert (f["source"] + " " + f["section"]).str.startswith("hn2013 二.3").any()


def test_every_park_hn2013_names_carries_an_industry(ctx):
    named = ctx.kb.part_places[(ctx.kb.part_places["place_type"] == "park") & (ctx.kb.part_places["source"] == "hn2013")]
    assert len(set(named["place"])) == 12
    for park in set(named["place"]):
        assert len(_facts(ctx, park, source="hn2013")), park


def test_source_filter_applies_to_the_fact_that_matched_the_industry():
    parks = layers.parks(industry="电子信息", source="hn2013")
    ctx = context()
    for pid in parks["id"]:
        f = ctx.kb.facts[(ctx.kb.facts["entity"] == pid) & (ctx.kb.facts["source"] == "hn2013")]
        assert f["industry"].isin(ctx.kb.taxonomy.expand(["电子信息"], sources=["hn2013"])).any(), pid
    # a Changsha park that only cs2021 ties to electronics is not listed
    only_cs = {"tianxin_etdz", "yuhua_etdz", "wangcheng_etdz"} - set(parks["id"])
    assert only_cs == {"tianxin_etdz", "yuhua_etdz", "wangcheng_etdz"}
    tiered = layers.parks(tier="pillar", source="hn2013")
    assert set(tiered["id"]) <= set(ctx.kb.facts.loc[ctx.kb.facts["source"] == "hn2013", "entity"])


def test_new_energy_follows_the_documents_trees():
    clusters = layers.clusters(industry="新能源")
    assert "hczt_uhv" in set(clusters["id"])            # hn2023 groups 特高压 equipment under 新能源
    zones = layers.zones(industry="新能源")
    assert "sdsq_xiangnan" in set(zones["id"])          # 湘南's 新能源电力装备
    tax = context().kb.taxonomy
    assert "uhv_transmission_equipment" in tax.expand(["新能源"], sources=["hn2023"])
    assert "nev" in tax.expand(["新能源"], sources=["hn2023"])


def test_beidou_is_found_under_aerospace_in_hn2026(ctx):
    kids = ctx.kb.taxonomy.expand(["航空航天"], sources=["hn2026"])
    assert ctx.kb.taxonomy.resolve("北斗") in kids


def test_industries_source_prints_the_documents_own_tree(invoke):
    res = invoke("industries", "--source", "hn2023")
    assert res.exit_code == 0
    lines = res.stdout.splitlines()
    top = next(i for i, line in enumerate(lines) if line.startswith("新能源"))
    children = [line.strip().split("  ")[0] for line in lines[top + 1:top + 12] if line.startswith("  ")]
    assert "新能源汽车" in children and any("新能源装备" in c for c in children)


def test_role_filter(invoke):
    res = invoke("query", "parks", "--industry", "先进储能材料", "--role", "核心载体", "--format", "json")
    assert res.exit_code == 0, res.output
    assert {r["id"] for r in json.loads(res.stdout)} == {"changsha_hitech", "wangcheng_etdz", "ningxiang_etdz",
                                                          "ningxiang_hitech"}
    assert invoke("query", "parks", "--role", "boss").exit_code == 2


def test_no_point_lies_outside_its_county(ctx):
    geoms = dict(zip(ctx.geo.counties["adcode"], ctx.geo.counties.geometry))
    pgeoms = dict(zip(ctx.geo.prefectures["adcode"], ctx.geo.prefectures.geometry))
    for row in ctx.kb.parks.itertuples():
        pt = ctx.geo.park_points[row.id]
        if pt is None:
            assert row.precision == "province"
            continue
        codes = [c for c in [row.county_adcode, *row.other_county_adcodes.split(";")] if c]
        if codes:
            assert any(geoms[c].covers(pt) for c in codes), row.id
        else:
            assert pgeoms[row.prefecture_adcode].covers(pt), row.id


def test_city_only_platforms_sit_at_the_seat_not_a_label_point(ctx):
    from hunan_map.geo import boundaries

    seats = {r.adcode: r.geometry for r in boundaries.seats().itertuples()}
    pref_only = ctx.kb.parks[(ctx.kb.parks["precision"] == "prefecture") & ctx.kb.parks["lon"].isna()]
    assert len(pref_only)
    for row in pref_only.itertuples():
        assert ctx.geo.park_points[row.id].equals_exact(seats[row.prefecture_adcode], 1e-5), row.id
    # 湘江科学城 and 湘江智谷 are in 湘江新区 (岳麓区), not at a point in 浏阳
    for pid in ("xiangjiang_science_city", "xiangjiang_zhigu"):
        assert ctx.kb.parks.set_index("id").at[pid, "county_adcode"] == "430104"


def test_matrix_counts_a_cross_prefecture_cluster_in_each_member_and_keeps_zero_columns():
    m = layers.industry_matrix(entity="clusters", industry="特高压输变电装备")
    row = m.loc["特高压输变电装备"]
    assert {c for c, v in row.items() if v} == {"长沙", "株洲", "湘潭", "衡阳"}
    assert list(m.columns)[:3] == ["长沙", "株洲", "湘潭"] and len(m.columns) == 14
    assert "军民融合高技术产业集群" in layers.industry_matrix(entity="clusters").attrs["unlocated"]
    assert len(layers.industry_matrix(entity="clusters", industry="特高压输变电装备", drop_empty=True).columns) == 4


def test_targets_table_and_command(invoke, ctx):
    t = ctx.kb.targets
    assert {"hn2013", "hn2021sei", "hn2026", "cs2021"} <= set(t["source"])
    cm = t[(t["industry"] == "construction_machinery") & (t["source"] == "cs2021")]
    assert (cm["value"] == 5000).any()
    car = t[(t["source"] == "hn2026") & (t["value"] == 4000)]
    assert list(car["industry"]) == ["automotive"] and "whole automobile" in car["note"].iloc[0]
    res = invoke("targets", "--industry", "工程机械", "--format", "csv")
    assert res.exit_code == 0 and "5000" in res.stdout


def test_coverage_ledger_is_enforced(invoke, tmp_path, ctx):
    assert set(ctx.kb.coverage["source"]) == {"hn2023", "hn2021sei", "hn2026", "hn2013", "cs2021"}
    res = invoke("sources", "--coverage")
    assert res.exit_code == 0
    line = next(x for x in res.stdout.splitlines() if x.startswith("hn2026"))
    assert "sections: 67" in line and "targets: 44" in line
    data = tmp_path / "data"
    shutil.copytree(default_data_dir(), data)
    cov = pd.read_csv(data / "coverage.csv", dtype=str, keep_default_na=False)
    cov.loc[0, "tables"] = ""
    cov.loc[0, "reason"] = ""
    cov.to_csv(data / "coverage.csv", index=False)
    res = invoke("validate", "--data", data)
    assert res.exit_code == 1 and "coverage.csv:2" in res.output and "no rows and no reason" in res.output


def test_known_wrong_rows_are_fixed(ctx):
    kb, tax = ctx.kb, ctx.kb.taxonomy
    # 洞庭湖 zone: 港口经济, not 口岸经济
    dt = kb.part_industries[kb.part_industries["part"] == "sdsq_dongting"]
    assert "harbour_economy" in set(dt["industry"]) and tax.name("harbour_economy") == "港口经济"
    # 先进能源材料 is its own node, not 先进储能材料
    assert tax.name(tax.resolve("先进能源材料")) == "先进能源材料"
    # the 军民融合 cluster: no level and no industry the text does not give
    cm = kb.clusters.set_index("id").loc["hn_civil_military"]
    assert cm["level"] == "" and cm["industry"] == ""
    # 岳益常 route counties cite an external source, not hn2013
    route = kb.part_places[(kb.part_places["part"] == "yhdj_yueyichang") & (kb.part_places["role"] == "route")]
    assert len(route) and (route["source"] == "external").all()
    # hn2013's 智能电网及输变电装备 is not narrowed to 特高压
    t13 = kb.industry_tiers[(kb.industry_tiers["source"] == "hn2013") & (kb.industry_tiers["name_in_source"] == "智能电网及输变电装备")]
    assert list(t13["industry"]) == ["smart_grid_transmission_equipment"]
    # cs2021 专栏3-6: the four specialised parks are relied on (依托)
    pi = kb.park_industries[kb.park_industries["section"].str.contains("专栏3-6")]
    for park in ("cetc_software_park", "xincheng_park", "civil_military_park", "cetc_optics_valley_park"):
        assert set(pi.loc[pi["park"] == park, "role"]) == {"relied_on"}, park
    # 大湘西's membership note is its own
    dx = kb.part_places[kb.part_places["part"] == "sdsq_daxiangxi"]
    assert dx["section"].str.contains("大湘西").all()
    # 海洋工程装备 and 通用航空 have a parent
    assert tax.ancestors(tax.resolve("海洋工程装备")) and tax.ancestors(tax.resolve("通用航空"))


def test_unlocated_province_wide_facts_are_kept(ctx):
    from hunan_map.layers.builders import build_parks

    prov = ctx.kb.parks[ctx.kb.parks["precision"] == "province"]
    assert len(prov) >= 10
    assert set(prov["id"]).isdisjoint(layers.platforms()["id"])  # not drawn on maps
    everything = build_parks(ctx, kinds="all", include_unlocated=True).set_index("id")
    assert set(prov["id"]) <= set(everything.index)
    assert everything.loc[list(prov["id"]), "geometry"].isna().all()


def test_later_changes_are_separate_cited_facts(ctx):
    from hunan_map import maps
    from hunan_map.maps import MapOptions

    park = ctx.kb.parks.set_index("id").loc["ningxiang_hitech"]
    assert park["level"] == "provincial" and park["catalogue_code"]  # the 2018 fact stays a 2018 fact
    change = ctx.kb.park_changes.set_index("park").loc["ningxiang_hitech"]
    assert (change["year"], change["change"], change["value"], change["source"]) == (2023, "level", "national", "external")
    html = maps.render_html(options=MapOptions(tiles="none"))
    import re

    data = json.loads(re.search(r'id="hunan-data">(.*?)</script>', html, re.S).group(1))
    feat = next(f for layer in data["layers"] for f in layer["features"] if f.get("id") == "ningxiang_hitech")
    assert ["后续变化", "2023 国家级"] in feat["rows"]
    assert any("2023年经国务院批准" in c for c in feat["cites"])
