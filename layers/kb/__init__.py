"""The knowledge base: CSV tables (``layers/kb/data``) in, a :class:`KnowledgeBase` with its taxonomy,
long form of facts and validation out.

Modules: ``tables`` (reading and typing the tables), ``taxonomy`` (the industry tree and each
document's own tree), ``facts`` (the long form every question is answered from), ``zones`` (where
the catalogue's zones are, with their evidence), ``validate`` (every check, file by file and line by
line).
"""

from hunan_map.layers.kb.tables import (OPTIONAL, TABLES, KnowledgeBase, default_data_dir, load, parse_table,
                                        read_table, read_tables)

__all__ = ["OPTIONAL", "TABLES", "KnowledgeBase", "default_data_dir", "load", "parse_table", "read_table",
           "read_tables"]
