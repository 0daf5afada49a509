"""Validation of the knowledge base: tables in, every problem (file, row, column, fix) out.

All checks run and all problems are reported together, so one pass over a user's edited copy
shows everything to fix.
"""

from __future__ import annotations

import pandas as pd

from hunan_map.geo.gazetteer import normalize
from hunan_map.layers.errors import Problem
from hunan_map.layers.kb import TABLES, KnowledgeBase
from hunan_map.layers.kb.taxonomy import TIERS, split_list
from hunan_map.layers.kb.zones import ZONE_PRECISIONS
from hunan_map.layers.kb.validate_rows import (check_glosses, check_identical_rows, check_park_spans,
                                               check_unique_entities, check_wording)

ROLES_PARK = ("core_carrier", "carrier", "relied_on", "lead", "named_focus", "member", "focus", "transfer",
              "catalogue_lead")
ROLES_PART = ("focus", "transfer")
PLACE_ROLES = ("member", "route", "park", "platform")
#: Empty = the document names the cluster without a level.
CLUSTER_LEVELS = ("world_class_target", "national_amc", "national_sei", "national_target",
                  "provincial", "characteristic", "sme_characteristic", "")
PARK_LEVELS = ("national", "provincial", "other", "")
#: exact/approximate: a point is given; site/town/seat: a catalogue zone's point from its first site in
#: zone_locations.csv (its own unit or outline, the town its evidence names, the county town confirmed
#: by evidence); county/prefecture: drawn at that seat; province: no place.
PRECISIONS = ("exact", "site", "town", "seat", "approximate", "county", "prefecture", "province")
#: Precisions that give a point of their own.
LOCATED = ("exact", "site", "town", "seat", "approximate")
PARK_KINDS = ("高新区", "经开区", "经济开发区", "工业园区", "工业园", "科技园", "出口加工区", "综合保税区", "保税物流中心",
              "自贸试验区", "platform", "airport", "port", "laboratory", "institute", "base", "centre", "hub",
              "pilot_zone", "demonstration_zone", "new_area", "designation")
PART_KINDS = ("zone", "corridor")
TARGET_SUBJECTS = ("province", "industry", "park", "cluster", "prefecture", "county", "part")
COMPARATORS = ("=", ">=", ">", "about", "<=", "<", "")
TARGET_KINDS = ("target", "baseline", "")
PLACE_TYPES = ("park", "prefecture", "county")
#: How a fact's industry node relates to the source's own words (``wording``); empty = no wording.
RELATIONS = ("same", "part_of", "broader", "")
#: Every enumerated column and the values it may hold, in one place: to allow a new kind, level,
#: role or tier, add it to the tuple above (or here) and it is accepted everywhere.
ALLOWED: dict[str, dict[str, tuple[str, ...]]] = {
    "parks": {"kind": PARK_KINDS, "level": PARK_LEVELS, "precision": PRECISIONS},
    "zone_locations": {"precision": ZONE_PRECISIONS, "searched": ("yes", "no")},
    "park_industries": {"role": ROLES_PARK, "relation": RELATIONS},
    "industry_tiers": {"tier": TIERS},
    "clusters": {"level": CLUSTER_LEVELS},
    "cluster_members": {"member_type": PLACE_TYPES, "role": ROLES_PARK},
    "layout_parts": {"kind": PART_KINDS},
    "part_industries": {"role": ROLES_PART},
    "part_places": {"place_type": PLACE_TYPES, "role": PLACE_ROLES},
    "targets": {"subject_type": TARGET_SUBJECTS, "comparator": COMPARATORS, "kind": TARGET_KINDS},
    "park_changes": {"change": ("level", "name", "merged_into", "kind")},
    "sources": {"industry_scope": ("all", "strategic_emerging", "")},
}
#: Hunan's bounding box (lon_min, lat_min, lon_max, lat_max): park points and zone centres lie inside.
HUNAN_BBOX = (108.7, 24.6, 114.3, 30.2)
#: Largest radius (km) of a zone drawn as a circle; Hunan is about 600 km across.
MAX_RADIUS_KM = 300.0
#: Years a document or target may carry.
YEARS = (1949, 2100)
#: Tables a coverage-ledger row may name.
LEDGER_TABLES = ("parks", "park_industries", "clusters", "cluster_members", "layouts", "layout_parts",
                 "part_industries", "part_places", "industry_tiers", "industry_trees", "targets")


