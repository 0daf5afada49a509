"""Layers in, default styles out: QGIS QML (a GeoPackage's layer_styles rows, a .qml beside a Shapefile) and KML style specs, in the map's colours."""

from __future__ import annotations

import datetime as _dt
import sqlite3
import xml.etree.ElementTree as ET
from pathlib import Path

import geopandas as gpd

from hunan_map.layers.io._kml import name_column
from hunan_map.layers.palette import CLUSTER_COLOR, NO_TIER_COLOR, PLATFORM_COLOR, TIER_COLORS, ZONE_PALETTE

#: Per layer: fill or marker colour, outline, opacity of fills, line width (mm) and whether it is labelled.
LAYER_STYLES = {
    "parks": {"color": NO_TIER_COLOR, "label": True, "tiers": True},
    "platforms": {"color": PLATFORM_COLOR},
    "clusters": {"color": CLUSTER_COLOR, "opacity": 0.12},
    "zones": {"color": ZONE_PALETTE[0], "opacity": 0.22, "label": True, "palette": True},
    "corridors": {"color": "#444444", "opacity": 0.15, "width": 0.6, "dash": True},
    "prefectures": {"color": "#555555", "opacity": 0.0, "width": 0.5, "label": True},
    "counties": {"color": "#999999", "opacity": 0.0, "width": 0.2},
    "overlay": {"color": "#e6550d", "opacity": 0.3, "label": True},
}
DEFAULT_STYLE = {"color": "#3182bd", "opacity": 0.35}
QGIS_VERSION = "3.22.16-Białowieża"
_LAYER_STYLES_SQL = """CREATE TABLE IF NOT EXISTS layer_styles (
    id INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL, f_table_catalog TEXT(256), f_table_schema TEXT(256),
    f_table_name TEXT(256), f_geometry_column TEXT(256), styleName TEXT(30), styleQML TEXT, styleSLD TEXT,
    useAsDefault BOOLEAN, description TEXT, owner TEXT(30), ui TEXT(30), update_time DATETIME)"""


def style_spec(layer: str, gdf: gpd.GeoDataFrame) -> dict:
    """The style of a layer (see :data:`LAYER_STYLES`) with its geometry kind: point, line or polygon."""
    spec = dict(LAYER_STYLES.get(layer, DEFAULT_STYLE))
    types = set(gdf.geom_type.dropna().unique())
    spec["kind"] = ("point" if types and types <= {"Point", "MultiPoint"} else
                    "line" if types and types <= {"LineString", "MultiLineString"} else "polygon")
    return spec


def _rgba(hex_rgb: str, alpha: float = 1.0) -> str:
    return f"{int(hex_rgb[1:3], 16)},{int(hex_rgb[3:5], 16)},{int(hex_rgb[5:7], 16)},{round(alpha * 255)}"


def _symbol(parent: ET.Element, name: str, spec: dict, color: str) -> None:
    kind = spec["kind"]
    symbol = ET.SubElement(parent, "symbol", type={"point": "marker", "polygon": "fill"}.get(kind, kind), name=name, alpha="1",
                           clip_to_extent="1", force_rhr="0")
    cls = {"point": "SimpleMarker", "line": "SimpleLine", "polygon": "SimpleFill"}[kind]
    layer = ET.SubElement(symbol, "layer", {"class": cls, "enabled": "1", "locked": "0", "pass": "0"})
    width = str(spec.get("width", 0.3))
    if kind == "point":
        props = {"name": "circle", "color": _rgba(color), "outline_color": "255,255,255,255", "outline_width": "0.2",
                 "size": "2.4", "size_unit": "MM"}
    elif kind == "line":
        props = {"line_color": _rgba(color), "line_width": width, "line_width_unit": "MM",
                 "line_style": "dash" if spec.get("dash") else "solid"}
    else:
        opacity = spec.get("opacity", 0.25)
        props = {"color": _rgba(color, opacity), "style": "solid" if opacity > 0 else "no",
                 "outline_color": _rgba(spec.get("outline", color)), "outline_width": width,
                 "outline_width_unit": "MM", "outline_style": "dash" if spec.get("dash") else "solid"}
    for k, v in props.items():
        ET.SubElement(layer, "prop", k=k, v=v)


def _categories(layer: str, gdf: gpd.GeoDataFrame, spec: dict, fields: dict[str, str],
                lang: str = "zh") -> tuple[str, list] | None:
    """(expression, [(value, label, colour)]) for a categorised renderer, or None."""
    if spec.get("tiers") and "tiers" in gdf.columns:
        field = fields.get("tiers", "tiers")
        cases = " ".join(f"WHEN array_contains(string_to_array(\"{field}\", ';'), '{t}') THEN '{t}'"
                         for t in TIER_COLORS)
        return f"CASE {cases} ELSE '' END", [*((t, t, c) for t, c in TIER_COLORS.items()), ("", "", NO_TIER_COLOR)]
    if spec.get("palette") and "id" in gdf.columns:
        values = [str(v) for v in dict.fromkeys(gdf["id"].tolist()) if v is not None]
        label = "name_en" if lang == "en" and "name_en" in gdf.columns else "name"
        names = dict(zip(gdf["id"].astype(str), gdf.get(label, gdf["id"]).astype(str)))
        return f"\"{fields.get('id', 'id')}\"", [(v, names.get(v, v), ZONE_PALETTE[i % len(ZONE_PALETTE)])
                                                 for i, v in enumerate(values)]
    return None


