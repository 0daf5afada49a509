"""`hunan-map query`: JSON, CSV and tables on stdout; messages on stderr."""

from __future__ import annotations

import io
import json

import pandas as pd


def test_query_json_has_required_fields(invoke):
    res = invoke("query", "parks", "--industry", "新材料", "--format", "json")
    assert res.exit_code == 0
    rows = json.loads(res.stdout)
    assert {r["name"] for r in rows} >= {"长沙高新区", "宁乡高新区", "望城经开区", "宁乡经开区"}
    for r in rows:
        assert {"id", "name", "industries", "city"} <= set(r)
        assert isinstance(r["industries"], list) and r["city"].endswith(("市", "州"))
    assert {r["city"] for r in rows if r["name"] in {"长沙高新区", "宁乡高新区"}} == {"长沙市"}


def test_query_csv_parses(invoke):
    res = invoke("query", "clusters", "--source", "hn2021sei", "--format", "csv")
    assert res.exit_code == 0
    df = pd.read_csv(io.StringIO(res.stdout))
    assert "株洲轨道交通装备产业集群" in set(df["name"])
    assert (df["sources"].str.contains("hn2021sei")).all()


def test_query_table_and_count(invoke):
    res = invoke("query", "zones", "--layout", "三带四区")
    assert res.exit_code == 0
    assert "三带四区" in res.stdout and "4 zones" in res.stdout


def test_query_facts_long_form(invoke):
    res = invoke("query", "facts", "--industry", "人工智能", "--source", "cs2021", "--format", "json")
    rows = json.loads(res.stdout)
    carriers = {r["entity_name"] for r in rows if r["role"] == "carrier"}
    assert carriers == {"长沙高新区", "天心经开区", "雨花经开区"}
    assert all(r["section"] for r in rows)


def test_query_unknown_place_is_usage_error_with_suggestions(invoke):
    res = invoke("query", "parks", "--place", "长纱")
    assert res.exit_code == 2
    assert "--place" in res.stderr and "did you mean" in res.stderr and res.stdout == ""


def test_bad_format_is_usage_error(invoke):
    assert invoke("query", "parks", "--format", "xml").exit_code == 2


def test_count_goes_to_stderr_and_empty_results_are_valid_json(invoke):
    res = invoke("query", "parks", "--tier", "traditional", "--format", "json")
    assert res.exit_code == 0
    assert json.loads(res.stdout) == []
    assert "0 parks" in res.stderr


def test_parks_near_a_place_and_park_zones(invoke):
    res = invoke("query", "parks", "--near", "长沙高新区", "--km", "12", "--format", "json")
    rows = json.loads(res.stdout)
    assert rows[0]["id"] == "changsha_hitech" and rows[0]["distance_km"] == 0
    assert all(r["distance_km"] <= 12 for r in rows)
    res = invoke("query", "park-zones", "--industry", "人工智能", "--format", "json")
    rows = json.loads(res.stdout)
    assert {r["park_id"] for r in rows} == {"changsha_hitech", "tianxin_etdz", "yuhua_etdz"}
    assert any(r["part"] == "长株潭地区" and r["relation"] == "in" for r in rows)
    assert invoke("query", "zones", "--near", "长沙").exit_code == 2


def test_km_is_range_checked(invoke):
    for value in ("nan", "-1", "0", "1e9", "inf"):
        res = invoke("query", "parks", "--near", "长沙高新区", "--km", value)
        assert res.exit_code == 2, value
        assert "--km" in res.stderr and res.stdout == ""
    res = invoke("query", "park-zones", "--km", "-3")
    assert res.exit_code == 2 and "--km" in res.stderr


def test_unknown_near_place_is_usage_error(invoke):
    res = invoke("query", "parks", "--near", "长纱高新区")
    assert res.exit_code == 2 and "--near" in res.stderr and res.stdout == ""
