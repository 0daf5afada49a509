"""Layers in, the page's data out: one JSON document the page's own script draws from.

Nothing here is HTML. Every string from data (names, citations, overlay cells and column
names) stays a JSON string; the page puts it on screen with ``textContent`` only
(``maps/js/page/*.js``). :func:`embed` turns the document into a ``<script
type="application/json">`` element that no string can break out of.
"""

from __future__ import annotations

import re

import json
from functools import lru_cache
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from hunan_map.layers.context import Context
from hunan_map.layers.match import fact_tiers, match_keys
from hunan_map.layers.palette import (CATALOGUE_COLOR, CLUSTER_COLOR, NO_TIER_COLOR,  # noqa: F401 - re-exported
                                      PLATFORM_COLOR, TIER_COLORS, ZONE_PALETTE)
from hunan_map.maps.labels import (CATALOGUE_CODE, LABELS, evidence_label, kind_label, precision_label, role_label,
                                   section_en, source_label)
from hunan_map.maps.page_text import _cell, _industry_en, overlay_titles
from hunan_map.maps._rows import records as _records


def primary_tier(tiers: list[str]) -> str | None:
    """The tier that colours a park: the first of ``TIER_COLORS`` it has."""
    for tier in TIER_COLORS:
        if tier in tiers:
            return tier
    return None


def _round_geometry(geom) -> Any:
    if geom is None or geom.is_empty:
        return None
    return json.loads(shapely.to_geojson(shapely.transform(geom, lambda c: c.round(5))))


def _target_rows(ctx: Context, kind: str, entity: str, lang: str) -> list[list[str]]:
    lines = ctx.cache.get(("page_targets", lang))
    if lines is None:
        lines = ctx.cache[("page_targets", lang)] = targets_by_subject(ctx, lang)
    found = lines.get((kind, entity), [])
    return [[LABELS[lang]["targets"], "；".join(found) if lang == "zh" else "; ".join(found)]] if found else []


class _Facts:
    """Per entity, the facts the page filters on: [key set, source, role, tiers, industry id, section,
    wording, origin]; key sets (the ids a fact answers to, from :func:`~hunan_map.layers.match.match_keys`) shared."""

    def __init__(self, ctx: Context, lang: str = "zh"):
        self.ctx = ctx
        self.lang = lang  # English pages get English section numbers and no Chinese wording
        self.keysets: list[list[str]] = []
        self.own: set[str] = set()  # the facts' own industries (what the page looks up in ``wider``)
        self._index: dict[tuple[str, ...], int] = {}
        facts = ctx.kb.facts
        # (industry, source, role, section, wording, origin) per entity, in table order: built column-wise once
        self.by_entity: dict[tuple[str, str], list[tuple[str, ...]]] = {}
        for et, ent, *fact in zip(facts["entity_type"], facts["entity"], facts["industry"], facts["source"],
                                  facts["role"], facts["section"], facts["wording"], facts["origin"]):
            self.by_entity.setdefault((et, ent), []).append(tuple(fact))

    def wider(self, industries: list[str], sources: list[str]) -> dict[str, list[int]]:
        """Industry id -> per source (in ``sources`` order, then the catalogue's shared-tree reading) the
        key set a fact's own industry must be in to answer it as ``broader``."""
        from hunan_map.layers.match import broader_ids, tree_of

        trees = [tree_of(self.ctx.kb, s) for s in sources]
        own = self.own  # only a fact's own industry is looked up in these sets
        return {q: [self._keyset(sorted(broader_ids(self.ctx.kb, q, t) & own)) for t in trees] for q in industries}

    def _keyset(self, keys: list[str]) -> int:
        key = tuple(sorted(set(keys)))
        if key not in self._index:
            self._index[key] = len(self.keysets)
            self.keysets.append(list(key))
        return self._index[key]

    def of(self, entity_type: str, entity: str) -> list[list]:
        grp = self.by_entity.get((entity_type, entity))
        if grp is None:
            return []
        out = []
        for industry, source, role, section, wording, origin in grp:
            keys = match_keys(self.ctx.kb, industry, source, role)
            tiers = fact_tiers(self.ctx.kb, industry, source)
            if self.lang == "en":
                section = section if CATALOGUE_CODE.fullmatch(section or "") else section_en(section)
                wording = ""
            out.append([self._keyset(keys), source, role, tiers, industry, section, wording, origin])
            self.own.add(industry)
        # identical facts (same keys, source, role, industry, section) are one
        seen, uniq = set(), []
        for f in out:
            k = (f[0], f[1], f[2], f[4], f[5])
            if k not in seen:
                seen.add(k)
                uniq.append(f)
        return uniq


