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


def test_each_documents_tree_applies_to_its_own_facts_only():
    # hn2023 groups 特高压 equipment under 新能源, but the UHV cluster is an hn2026 fact and hn2026's own
    # tree does not: a document's tree applies to that document's facts (issue 19).
    clusters = layers.clusters(industry="新能源")
    assert "hczt_uhv" not in set(clusters["id"])
    assert "hczt_uhv" in set(layers.clusters(industry="特高压")["id"])
    # hn2026 lists 零部件 under 新能源汽车: its own parts facts are NEV facts, the catalogue's 汽车零部件 are not
    facts = layers.long_form(industry="新能源汽车")
    assert not ((facts["source"] == "cat2018") & (facts["industry"] == "auto_parts")).any()
    assert set(facts["match"]) <= {"exact", "narrower", "layout", "catalogue"}
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


# Issue 19: the catalogue's own words, merged rows and the facts that were missing.

def _cat_leads(ctx):
    return ctx.kb.park_industries[ctx.kb.park_industries["role"] == "catalogue_lead"]


def _query(invoke, layer, *args):
    res = invoke("query", layer, *args, "--format", "json")
    assert res.exit_code == 0, res.output
    return json.loads(res.stdout)


def test_every_catalogue_lead_keeps_its_words_and_maps_to_every_part(ctx):
    from pathlib import Path

    leads = _cat_leads(ctx)
    assert (leads["wording"] != "").all() and (leads["note"] == "").all()
    assert set(leads["relation"]) <= {"same", "part_of", "broader"}
    root = Path(__file__).resolve().parents[1]
    path = root.parent / "shared" / "reference" / "dev_zones_2018_hunan.csv"  # shared/ beside the checkout
    if path.is_file():  # the catalogue itself: every lead industry of every zone, in its own words
        cat = pd.read_csv(path, dtype=str, keep_default_na=False)
        code_of = dict(zip(ctx.kb.parks["id"], ctx.kb.parks["catalogue_code"]))
        have = {(code_of[p], w) for p, w in zip(leads["park"], leads["wording"])}
        want = {(c, w) for c, ws in zip(cat["code"], cat["lead_industries"]) for w in ws.split("、")}
        assert have == want
    tax = ctx.kb.taxonomy
    same = leads[leads["relation"] == "same"]
    assert all(tax.resolve(w) == i for w, i in zip(same["wording"], same["industry"]))  # a query by the words resolves
    parts = {w: set(g["industry"]) for w, g in leads[leads["relation"] == "part_of"].groupby("wording")}
    name = {w: {tax.name(i) for i in ids} for w, ids in parts.items()}
    assert name["轻纺制鞋"] == {"纺织", "制鞋"}
    assert name["盐卤化工及精细化工"] == {"盐卤化工", "精细化工"}
    assert name["商贸物流"] == {"商贸", "物流"}
    assert name["电子电器"] == {"电子信息", "家用电器"}
    assert name["机械电子"] == {"装备制造", "电子信息"}
    assert name["农林产品加工"] == {"农产品加工", "林产品加工"}
    assert name["金属及非金属材料加工"] == {"金属材料加工", "非金属材料加工"}
    assert {tax.name(i) for i in same.loc[same["wording"] == "矿产品", "industry"]} == {"矿产品"}
    assert {tax.name(i) for i in same.loc[same["wording"] == "先进制造", "industry"]} == {"先进制造"}


def test_catalogue_words_find_their_zones(invoke, ctx):
    leads = _cat_leads(ctx)
    exact = set(leads.loc[leads["wording"] == "农产品加工", "park"])
    assert len(exact) == 8
    found = {r["id"] for r in _query(invoke, "parks", "--industry", "农产品加工", "--source", "cat2018")}
    # the 8 zones in these words, plus 富硒农产品加工 (narrower) and the two 农林产品加工 zones (a part)
    assert exact < found
    for park in found - exact:
        assert set(leads.loc[leads["park"] == park, "wording"]) & {"富硒农产品加工", "农林产品加工"}, park
    assert len(found) == 11
    robots = {r["id"] for r in _query(invoke, "parks", "--industry", "机器人", "--source", "cat2018")}
    assert robots == set(leads.loc[leads["wording"] == "机器人", "park"]) and robots
    for words in ("轻纺制鞋", "商贸物流", "先进制造", "矿产品"):
        zones = set(leads.loc[leads["wording"] == words, "park"])
        ind = leads.loc[leads["wording"] == words, "industry"].iloc[0]
        got = {r["id"] for r in _query(invoke, "parks", "--industry", ind, "--source", "cat2018")}
        assert zones and zones <= got, words
    # 先进制造 is no longer counted as 装备制造
    xian = set(leads.loc[leads["wording"] == "先进制造", "park"])
    equip = {r["id"] for r in _query(invoke, "parks", "--industry", "装备制造", "--source", "cat2018", "--place", "道县")}
    assert xian and xian.isdisjoint(equip)


