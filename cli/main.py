"""Command line: Typer commands over the library API (render, export, query, validate ...)."""

from __future__ import annotations

from hunan_map.cli import export, info, profile, query, render, report, timeline, validate  # noqa: F401
from hunan_map.cli._app import app


def main() -> None:
    """Entry point of the ``hunan-map`` console script."""
    app()


if __name__ == "__main__":
    main()