def _industry_rows(ctx: Context, row, lang: str) -> list[list[str]]:
    """[[industry name, roles], …] of one entity, in the page's language."""
    tax = ctx.kb.taxonomy
    roles: dict[str, list[str]] = {}
    for item in row.get("roles", []) or []:
        ind, _, role = item.rpartition(":")
        roles.setdefault(ind, []).append(role_label(role, lang))
    out = []
    for ind_id in row.get("industry_ids", []) or []:
        zh = tax.name(ind_id)
        name = tax.name_en(ind_id) if lang == "en" else zh
        out.append([name, "、".join(dict.fromkeys(roles.get(zh, []))) if lang == "zh"
                    else ", ".join(dict.fromkeys(roles.get(zh, [])))])
    return out


def _cites(ctx: Context, cites: list[str], lang: str) -> list[str]:
    return [source_label(c, ctx, lang) for c in dict.fromkeys(cites or [])]


def _change_value(change: str, value: str, lang: str) -> str:
    """A later change of a park in words: a level, a kind or a name."""
    if change == "level":
        return LABELS[lang]["levels"].get(value, value)
    if change == "kind":
        return kind_label(value, lang)
    return value


def _place_list(ctx: Context, ids, names: list[str], lang: str) -> list[str]:
    """Member or route names in the page's language (ids are adcodes or park ids)."""
    if lang == "zh" or not ids or len(ids) != len(names):
        return list(names)
    parks = dict(zip(ctx.kb.parks["id"], ctx.kb.parks["name_en"]))
    return [ctx.geo.admin_names.get(i, (n, ""))[1] or parks.get(i) or n for i, n in zip(ids, names)]


def _park_en(ctx: Context) -> dict[str, str]:
    """Park name -> English name."""
    return dict(zip(ctx.kb.parks["name"], ctx.kb.parks["name_en"]))


def _basis(ctx: Context, basis: str, lang: str) -> str:
    """What a point stands for, in the page's language: a Chinese page shows the gloss, or the basis
    itself when it is a place name with no Latin words (a zone's town or site), else nothing."""
    if not basis:
        return ""
    if lang == "en":  # a town's or site's Chinese name is romanised (黄花镇 -> Huanghua Zhen) for English readers
        return _romanised(basis) if re.search(r"[\u4e00-\u9fff]", basis) else basis
    return ctx.kb.glosses.get(basis, "") or ("" if re.search(r"[A-Za-z]", basis) else basis)


def _romanised(text: str) -> str:
    """Chinese place words in pinyin, one capitalised word per run of Han characters (pypinyin)."""
    from pypinyin import lazy_pinyin

    return re.sub(r"[\u4e00-\u9fff]+", lambda m: "".join(lazy_pinyin(m.group(0))).capitalize() + " ", text).strip()


def _names(row, lang: str) -> tuple[str, str]:
    zh, en = row["name"], row.get("name_en") or ""
    return (en or zh, zh) if lang == "en" else (zh, en)


PINYIN_FILE = "pinyin.csv"


def to_pinyin(text: str) -> tuple[str, str] | None:
    """Full pinyin and initials of a Chinese name (长沙高新区 -> changshagaoxinqu, csgxq), with pypinyin."""
    from pypinyin import lazy_pinyin

    syllables = [s.lower() for s in lazy_pinyin(text, errors="ignore") if s.isascii() and s.isalpha()]
    return ("".join(syllables), "".join(s[0] for s in syllables)) if syllables else None


@lru_cache(maxsize=1)
def _pinyin_table() -> dict[str, tuple[str, str]]:
    """The bundled names' pinyin (``maps/data/pinyin.csv``, made by ``scripts/build_pinyin.py``)."""
    import csv
    from importlib import resources

    path = resources.files("hunan_map.maps") / "data" / PINYIN_FILE
    try:
        with path.open(encoding="utf-8") as fh:
            return {r["name"]: (r["pinyin"], r["initials"]) for r in csv.DictReader(fh)}
    except OSError:
        return {}


def _pinyin(text: str) -> list[str]:
    """Full pinyin and initials of a Chinese name, from the bundled table or else pypinyin."""
    if not any("\u4e00" <= ch <= "\u9fff" for ch in text):
        return []
    found = _pinyin_table().get(text) or to_pinyin(text)
    return [p for p in found if p] if found else []


