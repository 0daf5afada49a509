"""Files in and out: overlays a user brings (``overlay``), GIS exports (``export``), whole-or-nothing
writes (``_atomic``) and text decoding with line numbers (``_text``).

Nothing here builds a layer: these modules take and return GeoDataFrames and paths. Import the
module you need (``from hunan_map.layers.io import export``); this package imports nothing itself.
"""
