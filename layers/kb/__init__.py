"""The knowledge base: CSV tables (``layers/kb/data``) in, a :class:`KnowledgeBase` with its taxonomy,
long form of facts and validation out.

Modules: ``schema`` (table names, columns, the bundled folder; no pandas), ``tables`` (reading and
typing the tables), ``taxonomy`` (the industry tree and each document's own tree), ``facts`` (the
long form every question is answered from), ``zones`` (where the catalogue's zones are, with their
evidence), ``validate`` (every check, file by file and line by line). Names from ``tables`` load on
first use (PEP 562), so ``hunan_map.layers.kb.schema`` costs no pandas.
"""

from __future__ import annotations

import importlib

from hunan_map.layers.kb.schema import OPTIONAL, TABLES, default_data_dir

_FROM_TABLES = ("KnowledgeBase", "load", "parse_table", "read_table", "read_tables")


def __getattr__(name: str):
    if name in _FROM_TABLES:
        value = getattr(importlib.import_module("hunan_map.layers.kb.tables"), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module 'hunan_map.layers.kb' has no attribute {name!r}")


__all__ = ["OPTIONAL", "TABLES", "KnowledgeBase", "default_data_dir", "load", "parse_table", "read_table",
           "read_tables"]
