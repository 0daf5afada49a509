"""Data values in, the page's words for them out: overlay cells and column titles, industry names in English."""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd

from hunan_map.layers.context import Context
from hunan_map.maps.labels import LABELS


def _industry_en(ctx: Context) -> dict[str, str]:
    """Industry name (Chinese) -> English name, for lists the builders give by name."""
    key = ("page_industry_en",)
    if key not in ctx.cache:
        tax = ctx.kb.taxonomy
        ctx.cache[key] = {tax.name(i): tax.name_en(i) or tax.name(i) for i in ctx.kb.industries["id"]}
    return ctx.cache[key]


def _cell(value) -> str:
    """One overlay value as text: lists joined, missing values empty (never a Python literal)."""
    if isinstance(value, (list, tuple, np.ndarray)):
        return "、".join(_cell(v) for v in value)
    if value is None or (isinstance(value, float) and not np.isfinite(value)) or value is pd.NA:
        return ""
    return str(value)


def overlay_titles(gdf: gpd.GeoDataFrame, columns: list[str], lang: str, near_km: float) -> list[str]:
    """Column titles as the page shows them: the user's columns as written, ours in the page's language."""
    from hunan_map.layers.io.overlay import _ATTR

    lab = LABELS[lang]
    # the frame's own record of the columns hunan-map added (read_overlay, join_overlay); the rest are the user's
    ours = {actual: name for name, actual in dict(gdf.attrs.get(_ATTR, {})).items()}
    titles = []
    for c in columns:
        name = ours.get(c)
        if name == "near_park":
            titles.append(lab["near_park_within"].replace("{km}", f"{near_km:g}"))
        else:
            titles.append(lab["overlay_cols"].get(name, c) if name else c)
    return titles
