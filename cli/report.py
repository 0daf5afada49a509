"""``hunan-map targets | compare-catalogue``: the targets table and the policy-vs-catalogue report."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Optional

import typer

from hunan_map.cli import options as o
from hunan_map.cli._app import app, handle_errors, say
from hunan_map.cli.query import emit, records

Format = Annotated[str, typer.Option("--format", "-f", help="table, json or csv. Example: --format csv")]


@app.command()
@handle_errors
def targets(
    industry: Annotated[Optional[str], typer.Option("--industry", "-i", help="Targets about this industry or one "
                                                    "below it (any name). Example: --industry 工程机械")] = None,
    source: Annotated[Optional[list[str]], typer.Option("--source", "-s", help="Only these documents. "
                                                        "Example: --source cs2021")] = None,
    year: Annotated[Optional[list[str]], typer.Option("--year", help="Target year. Example: --year 2025")] = None,
    fmt: Format = "table",
    data: o.DataDir = None, csv_raw: o.CsvRaw = False,
) -> None:
    """Every numeric target (and baseline) the documents set: subject, metric, value, unit, year, citation.

    Example: hunan-map targets --year 2025 --format csv
    """
    from hunan_map.layers import context, reports
    from hunan_map.layers.errors import UnknownValueError

    ctx = context(data)
    if source:
        known = set(ctx.kb.sources["id"])
        for s in source:
            if s not in known:
                raise typer.BadParameter(f"no source {s!r}; use one of {', '.join(sorted(known))}", param_hint="--source")
    try:
        frame = reports.targets(ctx, source=source, industry=industry, year=year)
    except UnknownValueError as exc:
        raise typer.BadParameter(str(exc), param_hint="--industry") from None
    except ValueError:
        raise typer.BadParameter(f"{year!r} is not a year; write e.g. 2025", param_hint="--year") from None
    emit(records(frame), "targets", fmt, ["subject_name", "industry_name", "metric", "comparator", "value", "unit",
                                          "year", "source", "section"], csv_raw=csv_raw)


@app.command("compare-catalogue")
@handle_errors
def compare_catalogue(
    status: Annotated[Optional[list[str]], typer.Option("--status", help="plan_only, catalogue_only or both. "
                                                        "Example: --status plan_only")] = None,
    industry: Annotated[Optional[str], typer.Option("--industry", "-i", help="Only this industry or those below "
                                                    "it. Example: --industry 电子信息")] = None,
    place: Annotated[Optional[str], typer.Option("--place", help="Only this prefecture or county. "
                                                 "Example: --place 衡阳市")] = None,
    fmt: Format = "table",
    output: Annotated[Optional[Path], typer.Option("--output", "-o", help="Also write the report as CSV or "
                                                   "JSON (by extension). Example: -o report.csv")] = None,
    data: o.DataDir = None, overwrite: o.Overwrite = False, csv_raw: o.CsvRaw = False,
) -> None:
    """Policy vs the 2018 catalogue: where a plan assigns an industry to a place whose development zones
    do not list it as a lead industry (plan_only), where a zone's lead industry is in no plan for its
    place (catalogue_only), and where they agree (both).

    Example: hunan-map compare-catalogue --status plan_only --format csv
    """
    from hunan_map.layers import context, reports
    from hunan_map.layers.errors import UnknownValueError

    if output is not None:
        if output.suffix.lower() not in (".csv", ".json"):
            raise typer.BadParameter(f"{str(output)!r}: write .csv or .json", param_hint="--output")
        o.check_outputs({"--output": output}, overwrite=overwrite, data=data)
    ctx = context(data)
    frame = reports.compare_catalogue(ctx)
    for s in status or []:
        if s not in ("plan_only", "catalogue_only", "both"):
            raise typer.BadParameter(f"{s!r} is not a status; use plan_only, catalogue_only or both", param_hint="--status")
    if status:
        frame = frame[frame["status"].isin(status)]
    if industry:
        from hunan_map.layers.match import industry_ids

        try:
            ids = industry_ids(ctx.kb, [industry])
        except UnknownValueError as exc:
            raise typer.BadParameter(str(exc), param_hint="--industry") from None
        frame = frame[frame["industry_id"].isin(ids)]
    if place:
        from hunan_map.geo.errors import AmbiguousPlaceError, UnknownPlaceError
        from hunan_map.geo.gazetteer import default_gazetteer

        try:
            hit = default_gazetteer().geocode(place)
        except (UnknownPlaceError, AmbiguousPlaceError) as exc:
            raise typer.BadParameter(str(exc), param_hint="--place") from None
        frame = frame[(frame["prefecture_adcode"] == hit.id) | (frame["county_adcode"] == hit.id)]
    rows = records(frame.reset_index(drop=True))
    if output is not None:
        from hunan_map.layers.io.export import flatten_lists, write_text_atomic

        if output.suffix.lower() == ".json":
            import json

            text = json.dumps(rows, ensure_ascii=False, indent=2)
        elif output.suffix.lower() == ".csv":
            from hunan_map.layers.io._cells import spreadsheet_safe

            text = spreadsheet_safe(flatten_lists(frame), raw=csv_raw).to_csv(index=False)
        else:
            raise typer.BadParameter(f"{str(output)!r}: write .csv or .json", param_hint="--output")
        write_text_atomic(output, text, overwrite=overwrite)
        say(f"Wrote {output}")
    emit(rows, "rows", fmt, ["status", "match", "prefecture", "county", "industry", "plan_entities", "zones",
                             "zone_leads", "plan_sources"], csv_raw=csv_raw)
    both = frame[frame["status"] == "both"]
    if len(both):
        counts = both["match"].value_counts()
        say(f"both: {counts.get('exact', 0)} exact, {counts.get('narrower', 0)} narrower (the zone lists a narrower "
            f"industry), {counts.get('broader', 0)} broader (the zone lists only a broader industry: a weak agreement)")
