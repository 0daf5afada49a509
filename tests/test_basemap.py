"""The light offline basemap: rivers and lakes where they are (WGS84), named, and drawn under
everything on the page when the tiles are off or unreachable."""

from __future__ import annotations

import pytest
from shapely.geometry import Point

from hunan_map.geo import basemap, boundaries

DISTANCE = "EPSG:4545"


@pytest.fixture(scope="module")
def water():
    return basemap.water()


@pytest.fixture(scope="module")
def prefs():
    return boundaries.prefectures().set_index("short_name")


def test_basemap_lies_in_and_around_the_province(water):
    province = boundaries.province().to_crs(DISTANCE).geometry.iloc[0]
    metres = water.geometry.to_crs(DISTANCE)
    assert water.crs.to_epsg() == 4326
    assert set(water["kind"]) == {"river", "lake"}
    # every feature touches the province or lies within 60 km of it, and most of the length is inside
    assert (metres.distance(province) <= 60_000).all()
    rivers = metres[(water["kind"] == "river") & (water["level"] > 1)]  # the Yangtze is the border, mostly outside
    inside = rivers.intersection(province.buffer(1)).length.sum()
    assert inside / rivers.length.sum() > 0.8
    x0, y0, x1, y1 = water.total_bounds
    assert 107.5 < x0 < x1 < 115.5 and 23.5 < y0 < y1 < 31.0


def test_dongting_lake_is_a_polygon_near_112_9_e_29_3_n(water):
    lakes = water[water["kind"] == "lake"]
    assert (lakes.geometry.geom_type.isin(["Polygon", "MultiPolygon"])).all()
    dongting = lakes[lakes["name"].str.contains("洞庭湖")]
    assert set(dongting["name"]) == {"东洞庭湖", "西洞庭湖、南洞庭湖"}
    west = dongting[dongting["name"] != "东洞庭湖"].to_crs(DISTANCE).geometry.iloc[0]
    assert west.distance(gpd_point(112.15, 28.95)) < 2_000 and west.area > 500e6
    datong = lakes[lakes["name"] == "大通湖"].to_crs(DISTANCE).geometry.iloc[0]
    assert datong.distance(gpd_point(112.5, 29.2)) < 2_000 and datong.area < 300e6
    east = dongting[dongting["name"] == "东洞庭湖"].to_crs(DISTANCE).geometry.iloc[0]
    here = gpd_point(112.9, 29.3)
    assert east.distance(here) < 5_000
    assert east.area > 100e6  # km2 of open water at the GSHHG shoreline
    yueyang = boundaries.prefectures().set_index("adcode").to_crs(DISTANCE).geometry["430600"]
    assert yueyang.intersection(east).area / east.area > 0.9


def gpd_point(lon: float, lat: float):
    import geopandas as gpd

    return gpd.GeoSeries([Point(lon, lat)], crs="EPSG:4326").to_crs(DISTANCE).iloc[0]


@pytest.mark.parametrize("river, crosses", [
    ("湘江", ["永州", "衡阳", "株洲", "湘潭", "长沙", "岳阳"]),
    ("资水", ["邵阳", "娄底", "益阳"]),
    ("沅江", ["怀化", "湘西", "常德"]),
    ("澧水", ["张家界", "常德"]),
])
def test_rivers_cross_the_prefectures_they_flow_through(water, prefs, river, crosses):
    line = water[(water["kind"] == "river") & (water["name"] == river)].union_all()
    assert not line.is_empty
    crossed = {name for name, geom in prefs.geometry.items() if geom.intersection(line).length > 0.05}
    assert set(crosses) <= crossed, (river, crossed)
    assert "郴州" not in crossed  # none of the four flows through the south-east


def test_yangtze_runs_along_the_northern_edge(water, prefs):
    yangtze = water[water["name"] == "长江"].to_crs(DISTANCE).union_all()
    yueyang = prefs.to_crs(DISTANCE).geometry["岳阳"]
    assert yangtze.distance(yueyang) < 2_000
    assert yangtze.centroid.y > boundaries.province().to_crs(DISTANCE).geometry.iloc[0].centroid.y + 150_000


def test_every_feature_carries_its_source_and_english_names(water):
    assert water["source"].str.startswith("GSHHG").all()
    named = water[water["name"] != ""]
    assert (named["name_en"] != "").all()
    assert set(named["name"]) >= {"湘江", "资水", "沅江", "澧水", "长江"}