def test_huanghua_bonded_zone_is_one_row_with_every_fact(ctx):
    parks = ctx.kb.parks
    rows = parks[parks["full_name"] == "长沙黄花综合保税区"]
    assert list(rows["id"]) == ["changsha_huanghua_cbz"] and rows["catalogue_code"].iloc[0] == "G433093"
    assert "黄花综保区" in rows["aliases"].iloc[0]
    facts = ctx.kb.facts[ctx.kb.facts["entity"] == "changsha_huanghua_cbz"]
    assert {"cs2021", "cat2018"} <= set(facts["source"])
    assert "huanghua_czb" not in set(ctx.kb.facts["entity"])


def test_no_official_name_or_catalogue_code_is_held_twice(ctx):
    parks = ctx.kb.parks
    named = parks[parks["full_name"] != ""]
    assert not named["full_name"].duplicated().any()
    coded = parks[parks["catalogue_code"] != ""]
    assert not coded["catalogue_code"].duplicated().any()
    nidz = parks[parks["full_name"] == "长株潭国家自主创新示范区"].iloc[0]
    assert nidz["id"] == "cztz_nidz" and "cs2021 一(一)" in nidz["also_cited"]
    for name in ctx.kb.__dataclass_fields__:
        if name != "data_dir":
            df = getattr(ctx.kb, name).drop(columns=["csv_line"])
            assert not df.duplicated().any(), name  # e.g. cluster_members.csv lines 2 and 3 were identical


def test_factor_reform_pilot_is_found_in_each_of_its_three_cities(invoke, ctx):
    rows = ctx.kb.parks[ctx.kb.parks["full_name"] == "长株潭要素市场化配置综合改革试点"]
    assert len(rows) == 1
    pid = rows["id"].iloc[0]
    for place in ("长沙", "株洲", "湘潭"):
        assert pid in {r["id"] for r in _query(invoke, "platforms", "--place", place)}, place
        assert "cztz_nidz" in {r["id"] for r in _query(invoke, "platforms", "--place", place)}, place
    cites = next(r for r in _query(invoke, "platforms") if r["id"] == pid)["sources"]
    assert any(c.startswith("hn2026 三(八)2") for c in cites) and any(c.startswith("hn2023 三(八)") for c in cites)
    # under --source the row's citations are that document's only (issue 25)
    cites = next(r for r in _query(invoke, "platforms", "--source", "hn2026") if r["id"] == pid)["sources"]
    assert cites and all(c.startswith("hn2026") for c in cites)


def test_hn2021sei_digital_creative_cluster_finds_the_cluster_and_malanshan(invoke, ctx):
    clusters = {r["id"] for r in _query(invoke, "clusters", "--industry", "数字创意", "--source", "hn2021sei")}
    assert "hn_sei_digital_creative" in clusters
    platforms = {r["id"] for r in _query(invoke, "platforms", "--industry", "数字创意", "--source", "hn2021sei")}
    assert "malanshan" in platforms
    tax, cl = ctx.kb.taxonomy, ctx.kb.clusters.set_index("id")
    assert tax.name(cl.loc["hn_sei_target_5g", "industry"]) == "5G应用"
    low = ctx.kb.industry_tiers[(ctx.kb.industry_tiers["source"] == "hn2021sei")
                                & (ctx.kb.industry_tiers["name_in_source"] == "低维材料")]
    assert [tax.name(i) for i in low["industry"]] == ["低维材料"]  # not narrowed to 非金属低维材料


