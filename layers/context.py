"""A data folder (or the bundled data) in, the :class:`Context` every builder, report and page reads out."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache

from typing import TYPE_CHECKING

if TYPE_CHECKING:  # loaded on first use: importing this module costs no pandas or geopandas
    from hunan_map.layers.geography import Geography
    from hunan_map.layers.kb import KnowledgeBase


@dataclass
class Context:
    """What a render or a query reads, split by what it holds.

    - ``kb``: the knowledge base: tables, taxonomy, long form of facts, glosses, source titles.
    - ``geo``: the geography: boundaries, seats of government and each park's point.
    - ``cache``: features built once per context because they do not depend on the filter.
    """

    kb: KnowledgeBase
    geo: Geography = field(init=False)
    cache: dict = field(init=False, default_factory=dict)

    def __post_init__(self) -> None:
        from hunan_map.layers.geography import Geography

        self.geo = Geography(self.kb.parks)

    def resolve(self, flt):
        """The filter's values as ids (see :func:`hunan_map.layers.match.resolve`)."""
        from hunan_map.layers.match import resolve

        return resolve(flt, self.kb, self.kb.taxonomy, self.geo)


@lru_cache(maxsize=4)
def _cached_context(data_dir: str | None) -> Context:
    from hunan_map.layers.kb import load

    return Context(load(data_dir))


def context(data_dir: str | None = None) -> Context:
    """The context for the bundled data (cached) or for a user's data folder."""
    return _cached_context(None if data_dir is None else str(data_dir))
