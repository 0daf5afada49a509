"""Layers in, KML-ready layers and a styled KML out: unique placemark ids, names from any name column, text XML 1.0 allows, one <Style> per layer."""

from __future__ import annotations

import re
import warnings
import xml.etree.ElementTree as ET
from pathlib import Path

import pandas as pd

KML_NS = "http://www.opengis.net/kml/2.2"
_NAMESPACES = {"": KML_NS, "gx": "http://www.google.com/kml/ext/2.2", "atom": "http://www.w3.org/2005/Atom",
               "xal": "urn:oasis:names:tc:ciq:xsdschema:xAL:2.0"}
#: Columns that hold a feature's name in overlays, most specific first (compared without case).
NAME_COLUMNS = ("name", "名称", "名字", "企业名称", "公司名称", "单位名称", "园区名称", "项目名称", "name_zh", "name_en",
                "title", "label", "标题")
#: Characters XML 1.0 forbids (C0 controls other than tab, newline and carriage return, U+FFFE/U+FFFF,
#: lone surrogates).
FORBIDDEN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")
_NOT_NCNAME = re.compile(r"[^\w.\-]")
#: Child elements of a Placemark that come after <styleUrl> in the OGC KML 2.2 schema.
_AFTER_STYLE_URL = {"Style", "StyleMap", "Region", "Metadata", "ExtendedData", "Point", "LineString", "LinearRing",
                    "Polygon", "MultiGeometry", "Model", "Track", "MultiTrack"}


def name_column(columns) -> str | None:
    """The column that names features: ``name``, ``名称``, ``企业名称`` …, or one ending in 名称."""
    by_lower = {str(c).strip().lower(): c for c in columns}
    for want in NAME_COLUMNS:
        if want in by_lower:
            return by_lower[want]
    return next((c for c in columns if str(c).endswith(("名称", "名字"))), None)


def _ncname(text: str) -> str:
    """An XML ID (NCName): letters, digits, ``_``, ``-`` and ``.``; starts with a letter or ``_``."""
    out = _NOT_NCNAME.sub("_", text)
    return out if out[:1].isalpha() or out[:1] == "_" else f"_{out}"


def kml_ready(flat: pd.DataFrame, layer: str, lang: str = "zh") -> pd.DataFrame:
    """A flattened layer as KML wants it: control characters dropped from text (with one warning),
    ``id`` = ``<layer>.<id>`` (unique across layers; GDAL writes it as the placemark id) and a
    ``name`` column taken from the layer's name column when it has none (with ``lang="en"``,
    from ``name_en``; the Chinese name stays as ``name_zh``)."""
    out = flat.copy()
    geometry = getattr(out, "_geometry_column_name", None)
    dropped: dict[str, list[int]] = {}
    for col in out.columns:
        if col == geometry or not (out[col].dtype == object or pd.api.types.is_string_dtype(out[col].dtype)):
            continue
        values = out[col].tolist()
        for i, v in enumerate(values):
            if isinstance(v, str) and FORBIDDEN.search(v):
                values[i] = FORBIDDEN.sub("", v)
                dropped.setdefault(str(col), []).append(i + 1)
        out[col] = pd.Series(values, index=out.index, dtype=object)
    clean = {c: FORBIDDEN.sub("", c) for c in out.columns if isinstance(c, str) and FORBIDDEN.search(c)}
    if clean:
        out = out.rename(columns=clean)
        dropped.update({f"column name {c!r}": [] for c in clean.values()})
    if dropped:
        where = "; ".join(f"{col} (rows {', '.join(map(str, rows[:5]))}{' …' if len(rows) > 5 else ''})"
                          if rows else col for col, rows in dropped.items())
        warnings.warn(f"KML (XML 1.0) cannot hold control characters; dropped them from layer {layer!r}: {where}",
                      stacklevel=3)
    if lang == "en" and "name_en" in out.columns and "name" in out.columns:
        out["name_zh"] = out["name"]
        out["name"] = out["name_en"].where(out["name_en"].notna() & (out["name_en"] != ""), out["name"])
    if "name" not in out.columns:
        source = name_column([c for c in out.columns if c != geometry])
        if source is not None:
            out["name"] = out[source]
    ids = out["id"].tolist() if "id" in out.columns else list(range(1, len(out) + 1))
    seen: set[str] = set()
    made = []
    for i, v in enumerate(ids):
        missing = v is None or (isinstance(v, float) and v != v) or str(v) == ""
        base = _ncname(f"{layer}.{i + 1 if missing else v}")
        ident, n = base, 1
        while ident in seen:
            n += 1
            ident = f"{base}_{n}"
        seen.add(ident)
        made.append(ident)
    out["id"] = pd.Series(made, index=out.index, dtype=object)
    return out


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _kml_color(hex_rgb: str, alpha: float) -> str:
    """``#rrggbb`` and an opacity as KML's ``aabbggrr``."""
    r, g, b = hex_rgb[1:3], hex_rgb[3:5], hex_rgb[5:7]
    return f"{round(alpha * 255):02x}{b}{g}{r}".lower()


def _style(layer: str, spec: dict) -> ET.Element:
    q = f"{{{KML_NS}}}"
    style = ET.Element(f"{q}Style", id=f"{layer}.style")
    color = spec["color"]
    icon = ET.SubElement(style, f"{q}IconStyle")
    ET.SubElement(icon, f"{q}color").text = _kml_color(color, 1.0)
    ET.SubElement(icon, f"{q}scale").text = "0.8"
    label = ET.SubElement(style, f"{q}LabelStyle")
    ET.SubElement(label, f"{q}scale").text = "0.8" if spec.get("label") else "0"
    line = ET.SubElement(style, f"{q}LineStyle")
    ET.SubElement(line, f"{q}color").text = _kml_color(spec.get("outline", color), 1.0)
    ET.SubElement(line, f"{q}width").text = str(spec.get("width", 1.5))
    poly = ET.SubElement(style, f"{q}PolyStyle")
    ET.SubElement(poly, f"{q}color").text = _kml_color(color, spec.get("opacity", 0.25))
    ET.SubElement(poly, f"{q}fill").text = "1" if spec.get("opacity", 0.25) > 0 else "0"
    return style


def style_kml(path: Path, styles: dict[str, dict]) -> None:
    """Add a shared ``<Style id="<layer>.style">`` per layer to a KML written by GDAL and point
    each placemark of that layer's folder at it (``<styleUrl>``, where the OGC schema puts it)."""
    for prefix, uri in _NAMESPACES.items():
        ET.register_namespace(prefix, uri)
    tree = ET.parse(path)
    root_doc = next(el for el in tree.getroot() if _local(el.tag) == "Document")
    q = f"{{{KML_NS}}}"
    for container in root_doc.iter():
        if _local(container.tag) not in ("Document", "Folder"):
            continue
        name = container.find(f"{q}name")
        layer = name.text if name is not None else None
        if layer not in styles:
            continue
        for placemark in container.findall(f"{q}Placemark"):
            url = ET.Element(f"{q}styleUrl")
            url.text = f"#{layer}.style"
            children = list(placemark)
            at = next((i for i, el in enumerate(children) if _local(el.tag) in _AFTER_STYLE_URL), len(children))
            placemark.insert(at, url)
    children = list(root_doc)
    at = next((i for i, el in enumerate(children) if _local(el.tag) in ("Schema", "Folder", "Document", "Placemark")),
              len(children))
    for offset, (layer, spec) in enumerate(styles.items()):
        root_doc.insert(at + offset, _style(layer, spec))
    ET.indent(tree, space=" ")
    tree.write(path, encoding="UTF-8", xml_declaration=True)
