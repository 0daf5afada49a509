"""Do the borders we draw sit on the basemap's borders? Measured in the browser, in pixels.

The page is opened at zoom 11 (where a GCJ-02/WGS84 mix-up is about 9 px). Two screenshots of
the same view are compared: the tiles alone, in which boundary-coloured pixels form a mask, and
the screen positions of the county outlines the page draws (read from Leaflet, densified to one
point per pixel). The offset that puts most of our outline on boundary pixels is the misalignment.

The instrument is tested offline on tiles rendered here from the bundled counties: drawn in WGS84
they must give (0, 0); shifted to GCJ-02, the offset the GCJ-02 algorithm predicts; the same
GCJ-02 tiles on the Amap basemap (where the page shifts its overlays) again (0, 0). On a machine
that reaches tile.openstreetmap.org the same measurement runs on the real OSM tiles and keeps a
screenshot of a county border over them as an artifact.
"""

from __future__ import annotations

import io
import re
import socket
from functools import lru_cache

import numpy as np
import pytest

from hunan_map import maps
from hunan_map.geo import boundaries
from hunan_map.geo.crs import wgs84_to_gcj02
from hunan_map.maps import MapOptions

ZOOM = 11
CENTER = (28.196, 112.93)  # Changsha: the six districts and three counties around them
SEARCH_PX = 15
# OSM Carto draws admin boundaries in #ac46ac at half opacity over land (#f2efe9).
BOUNDARY_RGB = (207, 154, 202)
LAND_RGB = (242, 239, 233)
TILE_URL = re.compile(r"/(\d+)/(\d+)/(\d+)\.png|[?&]x=(\d+)&y=(\d+)&z=(\d+)")


# ---- the instrument ---------------------------------------------------------------------------

def boundary_mask(rgb: np.ndarray) -> np.ndarray:
    """Pixels of an RGB array in the admin-boundary purple, dilated by one pixel.

    Purple means red and blue both well above green; land, water, forest, roads, labels and
    industrial pink all fail that test.
    """
    r, g, b = (rgb[..., i].astype(int) for i in range(3))
    mask = (r - g > 25) & (b - g > 25)
    out = mask.copy()
    for dy in (-1, 0, 1):
        for dx in (-1, 0, 1):
            out |= np.roll(np.roll(mask, dy, axis=0), dx, axis=1)
    return out


def best_offset(mask: np.ndarray, points: np.ndarray, radius: int = SEARCH_PX) -> tuple[int, int, float, float]:
    """The shift (dx, dy) in pixels that lands most ``points`` (x, y) on ``mask``.

    Returns
    -------
    tuple
        ``(dx, dy, score, median)``: the best shift, the share of points on the mask there, and
        the median share over all shifts tried (what chance alignment gives).
    """
    h, w = mask.shape
    xy = np.unique(np.rint(points).astype(int), axis=0)
    scores = np.zeros((2 * radius + 1, 2 * radius + 1))
    for j, dy in enumerate(range(-radius, radius + 1)):
        for i, dx in enumerate(range(-radius, radius + 1)):
            x, y = xy[:, 0] + dx, xy[:, 1] + dy
            ok = (x >= 0) & (x < w) & (y >= 0) & (y < h)
            scores[j, i] = mask[y[ok], x[ok]].mean() if ok.any() else 0.0
    j, i = np.unravel_index(np.argmax(scores), scores.shape)
    return int(i - radius), int(j - radius), float(scores[j, i]), float(np.median(scores))


MAP = "window.hunanLeafletMap"

OUTLINE_POINTS = """() => {
    const m = %s, size = m.getSize(), pts = [];
    const ring = latlngs => {
        const p = latlngs.map(ll => m.latLngToContainerPoint(ll));
        for (let k = 0; k < p.length; k++) {
            const a = p[k], b = p[(k + 1) %% p.length];
            const n = Math.max(1, Math.ceil(Math.hypot(b.x - a.x, b.y - a.y)));
            for (let t = 0; t < n; t++) {
                const x = a.x + (b.x - a.x) * t / n, y = a.y + (b.y - a.y) * t / n;
                if (x >= 0 && y >= 0 && x < size.x && y < size.y) pts.push([x, y]);
            }
        }
    };
    const walk = a => (a.length && a[0].lat !== undefined) ? ring(a) : a.forEach(walk);
    window.hunanMap.items.filter(it => it.spec.id === 'counties' && it.entry.on)
        .forEach(it => it.layer.eachLayer(l => walk(l.getLatLngs())));
    return pts;
}""" % MAP

