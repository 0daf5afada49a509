"""Whole-or-nothing output files: a target path in, a verified file renamed into place out.

Every output of hunan-map (GIS files, the HTML map, the PNG, the rejects list, the matrix CSV)
is written here the same way:

1. into a hidden temporary folder ``.hunan-map-XXXX`` next to the target (same file system,
   so the final rename is atomic), removed on every failure and on SIGTERM/SIGINT;
2. flushed and fsynced, then verified (non-empty; GeoJSON and KML parse; GeoPackage and
   Shapefile open in GDAL with the expected feature counts; PNG has its end chunk);
3. moved into place: with ``overwrite`` by ``os.replace``, under a lock on the folder and only
   if the target is still the file that was there when the write began; without ``overwrite`` by
   ``os.link``, which fails if the target appeared meanwhile. Either way, of concurrent writers
   to one path exactly one wins and the others say so (HTML, PNG and GIS files alike).

A full disk (ENOSPC, or EFBIG under a file-size limit) raises :class:`DiskFullError` ("disk
full writing X; nothing was written") and leaves the old file, or nothing, in place.
"""

from __future__ import annotations

import contextlib
import errno
import os
import shutil
import signal
import sys
import tempfile
import threading
from pathlib import Path
from typing import Callable, Iterator

from hunan_map.geo.errors import HunanMapError
from hunan_map.layers.errors import DiskFullError, OutputExistsError, WriteError
from hunan_map.layers.io._verify import parts_of, verify_file

#: Spatial indexes GIS programs leave next to a Shapefile; stale after a replace, so removed.
SHAPEFILE_INDEXES = (".qix", ".sbn", ".sbx")
TEMP_PREFIX = ".hunan-map-"
_FULL_ERRNOS = (errno.ENOSPC, errno.EFBIG, getattr(errno, "EDQUOT", errno.ENOSPC))
#: Words in GDAL/SQLite/Arrow messages that mean the disk (or the file-size limit) is full.
_FULL_WORDS = ("no space left", "disk is full", "file too large", "disk quota", "database or disk is full")

# ---------------------------------------------------------------- cleaning up on signals

_ACTIVE: set[Path] = set()
_PREVIOUS: dict[int, object] = {}
_LOCK = threading.RLock()
_SIGNALS = tuple(s for s in (getattr(signal, "SIGTERM", None), getattr(signal, "SIGINT", None)) if s is not None)


def _remove_all() -> None:
    with _LOCK:
        for folder in list(_ACTIVE):
            shutil.rmtree(folder, ignore_errors=True)
            _ACTIVE.discard(folder)


def _on_signal(signum, frame) -> None:
    """Remove every temporary folder, then do what the signal did before (exit by default)."""
    _remove_all()
    previous = _PREVIOUS.get(signum, signal.SIG_DFL)
    _restore_handlers()
    if callable(previous):
        previous(signum, frame)  # e.g. KeyboardInterrupt for SIGINT
    elif previous != signal.SIG_IGN:
        sys.stderr.write(f"Interrupted ({signal.Signals(signum).name}); nothing was written\n")
        raise SystemExit(128 + signum)


def _install_handlers() -> None:
    if threading.current_thread() is not threading.main_thread():
        return  # signals are delivered to the main thread only; its handlers stay as they are
    for sig in _SIGNALS:
        current = signal.getsignal(sig)
        if current is _on_signal:
            continue
        try:
            signal.signal(sig, _on_signal)
        except (ValueError, OSError):  # pragma: no cover - embedded interpreters
            continue
        _PREVIOUS[sig] = current


def _restore_handlers() -> None:
    if threading.current_thread() is not threading.main_thread():
        return
    for sig, previous in list(_PREVIOUS.items()):
        if signal.getsignal(sig) is _on_signal:
            with contextlib.suppress(ValueError, OSError, TypeError):
                signal.signal(sig, previous if previous is not None else signal.SIG_DFL)
        _PREVIOUS.pop(sig, None)


