"""Statistically validated co-membership with the bipartite configuration model (BiCM).

Raw co-membership counts are dominated by giant networks: two cities that both signed the Global
Covenant of Mayors share a network, as do 900 others. The BiCM (Saracco et al. 2015, *Sci. Rep.*
5, 10595; Saracco et al. 2017, *New J. Phys.* 19, 053022) asks instead whether two cities share
**more** networks than their numbers of memberships alone would produce.

Model
-----
The maximum-entropy ensemble of city x network matrices whose *expected* degrees equal the
observed ones: ``p[i, a] = x_i y_a / (1 + x_i y_a)`` with ``sum_a p[i, a] = k_i`` and
``sum_i p[i, a] = h_a``. :func:`fit_bicm` solves for ``x`` and ``y`` by a fixed-point iteration
on the distinct degrees (Saracco et al. 2015, eq. 7), so the cost grows with the number of
distinct degrees, not of nodes.

Validation
----------
For a pair of networks ``(a, b)`` the co-membership ``V_ab = sum_i B[i, a] B[i, b]`` is, under the
model, a sum of independent Bernoulli variables with probabilities ``p[i, a] p[i, b]``: a
Poisson-binomial variable. Its p-value ``P(V_ab >= observed)`` is computed **exactly** by dynamic
programming over the terms (truncated at the observed value, so the cost is terms x observed).
Pairs that share nothing are not tested individually (their p-value is 1) but count in the
number of tests, as in the ``bicm`` package. The p-values are corrected for multiple testing by
Benjamini-Hochberg (FDR, default) or Bonferroni over all ``n (n - 1) / 2`` pairs.

City pairs work the same way with the roles swapped; because giant networks make almost every
pair of their members co-members, :func:`validated_projection` first estimates how many city
pairs there are and refuses, with alternatives, when they would not fit in memory.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
import scipy.sparse as sp

from citynet._errors import CitynetError
from citynet._parallel import thread_map
from citynet.landscape import Landscape

__all__ = [
    "BiCM",
    "ProjectionTooLargeError",
    "estimate_projection_pairs",
    "fit_bicm",
    "poisson_binomial_sf",
    "projection_bytes",
    "validated_projection",
]

_BYTES_PER_PAIR = 160  # pair indices, counts, p- and q-values, the sparse product, the table
BLOCK_BYTES = 200e6
"""Memory for one block of pair probabilities (three arrays of pairs x the other side)."""


class ProjectionTooLargeError(CitynetError, MemoryError):
    """A projection would not fit in the memory allowed; the message says what to do instead."""


@dataclass(frozen=True)
class BiCM:
    """A fitted bipartite configuration model.

    Attributes
    ----------
    x, y
        Fitness of each row (city) and column (network); ``p = x y / (1 + x y)``.
    row_stage, row_value, col_stage, col_value
        Nodes whose links the degrees determine (empty or full, possibly after removing other
        such nodes): the stage at which each was fixed (``inf`` for free nodes) and its value
        (0 or 1). Between two nodes, the one fixed first decides.
    row_degrees, col_degrees
        Observed degrees the model reproduces in expectation.
    max_error
        Largest absolute difference between an expected and an observed degree.
    iterations
        Fixed-point iterations used.
    """

    x: np.ndarray
    y: np.ndarray
    row_degrees: np.ndarray
    col_degrees: np.ndarray
    max_error: float
    iterations: int
    row_stage: np.ndarray
    row_value: np.ndarray
    col_stage: np.ndarray
    col_value: np.ndarray

    def probabilities(self, rows: np.ndarray | None = None) -> np.ndarray:
        """Return the dense matrix of link probabilities (optionally for some rows only).

        Examples
        --------
        >>> import numpy as np
        >>> model = fit_bicm(np.array([[1, 1, 0], [1, 0, 0], [1, 1, 1]]))
        >>> np.allclose(model.probabilities().sum(axis=1), [2, 1, 3])
        True
        """
        pick = slice(None) if rows is None else rows
        x, r_stage, r_value = self.x[pick], self.row_stage[pick], self.row_value[pick]
        xy = np.outer(x, self.y)
        p = xy / (1.0 + xy)
        c_stage, c_value = self.col_stage[None, :], self.col_value[None, :]
        r_stage, r_value = r_stage[:, None], r_value[:, None]
        row_decides = np.isfinite(r_stage) & (r_stage <= c_stage)
        col_decides = np.isfinite(c_stage) & (c_stage < r_stage)
        p = np.where(row_decides, r_value, p)
        decided: np.ndarray = np.where(col_decides, c_value, p)
        return decided


def fit_bicm(
    matrix: np.ndarray | sp.sparray | sp.spmatrix,
    *,
    tol: float = 1e-10,
    max_iter: int = 100_000,
) -> BiCM:
    """Fit the BiCM to the degree sequences of a binary matrix.

    Rows with degree 0 (or full degree) get probability 0 (or 1) everywhere, exactly.

    Parameters
    ----------
    matrix
        Binary rows x columns matrix (dense or scipy sparse).
    tol
        Stop when every expected degree is within ``tol`` of the observed one (relative to it).
    max_iter
        Give up (raising :class:`~citynet.CitynetError`) after this many iterations.

    Examples
    --------
    >>> import numpy as np
    >>> model = fit_bicm(np.array([[1, 1, 0], [1, 0, 0], [1, 1, 1]]))
    >>> bool(model.max_error < 1e-8)
    True
    """
    if sp.issparse(matrix):
        csr = sp.csr_array(matrix)
        rows = np.asarray(csr.sum(axis=1)).ravel().astype(float)
        cols = np.asarray(csr.sum(axis=0)).ravel().astype(float)
    else:
        dense = np.asarray(matrix)
        rows = dense.sum(axis=1).astype(float)
        cols = dense.sum(axis=0).astype(float)
    row_stage, row_value, col_stage, col_value = _fixed_nodes(rows, cols)
    row_free, col_free = np.isinf(row_stage), np.isinf(col_stage)
    x, y = np.zeros(len(rows)), np.zeros(len(cols))
    full_rows = int(((row_value == 1) & ~row_free).sum())
    full_cols = int(((col_value == 1) & ~col_free).sum())
    # Work on the distinct degrees of the free nodes; full nodes add fixed terms.
    r_vals, r_inv, r_mult = np.unique(rows[row_free], return_inverse=True, return_counts=True)
    c_vals, c_inv, c_mult = np.unique(cols[col_free], return_inverse=True, return_counts=True)
    total = float(rows.sum())
    xr = r_vals / np.sqrt(total) if total else r_vals
    yc = c_vals / np.sqrt(total) if total else c_vals
    iterations = 0
    error = 0.0
    if len(r_vals) and len(c_vals):
        target_r = r_vals - full_cols  # each full column contributes 1 to every free row
        target_c = c_vals - full_rows
        for iterations in range(1, max_iter + 1):
            xy = np.outer(xr, yc)
            xr = target_r / (c_mult * yc / (1.0 + xy)).sum(axis=1)
            xy = np.outer(xr, yc)
            yc = target_c / (r_mult[:, None] * xr[:, None] / (1.0 + xy)).sum(axis=0)
            if iterations % 10 == 0 or iterations == 1:
                p = np.outer(xr, yc)
                p = p / (1.0 + p)
                err_r = np.abs((p * c_mult).sum(axis=1) - target_r) / np.maximum(target_r, 1)
                err_c = np.abs((p * r_mult[:, None]).sum(axis=0) - target_c) / np.maximum(
                    target_c, 1
                )
                error = float(max(err_r.max(), err_c.max()))
                if error < tol:
                    break
        else:
            raise CitynetError(
                f"the BiCM did not converge in {max_iter} iterations (relative error {error:.2e})"
            )
        x[row_free] = xr[r_inv]
        y[col_free] = yc[c_inv]
    fixed = {
        "row_stage": row_stage,
        "row_value": row_value,
        "col_stage": col_stage,
        "col_value": col_value,
    }
    model = BiCM(
        x=x, y=y, row_degrees=rows, col_degrees=cols, max_error=0.0, iterations=iterations, **fixed
    )
    probs = model.probabilities()
    max_error = float(
        max(
            np.abs(probs.sum(axis=1) - rows).max(initial=0.0),
            np.abs(probs.sum(axis=0) - cols).max(initial=0.0),
        )
    )
    return BiCM(
        x=x,
        y=y,
        row_degrees=rows,
        col_degrees=cols,
        max_error=max_error,
        iterations=iterations,
        **fixed,
    )


def _fixed_nodes(
    rows: np.ndarray, cols: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Find the nodes whose links the degrees determine, stage by stage.

    A node is empty (value 0) when its degree is used up by full nodes fixed before, and full
    (value 1) when its remaining degree equals the number of free nodes on the other side.
    Fixing nodes changes what remains for the others, so this repeats until nothing changes.
    Returns stage (``inf`` = free) and value arrays for rows and columns.
    """
    r_stage, r_value = np.full(len(rows), np.inf), np.zeros(len(rows))
    c_stage, c_value = np.full(len(cols), np.inf), np.zeros(len(cols))
    stage = 0
    while True:
        free_r, free_c = np.isinf(r_stage), np.isinf(c_stage)
        remaining_r = rows - ((c_value == 1) & ~free_c).sum()
        remaining_c = cols - ((r_value == 1) & ~free_r).sum()
        empty_r = free_r & (remaining_r <= 0)
        full_r = free_r & ~empty_r & (remaining_r >= free_c.sum())
        empty_c = free_c & (remaining_c <= 0)
        full_c = free_c & ~empty_c & (remaining_c >= free_r.sum())
        if not (empty_r.any() or full_r.any() or empty_c.any() or full_c.any()):
            return r_stage, r_value, c_stage, c_value
        r_stage[empty_r | full_r] = stage
        r_value[full_r] = 1.0
        c_stage[empty_c | full_c] = stage
        c_value[full_c] = 1.0
        stage += 1


