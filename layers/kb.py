"""Knowledge-base tables (CSV under ``layers/data`` or a user's copy) in, typed DataFrames out."""

from __future__ import annotations

from dataclasses import dataclass, fields
from importlib import resources
from pathlib import Path

import pandas as pd

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
    "clusters": ("clusters.csv", ["id", "name", "name_en", "industry", "level", "source", "section"]),
    "cluster_members": ("cluster_members.csv", ["cluster", "member_type", "member", "role", "seq",
                                                "source", "section"]),
    "layouts": ("layouts.csv", ["id", "name", "name_en", "year", "source", "section"]),
    "layout_parts": ("layout_parts.csv", ["id", "layout", "name", "name_en", "kind", "seq", "source",
                                          "section", "center_lon", "center_lat", "radius_km",
                                          "geometry_source"]),
    "part_industries": ("part_industries.csv", ["part", "industry", "role", "source", "section"]),
    "part_places": ("part_places.csv", ["part", "place_type", "place", "role", "seq", "source", "section"]),
}
_NUMERIC = {
    "industry_tiers": ["rank", "target_2030"],
    "parks": ["lon", "lat"],
    "cluster_members": ["seq"],
    "layouts": ["year"],
    "layout_parts": ["seq", "center_lon", "center_lat", "radius_km"],
    "part_places": ["seq"],
    "sources": ["year"],
    "targets": ["value", "year"],
}
#: Columns a table may have besides its required ones (filled with "" when absent).
OPTIONAL: dict[str, list[str]] = {
    "sources": ["kind", "seed_file", "note"],
    "parks": ["catalogue_code", "approved", "area_ha"],
    "park_industries": ["note"],
    "targets": ["kind"],
}


@dataclass(frozen=True)
class KnowledgeBase:
    """All knowledge-base tables. Text columns are ``str`` ("" when empty), numbers are floats."""

    sources: pd.DataFrame
    industries: pd.DataFrame
    industry_tiers: pd.DataFrame
    parks: pd.DataFrame
    park_industries: pd.DataFrame
    industry_trees: pd.DataFrame
    targets: pd.DataFrame
    coverage: pd.DataFrame
    clusters: pd.DataFrame
    cluster_members: pd.DataFrame
    layouts: pd.DataFrame
    layout_parts: pd.DataFrame
    part_industries: pd.DataFrame
    part_places: pd.DataFrame
    data_dir: str = ""

    def table_names(self) -> list[str]:
        """Names of the tables, in file order."""
        return [f.name for f in fields(self) if f.name != "data_dir"]


def default_data_dir():
    """The bundled data folder (a Traversable inside the installed package)."""
    return resources.files("hunan_map.layers") / "data"


def read_table(path, name: str) -> pd.DataFrame:
    """Read one CSV as strings, keeping empty cells as "" and adding missing optional columns.

    Parameters
    ----------
    path
        File path or Traversable.
    name
        Table name (a key of :data:`TABLES`).

    Returns
    -------
    pandas.DataFrame
        With a ``csv_line`` column giving the CSV line number of each row (header is line 1).
    """
    with path.open(encoding="utf-8-sig") as fh:
        df = pd.read_csv(fh, dtype=str, keep_default_na=False, na_values=[])
    df.columns = [c.strip() for c in df.columns]
    for col in TABLES[name][1] + OPTIONAL.get(name, []):
        if col not in df.columns:
            df[col] = ""
    df = df.apply(lambda s: s.str.strip() if s.dtype == object else s)
    df["csv_line"] = range(2, len(df) + 2)
    for col in _NUMERIC.get(name, []):
        df[col] = pd.to_numeric(df[col].replace("", None), errors="coerce")
    return df


def load(data_dir: str | Path | None = None) -> KnowledgeBase:
    """Load every table of the knowledge base.

    Parameters
    ----------
    data_dir
        A folder with the CSV files (a user's edited copy); the bundled data by default.

    Returns
    -------
    KnowledgeBase

    Raises
    ------
    FileNotFoundError
        When a table file is missing; the message names it.
    """
    base = default_data_dir() if data_dir is None else Path(data_dir)
    tables = {}
    for name, (filename, _cols) in TABLES.items():
        path = base / filename
        if not path.is_file():
            from hunan_map.geo.errors import HunanMapError

            raise HunanMapError(
                f"missing table {filename!r} in {str(base)!r}; copy it from the bundled data "
                f"folder {str(default_data_dir())!r} and edit it"
            )
        tables[name] = read_table(path, name)
    return KnowledgeBase(**tables, data_dir=str(base))
