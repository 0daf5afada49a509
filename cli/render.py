"""``hunan-map render``: the interactive HTML map (and optionally a static PNG)."""

from __future__ import annotations

import re
import warnings
from pathlib import Path
from typing import Annotated, Optional

import typer

from hunan_map.cli import options as o
from hunan_map.cli._app import app, handle_errors, progress, say


@app.command()
@handle_errors
def render(
    output: Annotated[Path, typer.Option("--output", "-o", help="HTML file to write. Example: -o hunan.html")] = Path("hunan.html"),
    lang: Annotated[str, typer.Option("--lang", help="Interface and label language: zh or en. Example: --lang en")] = "zh",
    tiles: Annotated[str, typer.Option("--tiles", help="Basemap: osm, cartodb, amap (GCJ-02; overlays are shifted "
                                       "to match), tianditu (needs a key) or none. Example: --tiles amap")] = "osm",
    tianditu_key: Annotated[Optional[str], typer.Option("--tianditu-key", envvar="TIANDITU_KEY",
                                                        help="Tianditu key (or set TIANDITU_KEY). Example: --tianditu-key abc123")] = None,
    cdn: Annotated[bool, typer.Option("--cdn", help="Link Leaflet and plugins from CDNs instead of inlining them "
                                      "(a smaller file that needs the internet to draw). Example: --cdn")] = False,
    offline: Annotated[bool, typer.Option("--offline", hidden=True,
                                          help="Kept for old scripts: pages are self-contained by default. Example: --offline")] = False,
    png: Annotated[Optional[Path], typer.Option("--png", help="Also write a static PNG for reports. Example: --png hunan.png")] = None,
    overlay: o.OverlayFile = None, overlay_crs: o.OverlayCrs = None, overlay_layer: o.OverlayLayer = None,
    encoding: o.Encoding = None, lon: o.Lon = None, lat: o.Lat = None, strict: o.Strict = False,
    engine: o.Engine = "pandas", scheduler: o.Scheduler = None, hex_km: o.HexKm = 10.0, near_km: o.NearKm = None,
    show_all: Annotated[bool, typer.Option("--show-all", help="Switch every layer on when the page opens. "
                                           "Example: --show-all")] = False,
    by_document: Annotated[bool, typer.Option("--by-document", help="With --png: small multiples, one panel per "
                                              "document in date order (same extent and symbols). "
                                              "Example: --png plans.png --by-document")] = False,
    industry: o.Industry = None, tier: o.Tier = None, layout: o.Layout = None, source: o.Source = None,
    year: o.Year = None, place: o.Place = None, role: o.Role = None, level: o.Level = None,
    broader: o.Broader = False, data: o.DataDir = None, overwrite: o.Overwrite = False, no_cache: o.NoCache = False,
) -> None:
    """Write the interactive map: parks, clusters, zones and corridors, filterable in the page.

    Example: hunan-map render -o hunan.html --lang en --layout 三带四区
    """

    if cdn and offline:
        raise typer.BadParameter("--cdn and --offline contradict each other; pick one", param_hint="--cdn")
    if tianditu_key is not None and not re.fullmatch(r"[A-Za-z0-9]{8,64}", tianditu_key):
        raise typer.BadParameter("a Tianditu key is 8-64 letters and digits; copy it from the Tianditu console",
                                 param_hint="--tianditu-key")
    if output.suffix.lower() not in (".html", ".htm"):
        hint = f" (for a static image use --png {output})" if output.suffix.lower() == ".png" else ""
        raise typer.BadParameter(f"{str(output)!r} is not an .html file{hint}", param_hint="--output")
    if lang not in ("zh", "en"):
        raise typer.BadParameter(f"{lang!r} is not a language; use zh or en", param_hint="--lang")
    o.check_engine(engine)
    if by_document and png is None:
        raise typer.BadParameter("--by-document draws the PNG's panels; give --png FILE too", param_hint="--by-document")
    from hunan_map.maps.basemaps import BASEMAPS

    if tiles not in BASEMAPS:
        raise typer.BadParameter(f"{tiles!r} is not a basemap; use one of {', '.join(BASEMAPS)}", param_hint="--tiles")
    o.check_near_km(near_km, overlay)
    o.check_outputs({"--output": output, "--png": png}, overwrite=overwrite, overlay=overlay, data=data)
    # The page of the bundled data is cached by the options, the data and the code (cli/_cache.py).
    cache_key = None
    if overlay is None and data is None and tianditu_key is None and not no_cache:
        from hunan_map.cli import _cache

        cache_key = _cache.key("render", {
            "lang": lang, "tiles": tiles, "cdn": cdn, "show_all": show_all, "industry": industry, "tier": tier,
            "layout": layout, "source": source, "year": year, "place": place, "role": role, "level": level,
            "broader": broader})
        hit = _cache.read(cache_key) if png is None else None
        if hit is not None:
            from hunan_map.layers.io._atomic import write_bytes_atomic

            for text in hit[0].get("warnings", []):
                warnings.warn(text, stacklevel=1)
            with progress(f"Writing {output}"):
                write_bytes_atomic(output, hit[1], overwrite=overwrite)
            say(f"Wrote {output} ({Path(output).stat().st_size / 1e6:.2f} MB)")
            return
    from hunan_map.layers import Filter, context
    from hunan_map.layers.io._atomic import write_text_atomic
    from hunan_map.maps import MapOptions, render_html

    ctx = context(data)
    flt = Filter.make(**o.filters(industry, tier, layout, source, year, place, role=role, level=level, data=data,
                                  broader=broader))
    user = counts = pending = None
    if overlay is not None:
        from hunan_map.cli.overlay import load_overlay
        from hunan_map.layers import settings
        from hunan_map.layers.aggregate import Aggregates

        with progress(f"Reading and joining {overlay}"):
            loaded, pending = load_overlay(overlay, overlay_crs, lon, lat, strict, output, overwrite, data,
                                           aggregate=None, engine=engine, scheduler=scheduler, hex_km=hex_km,
                                           join_limit=settings.marker_limit, layer=overlay_layer, encoding=encoding,
                                           near_km=near_km)
        counts, user = (loaded, None) if isinstance(loaded, Aggregates) else (None, loaded)
    opts = MapOptions(lang=lang, tiles=tiles, tianditu_key=tianditu_key, filter=flt, overlay=user,
                      overlay_aggregates=counts, show_all=show_all)
    if png is not None:
        from hunan_map.maps.static import save_png
        from hunan_map.maps.static_multi import save_png_by_document

        with progress(f"Drawing {png}"):
            (save_png_by_document if by_document else save_png)(png, ctx, opts, overwrite=overwrite)
        say(f"Wrote {png}")
    with progress(f"Rendering {output}"), warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        html = render_html(ctx, opts, offline=not cdn, cache=not no_cache)
    for w in caught:  # shown by handle_errors, and stored with the page
        warnings.warn_explicit(w.message, w.category, w.filename, w.lineno)
    write_text_atomic(output, html, overwrite=overwrite)
    if cache_key is not None:
        _cache.write(cache_key, html.encode("utf-8"), command="render",
                     warnings=[str(w.message) for w in caught if issubclass(w.category, UserWarning)])
    say(f"Wrote {output} ({Path(output).stat().st_size / 1e6:.2f} MB)")
    if pending is not None:
        pending.save()
