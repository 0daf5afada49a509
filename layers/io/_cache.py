"""A result's name and bytes in, the same bytes from the user's cache folder out (or None).

What a command prints (``query``, ``geocode``, ``industries``) or writes (the page of ``render``,
the folium shell of a page) is a function of its options, the bundled data, hunan-map's code and
the installed libraries.
The key hashes all of them: every file of the package (tables, boundaries, page script, modules),
the Python version and the name and version of every installed distribution, so an edited table,
a new version or an upgraded library is a different key and a stale entry is never read.

The folder is ``$XDG_CACHE_HOME/hunan-map`` (``~/.cache/hunan-map``), or ``$HUNAN_MAP_CACHE_DIR``;
``HUNAN_MAP_NO_CACHE=1`` switches the cache off (as ``--no-cache`` does for one command).
An entry carries a digest of its body: a corrupt or truncated entry is a miss. A folder that
cannot be created or written is ignored: the cache only ever saves time, it never fails a run.
Nothing is cached for a ``--data`` folder, an overlay or a Tianditu key (the key stays out of the cache).
"""

from __future__ import annotations

import functools
import hashlib
import importlib.util
import json
import os
import sys
import tempfile
from pathlib import Path

#: Bumped when the entry format changes.
FORMAT = 1
#: Entries kept; the least recently written go first.
MAX_ENTRIES = 64
_PACKAGES = ("hunan_map.geo", "hunan_map.layers", "hunan_map.maps", "hunan_map.cli")


def cache_dir() -> Path:
    """The user's cache folder for hunan-map (platformdirs' rule on Linux and macOS)."""
    if os.environ.get("HUNAN_MAP_CACHE_DIR"):
        return Path(os.environ["HUNAN_MAP_CACHE_DIR"])
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "hunan-map"


def enabled() -> bool:
    """False when ``HUNAN_MAP_NO_CACHE`` is set to anything but 0 or an empty string."""
    return os.environ.get("HUNAN_MAP_NO_CACHE", "0").strip().lower() in ("", "0", "false", "no")


@functools.lru_cache(maxsize=1)
def fingerprint() -> str:
    """A hash of everything a cached result depends on besides the command's options."""
    h = hashlib.blake2b(digest_size=20)
    h.update(f"format {FORMAT}\n{sys.version}\n".encode())
    for name in _PACKAGES:
        spec = importlib.util.find_spec(name)
        for folder in sorted(spec.submodule_search_locations or []):
            root = Path(folder)
            for path in sorted(root.rglob("*")):
                if "__pycache__" in path.parts or not path.is_file() or path.suffix == ".pyc":
                    continue
                h.update(f"{name}/{path.relative_to(root).as_posix()}\n".encode())
                h.update(hashlib.blake2b(path.read_bytes(), digest_size=20).digest())
    # every installed distribution and its version (site folders only: not the working directory)
    for entry in sorted({p for p in sys.path if p.endswith(("site-packages", "dist-packages"))}):
        try:
            names = sorted(n for n in os.listdir(entry) if n.endswith((".dist-info", ".egg-info")))
        except OSError:
            continue
        h.update(f"{entry}\n{' '.join(names)}\n".encode())
    return h.hexdigest()


def key(command: str, params: dict) -> str:
    """The entry name for a command and its options (values as JSON)."""
    text = json.dumps([command, params], ensure_ascii=False, sort_keys=True, default=str)
    return hashlib.blake2b(f"{fingerprint()}\n{text}".encode(), digest_size=20).hexdigest()


def read(name: str) -> tuple[dict, bytes] | None:
    """The entry's header and body, or None when it is missing, unreadable or corrupt."""
    if not enabled():
        return None
    try:
        raw = (cache_dir() / f"{name}.entry").read_bytes()
        head, sep, body = raw.partition(b"\n")
        meta = json.loads(head)
        if not sep or meta.get("format") != FORMAT or meta.get("size") != len(body) \
                or meta.get("digest") != hashlib.blake2b(body, digest_size=20).hexdigest():
            return None
        return meta, body
    except (OSError, ValueError, AttributeError):
        return None


def write(name: str, body: bytes, **meta) -> None:
    """Store an entry whole (temporary file, then rename); any failure leaves the cache as it was."""
    if not enabled():
        return
    folder = cache_dir()
    head = json.dumps({"format": FORMAT, "size": len(body), "digest": hashlib.blake2b(body, digest_size=20).hexdigest(),
                       **meta}, ensure_ascii=True).encode()
    tmp = None
    try:
        folder.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=".tmp-", dir=folder)
        with os.fdopen(fd, "wb") as fh:
            fh.write(head + b"\n" + body)
        os.replace(tmp, folder / f"{name}.entry")
        tmp = None
        _prune(folder)
    except OSError:
        pass
    finally:
        if tmp is not None:
            try:
                os.unlink(tmp)
            except OSError:
                pass


def _prune(folder: Path) -> None:
    entries = sorted(folder.glob("*.entry"), key=lambda p: p.stat().st_mtime_ns)
    for old in entries[:-MAX_ENTRIES]:
        old.unlink(missing_ok=True)
