"""Bundled boundaries: counts, validity, coverage, area, labels and names."""

from __future__ import annotations

import shapely

from hunan_map.geo import boundaries, crs


def test_levels_have_the_right_counts_and_crs():
    assert len(boundaries.province()) == 1
    assert len(boundaries.prefectures()) == 14
    c = boundaries.counties()
    assert len(c) == 122
    assert c.crs.to_epsg() == 4326
    assert c["adcode"].is_unique


def test_counties_are_valid_and_form_a_coverage_of_the_province():
    c = boundaries.counties()
    assert c.is_valid.all()
    assert shapely.coverage_is_valid(c.geometry.values)
    union = shapely.coverage_union_all(c.geometry.values)
    prov = boundaries.province().geometry.iloc[0]
    assert union.symmetric_difference(prov).area < 1e-6


def test_area_matches_hunans_official_area():
    area_km2 = boundaries.counties().to_crs(crs.EQUAL_AREA).area.sum() / 1e6
    assert abs(area_km2 - 211_800) / 211_800 < 0.015


def test_label_points_lie_inside_their_polygons():
    for level in ("prefectures", "counties"):
        gdf = boundaries.load(level)
        pts = shapely.points(gdf["label_lon"], gdf["label_lat"])
        assert shapely.covers(gdf.geometry.values, pts).all(), level


def test_names_and_parents():
    c = boundaries.counties().set_index("adcode")
    assert c.loc["431181", "name"] == "祁阳市"  # current code, not Amap's 431121
    assert c.loc["430104", "short_name"] == "岳麓"
    assert c.loc["430121", "short_name"] == "长沙县"
    assert c.loc["430121", "name_en"] == "Changsha County"
    p = boundaries.prefectures().set_index("adcode")
    assert p.loc["433100", "short_name"] == "湘西"
    assert set(c["parent_adcode"]) == set(p.index)


def test_coarse_detail_is_smaller_but_same_units():
    fine = boundaries.counties()
    coarse = boundaries.counties(detail="coarse")
    assert list(fine["adcode"]) == list(coarse["adcode"])
    assert shapely.get_num_coordinates(coarse.geometry.values).sum() < shapely.get_num_coordinates(fine.geometry.values).sum()