def pinyin_names(ctx: Context) -> set[str]:
    """The Chinese names the map's search converts to pinyin (the first two names of a feature)."""
    kb = ctx.kb
    names = set(kb.parks["name"]) | set(kb.parks["full_name"]) | set(kb.clusters["name"])
    names |= set(kb.layout_parts["name"]) | set(ctx.geo.counties["name"]) | set(ctx.geo.counties["short_name"])
    names |= set(ctx.geo.prefectures["name"]) | set(ctx.geo.prefectures["short_name"])
    names |= {ctx.kb.taxonomy.name(i) for i in ctx.kb.industries["id"]}  # the page's industry list
    return {n for n in names if n and any("\u4e00" <= ch <= "\u9fff" for ch in n)}


def _search_text(*values, pinyin: bool = True) -> str:
    """Every name a feature can be found by, ``|``-separated: names, aliases, English and pinyin."""
    parts: list[str] = []
    for v in values:
        if isinstance(v, (list, tuple)):
            parts.extend(str(x) for x in v if x)
        elif v:
            parts.append(str(v))
    if pinyin:
        parts += [p for name in parts[:2] for p in _pinyin(name)]
    return "|".join(dict.fromkeys(parts))


def park_layer(ctx: Context, facts: _Facts, frame: gpd.GeoDataFrame, lang: str, *, layer_id: str) -> list[dict]:
    """Features of a point layer (parks, platforms or catalogue zones)."""
    lab = LABELS[lang]
    changes_of: dict[str, list] = {}
    for c in ctx.kb.park_changes.itertuples():
        changes_of.setdefault(c.park, []).append(c)
    out = []
    for row in _records(frame):
        if row.geometry is None or row.geometry.is_empty:
            continue
        name, alt = _names(row, lang)
        tier = primary_tier(row["tiers"])
        if layer_id == "platforms":
            color = PLATFORM_COLOR
        elif layer_id == "catalogue":
            color = CATALOGUE_COLOR
        else:
            color = TIER_COLORS.get(tier, NO_TIER_COLOR)
        where = [row["city_en"], row["county_en"]] if lang == "en" else [row["city"], row["county"]]
        rows = [
            [lab["kind"], " · ".join(x for x in [kind_label(row["kind"], lang),
                                                 lab["levels"].get(row["level"], "")] if x)],
            [lab["where"], " ".join(x for x in where if x)],
            [lab["location"], " · ".join(x for x in [precision_label(row["precision"], lang),
                                                      _basis(ctx, row["basis"], lang)] if x)],
            [lab["evidence"], evidence_label(row.get("evidence", ""), row.get("evidence_strength", ""),
                                             row.get("evidence_source", ""), lang)],
        ]
        rows += _target_rows(ctx, "park", row["id"], lang)
        changes = changes_of.get(row["id"], [])
        if changes:
            rows.append([lab["changes"], "；".join(
                f"{int(c.year) if c.year == c.year else ''} {_change_value(c.change, c.value, lang)}".strip()
                for c in changes)])
        if row.get("clusters"):
            en = dict(zip(ctx.kb.clusters["name"], ctx.kb.clusters["name_en"]))
            rows.append([lab["clusters"], "、".join(row["clusters"]) if lang == "zh"
                         else ", ".join(en.get(c) or c for c in row["clusters"])])
        feat = {
            "id": row["id"], "n": name, "alt": alt, "g": [round(row.geometry.y, 5), round(row.geometry.x, 5)],
            "c": color, "p": row["precision"], "rows": rows, "inds": _industry_rows(ctx, row, lang),
            "cites": _cites(ctx, list(row["sources"]) + ([f"external {row['external']}"] if row["external"] else [])
                            + [f"{c.source} {c.section}" for c in changes_of.get(row["id"], [])], lang),
            "f": facts.of("park", row["id"]),
            "s": _search_text(row["name"], row["full_name"], row["name_en"], row["aliases"]),
            "pl": [row["prefecture_adcode"], row["county_adcode"]],
        }
        if layer_id == "parks":
            feat["lg"] = lab["tiers"].get(tier, lab["no_tier"]) if tier else lab["no_tier"]
        if row.get("layout_industries"):
            feat["lay"] = [_industry_en(ctx).get(n, n) for n in row["layout_industries"]] if lang == "en" \
                else list(row["layout_industries"])
        out.append(feat)
    return out


