"""`render --place X --png`: the PNG frames X with a margin, greys what is outside, labels every
park in X without overlaps, in the page's language."""

from __future__ import annotations

import numpy as np
import pytest

pytest.importorskip("matplotlib")

from hunan_map import layers  # noqa: E402
from hunan_map.layers import Filter  # noqa: E402
from hunan_map.maps import MapOptions  # noqa: E402
from hunan_map.maps.labels import LABELS  # noqa: E402
from hunan_map.maps.static import PLACE_MARGIN, PROJ, draw_static  # noqa: E402


@pytest.fixture(scope="module", params=["zh", "en"])
def zhuzhou(request):
    import matplotlib.pyplot as plt

    drawn = draw_static(layers.context(), MapOptions(lang=request.param, filter=Filter.make(place="株洲市")))
    drawn.fig.canvas.draw()
    yield request.param, drawn
    plt.close(drawn.fig)


def _prefecture(name: str):
    prefs = layers.context().geo.prefectures.to_crs(PROJ)
    return prefs[prefs["name"] == name].geometry.iloc[0]


def test_the_place_is_framed_with_a_margin(zhuzhou):
    _lang, drawn = zhuzhou
    x0, y0, x1, y1 = _prefecture("株洲市").bounds
    margin = PLACE_MARGIN * max(x1 - x0, y1 - y0)
    assert drawn.ax.get_xlim() == pytest.approx((x0 - margin, x1 + margin))
    assert drawn.ax.get_ylim() == pytest.approx((y0 - margin, y1 + margin))
    # a close-up: far smaller than the province
    px0, py0, px1, py1 = layers.context().geo.prefectures.to_crs(PROJ).total_bounds
    assert (x1 - x0 + 2 * margin) * (y1 - y0 + 2 * margin) < 0.15 * (px1 - px0) * (py1 - py0)


def _pixel(drawn, x: float, y: float) -> np.ndarray:
    rgba = np.asarray(drawn.fig.canvas.buffer_rgba())
    px, py = drawn.ax.transData.transform((x, y))
    return rgba[int(rgba.shape[0] - py), int(px), :3].astype(int)


def _grid(area, n: int = 12):
    """Points of a regular n x n grid that fall in ``area``."""
    import shapely

    x0, y0, x1, y1 = area.bounds
    xs, ys = np.meshgrid(np.linspace(x0, x1, n), np.linspace(y0, y1, n))
    pts = shapely.points(xs.ravel(), ys.ravel())
    return [p for p in pts if area.contains(p)]


def test_what_lies_outside_the_place_is_grey(zhuzhou):
    import shapely

    _lang, drawn = zhuzhou
    zz = _prefecture("株洲市")
    frame = shapely.box(*drawn.extent).buffer(-2000)
    outside = frame.difference(zz.buffer(3000))
    inside = zz.buffer(-3000)

    def grey(p) -> bool:
        rgb = _pixel(drawn, p.x, p.y)
        return bool(np.ptp(rgb) <= 12 and rgb.min() > 190)

    out_pts, in_pts = _grid(outside), _grid(inside)
    assert len(out_pts) > 20 and len(in_pts) > 20
    # rivers, roads of corridors and county lines cross some points; most are plain grey outside, coloured inside
    assert sum(map(grey, out_pts)) / len(out_pts) > 0.8
    assert sum(map(grey, in_pts)) / len(in_pts) < 0.2


def test_every_park_in_the_place_is_labelled_without_overlaps(zhuzhou):
    lang, drawn = zhuzhou
    parks = layers.parks(place="株洲市")
    assert len(drawn.labels) == len(parks) == 8
    if lang == "zh":
        assert sorted(drawn.labels) == sorted(parks["name"])
    else:
        assert all(t.isascii() for t in drawn.labels)
    boxes = drawn.label_boxes
    assert drawn.forced == 0
    assert not [(i, j) for i in range(len(boxes)) for j in range(i + 1, len(boxes)) if boxes[i].overlaps(boxes[j])]
    frame = drawn.ax.get_window_extent()
    assert all(frame.x0 <= b.x0 and b.x1 <= frame.x1 and frame.y0 <= b.y0 and b.y1 <= frame.y1 for b in boxes)


def test_title_and_legend_in_the_page_language(zhuzhou):
    lang, drawn = zhuzhou
    title = drawn.ax.get_title()
    assert ("Zhuzhou" in title and "株洲" not in title) if lang == "en" else "株洲市" in title
    legend = drawn.ax.get_legend()
    assert legend.get_title().get_text() == LABELS[lang]["legend"]
    texts = [t.get_text() for t in legend.get_texts()]
    assert ("Rivers, lakes" in texts) if lang == "en" else ("河流、湖泊" in texts)


def test_cli_writes_the_place_png(invoke, tmp_path):
    from PIL import Image

    out = tmp_path / "zz.png"
    res = invoke("render", "--place", "株洲市", "--png", out, "-o", tmp_path / "zz.html")
    assert res.exit_code == 0, res.output
    with Image.open(out) as im:
        w, h = im.size
    assert h > w  # 株洲 is tall and narrow; the province PNG is not framed like this
