"""Build the bundled light basemap (geo/data/basemap.geojson): Hunan's main rivers and lakes.

Run once after changing the recipe (needs Debian's ``gmt`` and ``gmt-gshhg-high``):
``apt-get install gmt gmt-gshhg-high && python scripts/build_basemap.py``. The runtime never
needs GMT or the network.

Recipe
------
1. Rivers from GSHHG's WDBII river database (WGS84) in the box 108.2-114.8 E, 24.1-30.7 N:
   ``gmt coast -Dh -I1 -M`` (level 1: permanent major rivers: the Yangtze), ``-I2`` (additional
   major rivers: 湘江 and 沅江) and ``-I3`` (additional rivers: 资水, 澧水 and the larger
   tributaries). GMT cuts every line into 1-degree bins; the pieces are merged back with
   ``shapely.line_merge``.
2. Lakes from GSHHG's level-2 shorelines (``gmt coast -Dh -W2 -M``): the bin pieces are merged
   and closed into polygons with ``shapely.polygonize``; lakes of at least 10 km2 are kept.
3. Clip to the province buffered by 25 km (the Yangtze and lakes by 60 km), simplify (rivers
   0.004 deg, lakes 0.002 deg, about 400 m and 200 m), drop river pieces shorter than 15 km,
   round to 4 decimals (about 10 m).
4. Names. WDBII carries no names, so each river line is named by matching it to the known
   course of a main river, written as the chain of county seats it flows past (seats from
   ``geo/data/seats.csv``, in order downstream, see ``COURSES``): a line takes the name of the
   course that it passes within 12 km of at least 70 % of the seats of, or that at least 70 %
   of its vertices lie within 12 km of; level 1 is 长江. A lake takes the names in ``LAKES``
   whose reference point (approximate, external) it is the nearest lake to, within 5 km
   (东洞庭湖; 西洞庭湖 and 南洞庭湖 are one polygon at GSHHG's shoreline; 大通湖; 洪湖); other
   lakes stay unnamed.
5. Write one GeoJSON FeatureCollection with properties ``kind`` (river, lake), ``level``
   (WDBII / GSHHG level), ``name``, ``name_en``, ``source``.

Licence: GSHHG is released under the GNU Lesser General Public License (see NOTICE).
"""

from __future__ import annotations

import csv
import json
import subprocess
import sys
from pathlib import Path

import geopandas as gpd
import shapely
from shapely.geometry import LineString, mapping

from hunan_map.geo import boundaries

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "geo" / "data" / "basemap.geojson"
REGION = "108.2/114.8/24.1/30.7"
DISTANCE = "EPSG:4545"  # CGCS2000 / Gauss-Kruger, metres
SOURCE = "GSHHG 2.3.7 (WDBII rivers, level-2 shorelines), via Debian gmt-gshhg-high"

#: Main rivers as the chain of county seats (adcodes in seats.csv) they flow past, downstream.
COURSES = {
    "湘江": ("Xiang River", ["431122", "431100", "431181", "430482", "430422", "430400", "430423", "430424",
                             "430200", "430300", "430100", "430112", "430624"]),
    "沅江": ("Yuan River", ["431281", "431221", "431223", "433122", "431222", "430725", "430700", "430722"]),
    "资水": ("Zi River", ["430500", "430522", "431381", "431322", "430923", "430922", "430900", "430981"]),
    "澧水": ("Li River", ["430822", "430802", "430821", "430726", "430723", "430781"]),
}
NEAR_KM = 12.0
SHARE = 0.7
#: Named lakes: a point on or near each (external, approximate: general gazetteer knowledge); the
#: lake polygon nearest to it, within LAKE_KM, takes the name (several names on one polygon are joined).
LAKES = {
    "东洞庭湖": ("East Dongting Lake", 112.95, 29.30),
    "西洞庭湖": ("West Dongting Lake", 112.15, 28.95),
    "南洞庭湖": ("South Dongting Lake", 112.55, 28.85),
    "大通湖": ("Datong Lake", 112.50, 29.20),
    "洪湖": ("Honghu Lake", 113.35, 29.85),
}
LAKE_KM = 5.0


def gmt_lines(*args: str) -> list[LineString]:
    """The multisegment text ``gmt coast`` prints, as lines."""
    import tempfile

    with tempfile.TemporaryDirectory() as work:  # GMT writes gmt.history where it runs
        text = subprocess.run(["gmt", "coast", f"-R{REGION}", "-Dh", "-M", *args], check=True,
                              capture_output=True, text=True, cwd=work).stdout
    lines, current = [], []
    for row in text.splitlines():
        if row.startswith(">"):
            if len(current) > 1:
                lines.append(LineString(current))
            current = []
        elif row.strip():
            x, y = map(float, row.split()[:2])
            current.append((x, y))
    if len(current) > 1:
        lines.append(LineString(current))
    return lines


def merged(lines: list[LineString]) -> list[LineString]:
    """Bin pieces joined where they meet end to end."""
    return list(shapely.get_parts(shapely.line_merge(shapely.union_all(lines))))


def seats() -> dict[str, tuple[float, float]]:
    with (ROOT / "geo" / "data" / "seats.csv").open(encoding="utf-8") as fh:
        return {r["adcode"]: (float(r["lon"]), float(r["lat"])) for r in csv.DictReader(fh)}


