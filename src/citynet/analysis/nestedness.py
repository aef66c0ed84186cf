"""Nestedness of the city x network matrix (NODF, WNODF) against null models.

NODF (Almeida-Neto et al. 2008, *Oikos* 117, 1227) asks whether the networks of less connected
cities are subsets of those of more connected cities (and likewise for networks). For every pair
of rows with *different* degrees, the paired nestedness is the share of the smaller row's ones
that the larger row also has (0 for equal degrees); NODF is the mean over all row pairs and all
column pairs, in percent: 100 for a perfectly nested matrix, near 0 for a checkerboard.

The row part is computed network by network, without forming city pairs:
``sum over pairs of overlap(i, j) / k_j = sum over networks a of sum over members j of
#{members i of a with k_i > k_j} / k_j``.

**Ties drive NODF.** A pair of rows with equal degrees scores 0, whatever their overlap. Where
most cities are in exactly one network, most city pairs tie, so NODF is low for that reason
alone. A null that keeps every degree (``curveball``) keeps those ties and asks whether the
pattern is more nested than the degrees make it. ``bicm`` keeps degrees only on average and
``columns`` lets city degrees vary: they break the ties, so their NODF is higher and the
observed matrix looks *anti-nested* against them for that reason alone. ``equiprobable``,
``rows`` and ``proportional`` flatten the degrees towards their mean, which removes the
heterogeneity NODF rewards, so the observed matrix looks *nested* against them for that reason
alone. Results say how many row pairs tie and how many rows have degree 1. Rows and columns
without any one are dropped first (they would only add zero pairs), with a note.

Null models: :mod:`citynet.analysis.nulls`. Each result gives the null mean and standard
deviation, a z-score and an empirical one-sided p-value ``(1 + #{null >= observed}) /
(1 + samples)``.

WNODF (Almeida-Neto & Ulrich 2011, *Environ. Model. Softw.* 26, 173) is NODF for weighted
matrices: a pair with decreasing fill scores the share of the smaller row's filled cells whose
value is **strictly lower** than the larger row's; on the role-weighted matrix (a seat weighs 3, a
membership 1) it asks whether seats are nested within memberships.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

import numpy as np
import pandas as pd
import scipy.sparse as sp

from citynet._errors import CitynetError
from citynet.analysis.bicm import fit_bicm
from citynet.analysis.nulls import NULLS, null_matrices
from citynet.landscape import Landscape

__all__ = ["NULL_QUESTIONS", "NestednessResult", "nestedness", "nestedness_nulls", "nodf", "wnodf"]

NULL_QUESTIONS = {
    "curveball": "more nested than the degree sequences make it? (every degree kept)",
    "equiprobable": "more nested than a random matrix of the same fill? (degrees free)",
    "rows": "more nested, given how many networks each city joins?",
    "columns": "more nested, given how many members each network has?",
    "proportional": "more nested than cells drawn by their row and column totals? (Bascompte)",
    "bicm": "more nested than the maximum-entropy ensemble of expected degrees? (ties broken)",
}
"""The question each null model answers (docs/methods.md)."""


def _paired_sum(group: np.ndarray, k: np.ndarray) -> float:
    """Sum over ordered pairs (k_i > k_j) sharing a group of 1 / k_j: the overlap terms of NODF.

    One entry per cell: ``group`` is the cell's column (for the rows' part; its row for the
    columns' part) and ``k`` the degree of its row (of its column). Vectorised: entries are
    sorted by group, then degree, and each counts the entries of its group with a strictly
    larger degree.
    """
    if len(group) == 0:
        return 0.0
    k = k.astype(np.int64)
    span = int(k.max()) + 1
    key = group.astype(np.int64) * span + k
    ordered = np.sort(key)
    group_end = np.searchsorted(ordered, key - k + span - 1, side="right")
    larger = group_end - np.searchsorted(ordered, key, side="right")
    return float((larger / k).sum())


def nodf(matrix: np.ndarray | sp.sparray | sp.spmatrix) -> tuple[float, float, float]:
    """Return NODF of a binary matrix and its row and column components (all 0-100).

    Examples
    --------
    >>> import numpy as np
    >>> [round(v, 6) for v in nodf(np.triu(np.ones((4, 4))))]
    [100.0, 100.0, 100.0]
    """
    if sp.issparse(matrix):  # one entry per nonzero cell (duplicates summed, zeros dropped)
        csr = sp.csr_array(matrix, copy=True)  # the caller's arrays may be read-only
        csr.sum_duplicates()
        csr.eliminate_zeros()
        coo = csr.tocoo()
        rows, cols = coo.row, coo.col
    else:  # a null sample: no sparse copy
        rows, cols = np.nonzero(np.asarray(matrix))
    n_rows, n_cols = matrix.shape
    row_deg = np.bincount(rows, minlength=n_rows)
    col_deg = np.bincount(cols, minlength=n_cols)
    rows_sum = _paired_sum(cols, row_deg[rows])
    cols_sum = _paired_sum(rows, col_deg[cols])
    row_pairs = n_rows * (n_rows - 1) / 2
    col_pairs = n_cols * (n_cols - 1) / 2
    row_part = 100.0 * rows_sum / row_pairs if row_pairs else 0.0
    col_part = 100.0 * cols_sum / col_pairs if col_pairs else 0.0
    total = (
        100.0 * (rows_sum + cols_sum) / (row_pairs + col_pairs) if row_pairs + col_pairs else 0.0
    )
    return float(total), float(row_part), float(col_part)


def _weighted_paired_sum(matrix: sp.csc_array, degrees: np.ndarray) -> float:
    """Sum over ordered pairs (k_i > k_j) of #{cells of j strictly below i} / k_j, for the rows."""
    total = 0.0
    for col in range(matrix.shape[1]):
        start, end = matrix.indptr[col], matrix.indptr[col + 1]
        members = matrix.indices[start:end]
        if len(members) < 2:
            continue
        values = matrix.data[start:end]
        k = degrees[members]
        for level in np.unique(values):
            lower = values == level
            higher = values > level
            if not higher.any():
                continue
            k_high = np.sort(k[higher])
            # members with a higher value and a higher degree, for each lower-valued member
            counts = len(k_high) - np.searchsorted(k_high, k[lower], side="right")
            total += float((counts / k[lower]).sum())
    return total


