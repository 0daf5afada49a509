"""Options shared by several commands (filters, numbers, output, data folder, overlays), in one
place, with the checks that make bad values usage errors (exit 2) naming the option."""

from __future__ import annotations

import math
from pathlib import Path
from typing import Annotated, Callable, Optional

import typer

# ---------------------------------------------------------------- checks run while parsing


def number_in(option: str, *, maximum: float, unit: str = "km", minimum: float | None = None) -> Callable:
    """A callback accepting finite numbers above 0 (at least ``minimum`` when given) and at most
    ``maximum`` (else exit 2 naming ``option``)."""

    def check(value: Optional[float]) -> Optional[float]:
        if value is None:
            return value
        low = f"at least {minimum:g}" if minimum is not None else "above 0"
        if not math.isfinite(value) or value <= 0 or value > maximum or (minimum is not None and value < minimum):
            raise typer.BadParameter(f"{value!r} is out of range; give a number {low} and at most "
                                     f"{maximum:g} {unit}", param_hint=option)
        return value

    return check


def _check_data(value: Optional[Path]) -> Optional[Path]:
    """Validate a --data folder before any command uses it; broken tables stop the command (exit 1)."""
    if value is None:
        return value
    from hunan_map.cli._app import STATE, err, message
    from hunan_map.layers import check
    from hunan_map.layers.errors import DataValidationError

    try:
        problems = check(value)
        if problems:
            raise DataValidationError(problems, str(value), show=3)
    except Exception as exc:  # noqa: BLE001 - one message, exit 1
        if STATE["debug"]:
            raise
        err.print(f"Error: {message(exc)}", markup=False)
        raise typer.Exit(code=1) from None
    return value


def crs_option(option: str) -> Callable:
    """A callback refusing a coordinate system pyproj cannot read or that is not the Earth's (exit 2)."""

    def check(value: Optional[str]) -> Optional[str]:
        if value is None:
            return value
        from hunan_map.geo.crs import canonical_crs

        try:
            canonical_crs(value)
        except ValueError as exc:
            raise typer.BadParameter(str(exc), param_hint=option) from None
        return value

    return check


_check_crs = crs_option("--overlay-crs")


def _check_encoding(value: Optional[str]) -> Optional[str]:
    if value is None:
        return value
    import codecs

    try:
        codecs.lookup(value)
    except LookupError:
        raise typer.BadParameter(f"{value!r} is not an encoding Python knows; use e.g. utf-8, gb18030, "
                                 "utf-16, big5 or latin-1", param_hint="--encoding") from None
    try:
        "".encode(value)
    except LookupError:  # a codec that is not a text encoding (rot13, base64, zlib ...)
        raise typer.BadParameter(f"{value!r} is not a text encoding; use e.g. utf-8, gb18030, utf-16, big5 or "
                                 "latin-1", param_hint="--encoding") from None
    return value


NoCache = Annotated[bool, typer.Option(
    "--no-cache", help="Compute the result afresh instead of reusing the one cached for the bundled data "
    "(in ~/.cache/hunan-map; edited tables and new versions never reuse it). Example: --no-cache")]

# ---------------------------------------------------------------- filters

Industry = Annotated[Optional[list[str]], typer.Option(
    "--industry", "-i", help="Industry by any name, alias, English name or id; includes its "
    "descendants. Repeat to OR. Example: --industry 新材料")]
Tier = Annotated[Optional[list[str]], typer.Option(
    "--tier", help="Tier: traditional, advantage, emerging, future (also potential, special). "
    "Example: --tier emerging")]
Layout = Annotated[Optional[list[str]], typer.Option(
    "--layout", "-l", help="Layout scheme by name or id. Example: --layout 三带四区")]
Source = Annotated[Optional[list[str]], typer.Option(
    "--source", "-s", help="Source id: a policy document (hn2023, hn2021sei, hn2026, hn2013, cs2021), the 2018 "
    "development-zone catalogue (cat2018), or the groups 'policy' and 'catalogue'. Applies to the same fact as "
    "--industry. Example: --source cs2021")]
Year = Annotated[Optional[list[str]], typer.Option(
    "--year", help="Year of the source document. Example: --year 2026")]
Place = Annotated[Optional[list[str]], typer.Option(
    "--place", "-p", help="A prefecture, county, park, platform, development zone or layout part by name, alias, "
    "adcode, pinyin or id: what lies in it or belongs to it. Example: --place 长沙 or --place 长沙高新区")]
DataDir = Annotated[Optional[Path], typer.Option(
    "--data", exists=True, file_okay=False, dir_okay=True, callback=_check_data,
    help="Folder with your edited copy of the knowledge-base CSV files; checked first (broken tables "
    "stop the command; see `hunan-map validate --data DIR`). Example: --data ./my-data")]
#: --data for `validate` itself: not checked before the command (the command is the check).
ValidateDataDir = Annotated[Optional[Path], typer.Option(
    "--data", exists=True, file_okay=False, dir_okay=True,
    help="Folder with your edited copy of the knowledge-base CSV files. Example: --data ./my-data")]
