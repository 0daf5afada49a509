"""An overlay (from :func:`hunan_map.layers.io.overlay.read_overlay`) and the geography in, the overlay
joined to counties, layout zones and the nearest park out; plus the check that its declared CRS fits."""

from __future__ import annotations

import geopandas as gpd

from hunan_map.geo.crs import DISTANCE, WGS84, canonical_crs
from hunan_map.geo.errors import HunanMapError
from hunan_map.layers import settings
from hunan_map.layers.io.overlay import _ATTR, _ours


COUNTY_COLUMNS = ("county", "区县", "县区", "county_adcode", "adcode")


def crs_warning(data: gpd.GeoDataFrame, counties: gpd.GeoDataFrame, *, declared: str = "wgs84") -> str | None:
    """When the user's data name each point's county, check that the declared CRS places the
    points in those counties better than the GCJ-02 reading does (a common mix-up); a warning
    text or None."""
    from hunan_map.geo.checks import crs_shift_suspected
    from hunan_map.geo.gazetteer import default_gazetteer

    if canonical_crs(declared) != WGS84 or not len(data):
        return None
    column = next((c for c in data.columns if str(c).strip().lower() in COUNTY_COLUMNS), None)
    if column is None or not (data.geometry.geom_type == "Point").all():
        return None
    gaz = default_gazetteer()

    def code(value) -> str:
        try:
            hit = gaz.geocode(str(value))
        except HunanMapError:
            return ""
        return hit.id if hit.kind == "county" else ""

    expected = data[column].map(code)
    known = expected != ""
    if known.sum() < 5:
        return None
    return crs_shift_suspected(data[known], expected[known], counties)


def join_overlay(gdf: gpd.GeoDataFrame, *, counties: gpd.GeoDataFrame, zones: gpd.GeoDataFrame,
                 parks: gpd.GeoDataFrame, near_km: float | None = None) -> gpd.GeoDataFrame:
    """Add ``county``, ``county_adcode``, ``prefecture_adcode``, ``zones`` (``layout:zone``) and the
    nearest park within ``near_km`` (``near_park``, ``near_park_km``; empty when none is that near)
    to each feature, and the distance used as ``near_park_within_km``.

    ``near_km`` is in km, above 0 and at most 1000; None reads ``settings.near_park_km`` (10 km).

    A user's column of the same name keeps its values; ours is then written as ``hm_county``
    and so on (see :func:`column_names`).
    """
    from hunan_map.geo.checks import check_km

    near_km = check_km(settings.near_park_km if near_km is None else near_km, name="near-park distance (near_km)",
                       maximum=1000)
    out = gdf.copy()
    mapping = dict(gdf.attrs.get(_ATTR, {}))
    ours_so_far = set(mapping.values()) if mapping else {"line"}
    user = {c for c in out.columns if c != out.geometry.name and c not in ours_so_far}

    def col(name: str) -> str:
        return _ours(name, user, mapping)

    pts = gpd.GeoDataFrame(geometry=out.geometry.representative_point().values, index=out.index, crs=WGS84)
    cj = gpd.sjoin(pts, counties[["adcode", "name", "parent_adcode", "geometry"]], how="left", predicate="within")
    cj = cj[~cj.index.duplicated()]
    out[col("county")] = cj["name"].fillna("").values
    out[col("county_adcode")] = cj["adcode"].fillna("").values
    out[col("prefecture_adcode")] = cj["parent_adcode"].fillna("").values
    zj = gpd.sjoin(pts, zones[["layout", "name", "geometry"]], how="inner", predicate="within")
    labels = (zj["layout"] + ":" + zj["name"]).groupby(level=0).agg(list)
    out[col("zones")] = [labels.get(i, []) for i in out.index]
    if len(parks) and len(out):
        near = gpd.sjoin_nearest(pts.to_crs(DISTANCE), parks[["name", "geometry"]].to_crs(DISTANCE), how="left",
                                 max_distance=near_km * 1000, distance_col="dist")
        near = near[~near.index.duplicated()]
        out[col("near_park")] = near["name"].fillna("").values
        out[col("near_park_km")] = (near["dist"] / 1000).round(2).values
    out[col("near_park_within_km")] = float(near_km)
    out.attrs[_ATTR] = mapping
    return out
