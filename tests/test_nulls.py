"""Null models and nestedness: what each null keeps, published values, degenerate cases."""

from __future__ import annotations

import itertools
from collections import Counter

import numpy as np
import pytest
from scipy import stats

import citynet
from citynet import CitynetError
from citynet.analysis.nestedness import nestedness, nestedness_nulls, nodf, wnodf
from citynet.analysis.nulls import NULLS, null_matrices
from citynet.synthetic import synthetic_landscape
from tests.matrices import block_matrix, landscape_from_matrix

RNG = np.random.default_rng(11)
MATRIX = (RNG.random((30, 12)) < 0.3) | np.eye(30, 12, dtype=bool)


# -- published values ------------------------------------------------------------------------------
def test_nodf_of_the_almeida_neto_2008_example() -> None:
    """Almeida-Neto et al. 2008, *Oikos* 117, 1227, Fig. 2: NODF 58.3 (rows 53.3, columns 63.3)."""
    example = np.array(
        [
            [1, 0, 1, 1, 1],
            [1, 1, 1, 0, 0],
            [0, 1, 1, 1, 0],
            [1, 1, 0, 0, 0],
            [1, 1, 0, 0, 0],
        ]
    )
    total, rows, columns = nodf(example)
    assert (round(total, 1), round(rows, 1), round(columns, 1)) == (58.3, 53.3, 63.3)


def test_wnodf_of_the_almeida_neto_ulrich_2011_examples() -> None:
    """Almeida-Neto & Ulrich 2011, *Environ. Model. Softw.* 26, 173, Fig. 1: 100, 50 and 40."""
    graded = np.array(
        [[5, 4, 3, 2, 1], [4, 3, 2, 1, 0], [3, 2, 1, 0, 0], [2, 1, 0, 0, 0], [1, 0, 0, 0, 0]]
    )
    equal_columns = np.array(
        [[5, 4, 3, 2, 1], [5, 4, 3, 2, 0], [5, 4, 3, 0, 0], [5, 4, 0, 0, 0], [5, 0, 0, 0, 0]]
    )
    star = np.array(
        [[5, 1, 1, 1, 1], [1, 0, 0, 0, 0], [1, 0, 0, 0, 0], [1, 0, 0, 0, 0], [1, 0, 0, 0, 0]]
    )
    assert wnodf(graded) == pytest.approx((100.0, 100.0, 100.0))
    # rows of equal values are not nested (strictly lower is required); columns are
    assert wnodf(equal_columns) == pytest.approx((50.0, 0.0, 100.0))
    assert wnodf(star) == pytest.approx((40.0, 40.0, 40.0))


# -- what each null keeps -------------------------------------------------------------------------
def test_curveball_keeps_every_row_and_column_sum_and_moves() -> None:
    samples = list(null_matrices(MATRIX, "curveball", 50, seed=3))
    for s in samples:
        assert (s.sum(axis=1) == MATRIX.sum(axis=1)).all()
        assert (s.sum(axis=0) == MATRIX.sum(axis=0)).all()
    assert np.mean([(s != MATRIX).mean() for s in samples]) > 0.2
    assert len({s.tobytes() for s in samples}) == len(samples)


def test_curveball_samples_every_matrix_with_the_same_sums_equally() -> None:
    """Strona et al. 2014: the curveball chain is uniform over the matrices with given sums."""
    start = np.array([[1, 1, 0, 0], [1, 0, 1, 0], [0, 1, 0, 0], [0, 0, 0, 1]], dtype=bool)
    every = [
        m
        for m in (
            np.array(bits, dtype=bool).reshape(4, 4)
            for bits in itertools.product([0, 1], repeat=16)
        )
        if (m.sum(axis=1) == start.sum(axis=1)).all() and (m.sum(axis=0) == start.sum(axis=0)).all()
    ]
    counts = Counter(s.tobytes() for s in null_matrices(start, "curveball", 6000, seed=1))
    assert set(counts) == {m.tobytes() for m in every}
    observed = [counts[m.tobytes()] for m in every]
    assert stats.chisquare(observed).pvalue > 1e-3


def test_equiprobable_keeps_the_fill_only() -> None:
    samples = list(null_matrices(MATRIX, "equiprobable", 30, seed=2))
    assert {int(s.sum()) for s in samples} == {int(MATRIX.sum())}
    assert any((s.sum(axis=1) != MATRIX.sum(axis=1)).any() for s in samples)


def test_row_and_column_nulls_keep_their_side() -> None:
    for s in null_matrices(MATRIX, "rows", 20, seed=2):
        assert (s.sum(axis=1) == MATRIX.sum(axis=1)).all()
    for s in null_matrices(MATRIX, "columns", 20, seed=2):
        assert (s.sum(axis=0) == MATRIX.sum(axis=0)).all()


def test_bicm_keeps_the_sums_on_average() -> None:
    from citynet.analysis.bicm import fit_bicm

    p = fit_bicm(MATRIX.astype(int)).probabilities()
    mean = np.mean(list(null_matrices(MATRIX, "bicm", 400, seed=5, probabilities=p)), axis=0)
    assert np.abs(mean.sum(axis=0) - MATRIX.sum(axis=0)).max() < 1.0
    assert np.abs(mean.sum(axis=1) - MATRIX.sum(axis=1)).max() < 0.5