def poisson_binomial_sf(probabilities: np.ndarray, observed: np.ndarray) -> np.ndarray:
    """Return ``P(V >= observed)`` for Poisson-binomial variables, exactly.

    Parameters
    ----------
    probabilities
        ``(pairs, terms)`` success probabilities; row ``k`` defines variable ``V_k``.
    observed
        ``(pairs,)`` observed values.

    Examples
    --------
    >>> import numpy as np
    >>> float(poisson_binomial_sf(np.array([[0.5, 0.5]]), np.array([1]))[0])
    0.75
    """
    probs = np.asarray(probabilities, dtype=float)
    target = np.asarray(observed, dtype=np.int64)
    out = np.ones(len(target))
    order = np.argsort(target, kind="stable")

    def chunk(idx: np.ndarray) -> None:
        top = int(target[idx].max())
        if top <= 0:
            return
        # state[:, v] = P(V = v) for v < top; state[:, top] absorbs V >= top.
        state = np.zeros((len(idx), top + 1))
        state[:, 0] = 1.0
        chunk_targets = target[idx]
        moved = np.empty_like(state)
        columns = probs[idx].T
        for column, stay in zip(columns, 1.0 - columns, strict=True):
            np.multiply(state, column[:, None], out=moved)
            state *= stay[:, None]
            state[:, 1:] += moved[:, :-1]
            state[:, top] += moved[:, top]
        cumulative = np.cumsum(state[:, ::-1], axis=1)[:, ::-1]  # P(V >= v), v = 0..top
        out[idx] = cumulative[np.arange(len(idx)), np.minimum(chunk_targets, top)]

    # Chunks of similar observed values keep the DP state small; they are independent (each
    # writes its own rows), so threads compute them side by side (numpy releases the GIL).
    chunks = [order[start : start + 256] for start in range(0, len(order), 256)]
    thread_map(chunk, chunks)
    return np.clip(out, 0.0, 1.0)


