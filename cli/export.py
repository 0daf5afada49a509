"""``hunan-map export``: a layer (or all layers) to GeoJSON, GeoPackage, Shapefile, KML, GeoParquet, CSV."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Optional

import typer

from hunan_map.cli import options as o
from hunan_map.cli._app import app, handle_errors, progress, say

LAYER_CHOICES = ("parks", "platforms", "clusters", "zones", "corridors", "prefectures", "counties", "overlay", "all")


@app.command()
@handle_errors
def export(
    layer: Annotated[str, typer.Argument(help=f"Layer to export: {', '.join(LAYER_CHOICES)}. Example: parks")],
    output: Annotated[Path, typer.Option("--output", "-o", help="Output file; its suffix picks the format. "
                                         "Example: -o parks.geojson")],
    fmt: Annotated[Optional[str], typer.Option("--format", "-f", help="geojson, gpkg, shp, kml, parquet or csv "
                                               "(default: from the suffix). Example: --format gpkg")] = None,
    crs: Annotated[Optional[str], typer.Option("--crs", callback=o.crs_option("--crs"), help="Output coordinates: EPSG:4490 (CGCS2000), gcj02 "
                                               "(Amap), bd09 or any EPSG code; WGS84 by default. Example: --crs EPSG:4490")] = None,
    width: o.Width = None,
    overlay: o.OverlayFile = None, overlay_crs: o.OverlayCrs = None, overlay_layer: o.OverlayLayer = None,
    encoding: o.Encoding = None, lon: o.Lon = None, lat: o.Lat = None, strict: o.Strict = False,
    aggregate: Annotated[bool, typer.Option("--aggregate", help="Write overlay counts per county, zone and hexagon "
                                            "(layers overlay_counties, overlay_zones, overlay_hexes) instead of "
                                            "the joined features. Example: --aggregate")] = False,
    engine: o.Engine = "pandas", scheduler: o.Scheduler = None, hex_km: o.HexKm = 10.0,
    industry: o.Industry = None, tier: o.Tier = None, layout: o.Layout = None, source: o.Source = None,
    year: o.Year = None, place: o.Place = None, role: o.Role = None, level: o.Level = None,
    data: o.DataDir = None, overwrite: o.Overwrite = False,
) -> None:
    """Export a layer (or 'all' into one GeoPackage or KML) for QGIS, ArcGIS, Google Earth or 奥维.

    Example: hunan-map export parks --industry 人工智能 -o ai.geojson
    """
    from hunan_map import layers
    from hunan_map.layers.io.export import FORMATS, detect_format, write_layers

    if layer not in LAYER_CHOICES:
        raise typer.BadParameter(f"{layer!r} is not a layer; use one of {', '.join(LAYER_CHOICES)}",
                                 param_hint="LAYER")
    if fmt is not None and fmt.lower().lstrip(".") not in (*FORMATS, "json", "shapefile", "geoparquet"):
        raise typer.BadParameter(f"{fmt!r} is not a format; use one of {', '.join(FORMATS)}", param_hint="--format")
    if layer == "overlay" and overlay is None:
        raise typer.BadParameter("the overlay layer needs --overlay FILE", param_hint="--overlay")
    if width is not None and layer not in ("corridors", "all"):
        raise typer.BadParameter("--width applies to the corridors layer (and 'all')", param_hint="--width")
    if overlay is not None:
        o.check_engine(engine)
    inputs = o.input_files(overlay, data)
    o.check_outputs({"--output": output}, overwrite=overwrite, inputs=inputs,
                    formats={"--output": detect_format(output, fmt)})
    from hunan_map.cli.overlay import check_rejects_target

    check_rejects_target(overlay, output, overwrite, inputs)
    flt = o.filters(industry, tier, layout, source, year, place, role=role, level=level, data=data)
    names = [n for n in LAYER_CHOICES if n not in ("all", "overlay")] if layer == "all" else [layer]
    frames = {}
    for name in names:
        if name == "overlay":
            continue
        extra = {"width_km": width} if name == "corridors" and width else {}
        frames[name] = layers.layer(name, data_dir=data, **extra, **flt)
    pending = None
    if overlay is not None:
        from hunan_map.cli.overlay import load_overlay

        with progress(f"Reading and joining {overlay}"):
            loaded, pending = load_overlay(overlay, overlay_crs, lon, lat, strict, output, overwrite, data,
                                           aggregate=aggregate, engine=engine, scheduler=scheduler, hex_km=hex_km,
                                           layer=overlay_layer, encoding=encoding)
        if aggregate:
            frames.update({"overlay_counties": loaded.counties, "overlay_zones": loaded.zones,
                           "overlay_hexes": loaded.hexes})
        else:
            frames["overlay"] = loaded
    with progress(f"Writing {output}"):
        write_layers(frames, output, fmt=fmt, crs=crs, overwrite=overwrite)
    counts = ", ".join(f"{n}: {len(f)}" for n, f in frames.items())
    say(f"Wrote {output} ({counts})")
    if pending is not None:
        pending.save()
