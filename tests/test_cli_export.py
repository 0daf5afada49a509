"""`hunan-map export`: every format read back with GDAL (pyogrio), Chinese attributes intact."""

from __future__ import annotations

import json

import pyogrio
import pytest
import shapely

from hunan_map import layers

HUNAN = (108.7, 24.6, 114.3, 30.2)


def inside_hunan(lon, lat) -> bool:
    return HUNAN[0] <= lon <= HUNAN[2] and HUNAN[1] <= lat <= HUNAN[3]


def test_parks_geojson_is_rfc7946_with_the_required_properties(invoke, tmp_path):
    out = tmp_path / "parks.geojson"
    res = invoke("export", "parks", "-o", out)
    assert res.exit_code == 0, res.output
    data = json.loads(out.read_text(encoding="utf-8"))
    assert data["type"] == "FeatureCollection" and "crs" not in data
    feats = data["features"]
    assert len(feats) == len(layers.parks())
    by_name = {f["properties"]["name"]: f for f in feats}
    hitech = by_name["长沙高新区"]["properties"]
    assert hitech["full_name"] == "长沙高新技术产业开发区"
    assert hitech["city"] == "长沙市" and hitech["county"] == "岳麓区"
    assert isinstance(hitech["industries"], list) and "先进储能材料" in hitech["industries"]
    assert all(k in hitech for k in ("id", "name", "full_name", "industries", "city", "county", "sources"))
    for f in feats:
        lon, lat = f["geometry"]["coordinates"]
        assert inside_hunan(lon, lat)
        assert len(str(lon).split(".")[-1]) <= 6


def test_ai_filter_returns_exactly_the_changsha_ai_carriers(invoke, tmp_path):
    out = tmp_path / "ai.geojson"
    assert invoke("export", "parks", "--industry", "人工智能", "-o", out).exit_code == 0
    names = {f["properties"]["name"] for f in json.loads(out.read_text(encoding="utf-8"))["features"]}
    assert names == {"长沙高新区", "天心经开区", "雨花经开区"}


def test_energy_storage_filter_and_new_materials_descendants(invoke, tmp_path):
    a, b = tmp_path / "a.geojson", tmp_path / "b.geojson"
    assert invoke("export", "parks", "--industry", "先进储能材料", "-o", a).exit_code == 0
    assert invoke("export", "parks", "--industry", "新材料", "-o", b).exit_code == 0
    esm = {f["properties"]["id"] for f in json.loads(a.read_text(encoding="utf-8"))["features"]}
    nm = {f["properties"]["id"] for f in json.loads(b.read_text(encoding="utf-8"))["features"]}
    assert esm == {"changsha_hitech", "wangcheng_etdz", "ningxiang_etdz", "ningxiang_hitech"}
    alloys = set(layers.parks(industry="新型合金")["id"])
    assert esm | alloys <= nm


def test_polygons_are_counter_clockwise(invoke, tmp_path):
    out = tmp_path / "zones.geojson"
    assert invoke("export", "zones", "--layout", "三带四区", "-o", out).exit_code == 0
    data = json.loads(out.read_text(encoding="utf-8"))
    assert len(data["features"]) == 4
    for f in data["features"]:
        geom = shapely.geometry.shape(f["geometry"])
        polys = getattr(geom, "geoms", [geom])
        assert all(p.exterior.is_ccw for p in polys)


def test_geopackage_with_every_layer_reads_back_in_gdal(invoke, tmp_path):
    out = tmp_path / "hunan.gpkg"
    res = invoke("export", "all", "-o", out)
    assert res.exit_code == 0, res.output
    names = [n for n, _ in pyogrio.list_layers(out)]
    assert names == ["parks", "platforms", "clusters", "zones", "corridors", "prefectures", "counties", "layer_styles",
                     "facts", "industries"]
    parks = pyogrio.read_dataframe(out, layer="parks")
    assert len(parks) == len(layers.parks())
    row = parks[parks["id"] == "changsha_hitech"].iloc[0]
    assert row["name"] == "长沙高新区" and "先进储能材料" in row["industries"].split(";")
    assert len(pyogrio.read_dataframe(out, layer="counties")) == 122
    assert len(pyogrio.read_dataframe(out, layer="prefectures")) == 14
    assert pyogrio.read_info(out, layer="parks")["crs"] == "EPSG:4326"


def test_shapefile_is_utf8_with_cpg_and_short_field_names(invoke, tmp_path):
    out = tmp_path / "parks.shp"
    assert invoke("export", "parks", "-o", out).exit_code == 0
    assert (tmp_path / "parks.cpg").read_text().strip().upper().replace("-", "") == "UTF8"
    df = pyogrio.read_dataframe(out)
    assert all(len(c) <= 10 for c in df.columns)
    assert "pref_code" in df.columns and "industries" in df.columns
    assert set(df["name"]) >= {"长沙高新区", "浏阳经开区"}


def test_kml_reads_back(invoke, tmp_path):
    out = tmp_path / "parks.kml"
    assert invoke("export", "parks", "-o", out).exit_code == 0
    df = pyogrio.read_dataframe(out)
    assert len(df) == len(layers.parks())
    assert "长沙高新区" in set(df["Name"] if "Name" in df.columns else df["name"])


def test_csv_points_have_lon_lat_and_polygons_wkt(invoke, tmp_path):
    import pandas as pd

    pts, polys = tmp_path / "p.csv", tmp_path / "z.csv"
    assert invoke("export", "parks", "-o", pts).exit_code == 0
    assert invoke("export", "zones", "-o", polys).exit_code == 0
    p = pd.read_csv(pts)
    assert {"lon", "lat"} <= set(p.columns) and len(p) == len(layers.parks())
    z = pd.read_csv(polys)
    assert z["wkt"].str.startswith(("POLYGON", "MULTIPOLYGON")).all()