@contextlib.contextmanager
def _signals_blocked() -> Iterator[None]:
    """Hold SIGTERM/SIGINT while files are moved into place (a Shapefile is several renames)."""
    block = getattr(signal, "pthread_sigmask", None)
    if block is None or threading.current_thread() is not threading.main_thread():
        yield
        return
    old = block(signal.SIG_BLOCK, set(_SIGNALS))
    try:
        yield
    finally:
        block(signal.SIG_SETMASK, old)


# ---------------------------------------------------------------- checks

def check_target(path: str | Path, *, overwrite: bool, fmt: str | None = None) -> None:
    """Refuse early when an output (or a part of it) exists without ``overwrite``, or its folder
    is missing. The write itself checks again, atomically.

    Raises
    ------
    OutputExistsError, HunanMapError
    """
    path = Path(path)
    if not path.parent.is_dir():
        raise HunanMapError(f"folder {str(path.parent)!r} does not exist; create it first")
    if path.is_dir():
        raise HunanMapError(f"{str(path)!r} is a folder; give a file name such as {str(path / 'out')!r}")
    if not overwrite:
        for part in parts_of(path, fmt):
            if part.exists() or part.is_symlink():
                raise _exists(path, part)


def _exists(path: Path, part: Path) -> OutputExistsError:
    which = "" if part == path else f" (its part {part.name} exists)"
    return OutputExistsError(f"{str(path)!r} exists{which}; use --overwrite to replace it, or choose another name")


def is_disk_full(exc: BaseException | None) -> bool:
    """Whether an error means the disk (or the process's file-size limit) is full."""
    while exc is not None:
        if isinstance(exc, OSError) and exc.errno in _FULL_ERRNOS:
            return True
        text = str(exc).lower()
        if any(word in text for word in _FULL_WORDS):
            return True
        exc = exc.__cause__ or exc.__context__
    return False


def _probe_full(folder: Path) -> bool:
    """After a failed or truncated write: is the disk (or the file-size limit) full?

    True when the file system has less free space than the largest temporary file (at least
    1 MiB; writers such as SQLite roll back and free what they wrote), or when 64 KB more
    cannot be written, at the size the file reached (EFBIG under ``ulimit -f``).
    """
    try:
        largest = max((f.stat().st_size for f in folder.rglob("*") if f.is_file()), default=0)
    except OSError:
        largest = 0
    with contextlib.suppress(OSError, AttributeError):
        st = os.statvfs(folder)
        if st.f_bavail * st.f_frsize < max(1 << 20, largest):
            return True
    probe = folder / ".probe"
    try:
        with open(probe, "wb") as fh:
            fh.write(b"\0" * 65536)
            fh.flush()
            fh.seek(largest + 65536)
            fh.write(b"\0")
            fh.flush()
            os.fsync(fh.fileno())
    except OSError as exc:
        return exc.errno in _FULL_ERRNOS
    finally:
        with contextlib.suppress(OSError):
            probe.unlink()
    return False


#: Words of writer errors that mean the bytes did not reach the disk (SQLite reports a full disk
#: as a failed commit once it has rolled back and freed the space).
_IO_WORDS = ("commit", "write", "flush", "i/o error", "disk", "truncated")


def _io_failure(exc: BaseException) -> bool:
    return isinstance(exc, (OSError, RuntimeError, WriteError)) and any(w in str(exc).lower() for w in _IO_WORDS)


def _little_room(folder: Path) -> bool:
    """A file-size limit is set (``ulimit -f``), or the file system has less than 64 MiB free."""
    with contextlib.suppress(ImportError, OSError, ValueError):
        import resource

        soft, _hard = resource.getrlimit(resource.RLIMIT_FSIZE)
        if soft != resource.RLIM_INFINITY:
            return True
    with contextlib.suppress(OSError, AttributeError):
        st = os.statvfs(folder)
        return st.f_bavail * st.f_frsize < (64 << 20)
    return False


