"""Communities of the bipartite graph itself: cities and networks in one partition.

Theme clusters (:mod:`citynet.analysis.clusters`) group networks by what they say they are about;
modules group cities and networks by **who is a member of what**, which is the structure the data
actually hold. A module is a set of networks together with the cities that are mostly members of
them.

Method
------
**Barber's bipartite modularity** (Barber 2007, *Phys. Rev. E* 76, 066102), for a city x network
matrix ``A`` (weights: 1 per membership, or role weights) with ``m = sum(A)``, row sums ``k`` and
column sums ``d``::

    Q = (1 / m) * sum over cities i and networks j of (A_ij - k_i d_j / m) [g_i == h_j]

It is maximised with **LPAwb+** (Beckett 2016, *R. Soc. Open Sci.* 3, 140536), as R's
``bipartite::computeModules`` does: label propagation that alternates between the two sides,
each node taking the module label that raises ``Q`` most given the other side (stage 1), then a
multi-step greedy merge of modules while ``Q`` rises, then label propagation again (stage 2),
until nothing improves. **DIRTLPAwb+** repeats this from ``runs`` random initial labellings and
keeps the partition with the highest ``Q``; the spread of ``Q`` and the adjusted Rand index of
every run against the best say how stable the result is.

Cities and networks without any membership belong to no module. Modules are numbered by size
(networks, then cities) and named by their largest networks; themes, when the landscape has any,
only label them.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
import scipy.sparse as sp

from citynet._errors import CitynetError
from citynet._parallel import thread_map
from citynet.analysis.clusters import adjusted_rand_index
from citynet.landscape import Landscape

__all__ = ["ModuleResult", "barber_modularity", "bipartite_modules", "lpawb_plus"]


def barber_modularity(
    matrix: sp.sparray | np.ndarray, row_labels: np.ndarray, col_labels: np.ndarray
) -> float:
    """Return Barber's bipartite modularity of a labelling (module docstring).

    Examples
    --------
    >>> import numpy as np
    >>> a = np.array([[1, 1, 0, 0], [1, 1, 0, 0], [0, 0, 1, 1], [0, 0, 1, 1]])
    >>> round(barber_modularity(a, np.array([0, 0, 1, 1]), np.array([0, 0, 1, 1])), 6)
    0.5
    """
    a = sp.csr_array(matrix, dtype=np.float64)
    m = float(a.sum())
    if m == 0:
        return 0.0
    k = np.asarray(a.sum(axis=1)).ravel()
    d = np.asarray(a.sum(axis=0)).ravel()
    coo = a.tocoo()
    inside = float(coo.data[row_labels[coo.row] == col_labels[coo.col]].sum())
    labels = np.union1d(row_labels, col_labels)
    big_k = np.bincount(np.searchsorted(labels, row_labels), weights=k, minlength=len(labels))
    big_d = np.bincount(np.searchsorted(labels, col_labels), weights=d, minlength=len(labels))
    expected = float((big_k * big_d).sum()) / m
    return (inside - expected) / m


def _best_labels(
    a: sp.csr_array,
    other: np.ndarray,
    own: np.ndarray,
    degree: np.ndarray,
    other_degree: np.ndarray,
    m: float,
    rng: np.random.Generator,
    fresh_start: int,
) -> np.ndarray:
    """Each row of ``a`` takes the label of the other side that raises Q most.

    Score of label l for row i: ``sum_j a_ij [other_j == l] - degree_i * totals_l / m``, where
    ``totals_l`` is the summed degree (``other_degree``) of the other side's nodes labelled l.
    Only labels among a row's neighbours can score above 0; a row whose best score is 0 or below
    takes a fresh label of its own, or keeps its label if no partner shares it (a module without
    partners contributes 0). A row keeps its label when it is among the best; other ties are
    broken at random, reproducibly from ``rng``.
    """
    labels, codes = np.unique(other, return_inverse=True)
    totals = np.bincount(codes, weights=other_degree, minlength=len(labels))
    n_labels = len(labels)
    # weight of each (row, neighbour label): ``a`` with columns renamed to labels, its indices
    # sorted by two linear transpositions, then duplicates summed row by row
    agg = sp.csr_array((a.data, codes[a.indices], a.indptr), shape=(a.shape[0], n_labels))
    agg = agg.tocsc().tocsr()
    agg.has_sorted_indices = True
    agg.sum_duplicates()
    counts = np.diff(agg.indptr)
    row = np.repeat(np.arange(a.shape[0]), counts)
    label = agg.indices.astype(np.int64)
    score = agg.data - degree[row] * totals[label] / m
    if not len(score):
        return own.copy()
    # per row, the best score; among ties one at random (a random key, its maximum per row)
    starts = agg.indptr[:-1][counts > 0]
    group = np.repeat(np.arange(len(starts)), counts[counts > 0])
    top = np.maximum.reduceat(score, starts)
    # a row whose own label is among the best keeps it (labels settle instead of flipping
    # between equals); otherwise a random key, reproducibly from ``rng``
    mine = labels[label] == own[row]
    key = np.where(score == top[group], np.where(mine, 2.0, rng.random(len(score))), -1.0)
    winner = key == np.maximum.reduceat(key, starts)[group]
    best = np.flatnonzero(winner)
    out = own.copy()
    keep = score[best] > 1e-12
    rows = row[best]
    out[rows[keep]] = labels[label[best[keep]]]
    lonely = rows[~keep]
    # a row already in a module no partner shares keeps it (so that the labels settle);
    # the others start a module of their own
    crowded = lonely[np.isin(own[lonely], other)]
    out[crowded] = fresh_start + np.arange(len(crowded))
    return out


def _propagate(
    a: sp.csr_array, rows: np.ndarray, rng: np.random.Generator, max_iter: int = 100
) -> tuple[np.ndarray, np.ndarray]:
    """Stage 1: alternate the two sides while Q rises (Beckett 2016) and labels still change.

    A sweep that changes labels without raising Q by more than ``1e-10`` ends the stage, as in
    LPAwb+; the labelling kept is the best one seen.
    """
    coo = a.tocoo()
    a_t = sp.csr_array(a.T)
    m = float(a.sum())
    k = np.asarray(a.sum(axis=1)).ravel()
    d = np.asarray(a.sum(axis=0)).ravel()
    cols = np.full(a.shape[1], -1, dtype=np.int64)
    fresh = int(max(rows.max(initial=0), 0)) + 1
    best_q = -np.inf
    for _ in range(max_iter):
        new_cols = _best_labels(a_t, rows, cols, d, k, m, rng, fresh)
        fresh = int(max(new_cols.max(initial=0), fresh)) + 1
        new_rows = _best_labels(a, new_cols, rows, k, d, m, rng, fresh)
        fresh = int(max(new_rows.max(initial=0), fresh)) + 1
        done = np.array_equal(new_cols, cols) and np.array_equal(new_rows, rows)
        q = _modularity(coo, k, d, m, new_rows, new_cols)
        if q < best_q - 1e-12:
            break
        rows, cols = new_rows, new_cols
        if done or q <= best_q + 1e-10:
            break
        best_q = q
    return rows, cols


def _modularity(
    coo: sp.coo_array, k: np.ndarray, d: np.ndarray, m: float, rows: np.ndarray, cols: np.ndarray
) -> float:
    """Barber's Q from the parts :func:`_propagate` already holds."""
    inside = float(coo.data[rows[coo.row] == cols[coo.col]].sum())
    labels, codes = np.unique(np.concatenate([rows, cols]), return_inverse=True)
    big_k = np.bincount(codes[: len(rows)], weights=k, minlength=len(labels))
    big_d = np.bincount(codes[len(rows) :], weights=d, minlength=len(labels))
    return (inside - float((big_k * big_d).sum()) / m) / m


