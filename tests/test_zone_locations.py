"""The catalogue zones' locations (zone_locations.csv), the town gazetteer and geocoding towns."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pandas as pd
import pytest
import shapely
from pyproj import Geod

from hunan_map.geo import boundaries
from hunan_map.geo.crs import gcj02_to_wgs84
from hunan_map.geo.errors import AmbiguousPlaceError
from hunan_map.geo.gazetteer import Gazetteer
from hunan_map.geo.towns import short_name, towns
from hunan_map.layers import context, gazetteer
from hunan_map.layers.kb import default_data_dir

GEOD = Geod(ellps="WGS84")
#: The town gazetteer towns.csv is built from (../shared/reference next to the worktrees), if present.
REFERENCE = next((p / "shared" / "reference" / "hunan-towns-nbs2016.csv" for p in Path(__file__).resolve().parents
                  if (p / "shared" / "reference" / "hunan-towns-nbs2016.csv").is_file()), None)


@pytest.fixture(scope="module")
def ctx():
    return context()


def _km(a, b) -> float:
    return GEOD.inv(a.x, a.y, b.x, b.y)[2] / 1000


def _town(name: str, county: str):
    t = towns()
    row = t[(t["name"] == name) & (t["county_adcode"] == county)]
    assert len(row) == 1, (name, county)
    return row.geometry.iloc[0]


def test_every_zone_point_lies_in_its_county_and_every_better_one_cites_evidence(ctx):
    zl = ctx.kb.zone_locations
    parks = ctx.kb.parks.set_index("id")
    counties = dict(zip(ctx.geo.counties["adcode"], ctx.geo.counties.geometry))
    prefs = dict(zip(ctx.geo.prefectures["adcode"], ctx.geo.prefectures.geometry))
    codes = set(parks.loc[parks["catalogue_code"] != "", "catalogue_code"])
    assert len(codes) == 129 and set(zl.loc[zl["seq"] == 1, "catalogue_code"]) == codes
    for row in zl.itertuples():
        point = shapely.Point(row.lon, row.lat)
        park = parks.loc[row.park]
        if row.county_adcode:
            assert counties[row.county_adcode].covers(point), (row.park, row.place)
            assert row.county_adcode in {park.county_adcode, *park.other_county_adcodes.split(";")}, row.park
        else:
            assert row.precision == "prefecture" and prefs[park.prefecture_adcode].covers(point), row.park
        if row.precision not in ("county", "prefecture", "approximate"):
            assert row.evidence and row.evidence_source and row.searched == "yes", (row.park, row.place)
    # the point every park of a zone is drawn at is its zone's first site, and it lies in its county
    first = zl[zl["seq"] == 1].set_index("catalogue_code")
    for pid, park in parks[parks["catalogue_code"] != ""].iterrows():
        site = first.loc[park.catalogue_code]
        drawn = ctx.geo.park_points[pid]
        assert park.precision == site.precision, pid
        assert _km(drawn, shapely.Point(site.lon, site.lat)) < 0.01 or site.precision in ("county", "prefecture"), pid
        assert counties[park.county_adcode].covers(drawn) if park.county_adcode else prefs[
            park.prefecture_adcode].covers(drawn), pid


def test_no_more_than_the_goal_left_at_county_or_prefecture(ctx):
    zl = ctx.kb.zone_locations
    first = zl[zl["seq"] == 1]
    left = first["precision"].isin(["county", "prefecture"]).sum()
    better = first["precision"].isin(["site", "town", "seat"]).sum()
    assert better >= 70 and left <= 60 and left + better + (first["precision"] == "approximate").sum() == 129
    assert (zl["searched"] == "yes").sum() >= better  # and the table says which were searched
    # every zone still at county or prefecture precision was searched, and says so
    assert (first.loc[first["precision"].isin(["county", "prefecture"]), "searched"] == "yes").all()


def test_every_cited_site_says_how_strong_its_evidence_is(ctx):
    zl = ctx.kb.zone_locations
    cited = zl[zl["precision"].isin(["site", "town", "seat"])]
    assert set(cited["evidence_strength"]) == {"strong", "weak"}
    assert (zl.loc[zl["evidence"] == "", "evidence_strength"] == "").all()
    # both kinds are common: the table does not call everything strong
    counts = cited["evidence_strength"].value_counts()
    assert counts["strong"] >= 30 and counts["weak"] >= 15
    # approximate points that evidence now names a town for keep their point and cite the town
    lugu = zl[zl["park"] == "changsha_hitech"].iloc[0]
    assert lugu["precision"] == "approximate" and "麓谷" in lugu["place"] and lugu["evidence_source"]


def test_zones_once_known_only_to_their_city_have_a_county_from_evidence(ctx):
    parks = ctx.kb.parks.set_index("id")
    zl = ctx.kb.zone_locations.set_index(["park", "seq"])
    for pid, county in [("shaoyang_ez", "430511"), ("chenzhou_ez", "431002"), ("huaihua_hitech", "431221")]:
        assert parks.at[pid, "county_adcode"] == county == zl.loc[(pid, 1), "county_adcode"]
        assert ctx.geo.counties.set_index("adcode").at[county, "geometry"].covers(ctx.geo.park_points[pid])


@pytest.mark.parametrize("park, town, county", [
    ("changsha_huanghua_cbz", "黄花镇", "430121"),
    ("muyun_ez", "暮云街道", "430103"),
    ("shuikoushan_ez", "水口山镇", "430482"),
    ("hengdong_ez", "新塘镇", "430424"),
])
def test_the_four_named_zones_are_within_a_few_km_of_their_towns(ctx, park, town, county):
    point = ctx.geo.park_points[park]
    seat = ctx.geo.seat_points[county]
    assert _km(point, _town(town, county)) < 3
    assert _km(seat, _town(town, county)) > 5  # the seat they used to be drawn at is well away


def test_a_zone_with_two_sites_has_both(ctx):
    zl = ctx.kb.zone_locations
    qidong = zl[zl["park"] == "qidong_ez"].sort_values("seq")
    assert list(qidong["seq"]) == [1, 2]
    assert _km(shapely.Point(qidong["lon"].iloc[1], qidong["lat"].iloc[1]), _town("归阳镇", "430426")) < 0.1


def test_towns_are_wgs84_converted_with_our_conversion_and_inside_their_counties():
    t = towns()
    assert len(t) > 1700 and t.crs.to_epsg() == 4326
    counties = boundaries.counties().set_index("adcode")
    assert all(counties.at[c, "geometry"].covers(g) for c, g in zip(t["county_adcode"], t.geometry))
    if REFERENCE is None:
        pytest.skip("reference gazetteer not present")
    ref = pd.read_csv(REFERENCE, dtype=str, keep_default_na=False)
    row = ref[ref["name"] == "易俗河镇"].iloc[0]
    lon, lat = gcj02_to_wgs84(float(row["lon_gcj02"]), float(row["lat_gcj02"]))
    ours = t[t["code"] == row["code"]].iloc[0]
    assert abs(ours["lon"] - float(lon)) < 1e-5 and abs(ours["lat"] - float(lat)) < 1e-5


def test_geocode_a_town(invoke):
    res = invoke("geocode", "易俗河镇")
    assert res.exit_code == 0, res.output
    out = json.loads(res.stdout)
    assert (out["kind"], out["name"], out["county_adcode"], out["precision"]) == ("town", "易俗河镇", "430321", "town")
    county = boundaries.counties().set_index("adcode").at["430321", "geometry"]
    assert county.covers(shapely.Point(out["lon"], out["lat"]))  # WGS84: inside 湘潭县's polygon


def test_county_and_park_names_win_over_towns_of_the_same_name(ctx):
    gaz = gazetteer(ctx)
    t = towns()
    assert gaz.geocode("西渡镇").kind == "town" and gaz.geocode("西渡").kind == "town"
    # towns whose name without 镇/乡 is a county's short name (e.g. 花垣镇 -> 花垣): the county wins
    plain = Gazetteer(towns=True)
    clashes = [r for r in boundaries.counties().itertuples() if (t["name"].map(short_name) == r.short_name).any()]
    assert clashes
    for row in clashes:
        assert plain.geocode(row.short_name).kind == "county", row.short_name
    # a park name wins over the town it is named after: 暮云经开区 stays a park, 暮云街道 a town
    assert gaz.geocode("暮云经开区").kind == "park"
    assert gaz.geocode("暮云街道").kind == "town"
    # two towns of one name are ambiguous until qualified by the prefecture
    with pytest.raises(AmbiguousPlaceError):
        gaz.geocode("水口山镇")
    assert gaz.geocode("衡阳/水口山镇").county_adcode == "430482"


def test_near_a_town(invoke):
    res = invoke("query", "parks", "--near", "黄花镇", "--km", "5", "--format", "json")
    assert res.exit_code == 0, res.output
    rows = json.loads(res.stdout)
    ids = {r["id"] for r in rows}
    assert "changsha_huanghua_cbz" in ids and all(r["distance_km"] <= 5 for r in rows)


def test_place_refuses_a_town_with_a_hint(invoke):
    res = invoke("query", "parks", "--place", "易俗河镇")
    assert res.exit_code == 2 and "--near" in res.output and "湘潭县" in res.output


def test_query_and_exports_carry_precision_and_evidence(invoke, tmp_path):
    res = invoke("query", "parks", "--source", "cat2018", "--format", "json")
    assert res.exit_code == 0, res.output
    rows = {r["id"]: r for r in json.loads(res.stdout)}
    assert len(rows) == 129  # every catalogue zone (document parks joined to one too)
    hd = rows["hengdong_ez"]
    assert hd["precision"] == "town" and hd["site"] == "新塘镇" and hd["evidence"] and hd["evidence_source"]
    csv_out = invoke("query", "parks", "--source", "cat2018", "--format", "csv")
    header = csv_out.stdout.splitlines()[0].split(",")
    assert {"precision", "site", "evidence", "evidence_source"} <= set(header)
    import pyogrio

    out = tmp_path / "parks.gpkg"
    res = invoke("export", "parks", "-o", str(out), "--source", "cat2018")
    assert res.exit_code == 0, res.output
    frame = pyogrio.read_dataframe(out)
    got = frame.set_index("id").loc["shuikoushan_ez"]
    assert got["precision"] == "town" and got["evidence_source"]


@pytest.mark.parametrize("lang, key, weak_word", [("zh", "位置依据", "依据较弱"), ("en", "Location evidence", "weak evidence")])
def test_the_popup_shows_the_evidence_and_its_strength(ctx, lang, key, weak_word):
    from hunan_map import maps
    from hunan_map.maps.render import MapOptions

    html = maps.render_html(ctx, MapOptions(lang=lang))
    data = json.loads(re.search(r'<script type="application/json" id="hunan-data">(.*?)</script>', html, re.S).group(1))
    feats = {f["id"]: f for la in data["layers"] if la["id"] in ("parks", "catalogue") for f in la["features"]}
    rows = dict(feats["hengdong_ez"]["rows"])
    assert "http" in rows[key] and ("新塘" in rows[key]) == (lang == "en")  # the sentence is English
    parks = ctx.kb.parks.set_index("id")
    weak = [pid for pid, f in feats.items() if weak_word in dict(f["rows"]).get(key, "")]
    assert len(weak) >= 15 and all(parks.at[pid, "precision"] not in ("county", "prefecture") for pid in weak)
    assert not dict(feats["daxiang_ip"]["rows"]).get(key)  # a zone without evidence shows no evidence row


def test_validate_finds_a_bad_zone_row(invoke, tmp_path):
    data = tmp_path / "data"
    shutil.copytree(default_data_dir(), data)
    zl = pd.read_csv(data / "zone_locations.csv", dtype=str, keep_default_na=False)
    i = zl.index[zl["park"] == "hengdong_ez"][0]
    zl.loc[i, "evidence"] = ""
    j = zl.index[zl["park"] == "muyun_ez"][0]
    zl.loc[j, "lon"] = "113.5"  # moved out of 天心区
    k = zl.index[zl["park"] == "xinhuang_ip"][0]
    zl.loc[k, "evidence_strength"] = ""
    zl.to_csv(data / "zone_locations.csv", index=False)
    res = invoke("validate", "--data", str(data))
    assert res.exit_code == 1
    assert f"zone_locations.csv:{i + 2}" in res.output and "no evidence" in res.output
    assert f"zone_locations.csv:{j + 2}" in res.output and "outside county 430103" in res.output
    assert f"zone_locations.csv:{k + 2}" in res.output and "how strong its evidence is" in res.output
    assert "differs from its zone's first site" in res.output  # parks.csv no longer agrees


def test_the_readme_states_how_many_zones_are_still_at_a_seat(ctx):
    readme = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")
    said = int(re.search(r"(\d+) of the 129 zones are still drawn at", readme).group(1))
    first = ctx.kb.zone_locations[ctx.kb.zone_locations["seq"] == 1]
    assert said == first["precision"].isin(["county", "prefecture"]).sum()