CsvRaw = Annotated[bool, typer.Option(
    "--csv-raw", help="CSV output: write text cells as they are. By default a cell starting with =, +, -, @, tab or "
    "CR gets a leading apostrophe so that Excel, WPS or LibreOffice shows it as text instead of running it as a "
    "formula (numbers are never changed). Example: --csv-raw")]
Overwrite = Annotated[bool, typer.Option(
    "--overwrite", help="Replace the output file (and its rejects list) if it exists. Example: --overwrite")]


Role = Annotated[Optional[list[str]], typer.Option(
    "--role", help="Role of the fact: core_carrier, carrier, relied_on, lead, named_focus, focus, transfer, member, "
    "layout_focus, cluster_industry, catalogue_lead (or 核心载体, 载体, 依托 …). Applies to the same fact as "
    "--industry. Example: --role core_carrier")]
Level = Annotated[Optional[list[str]], typer.Option(
    "--level", help="Approval level of parks and clusters: national, provincial, other (zones and corridors have "
    "none: refused there). Example: --level national")]
Broader = Annotated[bool, typer.Option(
    "--broader", help="With --industry: also answer with facts on a parent of the industry, or elsewhere under "
    "its nearest parent (match kind 'broader'). Example: --industry 新能源汽车 --broader")]


def filters(industry=None, tier=None, layout=None, source=None, year=None, place=None, *, role=None, level=None,
            data=None, broader: bool = False, layer: str | None = None) -> dict:
    """The filter keywords for the library, leaving out options that were not given.

    Every value is resolved against the knowledge base (``data``) first, so an unknown
    industry, tier, layout, source, year or place is a usage error (exit 2) naming its option.
    """
    given = {"industry": industry, "tier": tier, "layout": layout, "source": source, "year": year,
             "place": place, "role": role, "level": level}
    chosen = {k: v for k, v in given.items() if v}
    if broader and not industry:
        raise typer.BadParameter("--broader widens an --industry question; give --industry too", param_hint="--broader")
    if layer is not None:
        from hunan_map.layers.errors import UnknownValueError
        from hunan_map.layers.match import check_applies

        try:
            check_applies(layer, chosen)
        except UnknownValueError as exc:
            raise typer.BadParameter(str(exc), param_hint=exc.option) from None
    if chosen:
        check_filters(chosen, data)
    if broader:
        chosen["broader"] = True
    return chosen


def check_filters(chosen: dict, data=None) -> None:
    """Resolve each filter option on its own; the first unknown value raises typer.BadParameter."""
    from hunan_map.geo.errors import AmbiguousPlaceError, UnknownPlaceError
    from hunan_map.layers import Filter, context
    from hunan_map.layers.errors import UnknownValueError

    ctx = context(data)
    for key, values in chosen.items():
        try:
            ctx.resolve(Filter.make(**{key: values}))
        except (UnknownValueError, UnknownPlaceError, AmbiguousPlaceError) as exc:
            raise typer.BadParameter(str(exc), param_hint=f"--{key}") from None


# ---------------------------------------------------------------- numbers

#: Largest corridor width, hexagon size and search distance accepted (km); Hunan is ~600 km across.
MAX_WIDTH_KM = 200.0
MIN_HEX_KM = 0.1  # the same limits as hunan_map.layers.settings (a test checks they agree)
MAX_HEX_KM = 200.0
MAX_DISTANCE_KM = 1000.0

Width = Annotated[Optional[float], typer.Option(
    "--width", callback=number_in("--width", maximum=MAX_WIDTH_KM),
    help=f"Corridors only: write buffer polygons of this total width in km (above 0, at most "
    f"{MAX_WIDTH_KM:g}). Example: --width 20")]
NearKm = Annotated[Optional[float], typer.Option(
    "--near-km", callback=number_in("--near-km", maximum=MAX_DISTANCE_KM),
    help="Overlay features this close (km) to a park are joined to it (near_park, near_park_km; the distance "
    "used is written as near_park_within_km). Default 10 km (settings.near_park_km). Applies to overlays joined "
    "feature by feature: exports, and maps of up to 1,000 features. Example: --near-km 5")]
HexKm = Annotated[float, typer.Option(
    "--hex-km", callback=number_in("--hex-km", maximum=MAX_HEX_KM, minimum=MIN_HEX_KM),
    help=f"Hexagon width in km for overlay counts ({MIN_HEX_KM:g} to {MAX_HEX_KM:g}). Example: --hex-km 5")]
Km = Annotated[float, typer.Option(
    "--km", callback=number_in("--km", maximum=MAX_DISTANCE_KM),
    help=f"Distance for --near (and for park-zones' 'near' corridors), in km (above 0, at most "
    f"{MAX_DISTANCE_KM:g}). Example: --km 15")]

# ---------------------------------------------------------------- overlays

OverlayFile = Annotated[Optional[Path], typer.Option(
    "--overlay", help="Your own points or polygons (CSV, GeoJSON, GeoPackage, Shapefile, or a ZIP holding "
    "one of them), joined to counties, zones and the nearest park. Example: --overlay firms.csv")]