HIDE_OVERLAYS = """hide => document.querySelectorAll(
    '.leaflet-map-pane > .leaflet-pane:not(.leaflet-tile-pane), .leaflet-control-container'
).forEach(e => { e.style.visibility = hide ? 'hidden' : ''; })"""

BORDERS_ONLY = """() => {
    document.querySelectorAll('.leaflet-map-pane > .leaflet-pane:not(.leaflet-tile-pane):not(.leaflet-hm-admin-pane), '
                              + '.leaflet-control-container')
        .forEach(e => { e.style.visibility = 'hidden'; });
}"""

TILES_LOADED = """() => {
    const imgs = [...document.querySelectorAll('.leaflet-tile-pane img.leaflet-tile')];
    return imgs.length > 0 && imgs.every(i => i.classList.contains('leaflet-tile-loaded'));
}"""


def measure(page, artifact=None) -> tuple[tuple[int, int, float, float], int]:
    """Centre the page at zoom 11, wait for the tiles, and measure the county outlines against them.

    Returns ``(best_offset(...), number of outline pixels)``; when ``artifact`` is given, saves a
    screenshot there of the admin borders over the tiles (other layers hidden).
    """
    from PIL import Image

    # braces: return nothing, or Playwright serialises the whole Leaflet map that setView returns
    page.evaluate(f"() => {{ {MAP}.setView([{CENTER[0]}, {CENTER[1]}], {ZOOM}, {{animate: false}}); }}")
    page.wait_for_function(TILES_LOADED, timeout=30000)
    page.wait_for_timeout(600)  # tiles fade in over 200 ms
    points = np.asarray(page.evaluate(OUTLINE_POINTS), dtype=float)
    page.evaluate(HIDE_OVERLAYS, True)
    shot = page.locator(".folium-map").screenshot()
    page.evaluate(HIDE_OVERLAYS, False)
    if artifact is not None:  # the county borders over the tiles, nothing else
        page.evaluate(BORDERS_ONLY)
        page.screenshot(path=str(artifact))
    rgb = np.asarray(Image.open(io.BytesIO(shot)).convert("RGB"))
    return best_offset(boundary_mask(rgb), points), len(points)


def pixel_shift(lon: float, lat: float, lon2: float, lat2: float, zoom: int = ZOOM) -> tuple[float, float]:
    """Screen shift in Web Mercator pixels from (lon, lat) to (lon2, lat2) at ``zoom``."""
    return (np.subtract(_world_px(lon2, lat2, zoom), _world_px(lon, lat, zoom))).tolist()


def _world_px(lon, lat, zoom):
    scale = 256 * 2 ** zoom
    x = (np.asarray(lon) + 180) / 360 * scale
    y = (1 - np.arcsinh(np.tan(np.radians(lat))) / np.pi) / 2 * scale
    return np.asarray(x), np.asarray(y)


# ---- tiles rendered from our own counties, to test the instrument -----------------------------

@lru_cache(maxsize=2)
def _county_lines(crs: str):
    import shapely

    lines = shapely.union_all(boundaries.counties(detail="fine").boundary.values)
    if crs == "gcj02":
        lines = shapely.transform(lines, lambda xy: np.column_stack(wgs84_to_gcj02(xy[:, 0], xy[:, 1])))
    return lines


def _tile_lonlat(x: int, y: int, z: int) -> tuple[float, float]:
    n = 2 ** z
    return x / n * 360 - 180, float(np.degrees(np.arctan(np.sinh(np.pi * (1 - 2 * y / n)))))


def render_tile(z: int, x: int, y: int, crs: str) -> bytes:
    """A 256 px PNG tile in the OSM palette with the bundled county borders drawn in ``crs``."""
    import shapely
    from PIL import Image, ImageDraw

    west, north = _tile_lonlat(x, y, z)
    east, south = _tile_lonlat(x + 1, y + 1, z)
    img = Image.new("RGB", (256, 256), LAND_RGB)
    draw = ImageDraw.Draw(img)
    clipped = shapely.clip_by_rect(_county_lines(crs), west - 0.01, south - 0.01, east + 0.01, north + 0.01)
    for line in shapely.get_parts(clipped):
        coords = shapely.get_coordinates(line)
        px, py = _world_px(coords[:, 0], coords[:, 1], z)
        draw.line(list(zip(px - x * 256, py - y * 256)), fill=BOUNDARY_RGB, width=2)
    buf = io.BytesIO()
    img.save(buf, format="PNG")
    return buf.getvalue()


