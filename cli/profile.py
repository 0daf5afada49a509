"""``hunan-map profile PLACE``: one place's whole record (facts by document, inherited facts, catalogue
entry, location) as a table, JSON, CSV or Markdown on stdout."""

from __future__ import annotations

import json
from typing import Annotated

import typer

from hunan_map.cli import options as o
from hunan_map.cli._app import app, handle_errors, out, say
from hunan_map.cli.query import records

FACT_COLUMNS = ["source", "section", "entity_name", "industry_name", "wording", "role", "match", "via"]
_TITLES = {"facts": "Facts", "inherited": "Inherited through layouts and clusters", "catalogue": "2018 catalogue"}


def _md_cell(value) -> str:
    text = "、".join(map(str, value)) if isinstance(value, list) else ("" if value is None else str(value))
    return text.replace("|", "\\|").replace("\n", " ")


def _markdown(record: dict) -> str:
    place = record["place"].iloc[0]
    where = " · ".join(str(x) for x in (place["prefecture"], place["county"]) if x)
    lines = [f"# {place['name']} ({place['kind']})", ""]
    loc = f"{place['lon']:.5f}, {place['lat']:.5f} (WGS84)" if place["lon"] is not None and place["lon"] == place["lon"] \
        else "no point"
    lines += [f"- Where: {where or 'Hunan'}; {loc}; precision: {place['precision']}", ""]
    for part in ("facts", "inherited", "catalogue"):
        frame = record[part]
        lines += [f"## {_TITLES[part]} ({len(frame)})", ""]
        if not len(frame):
            lines += ["(none)", ""]
            continue
        cols = [c for c in (FACT_COLUMNS if part != "catalogue" or "code" not in frame else list(frame.columns))
                if c in frame.columns]
        lines += ["| " + " | ".join(cols) + " |", "|" + "---|" * len(cols)]
        lines += ["| " + " | ".join(_md_cell(v) for v in row) + " |" for row in frame[cols].itertuples(index=False)]
        lines.append("")
    return "\n".join(lines)


@app.command()
@handle_errors
def profile(
    place: Annotated[str, typer.Argument(help="A prefecture, county, park, platform, development zone or layout "
                                         "part by name, alias, adcode, pinyin or id. Example: 衡阳市")],
    fmt: Annotated[str, typer.Option("--format", "-f", help="table, json, csv or md (Markdown, for a report). "
                                     "Example: --format md")] = "table",
    industry: o.Industry = None, tier: o.Tier = None, layout: o.Layout = None, source: o.Source = None,
    year: o.Year = None, role: o.Role = None, level: o.Level = None, broader: o.Broader = False,
    data: o.DataDir = None,
) -> None:
    """Everything the documents say about one place, grouped by document in date order, with section, role,
    the fact's own wording and how it matched; what it inherits through layouts and clusters, apart; its 2018
    catalogue entry; its location and how precise it is.

    Example: hunan-map profile 长沙高新区 --format md
    """
    from hunan_map import layers
    from hunan_map.geo.errors import AmbiguousPlaceError, UnknownPlaceError

    if fmt not in ("table", "json", "csv", "md"):
        raise typer.BadParameter(f"{fmt!r} is not a format; use table, json, csv or md", param_hint="--format")
    flt = o.filters(industry, tier, layout, source, year, None, role=role, level=level, data=data, broader=broader,
                    layer="profile")
    try:
        o.check_filters({"place": [place]}, data)
    except typer.BadParameter as exc:
        raise typer.BadParameter(exc.message, param_hint="PLACE") from None
    try:
        record = layers.profile(place, data_dir=data, **flt)
    except (UnknownPlaceError, AmbiguousPlaceError) as exc:
        raise typer.BadParameter(str(exc), param_hint="PLACE") from None
    counts = {k: len(v) for k, v in record.items() if k != "place"}
    if fmt == "json":
        typer.echo(json.dumps({k: records(v) for k, v in record.items()}, ensure_ascii=False, indent=2))
    elif fmt == "csv":
        import pandas as pd

        from hunan_map.layers.io.export import flatten_lists

        parts = [record[k].assign(part=k) for k in ("facts", "inherited") if len(record[k])]
        if len(record["catalogue"]):
            parts.append(record["catalogue"].assign(part="catalogue"))
        frame = pd.concat(parts, ignore_index=True) if parts else pd.DataFrame(columns=["part", *FACT_COLUMNS])
        typer.echo(flatten_lists(frame).to_csv(index=False), nl=False)
    elif fmt == "md":
        typer.echo(_markdown(record))
    else:
        from rich.table import Table

        typer.echo(_markdown(record).split("\n## ")[0].strip())
        for part in ("facts", "inherited", "catalogue"):
            frame = record[part]
            table = Table(title=f"{_TITLES[part]} ({len(frame)})", show_lines=False)
            cols = [c for c in (FACT_COLUMNS if "code" not in frame else list(frame.columns)) if c in frame.columns]
            for col in cols:
                table.add_column(col, overflow="fold")
            for row in records(frame):
                table.add_row(*[_md_cell(row.get(c)) for c in cols])
            out.print(table)
    say(" · ".join(f"{n} {k}" for k, n in counts.items()))
