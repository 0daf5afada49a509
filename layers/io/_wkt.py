"""WKT text of one overlay cell in, a shapely geometry or the reason it cannot be used (and the fix) out."""

from __future__ import annotations

import shapely


def read_wkt(text: str):
    """One WKT cell: (geometry, "", "") or (None, reason, fix); empty and curved geometries are refused."""
    try:
        g = shapely.from_wkt(text) if text.strip() else None
    except NotImplementedError:  # GEOS reads no curves (CIRCULARSTRING, COMPOUNDCURVE, CURVEPOLYGON ...)
        return None, f"{text.split('(')[0].strip()[:30]!r} is a curved geometry, which hunan-map cannot use", \
            "convert curves to straight segments first (QGIS: Segmentize; ogr2ogr -nlt CONVERT_TO_LINEAR)"
    except shapely.errors.GEOSException:
        g = None
    if g is None:
        return None, f"{text[:40]!r} is not a WKT geometry", "write e.g. POINT (112.98 28.2)"
    if g.is_empty:
        return None, "empty geometry", "give the feature a geometry or remove the row"
    return g, "", ""