def area_layer(ctx: Context, facts: _Facts, frame: gpd.GeoDataFrame, lang: str, *, kind: str,
               colors: list[str] | str, entity_type: str) -> list[dict]:
    """Features of clusters, zones or corridors."""
    lab = LABELS[lang]
    out = []
    for i, row in enumerate(_records(frame)):
        name, alt = _names(row, lang)
        rows: list[list[str]] = []
        if row.get("level"):
            rows.append([lab["level"], lab["levels"].get(row["level"], row["level"])])
        sep = "、" if lang == "zh" else ", "
        if row.get("members"):
            rows.append([lab["members"], sep.join(_place_list(ctx, row.get("member_ids"), row["members"], lang))])
        if row.get("parks"):
            rows.append([lab["parks"], sep.join(row["parks"]) if lang == "zh" else
                         sep.join(_park_en(ctx).get(n, n) for n in row["parks"])])
        if row.get("route"):
            rows.append([lab["route"], " → ".join(_place_list(ctx, row.get("route_ids"), row["route"], lang))])
        if row.get("schematic"):
            rows.append([lab["location"], lab["schematic"]])
        rows += _target_rows(ctx, "cluster" if entity_type == "cluster" else "part", row["id"], lang)
        color = colors[i % len(colors)] if isinstance(colors, list) else colors
        feat = {"id": row["id"], "n": name, "alt": alt, "c": color, "rows": rows,
                "inds": _industry_rows(ctx, row, lang), "cites": _cites(ctx, row["sources"], lang),
                "f": facts.of(entity_type, row["id"]), "s": _search_text(row["name"], row.get("name_en"))}
        admin = [m for m in row.get("member_ids", []) or [] if str(m).isdigit()]
        if kind in ("zone", "cluster") and admin and not row.get("schematic") and row.get("member_type") != "park":
            feat["a"] = admin
        else:
            feat["geo"] = _round_geometry(row.geometry)
        out.append(feat)
    return out


def admin_layer(frame: gpd.GeoDataFrame, lang: str) -> list[dict]:
    """Prefectures or counties: names, adcode (geometry comes from the shared topology) and label point."""
    return [{"id": r.adcode, "n": r.name_en if lang == "en" else r.name, "alt": r.name if lang == "en" else r.name_en,
             "a": [r.adcode], "lp": [round(r.label_lat, 4), round(r.label_lon, 4)],
             "s": _search_text(r.name, r.short_name, r.name_en)}
            for r in frame.itertuples()]


def overlay_layer(gdf: gpd.GeoDataFrame, *, marker_limit: int, cluster_limit: int, lang: str = "zh",
                  near_km: float = 10.0) -> dict:
    """A user's overlay: columns, rows and geometry as plain JSON values (never markup)."""
    columns = [str(c) for c in gdf.columns if c != gdf.geometry.name][:12]
    points = bool(len(gdf)) and bool((gdf.geometry.geom_type == "Point").all())
    if points and len(gdf) > cluster_limit:
        mode = "heat"
    elif points and len(gdf) > marker_limit:
        mode = "cluster"
    else:
        mode = "features"
    out: dict[str, Any] = {"mode": mode, "n": int(len(gdf)), "cols": overlay_titles(gdf, columns, lang, near_km)}
    if mode == "heat":
        out["pts"] = np.column_stack([gdf.geometry.y.round(5), gdf.geometry.x.round(5)]).tolist()
        return out
    label_col = next((c for c in ("name", "名称", "title", "企业名称", "项目名称") if c in columns), None)
    if mode == "cluster":
        labels = gdf[label_col].astype(str).tolist() if label_col else [""] * len(gdf)
        out["pts"] = [[round(y, 6), round(x, 6), lab] for x, y, lab in zip(gdf.geometry.x, gdf.geometry.y, labels)]
        return out
    values = [[_cell(v) for v in row] for row in gdf[columns].astype(object).itertuples(index=False, name=None)]
    out["label"] = columns.index(label_col) if label_col else -1
    out["rows"] = values
    out["geo"] = [_round_geometry(g) for g in gdf.geometry]
    return out


def count_classes(counts) -> list[int]:
    """Quintile class (0-4) of each count, for a sequential colour scale."""
    values = np.asarray(counts, dtype=float)
    if not len(values):
        return []
    edges = np.unique(np.quantile(values, [0.2, 0.4, 0.6, 0.8]))
    return [int(k) for k in np.searchsorted(edges, values, side="right")]


def aggregate_layer(agg) -> dict:
    """Counts per hexagon and per county of a large overlay."""
    hexes = [{"geo": _round_geometry(g), "v": int(v), "k": k}
             for g, v, k in zip(agg.hexes.geometry, agg.hexes["count"], count_classes(agg.hexes["count"]))]
    counties = [{"a": [r.adcode], "n": str(r.name), "v": int(r.count), "k": k}
                for r, k in zip(agg.counties.itertuples(), count_classes(agg.counties["count"]))]
    return {"mode": "aggregate", "n": int(agg.n_points), "hexes": hexes, "counties": counties}