def test_the_bundled_file_stays_small():
    from importlib import resources

    size = (resources.files("hunan_map.geo") / "data" / "basemap.geojson").read_bytes()
    assert len(size) < 60_000


def test_page_data_carries_the_basemap_shifted_like_the_tiles(water):
    from hunan_map.geo.crs import wgs84_to_gcj02
    from hunan_map.maps.backdrop import backdrop

    plain = backdrop("zh")
    assert len(plain["water"]) == len(water) and len(plain["seats"]) == len(boundaries.seats())
    names = [w[2] for w in plain["water"] if w[4]]
    assert sorted(names) == sorted(set(water.loc[water["name"] != "", "name"]))
    assert {w[2] for w in backdrop("en")["water"]} >= {"Xiang River", "Yangtze River", "East Dongting Lake",
                                                       "West and South Dongting Lake"}
    # the packed paths add up to the basemap's own coordinates (within the 1e-4 degree step)
    import numpy as np

    for w, geom in zip(plain["water"], water.geometry):
        first = w[3][0][0] if w[0] == "lake" else w[3][0]
        latlon = np.cumsum(np.asarray(first).reshape(-1, 2), axis=0) * plain["step"]
        ring = geom.geoms[0] if hasattr(geom, "geoms") else geom
        ring = ring.exterior if w[0] == "lake" else ring
        assert np.abs(latlon[:, ::-1] - np.asarray(ring.coords)[:, :2]).max() < 1.5e-4
    shifted = backdrop("zh", shift=wgs84_to_gcj02)
    lat, lon = plain["seats"][0][:2]
    glon, glat = wgs84_to_gcj02(lon, lat)
    assert shifted["seats"][0][:2] == [round(float(glat), 4), round(float(glon), 4)]


@pytest.mark.browser
@pytest.mark.parametrize("tiles, viewport, lang", [("none", (1366, 900), "zh"), ("osm", (390, 844), "zh"),
                                                   ("osm", (1366, 900), "en")])
def test_offline_page_draws_rivers_lakes_and_seats_under_everything(open_page, tmp_path, invoke, artifacts,
                                                                    water, tiles, viewport, lang):
    out = tmp_path / "map.html"
    assert invoke("render", "-o", out, "--tiles", tiles, "--lang", lang).exit_code == 0
    assert out.stat().st_size <= 1_200_000
    page, messages, requests = open_page(out, viewport=viewport)
    page.wait_for_timeout(300)
    counts = page.evaluate("window.hunanMapBasemap")
    n_rivers = int((water["kind"] == "river").sum())
    assert counts == {"rivers": n_rivers, "lakes": len(water) - n_rivers, "seats": len(boundaries.seats()),
                      "labels": water.loc[water["name"] != "", "name"].nunique()}
    drawn = page.evaluate("document.querySelectorAll('.leaflet-hm-base-pane path').length")
    assert drawn == len(water) + len(boundaries.seats())
    z = page.evaluate("[getComputedStyle(document.querySelector('.leaflet-hm-base-pane')).zIndex,"
                      " getComputedStyle(document.querySelector('.leaflet-tile-pane')).zIndex]")
    assert int(z[0]) < int(z[1])
    # 东洞庭湖 is on screen where it belongs: its label lies near 112.9E 29.3N
    at = page.evaluate("""(() => { var m = window.hunanLeafletMap, out = null;
        document.querySelectorAll('.hm-base-water').forEach(function (e) {
          if (e.textContent === NAME) { var r = e.getBoundingClientRect();
            var ll = m.containerPointToLatLng([r.left - m.getContainer().getBoundingClientRect().left,
                                               r.top - m.getContainer().getBoundingClientRect().top]);
            out = [ll.lng, ll.lat]; } });
        return out; })()""".replace("NAME", repr("东洞庭湖" if lang == "zh" else "East Dongting Lake")))
    if viewport[0] > 1000:  # names show from zoom 7 on; the phone view opens further out
        assert at is not None and abs(at[0] - 112.9) < 0.3 and abs(at[1] - 29.3) < 0.3
    assert not [m for m in messages if m[0] in ("error", "pageerror") and "ERR_" not in m[1]]
    page.screenshot(path=str(artifacts / f"basemap_offline_{tiles}_{viewport[0]}_{lang}.png"))