def _file(name: str) -> str:
    return TABLES[name][0]


class _Report:
    def __init__(self) -> None:
        self.problems: list[Problem] = []

    def add(self, table: str, row: int, column: str, message: str, fix: str) -> None:
        self.problems.append(Problem(_file(table), int(row), column, message, fix))


def _check_columns(kb: KnowledgeBase, rep: _Report) -> None:
    for name, (_f, cols) in TABLES.items():
        df = getattr(kb, name)
        for col in cols:
            if col not in df.columns:
                rep.add(name, 1, col, "column is missing", f"add a column named {col!r} to the header")


def _check_ids(kb: KnowledgeBase, rep: _Report) -> None:
    for name in ("sources", "industries", "parks", "clusters", "layouts", "layout_parts"):
        df = getattr(kb, name)
        seen: dict[str, int] = {}
        for row in df.itertuples(index=False):
            if not row.id:
                rep.add(name, row.csv_line, "id", "id is empty", "give the row a unique id")
            elif row.id in seen:
                rep.add(name, row.csv_line, "id", f"duplicate id {row.id!r} (first at row {seen[row.id]})",
                        "give each row its own id")
            else:
                seen[row.id] = row.csv_line


def _check_refs(df: pd.DataFrame, table: str, column: str, known: set[str], what: str,
                rep: _Report, *, allow_empty: bool = False) -> None:
    for row in df.itertuples(index=False):
        value = getattr(row, column)
        if not value and allow_empty:
            continue
        if value not in known:
            from hunan_map.layers.kb.taxonomy import closest

            near = ", ".join(closest(value, sorted(known), limit=3)) if known and value else ""
            hint = f"use a known {what} id" + (f" (closest: {near})" if near else "")
            rep.add(table, row.csv_line, column, f"unknown {what} {value!r}", hint)


def _check_values(df: pd.DataFrame, table: str, column: str, allowed: tuple[str, ...], rep: _Report) -> None:
    for row in df.itertuples(index=False):
        value = getattr(row, column)
        if value not in allowed:
            rep.add(table, row.csv_line, column, f"unknown {column.replace('_', ' ')} {value!r}",
                    f"use one of {', '.join(a for a in allowed if a) or 'the allowed values'}")


def _check_allowed(kb: KnowledgeBase, rep: _Report) -> None:
    """Enumerated columns hold one of their :data:`ALLOWED` values."""
    for table, columns in ALLOWED.items():
        df = getattr(kb, table)
        for column, allowed in columns.items():
            if column in df.columns:
                _check_values(df, table, column, allowed, rep)