def _merge_step(
    a: sp.csr_array, rows: np.ndarray, cols: np.ndarray
) -> tuple[np.ndarray, np.ndarray, bool]:
    """Stage 2: merge disjoint pairs of modules, best gain first, while Q rises."""
    m = float(a.sum())
    labels, row_codes = np.unique(rows, return_inverse=True)
    col_codes = np.searchsorted(labels, cols)
    valid = (col_codes < len(labels)) & (labels[np.minimum(col_codes, len(labels) - 1)] == cols)
    n = len(labels)
    extra = np.unique(cols[~valid])
    if len(extra):  # network labels no city carries: give them codes too
        labels = np.concatenate([labels, extra])
        col_codes = np.where(valid, col_codes, n + np.searchsorted(extra, cols))
        n = len(labels)
    k = np.asarray(a.sum(axis=1)).ravel()
    d = np.asarray(a.sum(axis=0)).ravel()
    big_k = np.bincount(row_codes, weights=k, minlength=n)
    big_d = np.bincount(col_codes, weights=d, minlength=n)
    coo = a.tocoo()
    between = sp.coo_array(
        (coo.data, (row_codes[coo.row], col_codes[coo.col])), shape=(n, n)
    ).tocsr()
    both = sp.triu(between + between.T, k=1).tocoo()
    if both.nnz == 0:
        return rows, cols, False
    gain = (
        both.data - (big_k[both.row] * big_d[both.col] + big_k[both.col] * big_d[both.row]) / m
    ) / m
    positive = gain > 1e-12
    order = np.argsort(-gain[positive], kind="stable")
    first, second = _greedy_matching(both.row[positive][order], both.col[positive][order], n)
    target = np.arange(n)
    target[second] = first
    return labels[target[row_codes]], labels[target[col_codes]], bool(len(first))


