"""What a command printed for the bundled data in, the same output replayed from the cache out.

The cache itself (folder, key, entries) is :mod:`hunan_map.layers.io._cache`; this module adds
the replay of a command's stdout and stderr (:func:`printed`).
"""

from __future__ import annotations

import functools
import io
import json
import sys
from typing import Callable

from hunan_map.layers.io._cache import cache_dir, enabled, fingerprint, key, read, write

__all__ = ["cache_dir", "enabled", "fingerprint", "key", "printed", "read", "write"]


class _Tee(io.TextIOBase):
    """A text stream that writes through to ``stream`` and keeps a copy."""

    def __init__(self, stream):
        super().__init__()
        self.stream = stream
        self.parts: list[str] = []

    def write(self, text: str) -> int:
        if not isinstance(text, str):  # so click sees a text stream, not a binary one
            raise TypeError(f"write() argument must be str, not {type(text).__name__}")
        self.parts.append(text)
        return self.stream.write(text)

    def flush(self) -> None:
        self.stream.flush()

    def isatty(self) -> bool:
        return self.stream.isatty()

    def fileno(self) -> int:
        return self.stream.fileno()

    @property
    def encoding(self):  # noqa: D401 - the wrapped stream's
        return getattr(self.stream, "encoding", "utf-8")

    @property
    def errors(self):
        return getattr(self.stream, "errors", "strict")


def _terminal_state() -> dict:
    from hunan_map.cli._app import STATE, err, out

    return {"state": dict(STATE), "out": [out.is_terminal, out.width, out.color_system],
            "err": [err.is_terminal, err.width, err.color_system]}


def printed(command: str) -> Callable:
    """Replay what a command printed for the same options, bundled data and code (``--data`` and
    ``--no-cache`` run it). Put it above :func:`~hunan_map.cli._app.handle_errors`; only runs that
    end normally are stored, so an error is never replayed."""

    def decorate(func: Callable) -> Callable:
        @functools.wraps(func)
        def wrapper(**kwargs):
            if kwargs.get("data") is not None or kwargs.get("no_cache"):
                return func(**kwargs)
            params = {k: v for k, v in kwargs.items() if k != "no_cache"}
            name = key(command, {"options": params, "terminal": _terminal_state()})
            hit = read(name)
            if hit is not None:
                streams = json.loads(hit[1].decode("utf-8"))
                sys.stdout.write(streams["out"])
                sys.stdout.flush()
                sys.stderr.write(streams["err"])
                return None
            saved = sys.stdout, sys.stderr
            sys.stdout, sys.stderr = tee_out, tee_err = _Tee(saved[0]), _Tee(saved[1])
            try:
                result = func(**kwargs)
            finally:
                sys.stdout, sys.stderr = saved
            body = {"out": "".join(tee_out.parts), "err": "".join(tee_err.parts)}
            write(name, json.dumps(body, ensure_ascii=False).encode("utf-8"), command=command)
            return result

        return wrapper

    return decorate
