"""Facts from each of the five documents, as read by the developers, must be in the tables."""

from __future__ import annotations

import pandas as pd
import pytest

from hunan_map import layers
from hunan_map.layers import kb


@pytest.fixture(scope="module")
def tables():
    return kb.load()


def members(tables, cluster_id, role=None):
    m = tables.cluster_members[tables.cluster_members["cluster"] == cluster_id]
    if role:
        m = m[m["role"] == role]
    return set(m["member"])


def test_sources_are_the_five_documents(tables):
    kinds = dict(zip(tables.sources["id"], tables.sources["kind"]))
    assert {s for s, k in kinds.items() if k == "policy"} == {"hn2023", "hn2021sei", "hn2026", "hn2013", "cs2021"}
    assert kinds["cat2018"] == "catalogue"  # the 2018 catalogue is a source of its own, not a policy document
    hn2026 = tables.sources.set_index("id").loc["hn2026"]
    assert hn2026["doc_number"] == "湘政发〔2026〕6号" and hn2026["date"] == "2026-06-02"


# cs2021 -------------------------------------------------------------------------------

def test_changsha_plan_names_ten_parks(tables):
    from hunan_map.layers.builders import PARK_KINDS

    cs_parks = tables.parks[(tables.parks["source"] == "cs2021") & (tables.parks["kind"].isin(PARK_KINDS))]
    assert {"长沙高新区", "长沙经开区", "浏阳经开区", "宁乡高新区", "宁乡经开区", "望城经开区",
            "岳麓高新区", "雨花经开区", "天心经开区", "隆平高科技园"} <= set(cs_parks["name"])


def test_core_carriers_of_advanced_energy_storage_materials(tables):
    assert members(tables, "cs_energy_storage_materials", "core_carrier") == {
        "changsha_hitech", "wangcheng_etdz", "ningxiang_etdz", "ningxiang_hitech"}


def test_world_class_construction_machinery_core_carriers(tables):
    assert members(tables, "cs_construction_machinery", "core_carrier") == {
        "changsha_hitech", "changsha_etdz", "liuyang_etdz", "ningxiang_hitech"}


def test_ai_cluster_carriers_are_carriers_not_core_carriers(tables):
    assert members(tables, "cs_artificial_intelligence", "carrier") == {"changsha_hitech", "tianxin_etdz", "yuhua_etdz"}
    assert members(tables, "cs_artificial_intelligence", "core_carrier") == set()


def test_changsha_has_ten_provincial_clusters(tables):
    prov = tables.clusters[(tables.clusters["source"] == "cs2021") & (tables.clusters["level"] == "provincial")]
    assert len(prov) == 10
    assert (prov["section"] == "四(一) 专栏4-1").all()


def test_changsha_industry_system(tables):
    t = tables.industry_tiers[(tables.industry_tiers["source"] == "cs2021") & (tables.industry_tiers["tier"] != "sub_sector")]
    counts = t.groupby("tier").size().to_dict()
    assert counts == {"emerging": 8, "advantage": 5, "special": 5, "future": 4}


# hn2026 ------------------------------------------------------------------------------

def test_2026_revenue_targets(tables):
    t = tables.industry_tiers[(tables.industry_tiers["source"] == "hn2026")].set_index("industry")
    assert t.loc["new_materials", "target_2030"] == 7700
    assert t.loc["rail_transit_equipment", "target_2030"] == 660
    assert t.loc["food", "target_2030"] == 6300
    assert (t["target_unit"].dropna().replace("", pd.NA).dropna().str.startswith("亿元")).all()


def test_2026_system_sizes(tables):
    t = tables.industry_tiers[(tables.industry_tiers["source"] == "hn2026") & (tables.industry_tiers["tier"] != "sub_sector")]
    assert t.groupby("tier").size().to_dict() == {"traditional": 7, "advantage": 2, "emerging": 8, "future": 4,
                                                  "potential": 4}


def test_dongting_zone_industries():
    z = layers.zones(layout="三带四区").set_index("name")
    assert set(z.loc["洞庭湖生态经济区", "industries"]) >= {"石化", "装备制造", "电子信息", "休闲食品", "纺织"}
    assert set(z.loc["长株潭地区", "industries"]) == {"工程机械", "轨道交通装备", "先进计算"}


def test_sub_centres():
    z = layers.zones(layout="省域副中心").set_index("name")
    # the text says 输变电装备, not 特高压输变电装备 (a wrong row, fixed)
    assert set(z.loc["衡阳省域副中心", "industries"]) == {"盐卤化工", "有色金属", "输变电装备", "智能衡器计量"}


def test_beidou_pilot_cities_and_computing_clusters():
    bd = layers.zones(layout="北斗规模应用试点城市")
    assert sorted(m for ms in bd["members"] for m in ms) == ["岳阳市", "株洲市", "长沙市"]
    assert len(layers.zones(layout="算力集群")) == 3


def test_heng_chang_zhu_tan_uhv_cluster(tables):
    assert members(tables, "hczt_uhv") == {"430400", "430100", "430200", "430300"}


# hn2013 ------------------------------------------------------------------------------

def test_2013_yueyichang_corridor_parks():
    z = layers.zones(layout="一核多极").set_index("name")
    assert set(z.loc["岳益常工业经济走廊", "parks"]) == {"岳阳经开区", "益阳高新区", "常德经开区"}
    assert set(z.loc["长株潭工业核心增长极", "parks"]) == {"长沙高新区", "长沙经开区", "宁乡经开区", "浏阳经开区",
                                                   "株洲高新区", "湘潭高新区", "湘潭经开区"}


def test_2013_pillars(tables):
    t = tables.industry_tiers[(tables.industry_tiers["source"] == "hn2013") & (tables.industry_tiers["tier"] == "pillar")]
    assert len(t) == 9


# hn2021sei ---------------------------------------------------------------------------

def test_first_batch_national_sei_clusters(tables):
    sei = tables.clusters[tables.clusters["level"] == "national_sei"]
    assert set(sei["name"]) == {"长沙智能制造装备产业集群", "湘潭智能制造装备产业集群", "岳阳新型功能材料产业集群",
                                "娄底先进结构材料产业集群"}


def test_nine_strategic_emerging_industries(tables):
    t = tables.industry_tiers[(tables.industry_tiers["source"] == "hn2021sei") & (tables.industry_tiers["tier"] != "sub_sector")]
    assert len(t) == 9


# hn2023 ------------------------------------------------------------------------------

def test_four_by_four_system(tables):
    t = tables.industry_tiers[(tables.industry_tiers["source"] == "hn2023") & (tables.industry_tiers["tier"] != "sub_sector")]
    assert t.groupby("tier").size().to_dict() == {"traditional": 4, "advantage": 4, "emerging": 4, "future": 4}


# provenance --------------------------------------------------------------------------

def test_every_relation_row_is_cited(tables):
    for name in ("industry_tiers", "park_industries", "clusters", "cluster_members", "layout_parts",
                 "part_industries", "part_places"):
        df = getattr(tables, name)
        assert (df["source"] != "").all() and (df["section"] != "").all(), name


def test_taxonomy_aliases_and_descendants():
    ctx = layers.context()
    tax = ctx.kb.taxonomy
    assert tax.resolve("高端工程机械") == tax.resolve("工程机械产业") == "construction_machinery"
    assert tax.resolve("Construction machinery") == "construction_machinery"
    assert {"energy_storage_materials", "new_alloys"} <= set(tax.descendants("new_materials"))