def _check_numbers(kb: KnowledgeBase, rep: _Report) -> None:
    """Numbers that do not read as numbers (found by the reader), and numbers out of range."""
    for name in kb.table_names():
        rep.problems.extend(getattr(kb, name).attrs.get("problems", []))
    x0, y0, x1, y1 = HUNAN_BBOX
    for row in kb.parks.itertuples(index=False):
        if pd.notna(row.lon) != pd.notna(row.lat):
            missing = "lat" if pd.notna(row.lon) else "lon"
            rep.add("parks", row.csv_line, missing, f"{missing} is empty but {'lon' if missing == 'lat' else 'lat'} "
                    "is given", "give both lon and lat (WGS84 degrees), or neither")
        elif pd.notna(row.lon) and not (x0 <= row.lon <= x1 and y0 <= row.lat <= y1):
            swapped = x0 <= row.lat <= x1 and y0 <= row.lon <= y1
            rep.add("parks", row.csv_line, "lon/lat", f"point ({row.lon:g}, {row.lat:g}) is outside Hunan"
                    + (" (longitude and latitude swapped?)" if swapped else ""),
                    f"give WGS84 degrees inside Hunan ({x0}-{x1} E, {y0}-{y1} N)")
    for row in kb.layout_parts.itertuples(index=False):
        given = [pd.notna(v) for v in (row.center_lon, row.center_lat, row.radius_km)]
        if any(given) and not all(given):
            rep.add("layout_parts", row.csv_line, "center_lon/center_lat/radius_km",
                    "a circle needs all of center_lon, center_lat and radius_km", "give all three, or none")
            continue
        if not any(given):
            continue
        if not (x0 <= row.center_lon <= x1 and y0 <= row.center_lat <= y1):
            rep.add("layout_parts", row.csv_line, "center_lon/center_lat",
                    f"centre ({row.center_lon:g}, {row.center_lat:g}) is outside Hunan",
                    f"give WGS84 degrees inside Hunan ({x0}-{x1} E, {y0}-{y1} N)")
        if not 0 < row.radius_km < MAX_RADIUS_KM:
            rep.add("layout_parts", row.csv_line, "radius_km", f"radius {row.radius_km:g} km is out of range",
                    f"give a radius above 0 and below {MAX_RADIUS_KM:g} km")
    for name, column, required in (("sources", "year", True), ("layouts", "year", True), ("targets", "year", False)):
        for row in getattr(kb, name).itertuples(index=False):
            year = getattr(row, column)
            if pd.isna(year):
                if required and not _bad_number(kb, name, row.csv_line, column):
                    rep.add(name, row.csv_line, column, "year is empty", "give the year, e.g. 2026")
            elif year != int(year) or not YEARS[0] <= year <= YEARS[1]:
                rep.add(name, row.csv_line, column, f"year {year:g} is not a year between {YEARS[0]} and {YEARS[1]}",
                        "give the four-digit year, e.g. 2026")
    for name, column in (("cluster_members", "seq"), ("layout_parts", "seq"), ("part_places", "seq"),
                         ("industry_tiers", "rank")):
        for row in getattr(kb, name).itertuples(index=False):
            value = getattr(row, column)
            if pd.notna(value) and (value != int(value) or value < 0):
                rep.add(name, row.csv_line, column, f"{column} {value:g} is not a whole number 0 or above",
                        "give the position as 1, 2, 3 ...")


def _bad_number(kb: KnowledgeBase, name: str, line: int, column: str) -> bool:
    return any(p.row == line and p.column == column for p in getattr(kb, name).attrs.get("problems", []))


def _check_citations(kb: KnowledgeBase, rep: _Report) -> None:
    sources = set(kb.sources["id"])
    for name in ("industry_tiers", "parks", "park_industries", "clusters", "cluster_members",
                 "layouts", "layout_parts", "part_industries", "part_places"):
        df = getattr(kb, name)
        for row in df.itertuples(index=False):
            if not row.source:
                rep.add(name, row.csv_line, "source", "missing citation: source is empty",
                        f"name the document ({', '.join(sorted(sources))}) or write 'external'")
            elif row.source != "external" and row.source not in sources:
                rep.add(name, row.csv_line, "source", f"unknown source {row.source!r}",
                        f"use one of {', '.join(sorted(sources))} or 'external'")
            if not row.section:
                fix = ("write a short citation of where the fact comes from" if row.source == "external"
                       else "give the section, e.g. '四(一) 专栏4-1'")
                rep.add(name, row.csv_line, "section", "missing citation: section is empty", fix)


