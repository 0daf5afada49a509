"""Layers: knowledge base + geometry in, GeoDataFrames joined to industries out (EPSG:4326).

>>> from hunan_map import layers
>>> layers.parks(industry="新材料")          # parks of 新材料 and its descendants
>>> layers.zones(layout="三带四区")           # the four zones of the 2026 layout
>>> layers.industry_matrix(by="prefecture")  # industry x prefecture counts

Every function takes the same filter keywords: ``industry``, ``tier``, ``layout``, ``source``,
``year``, ``place`` (a string or a list; lists OR, keywords AND), and ``data_dir`` for a
user's edited copy of the tables.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING

from hunan_map.layers.context import Context, context
from hunan_map.layers.errors import DataValidationError, Problem, UnknownValueError

if TYPE_CHECKING:
    import geopandas as gpd
    import pandas as pd

    from hunan_map.layers.match import Filter

#: Loaded on first use (PEP 562): ``import hunan_map.layers`` costs no pandas or geopandas.
_LAZY = {"analysis": "hunan_map.layers.analysis", "builders": "hunan_map.layers.builders",
         "kb": "hunan_map.layers.kb", "match": "hunan_map.layers.match", "settings": "hunan_map.layers.settings",
         "facts": "hunan_map.layers.kb.facts", "taxonomy": "hunan_map.layers.kb.taxonomy",
         "validate": "hunan_map.layers.kb.validate"}
_LAZY_NAMES = {"KnowledgeBase": "hunan_map.layers.kb", "load": "hunan_map.layers.kb",
               "Filter": "hunan_map.layers.match"}


def __getattr__(name: str):
    if name in _LAZY:
        value = importlib.import_module(_LAZY[name])
    elif name in _LAZY_NAMES:
        value = getattr(importlib.import_module(_LAZY_NAMES[name]), name)
    else:
        raise AttributeError(f"module 'hunan_map.layers' has no attribute {name!r}")
    globals()[name] = value
    return value


def _m(name: str):
    return importlib.import_module(f"hunan_map.layers.{name}")


LAYERS = ("parks", "platforms", "clusters", "zones", "corridors", "prefectures", "counties")


def _ctx_filter(kwargs: dict, layer: str | None = None) -> tuple[Context, Filter]:
    from hunan_map.layers.match import Filter

    data_dir = kwargs.pop("data_dir", None)
    if layer is not None:
        from hunan_map.layers.match import check_applies

        check_applies(layer, [k for k, v in kwargs.items() if v])
    return context(data_dir), Filter.make(**kwargs)


def parks(**filters) -> gpd.GeoDataFrame:
    """Parks and platforms as points (see :func:`hunan_map.layers.builders.build_parks`)."""
    ctx, flt = _ctx_filter(filters, "parks")
    return _m("builders").build_parks(ctx, flt)


def platforms(**filters) -> gpd.GeoDataFrame:
    """Named platforms and sites (science cities, test zones, hubs ...) as points."""
    ctx, flt = _ctx_filter(filters, "platforms")
    return _m("builders").build_parks(ctx, flt, kinds="platforms")


def clusters(*, geometry: str = "footprint", include_unlocated: bool = False, **filters) -> gpd.GeoDataFrame:
    """Clusters with members (see :func:`hunan_map.layers.builders.build_clusters`)."""
    ctx, flt = _ctx_filter(filters, "clusters")
    return _m("builders").build_clusters(ctx, flt, geometry=geometry, include_unlocated=include_unlocated)


def zones(**filters) -> gpd.GeoDataFrame:
    """Zones of every layout (see :func:`hunan_map.layers.builders.build_zones`)."""
    ctx, flt = _ctx_filter(filters, "zones")
    return _m("builders").build_zones(ctx, flt)


def corridors(*, width_km: float | None = None, **filters) -> gpd.GeoDataFrame:
    """Corridor lines or buffers (see :func:`hunan_map.layers.builders.build_corridors`); ``width_km``
    must be above 0 and at most 200."""
    if width_km is not None:
        from hunan_map.geo.checks import check_km

        width_km = check_km(width_km, name="corridor width (width_km)", maximum=200)
    ctx, flt = _ctx_filter(filters, "corridors")
    return _m("builders").build_corridors(ctx, flt, width_km=width_km)


def prefectures(**filters) -> gpd.GeoDataFrame:
    """The 14 prefectures with park and cluster counts."""
    ctx, flt = _ctx_filter(filters, "prefectures")
    return _m("builders").build_admin(ctx, "prefectures", flt)


def counties(**filters) -> gpd.GeoDataFrame:
    """The 122 counties with park and cluster counts."""
    ctx, flt = _ctx_filter(filters, "counties")
    return _m("builders").build_admin(ctx, "counties", flt)


def layer(name: str, **options) -> gpd.GeoDataFrame:
    """Any layer by name (one of :data:`LAYERS`)."""
    funcs = {"parks": parks, "platforms": platforms, "clusters": clusters, "zones": zones, "corridors": corridors,
             "prefectures": prefectures, "counties": counties}
    if name not in funcs:
        raise UnknownValueError(f"no layer named {name!r}; use one of {', '.join(LAYERS)}")
    return funcs[name](**options)


def long_form(**filters) -> pd.DataFrame:
    """One row per entity and industry with role, citation, wording, match kind and place relation,
    names resolved, every filter applied (see :func:`hunan_map.layers.answers.facts`)."""
    from hunan_map.layers import answers

    ctx, flt = _ctx_filter(filters, "facts")
    return answers.facts(ctx, flt)


def profile(place: str, **filters) -> dict[str, pd.DataFrame]:
    """One place's whole record as tables (see :func:`hunan_map.layers.answers.profile`): ``place``,
    ``facts``, ``inherited`` and ``catalogue``.

    >>> rec = layers.profile("衡阳市", source="policy")
    >>> rec["facts"][["source", "section", "entity_name", "industry_name", "role", "via"]]
    """
    from hunan_map.layers import answers

    ctx, flt = _ctx_filter(filters, "profile")
    return answers.profile(ctx, place, flt)


def timeline(*, place: str | None = None, industry: str | None = None, start: str | None = None,
             end: str | None = None, **filters) -> pd.DataFrame:
    """What each document gave a place or an industry, in date order, with a status per step (see
    :func:`hunan_map.layers.history.timeline`).

    >>> layers.timeline(place="株洲市", start="hn2013", end="hn2026")
    """
    from hunan_map.layers import history

    ctx, flt = _ctx_filter(filters, "timeline")
    return history.timeline(ctx, place=place, industry=industry, start=start, end=end, flt=flt)


def industry_matrix(*, by: str = "prefecture", entity: str = "parks", rollup: bool = True,
                    drop_empty: bool = False, **filters) -> pd.DataFrame:
    """Industry x prefecture, county or zone counts (see :func:`hunan_map.layers.analysis.industry_matrix`)."""
    ctx, flt = _ctx_filter(filters)
    return _m("analysis").industry_matrix(ctx, flt, by=by, entity=entity, rollup=rollup, drop_empty=drop_empty)


def park_zones(*, near_km: float = 10.0, **filters) -> pd.DataFrame:
    """Zones each park lies in and corridors it lies near."""
    ctx, flt = _ctx_filter(filters, "park-zones")
    return _m("analysis").park_zones(ctx, flt, near_km=near_km)


def parks_within(place: str, km: float, **filters) -> gpd.GeoDataFrame:
    """Parks within ``km`` of a place or corridor."""
    ctx, flt = _ctx_filter(filters)
    return _m("analysis").parks_within(ctx, place, km, flt)


def gazetteer(ctx: Context | None = None):
    """A :class:`hunan_map.geo.Gazetteer` that knows every admin unit, park, town and layout part.

    Layout parts (长株潭地区, 京港澳通道经济带 ...) are found by their Chinese and English names
    and pinyin, as kind ``zone`` or ``corridor`` with the part's drawn geometry; their precision
    says what that geometry is built from (``prefecture`` or ``county`` units, ``approximate``
    for schematic shapes).
    """
    from hunan_map.geo.gazetteer import Gazetteer

    ctx = ctx or context()
    table = ctx.kb.parks.copy()
    pts = [ctx.geo.park_points[i] for i in table["id"]]
    import geopandas as gpd
    import pandas as pd

    from hunan_map.layers.match import Filter

    gaz = Gazetteer(gpd.GeoDataFrame(table, geometry=pts, crs="EPSG:4326"), towns=True)
    parts = _m("builders").build_zones(ctx, Filter.make())
    parts = parts[~parts.geometry.isna() & ~parts.geometry.is_empty].copy()
    parts["precision"] = [_part_precision(r.schematic, r.member_ids) for r in parts.itertuples()]
    lines = _m("builders").build_corridors(ctx, Filter.make())
    lines = lines[~lines["id"].isin(parts["id"])].assign(kind="corridor", precision="approximate")
    parts = pd.concat([parts, lines[~lines.geometry.isna()]], ignore_index=True)
    parts["prefecture_adcode"] = ""
    for kind, rows in parts.groupby("kind", sort=True):
        gaz.add_places(rows[["id", "name", "name_en", "precision", "prefecture_adcode", "geometry"]], kind=str(kind))
    return gaz


def _part_precision(schematic: bool, member_ids) -> str:
    """How precise a layout part's geometry is: the admin level it is built from, or approximate."""
    members = list(member_ids) if member_ids is not None else []
    if schematic or not members:
        return "approximate"
    return "prefecture" if all(str(m).endswith("00") for m in members) else "county"


def check(data_dir: str | None = None) -> list[Problem]:
    """Validate the knowledge base (bundled or a user's copy); every problem, sorted.

    Tables that cannot be read (missing, not UTF-8, wrong shape, missing columns) are reported
    first and alone: the content checks need every table.
    """
    from hunan_map.layers import kb
    from hunan_map.layers.kb import KnowledgeBase, validate

    tables, problems = kb.read_tables(data_dir)
    if problems:
        return problems
    return validate.validate(KnowledgeBase(**tables, data_dir=str(data_dir or kb.default_data_dir())))


__all__ = [
    "LAYERS", "Context", "DataValidationError", "Filter", "KnowledgeBase", "Problem", "UnknownValueError",
    "analysis", "builders", "check", "clusters", "context", "corridors", "counties", "facts", "gazetteer",
    "industry_matrix", "kb", "layer", "load", "long_form", "match", "park_zones", "parks", "parks_within", "platforms",
    "prefectures", "profile", "settings", "timeline", "taxonomy", "validate", "zones",
]