def serve_tiles(crs: str):
    """A Playwright route handler that answers any XYZ tile request with :func:`render_tile`."""
    def handler(route):
        m = TILE_URL.search(route.request.url)
        if not m:
            route.abort()
            return
        if m.group(1):
            z, x, y = int(m.group(1)), int(m.group(2)), int(m.group(3))
        else:
            x, y, z = int(m.group(4)), int(m.group(5)), int(m.group(6))
        route.fulfill(status=200, content_type="image/png", body=render_tile(z, x, y, crs))
    return handler


def test_boundary_mask_and_offset_on_a_drawn_outline():
    from PIL import Image, ImageDraw

    img = Image.new("RGB", (200, 120), LAND_RGB)
    draw = ImageDraw.Draw(img)
    draw.rectangle([50, 30, 150, 90], outline=BOUNDARY_RGB, width=2)
    draw.rectangle([0, 0, 10, 10], fill=(235, 219, 232))  # OSM's industrial pink is not a border
    draw.rectangle([180, 0, 190, 10], fill=(170, 211, 223))  # nor is water
    mask = boundary_mask(np.asarray(img))
    assert not mask[:8, :8].any() and not mask[:8, 182:188].any()
    xs, ys = np.arange(50, 151), np.arange(30, 91)
    outline = np.concatenate([np.column_stack([xs, np.full(xs.size, 30)]), np.column_stack([xs, np.full(xs.size, 90)]),
                              np.column_stack([np.full(ys.size, 50), ys]), np.column_stack([np.full(ys.size, 150), ys])])
    dx, dy, score, median = best_offset(mask, outline - [4, 7])
    assert abs(dx - 4) <= 1 and abs(dy - 7) <= 1
    assert score > 0.95 and median < 0.1


@pytest.mark.browser
@pytest.mark.slow
@pytest.mark.parametrize(("tiles", "tile_crs"), [("osm", "wgs84"), ("osm", "gcj02"), ("amap", "gcj02")])
def test_instrument_finds_the_offset_it_should(open_page, tmp_path, artifacts, tiles, tile_crs):
    out = tmp_path / f"{tiles}.html"
    maps.save(out, options=MapOptions(tiles=tiles, show_all=True), offline=True)
    pattern = "https://tile.openstreetmap.org/**" if tiles == "osm" else "**/appmaptile**"
    page, messages, requests = open_page(out, routes=[(pattern, serve_tiles(tile_crs))])
    (dx, dy, score, median), n = measure(page, artifacts / f"alignment_{tiles}_{tile_crs}_z11.png")
    assert requests == [] and [m for m in messages if m[0] == "pageerror"] == []
    assert n > 2000, "too few county-outline pixels in view to measure"
    if tiles == "osm" and tile_crs == "gcj02":
        lat, lon = CENTER
        expected = pixel_shift(lon, lat, *(float(v) for v in wgs84_to_gcj02(lon, lat)))
        assert np.hypot(*expected) > 6  # what a GCJ-02 mix-up looks like at zoom 11
    else:
        expected = (0.0, 0.0)
    assert abs(dx - expected[0]) <= 1 and abs(dy - expected[1]) <= 1, (dx, dy, expected)
    assert score > 0.8 and median < 0.3 * score


# ---- the real OpenStreetMap tiles -------------------------------------------------------------

def _osm_reachable() -> bool:
    try:
        socket.create_connection(("tile.openstreetmap.org", 443), timeout=3).close()
        return True
    except OSError:
        return False


def _forward_with_referer(route):
    # The OSM tile policy asks browsers for a Referer; a file:// page sends none.
    route.continue_(headers={**route.request.headers, "referer": "https://github.com/hunan-map/hunan-map"})


@pytest.mark.browser
@pytest.mark.slow
def test_county_borders_line_up_with_osm_tiles_at_zoom_11(open_page, tmp_path, artifacts):
    if not _osm_reachable():
        pytest.skip("tile.openstreetmap.org is not reachable from this machine (no network)")
    out = tmp_path / "osm.html"
    maps.save(out, options=MapOptions(tiles="osm", show_all=True), offline=True)
    page, _, _ = open_page(out, routes=[("https://tile.openstreetmap.org/**", _forward_with_referer)])
    (dx, dy, score, median), n = measure(page, artifacts / "county_border_osm_z11.png")
    assert n > 2000
    assert score > 0.3 and median < 0.5 * score, \
        f"OSM tiles show too few boundary pixels along our borders ({score:.2f}); see the artifact"
    assert abs(dx) <= 2 and abs(dy) <= 2, f"our borders are {dx}, {dy} px off OSM at zoom 11 (GCJ-02 would be ~9)"
