"""A user's overlay in, map layers out: markers, clustered markers or a heat map by count."""

from __future__ import annotations

import html

import folium
import geopandas as gpd

from hunan_map.layers import settings

_SKIP = {"geometry", "line", "zones", "county_adcode", "prefecture_adcode"}


def _label(row, columns: list[str]) -> str:
    for name in ("name", "名称", "title", "企业名称", "项目名称"):
        if name in columns and str(row[name]).strip():
            return str(row[name])
    return f"#{row['line']}" if "line" in columns else ""


def _popup(row, columns: list[str]) -> str:
    cells = "".join(f"<tr><th>{html.escape(str(c))}</th><td>{html.escape(str(row[c]))}</td></tr>"
                    for c in columns if c not in _SKIP)
    return f"<table class='hm-popup'>{cells}</table>"


def add_overlay(m: folium.Map, gdf: gpd.GeoDataFrame, *, lang: str = "zh") -> dict[str, list]:
    """Add the overlay to ``m`` and return its layer-control group.

    Points are drawn as markers (up to ``settings.marker_limit``), clustered markers
    (up to ``settings.cluster_limit``) or a heat map; polygons and lines as GeoJSON. Every value from
    the user's file is HTML-escaped.
    """
    from folium.plugins import FastMarkerCluster, HeatMap

    title = "我的数据" if lang == "zh" else "My data"
    fg = folium.FeatureGroup(name=f"{title} ({len(gdf):,})", show=True)
    columns = [c for c in gdf.columns if c != gdf.geometry.name][:12]
    points = bool(len(gdf)) and (gdf.geometry.geom_type == "Point").all()
    if (points and len(gdf) <= settings.marker_limit) or not points:
        from hunan_map.maps.render import _geojson, _strip

        props = [{"popup": _popup(row, columns), "tip": html.escape(_label(row, columns)), "c": "#00a6d6",
                  "r": 5, "w": 2, "fo": 0.2} for _, row in gdf.iterrows()]
        _geojson(_strip(gdf, props), title, points=points).add_to(fg)
    elif points and len(gdf) <= settings.cluster_limit:
        data = [[round(y, 6), round(x, 6), html.escape(_label(r, columns))]
                for x, y, (_, r) in zip(gdf.geometry.x, gdf.geometry.y, gdf.iterrows())]
        callback = ("function (row) { var m = L.circleMarker(new L.LatLng(row[0], row[1]), "
                    "{radius: 5, color: '#222', weight: 1, fillColor: '#00a6d6', fillOpacity: 0.9});"
                    " m.bindTooltip(row[2]); return m; }")
        FastMarkerCluster(data, callback=callback, options={"chunkedLoading": True}).add_to(fg)
    else:
        HeatMap([[round(y, 5), round(x, 5)] for x, y in zip(gdf.geometry.x, gdf.geometry.y)],
                radius=8, blur=10, min_opacity=0.3).add_to(fg)
    fg.add_to(m)
    return {title: [fg]}


#: Sequential colours for aggregated counts, light to dark.
COUNT_COLORS = ["#fee8c8", "#fdbb84", "#fc8d59", "#e34a33", "#b30000"]


def _classes(counts) -> list[int]:
    import numpy as np

    values = np.asarray(counts, dtype=float)
    if not len(values):
        return []
    edges = np.unique(np.quantile(values, [0.2, 0.4, 0.6, 0.8]))
    return list(np.searchsorted(edges, values, side="right"))


def add_aggregates(m: folium.Map, agg, *, lang: str = "zh") -> dict[str, list]:
    """Draw overlay counts per hexagon (on) and per county (off) instead of the points."""
    from hunan_map.maps.render import _geojson, _strip

    title = "我的数据（汇总）" if lang == "zh" else "My data (aggregated)"
    count_word = "数量" if lang == "zh" else "count"
    layers = []
    for frame, name, show, admin in ((agg.hexes, "六边形" if lang == "zh" else "hexagons", True, False),
                                     (agg.counties, "区县" if lang == "zh" else "counties", False, True)):
        fg = folium.FeatureGroup(name=f"{title} · {name} ({agg.n_points:,})", show=show)
        props = []
        for cls, (_, row) in zip(_classes(frame["count"]), frame.iterrows()):
            label = html.escape(str(row["name"])) if admin else ""
            p = {"popup": f"<b>{label}</b> {count_word}: {int(row['count']):,}", "tip": f"{label} {int(row['count']):,}",
                 "c": COUNT_COLORS[cls], "w": 0.5, "fo": 0.6}
            if admin:
                p["a"] = [row["adcode"]]
            props.append(p)
        _geojson(_strip(frame, props), name).add_to(fg)
        fg.add_to(m)
        layers.append(fg)
    return {title: layers}
