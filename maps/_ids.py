"""Render settings for folium/branca: stable element ids (byte-identical HTML) and UTF-8 JSON."""

from __future__ import annotations

import itertools
from contextlib import contextmanager
from typing import Iterator

from branca.element import Element


@contextmanager
def stable_ids(prefix: str = "hm") -> Iterator[None]:
    """Within the block, new branca elements get ids ``hm0001``, ``hm0002`` ... instead of random ones.

    branca (>= 0.8.2) generates ids in the classmethod ``Element._generate_id``; it is replaced
    for the duration of the block and restored afterwards.
    """
    counter = itertools.count(1)
    original = Element.__dict__["_generate_id"]
    Element._generate_id = classmethod(lambda cls: f"{prefix}{next(counter):04d}")  # type: ignore[method-assign]
    try:
        yield
    finally:
        Element._generate_id = original  # type: ignore[method-assign]


@contextmanager
def utf8_json() -> Iterator[None]:
    """Within the block, folium's ``tojson`` writes Chinese as UTF-8 instead of ``\\uXXXX`` escapes.

    Halves the bytes of Chinese text in the page; ``<``, ``>``, ``&`` and ``'`` are still escaped
    by Jinja's ``htmlsafe_json_dumps``, so data cannot close a ``<script>``.
    """
    from folium.template import Template

    env = Template("").environment
    old = env.policies.get("json.dumps_kwargs")
    env.policies["json.dumps_kwargs"] = {"sort_keys": True, "ensure_ascii": False}
    try:
        yield
    finally:
        env.policies["json.dumps_kwargs"] = old
