"""``hunan-map timeline``: what each document gave a place or an industry, in date order, with the
status of each step (new, kept, dropped, out_of_scope) — table, CSV or JSON on stdout."""

from __future__ import annotations

import json
from typing import Annotated, Optional

import typer

from hunan_map.cli import options as o
from hunan_map.cli._app import app, handle_errors, out, say
from hunan_map.cli.query import records

_MARK = {"new": "+", "kept": "=", "dropped": "-", "out_of_scope": "·", "absent": ""}


@app.command()
@handle_errors
def timeline(
    place: o.Place = None,
    industry: o.Industry = None,
    start: Annotated[Optional[str], typer.Option("--from", help="First document (id); with --to, just the two. "
                                                 "Example: --from hn2013")] = None,
    end: Annotated[Optional[str], typer.Option("--to", help="Last document (id). Example: --to hn2026")] = None,
    fmt: Annotated[str, typer.Option("--format", "-f", help="table, json or csv. Example: --format json")] = "table",
    tier: o.Tier = None, source: o.Source = None, year: o.Year = None, role: o.Role = None, level: o.Level = None,
    layout: o.Layout = None, data: o.DataDir = None,
) -> None:
    """Policy over time: --place gives industries x documents, --industry gives prefectures x documents, and
    --from/--to alone compare which parks, clusters and zones two documents name. Each cell: how the document
    covers the row (exact, narrower, layout, catalogue, broader) with its facts (role, citation); each step:
    new, kept, dropped, or out_of_scope where a document does not cover the place or the industry.

    Example: hunan-map timeline --place 株洲市 --format json
    """
    from hunan_map import layers
    from hunan_map.layers.history import first_placed

    if fmt not in ("table", "json", "csv"):
        raise typer.BadParameter(f"{fmt!r} is not a format; use table, json or csv", param_hint="--format")
    if place and len(place) > 1 or industry and len(industry) > 1:
        raise typer.BadParameter("one place or one industry at a time", param_hint="--place" if place else "--industry")
    if not place and not industry and not (start and end):
        raise typer.BadParameter("give --place, --industry, or both --from and --to", param_hint="--place")
    flt = o.filters(industry, tier, layout, source, year, place, role=role, level=level, data=data, layer="timeline")
    flt.pop("place", None)
    flt.pop("industry", None)
    frame = layers.timeline(place=place[0] if place else None, industry=industry[0] if industry else None,
                            start=start, end=end, data_dir=data, **flt)
    if fmt == "json":
        typer.echo(json.dumps(records(frame), ensure_ascii=False, indent=2))
    elif fmt == "csv":
        from hunan_map.layers.io.export import flatten_lists

        typer.echo(flatten_lists(frame).to_csv(index=False), nl=False)
    else:
        from rich.table import Table

        docs = list(dict.fromkeys(frame["document"]))
        table = Table(title="+ new  = kept  - dropped  · out of scope", show_lines=False)
        table.add_column(str(frame["row_type"].iloc[0]) if len(frame) else "row", overflow="fold")
        for d in docs:
            table.add_column(d, overflow="fold")
        for _key, grp in frame.groupby(["row_type", "row_id"], sort=False):
            cells = {r.document: f"{_MARK[r.status]}{r.present}" for r in grp.itertuples(index=False)}
            table.add_row(str(grp["row"].iloc[0]), *[cells.get(d, "") for d in docs])
        out.print(table)
    last = list(dict.fromkeys(frame["document"]))[-1:] if len(frame) else []
    steps = frame[frame["document"].isin(last)] if start and end else frame
    counts = steps["status"].value_counts()
    prefix = f"{last[0]} against {start}: " if start and end and last else ""
    say(prefix + " · ".join(f"{counts.get(s, 0)} {s}" for s in ("new", "kept", "dropped", "out_of_scope")))
    first = first_placed(frame)
    if industry and first:
        say(f"first placed by {first[0]} in {'、'.join(first[1])}")