def test_hn2026_computing_infrastructure_and_named_levels(ctx):
    pi = ctx.kb.park_industries
    ai = pi[(pi["park"] == "changsha_ai_center") & (pi["source"] == "hn2026")]
    assert {"computing_infrastructure", "artificial_intelligence"} <= set(ai["industry"])
    assert set(ai["section"]) == {"三(四)1"}
    for park in ("supercomputing_changsha", "zhongnan_ai_center"):
        row = pi[(pi["park"] == park) & (pi["source"] == "hn2026")]
        assert set(row["industry"]) == {"computing_infrastructure"}, park
    parks = ctx.kb.parks.set_index("id")
    assert parks.loc["cs_infosec_park", "level"] == "national"  # 国家网络安全产业园区（长沙）, 专栏3-6
    assert parks.loc["cs_infosec_park", "section"] == "三(三)1 专栏3-6"
    yuelu = parks[parks["catalogue_code"] == "S439074"].iloc[0]
    assert (yuelu["full_name"], yuelu["kind"]) == ("长沙岳麓工业集中区", "工业园区")
    assert "岳麓高新技术产业开发区" in yuelu["aliases"]
    for code, full in (("S437001", "长沙天心经济开发区"), ("S437003", "长沙雨花经济开发区")):
        row = parks[parks["catalogue_code"] == code].iloc[0]
        assert row["full_name"] == full and full[2:] in row["aliases"], code


def test_aero_engine_cluster_cites_cs2021_for_zhuzhou_and_changsha(ctx):
    cm = ctx.kb.cluster_members
    aero = cm[cm["cluster"] == "hn_world_aero_engines"].set_index("member")
    assert (aero.loc["430200", "source"], aero.loc["430200", "section"]) == ("cs2021", "三(一)2")
    assert aero.loc["430100", "source"] == "cs2021"


def test_hn2013_cluster_industries_and_complete_vehicles(invoke, ctx):
    cl = ctx.kb.clusters[(ctx.kb.clusters["source"] == "hn2013") & (ctx.kb.clusters["section"] == "三.2")]
    assert len(cl) == 13
    names = set(cl["name"])
    assert {"工程机械产业集群", "汽车整车及零部件产业集群", "矿产品精深加工产业集群", "特色资源利用产业集群"} <= names
    found = {r["id"] for r in _query(invoke, "clusters", "--industry", "新型建材", "--source", "hn2013")}
    assert "hn2013_cluster_new_building_materials" in found
    tax = ctx.kb.taxonomy
    assert "complete_vehicles" in tax.descendants("automotive", sources=["hn2013"])
    tree = ctx.kb.industry_trees
    assert ((tree["source"] == "hn2013") & (tree["industry"] == "complete_vehicles")
            & (tree["parent"] == "automotive")).any()


def test_hn2021sei_new_engines(invoke):
    for industry, cid in (("半导体与集成电路", "hn_sei_engine_semiconductors"), ("区块链", "hn_sei_engine_blockchain"),
                          ("量子信息", "hn_sei_engine_quantum"), ("新能源", "hn_sei_engine_new_energy")):
        found = {r["id"] for r in _query(invoke, "clusters", "--industry", industry, "--source", "hn2021sei")}
        assert cid in found, industry


def test_free_trade_zone_is_reachable_by_hn2026_in_each_area(invoke, ctx):
    for place in ("长沙", "岳阳", "郴州"):
        rows = _query(invoke, "platforms", "--source", "hn2026", "--place", place)
        assert "fta_hunan" in {r["id"] for r in rows}, place
    fta = next(r for r in _query(invoke, "platforms", "--source", "hn2026") if r["id"] == "fta_hunan")
    assert any(c.startswith("hn2026 三(八)3") for c in fta["sources"])


