"""Settings in one place: names in, the values every stage reads at call time out.

Change them from Python before calling the library (``from hunan_map.layers import settings;
settings.marker_limit = 500``); every function reads them when it runs, not at import.
"""

from __future__ import annotations

#: Coordinates written to GIS files get this many decimals (1e-6 deg is about 0.1 m). Default 6.
export_precision: int = 6
#: Buffer (km) drawn around member parks to make a cluster's footprint. Default 3.0.
footprint_km: float = 3.0
#: An overlay feature this close (km) to a park is joined to it as ``near_park`` (``--near-km``). Default 10.0.
near_park_km: float = 10.0
#: Width (km, flat side to flat side) of the hexagons overlays are counted in. Default 10.0.
hex_km: float = 10.0
#: Smallest and largest hexagon width (km) accepted: 100 m (finer would be below the points'
#: precision and could make millions of hexagons) to 200 km (a third of Hunan).
MIN_HEX_KM: float = 0.1
MAX_HEX_KM: float = 200.0
#: Overlays with up to this many points are drawn one by one, with popups. Default 1,000.
marker_limit: int = 1_000
#: Up to this many points are drawn as clustered markers; beyond, as a heat map. Default 50,000.
cluster_limit: int = 50_000
#: Above this many points the map draws counts per hexagon and county instead. Default 200,000.
aggregate_limit: int = 200_000
#: Layouts switched on when the map opens (ids from layouts.csv). Default ("sandai_siqu",).
default_layouts: tuple[str, ...] = ("sandai_siqu",)
