"""The knowledge base's schema: table name -> file and required columns, optional and numeric columns,
and where the bundled tables are (no pandas: commands that only need file names stay light)."""

from __future__ import annotations

from importlib import resources


#: Table name -> (file name, required columns).
TABLES: dict[str, tuple[str, list[str]]] = {
    "sources": ("sources.csv", ["id", "title", "title_en", "short_title", "short_title_en", "issuer", "date", "year", "doc_number", "scope"]),
    "industries": ("industries.csv", ["id", "name", "name_en", "parent", "aliases", "note"]),
    "industry_tiers": ("industry_tiers.csv", ["source", "system", "tier", "industry", "name_in_source",
                                              "rank", "target_2030", "target_unit", "target_note", "section"]),
    "parks": ("parks.csv", ["id", "name", "full_name", "name_en", "aliases", "kind", "level",
                            "prefecture_adcode", "county_adcode", "other_county_adcodes", "lon", "lat",
                            "precision", "basis", "source", "section", "external"]),
    "park_industries": ("park_industries.csv", ["park", "industry", "role", "source", "section"]),
    "industry_trees": ("industry_trees.csv", ["source", "industry", "name_in_source", "parent", "section"]),
    "targets": ("targets.csv", ["id", "source", "section", "subject_type", "subject", "industry", "metric",
                                "value", "unit", "year", "comparator", "note"]),
    "coverage": ("coverage.csv", ["source", "section", "topic", "names", "tables", "reason"]),
    "park_changes": ("park_changes.csv", ["park", "year", "change", "value", "source", "section"]),
    "clusters": ("clusters.csv", ["id", "name", "name_en", "industry", "level", "source", "section"]),
    "cluster_members": ("cluster_members.csv", ["cluster", "member_type", "member", "role", "seq",
                                                "source", "section"]),
    "layouts": ("layouts.csv", ["id", "name", "name_en", "year", "source", "section"]),
    "layout_parts": ("layout_parts.csv", ["id", "layout", "name", "name_en", "kind", "seq", "source",
                                          "section", "center_lon", "center_lat", "radius_km",
                                          "geometry_source"]),
    "part_industries": ("part_industries.csv", ["part", "industry", "role", "source", "section"]),
    "part_places": ("part_places.csv", ["part", "place_type", "place", "role", "seq", "source", "section"]),
    "zone_locations": ("zone_locations.csv", ["park", "catalogue_code", "seq", "place", "place_code", "county_adcode",
                                              "lon", "lat", "precision", "evidence", "evidence_source",
                                              "evidence_strength", "searched"]),
}
#: Numeric columns of each table (read as floats; text, inf and nan are problems).
NUMERIC: dict[str, list[str]] = {
    "industry_tiers": ["rank", "target_2030"],
    "parks": ["lon", "lat"],
    "cluster_members": ["seq"],
    "layouts": ["year"],
    "layout_parts": ["seq", "center_lon", "center_lat", "radius_km"],
    "part_places": ["seq"],
    "zone_locations": ["seq", "lon", "lat"],
    "park_changes": ["year"],
    "sources": ["year"],
    "targets": ["value", "year"],
}
#: Tables a data folder may hold besides :data:`TABLES` (read when present; the bundled one otherwise).
EXTRA_TABLES: dict[str, tuple[str, list[str]]] = {"external_glosses": ("external_glosses.csv", ["en", "zh"])}
#: Columns a table may have besides its required ones (filled with "" when absent).
OPTIONAL: dict[str, list[str]] = {
    "sources": ["kind", "seed_file", "note", "geo_scope", "industry_scope"],
    "parks": ["catalogue_code", "approved", "area_ha", "other_prefecture_adcodes", "also_cited"],
    "park_industries": ["note", "wording", "relation"],
    "targets": ["kind"],
}


def default_data_dir():
    """The bundled data folder (a Traversable inside the installed package)."""
    return resources.files("hunan_map.layers.kb") / "data"