def wnodf(matrix: np.ndarray | sp.sparray | sp.spmatrix) -> tuple[float, float, float]:
    """Return WNODF of a weighted matrix and its row and column parts (all 0-100).

    Examples
    --------
    >>> import numpy as np
    >>> [round(v, 3) for v in wnodf(np.array([[3, 2, 1], [2, 1, 0], [1, 0, 0]]))]
    [100.0, 100.0, 100.0]
    >>> wnodf(np.triu(np.ones((3, 3))))[0]  # binary: no cell is strictly lower
    0.0
    """
    csr = sp.csr_array(matrix, dtype=np.float64)
    csr.eliminate_zeros()
    n_rows, n_cols = csr.shape
    filled = sp.csr_array(csr, copy=True)
    filled.data[:] = 1.0
    row_deg = np.asarray(filled.sum(axis=1)).ravel()
    col_deg = np.asarray(filled.sum(axis=0)).ravel()
    rows_sum = _weighted_paired_sum(sp.csc_array(csr), row_deg)
    cols_sum = _weighted_paired_sum(sp.csc_array(csr.T), col_deg)
    row_pairs, col_pairs = n_rows * (n_rows - 1) / 2, n_cols * (n_cols - 1) / 2
    return (
        float(100.0 * (rows_sum + cols_sum) / (row_pairs + col_pairs))
        if row_pairs + col_pairs
        else 0.0,
        float(100.0 * rows_sum / row_pairs) if row_pairs else 0.0,
        float(100.0 * cols_sum / col_pairs) if col_pairs else 0.0,
    )


@dataclass(frozen=True)
class NestednessResult:
    """NODF against the null distribution of one null model.

    Attributes
    ----------
    nodf, nodf_rows, nodf_columns
        Observed NODF (0-100) and its city (row) and network (column) parts.
    wnodf
        WNODF of the role-weighted matrix (a seat weighs 3).
    null, question
        The null model and the question it answers.
    null_mean, null_sd
        Mean and standard deviation of NODF over the null samples.
    zscore
        ``(nodf - null_mean) / null_sd`` (NaN when the null has no spread).
    pvalue
        Empirical one-sided p-value of NODF at least as high under the null.
    samples, seed, year
        Null samples, the seed, the year of the memberships.
    rows, columns
        Cities and networks kept (with at least one membership).
    tied_row_pairs
        Share of city pairs with equal degrees (they score 0 in NODF).
    degree_one_rows
        Share of cities in exactly one network.
    notes
        What was dropped, and what drives the result.
    """

    nodf: float
    nodf_rows: float
    nodf_columns: float
    wnodf: float
    null: str
    question: str
    null_mean: float
    null_sd: float
    zscore: float
    pvalue: float
    samples: int
    seed: int
    year: int | None
    rows: int
    columns: int
    tied_row_pairs: float
    degree_one_rows: float
    notes: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        """Return the result as a plain dictionary."""
        return asdict(self)


def _prepared(
    land: Landscape, year: int | None, executive_weight: float
) -> tuple[sp.csr_array, sp.csr_array, list[str], int | None]:
    snapshot = land.current(year)
    binary = sp.csr_array(snapshot.incidence, dtype=np.float64)
    seats = sp.csr_array(snapshot.executive_incidence, dtype=np.float64)
    k = np.asarray(binary.sum(axis=1)).ravel()
    d = np.asarray(binary.sum(axis=0)).ravel()
    rows, cols = np.flatnonzero(k > 0), np.flatnonzero(d > 0)
    notes = []
    if len(rows) < binary.shape[0] or len(cols) < binary.shape[1]:
        notes.append(
            f"dropped {binary.shape[0] - len(rows):,} cities and {binary.shape[1] - len(cols):,} "
            f"networks without a membership in {snapshot.year} (they only add zero pairs)"
        )
    kept = sp.csr_array(binary[rows][:, cols])
    weighted = sp.csr_array(kept + (executive_weight - 1.0) * sp.csr_array(seats[rows][:, cols]))
    return kept, weighted, notes, snapshot.year


