"""Offline gazetteer: a place name (admin unit, park or town) in, geometry and how it matched out.

Admin units are found by full name (长沙市), short name (长沙), adcode (430100), old name or
old adcode (宁乡县, 430124), common forms (湘西州), English (Changsha) and the pinyin of any
Chinese name form (liuyang -> 浏阳市). Parks, platforms and any other named areas (layout zones,
added by ``hunan_map.layers.gazetteer``) are found by every name a table lists for them; towns
(乡镇街道, :mod:`hunan_map.geo.towns`) by full name, name without 镇/乡/街道 or NBS code, when asked
for. A county or park wins over a town or a layout zone of the same name. All geometry is EPSG:4326.
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass, field
from importlib import resources
from typing import Any

import geopandas as gpd
import pandas as pd

from hunan_map.geo import boundaries
from hunan_map.geo.errors import AmbiguousPlaceError, UnknownPlaceError

#: Precision values, best first.
PRECISIONS = ("exact", "site", "town", "approximate", "seat", "county", "prefecture")
_SUFFIXES_EN = (" autonomous prefecture", " autonomous county", " district", " county", " city")


@dataclass(frozen=True)
class GeocodeResult:
    """What :func:`geocode` found.

    Attributes
    ----------
    query : str
        The name asked for.
    kind : str
        ``"province"``, ``"prefecture"``, ``"county"``, ``"park"``, ``"town"`` or the kind given to
        :meth:`Gazetteer.add_places` (``"zone"``, ``"corridor"``).
    id : str
        Adcode for admin units, 12-digit NBS code for towns, the table's id otherwise.
    name : str
        The canonical Chinese name.
    geometry : shapely.Geometry
        Polygon for admin units, point for parks and towns (EPSG:4326).
    matched_by : str
        Which name form matched (``"name"``, ``"short_name"``, ``"adcode"``, ``"alias"``,
        ``"pinyin"`` ...).
    precision : str
        One of :data:`PRECISIONS`.
    prefecture_adcode : str
        The prefecture the place lies in (itself for prefectures, "" for the province).
    county_adcode : str
        The county a town, park or county lies in ("" when not known or above county level).
    """

    query: str
    kind: str
    id: str
    name: str
    geometry: Any
    matched_by: str
    precision: str
    prefecture_adcode: str = ""
    county_adcode: str = ""


@dataclass
class _Entry:
    kind: str
    id: str
    name: str
    geometry: Any
    precision: str
    prefecture_adcode: str
    county_adcode: str = ""
    forms: dict[str, str] = field(default_factory=dict)


#: Which kind of place a name means when several share it (lower wins; ties stay ambiguous).
_RANK = {"province": 0, "prefecture": 0, "county": 0, "park": 1, "part": 2, "zone": 2, "corridor": 2, "town": 3}


def normalize(name: str) -> str:
    """Key used for lookups: case-folded, without spaces, full-width brackets made ASCII."""
    text = str(name).strip().casefold()
    text = text.replace("（", "(").replace("）", ")")
    return re.sub(r"[\s·'’_-]+", "", text)


def _crosswalk() -> list[dict[str, str]]:
    path = resources.files("hunan_map.geo") / "data" / "adcode_crosswalk.csv"
    with path.open(encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


#: Name forms whose pinyin is indexed too.
_PINYIN_FORMS = ("name", "short_name", "old_name", "full_name", "alias")
_PRIMARY_KINDS = ("province", "prefecture", "county", "park")
_MAX_READINGS = 32


def _pinyin_keys(form: str) -> set[str]:
    """Pinyin keys of a Chinese name: pypinyin's reading in context, plus every combination of
    the readings of polyphonic characters (长株潭 -> zhangzhutan and changzhutan) up to
    :data:`_MAX_READINGS` combinations."""
    from itertools import product

    from pypinyin import Style, lazy_pinyin, pinyin

    keys = {normalize("".join(lazy_pinyin(form, errors="ignore")))}
    readings = [r for r in pinyin(form, style=Style.NORMAL, heteronym=True, errors="ignore") if r]
    count = 1
    for r in readings:
        count *= len(r)
    if count <= _MAX_READINGS:
        keys.update(normalize("".join(p)) for p in product(*readings))
    return {k for k in keys if k.isascii() and k.isalpha()}


_OLD_NAMES = {"431181": ["祁阳县"], "430182": ["宁乡县"], "430582": ["邵东县"], "430212": ["株洲县"]}


class Gazetteer:
    """An index of place names.

    Parameters
    ----------
    places
        Optional table of parks/platforms with columns ``id``, ``name``, ``full_name``,
        ``name_en``, ``aliases`` (``;``-separated), ``precision``, ``prefecture_adcode`` and a
        geometry column (a GeoDataFrame) or ``lon``/``lat`` columns.
    detail
        Boundary detail level for admin geometries.
    towns
        Also index the township units of :func:`hunan_map.geo.towns.towns` (kind ``"town"``).
    """

    def __init__(self, places: pd.DataFrame | None = None, *, detail: boundaries.Detail = "fine",
                 towns: bool = False):
        self._index: dict[str, list[tuple[_Entry, str]]] = {}
        self._chinese_forms: list[tuple[_Entry, str]] = []
        self._pinyin: dict[str, list[tuple[_Entry, str]]] | None = None
        admin = boundaries.admin_units(detail=detail)
        old_codes: dict[str, list[str]] = {}
        for row in _crosswalk():
            old_codes.setdefault(row["new_adcode"], []).append(row["old_adcode"])
        for row in admin.itertuples(index=False):
            pref = "" if row.level == "province" else (
                row.adcode if row.level == "prefecture" else row.parent_adcode)
            entry = _Entry(row.level, row.adcode, row.name, row.geometry, "exact", pref,
                           row.adcode if row.level == "county" else "")
            self._add(entry, row.name, "name")
            self._add(entry, row.short_name, "short_name")
            self._add(entry, row.adcode, "adcode")
            self._add(entry, row.name_en, "name_en")
            en = row.name_en.casefold()
            for suffix in _SUFFIXES_EN:
                if en.endswith(suffix) and row.level != "county":
                    self._add(entry, en[: -len(suffix)], "name_en")
            if row.level == "prefecture" and row.name.endswith("自治州"):
                self._add(entry, row.short_name + "州", "short_name")
                self._add(entry, row.name_en.split()[0], "name_en")
            for code in old_codes.get(row.adcode, []):
                self._add(entry, code, "old_adcode")
            for old in _OLD_NAMES.get(row.adcode, []):
                self._add(entry, old, "old_name")
        if places is not None:
            self.add_places(places)
        if towns:
            self.add_towns()

    def _add(self, entry: _Entry, form: str, how: str) -> None:
        if not form or (isinstance(form, float)):
            return
        key = normalize(form)
        if how in _PINYIN_FORMS and not key.isascii():
            self._chinese_forms.append((entry, str(form)))
            self._pinyin = None
        bucket = self._index.setdefault(key, [])
        if not any(e is entry for e, _ in bucket):
            bucket.append((entry, how))

    def add_places(self, places: pd.DataFrame, *, kind: str = "park") -> None:
        """Index parks and platforms, or other named places of ``kind`` (see the class docstring
        for the columns; a ``precision`` column, else ``"approximate"``; a missing geometry is allowed)."""
        if isinstance(places, gpd.GeoDataFrame):
            geoms = list(places.geometry)
        elif "lon" in places:
            geoms = list(gpd.points_from_xy(places["lon"].astype(float), places["lat"].astype(float)))
        else:
            geoms = [None] * len(places)
        for geom, row in zip(geoms, places.to_dict("records")):
            entry = _Entry(kind, row["id"], row["name"], geom, row.get("precision") or "approximate",
                           str(row.get("prefecture_adcode") or ""), str(row.get("county_adcode") or ""))
            self._add(entry, row["id"], "id")
            self._add(entry, row["name"], "name")
            self._add(entry, row.get("full_name") or "", "full_name")
            self._add(entry, row.get("name_en") or "", "name_en")
            aliases = row.get("aliases") or ""
            if isinstance(aliases, str):
                aliases = aliases.split(";")
            for alias in aliases:
                self._add(entry, alias, "alias")

    def add_towns(self) -> None:
        """Index Hunan's township units (full name, name without 镇/乡/街道, NBS code) as kind ``"town"``."""
        from hunan_map.geo.towns import short_name, towns

        for row in towns().itertuples(index=False):
            entry = _Entry("town", row.code, row.name, row.geometry, "town", row.prefecture_adcode, row.county_adcode)
            self._add(entry, row.name, "name")
            self._add(entry, short_name(row.name), "short_name")
            self._add(entry, row.code, "nbs_code")

    def _pinyin_index(self) -> dict[str, list[tuple[_Entry, str]]]:
        """Pinyin of every Chinese name form (pypinyin, built on first use)."""
        if self._pinyin is None:
            index: dict[str, list[tuple[_Entry, str]]] = {}
            for entry, form in self._chinese_forms:
                for key in _pinyin_keys(form):
                    bucket = index.setdefault(key, [])
                    if not any(e is entry for e, _ in bucket):
                        bucket.append((entry, "pinyin"))
            self._pinyin = index
        return self._pinyin

    def _hits(self, name: str) -> list[tuple[_Entry, str]]:
        """Entries of a name: any indexed form first, else (for a Latin-letter name) its pinyin.

        Admin units and parks come before places of other kinds (layout zones) of the same name."""
        key = normalize(name)
        hits = self._index.get(key, [])
        if not hits and key.isascii() and key.isalpha():
            hits = self._pinyin_index().get(key, [])
        primary = [h for h in hits if h[0].kind in _PRIMARY_KINDS]
        return primary or hits

    @property
    def names(self) -> list[str]:
        """Every indexed name key."""
        return sorted(self._index)

    def candidates(self, name: str, *, limit: int = 5) -> list[str]:
        """The known names closest to ``name`` (rapidfuzz), best first."""
        from rapidfuzz import fuzz, process

        key = normalize(name)
        shown: dict[str, None] = {}
        for match, _score, _ in process.extract(key, list(self._index), scorer=fuzz.WRatio, limit=limit * 3):
            for entry, _how in self._index[match]:
                shown.setdefault(entry.name, None)
        return list(shown)[:limit]

    def geocode(self, name: str, *, prefecture: str | None = None) -> GeocodeResult:
        """Find one place by name.

        Parameters
        ----------
        name
            Any name form; ``"长沙/望城经开区"`` qualifies a name with its prefecture.
        prefecture
            Prefecture (any name form) to choose between places of the same name.

        Returns
        -------
        GeocodeResult

        Raises
        ------
        UnknownPlaceError
            No place has that name (in ``prefecture``, when given), or ``prefecture`` is not a
            prefecture; the message lists the closest names.
        AmbiguousPlaceError
            Several places have that name and ``prefecture`` does not decide.
        """
        if "/" in name and prefecture is None:
            prefecture, name = name.split("/", 1)
        hits = self._hits(name)
        if not hits:
            suggestions = "、".join(self.candidates(name)) or "none"
            raise UnknownPlaceError(
                f"no place named {name!r}; did you mean: {suggestions}? "
                "Names can be Chinese (full or short), adcodes, English or pinyin (liuyang)."
            )
        if prefecture is not None:
            pref = self.prefecture(prefecture)
            inside = [h for h in hits if h[0].prefecture_adcode == pref.id]
            if not inside:
                where = "、".join(sorted({f"{e.name} ({e.kind}, prefecture {e.prefecture_adcode})" for e, _ in hits}))
                raise UnknownPlaceError(f"no place named {name!r} in {pref.name}; places of that name: {where}")
            hits = inside
        if any(e.kind != "town" for e, _ in hits):  # a county or park wins over a town of its name
            hits = [h for h in hits if h[0].kind != "town"]
        unique = {(e.kind, e.id): (e, how) for e, how in hits}
        if len(unique) > 1:  # an admin unit wins over a park, a park over a layout part or a town
            best = min(_RANK.get(k, 9) for k, _i in unique)
            top = {key: v for key, v in unique.items() if _RANK.get(key[0], 9) == best}
            if len(top) == 1:
                unique = top
        if len(unique) > 1:
            options = "; ".join(
                f"{e.name} ({e.kind} {e.id}, prefecture {e.prefecture_adcode})" for e, _ in unique.values()
            )
            first = next(iter(unique.values()))[0].prefecture_adcode
            pref = next((e.name for e, _ in self._index.get(normalize(first), []) if e.kind == "prefecture"), "长沙市")
            raise AmbiguousPlaceError(
                f"{name!r} names several places: {options}. Qualify it with the prefecture, "
                f"e.g. '{pref}/{name}' or prefecture='{pref}'."
            )
        entry, how = next(iter(unique.values()))
        return GeocodeResult(name, entry.kind, entry.id, entry.name, entry.geometry, how,
                             entry.precision, entry.prefecture_adcode, entry.county_adcode)

    def prefecture(self, name: str) -> GeocodeResult:
        """A prefecture by any name form.

        Raises
        ------
        UnknownPlaceError
            No place has that name, or the place is not a prefecture.
        """
        pref = self.geocode(name)
        if pref.kind != "prefecture":
            raise UnknownPlaceError(f"{name!r} is a {pref.kind} ({pref.name}), not one of Hunan's 14 prefectures; "
                                    "name a prefecture such as 长沙, 湘西州 or 430100")
        return pref

    def lookup(self, kind: str, id: str) -> GeocodeResult:
        """Find a place by its kind and id (adcode or park id) directly."""
        for bucket in self._index.values():
            for entry, _ in bucket:
                if entry.kind == kind and entry.id == id:
                    return GeocodeResult(id, kind, id, entry.name, entry.geometry, "id",
                                         entry.precision, entry.prefecture_adcode, entry.county_adcode)
        raise UnknownPlaceError(f"no {kind} with id {id!r}")


_DEFAULT: Gazetteer | None = None


def default_gazetteer() -> Gazetteer:
    """A gazetteer of admin units only (cached)."""
    global _DEFAULT
    if _DEFAULT is None:
        _DEFAULT = Gazetteer()
    return _DEFAULT


def geocode(name: str, *, prefecture: str | None = None, places: pd.DataFrame | None = None) -> GeocodeResult:
    """Geocode a name with the admin gazetteer, or with one that also knows ``places``.

    See :meth:`Gazetteer.geocode`. ``hunan_map.layers.gazetteer()`` gives one that knows every
    park of the knowledge base.
    """
    gaz = default_gazetteer() if places is None else Gazetteer(places)
    return gaz.geocode(name, prefecture=prefecture)
