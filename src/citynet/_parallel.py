"""Independent parts of an analysis run side by side in threads (numpy and scipy free the GIL)."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from typing import TypeVar

__all__ = ["available_cpus", "thread_map"]

T = TypeVar("T")
R = TypeVar("R")


def available_cpus() -> int:
    """Return the processors this process may run on (its affinity), at least 1.

    ``CITYNET_THREADS`` overrides it (``1``: everything in one thread).

    Examples
    --------
    >>> available_cpus() >= 1
    True
    """
    given = os.environ.get("CITYNET_THREADS", "").strip()
    if given.isdigit() and int(given) > 0:
        return int(given)
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not on Linux
        return max(1, os.cpu_count() or 1)


def thread_map(
    function: Callable[[T], R], items: Iterable[T], workers: int | None = None
) -> list[R]:
    """Return ``[function(item) for item in items]``, computed in up to ``workers`` threads.

    The results keep the order of ``items``, so a caller that combines them in that order gets
    the same answer for any number of threads (default: :func:`available_cpus`).

    Examples
    --------
    >>> thread_map(lambda x: x * x, [1, 2, 3], workers=2)
    [1, 4, 9]
    """
    items = list(items)
    n = min(len(items), workers if workers is not None else available_cpus())
    if n <= 1:
        return [function(item) for item in items]
    with ThreadPoolExecutor(n) as pool:
        return list(pool.map(function, items))