def _greedy_matching(
    first: np.ndarray, second: np.ndarray, n: int
) -> tuple[np.ndarray, np.ndarray]:
    """Return the pairs the greedy matching takes from pairs listed best first.

    Taking pairs in order and skipping any that touches a node already taken gives the same
    matching as taking, round after round, every pair that comes before all other remaining pairs
    of both its nodes (a locally dominant pair; Preis 1999), which numpy does a round at a time.

    Examples
    --------
    >>> import numpy as np
    >>> _greedy_matching(np.array([0, 1, 2]), np.array([1, 2, 3]), 4)
    (array([0, 2]), array([1, 3]))
    """
    taken_first, taken_second = [], []
    rank = np.arange(len(first))
    while len(rank):
        # the first pair of each node: its first place in (first_0, second_0, first_1, ...)
        nodes, at = np.unique(np.column_stack([first, second]).ravel(), return_index=True)
        best = np.full(n, -1, dtype=np.int64)
        best[nodes] = at // 2
        dominant = (best[first] == rank) & (best[second] == rank)
        taken_first.append(first[dominant])
        taken_second.append(second[dominant])
        used = np.zeros(n, dtype=bool)
        used[first[dominant]] = used[second[dominant]] = True
        keep = ~(used[first] | used[second])
        first, second = first[keep], second[keep]
        rank = np.arange(len(first))
    if not taken_first:
        return np.array([], dtype=np.int64), np.array([], dtype=np.int64)
    return np.concatenate(taken_first), np.concatenate(taken_second)


def lpawb_plus(
    matrix: sp.sparray | np.ndarray,
    *,
    seed: int = 0,
    initial: np.ndarray | None = None,
) -> tuple[np.ndarray, np.ndarray, float]:
    """Maximise Barber's modularity with LPAwb+ (one run); return row and column labels and Q.

    ``initial`` gives the rows' starting labels (default: one label per row).

    Examples
    --------
    >>> import numpy as np
    >>> a = np.kron(np.eye(3), np.ones((4, 2)))  # three blocks of 4 cities x 2 networks
    >>> rows, cols, q = lpawb_plus(a, seed=1)
    >>> len(set(rows)), round(q, 6)
    (3, 0.666667)
    """
    a = sp.csr_array(matrix, dtype=np.float64)
    a.eliminate_zeros()
    rng = np.random.default_rng(seed)
    rows = np.arange(a.shape[0], dtype=np.int64) if initial is None else initial.astype(np.int64)
    rows, cols = _propagate(a, rows, rng)
    best = barber_modularity(a, rows, cols)
    for _ in range(200):
        merged_rows, _, merged = _merge_step(a, rows, cols)
        if not merged:
            break
        new_rows, new_cols = _propagate(a, merged_rows, rng)
        q = barber_modularity(a, new_rows, new_cols)
        if q <= best + 1e-12:
            break
        rows, cols, best = new_rows, new_cols, q
    return rows, cols, best