def test_proportional_keeps_the_fill_and_halves_the_degree_spread() -> None:
    """Bascompte et al. 2003: p_ij = (k_i / C + d_j / R) / 2, so E[d_j] = (E / C + d_j) / 2."""
    _n_rows, n_cols = MATRIX.shape
    fill, d = MATRIX.sum(), MATRIX.sum(axis=0)
    mean = np.mean(list(null_matrices(MATRIX, "proportional", 400, seed=5)), axis=0)
    assert mean.sum(axis=0) == pytest.approx((fill / n_cols + d) / 2, abs=0.6)
    assert mean.sum() == pytest.approx(fill, rel=0.02)


def test_an_unknown_null_is_refused() -> None:
    with pytest.raises(CitynetError, match="null must be one of"):
        next(null_matrices(MATRIX, "shuffle", 1))


# -- nestedness against the nulls -----------------------------------------------------------------
def test_a_perfectly_nested_matrix_has_one_arrangement_so_curveball_has_no_spread() -> None:
    land = landscape_from_matrix(np.tril(np.ones((8, 8), dtype=int)))
    result = nestedness(land, null="curveball", samples=10)
    assert result.nodf == pytest.approx(100.0)
    assert result.null_mean == pytest.approx(100.0)
    assert result.null_sd == 0
    assert np.isnan(result.zscore)
    assert any("no spread" in n for n in result.notes)
    liberal = nestedness(land, null="equiprobable", samples=30)
    assert liberal.zscore > 3
    assert liberal.pvalue < 0.05


def test_a_checkerboard_is_not_nested_against_any_null() -> None:
    land = landscape_from_matrix(np.indices((10, 10)).sum(axis=0) % 2)
    result = nestedness(land, null="equiprobable", samples=30)
    assert result.nodf == pytest.approx(0.0)
    assert result.zscore < 0
    assert result.pvalue == 1.0


def test_empty_rows_and_columns_are_dropped_with_a_note() -> None:
    matrix = np.zeros((6, 5), dtype=int)
    matrix[:4, :3] = np.tril(np.ones((4, 3), dtype=int))
    result = nestedness(landscape_from_matrix(matrix), samples=5)
    assert (result.rows, result.columns) == (4, 3)
    assert result.nodf == pytest.approx(nodf(matrix[:4, :3])[0])
    assert any("dropped 2 cities and 2 networks" in n for n in result.notes)


def test_ties_of_degree_one_rows_are_explained() -> None:
    """Most cities in one network: bicm breaks the ties, flattening nulls remove heterogeneity."""
    land = synthetic_landscape(n_cities=2_000, n_networks=30, n_memberships=2_300, every_city=True,
                               themes=False, network_exponent=2.2, seed=1)  # fmt: skip
    fixed = nestedness(land, null="curveball", samples=10)
    tie_breaking = nestedness(land, null="bicm", samples=10)
    flattening = nestedness(land, null="equiprobable", samples=10)
    assert fixed.degree_one_rows > 0.5
    assert fixed.tied_row_pairs > 0.5
    assert any("equal degrees" in n for n in fixed.notes)
    # the same observed NODF reads as anti-nested, as chance, or as nested depending on the null
    assert tie_breaking.null_mean > fixed.nodf > flattening.null_mean
    assert tie_breaking.zscore < -3
    assert abs(fixed.zscore) < 3
    assert flattening.zscore > 3
    assert any("measures the ties" in n for n in tie_breaking.notes)
    assert any("heterogeneity" in n for n in flattening.notes)


def test_every_null_one_argument_away_on_the_shipped_data() -> None:
    table = nestedness_nulls(citynet.load(), samples=5, seed=1)
    assert list(table.index) == list(NULLS)
    assert table["nodf"].nunique() == 1
    assert table["question"].str.len().gt(20).all()
    assert table["null_sd"].gt(0).all()


def test_wnodf_of_seats_on_memberships() -> None:
    # the seat holders of the first network are members of more networks
    matrix = block_matrix(1, 4, 3)
    matrix[3, 1:] = 0
    land = landscape_from_matrix(matrix, executive={(0, 0), (1, 0)})
    result = nestedness(land, samples=3)
    weighted = matrix.copy()
    weighted[0, 0] = weighted[1, 0] = 3
    assert result.wnodf == pytest.approx(wnodf(weighted)[0])
    assert result.wnodf > 0


def test_nodf_reads_a_dense_sample_and_a_sparse_matrix_alike() -> None:
    """Null samples go to NODF dense; a sparse matrix counts each nonzero cell once."""
    import scipy.sparse as sp

    rng = np.random.default_rng(7)
    for _ in range(30):
        m = rng.random((int(rng.integers(2, 30)), int(rng.integers(2, 12)))) < rng.random()
        assert nodf(m) == pytest.approx(nodf(sp.csr_array(m.astype(float))))
    # duplicates are one cell, an explicitly stored zero is no cell
    coo = sp.coo_array(([1.0, 1.0, 1.0, 0.0], ([0, 0, 1, 1], [0, 0, 0, 1])), shape=(2, 2))
    assert nodf(coo) == nodf(np.array([[1, 0], [1, 0]]))


def test_popcount_without_numpy_2_counts_the_same(monkeypatch: pytest.MonkeyPatch) -> None:
    from citynet.analysis import nulls

    words = np.random.default_rng(0).integers(0, 2**63, size=(50, 3), dtype=np.uint64)
    expected = np.unpackbits(words.view(np.uint8), axis=1).sum(axis=1)
    assert (nulls._popcount(words) == expected).all()
    if hasattr(np, "bitwise_count"):
        monkeypatch.delattr(np, "bitwise_count")
    assert (nulls._popcount(words) == expected).all()
