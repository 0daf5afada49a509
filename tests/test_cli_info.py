"""`industries`, `sources`, `layouts`, `geocode`, `matrix`."""

from __future__ import annotations

import io
import json

import pandas as pd


def test_industries_tree_with_aliases_tiers_and_targets(invoke):
    res = invoke("industries")
    assert res.exit_code == 0
    lines = res.stdout.splitlines()
    nm = next(l for l in lines if l.startswith("新材料 "))
    assert "emerging (hn2026, 2030: 7700 亿元 revenue)" in nm
    child = next(l for l in lines if "先进储能材料" in l and "[energy_storage_materials]" in l)
    assert child.startswith("  ")  # indented under its parent
    assert any("工程机械" in l and "高端工程机械" in l for l in lines)


def test_industries_by_tier_and_source(invoke):
    res = invoke("industries", "--tier", "future", "--source", "hn2026")
    names = [l.split()[0] for l in res.stdout.splitlines()]
    assert names == ["人工智能", "量子科技", "前沿材料", "生命工程"] or sorted(names) == sorted(["人工智能", "生命工程", "量子科技", "前沿材料"])


def test_sources_lists_the_five_documents(invoke):
    res = invoke("sources")
    assert res.exit_code == 0
    for sid in ("hn2023", "hn2021sei", "hn2026", "hn2013", "cs2021"):
        assert sid in res.stdout


def test_layouts_lists_schemes_and_parts(invoke):
    res = invoke("layouts")
    assert "三带四区" in res.stdout and "corridor" in res.stdout and "岳益常工业经济走廊" in res.stdout


def test_geocode_json(invoke):
    res = invoke("geocode", "麓谷")
    data = json.loads(res.stdout)
    assert data["id"] == "changsha_hitech" and data["matched_by"] == "alias"
    assert 112 < data["lon"] < 114


def test_geocode_pinyin_and_layout_zone(invoke):
    from shapely.geometry import Point

    from hunan_map.geo import boundaries

    data = json.loads(invoke("geocode", "liuyang").stdout)
    assert (data["kind"], data["id"], data["name"], data["matched_by"]) == ("county", "430181", "浏阳市", "pinyin")
    data = json.loads(invoke("geocode", "长株潭地区").stdout)
    assert (data["kind"], data["id"], data["precision"]) == ("zone", "sdsq_cztz", "prefecture")
    # the zone's point lies in one of its three prefectures
    prefs = boundaries.prefectures()
    inside = prefs[prefs.contains(Point(data["lon"], data["lat"]))]["name"].tolist()
    assert inside and inside[0] in {"长沙市", "株洲市", "湘潭市"}


def test_geocode_unknown_is_error_with_candidates(invoke):
    res = invoke("geocode", "长纱市")
    assert res.exit_code == 1 and "长沙市" in res.stderr


def test_matrix_csv(invoke, tmp_path):
    res = invoke("matrix", "--entity", "clusters")
    df = pd.read_csv(io.StringIO(res.stdout), index_col=0)
    assert df.loc["特高压输变电装备", "衡阳"] == 1
    out = tmp_path / "m.csv"
    assert invoke("matrix", "-o", out).exit_code == 0
    assert pd.read_csv(out, index_col=0).loc["先进储能材料", "长沙"] == 4


def test_matrix_bad_axis_is_usage_error(invoke):
    assert invoke("matrix", "--by", "planet").exit_code == 2


def test_geocode_refuses_an_unknown_or_wrong_prefecture(invoke):
    res = invoke("geocode", "长沙", "--prefecture", "北京")
    assert res.exit_code == 2 and "--prefecture" in res.stderr and res.stdout == ""
    res = invoke("geocode", "长沙", "--prefecture", "长沙县")
    assert res.exit_code == 2 and "not one of Hunan's 14 prefectures" in res.stderr
    res = invoke("geocode", "长沙县", "--prefecture", "株洲")
    assert res.exit_code == 1 and "no place named '长沙县' in 株洲市" in res.stderr
    res = invoke("geocode", "长沙县", "--prefecture", "长沙")
    assert res.exit_code == 0 and json.loads(res.stdout)["id"] == "430121"


def test_industries_bad_tier_or_source_is_usage_error(invoke):
    res = invoke("industries", "--tier", "legendary")
    assert res.exit_code == 2 and "--tier" in res.stderr
    res = invoke("industries", "--source", "hn1999")
    assert res.exit_code == 2 and "--source" in res.stderr


def test_matrix_output_is_not_replaced_without_overwrite(invoke, tmp_path):
    out = tmp_path / "m.csv"
    out.write_text("keep", encoding="utf-8")
    res = invoke("matrix", "-o", out)
    assert res.exit_code == 1 and "use --overwrite" in res.stderr
    assert out.read_text(encoding="utf-8") == "keep"
    assert invoke("matrix", "-o", out, "--overwrite").exit_code == 0
    assert out.read_text(encoding="utf-8").startswith("industry") or "," in out.read_text(encoding="utf-8")
