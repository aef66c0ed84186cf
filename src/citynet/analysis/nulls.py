"""Null models of a city x network matrix: what would chance give, under which constraints.

Each null answers its own question; none is "the" null (Ulrich & Gotelli 2007; Strona et al.
2014). With ``R`` cities, ``C`` networks, row sums ``k``, column sums ``d`` and ``E`` ones:

* ``curveball`` keeps every row and column sum exactly (fixed-fixed; Strona et al. 2014,
  *Nat. Commun.* 5, 4114). Asks: is the pattern more than the degree sequences make?
  The conservative test.
* ``equiprobable`` keeps the number of ones only (Ulrich & Gotelli's r00). Asks: is it more
  than any matrix of that fill? Liberal: heterogeneous degrees alone read as structure.
* ``rows`` keeps every row sum, columns equiprobable (r0): given how many networks each city
  joins.
* ``columns`` keeps every column sum, rows equiprobable (c0): given how many members each
  network has.
* ``proportional``: cell probability ``(k_i / C + d_j / R) / 2`` (Bascompte et al. 2003): the
  fill on average, each expected degree halfway between its own and the mean.
* ``bicm`` keeps the expected row and column sums (maximum entropy; Saracco et al. 2015):
  degrees on average, ties between equal degrees broken.

Samplers work on a dense boolean copy of the matrix (``R x C`` bytes), so they refuse matrices
above :data:`DENSE_LIMIT` cells with the size they would need.
"""

from __future__ import annotations

from collections.abc import Iterator

import numpy as np
import scipy.sparse as sp

from citynet._errors import CitynetError

__all__ = ["DENSE_LIMIT", "NULLS", "null_matrices"]

NULLS = ("curveball", "equiprobable", "rows", "columns", "proportional", "bicm")
DENSE_LIMIT = 200_000_000
"""Largest matrix (cells) the samplers take: 200 million cells, 0.2 GB as booleans."""


def _dense(matrix: sp.sparray | np.ndarray) -> np.ndarray:
    shape = matrix.shape
    cells = int(shape[0]) * int(shape[1])
    if cells > DENSE_LIMIT:
        raise CitynetError(
            f"a null model of a {shape[0]:,} x {shape[1]:,} matrix needs {cells / 1e9:.1f} GB; "
            f"the limit is {DENSE_LIMIT / 1e9:.1f} GB: analyse a snapshot or a subset "
            "(fewer cities or networks)"
        )
    if sp.issparse(matrix):
        dense: np.ndarray = sp.csr_array(matrix).toarray() > 0
        return dense
    return np.asarray(matrix) > 0


