"""Render settings for folium/branca: stable element ids, so the same inputs give the same bytes."""

from __future__ import annotations

import itertools
from contextlib import contextmanager
from typing import Iterator


@contextmanager
def stable_ids(prefix: str = "hm") -> Iterator[None]:
    """Within the block, new branca elements get ids ``hm0001``, ``hm0002`` ... instead of random ones.

    branca (>= 0.8.2) generates ids in the classmethod ``Element._generate_id``; it is replaced
    for the duration of the block and restored afterwards.
    """
    from branca.element import Element

    counter = itertools.count(1)
    original = Element.__dict__["_generate_id"]
    Element._generate_id = classmethod(lambda cls: f"{prefix}{next(counter):04d}")  # type: ignore[method-assign]
    try:
        yield
    finally:
        Element._generate_id = original  # type: ignore[method-assign]