def _fsync(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _fsync_dir(folder: Path) -> None:
    with contextlib.suppress(OSError):
        _fsync(folder)


class AtomicTarget:
    """One output file (or Shapefile) written through a temporary folder next to it.

    Use as a context manager; ``tmp`` is the path to write to (same name as the target, inside
    the temporary folder, so drivers that look at the suffix work)::

        with AtomicTarget(path, overwrite=False) as t:
            fig.savefig(t.tmp)

    Leaving the block without an error verifies and commits; an error removes everything and
    is re-raised as :class:`DiskFullError`, :class:`WriteError`, or as it was.
    """

    def __init__(self, path: str | Path, overwrite: bool = False, sidecars: tuple[str, ...] = (), *,
                 fmt: str | None = None, verify: Callable[[Path], None] | None = None):
        self.path = Path(path)
        self.overwrite = overwrite
        self.fmt = fmt
        self.verify = verify
        if fmt is None and (sidecars or self.path.suffix.lower() == ".shp"):
            self.fmt = "shp" if self.path.suffix.lower() == ".shp" else None
        check_target(self.path, overwrite=overwrite, fmt=self.fmt)
        with _LOCK:
            _install_handlers()
            try:
                self.tmpdir = Path(tempfile.mkdtemp(prefix=TEMP_PREFIX, dir=self.path.parent))
            except OSError as exc:
                if not _ACTIVE:
                    _restore_handlers()
                if exc.errno in _FULL_ERRNOS:
                    raise DiskFullError(f"disk full writing {self.path}; nothing was written") from exc
                raise WriteError(f"cannot write {self.path}: cannot create files in {str(self.path.parent)!r} "
                                 f"({exc.strerror}); choose another folder") from exc
            _ACTIVE.add(self.tmpdir)
        self.tmp = self.tmpdir / self.path.name
        self.done = False
        self.before = _identity(self.path)

    # -- context manager

    def __enter__(self) -> "AtomicTarget":
        return self

    def __exit__(self, exc_type, exc, tb) -> bool:
        if exc is None:
            self.commit()
            return False
        self.fail(exc)
        return False  # not reached: fail raises

    # -- steps

    def _files(self) -> list[Path]:
        return [p for p in parts_of(self.tmp, self.fmt) if p.exists()]

    def commit(self) -> Path:
        """fsync, verify and move the file(s) into place; on any problem remove them and raise."""
        try:
            files = self._files()
            if not files:
                raise WriteError("nothing was produced")
            for f in files:
                _fsync(f)
            if self.verify is not None:
                self.verify(self.tmp)
            else:
                verify_file(self.tmp, self.fmt)
            with _signals_blocked():
                self._move(files)
        except BaseException as exc:
            self.fail(exc)
        self.done = True
        self._cleanup()
        return self.path

    def _move(self, files: list[Path]) -> None:
        pairs = [(f, self.path.with_name(f.name) if self.fmt == "shp" else self.path) for f in files]
        if self.overwrite:
            with _folder_lock(self.path.parent):
                if _identity(self.path) != self.before:
                    raise OutputExistsError(f"{str(self.path)!r} was written by another run while this one was "
                                            "writing; nothing was written (run again to replace it)")
                for src, dst in pairs:
                    os.replace(src, dst)
            if self.fmt == "shp":  # stale indexes, and parts the new Shapefile does not have
                written = {dst for _src, dst in pairs}
                stale = [p for p in parts_of(self.path, "shp") if p not in written]
                for part in [*stale, *(self.path.with_suffix(s) for s in SHAPEFILE_INDEXES)]:
                    with contextlib.suppress(OSError):
                        part.unlink()
        else:
            made: list[Path] = []
            current = self.path
            try:
                for src, current in pairs:
                    _create_exclusive(src, current)
                    made.append(current)
            except FileExistsError:
                for dst in made:
                    with contextlib.suppress(OSError):
                        dst.unlink()
                raise _exists(self.path, current) from None
            except BaseException:
                for dst in made:
                    with contextlib.suppress(OSError):
                        dst.unlink()
                raise
        _fsync_dir(self.path.parent)

    def fail(self, exc: BaseException) -> None:
        """Remove the temporary files and raise what went wrong, in words."""
        full = False
        if isinstance(exc, (Exception,)) and not isinstance(exc, OutputExistsError):
            full = is_disk_full(exc) or (self.tmpdir.exists() and (_probe_full(self.tmpdir)
                                                                   or (_io_failure(exc) and _little_room(self.tmpdir))))
        self._cleanup()
        if isinstance(exc, (KeyboardInterrupt, SystemExit, GeneratorExit)) or isinstance(exc, OutputExistsError):
            raise exc
        if full:
            raise DiskFullError(f"disk full writing {self.path}; nothing was written") from exc
        if isinstance(exc, WriteError) and not str(exc).startswith("cannot write"):
            raise WriteError(f"cannot write {self.path}: {exc}; nothing was written") from exc
        if isinstance(exc, HunanMapError):
            raise exc
        detail = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        raise WriteError(f"cannot write {self.path}: {detail}; nothing was written") from exc

    def abort(self) -> None:
        """Remove the temporary files (for callers managing errors themselves). When called
        while handling a disk-full error, names the target on that error so the message can
        say which file."""
        current = sys.exc_info()[1]
        if isinstance(current, OSError) and (current.errno in _FULL_ERRNOS):
            with contextlib.suppress(AttributeError, TypeError):
                current.filename = str(self.path)
        self._cleanup()

    def _cleanup(self) -> None:
        with _LOCK:
            shutil.rmtree(self.tmpdir, ignore_errors=True)
            _ACTIVE.discard(self.tmpdir)
            if not _ACTIVE:
                _restore_handlers()


def _identity(path: Path) -> tuple | None:
    """Which file ``path`` is now (device, inode, size, modification time), or None."""
    try:
        st = os.stat(path)
    except OSError:
        return None
    return (st.st_dev, st.st_ino, st.st_size, st.st_mtime_ns)


@contextlib.contextmanager
def _folder_lock(folder: Path) -> Iterator[None]:
    """An exclusive advisory lock on ``folder`` (flock; a no-op where the platform has none)."""
    try:
        import fcntl

        fd = os.open(folder, os.O_RDONLY)
    except (ImportError, OSError):
        yield
        return
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)  # closing releases the lock