def _row_fixed(sums: np.ndarray, n_cols: int, rng: np.random.Generator) -> np.ndarray:
    """Each row gets ``sums[i]`` ones in uniformly chosen columns (in blocks, to bound memory)."""
    out = np.zeros((len(sums), n_cols), dtype=bool)
    block = max(1, 20_000_000 // max(n_cols, 1))
    for start in range(0, len(sums), block):
        part = sums[start : start + block]
        keys = rng.random((len(part), n_cols))
        ranks = keys.argsort(axis=1).argsort(axis=1)
        out[start : start + block] = ranks < part[:, None]
    return out


def _pack(m: np.ndarray) -> np.ndarray:
    """Return the rows of a boolean matrix as bits: (rows, words) of uint64, column j in bit j."""
    n, c = m.shape
    words = max(1, (c + 63) // 64)
    padded = np.zeros((n, words * 64), dtype=bool)
    padded[:, :c] = m
    packed: np.ndarray = np.packbits(padded, axis=1, bitorder="little").view("<u8")
    return packed


def _unpack(packed: np.ndarray, columns: int) -> np.ndarray:
    """Return the boolean matrix of :func:`_pack`."""
    bits = np.unpackbits(packed.view(np.uint8), axis=1, bitorder="little", count=columns)
    out: np.ndarray = bits.view(bool)  # 0 and 1 bytes: a boolean view, not a copy
    return out


_BIT = np.left_shift(np.uint64(1), np.arange(64, dtype=np.uint64))


def _popcount(words: np.ndarray) -> np.ndarray:
    """Set bits of each row of packed words (:func:`_pack`)."""
    if hasattr(np, "bitwise_count"):  # numpy 2
        counts: np.ndarray = np.bitwise_count(words).sum(axis=1, dtype=np.int64)
        return counts
    bits: np.ndarray = np.unpackbits(words.view(np.uint8), axis=1)
    total: np.ndarray = bits.sum(axis=1, dtype=np.int64)
    return total


def _curveball_round(m: np.ndarray, rng: np.random.Generator, columns: int) -> None:
    """One round of curveball trades between disjoint random pairs of rows (in place).

    ``m`` holds the rows as bits (:func:`_pack`): pairing, finding the rows that can trade,
    counting and rebuilding their pools of cells work on 64 cells a word; only the pools of the
    rows that trade are unpacked, to find their cells.
    """
    n = m.shape[0]
    if n < 2:
        return
    order = rng.permutation(n)
    half = n // 2
    a, b = order[:half], order[half : 2 * half]
    x, y = m[a], m[b]
    only_x, only_y = x & ~y, y & ~x
    # a pair trades only if each row has a cell the other lacks; the others stay as they are
    active = only_x.any(axis=1) & only_y.any(axis=1)
    a, b, x, y, only_x = a[active], b[active], x[active], y[active], only_x[active]
    pool_bits = only_x | only_y[active]
    wanted = _popcount(only_x)
    # the pool cells in row order, a random key each; sorted by row, then key: the first
    # ``wanted`` of each row go to x, a uniform choice among them. Only the pool cells are
    # sorted (a few per row), not whole rows.
    rows, cols = np.nonzero(_unpack(pool_bits, columns))
    keys = rng.random(len(rows))
    # rows + keys orders by row, then key (keys lie in [0, 1)); a stable sort of nearly sorted
    # floats is about 25 times faster than np.lexsort((keys, rows)), with the same order
    # unless two keys of one row round to the same float (a chance of about 1e-12 a pair)
    by_key = np.argsort(rows + keys, kind="stable")
    starts = np.concatenate([[0], np.cumsum(_popcount(pool_bits))[:-1]])
    rank = np.empty(len(rows), dtype=np.int64)
    rank[by_key] = np.arange(len(rows)) - starts[rows[by_key]]
    chosen = rank < wanted[rows]
    new_x_bits = np.zeros_like(pool_bits)
    # each chosen cell is its own bit: adding the bits of a word is or-ing them
    np.add.at(new_x_bits, (rows[chosen], cols[chosen] >> 6), _BIT[cols[chosen] & 63])
    shared = x & y
    m[a] = shared | new_x_bits
    m[b] = shared | (pool_bits & ~new_x_bits)


def null_matrices(
    matrix: sp.sparray | np.ndarray,
    null: str,
    samples: int,
    *,
    seed: int = 0,
    probabilities: np.ndarray | None = None,
    burn_in: int = 10,
    thin: int = 4,
) -> Iterator[np.ndarray]:
    """Yield ``samples`` boolean matrices drawn from a null model of ``matrix``.

    Parameters
    ----------
    null
        One of :data:`NULLS` (module docstring).
    probabilities
        For ``"bicm"``: the fitted link probabilities (``BiCM.probabilities()``).
    burn_in, thin
        For ``"curveball"``: rounds before the first sample and between samples; a round trades
        between ``R / 2`` disjoint pairs of rows, so the defaults make 5 R trades before the first
        sample (Strona et al. 2014) and 2 R between samples.

    Examples
    --------
    >>> import numpy as np
    >>> m = np.array([[1, 1, 0], [1, 0, 0], [0, 1, 1]], dtype=bool)
    >>> s = next(null_matrices(m, "curveball", 1, seed=2))
    >>> bool((s.sum(axis=0) == m.sum(axis=0)).all() and (s.sum(axis=1) == m.sum(axis=1)).all())
    True
    """
    if null not in NULLS:
        raise CitynetError(f"null must be one of {', '.join(NULLS)}, not {null!r}")
    base = _dense(matrix)
    n_rows, n_cols = base.shape
    rng = np.random.default_rng(seed)
    row_sums, col_sums = base.sum(axis=1), base.sum(axis=0)
    if null == "curveball":
        current = _pack(base)
        for _ in range(burn_in):
            _curveball_round(current, rng, n_cols)
        for _ in range(samples):
            yield _unpack(current, n_cols)
            for _ in range(thin):
                _curveball_round(current, rng, n_cols)
        return
    fill = int(base.sum())
    for _ in range(samples):
        if null == "equiprobable":
            cells = rng.choice(n_rows * n_cols, size=fill, replace=False)
            out = np.zeros(n_rows * n_cols, dtype=bool)
            out[cells] = True
            yield out.reshape(n_rows, n_cols)
        elif null == "rows":
            yield _row_fixed(row_sums, n_cols, rng)
        elif null == "columns":
            yield _row_fixed(col_sums, n_rows, rng).T
        elif null == "proportional":
            p = (row_sums[:, None] / n_cols + col_sums[None, :] / n_rows) / 2
            yield rng.random((n_rows, n_cols)) < p
        else:
            if probabilities is None:
                raise CitynetError("the bicm null needs the fitted probabilities")
            yield rng.random((n_rows, n_cols)) < probabilities
