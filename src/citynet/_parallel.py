"""How many processors this process may use (for analyses that run independent parts in threads)."""

from __future__ import annotations

import os

__all__ = ["available_cpus"]


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
