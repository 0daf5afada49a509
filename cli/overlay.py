"""Overlay options shared by ``render`` and ``export``: read, report rejects, join."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import typer

from hunan_map.cli._app import err, say


def rejects_path(output: Path) -> Path:
    """Where the rejected rows of an overlay go: next to the output, ``<output>.rejects.csv``
    (``map.html`` -> ``map.html.rejects.csv``), so outputs of the same stem (``map.html``,
    ``map.gpkg``) each keep their own list."""
    return output.with_name(output.name + ".rejects.csv")


@dataclass
class PendingRejects:
    """Rejected overlay rows, written by :meth:`save` once the main output is in place."""

    path: Path
    table: object  # pandas.DataFrame
    overlay: Path
    overwrite: bool

    def save(self) -> None:
        """Write ``<output>.rejects.csv`` whole or not at all, never over an existing file
        without --overwrite."""
        from hunan_map.layers.io.export import write_text_atomic

        n = len(self.table)
        if not n:  # a clean run: a rejects file of this output is an earlier run's, and would mislead
            if self.path.is_file():
                self.path.unlink()
                say(f"Removed {self.path}: it listed an earlier run's rejects; this run rejected no rows")
            return
        lines = ", ".join(str(v) for v in self.table["line"].head(20))
        more = "" if n <= 20 else f" and {n - 20} more"
        from hunan_map.layers.io._cells import spreadsheet_safe

        write_text_atomic(self.path, spreadsheet_safe(self.table).to_csv(index=False), overwrite=self.overwrite)
        err.print(f"Warning: {n} row(s) of {self.overlay} rejected (lines {lines}{more}); "
                  f"details in {self.path}", markup=False)


def load_overlay(path: Path, crs: str | None, lon: str | None, lat: str | None, strict: bool, output: Path,
                 overwrite: bool, data_dir: Path | None, *, aggregate: bool | None = False,
                 engine: str = "pandas", scheduler: str | None = None, hex_km: float = 10.0,
                 join_limit: int | None = None, layer: str | None = None, encoding: str | None = None,
                 near_km: float | None = None):
    """Read the user's overlay; collect rejected rows (--strict makes them fatal); then join every
    feature to counties, zones and parks, or, with ``aggregate`` (None: automatically above
    ``settings.aggregate_limit`` points or with the dask engine), count them per county, zone and
    hexagon (:class:`~hunan_map.layers.aggregate.Aggregates`). With ``join_limit``, overlays
    larger than that are returned without the per-feature joins (a map of them shows no
    per-feature popups, so the joins would be wasted). ``near_km`` (None: ``settings.near_park_km``)
    is how near a park must be to be joined; given for an overlay that is not joined feature by
    feature, it is refused (exit 2).

    Returns
    -------
    tuple
        The loaded data and a :class:`PendingRejects` to :meth:`~PendingRejects.save` after the
        main output is written, so a failed command leaves no rejects file behind (and a clean
        run removes the rejects file an earlier run left for the same output).
    """
    from hunan_map import layers
    from hunan_map.geo.errors import HunanMapError
    from hunan_map.layers import settings
    from hunan_map.layers.io.overlay import read_overlay
    from hunan_map.layers.overlay_join import crs_warning, join_overlay

    from hunan_map.cli.options import same_file

    if same_file(Path(path), Path(output)):
        raise typer.BadParameter("the output file is the overlay input; choose another output name",
                                 param_hint="--output")
    ov = read_overlay(path, crs=crs, lon=lon, lat=lat, layer=layer, encoding=encoding)
    if ov.n_rejected:
        if strict:
            lines = ", ".join(str(n) for n in ov.rejects["line"].head(20))
            more = "" if ov.n_rejected <= 20 else f" and {ov.n_rejected - 20} more"
            first = ov.rejects.iloc[0]
            raise HunanMapError(f"{path}: {ov.n_rejected} row(s) cannot be used (lines {lines}{more}); "
                                f"line {first.line}: {first.field}: {first.reason}; fix: {first.fix}")
    pending = PendingRejects(rejects_path(Path(output)), ov.rejects, Path(path), overwrite)
    ctx = layers.context(data_dir)
    warning = crs_warning(ov.data, ctx.geo.counties, declared=crs or "wgs84")
    if warning:
        err.print(f"Warning: {path}: {warning}", markup=False)
    if aggregate is None:
        aggregate = engine == "dask" or len(ov.data) > settings.aggregate_limit
    if near_km is not None and (aggregate or (join_limit is not None and len(ov.data) > join_limit)):
        raise typer.BadParameter(
            f"{path} has {len(ov.data)} features, drawn without per-feature popups (up to {join_limit or 0} "
            "are joined to parks); --near-km applies to joined features: leave it out, or use "
            "`hunan-map export overlay --near-km ...`", param_hint="--near-km")
    if aggregate:
        from hunan_map.layers.aggregate import aggregate as count_points

        agg = count_points(ov.data, counties=ctx.geo.counties, zones=layers.builders.build_zones(ctx),
                           hex_km=hex_km, engine=engine, scheduler=scheduler)
        say(f"Overlay: {agg.n_points} feature(s) from {path}, counted per county, zone and hexagon "
            f"({engine} engine)")
        return agg, pending
    if join_limit is not None and len(ov.data) > join_limit:
        say(f"Overlay: {len(ov.data)} feature(s) from {path}")
        _note_renamed(ov.data, path)
        return ov.data, pending
    joined = join_overlay(ov.data, counties=ctx.geo.counties, zones=layers.builders.build_zones(ctx),
                          parks=layers.builders.build_parks(ctx, kinds="parks"), near_km=near_km)
    say(f"Overlay: {len(joined)} feature(s) from {path}")
    _note_renamed(joined, path)
    return joined, pending


def _note_renamed(data, path: Path) -> None:
    """Say which of hunan-map's columns were renamed because the user's file has columns of that name."""
    from hunan_map.layers.io.overlay import renamed_columns

    renamed = renamed_columns(data)
    if renamed:
        err.print(f"Warning: {path} has its own columns {', '.join(repr(k) for k in renamed)}, kept as they "
                  f"are; hunan-map's are named {', '.join(repr(v) for v in renamed.values())} instead",
                  markup=False)