def nestedness(
    land: Landscape,
    *,
    null: str = "curveball",
    samples: int = 100,
    seed: int = 0,
    year: int | None = None,
    executive_weight: float = 3.0,
) -> NestednessResult:
    """Measure NODF and WNODF of the year's matrix and compare NODF with a null model.

    Parameters
    ----------
    null
        One of :data:`~citynet.analysis.nulls.NULLS` (default ``"curveball"``: every degree kept;
        see the module docstring for why).
    samples, seed
        Null samples and their seed.
    year
        The year of the memberships (default: the landscape's year, or now).
    executive_weight
        Weight of a seat in WNODF.

    Examples
    --------
    >>> import citynet
    >>> result = nestedness(citynet.load(), samples=5, seed=1)
    >>> 0 <= result.nodf <= 100 and result.samples == 5 and result.null == "curveball"
    True
    """
    if samples < 1:
        raise CitynetError(f"samples must be 1 or more, not {samples}")
    matrix, weighted, notes, when = _prepared(land, year, executive_weight)
    if matrix.nnz == 0:
        raise CitynetError(f"no membership in {when}: nestedness is not defined")
    observed, rows, cols = nodf(matrix)
    probabilities = fit_bicm(matrix).probabilities() if null == "bicm" else None
    values = np.array(
        [
            nodf(s)[0]
            for s in null_matrices(matrix, null, samples, seed=seed, probabilities=probabilities)
        ]
    )
    mean = float(values.mean())
    sd = float(values.std(ddof=1)) if samples > 1 else float("nan")
    z = (observed - mean) / sd if sd and sd > 0 else float("nan")
    degrees = np.asarray(matrix.sum(axis=1)).ravel()
    counts = pd.Series(degrees).value_counts().to_numpy()
    pairs = len(degrees) * (len(degrees) - 1) / 2
    tied = float((counts * (counts - 1) / 2).sum() / pairs) if pairs else 0.0
    ones = float((degrees == 1).mean()) if len(degrees) else 0.0
    if tied > 0.5:
        notes.append(
            f"{tied:.0%} of city pairs have equal degrees and score 0 ({ones:.0%} of cities are "
            "in one network): NODF is low for that reason; compare with a null that keeps "
            "degrees (curveball), not with one that breaks ties"
        )
    if null in ("bicm", "columns") and tied > 0.5:
        kept = "keeps degrees only on average" if null == "bicm" else "lets city degrees vary"
        notes.append(
            f"the {null} null {kept}: cities that tie in the data get different degrees in its "
            "samples and those pairs score, so its NODF is higher and a negative z here mostly "
            "measures the ties, not anti-nestedness"
        )
    flattened = {
        "equiprobable": "flattens every degree to the mean",
        "rows": "flattens the networks' sizes to their mean",
        "proportional": "pulls every degree halfway to the mean",
    }
    if null in flattened:
        notes.append(
            f"the {null} null {flattened[null]}, which removes the degree heterogeneity NODF "
            "rewards: a positive z here partly measures that heterogeneity, not nesting beyond "
            "it (curveball keeps every degree)"
        )
    if not (sd and sd > 0):
        notes.append("the null has no spread (every sample gives the same NODF): z is undefined")
    return NestednessResult(
        nodf=observed,
        nodf_rows=rows,
        nodf_columns=cols,
        wnodf=wnodf(weighted)[0],
        null=null,
        question=NULL_QUESTIONS[null],
        null_mean=mean,
        null_sd=sd,
        zscore=float(z),
        pvalue=float((1 + (values >= observed).sum()) / (1 + samples)),
        samples=samples,
        seed=seed,
        year=when,
        rows=matrix.shape[0],
        columns=matrix.shape[1],
        tied_row_pairs=tied,
        degree_one_rows=ones,
        notes=notes,
    )


def nestedness_nulls(
    land: Landscape,
    *,
    nulls: tuple[str, ...] = NULLS,
    samples: int = 100,
    seed: int = 0,
    year: int | None = None,
) -> pd.DataFrame:
    """Compare the observed NODF with several null models, one row per null.

    Returns
    -------
    pandas.DataFrame
        Indexed by ``null``: ``question``, ``nodf``, ``null_mean``, ``null_sd``, ``zscore``,
        ``pvalue``.

    Examples
    --------
    >>> import citynet
    >>> table = nestedness_nulls(citynet.load(), nulls=("curveball", "equiprobable"), samples=3)
    >>> list(table.index)
    ['curveball', 'equiprobable']
    """
    rows = []
    for null in nulls:
        result = nestedness(land, null=null, samples=samples, seed=seed, year=year)
        rows.append(
            {
                "null": null,
                "question": result.question,
                "nodf": result.nodf,
                "null_mean": result.null_mean,
                "null_sd": result.null_sd,
                "zscore": result.zscore,
                "pvalue": result.pvalue,
            }
        )
    return pd.DataFrame(rows).set_index("null")