@dataclass(frozen=True)
class ModuleResult:
    """Bipartite modules of a landscape (:func:`bipartite_modules`).

    Attributes
    ----------
    cities, networks
        Indexed by id (only those with a membership): ``module`` (0 = largest).
    modules
        Indexed by ``module``: ``name`` (its largest networks), ``networks``, ``cities``
        (counts), ``network_ids`` (``;``-separated), ``themes`` (most frequent, if any),
        ``region`` (most frequent region of its cities) and ``share_inside`` (share of its
        cities' memberships that fall inside the module).
    modularity
        Barber's Q of the best run.
    q_runs
        Q of every run (best first is not implied).
    stability
        Mean adjusted Rand index of every other run's partition against the best (1: every run
        found the same modules).
    runs, seed, weighted
        How it was computed.
    year
        The year of the memberships.
    notes
        What a reader should know (nodes left out, no themes, a degenerate result).
    """

    cities: pd.DataFrame
    networks: pd.DataFrame
    modules: pd.DataFrame
    modularity: float
    q_runs: list[float]
    stability: float
    runs: int
    seed: int
    weighted: bool
    year: int | None
    notes: list[str] = field(default_factory=list)

    @property
    def degenerate(self) -> bool:
        """True when there is no structure to report (one module, or Q of about 0)."""
        return len(self.modules) < 2 or self.modularity < 1e-6


def _short_name(networks: pd.DataFrame, network_id: str) -> str:
    """Return the acronym, else the name before a parenthesis or a dash."""
    acronym = networks.at[network_id, "acronym"]
    if isinstance(acronym, str) and acronym:
        return acronym
    name = str(networks.at[network_id, "name"])
    return name.split(" (")[0].split(" - ")[0]


def bipartite_modules(
    land: Landscape,
    *,
    runs: int = 20,
    seed: int = 0,
    weighted: bool = False,
    executive_weight: float = 3.0,
    year: int | None = None,
    workers: int | None = None,
) -> ModuleResult:
    """Find the modules of the city x network graph (DIRTLPAwb+ on Barber's modularity).

    Parameters
    ----------
    runs
        Runs from different initial labellings (the first starts from one label per city).
    seed
        Seed of the random labellings and tie-breaks: one seed, one result.
    weighted
        Weigh an executive seat ``executive_weight`` times a membership.
    year
        The year of the memberships (default: the landscape's year, or now).
    workers
        Runs computed side by side (default: the processors this process may use); the
        result is the same for any number.

    Examples
    --------
    >>> import citynet
    >>> result = bipartite_modules(citynet.load(), runs=3)
    >>> result.modularity > 0.1 and len(result.modules) > 2
    True
    """
    if runs < 1:
        raise CitynetError(f"runs must be 1 or more, not {runs}")
    snapshot = land.current(year)
    # Kept with the landscape (and, read through the command line's cache, beside its entry on
    # disk): the next command that needs the same modules reads them. Each caller gets its own
    # copy of the tables, so the kept result cannot be changed through one.
    kept: ModuleResult = snapshot.memo(
        ("bipartite-modules", runs, seed, weighted, float(executive_weight)),
        lambda: _modules(snapshot, runs, seed, weighted, executive_weight, workers),
        lasting=True,
    )
    return dataclasses.replace(
        kept,
        cities=kept.cities.copy(),
        networks=kept.networks.copy(),
        modules=kept.modules.copy(),
        q_runs=list(kept.q_runs),
        notes=list(kept.notes),
    )


