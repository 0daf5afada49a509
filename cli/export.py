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
    crs: Annotated[Optional[str], typer.Option("--crs", callback=o.crs_option("--crs"), help="Output coordinates: EPSG:4490 (CGCS2000), EPSG:4546 "
                                               "(CGCS2000 Gauss-Kruger CM 111E, metres), gcj02 (Amap), bd09 or any EPSG "
                                               "code; WGS84 by default. GeoJSON and KML take WGS84 only, Shapefiles no "
                                               "gcj02/bd09. Example: --crs EPSG:4490")] = None,
    lang: Annotated[str, typer.Option("--lang", help="Language of the labels in the default styles (GeoPackage "
                                      "layer_styles, Shapefile .qml) and of KML placemark names: zh or en; other "
                                      "formats have no labels. Example: --lang en")] = "zh",
    width: o.Width = None,
    overlay: o.OverlayFile = None, overlay_crs: o.OverlayCrs = None, overlay_layer: o.OverlayLayer = None,
    encoding: o.Encoding = None, lon: o.Lon = None, lat: o.Lat = None, strict: o.Strict = False,
    aggregate: Annotated[bool, typer.Option("--aggregate", help="Write overlay counts per county, zone and hexagon "
                                            "(layers overlay_counties, overlay_zones, overlay_hexes) instead of "
                                            "the joined features. Example: --aggregate")] = False,
    engine: o.Engine = "pandas", scheduler: o.Scheduler = None, hex_km: o.HexKm = 10.0, near_km: o.NearKm = None,
    industry: o.Industry = None, tier: o.Tier = None, layout: o.Layout = None, source: o.Source = None,
    year: o.Year = None, place: o.Place = None, role: o.Role = None, level: o.Level = None,
    broader: o.Broader = False,
    data: o.DataDir = None, overwrite: o.Overwrite = False, csv_raw: o.CsvRaw = False,
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
    if lang not in ("zh", "en"):
        raise typer.BadParameter(f"{lang!r} is not a language; use zh or en", param_hint="--lang")
    if lang != "zh" and detect_format(output, fmt) not in ("gpkg", "shp", "kml"):
        raise typer.BadParameter("labels exist only in GeoPackage and Shapefile styles and KML names; "
                                 "leave out --lang for this format", param_hint="--lang")
    if crs is not None:
        from hunan_map.geo.crs import canonical_crs
        from hunan_map.layers.io.export import crs_refusal

        try:
            refusal = crs_refusal(detect_format(output, fmt), canonical_crs(crs))
        except ValueError as exc:
            raise typer.BadParameter(str(exc), param_hint="--crs") from None
        if refusal:
            raise typer.BadParameter(refusal, param_hint="--crs")
    if layer == "overlay" and overlay is None:
        raise typer.BadParameter("the overlay layer needs --overlay FILE", param_hint="--overlay")
    if width is not None and layer not in ("corridors", "all"):
        raise typer.BadParameter("--width applies to the corridors layer (and 'all')", param_hint="--width")
    if overlay is not None:
        o.check_engine(engine)
    o.check_near_km(near_km, overlay)
    if near_km is not None and aggregate:
        raise typer.BadParameter("--near-km applies to joined features, not to --aggregate counts; leave one out",
                                 param_hint="--near-km")
    o.check_outputs({"--output": output}, overwrite=overwrite, overlay=overlay, data=data,
                    formats={"--output": detect_format(output, fmt)})
    flt = o.filters(industry, tier, layout, source, year, place, role=role, level=level, data=data, broader=broader)
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
                                           layer=overlay_layer, encoding=encoding, near_km=near_km)
        if aggregate:
            frames.update({"overlay_counties": loaded.counties, "overlay_zones": loaded.zones,
                           "overlay_hexes": loaded.hexes})
        else:
            frames["overlay"] = loaded
    tables = None
    if layer == "all" and detect_format(output, fmt) == "gpkg":  # one join in QGIS reproduces --industry
        from hunan_map.layers import answers, context

        tables = answers.gis_tables(context(data), layers.Filter.make(**flt))
    with progress(f"Writing {output}"):
        write_layers(frames, output, fmt=fmt, crs=crs, overwrite=overwrite, lang=lang, tables=tables, csv_raw=csv_raw)
    counts = ", ".join(f"{n}: {len(f)}" for n, f in frames.items())
    say(f"Wrote {output} ({counts})")
    if pending is not None:
        pending.save()
