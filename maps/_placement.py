"""Points and texts on a matplotlib axes in, one label per point placed without overlaps out.

Greedy placement in display space, most important point first: each label tries eight
positions around its point at growing distances (a thin leader line when it is not next to its
point) and takes the first that overlaps no placed label, no marker and stays inside the axes.
Written here rather than with adjustText (which moves labels to reduce overlaps without a
guarantee) or textalloc (which leaves out labels it cannot place): every point must get its
label, and the caller must be able to check the result.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

#: Distances (points) from the marker tried for a label, nearest first.
RADII = (5, 12, 22, 34, 48, 64, 82, 104, 130)
#: Directions tried at each distance: right, upper right, up, upper left, left, lower left, down, lower right.
ANGLES = (0, 45, 90, 135, 180, 225, 270, 315)


@dataclass
class Placed:
    """The labels drawn: their texts, boxes (display pixels) and whether any had to overlap."""

    texts: list[str] = field(default_factory=list)
    boxes: list = field(default_factory=list)  # matplotlib Bbox per label
    forced: int = 0  # labels placed on top of something because no free position was found


def _overlap(a, b, pad: float) -> float:
    w = min(a.x1, b.x1) - max(a.x0, b.x0) + pad
    h = min(a.y1, b.y1) - max(a.y0, b.y0) + pad
    return w * h if w > 0 and h > 0 else 0.0


def _text_box(ann, renderer):
    """The display box of an annotation's text alone (not its leader line)."""
    from matplotlib.text import Text

    ann.update_positions(renderer)
    return Text.get_window_extent(ann, renderer)


def place_labels(ax, xs, ys, texts, *, fontsize: float = 7, marker_px: float = 5, obstacles=(),
                 pad: float = 2.0, **text_kw) -> Placed:
    """Annotate each (x, y) of ``ax`` with its text, in the given order, without overlaps.

    Parameters
    ----------
    xs, ys, texts
        Data coordinates and label texts, most important first.
    marker_px
        Half the size of the markers (pixels); labels keep off every marker.
    obstacles
        Extra display-space boxes (matplotlib ``Bbox``) labels must not cover.
    text_kw
        Passed to ``ax.annotate`` (colour, bbox ...).

    Returns
    -------
    Placed
    """
    from matplotlib.transforms import Bbox

    fig = ax.figure
    renderer = fig.canvas.get_renderer()
    frame = ax.get_window_extent(renderer)
    to_px = ax.transData.transform
    points = [to_px((x, y)) for x, y in zip(xs, ys)]
    markers = [Bbox.from_extents(px - marker_px, py - marker_px, px + marker_px, py + marker_px) for px, py in points]
    taken = list(obstacles)
    placed = Placed()
    scale = fig.dpi / 72.0
    for i, ((x, y), text) in enumerate(zip(zip(xs, ys), texts)):
        best = None
        for radius in RADII:
            for angle in ANGLES:
                dx, dy = radius * math.cos(math.radians(angle)), radius * math.sin(math.radians(angle))
                ha = "left" if dx > 1 else ("right" if dx < -1 else "center")
                va = "bottom" if dy > 1 else ("top" if dy < -1 else "center")
                ann = ax.annotate(text, (x, y), xytext=(dx, dy), textcoords="offset points", ha=ha, va=va, parse_math=False,
                                  fontsize=fontsize, zorder=7, **text_kw)
                box = _text_box(ann, renderer)
                others = [m for j, m in enumerate(markers) if j != i]
                cost = sum(_overlap(box, b, pad) for b in taken) + sum(_overlap(box, m, 0) for m in others)
                inside = frame.x0 <= box.x0 and box.x1 <= frame.x1 and frame.y0 <= box.y0 and box.y1 <= frame.y1
                cost += 0 if inside else 1e9
                if best is None or cost < best[0]:
                    if best is not None:
                        best[1].remove()
                    best = (cost, ann, box, radius)
                else:
                    ann.remove()
                if cost == 0:
                    break
            if best[0] == 0:
                break
        cost, ann, box, radius = best
        if radius > RADII[0]:  # not next to its point: a leader line shows which point it names
            ann.remove()
            dx = (box.x0 + box.x1) / 2 - points[i][0]
            dy = (box.y0 + box.y1) / 2 - points[i][1]
            ann = ax.annotate(text, (x, y), xytext=(dx / scale, dy / scale), textcoords="offset points", parse_math=False,
                              ha="center", va="center", fontsize=fontsize, zorder=7,
                              arrowprops={"arrowstyle": "-", "color": "#666666", "lw": 0.5, "shrinkA": 0,
                                          "shrinkB": 3}, **text_kw)
            box = _text_box(ann, renderer)
        placed.forced += cost > 0
        taken.append(box)
        placed.texts.append(text)
        placed.boxes.append(box)
    return placed