def _check_industries(kb: KnowledgeBase, rep: _Report) -> None:
    ind = kb.industries
    ids = set(ind["id"])
    _check_refs(ind, "industries", "parent", ids, "industry", rep, allow_empty=True)
    parent = dict(zip(ind["id"], ind["parent"]))
    rows = dict(zip(ind["id"], ind["csv_line"]))
    reported: set[str] = set()
    for start in ind["id"]:
        seen, node = [], start
        while node and node in parent and node not in seen:
            seen.append(node)
            node = parent[node]
        if node in seen and node not in reported:
            cycle = seen[seen.index(node):]
            reported.update(cycle)
            rep.add("industries", rows[node], "parent", f"cycle in the industry tree: {' -> '.join(cycle + [node])}",
                    "make one of these industries a root (empty parent) or point it elsewhere")
    owner: dict[str, tuple[str, str]] = {}
    for row in ind.itertuples(index=False):
        for form in [row.id, row.name, row.name_en, *split_list(row.aliases)]:
            key = normalize(form)
            if not key:
                continue
            if key in owner and owner[key][0] != row.id:
                rep.add("industries", row.csv_line, "aliases",
                        f"name {form!r} is also used by industry {owner[key][0]!r}",
                        "keep each name or alias on one industry only")
            owner.setdefault(key, (row.id, form))
    tiers = kb.industry_tiers
    _check_refs(tiers, "industry_tiers", "industry", ids, "industry", rep)


def _check_parks(kb: KnowledgeBase, rep: _Report, counties, prefectures) -> None:
    parks = kb.parks
    pref_codes = set(prefectures["adcode"])
    county_parent = dict(zip(counties["adcode"], counties["parent_adcode"]))
    for row in parks.itertuples(index=False):
        if row.precision == "province":
            if row.prefecture_adcode or row.county_adcode or pd.notna(row.lon):
                rep.add("parks", row.csv_line, "precision", "a park placed in the whole province has a place",
                        "clear prefecture_adcode, county_adcode, lon and lat, or set the precision that fits")
            continue
        if row.prefecture_adcode not in pref_codes:
            rep.add("parks", row.csv_line, "prefecture_adcode", f"no prefecture with adcode {row.prefecture_adcode!r}",
                    "use a 6-digit prefecture adcode such as 430100 (see `hunan-map export prefectures`)")
        for col in ("county_adcode",):
            code = getattr(row, col)
            if code and code not in county_parent:
                rep.add("parks", row.csv_line, col, f"no county with adcode {code!r}",
                        "use a current 6-digit county adcode (see `hunan-map export counties`)")
            elif code and county_parent[code] != row.prefecture_adcode:
                rep.add("parks", row.csv_line, col, f"county {code} is not in prefecture {row.prefecture_adcode}",
                        f"set prefecture_adcode to {county_parent[code]} or fix the county")
        for code in split_list(row.other_county_adcodes):
            if code not in county_parent:
                rep.add("parks", row.csv_line, "other_county_adcodes", f"no county with adcode {code!r}",
                        "list current county adcodes separated by ';'")
        located = pd.notna(row.lon) and pd.notna(row.lat)
        if row.precision in LOCATED and not located:
            rep.add("parks", row.csv_line, "lon", "location missing",
                    "give lon and lat in WGS84 degrees, or set precision to 'county' (drawn at the county seat)")
        if row.precision in (*LOCATED, "county") and not row.county_adcode:
            rep.add("parks", row.csv_line, "county_adcode", f"county missing for precision {row.precision!r}",
                    "give the county adcode or set precision to 'prefecture'")
    _check_park_locations(parks, rep, counties, prefectures)


def _check_park_locations(parks: pd.DataFrame, rep: _Report, counties, prefectures) -> None:
    import shapely

    cgeom = dict(zip(counties["adcode"], counties.geometry))
    pgeom = dict(zip(prefectures["adcode"], prefectures.geometry))
    for row in parks.itertuples(index=False):
        if pd.isna(row.lon) or pd.isna(row.lat):
            continue
        point = shapely.Point(row.lon, row.lat)
        codes = [c for c in [row.county_adcode, *split_list(row.other_county_adcodes)] if c in cgeom]
        if codes:
            if not any(cgeom[c].covers(point) for c in codes):
                inside = [c for c, g in cgeom.items() if g.covers(point)]
                where = f"it lies in county {inside[0]}" if inside else "it lies outside Hunan"
                rep.add("parks", row.csv_line, "lon/lat", f"point ({row.lon}, {row.lat}) is outside county {row.county_adcode}; {where}",
                        "fix the coordinates (WGS84, not GCJ-02) or the county_adcode")
        elif row.prefecture_adcode in pgeom and not pgeom[row.prefecture_adcode].covers(point):
            rep.add("parks", row.csv_line, "lon/lat", f"point ({row.lon}, {row.lat}) is outside prefecture {row.prefecture_adcode}",
                    "fix the coordinates (WGS84) or the prefecture_adcode")


