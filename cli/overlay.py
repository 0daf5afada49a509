"""Overlay options shared by ``render`` and ``export``: read, report rejects, join."""

from __future__ import annotations

from pathlib import Path

import typer

from hunan_map.cli._app import err, say


def rejects_path(output: Path) -> Path:
    """Where the rejected rows of an overlay go: next to the output, ``<name>.rejects.csv``."""
    return output.with_name(output.stem + ".rejects.csv")


def load_overlay(path: Path, crs: str, lon: str | None, lat: str | None, strict: bool, output: Path,
                 overwrite: bool, data_dir: Path | None, *, aggregate: bool | None = False,
                 engine: str = "pandas", scheduler: str | None = None, hex_km: float = 10.0,
                 join_limit: int | None = None):
    """Read the user's overlay; report and save rejected rows (--strict makes them fatal); then
    join every feature to counties, zones and parks, or, with ``aggregate`` (None: automatically
    above ``settings.aggregate_limit`` points or with the dask engine), count them per county, zone and
    hexagon and return the :class:`~hunan_map.layers.aggregate.Aggregates`. With ``join_limit``,
    overlays larger than that are returned without the per-feature joins (a map of them shows
    no per-feature popups, so the joins would be wasted)."""
    from hunan_map import layers
    from hunan_map.layers import settings
    from hunan_map.geo.errors import HunanMapError
    from hunan_map.layers.export import write_text_atomic
    from hunan_map.layers.overlay import join_overlay, read_overlay

    if Path(path).resolve() == Path(output).resolve():
        raise typer.BadParameter("the output file is the overlay input; choose another output name",
                                 param_hint="--output")
    ov = read_overlay(path, crs=crs, lon=lon, lat=lat)
    if ov.n_rejected:
        lines = ", ".join(str(n) for n in ov.rejects["line"].head(20))
        more = "" if ov.n_rejected <= 20 else f" and {ov.n_rejected - 20} more"
        if strict:
            first = ov.rejects.iloc[0]
            raise HunanMapError(f"{path}: {ov.n_rejected} row(s) cannot be used (lines {lines}{more}); "
                                f"line {first.line}: {first.field}: {first.reason}; fix: {first.fix}")
        target = rejects_path(Path(output))
        write_text_atomic(target, ov.rejects.to_csv(index=False), overwrite=True)
        err.print(f"Warning: {ov.n_rejected} row(s) of {path} rejected (lines {lines}{more}); "
                  f"details in {target}", markup=False)
    ctx = layers.context(data_dir)
    from hunan_map.layers.overlay import crs_warning

    warning = crs_warning(ov.data, ctx.counties, declared=crs)
    if warning:
        err.print(f"Warning: {path}: {warning}", markup=False)
    if aggregate is None:
        aggregate = engine == "dask" or len(ov.data) > settings.aggregate_limit
    if aggregate:
        from hunan_map.layers.aggregate import aggregate as count_points

        agg = count_points(ov.data, counties=ctx.counties, zones=layers.builders.build_zones(ctx),
                           hex_km=hex_km, engine=engine, scheduler=scheduler)
        say(f"Overlay: {agg.n_points} feature(s) from {path}, counted per county, zone and hexagon "
            f"({engine} engine)")
        return agg
    if join_limit is not None and len(ov.data) > join_limit:
        say(f"Overlay: {len(ov.data)} feature(s) from {path}")
        return ov.data
    joined = join_overlay(ov.data, counties=ctx.counties, zones=layers.builders.build_zones(ctx),
                          parks=layers.builders.build_parks(ctx, kinds="parks"))
    say(f"Overlay: {len(joined)} feature(s) from {path}")
    return joined
