"""``hunan-map query``: filtered entities as a table, JSON or CSV on stdout."""

from __future__ import annotations

import json
from typing import Annotated, Optional

import typer

from hunan_map.cli import options as o
from hunan_map.cli._cache import printed
from hunan_map.cli._app import app, handle_errors, out, say

QUERY_LAYERS = ("parks", "platforms", "clusters", "zones", "corridors", "facts", "park-zones")
_TABLE_COLUMNS = {
    "parks": ["id", "name", "city", "county", "level", "industries"],
    "platforms": ["id", "name", "city", "county", "industries"],
    "clusters": ["id", "name", "industry", "level", "members"],
    "zones": ["id", "name", "layout", "year", "industries", "members"],
    "corridors": ["id", "name", "layout", "year", "route"],
    "facts": ["entity_type", "entity_name", "industry_name", "role", "source", "section"],
    "park-zones": ["park", "layout", "part", "relation", "distance_km"],
}


def records(frame) -> list[dict]:
    """Rows as JSON-ready dicts: lists stay lists, geometry becomes lon/lat for points."""
    import pandas as pd

    df = pd.DataFrame(frame)
    if "geometry" in df.columns:
        df = df.drop(columns="geometry")
    rows = df.to_dict("records")
    for row in rows:
        for key, value in list(row.items()):
            if isinstance(value, float) and value != value:
                row[key] = None
            elif hasattr(value, "item") and not isinstance(value, (list, str)):
                row[key] = value.item()
    return rows


@app.command()
@printed("query")
@handle_errors
def query(
    layer: Annotated[str, typer.Argument(help=f"What to list: {', '.join(QUERY_LAYERS)}. Example: parks")],
    fmt: Annotated[str, typer.Option("--format", "-f", help="table, json or csv. Example: --format json")] = "table",
    near: Annotated[Optional[str], typer.Option("--near", help="Parks only: keep those within --km of this place, park "
                                                "or corridor (adds distance_km). Example: --near 长沙高新区")] = None,
    km: o.Km = 10.0,
    industry: o.Industry = None, tier: o.Tier = None, layout: o.Layout = None, source: o.Source = None,
    year: o.Year = None, place: o.Place = None, role: o.Role = None, level: o.Level = None,
    data: o.DataDir = None, no_cache: o.NoCache = False,
) -> None:
    """List the entities that match the filters (data on stdout).

    Example: hunan-map query parks --industry 新材料 --format json
    """
    from hunan_map import layers

    if layer not in QUERY_LAYERS:
        raise typer.BadParameter(f"{layer!r} cannot be queried; use one of {', '.join(QUERY_LAYERS)}", param_hint="LAYER")
    if fmt not in ("table", "json", "csv"):
        raise typer.BadParameter(f"{fmt!r} is not a format; use table, json or csv", param_hint="--format")
    if near is not None and layer != "parks":
        raise typer.BadParameter("--near works with the parks layer", param_hint="--near")
    flt = o.filters(industry, tier, layout, source, year, place, role=role, level=level, data=data)
    if layer == "facts":
        frame = layers.long_form(data_dir=data, **flt)
    elif layer == "park-zones":
        frame = layers.park_zones(near_km=km, data_dir=data, **flt)
    elif near is not None:
        from hunan_map.geo.errors import AmbiguousPlaceError, UnknownPlaceError
        from hunan_map.layers.errors import UnknownValueError

        try:
            frame = layers.parks_within(near, km, data_dir=data, **flt)
        except (UnknownPlaceError, AmbiguousPlaceError, UnknownValueError) as exc:
            raise typer.BadParameter(str(exc), param_hint="--near") from None
    elif layer == "clusters":
        frame = layers.clusters(include_unlocated=True, data_dir=data, **flt)
    else:
        frame = layers.layer(layer, data_dir=data, **flt)
    emit(records(frame), layer, fmt, _TABLE_COLUMNS[layer])


def emit(rows: list[dict], what: str, fmt: str, cols: list[str]) -> None:
    """Print rows on stdout as a table, JSON or CSV (lists joined with ';' in CSV); count on stderr."""
    if fmt not in ("table", "json", "csv"):
        raise typer.BadParameter(f"{fmt!r} is not a format; use table, json or csv", param_hint="--format")
    if fmt != "table":
        say(f"{len(rows)} {what}")
    if fmt == "json":
        typer.echo(json.dumps(rows, ensure_ascii=False, indent=2))
    elif fmt == "csv":
        from hunan_map.layers.io.export import flatten_lists
        import pandas as pd

        typer.echo(flatten_lists(pd.DataFrame(rows)).to_csv(index=False), nl=False)
    else:
        from rich.table import Table

        table = Table(show_lines=False)
        for col in cols:
            table.add_column(col, overflow="fold")
        for row in rows:
            table.add_row(*["、".join(map(str, v)) if isinstance(v, list) else ("" if v is None else str(v))
                            for v in (row.get(c) for c in cols)])
        out.print(table)
        out.print(f"{len(rows)} {what}", markup=False)