def _check_places(df: pd.DataFrame, table: str, type_col: str, id_col: str, places: dict[str, set[str]],
                  rep: _Report) -> None:
    """Rows that name a place by type (park, prefecture, county) and id or adcode."""
    for row in df.itertuples(index=False):
        kind, value = getattr(row, type_col), getattr(row, id_col)
        if kind not in places:
            continue  # reported by _check_allowed
        if value not in places[kind]:
            rep.add(table, row.csv_line, id_col, f"no {kind} {value!r}", f"use a known {kind} id or adcode")


def _check_relations(kb: KnowledgeBase, rep: _Report, counties, prefectures) -> None:
    inds = set(kb.industries["id"])
    parks = set(kb.parks["id"])
    clusters = set(kb.clusters["id"])
    parts = set(kb.layout_parts["id"])
    places = {"park": parks, "prefecture": set(prefectures["adcode"]), "county": set(counties["adcode"])}
    pi = kb.park_industries
    _check_refs(pi, "park_industries", "park", parks, "park", rep)
    _check_refs(pi, "park_industries", "industry", inds, "industry", rep)
    cl = kb.clusters
    _check_refs(cl, "clusters", "industry", inds, "industry", rep, allow_empty=True)
    cm = kb.cluster_members
    _check_refs(cm, "cluster_members", "cluster", clusters, "cluster", rep)
    _check_places(cm, "cluster_members", "member_type", "member", places, rep)
    lp = kb.layout_parts
    _check_refs(lp, "layout_parts", "layout", set(kb.layouts["id"]), "layout", rep)
    pin = kb.part_industries
    _check_refs(pin, "part_industries", "part", parts, "layout part", rep)
    _check_refs(pin, "part_industries", "industry", inds, "industry", rep)
    pp = kb.part_places
    _check_refs(pp, "part_places", "part", parts, "layout part", rep)
    _check_places(pp, "part_places", "place_type", "place", places, rep)
    corridor_ids = set(lp.loc[lp["kind"] == "corridor", "id"])
    for part in corridor_ids:
        route = pp[(pp["part"] == part) & (pp["role"] == "route")]
        if len(route) < 2:
            row = int(lp.loc[lp["id"] == part, "csv_line"].iloc[0])
            rep.add("layout_parts", row, "id", f"corridor {part!r} has fewer than two route places",
                    "add ordered rows with role 'route' to part_places.csv")


def _check_trees_and_targets(kb: KnowledgeBase, rep: _Report, counties, prefectures) -> None:
    inds = set(kb.industries["id"])
    sources = set(kb.sources["id"])
    tr = kb.industry_trees
    _check_refs(tr, "industry_trees", "source", sources, "source", rep)
    _check_refs(tr, "industry_trees", "industry", inds, "industry", rep)
    _check_refs(tr, "industry_trees", "parent", inds, "industry", rep, allow_empty=True)
    tg = kb.targets
    _check_refs(tg, "targets", "source", sources, "source", rep)
    _check_refs(tg, "targets", "industry", inds, "industry", rep, allow_empty=True)
    subjects = {"park": set(kb.parks["id"]), "cluster": set(kb.clusters["id"]),
                "part": set(kb.layout_parts["id"]), "prefecture": set(prefectures["adcode"]),
                "county": set(counties["adcode"])}
    for row in tg.itertuples(index=False):
        if row.subject_type in subjects and row.subject not in subjects[row.subject_type]:
            rep.add("targets", row.csv_line, "subject", f"no {row.subject_type} {row.subject!r}",
                    f"use a known {row.subject_type} id or adcode")
        if pd.isna(row.value) and not _bad_number(kb, "targets", row.csv_line, "value"):
            rep.add("targets", row.csv_line, "value", "value is empty", "write the number only, e.g. 5000")


