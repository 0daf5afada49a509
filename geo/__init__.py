"""Geography: place names in, geometry out, in stated coordinate systems.

Bundled Hunan boundaries (province, 14 prefectures, 122 counties) in EPSG:4326, Hunan's towns
(乡镇街道) as points, an offline gazetteer that geocodes names to geometry, and WGS84 / CGCS2000 / GCJ-02 / BD-09 transforms.
"""

from hunan_map.geo import boundaries, checks, crs, gazetteer, towns
from hunan_map.geo.boundaries import counties, prefectures, province
from hunan_map.geo.errors import AmbiguousPlaceError, CoordinateError, HunanMapError, UnknownPlaceError
from hunan_map.geo.gazetteer import Gazetteer, GeocodeResult, geocode

__all__ = [
    "boundaries", "checks", "crs", "gazetteer", "towns",
    "counties", "prefectures", "province",
    "Gazetteer", "GeocodeResult", "geocode",
    "AmbiguousPlaceError", "CoordinateError", "HunanMapError", "UnknownPlaceError",
]
