"""Error classes for hunan-map: one base class the CLI turns into exit code 1 and a one-line message."""

from __future__ import annotations


class HunanMapError(Exception):
    """Base of every error a user can fix; its message says what failed and how to fix it."""


class UnknownPlaceError(HunanMapError, LookupError):
    """A place name that the gazetteer does not know."""


class AmbiguousPlaceError(HunanMapError, LookupError):
    """A place name that matches several places; qualify it with the prefecture."""


class CoordinateError(HunanMapError, ValueError):
    """Coordinates that cannot be used (not numbers, outside Hunan, swapped)."""


class RangeError(HunanMapError, ValueError):
    """A number (distance, width, size) that is not finite, not positive or absurdly large."""
