"""Options shared by several commands (filters, output, data folder), in one place."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Optional

import typer

Industry = Annotated[Optional[list[str]], typer.Option(
    "--industry", "-i", help="Industry by any name, alias, English name or id; includes its "
    "descendants. Repeat to OR. Example: --industry 新材料")]
Tier = Annotated[Optional[list[str]], typer.Option(
    "--tier", help="Tier: traditional, advantage, emerging, future (also potential, special). "
    "Example: --tier emerging")]
Layout = Annotated[Optional[list[str]], typer.Option(
    "--layout", "-l", help="Layout scheme by name or id. Example: --layout 三带四区")]
Source = Annotated[Optional[list[str]], typer.Option(
    "--source", "-s", help="Source document id (hn2023, hn2021sei, hn2026, hn2013, cs2021). "
    "Example: --source cs2021")]
Year = Annotated[Optional[list[str]], typer.Option(
    "--year", help="Year of the source document. Example: --year 2026")]
Place = Annotated[Optional[list[str]], typer.Option(
    "--place", "-p", help="Prefecture or county by name, adcode or pinyin. Example: --place 长沙")]
DataDir = Annotated[Optional[Path], typer.Option(
    "--data", help="Folder with your edited copy of the knowledge-base CSV files. "
    "Example: --data ./my-data")]
Overwrite = Annotated[bool, typer.Option(
    "--overwrite", help="Replace the output file if it exists. Example: --overwrite")]


def filters(industry=None, tier=None, layout=None, source=None, year=None, place=None) -> dict:
    """The filter keywords for the library, leaving out options that were not given."""
    given = {"industry": industry, "tier": tier, "layout": layout, "source": source, "year": year,
             "place": place}
    return {k: v for k, v in given.items() if v}

OverlayFile = Annotated[Optional[Path], typer.Option(
    "--overlay", help="Your own points or polygons (CSV, GeoJSON, GeoPackage, Shapefile), joined to "
    "counties, zones and the nearest park. Example: --overlay firms.csv")]
OverlayCrs = Annotated[str, typer.Option(
    "--overlay-crs", help="Coordinates of the overlay: wgs84, cgcs2000, gcj02 or bd09. Example: --overlay-crs gcj02")]
Lon = Annotated[Optional[str], typer.Option("--lon", help="Overlay CSV longitude column. Example: --lon X坐标")]
Lat = Annotated[Optional[str], typer.Option("--lat", help="Overlay CSV latitude column. Example: --lat Y坐标")]
Strict = Annotated[bool, typer.Option("--strict", help="Fail if any overlay row is rejected. Example: --strict")]
Engine = Annotated[str, typer.Option(
    "--engine", help="Engine for counting large overlays: pandas, or dask (dask-geopandas on a dask.distributed "
    "cluster). Example: --engine dask")]
Scheduler = Annotated[Optional[str], typer.Option(
    "--scheduler", help="Address of an existing dask scheduler (default: a local cluster). "
    "Example: --scheduler tcp://10.0.0.5:8786")]
HexKm = Annotated[float, typer.Option("--hex-km", help="Hexagon width in km for overlay counts. Example: --hex-km 5")]


def check_engine(engine: str) -> None:
    """Reject an unknown engine name as a usage error (exit 2)."""
    if engine not in ("pandas", "dask"):
        raise typer.BadParameter(f"{engine!r} is not an engine; use pandas or dask", param_hint="--engine")
