"""``hunan-map industries | sources | layouts | geocode | matrix``: what the knowledge base holds."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Optional

import typer

from hunan_map.cli import options as o
from hunan_map.cli._cache import printed
from hunan_map.cli._app import app, handle_errors, out, say


@app.command()
@printed("industries")
@handle_errors
def industries(
    tier: Annotated[Optional[str], typer.Option("--tier", help="Only industries a document puts in this tier. Example: --tier future")] = None,
    source: Annotated[Optional[str], typer.Option("--source", "-s", help="That document's own tree, as it groups "
                                                  "its industries (with --tier: its tiers only). Example: --source hn2026")] = None,
    data: o.DataDir = None, no_cache: o.NoCache = False,
) -> None:
    """The industry taxonomy as a tree with aliases and tiers; with --source, that document's own tree.

    Example: hunan-map industries --source hn2023
    """
    from hunan_map.layers import context

    ctx = context(data)
    tax = ctx.kb.taxonomy
    tiers = ctx.kb.industry_tiers
    if source:
        if source not in set(ctx.kb.sources["id"]):
            raise typer.BadParameter(f"no document {source!r}; use one of {', '.join(ctx.kb.sources['id'])}", param_hint="--source")
        tiers = tiers[tiers["source"] == source]
        if not tier:
            for depth, ind, in_source in tax.tree(source):
                label = in_source.split(";")[0] if in_source else tax.name(ind)
                t = tiers[(tiers["industry"] == ind) & (tiers["tier"] != "sub_sector")]
                tier_text = ", ".join(dict.fromkeys(t["tier"]))
                out.print(f"{'  ' * depth}{label}  [{ind}] {tax.name_en(ind)}" + (f"  tier: {tier_text}" if tier_text else ""),
                          markup=False)
            return
    keep = None
    if tier:
        keep = set(tiers.loc[tiers["tier"] == tier, "industry"])
        if not keep:
            from hunan_map.layers.errors import UnknownValueError

            try:
                tax.in_tier(tier)  # raises for an unknown tier
            except UnknownValueError as exc:
                raise typer.BadParameter(str(exc), param_hint="--tier") from None
    for depth, ind in tax.tree_rows():
        if keep is not None and ind not in keep:
            continue
        row = tax.table.loc[ind]
        t = tiers[(tiers["industry"] == ind) & (tiers["tier"] != "sub_sector")]
        tier_text = "; ".join(f"{r.tier} ({r.source}" + (f", 2030: {r.target_2030:g} {r.target_unit}" if r.target_2030 == r.target_2030 else "") + ")"
                              for r in t.itertuples())
        aliases = row["aliases"].replace(";", "、")
        line = f"{'  ' * (0 if keep is not None else depth)}{row['name']} {row['name_en']} [{ind}]"
        if aliases:
            line += f"  aliases: {aliases}"
        if tier_text:
            line += f"  tiers: {tier_text}"
        out.print(line, markup=False)


@app.command()
@handle_errors
def sources(
    coverage: Annotated[bool, typer.Option("--coverage", help="Per document: sections in the coverage ledger, "
                                           "sections with rows, and how many facts of each kind the tables hold. "
                                           "Example: --coverage")] = False,
    data: o.DataDir = None,
) -> None:
    """The five documents and the 2018 catalogue, and what each contributes to the knowledge base.

    Example: hunan-map sources --coverage
    """
    from hunan_map.layers import context

    ctx = context(data)
    kb = ctx.kb
    if coverage:
        from hunan_map.layers import reports

        frame = reports.coverage_summary(ctx)
        say("Per source: sections in the coverage ledger (layers/kb/data/coverage.csv) and the facts the tables hold")
        for row in frame.to_dict("records"):
            src = row.pop("source")
            out.print(f"{src}  " + ", ".join(f"{k.replace('_', ' ')}: {v}" for k, v in row.items()), markup=False)
        return
    for s in kb.sources.itertuples(index=False):
        when = s.date or f"{int(s.year)} (undated)"
        number = f" {s.doc_number}" if s.doc_number else ""
        out.print(f"{s.id}  {when}  {s.scope}{number}", markup=False)
        out.print(f"  {s.title}", markup=False)
        out.print(f"  {s.title_en}", markup=False)
        counts = {
            "parks and platforms named": int((kb.parks["source"] == s.id).sum()),
            "clusters": int((kb.clusters["source"] == s.id).sum()),
            "industries in its systems": int((kb.industry_tiers["source"] == s.id).sum()),
            "layout parts": int((kb.layout_parts["source"] == s.id).sum()),
            "industry facts": int((ctx.kb.facts["source"] == s.id).sum()),
        }
        out.print("  " + ", ".join(f"{k}: {v}" for k, v in counts.items()), markup=False)


@app.command()
@handle_errors
def layouts(data: o.DataDir = None) -> None:
    """The regional layout schemes and their parts (zones and corridors) with industries.

    Example: hunan-map layouts
    """
    from hunan_map.layers import context
    from hunan_map.layers.areas import _part_table

    ctx = context(data)
    parts = _part_table(ctx)
    for lay in ctx.kb.layouts.itertuples(index=False):
        out.print(f"{lay.name} {lay.name_en} [{lay.id}] ({lay.source} {lay.section}, {int(lay.year)})", markup=False)
        for p in parts[parts["layout_id"] == lay.id].itertuples():
            inds = "、".join(p.industries)
            out.print(f"  {p.kind:8} {p.name} [{p.id}]" + (f"  {inds}" if inds else ""), markup=False)


@app.command()
@printed("geocode")
@handle_errors
def geocode(
    name: Annotated[str, typer.Argument(help="A place: prefecture, county, park, platform, layout zone or town (乡镇街道) "
                                        "by any name, in Chinese, English or pinyin. Example: 湘西州, liuyang, 长株潭地区, "
                                        "易俗河镇")],
    prefecture: Annotated[Optional[str], typer.Option("--prefecture", help="Prefecture to choose between places of the same name. Example: --prefecture 长沙")] = None,
    data: o.DataDir = None, no_cache: o.NoCache = False,
) -> None:
    """Find a place offline and print what matched, how, and where (JSON on stdout).

    Example: hunan-map geocode 长沙高新区
    """
    import json

    from hunan_map.layers import context, gazetteer

    from hunan_map.geo.errors import UnknownPlaceError

    gaz = gazetteer(context(data))
    if prefecture is not None:
        try:
            gaz.prefecture(prefecture)
        except UnknownPlaceError as exc:
            raise typer.BadParameter(str(exc), param_hint="--prefecture") from None
    res = gaz.geocode(name, prefecture=prefecture)
    geom = res.geometry
    c = None if geom is None or geom.is_empty else (geom if geom.geom_type == "Point" else geom.representative_point())
    # a place the documents give only as Hunan as a whole has no point (precision province)
    typer.echo(json.dumps({"query": res.query, "kind": res.kind, "id": res.id, "name": res.name,
                           "matched_by": res.matched_by, "precision": res.precision,
                           "prefecture_adcode": res.prefecture_adcode, "county_adcode": res.county_adcode,
                           "lon": None if c is None else round(c.x, 6),
                           "lat": None if c is None else round(c.y, 6)}, ensure_ascii=False))


@app.command()
@handle_errors
def matrix(
    by: Annotated[str, typer.Option("--by", help="prefecture, county or zone. Example: --by zone")] = "prefecture",
    entity: Annotated[str, typer.Option("--entity", help="parks (development zones), platforms or clusters; a "
                                        "cluster counts in every member prefecture. Example: --entity clusters")] = "parks",
    drop_empty: Annotated[bool, typer.Option("--drop-empty", help="Leave out areas where nothing is counted "
                                             "(all areas are kept by default). Example: --drop-empty")] = False,
    rollup: Annotated[bool, typer.Option("--rollup/--no-rollup", help="Count entities under parent industries "
                                         "too (default), so parent rows include their children. "
                                         "Example: --no-rollup")] = True,
    output: Annotated[Optional[Path], typer.Option("--output", "-o", help="Write CSV here instead of stdout. Example: -o matrix.csv")] = None,
    industry: o.Industry = None, tier: o.Tier = None, layout: o.Layout = None, source: o.Source = None,
    year: o.Year = None, place: o.Place = None, role: o.Role = None, level: o.Level = None,
    broader: o.Broader = False,
    data: o.DataDir = None, overwrite: o.Overwrite = False, csv_raw: o.CsvRaw = False,
) -> None:
    """Industry x prefecture (or zone) counts of parks or clusters, as CSV.

    Example: hunan-map matrix --entity clusters -o matrix.csv
    """
    from hunan_map import layers
    from hunan_map.layers.io.export import write_text_atomic

    if by not in ("prefecture", "county", "zone"):
        raise typer.BadParameter(f"{by!r} is not an axis; use prefecture, county or zone", param_hint="--by")
    if entity not in ("parks", "platforms", "clusters"):
        raise typer.BadParameter(f"{entity!r} is not countable; use parks, platforms or clusters", param_hint="--entity")
    o.check_outputs({"--output": output}, overwrite=overwrite, data=data)
    m = layers.industry_matrix(by=by, entity=entity, data_dir=data, rollup=rollup, drop_empty=drop_empty,
                               **o.filters(industry, tier, layout, source, year, place, role=role, level=level, data=data, broader=broader))
    from hunan_map.layers.io._cells import spreadsheet_safe

    text = spreadsheet_safe(m, raw=csv_raw).to_csv()
    if m.attrs.get("note"):
        say(f"Note: {m.attrs['note']} (--no-rollup counts only the industries stated)")
    if m.attrs.get("unlocated"):
        say(f"{len(m.attrs['unlocated'])} clusters have no member place and are counted nowhere: "
            + "、".join(m.attrs["unlocated"]))
    if output is None:
        typer.echo(text, nl=False)
    else:
        write_text_atomic(output, text, overwrite=overwrite)
        say(f"Wrote {output} ({m.shape[0]} industries x {m.shape[1]} {by}s)")
