"""Where the 2018 catalogue's zones are: zone_locations rows in, each zone's first site and the table's problems out.

``zone_locations.csv`` holds one row per site of a catalogue zone (a zone with two parks has
two rows, ``seq`` 1 and 2) with the place, its WGS84 point, how precise it is and the public
evidence that puts the zone there. A park with a ``catalogue_code`` takes its point, precision
and basis from its zone's first site (``parks.csv`` carries a copy, checked to agree).
"""

from __future__ import annotations

import pandas as pd

#: Precision of a zone site, best first: the zone's own unit or outline (``site``), the town its
#: evidence names (``town``), the county town confirmed by evidence (``seat``), no evidence yet:
#: the county's or prefecture's seat (``county``, ``prefecture``), or a main-area point from
#: OpenStreetMap that no page cites (``approximate``; its row may cite the town of that area).
ZONE_PRECISIONS = ("site", "town", "seat", "approximate", "county", "prefecture")
#: Precisions that must cite evidence (a quoted sentence and where it was read).
CITED = ("site", "town", "seat")
#: How strongly a site's evidence puts the zone there: ``strong`` (the page names the zone, or a
#: park it states is the zone's, and the place), ``weak`` (one step is read, not stated: an old or
#: later name taken as the zone, a Q&A page, a firm's address), "" (no evidence).
EVIDENCE_STRENGTHS = ("strong", "weak", "")
#: How far (degrees) a park's point in parks.csv may differ from its zone's first site.
_TOLERANCE = 1e-5


def first_sites(kb) -> pd.DataFrame:
    """The first site (``seq`` 1) of each catalogue zone, indexed by catalogue code."""
    zl = kb.zone_locations
    first = zl[zl["seq"] == 1]
    return first.drop_duplicates("catalogue_code").set_index("catalogue_code")


def site_columns(kb, parks: pd.DataFrame) -> pd.DataFrame:
    """``site``, ``evidence``, ``evidence_source`` and ``evidence_strength`` of each park.

    Each is its zone's first site's ("" for parks that are not catalogue zones).
    """
    first = first_sites(kb)
    out = pd.DataFrame(index=parks.index)
    for col, src in (("site", "place"), ("evidence", "evidence"), ("evidence_source", "evidence_source"),
                     ("evidence_strength", "evidence_strength")):
        values = dict(zip(first.index, first[src]))
        out[col] = [values.get(code, "") if code else "" for code in parks["catalogue_code"]]
    return out