def qml(layer: str, gdf: gpd.GeoDataFrame, *, lang: str = "zh", fields: dict[str, str] | None = None) -> str:
    """A QGIS style (QML) for a layer: translucent fills, the map's tier and zone colours, labels
    from ``name`` (``name_en`` with ``lang="en"``, or an overlay's name column). ``fields`` maps
    column names to the names in the file (Shapefile)."""
    fields = fields or {}
    spec = style_spec(layer, gdf)
    root = ET.Element("qgis", version=QGIS_VERSION, styleCategories="Symbology|Labeling",
                      labelsEnabled="1" if spec.get("label") else "0")
    cats = _categories(layer, gdf, spec, fields, lang)
    if cats:
        expression, values = cats
        renderer = ET.SubElement(root, "renderer-v2", type="categorizedSymbol", attr=expression, symbollevels="0",
                                 enableorderby="0", forceraster="0")
        categories = ET.SubElement(renderer, "categories")
        symbols = ET.SubElement(renderer, "symbols")
        for i, (value, label, color) in enumerate(values):
            ET.SubElement(categories, "category", symbol=str(i), value=value, label=label, render="true")
            _symbol(symbols, str(i), spec, color)
        source = ET.SubElement(renderer, "source-symbol")
        _symbol(source, "0", spec, spec["color"])
    else:
        renderer = ET.SubElement(root, "renderer-v2", type="singleSymbol", symbollevels="0", enableorderby="0",
                                 forceraster="0")
        _symbol(ET.SubElement(renderer, "symbols"), "0", spec, spec["color"])
    label_col = None
    if spec.get("label"):
        columns = [c for c in gdf.columns if c != gdf.geometry.name]
        label_col = "name_en" if lang == "en" and "name_en" in columns else name_column(columns)
    if label_col is not None:
        labeling = ET.SubElement(root, "labeling", type="simple")
        settings = ET.SubElement(labeling, "settings", calloutType="simple")
        ET.SubElement(settings, "text-style", fieldName=fields.get(label_col, label_col), isExpression="0",
                      fontFamily="Noto Sans CJK SC", fontSize="8" if spec["kind"] == "point" else "9",
                      fontSizeUnit="Point", textColor="40,40,40,255", textOpacity="1")
        ET.SubElement(settings, "text-buffer", bufferDraw="1", bufferSize="0.7", bufferSizeUnits="MM",
                      bufferColor="255,255,255,255", bufferOpacity="0.8")
        ET.SubElement(settings, "placement", placement="0", dist="1", distUnits="MM")
        # only points keep labels off themselves: areas under labels must not hide the labels of other layers
        ET.SubElement(settings, "rendering", obstacle="1" if spec["kind"] == "point" else "0", scaleVisibility="0",
                      displayAll="0")
    ET.SubElement(root, "layerGeometryType").text = {"point": "0", "line": "1", "polygon": "2"}[spec["kind"]]
    ET.indent(root, space=" ")
    return "<!DOCTYPE qgis PUBLIC 'http://mrcc.com/qgis.dtd' 'SYSTEM'>\n" + ET.tostring(root, encoding="unicode") + "\n"


def write_layer_styles(gpkg: Path, styles: dict[str, str], *, geometry_column: str = "geom") -> None:
    """Add a ``layer_styles`` table (the one QGIS reads on open) to a GeoPackage: one default style per
    layer, registered in ``gpkg_contents`` as an attributes table so that GDAL lists it."""
    now = _dt.datetime.now(_dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.000Z")
    con = sqlite3.connect(gpkg)
    try:
        with con:
            con.execute(_LAYER_STYLES_SQL)
            con.executemany(
                "INSERT INTO layer_styles (f_table_catalog, f_table_schema, f_table_name, f_geometry_column, styleName,"
                " styleQML, styleSLD, useAsDefault, description, owner, ui, update_time)"
                " VALUES ('', '', ?, ?, ?, ?, '', 1, ?, '', NULL, ?)",
                [(layer, geometry_column, layer, text, f"hunan-map default style for {layer}", now)
                 for layer, text in styles.items()])
            con.execute("INSERT OR REPLACE INTO gpkg_contents (table_name, data_type, identifier, description,"
                        " last_change) VALUES ('layer_styles', 'attributes', 'layer_styles', 'QGIS layer styles', ?)",
                        (now,))
    finally:
        con.close()
