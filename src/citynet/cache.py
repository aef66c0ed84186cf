"""A cache of validated landscapes, keyed by the content of their files (for the command line).

Reading and validating the CSV files is most of what a short command does. The command keeps
the validated :class:`~citynet.Landscape` (and its snapshot of the current year) in the user's
cache folder, under a key that is the SHA-256 of every byte of every file the loader reads, of
citynet's version and code (its modules' sizes and times) and of the Python, pandas and numpy
versions. Any change of a byte, a file added or removed, or an upgrade gives another key, so the
cache can never serve stale data;
``--no-cache`` (or ``CITYNET_NO_CACHE=1``) bypasses it.

Values that commands derive from a landscape and that take long to build (the join check's
matrices and the rules' index) are kept beside the entry, one file each, under the same content
key (:class:`DerivedStore`): the next ``check``, ``suggest``, ``leave`` or ``brief`` on the same
files reads them. They go with their entry.

The folder is ``$XDG_CACHE_HOME/citynet`` (default ``~/.cache/citynet``), created private
(``0700``). Entries are written atomically; a damaged entry is ignored and replaced; a folder
that another user could write to is not used (an entry is a pickle, which must only ever come
from this user). At most :data:`KEEP` entries are kept, the least recently used removed first.
Whenever the cache cannot be used the landscape is simply loaded: the cache never makes a command
fail.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import pickle
import stat
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

from citynet._version import __version__
from citynet.landscape import Landscape, load, shipped_data_path
from citynet.schema import TABLES

__all__ = ["CACHE_FORMAT", "KEEP", "DerivedStore", "cache_folder", "content_key", "load_cached"]

CACHE_FORMAT = 1
"""Bumped whenever what the cache holds changes shape."""
KEEP = 8
"""Entries kept in the cache folder."""


def cache_folder() -> Path:
    """Return the cache folder (not created).

    Examples
    --------
    >>> cache_folder().name
    'citynet'
    """
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "citynet"


def content_key(folder: Path) -> str:
    """Return the SHA-256 of every file the loader reads in ``folder``, and of the versions.

    Examples
    --------
    >>> from citynet.landscape import shipped_data_path
    >>> len(content_key(shipped_data_path()))
    64
    """
    import numpy as np
    import pandas as pd

    digest = hashlib.sha256()
    versions = (CACHE_FORMAT, __version__, sys.version, pd.__version__, np.__version__)
    digest.update(repr(versions).encode())
    digest.update(_code_stamp().encode())
    for table in TABLES:
        path = folder / table.file
        digest.update(table.file.encode() + b"\0")
        if path.is_file():
            with path.open("rb") as fh:
                for block in iter(lambda: fh.read(1 << 20), b""):
                    digest.update(block)
            digest.update(b"\0end\0")
        else:
            digest.update(b"\0missing\0")
    return digest.hexdigest()


def _code_stamp() -> str:
    """Return name, size and modification time of every module of citynet.

    A change of code, even without a new version number (a development checkout), gives
    another key: the cache holds pickled objects of citynet's classes.
    """
    package = Path(__file__).resolve().parent
    parts = []
    for path in sorted(package.rglob("*.py")):
        info = path.stat()
        parts.append(f"{path.relative_to(package)}:{info.st_size}:{info.st_mtime_ns}")
    return ";".join(parts)


def _private(folder: Path) -> bool:
    """Whether ``folder`` is this user's and no one else may write to it."""
    try:
        info = folder.stat()
    except OSError:
        return False
    owner_ok = not hasattr(os, "getuid") or info.st_uid == os.getuid()
    return owner_ok and not info.st_mode & (stat.S_IWGRP | stat.S_IWOTH)


def _read(entry: Path, key: str) -> Landscape | None:
    try:
        with entry.open("rb") as fh:
            stored = pickle.load(fh)
    except FileNotFoundError:
        return None
    except Exception:  # a damaged or foreign entry: forget it
        with contextlib.suppress(OSError):
            entry.unlink()
        return None
    if (
        isinstance(stored, tuple)
        and len(stored) == 2
        and stored[0] == key
        and isinstance(stored[1], Landscape)
    ):
        with contextlib.suppress(OSError):
            os.utime(entry)  # recently used
        return stored[1]
    return None