def _create_exclusive(src: Path, dst: Path) -> None:
    """Give ``src`` the name ``dst`` only if ``dst`` does not exist (atomically)."""
    try:
        os.link(src, dst)
    except FileExistsError:
        raise
    except OSError as exc:
        if exc.errno not in (errno.EPERM, errno.ENOTSUP, errno.EOPNOTSUPP, errno.EXDEV, errno.EMLINK):
            raise
        fd = os.open(dst, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o666)  # claim the name, then fill it
        os.close(fd)
        os.replace(src, dst)


@contextlib.contextmanager
def atomic_path(path: str | Path, *, overwrite: bool = False, fmt: str | None = None,
                verify: Callable[[Path], None] | None = None) -> Iterator[Path]:
    """A temporary path to write ``path`` to; verified and moved into place when the block ends.

    >>> with atomic_path("map.png", overwrite=True) as tmp:
    ...     fig.savefig(tmp)
    """
    with AtomicTarget(path, overwrite, fmt=fmt, verify=verify) as target:
        yield target.tmp


def write_bytes_atomic(path: str | Path, data: bytes, *, overwrite: bool = False, fmt: str | None = None) -> Path:
    """Write ``data`` to ``path`` whole or not at all (see :class:`AtomicTarget`)."""
    path = Path(path)

    def check(tmp: Path) -> None:
        if tmp.stat().st_size != len(data):
            raise WriteError(f"{tmp.stat().st_size} of {len(data)} bytes were written")
        if fmt not in (None, "text", "html", "csv"):
            verify_file(tmp, fmt)

    with AtomicTarget(path, overwrite, fmt=fmt, verify=check) as target:
        with open(target.tmp, "wb") as fh:
            fh.write(data)
            fh.flush()
    return path


def write_text_atomic(path: str | Path, text: str, *, overwrite: bool = False) -> Path:
    """Write ``text`` as UTF-8 to ``path`` whole or not at all.

    Raises
    ------
    OutputExistsError
        ``path`` exists and ``overwrite`` is false (also when another process created it
        while this one was writing).
    DiskFullError
        The disk or file-size limit was reached; the old file (or nothing) is left.
    """
    return write_bytes_atomic(path, text.encode("utf-8"), overwrite=overwrite)