def _modules(
    snapshot: Landscape,
    runs: int,
    seed: int,
    weighted: bool,
    executive_weight: float,
    workers: int | None,
) -> ModuleResult:
    """Compute :func:`bipartite_modules` of one snapshot."""
    base = sp.csr_array(snapshot.incidence, dtype=np.float64)
    if weighted:
        seats = sp.csr_array(snapshot.executive_incidence, dtype=np.float64)
        base = sp.csr_array(base + (executive_weight - 1.0) * seats)
    k = np.asarray(base.sum(axis=1)).ravel()
    d = np.asarray(base.sum(axis=0)).ravel()
    row_keep, col_keep = np.flatnonzero(k > 0), np.flatnonzero(d > 0)
    a = sp.csr_array(base[row_keep][:, col_keep])
    city_ids = np.asarray(snapshot.city_ids, dtype=object)[row_keep]
    network_ids = np.asarray(snapshot.network_ids, dtype=object)[col_keep]
    notes = []
    left = len(snapshot.city_ids) - len(row_keep), len(snapshot.network_ids) - len(col_keep)
    if any(left):
        notes.append(
            f"{left[0]:,} cities and {left[1]:,} networks without a membership in "
            f"{snapshot.year} belong to no module."
        )
    if a.nnz == 0:
        raise CitynetError(f"no membership in {snapshot.year}: there is nothing to partition")
    rng = np.random.default_rng(seed)
    starts: list[tuple[int, np.ndarray | None]] = []
    for run in range(runs):
        initial = None
        if run > 0:
            groups = int(rng.integers(2, max(a.shape[0], 2) + 1))
            initial = rng.integers(0, groups, size=a.shape[0])
        starts.append((int(rng.integers(0, 2**31)), initial))
    # Runs are independent and numpy and scipy release the GIL in their loops, so threads run
    # them side by side; each run has its own seed, so the result does not depend on `workers`.
    results = thread_map(
        lambda start: lpawb_plus(a, seed=start[0], initial=start[1]), starts, workers
    )
    best: tuple[np.ndarray, np.ndarray, float] | None = None
    for found in results:
        if best is None or found[2] > best[2] + 1e-12:
            best = found
    assert best is not None
    rows, cols, q = best

    def joint(found: tuple[np.ndarray, np.ndarray, float]) -> dict[str, int]:
        labelled = {f"c:{c}": int(v) for c, v in zip(city_ids, found[0], strict=True)}
        labelled.update({f"n:{n}": int(v) for n, v in zip(network_ids, found[1], strict=True)})
        return labelled

    reference = joint(best)
    scores = [adjusted_rand_index(reference, joint(r)) for r in results if r is not best]
    stability = float(np.mean(scores)) if scores else float("nan")

    # number modules by size: networks, then cities, then the smallest network id
    networks = snapshot.networks
    table = pd.DataFrame({"network_id": network_ids, "label": cols})
    city_table = pd.DataFrame({"city_id": city_ids, "label": rows})
    sizes = table.groupby("label").size().rename("n").to_frame()
    sizes["c"] = city_table.groupby("label").size().reindex(sizes.index, fill_value=0)
    sizes["first"] = table.groupby("label")["network_id"].min()
    order = sizes.sort_values(["n", "c", "first"], ascending=[False, False, True]).index
    number = {label: i for i, label in enumerate(order)}
    # city-only labels (cities whose networks all went elsewhere) are not modules
    table["module"] = table["label"].map(number)
    city_table["module"] = city_table["label"].map(number).astype("Int64")
    orphans = int(city_table["module"].isna().sum())
    if orphans:
        notes.append(f"{orphans:,} cities sit alone in a module without networks.")
    weights = np.asarray(a.sum(axis=1)).ravel()
    coo = a.tocoo()
    same = rows[coo.row] == cols[coo.col]
    inside = np.bincount(coo.row, weights=coo.data * same, minlength=a.shape[0])
    city_table["share"] = inside / np.where(weights > 0, weights, 1)
    members = snapshot.edges["network_id"].value_counts()
    cities_frame = snapshot.cities
    theme_of = snapshot.network_themes
    any_themes = any(theme_of.values())
    if not any_themes:
        notes.append("the landscape has no themes: modules are named by their networks only.")
    records = []
    for label in order:
        module = number[label]
        nets = table.loc[table["module"] == module, "network_id"].astype(str).tolist()
        nets.sort(key=lambda n: (-int(members.get(n, 0)), n))
        mine = city_table[city_table["module"] == module]
        themes = pd.Series([t for n in nets for t in theme_of[n]], dtype=object).value_counts()
        regions = (
            cities_frame["region"]
            .reindex(mine["city_id"].astype(str).tolist())
            .dropna()
            .value_counts()
        )
        acronyms = [_short_name(networks, n) for n in nets]
        name = ", ".join(acronyms[:3]) + (f" and {len(nets) - 3} more" if len(nets) > 3 else "")
        records.append(
            {
                "module": module,
                "name": name,
                "networks": len(nets),
                "cities": len(mine),
                "network_ids": ";".join(nets),
                "themes": ";".join(map(str, themes.index[:3])) if len(themes) else "",
                "region": str(regions.index[0]) if len(regions) else "",
                "share_inside": float(mine["share"].mean()) if len(mine) else float("nan"),
            }
        )
    modules = pd.DataFrame(records).set_index("module")
    if len(modules) < 2:
        notes.append("one module holds every network: the graph has no modular structure.")
    return ModuleResult(
        cities=city_table.set_index("city_id")[["module"]].sort_index(),
        networks=table.set_index("network_id")[["module"]].sort_index(),
        modules=modules,
        modularity=float(q),
        q_runs=[float(r[2]) for r in results],
        stability=stability,
        runs=runs,
        seed=seed,
        weighted=weighted,
        year=snapshot.year,
        notes=notes,
    )
