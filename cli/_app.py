"""The Typer app, the console for messages (stderr) and the error handling every command shares."""

from __future__ import annotations

import contextlib
import functools
import warnings
from typing import Callable, Iterator

import typer
from rich.console import Console

app = typer.Typer(
    name="hunan-map",
    help="Hunan's industrial policy on the map: parks, clusters and regional layouts from five "
    "policy documents, as cited tables, GIS files and interactive HTML maps.\n\n"
    "Example: hunan-map render -o hunan.html",
    no_args_is_help=True,
    add_completion=False,
    rich_markup_mode=None,
    pretty_exceptions_enable=False,
)
#: Messages, progress and warnings go to stderr; data goes to stdout.
err = Console(stderr=True, highlight=False, soft_wrap=True)
out = Console(highlight=False, soft_wrap=True)
STATE = {"debug": False, "quiet": False}


def say(message: str) -> None:
    """A progress or success message on stderr, unless --quiet."""
    if not STATE["quiet"]:
        err.print(message, markup=False)


@contextlib.contextmanager
def progress(message: str) -> Iterator[None]:
    """A spinner on stderr while a slow step runs; silent off a terminal or with --quiet."""
    if STATE["quiet"] or not err.is_terminal:
        yield
        return
    with err.status(message, spinner="dots"):
        yield


def handle_errors(func: Callable) -> Callable:
    """Turn library errors into one line on stderr and exit code 1 (``--debug`` shows the traceback)."""

    @functools.wraps(func)
    def wrapper(*args, **kwargs):
        from hunan_map.geo.errors import HunanMapError

        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            try:
                result = func(*args, **kwargs)
            except (typer.Exit, typer.Abort, typer.BadParameter):
                raise
            except (HunanMapError, OSError, ValueError) as exc:
                if STATE["debug"]:
                    raise
                _show_warnings(caught)
                err.print(f"Error: {exc}", markup=False)
                raise typer.Exit(code=1) from None
        _show_warnings(caught)
        return result

    return wrapper


def _show_warnings(caught) -> None:
    seen = set()
    for w in caught:
        text = str(w.message)
        if text in seen or issubclass(w.category, (DeprecationWarning, FutureWarning)):
            continue
        seen.add(text)
        err.print(f"Warning: {text}", markup=False)


@app.callback()
def main_options(
    debug: bool = typer.Option(False, "--debug", help="Show the full traceback on errors. Example: hunan-map --debug validate"),
    quiet: bool = typer.Option(False, "--quiet", "-q", help="Print no progress messages. Example: hunan-map -q export parks -o parks.geojson"),
) -> None:
    """Global options."""
    STATE["debug"] = debug
    STATE["quiet"] = quiet
