"""Specialisation and structure of the city x network matrix: connectance, degrees, d' and H2'.

On the **role-weighted** matrix (a membership 1, a seat ``executive_weight``, default 3), as
ecologists use interaction counts (Blüthgen, Menzel & Blüthgen 2006, *BMC Ecology* 6, 9):

* **d'** of a node: how far its links depart from the availability of partners, the
  Kullback-Leibler divergence ``d_i = sum_j p'_ij ln(p'_ij / q_j)`` of its link shares
  ``p'_ij = a_ij / A_i`` from the partners' shares of all links ``q_j = A_j / m``, scaled
  between ``d_min`` (the most even integer allocation of the node's ``A_i`` links; greedy, exact
  for one node) and ``d_max = ln(m / A_i)``: 0 = a generalist spreading as the landscape does,
  1 = a perfect specialist;
* **H2'** of the whole matrix: the two-dimensional Shannon entropy ``H2 = -sum p_ij ln p_ij``
  scaled between ``H2max`` (the expected matrix ``A_i A_j / m``, as R's ``bipartite::H2fun``
  computes it for non-integer webs) and ``H2min`` (the marginal totals allocated with the
  greatest possible aggregation): 0 = no specialisation, 1 = complete.

Degrees are summarised per side, and **connectance** is the share of possible links present.
"""

from __future__ import annotations

import heapq
from dataclasses import asdict, dataclass
from typing import Any

import numpy as np
import pandas as pd
import scipy.sparse as sp

from citynet._errors import CitynetError
from citynet.landscape import Landscape

__all__ = ["Structure", "dprime", "h2prime", "structure"]