def projection_bytes(pairs: int) -> float:
    """Return an upper bound on the peak memory of a validated projection with ``pairs`` pairs.

    Per pair: indices, counts, p- and q-values, the sparse product and the table; plus one
    block of pair probabilities (:data:`BLOCK_BYTES`). tests/test_hard_inputs.py checks it
    against measured peaks.

    Examples
    --------
    >>> projection_bytes(1_000_000) / 1e9
    0.36
    """
    return pairs * _BYTES_PER_PAIR + BLOCK_BYTES


def estimate_projection_pairs(matrix: sp.sparray | sp.spmatrix, *, side: str) -> int:
    """Return an upper bound on the pairs sharing at least one column (``side="rows"``) or row.

    ``sum over the other side of degree x (degree - 1) / 2``, computed from degrees alone.

    Examples
    --------
    >>> import scipy.sparse as sp
    >>> estimate_projection_pairs(sp.csr_array([[1, 1], [1, 0], [1, 0]]), side="rows")
    3
    """
    axis = 0 if side == "rows" else 1
    degrees = np.asarray(sp.csr_array(matrix).sum(axis=axis)).ravel().astype(np.int64)
    return int((degrees * (degrees - 1) // 2).sum())


def _adjust(pvalues: np.ndarray, n_tests: int, method: str) -> np.ndarray:
    """Adjust p-values (to q-values) over ``n_tests`` tests, untested pairs having p = 1."""
    if method == "bonferroni":
        bonferroni: np.ndarray = np.minimum(pvalues * n_tests, 1.0)
        return bonferroni
    if method != "fdr":
        raise CitynetError(f"correction must be 'fdr' or 'bonferroni', not {method!r}")
    order = np.argsort(pvalues, kind="stable")
    ranked = pvalues[order] * n_tests / np.arange(1, len(pvalues) + 1)
    ranked = np.minimum.accumulate(ranked[::-1])[::-1]
    adjusted = np.empty_like(pvalues)
    adjusted[order] = np.minimum(ranked, 1.0)
    return adjusted


def validated_projection(
    land: Landscape,
    *,
    side: str = "networks",
    alpha: float = 0.05,
    correction: str = "fdr",
    cities: list[str] | None = None,
    max_memory: float = 2e9,
    model: BiCM | None = None,
    year: int | None = None,
) -> pd.DataFrame:
    """Return the co-memberships that the BiCM validates, with their p-values.

    Parameters
    ----------
    side
        ``"networks"`` (pairs of networks sharing members) or ``"cities"`` (pairs of cities
        sharing networks).
    alpha
        Significance after correction.
    correction
        ``"fdr"`` (Benjamini-Hochberg) or ``"bonferroni"``, over all pairs of the side.
    cities
        Restrict a city-side projection to these city ids (the model is still fitted on the
        whole landscape).
    max_memory
        Bytes a city-side projection may use; beyond it :class:`ProjectionTooLargeError` is raised.
    model
        A fitted BiCM of ``land.incidence`` to reuse.

    Returns
    -------
    pandas.DataFrame
        One row per pair sharing at least one neighbour: ``source``, ``target`` (sorted ids),
        ``observed`` (shared count), ``expected`` (under the BiCM), ``pvalue``, ``qvalue``
        (corrected) and ``validated`` (``qvalue <= alpha``); most significant first.

    Examples
    --------
    >>> import citynet
    >>> table = validated_projection(citynet.load(), side="networks")
    >>> bool((table["observed"] >= 1).all())
    True
    """
    if side not in ("networks", "cities"):
        raise CitynetError(f"side must be 'networks' or 'cities', not {side!r}")
    land = land.current(year)
    matrix = sp.csr_array(land.incidence, dtype=np.float64)
    fitted = model or fit_bicm(matrix)
    probs_rows = None
    if side == "networks":
        ids = np.asarray(land.network_ids, dtype=object)
        incidence = sp.csc_array(matrix)
        probs = fitted.probabilities().T  # networks x cities
        n_nodes = len(ids)
        keep = np.arange(n_nodes)
    else:
        all_ids = np.asarray(land.city_ids, dtype=object)
        if cities is not None:
            unknown = set(cities) - set(all_ids)
            if unknown:
                raise CitynetError(f"unknown city ids: {sorted(unknown)}")
            keep = np.flatnonzero(np.isin(all_ids, list(cities)))
        else:
            keep = np.arange(len(all_ids))
        sub = matrix[keep]
        pairs_bound = estimate_projection_pairs(sub, side="rows")
        need = projection_bytes(pairs_bound)
        if need > max_memory:
            raise ProjectionTooLargeError(
                f"a city-side projection of {len(keep):,} cities could have up to "
                f"{pairs_bound:,} pairs (about {need / 1e9:.2g} GB, more than the "
                f"{max_memory / 1e9:.2g} GB allowed); use side='networks', restrict it with "
                "cities=[...], or raise max_memory"
            )
        ids = all_ids[keep]
        incidence = sp.csr_array(sub).T.tocsc()  # networks x kept cities, columns = cities
        probs_rows = fitted.probabilities(rows=keep)  # kept cities x networks
        probs = probs_rows
        n_nodes = len(keep)
    # Observed shared counts for pairs with at least one in common.
    by_node = incidence.T.tocsr() if side == "networks" else sp.csr_array(matrix[keep])
    shared = sp.triu(by_node @ by_node.T, k=1).tocoo()
    first, second, observed = shared.row, shared.col, shared.data.astype(np.int64)
    # The probabilities of a pair's co-memberships (pairs x the other side) are formed a block
    # of pairs at a time, so that memory is bounded by the pairs, not pairs x the other side.
    pvalues = np.ones(len(observed))
    expected = np.zeros(len(observed))
    block = max(1, int(BLOCK_BYTES // (8 * 3 * max(probs.shape[1], 1))))
    for start in range(0, len(observed), block):
        part = slice(start, start + block)
        pair_probs = probs[first[part]] * probs[second[part]]
        pvalues[part] = poisson_binomial_sf(pair_probs, observed[part])
        expected[part] = pair_probs.sum(axis=1)
        del pair_probs
    n_tests = n_nodes * (n_nodes - 1) // 2
    qvalues = _adjust(pvalues, max(n_tests, 1), correction) if len(observed) else pvalues
    table = pd.DataFrame(
        {
            "source": ids[first].astype(str) if len(observed) else [],
            "target": ids[second].astype(str) if len(observed) else [],
            "observed": observed,
            "expected": expected,
            "pvalue": pvalues,
            "qvalue": qvalues,
        }
    )
    table["validated"] = table["qvalue"] <= alpha
    table = table.sort_values(
        ["pvalue", "observed", "source", "target"], ascending=[True, False, True, True]
    )
    return table.reset_index(drop=True)