def course_lines() -> tuple[gpd.GeoSeries, dict[str, gpd.GeoSeries]]:
    """Each main river's course as a line through its seats, and the seats themselves (metres)."""
    where = seats()
    lines = gpd.GeoSeries([LineString([where[a] for a in chain]) for _en, chain in COURSES.values()],
                          index=list(COURSES), crs="EPSG:4326").to_crs(DISTANCE)
    points = {name: gpd.GeoSeries(shapely.points([where[a] for a in chain]), crs="EPSG:4326").to_crs(DISTANCE)
              for name, (_en, chain) in COURSES.items()}
    return lines, points


def name_river(line: LineString, courses: tuple[gpd.GeoSeries, dict[str, gpd.GeoSeries]]) -> str:
    """The main river the line belongs to: it passes within NEAR_KM of at least SHARE of the
    river's seats (a main stem, whatever its upstream length), or at least SHARE of its own
    vertices lie within NEAR_KM of the river's course (a short piece or branch of it)."""
    lines, points = courses
    metres = gpd.GeoSeries([line], crs="EPSG:4326").to_crs(DISTANCE).iloc[0]
    pts = gpd.GeoSeries(shapely.points(shapely.get_coordinates(metres)), crs=DISTANCE)
    best, score = "", 0.0
    for name, course in lines.items():
        seats_near = float((points[name].distance(metres) <= NEAR_KM * 1000).mean())
        vertices_near = float((pts.distance(course) <= NEAR_KM * 1000).mean())
        share = max(seats_near, vertices_near)
        if share >= SHARE and share > score:
            best, score = name, share
    return best


def _join_en(names: list[str]) -> str:
    """English names joined, a shared last part said once: West and South Dongting Lake."""
    import os

    words = [n.split() for n in names]
    tail = os.path.commonprefix([w[::-1] for w in words])[::-1] if len(names) > 1 else []
    heads = [" ".join(w[: len(w) - len(tail)]) for w in words]
    return " ".join([" and ".join(heads), *tail]).strip() if tail else " and ".join(names)


def build() -> dict:
    province = boundaries.province().to_crs(DISTANCE).geometry.iloc[0]
    near = gpd.GeoSeries([province.buffer(25_000)], crs=DISTANCE).to_crs("EPSG:4326").iloc[0]
    wide = gpd.GeoSeries([province.buffer(60_000)], crs=DISTANCE).to_crs("EPSG:4326").iloc[0]
    courses = course_lines()
    features = []
    for level in (1, 2, 3):
        for line in merged(gmt_lines(f"-I{level}")):
            clip = (wide if level == 1 else near).intersection(line)
            for part in shapely.get_parts(shapely.line_merge(clip) if clip.geom_type == "MultiLineString" else clip):
                part = shapely.set_precision(part.simplify(0.004), 1e-4)
                if part.is_empty or gpd.GeoSeries([part], crs="EPSG:4326").to_crs(DISTANCE).length.iloc[0] < 15_000:
                    continue
                name = "长江" if level == 1 else name_river(part, courses)
                name_en = "Yangtze River" if level == 1 else (COURSES[name][0] if name else "")
                features.append(("river", level, name, name_en, part))
    shore = gmt_lines("-W2")
    polys = [p for p in shapely.get_parts(shapely.polygonize(shapely.get_parts(shapely.line_merge(shapely.union_all(shore)))))
             if p.intersects(wide) and gpd.GeoSeries([p], crs="EPSG:4326").to_crs(DISTANCE).area.iloc[0] >= 10e6]
    lakes = gpd.GeoSeries(polys, crs="EPSG:4326").to_crs(DISTANCE)
    names: dict[int, list[str]] = {}
    for name, (_en, lon, lat) in LAKES.items():
        where = gpd.GeoSeries(shapely.points([(lon, lat)]), crs="EPSG:4326").to_crs(DISTANCE).iloc[0]
        distance = lakes.distance(where)
        if distance.min() > LAKE_KM * 1000:
            raise SystemExit(f"no lake within {LAKE_KM} km of {name} ({lon}, {lat}); check LAKES")
        names.setdefault(int(distance.idxmin()), []).append(name)
    for i, poly in enumerate(polys):
        chosen = names.get(i, [])
        name, name_en = "、".join(chosen), _join_en([LAKES[n][0] for n in chosen])
        poly = shapely.set_precision(poly.simplify(0.002), 1e-4)
        features.append(("lake", 2, name, name_en, poly))
    features.sort(key=lambda f: (f[0] != "lake", f[1], f[2], f[4].bounds))
    return {"type": "FeatureCollection", "features": [
        {"type": "Feature", "properties": {"kind": kind, "level": level, "name": name, "name_en": name_en,
                                           "source": SOURCE},
         "geometry": mapping(geom)} for kind, level, name, name_en, geom in features]}


def main() -> int:
    collection = build()
    text = json.dumps(collection, ensure_ascii=False, separators=(",", ":"))
    OUT.write_text(text + "\n", encoding="utf-8")
    named = sorted({f["properties"]["name"] for f in collection["features"] if f["properties"]["name"]})
    print(f"wrote {OUT} ({len(text) / 1000:.0f} kB, {len(collection['features'])} features; named: {', '.join(named)})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
