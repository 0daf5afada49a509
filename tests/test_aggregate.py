"""Aggregating large overlays: counts per county, zone and hexagon; pandas and dask agree."""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pytest
import shapely

from hunan_map import layers
from hunan_map.geo import boundaries
from hunan_map.layers.aggregate import aggregate, hex_ids, hex_polygons


def random_points(n, seed=5):
    rng = np.random.default_rng(seed)
    return gpd.GeoDataFrame(geometry=gpd.points_from_xy(rng.uniform(108.8, 114.2, n), rng.uniform(24.7, 30.1, n)),
                            crs="EPSG:4326")


def test_hexagons_contain_their_points():
    pts = random_points(500)
    q, r = hex_ids(pts.geometry.x.to_numpy(), pts.geometry.y.to_numpy(), hex_km=10)
    polys = hex_polygons(q, r, hex_km=10)
    assert shapely.covers(polys, pts.geometry.values).mean() > 0.99  # rounding to 1e-5 deg at the edges


def test_county_counts_match_a_direct_count():
    pts = random_points(3000)
    agg = aggregate(pts, counties=boundaries.counties(), zones=layers.zones())
    c = boundaries.counties().set_index("adcode")
    for row in agg.counties.head(5).itertuples():
        assert row.count == int(c.loc[row.adcode].geometry.contains(pts.geometry).sum())
    assert agg.hexes["count"].sum() == len(pts)
    inside = int(boundaries.province().geometry.iloc[0].contains(pts.geometry).sum())
    assert agg.counties["count"].sum() == inside


@pytest.mark.slow
def test_dask_engine_gives_identical_results():
    pytest.importorskip("dask_geopandas")
    pts = random_points(20_000)
    kw = {"counties": boundaries.counties(), "zones": layers.zones(), "hex_km": 8}
    a = aggregate(pts, engine="pandas", **kw)
    b = aggregate(pts, engine="dask", npartitions=4, **kw)
    assert a.counties[["adcode", "count"]].equals(b.counties[["adcode", "count"]])
    assert a.zones[["id", "count"]].equals(b.zones[["id", "count"]])
    assert a.hexes.drop(columns="geometry").equals(b.hexes.drop(columns="geometry"))


def test_export_aggregate_layers(invoke, tmp_path):
    import pyogrio

    csv = tmp_path / "p.csv"
    rng = np.random.default_rng(2)
    rows = "\n".join(f"{x:.5f},{y:.5f}" for x, y in zip(rng.uniform(111, 113, 300), rng.uniform(26, 28, 300)))
    csv.write_text("lon,lat\n" + rows + "\n", encoding="utf-8")
    out = tmp_path / "agg.gpkg"
    res = invoke("export", "overlay", "--overlay", csv, "--aggregate", "--hex-km", "20", "-o", out)
    assert res.exit_code == 0, res.output
    names = [n for n, _ in pyogrio.list_layers(out)]
    assert names == ["overlay_counties", "overlay_zones", "overlay_hexes", "layer_styles"]
    assert pyogrio.read_dataframe(out, layer="overlay_hexes")["count"].sum() == 300


def test_unknown_engine_is_usage_error(invoke, tmp_path):
    csv = tmp_path / "p.csv"
    csv.write_text("lon,lat\n112.9,28.2\n", encoding="utf-8")
    assert invoke("render", "--overlay", csv, "--engine", "spark", "-o", tmp_path / "m.html").exit_code == 2
