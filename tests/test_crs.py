"""GCJ-02 / BD-09 transforms: published reference pairs, an independent implementation, round trips."""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pytest
import shapely
from pyproj import Geod

from hunan_map.geo import crs

GEOD = Geod(ellps="WGS84")


def metres(lon1, lat1, lon2, lat2) -> np.ndarray:
    return GEOD.inv(lon1, lat1, lon2, lat2)[2]


# Reference pairs published in the README of the coordtransform package (wandergis/coordtransform).
@pytest.mark.parametrize("func, inp, expected", [
    (crs.wgs84_to_gcj02, (116.404, 39.915), (116.41024449916938, 39.91640428150164)),
    (crs.gcj02_to_bd09, (116.404, 39.915), (116.41036949371029, 39.92133699351021)),
    (crs.bd09_to_gcj02, (116.404, 39.915), (116.39762729119315, 39.90865673957631)),
])
def test_reference_pairs(func, inp, expected):
    lon, lat = func(*inp)
    assert float(lon) == pytest.approx(expected[0], abs=1e-9)
    assert float(lat) == pytest.approx(expected[1], abs=1e-9)


def hunan_points(n=2000, seed=7):
    rng = np.random.default_rng(seed)
    return rng.uniform(108.8, 114.2, n), rng.uniform(24.7, 30.1, n)


def test_forward_matches_prcoords_in_hunan():
    prcoords = pytest.importorskip("prcoords")
    lon, lat = hunan_points(200)
    glon, glat = crs.wgs84_to_gcj02(lon, lat)
    for i in range(len(lon)):
        ref = prcoords.wgs_gcj((lat[i], lon[i]))
        assert glon[i] == pytest.approx(ref.lon, abs=1e-9)
        assert glat[i] == pytest.approx(ref.lat, abs=1e-9)


def test_shift_in_hunan_is_hundreds_of_metres():
    lon, lat = hunan_points()
    glon, glat = crs.wgs84_to_gcj02(lon, lat)
    d = metres(lon, lat, glon, glat)
    assert d.min() > 300 and d.max() < 800


def test_gcj02_round_trip_within_half_a_metre_everywhere_in_hunan():
    lon, lat = hunan_points()
    back = crs.gcj02_to_wgs84(*crs.wgs84_to_gcj02(lon, lat))
    assert metres(lon, lat, *back).max() < 0.5
    assert metres(lon, lat, *back).max() < 0.001  # in practice the iteration is far better


def test_bd09_round_trip_within_half_a_metre():
    lon, lat = hunan_points(500)
    back = crs.bd09_to_wgs84(*crs.wgs84_to_bd09(lon, lat))
    assert metres(lon, lat, *back).max() < 0.5


def test_outside_china_is_identity():
    lon, lat = crs.wgs84_to_gcj02([2.35, -74.0], [48.85, 40.7])
    assert list(lon) == [2.35, -74.0] and list(lat) == [48.85, 40.7]
    lon, lat = crs.gcj02_to_wgs84([2.35], [48.85])
    assert list(lon) == [2.35]


def test_whole_geodataframe_round_trip_keeps_shape_and_labels_crs():
    poly = shapely.Polygon([(112.9, 28.1), (113.1, 28.1), (113.1, 28.3), (112.9, 28.3)])
    gdf = gpd.GeoDataFrame({"name": ["box"]}, geometry=[poly], crs="EPSG:4326")
    gcj = crs.from_wgs84(gdf, target="GCJ-02")
    assert not gcj.geometry.iloc[0].equals(poly)
    back = crs.to_wgs84(gcj, source="gcj02")
    assert back.crs.to_epsg() == 4326
    assert back.geometry.iloc[0].equals_exact(poly, tolerance=1e-8)


def test_cgcs2000_goes_through_pyproj():
    gdf = gpd.GeoDataFrame(geometry=[shapely.Point(112.98, 28.2)], crs="EPSG:4326")
    out = crs.from_wgs84(gdf, target="cgcs2000")
    assert out.crs.to_epsg() == 4490
    assert out.geometry.iloc[0].x == pytest.approx(112.98, abs=1e-6)


def test_unknown_crs_names_the_accepted_ones():
    with pytest.raises(ValueError, match="GCJ02"):
        crs.canonical_crs("mars-2")


def test_gauss_kruger_zones_are_named_for_their_central_meridians():
    from pyproj import CRS

    for code, cm in crs.GAUSS_KRUGER.items():
        assert CRS.from_user_input(code).name == f"CGCS2000 / 3-degree Gauss-Kruger {cm}"
    assert crs.GAUSS_KRUGER["EPSG:4546"] == "CM 111E"


def hunan_outline():
    from hunan_map import layers

    return shapely.union_all(layers.layer("prefectures").geometry.values)


def test_distances_agree_with_geodesics_within_005_percent_across_hunan():
    """Pairs of points anywhere in Hunan, 1-600 km apart: the distance projection vs pyproj.Geod."""
    from pyproj import Transformer

    hunan = hunan_outline()
    lon, lat = hunan_points(6000, seed=11)
    keep = shapely.contains_xy(hunan, lon, lat)
    lon, lat = lon[keep], lat[keep]
    half = len(lon) // 2
    a, b = slice(0, half), slice(half, 2 * half)
    geodesic = Geod(ellps="GRS80").inv(lon[a], lat[a], lon[b], lat[b])[2]
    x, y = Transformer.from_crs(crs.WGS84, crs.DISTANCE, always_xy=True).transform(lon, lat)
    planar = np.hypot(x[a] - x[b], y[a] - y[b])
    near = geodesic > 1000
    error = np.abs(planar[near] / geodesic[near] - 1)
    assert near.sum() > 1000 and error.max() < 0.0005
    # the old choice (EPSG:4545, CM 108E) is off by more than that: the test can tell them apart
    x, y = Transformer.from_crs(crs.WGS84, "EPSG:4545", always_xy=True).transform(lon, lat)
    assert np.abs(np.hypot(x[a] - x[b], y[a] - y[b])[near] / geodesic[near] - 1).max() > 0.002


def test_corridor_buffer_width_is_geodesic_within_005_percent():
    """A 20 km wide corridor buffer: its round caps are 10 km (geodesic) from the line's ends, and no
    part of its edge is nearer than that to any vertex of the line."""
    from hunan_map import layers

    lines = layers.layer("corridors")
    buffers = layers.layer("corridors", width_km=20)
    geod = Geod(ellps="GRS80")
    for line, poly in zip(lines.geometry, buffers.geometry):
        edge = np.vstack([shapely.get_coordinates(p.exterior) for p in getattr(poly, "geoms", [poly])])
        verts = shapely.get_coordinates(line)
        d = np.array([geod.inv(np.full(len(verts), x), np.full(len(verts), y), verts[:, 0], verts[:, 1])[2].min()
                      for x, y in edge])
        assert d.min() > 10_000 * (1 - 0.0005)
        assert (np.abs(d / 10_000 - 1) < 0.0005).sum() >= 8  # the vertices of the caps
