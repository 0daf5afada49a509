"""A layer in, what a Shapefile can hold out: field names of at most 10 UTF-8 bytes (unique, cut between characters), text of at most 254 bytes (cut between list items, named in one warning) and the name mapping."""

from __future__ import annotations

import csv
import io
import json
import warnings

import pandas as pd

#: A DBF field name holds 10 bytes; a text value 254.
FIELD_BYTES = 10
VALUE_BYTES = 254
#: Shapefile names for hunan-map's own long column names; any other name is cut to 10 UTF-8 bytes.
SHAPEFILE_FIELDS = {
    "full_name": "full_name", "prefecture_adcode": "pref_code", "county_adcode": "cnty_code",
    "county_en": "county_en", "industries": "industries", "industries_en": "indust_en",
    "industry_ids": "indust_ids", "layout_industries": "lay_indust", "precision": "precision",
    "layouts": "layouts", "clusters": "clusters", "external": "external", "member_type": "mem_type",
    "member_ids": "member_ids", "member_roles": "mem_roles", "n_members": "n_members",
    "industry_en": "industry_e", "layout_en": "layout_en", "layout_id": "layout_id",
    "schematic": "schematic", "route_ids": "route_ids", "width_km": "width_km",
    "parent_adcode": "parent_cod", "short_name": "short_name", "label_lon": "label_lon",
    "label_lat": "label_lat", "n_parks": "n_parks", "n_clusters": "n_clusters",
    "park_industries": "park_inds", "cluster_industries": "clus_inds", "city_en": "city_en",
    "near_park_km": "near_pk_km", "hm_county_adcode": "hm_cnty_cd", "hm_prefecture_adcode": "hm_pref_cd",
    "hm_near_park": "hm_nr_park", "hm_near_park_km": "hm_nr_km", "lon_wgs84": "lon_wgs84", "lat_wgs84": "lat_wgs84",
    "label_lon_wgs84": "lab_lon84", "label_lat_wgs84": "lab_lat84",
}


def cut_bytes(text: str, limit: int) -> str:
    """The longest start of ``text`` whose UTF-8 encoding fits in ``limit`` bytes (never half a character)."""
    return text.encode("utf-8")[:limit].decode("utf-8", errors="ignore")


def field_names(columns: list[str]) -> dict[str, str]:
    """Column -> Shapefile field name: :data:`SHAPEFILE_FIELDS`, else cut to 10 bytes; unique
    without regard to case (``_2``, ``_3`` … replace the end of a name that is taken)."""
    out: dict[str, str] = {}
    used: set[str] = set()
    for col in columns:
        base = SHAPEFILE_FIELDS.get(col) or cut_bytes(str(col), FIELD_BYTES).strip() or "field"
        name, n = base, 1
        while name.lower() in used:
            n += 1
            name = f"{cut_bytes(base, FIELD_BYTES - len(str(n)) - 1)}_{n}"
        used.add(name.lower())
        out[col] = name
    return out


def mapping_csv(names: dict[str, str]) -> str:
    """The ``<name>.fields.csv`` text: one row per field, its Shapefile name and the full column name."""
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow(["field", "column"])
    writer.writerows((field, col) for col, field in names.items())
    return buf.getvalue()


def _item_text(v) -> str:
    if v is None:
        return ""
    return json.dumps(v, ensure_ascii=False) if isinstance(v, (list, dict)) else str(v)


def fit_text(plain: pd.DataFrame, layer: str, *, sep: str = ";", label: str | None = "name") -> pd.DataFrame:
    """Lists joined with ``sep`` and text cut to 254 UTF-8 bytes: a list keeps as many whole items
    as fit, other text is cut between characters. One warning names the rows (by ``label``) and
    fields that lost something and suggests GeoPackage. ``plain`` has lists as Python lists
    (:func:`~hunan_map.layers.io.export.plain_values`)."""
    out = plain.copy()
    geometry = getattr(out, "_geometry_column_name", None)
    lost: dict[int, list[str]] = {}
    for col in out.columns:
        if col == geometry or not (out[col].dtype == object or pd.api.types.is_string_dtype(out[col].dtype)):
            continue
        values = out[col].tolist()
        for i, v in enumerate(values):
            if isinstance(v, list):
                items = [_item_text(x) for x in v]
                kept: list[str] = []
                for item in items:
                    if len(sep.join([*kept, item]).encode("utf-8")) > VALUE_BYTES:
                        break
                    kept.append(item)
                values[i] = sep.join(kept)
                if len(kept) < len(items):
                    lost.setdefault(i, []).append(f"{col} {len(kept)} of {len(items)} items")
            elif isinstance(v, str) and len(v.encode("utf-8")) > VALUE_BYTES:
                values[i] = cut_bytes(v, VALUE_BYTES)
                lost.setdefault(i, []).append(f"{col} cut to {VALUE_BYTES} bytes")
        out[col] = pd.Series(values, index=out.index, dtype=object)
    if lost:
        from hunan_map.layers.io._kml import name_column

        label = label if label in out.columns else name_column([c for c in out.columns if c != geometry])
        names = out[label].tolist() if label is not None else [None] * len(out)
        rows = [f"{names[i] if isinstance(names[i], str) and names[i] else f'row {i + 1}'} ({', '.join(what)})"
                for i, what in sorted(lost.items())]
        more = f" and {len(rows) - 8} more rows" if len(rows) > 8 else ""
        warnings.warn(f"Shapefile text holds at most {VALUE_BYTES} bytes; layer {layer!r} keeps only whole list "
                      f"items: {'; '.join(rows[:8])}{more}. Write a GeoPackage (.gpkg) to keep everything",
                      stacklevel=3)
    return out