def _greedy_dmin(totals: np.ndarray, q: np.ndarray) -> np.ndarray:
    """Return the smallest d each row could have with integer counts summing to its total.

    Adding one link to partner j with ``n`` links already raises ``sum n ln(n / (A q))`` by a
    convex amount, so allocating links one at a time to the cheapest partner is optimal.
    Partners with the same ``q`` are interchangeable, and the cheapest of them is always one
    with the fewest links: the allocation runs over the distinct values of ``q`` (a group of
    ``c`` partners holding ``u`` links gives its next link to one holding ``u // c``), which
    makes a giant row cost its total times the number of distinct shares, not times every
    partner.
    """
    totals = totals.astype(np.int64)
    values, sizes = np.unique(q, return_counts=True)
    n_rows, n_groups = len(totals), len(values)
    units = np.zeros((n_rows, n_groups), dtype=np.int64)
    a = np.maximum(totals, 1).astype(float)[:, None]
    logq = np.log(values)[None, :]

    def f(n: np.ndarray, scale: np.ndarray) -> np.ndarray:
        with np.errstate(divide="ignore", invalid="ignore"):
            return np.where(n > 0, n * (np.log(n) - np.log(scale) - logq), 0.0)

    for step in range(int(totals.max(initial=0))):
        active = totals > step
        if not active.any():
            break
        lowest = (units[active] // sizes[None, :]).astype(float)
        cost = f(lowest + 1, a[active]) - f(lowest, a[active])
        choice = cost.argmin(axis=1)
        units[np.flatnonzero(active), choice] += 1
    # within a group: units % size partners hold one more link than the others
    base = units // sizes[None, :]
    extra = units % sizes[None, :]

    def term(n: np.ndarray) -> np.ndarray:
        with np.errstate(divide="ignore", invalid="ignore"):
            share = n / a
            return np.where(n > 0, share * (np.log(share) - logq), 0.0)

    result: np.ndarray = (
        term(base.astype(float)) * (sizes[None, :] - extra) + term(base + 1.0) * extra
    ).sum(axis=1)
    return result


def dprime(matrix: sp.sparray | np.ndarray) -> pd.DataFrame:
    """Return d, d_min, d_max and d' for every row of an integer matrix (module docstring).

    Examples
    --------
    >>> import numpy as np
    >>> dprime(np.array([[4, 0], [0, 4]]))["dprime"].tolist()  # two perfect specialists
    [1.0, 1.0]
    >>> dprime(np.array([[2, 2], [2, 2]]))["dprime"].tolist()  # as available: generalists
    [0.0, 0.0]
    """
    a = sp.csr_array(matrix, dtype=np.float64)
    if a.nnz and np.any(a.data != np.round(a.data)):
        raise CitynetError("d' needs whole-number link weights")
    totals = np.asarray(a.sum(axis=1)).ravel()
    m = float(totals.sum())
    if m == 0:
        raise CitynetError("d' of an empty matrix is not defined")
    q = np.asarray(a.sum(axis=0)).ravel() / m
    coo = a.tocoo()
    share = coo.data / totals[coo.row]
    d = np.bincount(coo.row, weights=share * np.log(share / q[coo.col]), minlength=a.shape[0])
    keep = q > 0
    d_min = np.minimum(_greedy_dmin(totals, q[keep]), d)
    with np.errstate(divide="ignore", invalid="ignore"):
        d_max = np.where(totals > 0, np.log(m / totals), np.nan)
        scaled = np.where(d_max > d_min, (d - d_min) / (d_max - d_min), 0.0)
    return pd.DataFrame(
        {"d": d, "d_min": d_min, "d_max": d_max, "dprime": np.clip(scaled, 0.0, 1.0)}
    )


def h2prime(matrix: sp.sparray | np.ndarray) -> dict[str, float]:
    """Return H2', H2, H2min and H2max of a matrix (module docstring).

    Examples
    --------
    >>> import numpy as np
    >>> h2prime(np.array([[4, 0], [0, 4]]))["h2prime"]
    1.0
    >>> h2prime(np.array([[2, 2], [2, 2]]))["h2prime"]
    0.0
    """
    a = sp.csr_array(matrix, dtype=np.float64)
    m = float(a.sum())
    if m == 0:
        raise CitynetError("H2' of an empty matrix is not defined")
    p = a.data / m
    h2 = float(-(p * np.log(p)).sum())
    rows = np.asarray(a.sum(axis=1)).ravel()
    cols = np.asarray(a.sum(axis=0)).ravel()
    r, c = rows[rows > 0] / m, cols[cols > 0] / m
    # the expected matrix p_ij = r_i c_j has entropy H(r) + H(c)
    h2max = float(-(r * np.log(r)).sum() - (c * np.log(c)).sum())
    # greatest aggregation: pair the largest remaining marginals, again and again
    row_heap = [(-v, i) for i, v in enumerate(rows) if v > 0]
    col_heap = [(-v, j) for j, v in enumerate(cols) if v > 0]
    heapq.heapify(row_heap)
    heapq.heapify(col_heap)
    cells = []
    while row_heap and col_heap:
        rv, i = heapq.heappop(row_heap)
        cv, j = heapq.heappop(col_heap)
        amount = min(-rv, -cv)
        cells.append(amount)
        if -rv - amount > 1e-9:
            heapq.heappush(row_heap, (rv + amount, i))
        if -cv - amount > 1e-9:
            heapq.heappush(col_heap, (cv + amount, j))
    pm = np.asarray(cells) / m
    h2min = float(-(pm * np.log(pm)).sum())
    h2min, h2max = min(h2min, h2), max(h2max, h2)
    scaled = (h2max - h2) / (h2max - h2min) if h2max > h2min else 0.0
    return {"h2prime": float(scaled), "h2": h2, "h2min": h2min, "h2max": h2max}


@dataclass(frozen=True)
class Structure:
    """Network-level structure (:func:`structure`).

    Attributes
    ----------
    year, cities, networks, memberships
        The year and the counts (nodes with a membership).
    connectance
        Memberships over cities x networks.
    city_degrees, network_degrees
        Summaries of the degree distributions: ``mean``, ``median``, ``max``, ``share_1``
        (share of degree 1), ``gini``.
    h2prime, h2, h2min, h2max
        Specialisation of the whole role-weighted matrix.
    mean_dprime_cities, mean_dprime_networks
        Mean d' of cities and of networks.
    """

    year: int | None
    cities: int
    networks: int
    memberships: int
    connectance: float
    city_degrees: dict[str, float]
    network_degrees: dict[str, float]
    h2prime: float
    h2: float
    h2min: float
    h2max: float
    mean_dprime_cities: float
    mean_dprime_networks: float

    def to_dict(self) -> dict[str, Any]:
        """Return the result as a plain dictionary."""
        return asdict(self)


def _summary(degrees: np.ndarray) -> dict[str, float]:
    ordered = np.sort(degrees.astype(float))
    n = len(ordered)
    gini = float((2 * np.arange(1, n + 1) - n - 1) @ ordered / (n * ordered.sum())) if n else 0.0
    return {
        "mean": float(ordered.mean()) if n else float("nan"),
        "median": float(np.median(ordered)) if n else float("nan"),
        "max": float(ordered.max(initial=0)),
        "share_1": float((ordered == 1).mean()) if n else float("nan"),
        "gini": gini,
    }


def structure(
    land: Landscape, *, executive_weight: float = 3.0, year: int | None = None
) -> Structure:
    """Measure connectance, degree distributions, d' and H2' of the year's matrix.

    Examples
    --------
    >>> import citynet
    >>> s = structure(citynet.load())
    >>> 0 < s.connectance < 1 and 0 <= s.h2prime <= 1
    True
    """
    snapshot = land.current(year)
    binary = sp.csr_array(snapshot.incidence, dtype=np.float64)
    seats = sp.csr_array(snapshot.executive_incidence, dtype=np.float64)
    k = np.asarray(binary.sum(axis=1)).ravel()
    d = np.asarray(binary.sum(axis=0)).ravel()
    rows, cols = np.flatnonzero(k > 0), np.flatnonzero(d > 0)
    if binary.nnz == 0:
        raise CitynetError(f"no membership in {snapshot.year}: structure is not defined")
    kept = sp.csr_array(binary[rows][:, cols])
    weighted = sp.csr_array(kept + (executive_weight - 1.0) * sp.csr_array(seats[rows][:, cols]))
    if np.any(weighted.data != np.round(weighted.data)):
        weighted = sp.csr_array(kept)  # a fractional seat weight: d' on memberships only
    spec = h2prime(weighted)
    return Structure(
        year=snapshot.year,
        cities=len(rows),
        networks=len(cols),
        memberships=int(kept.nnz),
        connectance=float(kept.nnz / (len(rows) * len(cols))),
        city_degrees=_summary(k[rows]),
        network_degrees=_summary(d[cols]),
        h2prime=spec["h2prime"],
        h2=spec["h2"],
        h2min=spec["h2min"],
        h2max=spec["h2max"],
        mean_dprime_cities=float(dprime(weighted)["dprime"].mean()),
        mean_dprime_networks=float(dprime(sp.csr_array(weighted.T))["dprime"].mean()),
    )