def _write(folder: Path, entry: Path, key: str, land: Landscape) -> None:
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    if not _private(folder):
        return
    _atomic_pickle(folder, entry, (key, land))
    entries = sorted(folder.glob("*.pickle"), key=lambda p: p.stat().st_mtime, reverse=True)
    for old in entries[KEEP:]:
        with contextlib.suppress(OSError):
            old.unlink()
    kept = {p.name.split(".")[0] for p in entries[:KEEP]}
    for derived in folder.glob("*.derived"):  # values of entries no longer kept
        if derived.name.split(".")[0] not in kept:
            with contextlib.suppress(OSError):
                derived.unlink()


def _warm(land: Landscape) -> None:
    """Compute, before storing, what most commands derive first (kept with the record)."""
    land.edges  # noqa: B018  (the record's edges: the history, the rules' judgements)
    land.current().edges  # noqa: B018  (the snapshot of this year and its edges)
    # What only some commands need (the join check's matrices, the rules' index) is kept in
    # files of its own once a command has computed it (DerivedStore), so that the entry stays
    # small and a command that does not need scipy does not import it.


class DerivedStore:
    """Values derived from one cached landscape, one file each beside its entry.

    Used by :meth:`~citynet.Landscape.memo` with ``lasting=True`` (the join check's matrices,
    the rules' index): each file is named by the landscape's content key and a hash of the
    value's key, holds that key to check, and is written atomically. A file that cannot be read
    is computed again; one that cannot be written is simply not kept.
    """

    def __init__(self, folder: Path, key: str) -> None:
        self.folder = folder
        self.key = key

    def _path(self, memo_key: Any) -> Path:
        digest = hashlib.sha256(repr(memo_key).encode()).hexdigest()[:32]
        return self.folder / f"{self.key}.{digest}.derived"

    def get_or_compute(self, memo_key: Any, compute: Callable[[], Any]) -> Any:
        """Return the stored value of ``memo_key``, or compute, store and return it."""
        if not _private(self.folder):  # a pickle is read only from this user's own folder
            return compute()
        path = self._path(memo_key)
        try:
            with path.open("rb") as fh:
                stored = pickle.load(fh)
            if isinstance(stored, tuple) and len(stored) == 2 and stored[0] == repr(memo_key):
                return stored[1]
        except FileNotFoundError:
            pass
        except Exception:  # damaged: compute it again below
            with contextlib.suppress(OSError):
                path.unlink()
        value = compute()
        if (self.folder / f"{self.key}.pickle").exists():
            with contextlib.suppress(OSError, pickle.PicklingError, TypeError, AttributeError):
                _atomic_pickle(self.folder, path, (repr(memo_key), value))
        return value


def _atomic_pickle(folder: Path, target: Path, value: Any) -> None:
    fd, tmp = tempfile.mkstemp(prefix=".entry.", suffix=".tmp", dir=folder)
    try:
        with os.fdopen(fd, "wb") as fh:
            pickle.dump(value, fh, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(tmp, target)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise


def load_cached(path: str | os.PathLike[str] | None = None, *, use_cache: bool = True) -> Landscape:
    """Load a landscape through the cache (module docstring); like :func:`citynet.load`.

    Examples
    --------
    >>> land = load_cached(use_cache=False)
    >>> len(land.networks) > 0
    True
    """
    folder = shipped_data_path() if path is None else Path(path)
    if not use_cache or os.environ.get("CITYNET_NO_CACHE") or not folder.is_dir():
        return load(folder)
    try:
        key = content_key(folder)
    except OSError:
        return load(folder)
    cache = cache_folder()
    entry = cache / f"{key}.pickle"
    if _private(cache):
        found = _read(entry, key)
        if found is not None:
            found.__dict__["_store"] = DerivedStore(cache, key)
            return found
    land = load(folder)
    _warm(land)
    with contextlib.suppress(OSError, pickle.PicklingError):
        _write(cache, entry, key, land)
    land.__dict__["_store"] = DerivedStore(cache, key)
    return land