def test_changsha_city_wide_aims_and_bases_are_rows_on_changsha(invoke, ctx):
    parks = ctx.kb.parks
    aims = parks[(parks["source"] == "cs2021") & parks["kind"].isin(["designation", "base"])
                 & (parks["precision"] == "prefecture")]
    for name in ("中部地区计算产业高地", "国家重要先进制造业中心", "中国软件名城", "大飞机起落架生产基地", "大飞机复材及装备基地",
                 "国家集成电路设计基地", "全国重要的功率芯片产业基地", "新型显示产业集聚区", "中国智能驾驶第一城"):
        row = aims[aims["name"] == name]
        assert len(row) == 1 and row["prefecture_adcode"].iloc[0] == "430100", name
    for industry, pid in (("计算产业", "cs_computing_highland"), ("先进制造业", "cs_adv_mfg_center"),
                          ("软件", "china_software_city"), ("起落架", "landing_gear_base"),
                          ("功率芯片", "cs_power_chip_base"), ("智能驾驶", "icv_first_city")):
        found = {r["id"] for r in _query(invoke, "platforms", "--industry", industry, "--source", "cs2021", "--place", "长沙")}
        assert pid in found, industry


def test_ledger_has_no_left_out_named_cluster_industry_or_base(ctx):
    cov = ctx.kb.coverage
    reasons = " ".join(cov["reason"]).lower()
    for phrase in ("new-engine fields", "bases have no site", "city title", "only referred to",
                   "generic cluster industries"):
        assert phrase not in reasons, phrase  # these named items are in the tables now
    hn13 = cov[(cov["source"] == "hn2013") & (cov["section"] == "三.2")].iloc[0]
    assert hn13["tables"] == "clusters" and not hn13["reason"]


def test_province_wide_aims_are_kept_with_their_industries(ctx):
    parks = ctx.kb.parks.set_index("id")
    facts = ctx.kb.facts
    for pid, source, industry in (("hn_adv_mfg_highland", "hn2026", "advanced_manufacturing"),
                                  ("hn_nev_icv_base", "hn2021sei", "nev_icv"),
                                  ("hn_textile_area", "hn2026", "textiles"), ("hn_auto_base", "hn2013", "automotive")):
        assert parks.loc[pid, "precision"] == "province", pid
        f = facts[(facts["entity"] == pid) & (facts["source"] == source)]
        assert industry in set(f["industry"]), pid
    assert "hn2021sei 三(一)" in parks.loc["hn_adv_mfg_highland", "also_cited"]


def test_document_facts_keep_the_documents_words_where_they_differ(ctx):
    pi, tax = ctx.kb.park_industries, ctx.kb.taxonomy
    docs = pi[(pi["role"] != "catalogue_lead") & (pi["wording"] != "")]
    assert len(docs) >= 15
    same = docs[docs["relation"] == "same"]
    assert all(tax.resolve(w) == i for w, i in zip(same["wording"], same["industry"]))
    row = docs[(docs["park"] == "zhuzhou_aero_engine_base") & (docs["source"] == "hn2021sei")].iloc[0]
    assert (row["wording"], row["relation"]) == ("中小型航空发动机", "same")
    row = docs[(docs["park"] == "semiconductor_display_zone") & (docs["industry"] == "display_devices")].iloc[0]
    assert row["wording"] == "新型显示器件"


def test_every_new_location_note_has_its_chinese_gloss(ctx):
    import csv

    with (default_data_dir() / "external_glosses.csv").open(encoding="utf-8") as fh:
        rows = list(csv.reader(fh))[1:]
    assert len(ctx.kb.glosses) == len(rows) > 300  # the file reads whole (a bare comma would drop every gloss)
    added = ctx.kb.parks[ctx.kb.parks["kind"].isin(["designation"]) | ctx.kb.parks["id"].isin(["fta_hunan", "xiangqiong_park"])]
    assert all(b in ctx.kb.glosses for b in added["basis"]), set(added["basis"]) - set(ctx.kb.glosses)


def test_changsha_2020_industry_state_is_kept(invoke, ctx):
    tg = ctx.kb.targets
    five = tg[(tg["source"] == "cs2021") & (tg["section"] == "一(一)") & (tg["kind"] == "baseline")]
    assert len(five) == 5 and set(five["subject"]) == {"430100"} and (five["value"] == 1000).all()
    found = {r["id"] for r in _query(invoke, "platforms", "--industry", "功率芯片", "--source", "cs2021")}
    assert {"cs_sanzhi_yixin", "cs_power_chip_base"} <= found