def check(kb, counties, prefectures, towns) -> list[tuple[int, str, str, str]]:
    """Every problem of ``zone_locations.csv`` and of its agreement with ``parks.csv``.

    Returns
    -------
    list of tuple
        ``(table, row, column, message, fix)`` where table is ``zone_locations`` or ``parks``.
    """
    import shapely

    out: list = []
    zl = kb.zone_locations
    parks = kb.parks
    cgeom = dict(zip(counties["adcode"], counties.geometry))
    pgeom = dict(zip(prefectures["adcode"], prefectures.geometry))
    county_parent = dict(zip(counties["adcode"], counties["parent_adcode"]))
    park_rows = {r.id: r for r in parks.itertuples(index=False)}
    town_codes = set(towns["code"])
    seen: dict[tuple[str, float], int] = {}
    for row in zl.itertuples(index=False):
        line = row.csv_line

        def add(column, message, fix, line=line):
            out.append(("zone_locations", line, column, message, fix))

        park = park_rows.get(row.park)
        if park is None:
            add("park", f"no park {row.park!r}", "use the id of the zone's row in parks.csv")
        elif park.catalogue_code != row.catalogue_code:
            add("catalogue_code", f"park {row.park!r} has catalogue code {park.catalogue_code!r}, not "
                f"{row.catalogue_code!r}", "use the park's catalogue_code from parks.csv")
        key = (row.catalogue_code, row.seq)
        if pd.isna(row.seq) or row.seq != int(row.seq) or row.seq < 1:
            add("seq", "seq is not a whole number 1 or above", "number a zone's sites 1, 2 ...")
        elif key in seen:
            add("seq", f"zone {row.catalogue_code} has two sites numbered {int(row.seq)} (first at row {seen[key]})",
                "number a zone's sites 1, 2 ...")
        else:
            seen[key] = line
        # precision and searched hold allowed values: checked with every enumerated column (validate.ALLOWED)
        if row.precision in CITED:
            for col in ("evidence", "evidence_source"):
                if not getattr(row, col):
                    add(col, f"a {row.precision!r} site has no {col.replace('_', ' ')}",
                        "quote the evidence (one sentence at most) and say where it was read, or set precision to "
                        "'county' (drawn at the county seat)")
            if not row.evidence_strength:
                add("evidence_strength", f"a {row.precision!r} site does not say how strong its evidence is",
                    "write strong (the page names the zone, or a park it says is the zone's, and the place) or "
                    "weak (a step is read, not stated: an old name, a firm's address, a Q&A page)")
            if row.searched != "yes":
                add("searched", f"a {row.precision!r} site was found by searching, but searched is {row.searched!r}",
                    "write yes")
        if row.evidence_strength and not row.evidence:
            add("evidence_strength", f"strength {row.evidence_strength!r} is given, but there is no evidence",
                "clear evidence_strength, or quote the evidence")
        if len(row.place_code) == 12 and row.place_code not in town_codes:
            add("place_code", f"no town with NBS code {row.place_code!r} in geo/data/towns.csv",
                "use a code from geo/data/towns.csv, or leave place_code empty for a named site")
        if pd.isna(row.lon) or pd.isna(row.lat):
            add("lon/lat", "the site has no point", "give lon and lat in WGS84 degrees")
            continue
        point = shapely.Point(row.lon, row.lat)
        if row.county_adcode:
            if row.county_adcode not in cgeom:
                add("county_adcode", f"no county with adcode {row.county_adcode!r}", "use a current county adcode")
            elif not cgeom[row.county_adcode].covers(point):
                inside = [c for c, g in cgeom.items() if g.covers(point)]
                add("lon/lat", f"point ({row.lon:g}, {row.lat:g}) is outside county {row.county_adcode}"
                    + (f"; it lies in {inside[0]}" if inside else "; it lies outside Hunan"),
                    "fix the point (WGS84; convert GCJ-02 with hunan_map.geo.crs.gcj02_to_wgs84) or the county")
            elif park is not None:
                allowed = {park.county_adcode, *park.other_county_adcodes.split(";")} - {""}
                if allowed and row.county_adcode not in allowed:
                    add("county_adcode", f"county {row.county_adcode} is not the zone's county "
                        f"({', '.join(sorted(allowed))})", "fix the county, or the park's county_adcode in parks.csv")
                elif not allowed and county_parent.get(row.county_adcode) != park.prefecture_adcode:
                    add("county_adcode", f"county {row.county_adcode} is not in prefecture {park.prefecture_adcode}",
                        "fix the county or the park's prefecture_adcode")
        elif park is not None and park.prefecture_adcode in pgeom and not pgeom[park.prefecture_adcode].covers(point):
            add("lon/lat", f"point ({row.lon:g}, {row.lat:g}) is outside prefecture {park.prefecture_adcode}",
                "fix the point (WGS84)")
    out += _check_parks_agree(kb)
    return out


def _check_parks_agree(kb) -> list:
    """Each catalogue park has a first site, and parks.csv's point and precision are that site's."""
    out = []
    first = first_sites(kb)
    for park in kb.parks.itertuples(index=False):
        if not park.catalogue_code:
            continue
        if park.catalogue_code not in first.index:
            out.append(("parks", park.csv_line, "catalogue_code", f"zone {park.catalogue_code} has no site in "
                        "zone_locations.csv", "add a row with seq 1 (precision 'county' when no evidence is known)"))
            continue
        site = first.loc[park.catalogue_code]
        fix = ("copy the zone's first site from zone_locations.csv (python scripts/apply_zone_locations.py does it)")
        if park.precision != site["precision"]:
            out.append(("parks", park.csv_line, "precision", f"precision {park.precision!r} differs from its zone's "
                        f"first site ({site['precision']!r})", fix))
        drawn_at_seat = site["precision"] in ("county", "prefecture") and pd.isna(park.lon)
        if not drawn_at_seat and (pd.isna(park.lon) or abs(park.lon - site["lon"]) > _TOLERANCE
                                  or abs(park.lat - site["lat"]) > _TOLERANCE):
            out.append(("parks", park.csv_line, "lon/lat", f"point ({park.lon}, {park.lat}) differs from its zone's "
                        f"first site ({site['lon']}, {site['lat']})", fix))
    return out
