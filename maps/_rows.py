"""A (Geo)DataFrame in, its rows as dicts that also answer ``row.geometry`` out (converted column-wise
once: ``iterrows`` builds a pandas Series per row, which is what made the page data slow)."""

from __future__ import annotations

from typing import Iterator


class _Row(dict):
    """One row as a dict that also answers ``row.geometry``."""

    geometry_column = "geometry"

    @property
    def geometry(self):
        return self[self.geometry_column]


def records(frame) -> Iterator[_Row]:
    """Rows as :class:`_Row` dicts, converted column-wise in one pass (``iterrows`` builds a Series per row)."""
    if not len(frame):  # an empty result may have lost its geometry column's name
        return
    name = frame.geometry.name
    for rec in frame.to_dict("records"):
        row = _Row(rec)
        row.geometry_column = name
        yield row
