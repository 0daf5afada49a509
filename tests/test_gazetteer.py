"""Offline geocoding of admin units and parks by every name form; clear errors otherwise."""

from __future__ import annotations

import pytest

from hunan_map.geo import AmbiguousPlaceError, UnknownPlaceError
from hunan_map.geo.gazetteer import Gazetteer, default_gazetteer
from hunan_map import layers


@pytest.mark.parametrize("name", ["长沙", "长沙市", "430100", "Changsha", "changsha"])
def test_prefecture_by_every_form(name):
    res = default_gazetteer().geocode(name)
    assert (res.kind, res.id, res.name, res.precision) == ("prefecture", "430100", "长沙市", "exact")


@pytest.mark.parametrize("name", ["湘西州", "湘西土家族苗族自治州", "湘西", "433100", "Xiangxi"])
def test_xiangxi_forms(name):
    assert default_gazetteer().geocode(name).id == "433100"


@pytest.mark.parametrize("name, adcode, how", [
    ("祁阳县", "431181", "old_name"), ("431121", "431181", "old_adcode"), ("宁乡县", "430182", "old_name"),
    ("株洲县", "430212", "old_name"), ("岳麓区", "430104", "name"), ("Yuelu District", "430104", "name_en"),
])
def test_counties_including_old_names(name, adcode, how):
    res = default_gazetteer().geocode(name)
    assert (res.id, res.matched_by) == (adcode, how)


def test_every_admin_unit_resolves_by_each_of_its_name_forms():
    from hunan_map.geo import boundaries

    gaz = default_gazetteer()
    for gdf in (boundaries.prefectures(), boundaries.counties()):
        for row in gdf.itertuples():
            for form in (row.name, row.short_name, row.adcode, row.name_en):
                assert gaz.geocode(form).id == row.adcode, form


def test_parks_by_any_name_and_alias():
    gaz = layers.gazetteer()
    for name in ("长沙高新区", "长沙高新技术产业开发区", "麓谷", "Changsha Hi-tech Zone", "changsha_hitech"):
        res = gaz.geocode(name)
        assert (res.kind, res.id) == ("park", "changsha_hitech")
        assert res.precision == "approximate"
        assert res.geometry.geom_type == "Point"


@pytest.mark.parametrize("name, kind, id_", [
    ("liuyang", "county", "430181"), ("Liu Yang", "county", "430181"), ("changshaxian", "county", "430121"),
    ("xiangxi", "prefecture", "433100"), ("lugu", "park", "changsha_hitech"),
])
def test_pinyin_of_any_chinese_name(name, kind, id_):
    res = layers.gazetteer().geocode(name)
    assert (res.kind, res.id) == (kind, id_)
    assert res.matched_by in ("pinyin", "name_en")


def test_layout_parts_by_name_english_and_pinyin_in_layers():
    gaz = layers.gazetteer()
    parts = layers.zones().set_index("id")
    for name in ("长株潭地区", "Changsha-Zhuzhou-Xiangtan area", "changzhutandiqu"):
        res = gaz.geocode(name)
        assert (res.kind, res.id, res.name) == ("zone", "sdsq_cztz", "长株潭地区")
        assert res.geometry.equals(parts.loc["sdsq_cztz", "geometry"])
    corridor = gaz.geocode("京港澳通道经济带")
    assert (corridor.kind, corridor.geometry.geom_type) == ("corridor", "LineString")
    # a park keeps its name when a zone has the same one
    assert gaz.geocode("长沙北斗规模应用试点城市").kind == "park"
    # admin-only gazetteer of geo knows no layout parts
    with pytest.raises(UnknownPlaceError):
        default_gazetteer().geocode("长株潭地区")


def test_unknown_name_suggests_the_right_one():
    with pytest.raises(UnknownPlaceError, match="长沙"):
        default_gazetteer().geocode("长纱市")


def test_ambiguous_name_asks_for_the_prefecture():
    import pandas as pd

    places = pd.DataFrame([
        {"id": "a", "name": "经开区", "lon": 112.9, "lat": 28.2, "prefecture_adcode": "430100", "aliases": ""},
        {"id": "b", "name": "经开区", "lon": 112.6, "lat": 26.9, "prefecture_adcode": "430400", "aliases": ""},
    ])
    gaz = Gazetteer(places)
    with pytest.raises(AmbiguousPlaceError, match="prefecture"):
        gaz.geocode("经开区")
    assert gaz.geocode("经开区", prefecture="衡阳").id == "b"
    assert gaz.geocode("长沙/经开区").id == "a"