def _json_default(value):
    if isinstance(value, (np.integer,)):
        return int(value)
    if isinstance(value, (np.floating,)):
        return None if not np.isfinite(value) else float(value)
    if isinstance(value, (pd.Timestamp,)):
        return value.isoformat()
    return str(value)


_UNSAFE = {ord("<"): "\\u003c", ord(">"): "\\u003e", ord("&"): "\\u0026",
           0x2028: "\\u2028", 0x2029: "\\u2029"}


def dumps(data: dict) -> str:
    """JSON text that is safe inside a ``<script>`` element: no ``<``, ``>``, ``&``, U+2028/2029."""
    text = json.dumps(data, ensure_ascii=False, sort_keys=False, separators=(",", ":"),
                      default=_json_default, allow_nan=False)
    return text.translate(_UNSAFE)


def embed(data: dict, element_id: str = "hunan-data") -> str:
    """The data as a non-executed ``<script type="application/json">`` element."""
    return f'<script type="application/json" id="{element_id}">{dumps(data)}</script>'


#: Units of targets as written in the documents, for English pages.
UNIT_EN = {"亿元": " hundred million yuan", "万亿元": " trillion yuan", "个": "", "家": " firms", "位": " (rank)",
           "%": "%", "倍": "×", "万元": " ten thousand yuan", "万人": " ten thousand people", "项": " items",
           "条": " lines", "亿": " hundred million", "万": " ten thousand", "元": " yuan", "年": " years",
           "个百分点": " percentage points", "件": " items", "家（种）": " firms (kinds)", "户": " firms"}

COMPARE_COLORS = {"plan_only": "#e6550d", "catalogue_only": "#3182bd", "both": "#31a354"}


def compare_layer(ctx: Context, frame: pd.DataFrame, lang: str) -> list[dict]:
    """Counties (and prefectures, for plans that name only a city) with what plans and the 2018
    catalogue say of them: industries in plans only, in the catalogue only, and in both."""
    lab = LABELS[lang]
    sep = "、" if lang == "zh" else ", "
    col = "industry_en" if lang == "en" else "industry"
    out = []
    frame = frame.assign(area=[c or p for c, p in zip(frame["county_adcode"], frame["prefecture_adcode"])])
    for area, grp in frame.groupby("area", sort=True):
        if not area:
            continue
        rows = [[lab[st], sep.join(sorted(set(grp.loc[grp["status"] == st, col])))]
                for st in ("plan_only", "catalogue_only", "both") if (grp["status"] == st).any()]
        status = next(st for st in ("plan_only", "catalogue_only", "both") if (grp["status"] == st).any())
        zh, en = ctx.geo.admin_names.get(area, (area, area))
        cites = sorted({c for cs in grp["plan_sources"] for c in cs})
        out.append({"id": f"cmp-{area}", "n": en if lang == "en" else zh, "alt": zh if lang == "en" else en,
                    "a": [area], "c": COMPARE_COLORS[status], "rows": rows, "lg": lab[status],
                    "cites": _cites(ctx, cites, lang), "f": [], "s": ""})
    return out


def targets_by_subject(ctx: Context, lang: str) -> dict[tuple[str, str], list[str]]:
    """(subject type, subject id) -> target lines in the page's language, for popups."""
    lab = LABELS[lang]
    out: dict[tuple[str, str], list[str]] = {}
    t = ctx.kb.targets
    for r in t[(t["subject_type"].isin(["park", "cluster", "part", "prefecture"])) & (t["kind"] != "baseline")].itertuples():
        metric = lab["metrics"].get(r.metric, "" if lang == "zh" else r.metric.replace("_", " "))
        ind = (ctx.kb.taxonomy.name_en(r.industry) if lang == "en" else ctx.kb.taxonomy.name(r.industry)) if r.industry else ""
        cmp_ = {">=": "≥", "<=": "≤", "about": "≈", "=": ""}.get(r.comparator, r.comparator)
        year = "" if pd.isna(r.year) else f"{int(r.year)}"
        value = f"{r.value:g}" if pd.notna(r.value) else ""
        unit = UNIT_EN.get(r.unit, r.unit) if lang == "en" else r.unit
        text = " ".join(x for x in [year, ind, metric, f"{cmp_}{value}{unit}"] if x)
        out.setdefault((r.subject_type, r.subject), []).append(f"{text} ({source_label(f'{r.source} {r.section}', ctx, lang)})")
    return out