OverlayCrs = Annotated[Optional[str], typer.Option(
    "--overlay-crs", callback=_check_crs,
    help="Coordinates of the overlay: wgs84, cgcs2000, gcj02, bd09 or an EPSG code; a projected one such "
    "as EPSG:4546 (CGCS2000 Gauss-Kruger CM 111E) or EPSG:3857 converts CSV x/y metres. Default: the file's own CRS, WGS84 for CSV. "
    "Example: --overlay-crs gcj02")]
OverlayLayer = Annotated[Optional[str], typer.Option(
    "--overlay-layer", help="Which layer of a GeoPackage (or other multi-layer file) to read, or which "
    "member of a ZIP archive (e.g. firms.csv, or data/firms.shp). Example: --overlay-layer firms")]
Encoding = Annotated[Optional[str], typer.Option(
    "--encoding", callback=_check_encoding,
    help="Text encoding of an overlay CSV (default: UTF-8 with or without BOM, then GB18030, and UTF-16 "
    "when the file starts with its BOM). Example: --encoding big5")]
Lon = Annotated[Optional[str], typer.Option("--lon", help="Overlay CSV longitude column. Example: --lon X坐标")]
Lat = Annotated[Optional[str], typer.Option("--lat", help="Overlay CSV latitude column. Example: --lat Y坐标")]
Strict = Annotated[bool, typer.Option("--strict", help="Fail if any overlay row is rejected. Example: --strict")]
Engine = Annotated[str, typer.Option(
    "--engine", help="Engine for counting large overlays: pandas, or dask (dask-geopandas on a dask.distributed "
    "cluster). Example: --engine dask")]
Scheduler = Annotated[Optional[str], typer.Option(
    "--scheduler", help="Address of an existing dask scheduler (default: a local cluster). "
    "Example: --scheduler tcp://10.0.0.5:8786")]


def check_engine(engine: str) -> None:
    """Reject an unknown engine name as a usage error (exit 2)."""
    if engine not in ("pandas", "dask"):
        raise typer.BadParameter(f"{engine!r} is not an engine; use pandas or dask", param_hint="--engine")


# ---------------------------------------------------------------- outputs


def input_files(overlay: Optional[Path] = None, data: Optional[Path] = None) -> list[Path]:
    """Files a command reads: the overlay (every part of a Shapefile) and the tables of the knowledge base
    (the --data folder, else the bundled folder)."""
    from hunan_map.layers.io._atomic import parts_of
    from hunan_map.layers.kb.schema import EXTRA_TABLES, TABLES, default_data_dir

    files = list(parts_of(Path(overlay))) if overlay is not None else []
    folder = Path(data) if data is not None else Path(str(default_data_dir()))
    files += [folder / name for name, _cols in (*TABLES.values(), *EXTRA_TABLES.values())]
    return files


def same_file(a: Path, b: Path) -> bool:
    """Whether two paths name the same file (False when either cannot be resolved, e.g. a symlink loop)."""
    try:
        return Path(a).resolve() == Path(b).resolve() or (Path(a).exists() and Path(b).exists()
                                                          and Path(a).samefile(b))
    except (OSError, RuntimeError):  # RuntimeError: a symlink loop (Python < 3.13)
        return False


def check_outputs(outputs: dict[str, Optional[Path]], *, overwrite: bool, overlay: Optional[Path] = None,
                  data: Optional[Path] = None, formats: dict[str, Optional[str]] | None = None) -> None:
    """Before any work, the one rule for every command that writes: no output (nor the overlay's rejects
    list beside ``--output``) may be a file the run reads (the knowledge-base tables, the overlay) or
    another output of the same run (exit 2, naming the option); without --overwrite, no output may exist
    (exit 1, "X exists; use --overwrite")."""
    from hunan_map.layers.io._atomic import check_target, parts_of

    inputs = input_files(overlay, data)
    targets: list[tuple[str, Path, Optional[str], str]] = [
        (option, Path(path), (formats or {}).get(option), "") for option, path in outputs.items() if path is not None]
    if overlay is not None and outputs.get("--output") is not None:
        from hunan_map.cli.overlay import rejects_path

        targets.append(("--output", rejects_path(Path(outputs["--output"])), "csv", "the rejects list "))
    claimed: list[tuple[str, Path]] = []
    for option, path, fmt, what in targets:
        for part in parts_of(path, fmt):
            for source in inputs:
                if same_file(part, source):
                    raise typer.BadParameter(f"{what}{str(part)!r} is an input of this command; writing it would "
                                             "destroy it. Choose another output name", param_hint=option)
            for other, taken in claimed:
                if same_file(part, taken):
                    raise typer.BadParameter(f"{what}{str(part)!r} is also the output of {other}; give each output "
                                             "its own name", param_hint=option)
            claimed.append((option, part))
    for _option, path, fmt, _what in targets:
        check_target(path, overwrite=overwrite, fmt=fmt)


def check_near_km(near_km: Optional[float], overlay: Optional[Path]) -> None:
    """--near-km needs an overlay (exit 2 otherwise)."""
    if near_km is not None and overlay is None:
        raise typer.BadParameter("--near-km sets how near an overlay feature must be to a park; it needs "
                                 "--overlay FILE", param_hint="--near-km")
