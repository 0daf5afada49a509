"""Layer builders, the shared filter and spatial analysis."""

from __future__ import annotations

import pytest
import shapely

from hunan_map import layers
from hunan_map.geo import boundaries
from hunan_map.layers import UnknownValueError

HUNAN = boundaries.province().geometry.iloc[0].buffer(0.01)


@pytest.mark.parametrize("name", layers.LAYERS)
def test_every_layer_is_valid_wgs84_inside_hunan(name):
    gdf = layers.layer(name)
    assert len(gdf) > 0
    assert gdf.crs.to_epsg() == 4326
    assert gdf.is_valid.all()
    assert gdf.geometry.map(HUNAN.covers).all()
    assert {"id", "name", "name_en"} <= set(gdf.columns) or {"adcode", "name", "name_en"} <= set(gdf.columns)


def test_zones_of_sandai_siqu_are_unions_of_their_prefectures():
    zones = layers.zones(layout="三带四区")
    assert list(zones["name"]) == ["长株潭地区", "洞庭湖生态经济区", "湘南地区", "大湘西地区"]
    pref = boundaries.prefectures().set_index("adcode")
    for z in zones.itertuples():
        union = shapely.union_all(pref.loc[z.member_ids].geometry.values)
        assert z.geometry.symmetric_difference(union).area < 1e-8
        assert z.year == 2026 and z.layout == "三带四区"


def test_corridors_are_lines_in_route_order():
    c = layers.corridors(layout="三带四区").set_index("name")
    assert list(c.index) == ["京港澳通道经济带", "沪昆通道经济带", "厦渝通道经济带"]
    assert (c.geometry.geom_type == "LineString").all()
    assert c["schematic"].all()
    jga = c.loc["京港澳通道经济带"]
    ys = [p[1] for p in jga.geometry.coords]
    assert ys[0] > ys[-1]  # from Yueyang in the north to Chenzhou in the south
    assert jga.route[0] == "临湘市" and jga.route[-1] == "北湖区"


def test_clusters_from_parks_and_from_cities():
    c = layers.clusters().set_index("id")
    esm = c.loc["cs_energy_storage_materials"]
    assert esm.member_type == "park" and esm.geometry.geom_type == "Polygon"
    for pid in ("changsha_hitech", "wangcheng_etdz", "ningxiang_etdz", "ningxiang_hitech"):
        pt = layers.parks().set_index("id").geometry.loc[pid]
        assert esm.geometry.covers(pt)
    rail = c.loc["zhuzhou_rail"]
    assert rail.member_type == "city" and rail.members == ["株洲市"]
    pts = layers.clusters(geometry="points").set_index("id")
    assert pts.loc["cs_energy_storage_materials"].geometry.geom_type == "MultiPoint"
    assert "hn_beidou" not in c.index
    assert "hn_beidou" in set(layers.clusters(include_unlocated=True)["id"])


def test_filters_and_together_and_repeat_or_together():
    ai = set(layers.parks(industry="人工智能")["id"])
    seed = set(layers.parks(industry="现代种业")["id"])
    both = set(layers.parks(industry=["人工智能", "现代种业"])["id"])
    assert both == ai | seed
    assert set(layers.parks(industry="人工智能", place="天心区")["id"]) == {"tianxin_etdz"}
    assert set(layers.parks(industry="人工智能", place="Changsha")["id"]) == ai
    assert layers.parks(industry="人工智能", place="株洲").empty


def test_filter_by_alias_english_name_id_and_tier():
    a = set(layers.parks(industry="高端工程机械")["id"])
    assert a == set(layers.parks(industry="Construction machinery")["id"]) == set(layers.parks(industry="construction_machinery")["id"])
    future = layers.zones(tier="future")
    assert len(future) == 0 or all(future["tiers"].map(lambda t: "future" in t))
    emerging = layers.parks(tier="emerging")
    assert "changsha_hitech" in set(emerging["id"])


def test_filter_by_source_year_and_layout():
    hn2013 = layers.parks(source="hn2013")
    assert {"zhuzhou_hitech", "yueyang_etdz"} <= set(hn2013["id"])
    assert set(layers.zones(year=2013)["layout"]) == {"一核多极"}
    in_core = set(layers.parks(layout="一核多极")["id"])
    assert {"hengyang_hitech", "changde_etdz", "changsha_hitech"} <= in_core


@pytest.mark.parametrize("kwargs, fragment", [
    ({"industry": "新材科"}, "新材料"),
    ({"tier": "emergent"}, "emerging"),
    ({"layout": "三带五区"}, "三带四区"),
    ({"source": "hn2024"}, "hn2023"),
])
def test_unknown_values_list_the_closest(kwargs, fragment):
    with pytest.raises(UnknownValueError, match=fragment):
        layers.parks(**kwargs)


def test_industry_matrix_cells_match_the_documents():
    m = layers.industry_matrix(by="prefecture", entity="parks")
    assert m.loc["先进储能材料", "长沙"] == 4  # cs2021 四(一): four core carriers
    assert m.loc["人工智能", "长沙"] == 3  # cs2021 专栏4-1: three carriers
    assert m.loc["新材料", "长沙"] >= 4  # rolls up 先进储能材料 and 新型合金
    c = layers.industry_matrix(by="prefecture", entity="clusters")
    assert c.loc["轨道交通装备", "株洲"] >= 1  # 株洲轨道交通装备 (hn2021sei 一(一))
    assert c.loc["特高压输变电装备", "衡阳"] == 1  # 衡长株潭 (hn2026 二(三)6)


def test_matrix_by_zone_and_long_form():
    m = layers.industry_matrix(by="zone", entity="parks")
    assert m.loc["人工智能", "长株潭地区"] == 3
    lf = layers.long_form(industry="人工智能", source="cs2021")
    assert set(lf["entity_name"]) >= {"长沙高新区", "天心经开区", "雨花经开区"}
    assert {"role", "source", "section"} <= set(lf.columns)


def test_park_zones_and_proximity():
    pz = layers.park_zones(near_km=15)
    row = pz[(pz["park_id"] == "hengyang_hitech") & (pz["part_id"] == "sdsq_xiangnan")]
    assert row["relation"].tolist() == ["in"]
    near = pz[(pz["park_id"] == "hengyang_hitech") & (pz["part_id"] == "sdsq_jinggangao")]
    assert near["relation"].tolist() == ["near"] and near["distance_km"].iloc[0] < 15
    within = layers.parks_within("长沙高新区", 15)
    assert within["id"].iloc[0] == "changsha_hitech" and within["distance_km"].iloc[0] == 0
    assert "yuelu_hitech" in set(within["id"])


def test_admin_counts():
    p = layers.prefectures().set_index("short_name")
    parks = layers.parks()
    assert p.loc["长沙", "n_parks"] == int((parks["prefecture_adcode"] == "430100").sum()) >= 10
    assert (p["n_parks"] > 0).all()  # every prefecture has development zones (2018 catalogue)
    assert p.loc["株洲", "n_clusters"] >= 2
    c = layers.counties()
    assert len(c) == 122 and c["n_parks"].sum() == len(parks[parks["county_adcode"] != ""])