def test_cgcs2000_and_gcj02_output(invoke, tmp_path):
    a, g = tmp_path / "a.gpkg", tmp_path / "g.gpkg"
    assert invoke("export", "parks", "--crs", "EPSG:4490", "-o", a).exit_code == 0
    assert pyogrio.read_info(a, layer="parks")["crs"] == "EPSG:4490"
    assert invoke("export", "parks", "--crs", "gcj02", "-o", g).exit_code == 0
    w = pyogrio.read_dataframe(a, layer="parks").set_index("id").geometry
    s = pyogrio.read_dataframe(g, layer="parks").set_index("id").geometry
    shift = w.loc["changsha_hitech"].distance(s.loc["changsha_hitech"])
    assert 0.003 < shift < 0.008  # degrees: the GCJ-02 offset in Hunan


def test_geojson_with_other_crs_is_refused(invoke, tmp_path):
    res = invoke("export", "parks", "--crs", "gcj02", "-o", tmp_path / "g.geojson")
    assert res.exit_code == 2
    assert "WGS84 by definition" in res.stderr and not (tmp_path / "g.geojson").exists()


def test_existing_output_is_not_replaced_without_overwrite(invoke, tmp_path):
    out = tmp_path / "parks.geojson"
    out.write_text("keep me", encoding="utf-8")
    res = invoke("export", "parks", "-o", out)
    assert res.exit_code == 1
    assert "--overwrite" in res.stderr
    assert out.read_text(encoding="utf-8") == "keep me"
    assert invoke("export", "parks", "-o", out, "--overwrite").exit_code == 0
    assert out.read_text(encoding="utf-8").startswith("{")
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".hunan-map-")]


def test_unknown_layer_is_usage_error(invoke, tmp_path):
    res = invoke("export", "factories", "-o", tmp_path / "x.geojson")
    assert res.exit_code == 2


def test_unknown_industry_is_usage_error_with_suggestion(invoke, tmp_path):
    res = invoke("export", "parks", "--industry", "新材科", "-o", tmp_path / "x.geojson")
    assert res.exit_code == 2
    assert "--industry" in res.stderr and "did you mean" in res.stderr and "新材料" in res.stderr
    assert "Traceback" not in res.output
    assert not (tmp_path / "x.geojson").exists()


def test_corridor_buffer_width(invoke, tmp_path):
    out = tmp_path / "c.geojson"
    assert invoke("export", "corridors", "--layout", "三带四区", "--width", "20", "-o", out).exit_code == 0
    data = json.loads(out.read_text(encoding="utf-8"))
    assert {f["geometry"]["type"] for f in data["features"]} <= {"Polygon", "MultiPolygon"}
    assert all(f["properties"]["width_km"] == 20 for f in data["features"])


def test_unknown_suffix_asks_for_format(invoke, tmp_path):
    res = invoke("export", "parks", "-o", tmp_path / "parks.xyz")
    assert res.exit_code == 1 and "--format" in res.stderr


def test_geoparquet_reads_back(invoke, tmp_path):
    pytest.importorskip("pyarrow")
    import geopandas as gpd

    out = tmp_path / "zones.parquet"
    assert invoke("export", "zones", "-o", out).exit_code == 0
    back = gpd.read_parquet(out)
    assert back.crs.to_epsg() == 4326
    assert len(back) == len(layers.zones())
    assert "洞庭湖生态经济区" in set(back["name"])
    assert back.is_valid.all()


@pytest.mark.parametrize("value", ["nan", "inf", "-1", "0", "1e9", "201"])
def test_width_is_range_checked(invoke, tmp_path, value):
    out = tmp_path / "c.geojson"
    res = invoke("export", "corridors", "--width", value, "-o", out)
    assert res.exit_code == 2
    assert "--width" in res.stderr and "at most 200" in res.stderr
    assert not out.exists()


def test_width_in_the_library_is_range_checked():
    from hunan_map.geo.errors import RangeError

    for bad in (float("nan"), -1.0, 1e9):
        with pytest.raises(RangeError, match="width"):
            layers.corridors(width_km=bad)


@pytest.mark.parametrize("command", [("export", "overlay", "--aggregate", "-o", "{out}/o.gpkg"),
                                     ("render", "-o", "{out}/m.html")])
@pytest.mark.parametrize("value", ["nan", "-5", "0", "1e9"])
def test_hex_km_is_range_checked(invoke, tmp_path, command, value):
    csv = tmp_path / "p.csv"
    csv.write_text("name,lon,lat\nA,112.9,28.2\n", encoding="utf-8")
    out = tmp_path / "out"
    out.mkdir()
    res = invoke(*[a.format(out=out) for a in command], "--overlay", csv, "--hex-km", value)
    assert res.exit_code == 2
    assert "--hex-km" in res.stderr
    assert list(out.iterdir()) == []


FILTERS = [("--industry", "新材科"), ("--tier", "legendary"), ("--source", "hn1999"), ("--place", "北京"),
           ("--layout", "五带六区"), ("--year", "1999")]


@pytest.mark.parametrize("option,value", FILTERS)
@pytest.mark.parametrize("command", [("export", "parks", "-o", "{out}/p.geojson"), ("render", "-o", "{out}/m.html"),
                                     ("query", "parks"), ("matrix",)])
def test_bad_filter_values_are_usage_errors_everywhere(invoke, tmp_path, command, option, value):
    out = tmp_path / "out"
    out.mkdir()
    res = invoke(*[a.format(out=out) for a in command], option, value)
    assert res.exit_code == 2, (command, option, res.output)
    assert option in res.stderr and "Traceback" not in res.output and res.stdout == ""
    assert list(out.iterdir()) == []
