"""Nestedness of the city x network matrix (NODF) against a null model.

NODF (Almeida-Neto et al. 2008, *Oikos* 117, 1227) asks whether the networks of less connected
cities are subsets of those of more connected cities (and likewise for networks). For every pair
of rows with *different* degrees, the paired nestedness is the share of the smaller row's ones
that the larger row also has (0 for equal degrees); NODF is the mean over all row pairs and all
column pairs, in percent: 100 for a perfectly nested matrix, near 0 for a checkerboard.

The row part is computed network by network, without forming city pairs:
``sum over pairs of overlap(i, j) / k_j = sum over networks a of sum over members j of
#{members i of a with k_i > k_j} / k_j``.

The null model samples matrices from the fitted BiCM (:mod:`citynet.analysis.bicm`), which keeps
each city's and network's degree in expectation; the result gives the null mean and standard
deviation, a z-score and an empirical one-sided p-value ``(1 + #{null >= observed}) /
(1 + samples)``.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

import numpy as np
import scipy.sparse as sp

from citynet.analysis.bicm import fit_bicm
from citynet.landscape import Landscape

__all__ = ["NestednessResult", "nestedness", "nodf"]


def _paired_sum(matrix: sp.csc_array, degrees: np.ndarray) -> float:
    """Sum over ordered pairs (k_i > k_j) of overlap / k_j, for the rows of ``matrix``."""
    total = 0.0
    for col in range(matrix.shape[1]):
        members = matrix.indices[matrix.indptr[col] : matrix.indptr[col + 1]]
        if len(members) < 2:
            continue
        k = np.sort(degrees[members])
        larger = len(k) - np.searchsorted(k, k, side="right")  # members with k_i > k_j
        total += float((larger / k).sum())
    return total


def nodf(matrix: np.ndarray | sp.sparray | sp.spmatrix) -> tuple[float, float, float]:
    """Return NODF of a binary matrix and its row and column components (all 0-100).

    Examples
    --------
    >>> import numpy as np
    >>> [round(v, 6) for v in nodf(np.triu(np.ones((4, 4))))]
    [100.0, 100.0, 100.0]
    """
    csr = sp.csr_array(matrix, dtype=np.float64)
    csr.data[:] = 1.0
    n_rows, n_cols = csr.shape
    row_deg = np.asarray(csr.sum(axis=1)).ravel()
    col_deg = np.asarray(csr.sum(axis=0)).ravel()
    rows_sum = _paired_sum(sp.csc_array(csr), row_deg)
    cols_sum = _paired_sum(sp.csc_array(csr.T), col_deg)
    row_pairs = n_rows * (n_rows - 1) / 2
    col_pairs = n_cols * (n_cols - 1) / 2
    row_part = 100.0 * rows_sum / row_pairs if row_pairs else 0.0
    col_part = 100.0 * cols_sum / col_pairs if col_pairs else 0.0
    total = (
        100.0 * (rows_sum + cols_sum) / (row_pairs + col_pairs) if row_pairs + col_pairs else 0.0
    )
    return float(total), float(row_part), float(col_part)


@dataclass(frozen=True)
class NestednessResult:
    """NODF against its null distribution.

    Attributes
    ----------
    nodf, nodf_rows, nodf_columns
        Observed NODF (0-100) and its city (row) and network (column) parts.
    null_mean, null_sd
        Mean and standard deviation of NODF over the null samples.
    zscore
        ``(nodf - null_mean) / null_sd`` (NaN when the null has no spread).
    pvalue
        Empirical one-sided p-value of NODF at least as high under the null.
    samples, seed, null
        Number of null samples, the seed, and the null model (``"bicm"``).
    """

    nodf: float
    nodf_rows: float
    nodf_columns: float
    null_mean: float
    null_sd: float
    zscore: float
    pvalue: float
    samples: int
    seed: int
    null: str = "bicm"

    def to_dict(self) -> dict[str, Any]:
        """Return the result as a plain dictionary."""
        return asdict(self)


def nestedness(
    land: Landscape, *, samples: int = 100, seed: int = 0, year: int | None = None
) -> NestednessResult:
    """Measure NODF of ``land.incidence`` and compare it with BiCM null samples.

    Examples
    --------
    >>> import citynet
    >>> result = nestedness(citynet.load(), samples=5, seed=1)
    >>> 0 <= result.nodf <= 100 and result.samples == 5
    True
    """
    land = land.current(year)
    matrix = land.incidence
    observed, rows, cols = nodf(matrix)
    model = fit_bicm(matrix)
    probs = model.probabilities()
    rng = np.random.default_rng(seed)
    null = np.array([nodf(rng.random(probs.shape) < probs)[0] for _ in range(samples)])
    mean = float(null.mean()) if samples else float("nan")
    sd = float(null.std(ddof=1)) if samples > 1 else float("nan")
    z = (observed - mean) / sd if sd and sd > 0 else float("nan")
    pvalue = float((1 + (null >= observed).sum()) / (1 + samples))
    return NestednessResult(
        nodf=observed,
        nodf_rows=rows,
        nodf_columns=cols,
        null_mean=mean,
        null_sd=sd,
        zscore=float(z),
        pvalue=pvalue,
        samples=samples,
        seed=seed,
    )
