"""Town gazetteer (NBS 2016 township units with GCJ-02 points) in, geo/data/towns.csv (WGS84) out.

Usage: python scripts/build_towns.py ../shared/reference/hunan-towns-nbs2016.csv

Every point is converted from GCJ-02 with the project's own ``gcj02_to_wgs84`` and kept only when
it lies inside its county's polygon (current adcode: 2016 codes that changed are mapped with
geo/data/adcode_crosswalk.csv). Units without a point, or whose point falls outside their county,
are left out and counted on stderr.
"""

from __future__ import annotations

import csv
import sys
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd

from hunan_map.geo import boundaries
from hunan_map.geo.crs import gcj02_to_wgs84

OUT = Path(__file__).resolve().parents[1] / "geo" / "data" / "towns.csv"


def kind_of(code: str, name: str) -> str:
    """town (镇), township (乡), subdistrict (街道) or other (farms, parks: 7th digit 4, or anything else)."""
    if code[6] == "4":
        return "other"
    if name.endswith("街道") or name.endswith("街道办事处"):
        return "subdistrict"
    if name.endswith("镇"):
        return "town"
    if name.endswith("乡"):
        return "township"
    return "other"


def main(src: str) -> None:
    ref = pd.read_csv(src, dtype=str, keep_default_na=False)
    cross = pd.read_csv(Path(__file__).resolve().parents[1] / "geo" / "data" / "adcode_crosswalk.csv", dtype=str)
    new_code = dict(zip(cross["old_adcode"], cross["new_adcode"]))
    ref["county_adcode"] = ref["county_code"].map(lambda c: new_code.get(c, c))
    has = (ref["lon_gcj02"] != "") & (ref["lat_gcj02"] != "")
    pts = ref[has].copy()
    lon, lat = gcj02_to_wgs84(pts["lon_gcj02"].astype(float).to_numpy(), pts["lat_gcj02"].astype(float).to_numpy())
    pts["lon"], pts["lat"] = np.round(lon, 5), np.round(lat, 5)
    counties = boundaries.counties().set_index("adcode")
    geom = gpd.points_from_xy(pts["lon"], pts["lat"])
    inside = [c in counties.index and counties.at[c, "geometry"].covers(g) for c, g in zip(pts["county_adcode"], geom)]
    outside = pts[[not x for x in inside]]
    pts = pts[inside]
    pref = {c: r.parent_adcode for c, r in counties.iterrows()}
    rows = [{"code": r.code, "name": r.name, "kind": kind_of(r.code, r.name), "county_adcode": r.county_adcode,
             "county": counties.at[r.county_adcode, "name"], "prefecture_adcode": pref[r.county_adcode],
             "lon": f"{r.lon:.5f}", "lat": f"{r.lat:.5f}"} for r in pts.itertuples()]
    rows.sort(key=lambda r: r["code"])
    with OUT.open("w", encoding="utf-8", newline="") as fh:
        w = csv.DictWriter(fh, fieldnames=list(rows[0]), lineterminator="\n")
        w.writeheader()
        w.writerows(rows)
    print(f"{len(rows)} towns written to {OUT}; {int((~has).sum())} without a point and "
          f"{len(outside)} outside their county left out: {', '.join(outside['name'])}", file=sys.stderr)


if __name__ == "__main__":
    main(sys.argv[1])
