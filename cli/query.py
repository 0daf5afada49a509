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
    "parks": ["id", "name", "city", "county", "level", "precision", "site", "industries", "layout_industries", "catalogue_industries",
              "sources"],
    "platforms": ["id", "name", "city", "county", "industries", "layout_industries", "sources"],
    "clusters": ["id", "name", "industry", "level", "members", "sources"],
    "zones": ["id", "name", "layout", "year", "industries", "members", "sources"],
    "corridors": ["id", "name", "layout", "year", "route", "sources"],
    "facts": ["entity_type", "entity_name", "industry_name", "wording", "role", "match", "via", "source", "section"],
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
    near: Annotated[Optional[str], typer.Option("--near", help="Parks only: keep those within --km of this place (county, "
                                                "town, park) or corridor (adds distance_km). Example: --near 黄花镇")] = None,
    km: o.Km = 10.0,
    industry: o.Industry = None, tier: o.Tier = None, layout: o.Layout = None, source: o.Source = None,
    year: o.Year = None, place: o.Place = None, role: o.Role = None, level: o.Level = None,
    broader: o.Broader = False, data: o.DataDir = None, csv_raw: o.CsvRaw = False, no_cache: o.NoCache = False,
) -> None:
    """List the entities that match the filters (data on stdout). With --industry every row says how it
    matched (column match: exact, narrower, layout, catalogue, broader; matched: the facts, with wording,
    role and citation).

    Example: hunan-map query parks --industry 新材料 --format json
    """
    from hunan_map import layers

    if layer not in QUERY_LAYERS:
        raise typer.BadParameter(f"{layer!r} cannot be queried; use one of {', '.join(QUERY_LAYERS)}", param_hint="LAYER")
    if fmt not in ("table", "json", "csv"):
        raise typer.BadParameter(f"{fmt!r} is not a format; use table, json or csv", param_hint="--format")
    if near is not None and layer != "parks":
        raise typer.BadParameter("--near works with the parks layer", param_hint="--near")
    flt = o.filters(industry, tier, layout, source, year, place, role=role, level=level, data=data, broader=broader,
                    layer=layer)
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
    cols = list(_TABLE_COLUMNS[layer])
    if industry and layer not in ("facts", "park-zones"):
        cols[-1:-1] = ["match", "matched"]
    emit(records(frame), layer, fmt, cols, csv_raw=csv_raw)
    if not len(frame) and industry and not broader and layer != "park-zones":
        hint = broader_hint(layer, flt, data, near=near, km=km)
        if hint:
            say(hint)


def broader_hint(layer: str, flt: dict, data, *, near=None, km=10.0) -> str:
    """For an empty industry answer: what the broader question would find, and how to ask it."""
    from hunan_map import layers

    wider = {**flt, "broader": True}
    if layer == "facts":
        frame = layers.long_form(data_dir=data, **wider)
    elif near is not None:
        frame = layers.parks_within(near, km, data_dir=data, **wider)
    elif layer == "clusters":
        frame = layers.clusters(include_unlocated=True, data_dir=data, **wider)
    else:
        frame = layers.layer(layer, data_dir=data, **wider)
    if not len(frame):
        return ""
    if layer == "facts":
        parents = list(dict.fromkeys(frame["wording"].where(frame["wording"] != "", frame["industry_name"])))
    else:
        parents = list(dict.fromkeys(t.split(" (")[0] for ts in frame["matched"] for t in ts))
    asked = "、".join(flt["industry"])
    return (f"0 {layer} for {asked}; {len(frame)} {layer} are assigned the broader or related "
            f"{'、'.join(parents[:6])}{' …' if len(parents) > 6 else ''} — add --broader")


def emit(rows: list[dict], what: str, fmt: str, cols: list[str], *, csv_raw: bool = False) -> None:
    """Print rows on stdout as a table, JSON or CSV (lists joined with ';'; formula-like text guarded unless
    ``csv_raw``); count on stderr."""
    if fmt not in ("table", "json", "csv"):
        raise typer.BadParameter(f"{fmt!r} is not a format; use table, json or csv", param_hint="--format")
    if fmt != "table":
        say(f"{len(rows)} {what}")
    if fmt == "json":
        typer.echo(json.dumps(rows, ensure_ascii=False, indent=2))
    elif fmt == "csv":
        import pandas as pd

        from hunan_map.layers.io._cells import spreadsheet_safe
        from hunan_map.layers.io.export import flatten_lists

        typer.echo(spreadsheet_safe(flatten_lists(pd.DataFrame(rows)), raw=csv_raw).to_csv(index=False), nl=False)
    else:
        from rich.table import Table
        from rich.text import Text

        from hunan_map.layers.io._text import escape_controls

        table = Table(show_lines=False)
        for col in cols:
            table.add_column(col, overflow="fold")
        for row in rows:
            table.add_row(*[Text(escape_controls("、".join(map(str, v)) if isinstance(v, list)
                                                 else ("" if v is None else str(v))))
                            for v in (row.get(c) for c in cols)])
        out.print(table)
        out.print(f"{len(rows)} {what}", markup=False)
