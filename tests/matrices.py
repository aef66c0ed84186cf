"""Landscapes built from a city x network matrix, for tests with answers computed by hand."""

from __future__ import annotations

from collections.abc import Collection, Sequence

import numpy as np
import pandas as pd

from citynet import Landscape


def landscape_from_matrix(
    matrix: np.ndarray,
    themes: Sequence[str | None] | None = None,
    executive: Collection[tuple[int, int]] = frozenset(),
    scopes: Sequence[str] | None = None,
) -> Landscape:
    """Cities ``c000``, ``c001``, ... (rows) and networks ``n00``, ``n01``, ... (columns).

    A non-zero cell is a membership; ``executive`` lists the (row, column) cells that are seats.
    """
    n_rows, n_cols = matrix.shape
    cities = pd.DataFrame(
        {
            "city_id": [f"c{i:03d}" for i in range(n_rows)],
            "name": [f"City {i}" for i in range(n_rows)],
            "country": "FR",
        }
    )
    networks = pd.DataFrame(
        {
            "network_id": [f"n{j:02d}" for j in range(n_cols)],
            "name": [f"Network {j}" for j in range(n_cols)],
            "scope": list(scopes) if scopes is not None else "international",
            "themes": list(themes) if themes is not None else [None] * n_cols,
        }
    )
    rows, cols = np.nonzero(matrix)
    memberships = pd.DataFrame(
        {
            "city_id": [f"c{i:03d}" for i in rows],
            "network_id": [f"n{j:02d}" for j in cols],
            "role": [
                "executive" if (i, j) in executive else "member"
                for i, j in zip(rows, cols, strict=True)
            ],
            "source_url": "https://example.org/",
        }
    )
    return Landscape.from_frames(cities, networks, memberships)


def block_matrix(blocks: int, rows: int, cols: int) -> np.ndarray:
    """``blocks`` disjoint blocks of ``rows`` cities x ``cols`` networks, all members."""
    return np.kron(np.eye(blocks, dtype=int), np.ones((rows, cols), dtype=int))
