"""Reading the wide layout of published membership datasets (kept for compatibility).

The importers live in :mod:`citynet.importers`: :func:`read_wide` is
:func:`citynet.importers.read_wide`, which takes the same arguments and more (column roles
guessed from the headers, countries and numbers converted, a report with
:func:`~citynet.importers.convert_wide`).
"""

from __future__ import annotations

from citynet.importers import read_wide

__all__ = ["read_wide"]