def _check_changes(kb: KnowledgeBase, rep: _Report) -> None:
    """Later changes of a park (after the fact a source states) name a known park and a cited source."""
    ch = kb.park_changes
    _check_refs(ch, "park_changes", "park", set(kb.parks["id"]), "park", rep)
    sources = set(kb.sources["id"]) | {"external"}
    _check_refs(ch, "park_changes", "source", sources, "source", rep)


def _check_ledger(kb: KnowledgeBase, rep: _Report) -> None:
    """Every section the coverage ledger lists has rows in the tables it names, or a reason."""
    sources = set(kb.sources["id"])
    cited = {name: {(src, part.strip()) for src, sec in zip(getattr(kb, name)["source"], getattr(kb, name)["section"])
                    for part in sec.split(";")} for name in LEDGER_TABLES}
    cited["parks"] |= {tuple(c.split(" ", 1)) for c in split_list(";".join(kb.parks["also_cited"])) if " " in c}
    for row in kb.coverage.itertuples(index=False):
        if row.source not in sources:
            rep.add("coverage", row.csv_line, "source", f"unknown source {row.source!r}",
                    f"use one of {', '.join(sorted(sources))}")
            continue
        tables = split_list(row.tables)
        if not tables and not row.reason:
            rep.add("coverage", row.csv_line, "tables", f"section {row.section!r} has no rows and no reason",
                    "name the tables that hold its facts, or say in 'reason' why it has none")
        for name in tables:
            if name not in cited:
                rep.add("coverage", row.csv_line, "tables", f"unknown table {name!r}",
                        f"use one of {', '.join(LEDGER_TABLES)}")
            elif (row.source, row.section) not in cited[name]:
                rep.add("coverage", row.csv_line, "tables",
                        f"{_file(name)} has no row citing {row.source} {row.section}",
                        "add the rows for this section, or correct the ledger")


def _check_zones(kb: KnowledgeBase, rep: _Report, counties, prefectures) -> None:
    """Every zone site inside its county, every town/site/seat cited, parks.csv agreeing (:mod:`.zones`)."""
    from hunan_map.geo.towns import towns
    from hunan_map.layers.kb import zones

    for problem in zones.check(kb, counties, prefectures, towns()):
        rep.add(*problem)


def validate(kb: KnowledgeBase) -> list[Problem]:
    """Every problem in the knowledge base, sorted by file and row.

    Parameters
    ----------
    kb
        Tables from :func:`hunan_map.layers.kb.load`.

    Returns
    -------
    list of Problem
        Empty when the data are clean.
    """
    from hunan_map.geo import boundaries

    counties = boundaries.counties()
    prefectures = boundaries.prefectures()
    rep = _Report()
    _check_columns(kb, rep)
    _check_numbers(kb, rep)
    _check_allowed(kb, rep)
    _check_ids(kb, rep)
    _check_citations(kb, rep)
    _check_industries(kb, rep)
    _check_parks(kb, rep, counties, prefectures)
    _check_relations(kb, rep, counties, prefectures)
    _check_trees_and_targets(kb, rep, counties, prefectures)
    _check_ledger(kb, rep)
    _check_changes(kb, rep)
    _check_zones(kb, rep, counties, prefectures)
    check_identical_rows(kb, rep)
    check_unique_entities(kb, rep)
    check_wording(kb, rep)
    check_park_spans(kb, rep, prefectures)
    check_glosses(kb, rep)
    _check_refs(kb.layouts, "layouts", "source", set(kb.sources["id"]), "source", rep)
    order = {f: i for i, (f, _c) in enumerate(TABLES.values())}
    return sorted(rep.problems, key=lambda p: (order.get(p.file, 99), p.row))
