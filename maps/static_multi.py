"""Layers and the documents in date order in, one PNG of small multiples out: a panel per document
(same extent, same symbols) showing what that document places, for reports that show the province's
industrial geography plan by plan."""

from __future__ import annotations

import math
import textwrap
from dataclasses import replace
from pathlib import Path

from hunan_map.geo.errors import HunanMapError
from hunan_map.layers import builders
from hunan_map.layers.context import Context
from hunan_map.layers.history import documents
from hunan_map.layers.match import catalogue_sources

#: Colours of the panels' symbols (the same in every panel).
SYMBOLS = {"parks": "#2b83ba", "platforms": "#d7191c", "zones": "#fdae61", "clusters": "#1a9641"}


def panels(ctx: Context, options) -> list[tuple[str, str]]:
    """(document id, panel title) in date order: the policy documents, or those the filter's source asks."""
    res = ctx.resolve(options.filter)
    docs = documents(ctx, sources=res.sources)
    if res.sources is None:
        docs = [d for d in docs if d not in catalogue_sources(ctx.kb)]
    titles = ctx.kb.source_titles
    out = []
    for d in docs:
        zh, en, year = titles[d]
        title = en if options.lang == "en" else zh
        out.append((d, title if str(year) in title else f"{title} ({year})"))
    return out


def save_png_by_document(path: str | Path, ctx: Context | None = None, options=None, *, overwrite: bool = False,
                         dpi: int = 130) -> Path:
    """Write the small multiples (one panel per document) to a PNG, whole or nothing.

    The panel titles are also stored in the PNG's ``Description`` text chunk (one line per panel).
    """
    from hunan_map.maps.static import pyplot, save_figure, use_fonts

    plt = pyplot()
    from matplotlib.lines import Line2D
    from matplotlib.patches import Patch

    from hunan_map.geo.crs import DISTANCE
    from hunan_map.maps.labels import LABELS
    from hunan_map.maps.render import MapOptions

    ctx = ctx or builders.context()
    opt = options or MapOptions()
    en = opt.lang == "en"
    use_fonts(plt, en)
    lab = LABELS[opt.lang]
    chosen = panels(ctx, opt)
    if not chosen:
        raise HunanMapError("no document to draw: the --source/--year filter leaves none")
    cols = min(3, len(chosen))
    rows = math.ceil(len(chosen) / cols)
    fig, axes = plt.subplots(rows, cols, figsize=(4.2 * cols, 4.8 * rows), squeeze=False)
    pref = ctx.geo.prefectures.to_crs(DISTANCE)
    bounds = pref.total_bounds
    for ax in axes.flat:
        ax.set_axis_off()
    for ax, (doc, title) in zip(axes.flat, chosen):
        flt = replace(opt.filter, source=(doc,), year=())
        pref.plot(ax=ax, color="#f2f2f2", edgecolor="#888888", linewidth=0.4)
        zones = builders.build_zones(ctx, flt).to_crs(DISTANCE)
        if len(zones):
            zones.plot(ax=ax, color=SYMBOLS["zones"], alpha=0.25, edgecolor=SYMBOLS["zones"], linewidth=0.6)
        clusters = builders.build_clusters(ctx, flt).to_crs(DISTANCE)
        if len(clusters):
            clusters.boundary.plot(ax=ax, color=SYMBOLS["clusters"], linewidth=0.8)
        counts = []
        for kind in ("parks", "platforms"):
            pts = builders.build_parks(ctx, flt, kinds=kind).to_crs(DISTANCE)
            counts.append(len(pts))
            if len(pts):
                pts.plot(ax=ax, color=SYMBOLS[kind], markersize=14 if kind == "parks" else 9, edgecolor="white",
                         linewidth=0.4, zorder=5)
        ax.set_xlim(bounds[0], bounds[2])
        ax.set_ylim(bounds[1], bounds[3])
        ax.set_aspect("equal")
        ax.set_title(textwrap.fill(title, 22), fontsize=10, parse_math=False)
        sep = "" if not en else " "
        ax.text(0.02, 0.02, f"{counts[0]}{sep}{lab['counts']['parks']} · {counts[1]}{sep}{lab['counts']['platforms']}"
                f" · {len(clusters)}{sep}{lab['counts']['clusters']} · {len(zones)}{sep}{lab['counts']['zones']}",
                transform=ax.transAxes, fontsize=7, color="#444444", parse_math=False)
    handles = [Line2D([], [], marker="o", linestyle="", color=SYMBOLS["parks"], label=lab["parks"]),
               Line2D([], [], marker="o", linestyle="", color=SYMBOLS["platforms"], label=lab["platforms"]),
               Line2D([], [], color=SYMBOLS["clusters"], label=lab["clusters"]),
               Patch(color=SYMBOLS["zones"], alpha=0.4, label=lab["zones"])]
    fig.legend(handles=handles, loc="lower center", ncol=4, fontsize=8, frameon=False)
    fig.suptitle("Hunan's industrial policy, document by document" if en else "湖南产业政策的空间布局：逐份文件",
                 fontsize=13)
    return save_figure(fig, path, overwrite=overwrite, dpi=dpi,
                       metadata={"Title": "hunan-map by document",
                                 "Description": "\n".join(f"{d}: {t}" for d, t in chosen)})
