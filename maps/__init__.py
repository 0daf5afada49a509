"""Maps: layers in, self-contained Folium HTML (and static PNG) out.

>>> from hunan_map import maps
>>> maps.save("hunan.html")                                  # the default map
>>> maps.save("ai.html", options=maps.MapOptions(lang="en"))  # English interface
"""

from hunan_map.maps.basemaps import BASEMAPS, basemap
from hunan_map.maps.render import LANGS, MapOptions, build_map, render_html, save

__all__ = ["BASEMAPS", "LANGS", "MapOptions", "basemap", "build_map", "render_html", "save"]
