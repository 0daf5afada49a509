"""The Typer app, the console for messages (stderr) and the error handling every command shares."""

from __future__ import annotations

import contextlib
import functools
import warnings
from typing import Callable, Iterator

import click
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


class SafeConsole(Console):
    """A console that shows control characters in text as ``\\x1b`` (never sent raw to the terminal) and
    prints ``:name:`` as it is (no emoji codes)."""

    def __init__(self, **kwargs) -> None:
        super().__init__(highlight=False, soft_wrap=True, emoji=False, **kwargs)

    def print(self, *objects, **kwargs) -> None:  # noqa: A003 - Console's own name
        from hunan_map.layers.io._text import escape_controls

        super().print(*(escape_controls(o) if isinstance(o, str) else o for o in objects), **kwargs)


#: Messages, progress and warnings go to stderr; data goes to stdout.
err = SafeConsole(stderr=True)
out = SafeConsole()
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
    """Turn library errors into one line on stderr and exit code 1 (``--debug`` shows the traceback).

    Unknown filter values (:class:`~hunan_map.layers.errors.UnknownValueError`) are usage errors
    (exit 2); a full disk is "disk full writing X; nothing was written"; anything unexpected is
    one line that says it is a bug.
    """

    @functools.wraps(func)
    def wrapper(*args, **kwargs):
        from hunan_map.layers.errors import UnknownValueError

        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            try:
                result = func(*args, **kwargs)
            except (typer.Exit, typer.Abort, typer.TyperException, KeyboardInterrupt, SystemExit) as exc:
                _show_warnings(caught)
                if isinstance(exc, click.ClickException):  # click prints these itself: escape them here
                    from hunan_map.layers.io._text import escape_controls

                    exc.message = escape_controls(exc.message)
                raise
            except UnknownValueError as exc:
                if STATE["debug"]:
                    raise
                _show_warnings(caught)
                raise typer.BadParameter(str(exc), param_hint=getattr(exc, "option", None)) from None
            except Exception as exc:  # noqa: BLE001 - every error becomes one line
                if STATE["debug"]:
                    raise
                from hunan_map.layers.errors import WriteError

                if not isinstance(exc, WriteError):  # notes on a file that was not written are noise
                    _show_warnings(caught)
                err.print(f"Error: {message(exc)}", markup=False)
                raise typer.Exit(code=1) from None
        _show_warnings(caught)
        return result

    return wrapper


def message(exc: BaseException) -> str:
    """The one-line text for an error: ours as they are, OS errors in words, the rest as a bug."""
    import errno

    from hunan_map.geo.errors import HunanMapError

    if isinstance(exc, HunanMapError):
        return str(exc)
    if isinstance(exc, OSError):
        name = exc.filename if exc.filename is not None else "the output"
        if exc.errno in (errno.ENOSPC, errno.EFBIG, getattr(errno, "EDQUOT", errno.ENOSPC)):
            return f"disk full writing {name}; nothing was written"
        if exc.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
            return f"no permission to write or read {name} ({exc.strerror}); choose another location"
        return f"{exc.strerror or exc}: {name}" if exc.strerror else str(exc)
    first = next((line.strip() for line in str(exc).splitlines() if line.strip()), "")
    if isinstance(exc, ValueError):
        return first or type(exc).__name__
    text = first
    return (f"internal error ({type(exc).__name__}: {text}); this is a bug in hunan-map: run the same "
            "command with --debug and report the traceback")


def _show_warnings(caught) -> None:
    """Each warning once, as one line (a library's multi-line warning is cut to its first sentence)."""
    seen = set()
    for w in caught:
        if issubclass(w.category, (DeprecationWarning, FutureWarning)):
            continue
        text = " ".join(str(w.message).split("\n\n")[0].split())
        if text in seen:
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
