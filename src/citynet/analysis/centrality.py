"""Executive-role centrality: who holds the seats that connect the landscape.

The bipartite graph is weighted by role: a membership weighs 1, an executive seat
``executive_weight`` (default 3). For each city and each network:

* ``weighted_degree``: the sum of its role weights; ``executive_seats`` (cities) or
  ``executive_members`` (networks);
* ``pagerank``: PageRank on the role-weighted **hyperbolic** one-mode projection (Newman 2001,
  *Phys. Rev. E* 64, 016132): two cities that share a network of ``h`` members are linked with
  weight ``w_i w_j / (h - 1)``, so a giant network, whose members share it with thousands of
  others, links each pair weakly, and a small board strongly. The raw projection ``W W^T``
  (``projection="raw"``) lets giant networks dominate (on the shipped data its PageRank follows
  membership of the Global Covenant of Mayors). Computed by power iteration with sparse
  matrix-vector products, **without forming the projection**:
  ``(W H W^T - D) v = W (H (W^T v)) - D v``;
* ``betweenness``: betweenness centrality on the role-weighted bipartite graph (distance =
  1 / weight); exact up to ``exact_limit`` nodes, otherwise **sampled** over ``k`` sources with
  ``seed``, and the table says so (``betweenness_sources``);
* ``brokerage``: for a city, the participation coefficient of its role-weighted memberships
  across the bipartite modules (:mod:`citynet.analysis.roles`): 0 when everything it does stays
  in one module, towards 1 when its seats and memberships spread over many; for a network, the
  participation coefficient of its members across modules.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import scipy.sparse as sp

from citynet._errors import CitynetError
from citynet._parallel import thread_map
from citynet.analysis.modules import ModuleResult, bipartite_modules
from citynet.analysis.roles import roles
from citynet.landscape import Landscape

__all__ = ["centrality", "hyperbolic_weights", "projection_pagerank", "role_weighted_incidence"]


def role_weighted_incidence(land: Landscape, *, executive_weight: float = 3.0) -> sp.csr_array:
    """Return the city x network matrix with 1 per membership and ``executive_weight`` per seat.

    Examples
    --------
    >>> import citynet
    >>> w = role_weighted_incidence(citynet.load(), executive_weight=2.0)
    >>> float(w.max())
    2.0
    """
    if executive_weight <= 0:
        raise CitynetError("executive_weight must be > 0")
    base = sp.csr_array(land.incidence, dtype=np.float64)
    seats = sp.csr_array(land.executive_incidence, dtype=np.float64)
    return sp.csr_array(base + (executive_weight - 1.0) * seats)


def projection_pagerank(
    weights: sp.csr_array,
    *,
    column_weights: np.ndarray | None = None,
    damping: float = 0.85,
    tol: float = 1e-12,
    max_iter: int = 1000,
) -> np.ndarray:
    """Return PageRank on the projection ``W H W^T`` (no self-loops) of a bipartite matrix.

    ``H`` is the diagonal of ``column_weights`` (default 1: the raw projection; the hyperbolic
    projection uses ``1 / (h - 1)``, see :func:`hyperbolic_weights`). Only matrix-vector products
    with ``W`` and ``W^T`` are used; the projection itself is never built. Rows without
    neighbours (dangling) spread their rank uniformly, as in networkx.

    Examples
    --------
    >>> import numpy as np, scipy.sparse as sp, networkx as nx
    >>> w = sp.csr_array(np.array([[1.0, 0.0], [1.0, 1.0], [0.0, 3.0]]))
    >>> ours = projection_pagerank(w)
    >>> p = (w @ w.T).toarray(); np.fill_diagonal(p, 0)
    >>> ref = nx.pagerank(nx.from_numpy_array(p), tol=1e-10, max_iter=1000)
    >>> bool(np.allclose(ours, [ref[i] for i in range(3)], atol=1e-9))
    True
    """
    w = sp.csr_array(weights, dtype=np.float64)
    wt = sp.csr_array(w.T)
    n = w.shape[0]
    if n == 0:
        return np.zeros(0)
    h = np.ones(w.shape[1]) if column_weights is None else np.asarray(column_weights, dtype=float)
    diag = np.asarray(w.multiply(w) @ h).ravel()
    strength = w @ (h * (wt @ np.ones(n))) - diag
    dangling = strength <= 1e-15
    safe = np.where(dangling, 1.0, strength)
    rank = np.full(n, 1.0 / n)
    for _ in range(max_iter):
        share = np.where(dangling, 0.0, rank / safe)
        spread = w @ (h * (wt @ share)) - diag * share
        new = damping * (spread + rank[dangling].sum() / n) + (1.0 - damping) / n
        if np.abs(new - rank).sum() < n * tol:
            result: np.ndarray = new / new.sum()
            return result
        rank = new
    raise CitynetError(f"PageRank did not converge in {max_iter} iterations")


def hyperbolic_weights(matrix: sp.sparray) -> np.ndarray:
    """Return ``1 / (h - 1)`` per column (``h`` its members), 0 for columns of one member.

    Examples
    --------
    >>> import scipy.sparse as sp
    >>> hyperbolic_weights(sp.csr_array([[1, 1, 1], [1, 0, 1], [0, 0, 1]])).tolist()
    [1.0, 0.0, 0.5]
    """
    binary = sp.csr_array(matrix, dtype=np.float64)
    binary.data[:] = 1.0
    h = np.asarray(binary.sum(axis=0)).ravel()
    with np.errstate(divide="ignore"):
        weights: np.ndarray = np.where(h > 1, 1.0 / (h - 1), 0.0)
    return weights


def centrality(
    land: Landscape,
    *,
    executive_weight: float = 3.0,
    k: int | None = None,
    exact_limit: int = 1000,
    seed: int = 0,
    modules: ModuleResult | None = None,
    betweenness: bool = True,
    projection: str = "hyperbolic",
    year: int | None = None,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Compute executive-role centrality for cities and networks.

    Parameters
    ----------
    executive_weight
        Weight of an executive seat relative to a plain membership (1).
    k, exact_limit, seed
        Betweenness is exact up to ``exact_limit`` nodes; above, it samples ``k`` sources
        (default ``min(200, nodes)``) with ``seed``; ``betweenness_sources`` says how many.
    modules
        Bipartite modules for brokerage (default: :func:`~citynet.bipartite_modules` with
        ``seed``).
    betweenness
        Compute betweenness (the slowest measure); ``False`` leaves the column NaN.
    projection
        ``"hyperbolic"`` (default) or ``"raw"``, for PageRank (module docstring).
    year
        The year of the memberships (default: the landscape's year, or now).

    Returns
    -------
    cities, networks
        DataFrames indexed by id. Cities: ``name``, ``weighted_degree``, ``executive_seats``,
        ``pagerank``, ``betweenness``, ``betweenness_sources`` (``all`` or the sample size),
        ``brokerage``, ``module``. Networks: ``name``, ``weighted_degree``, ``members``,
        ``executive_members``, ``pagerank``, ``betweenness``, ``betweenness_sources``,
        ``brokerage``, ``module``. Sorted by ``pagerank``, highest first.

    Examples
    --------
    >>> import citynet
    >>> cities, networks = centrality(citynet.load(), betweenness=False)
    >>> bool(cities["pagerank"].sum().round(6) == 1)
    True
    """
    if projection not in ("hyperbolic", "raw"):
        raise CitynetError(f"projection must be 'hyperbolic' or 'raw', not {projection!r}")
    land = land.current(year)
    w = role_weighted_incidence(land, executive_weight=executive_weight)
    city_ids = np.asarray(land.city_ids, dtype=object)
    network_ids = np.asarray(land.network_ids, dtype=object)
    seats = sp.csr_array(land.executive_incidence, dtype=np.float64)
    binary = sp.csr_array(land.incidence, dtype=np.float64)
    found = modules or bipartite_modules(land, seed=seed, runs=10)
    city_roles, network_roles = roles(
        land, modules=found, executive_weight=executive_weight, seed=seed
    )

    between: dict[str, float] = {}
    sources = "not computed"
    if betweenness:
        between, sources = _betweenness(
            w, city_ids, network_ids, k=k, exact_limit=exact_limit, seed=seed
        )
    h_cities = hyperbolic_weights(binary) if projection == "hyperbolic" else None
    h_networks = hyperbolic_weights(sp.csr_array(binary.T)) if projection == "hyperbolic" else None
    cities = pd.DataFrame(
        {
            "name": land.cities.loc[list(city_ids), "name"].astype(str).to_numpy(),
            "weighted_degree": np.asarray(w.sum(axis=1)).ravel(),
            "executive_seats": np.asarray(seats.sum(axis=1)).ravel().astype(int),
            "pagerank": projection_pagerank(w, column_weights=h_cities),
            "betweenness": [between.get(f"city:{c}", np.nan) for c in city_ids],
            "betweenness_sources": sources,
            "brokerage": city_roles["brokerage"].reindex(city_ids).fillna(0.0).to_numpy(),
            "module": city_roles["module"].reindex(city_ids).astype("Int64").to_numpy(),
        },
        index=pd.Index(city_ids.astype(str), name="city_id"),
    )
    networks = pd.DataFrame(
        {
            "name": land.networks.loc[list(network_ids), "name"].astype(str).to_numpy(),
            "weighted_degree": np.asarray(w.sum(axis=0)).ravel(),
            "members": np.asarray(binary.sum(axis=0)).ravel().astype(int),
            "executive_members": np.asarray(seats.sum(axis=0)).ravel().astype(int),
            "pagerank": projection_pagerank(sp.csr_array(w.T), column_weights=h_networks),
            "betweenness": [between.get(f"network:{n}", np.nan) for n in network_ids],
            "betweenness_sources": sources,
            "brokerage": network_roles["c"].reindex(network_ids).fillna(0.0).to_numpy(),
            "module": network_roles["module"].reindex(network_ids).to_numpy(),
        },
        index=pd.Index(network_ids.astype(str), name="network_id"),
    )
    cities.attrs["projection"] = networks.attrs["projection"] = projection
    cities.attrs["betweenness_sources"] = networks.attrs["betweenness_sources"] = sources
    return (
        cities.sort_values(["pagerank", "name"], ascending=[False, True]),
        networks.sort_values(["pagerank", "name"], ascending=[False, True]),
    )


def _betweenness(
    w: sp.csr_array,
    city_ids: np.ndarray,
    network_ids: np.ndarray,
    *,
    k: int | None,
    exact_limit: int,
    seed: int,
) -> tuple[dict[str, float], str]:
    """Betweenness on the role-weighted bipartite graph (distance = 1 / weight), and its sources.

    The same quantity as ``networkx.betweenness_centrality(G, k, weight=..., seed=seed,
    normalized=True)`` on the graph with cities then networks as nodes (the same sampled
    sources for the same seed), computed by :func:`_brandes_levels` when the distances are
    whole multiples of a common unit (a seat weight that is a whole number), otherwise by
    networkx.
    """
    import random

    names = [f"city:{c}" for c in city_ids] + [f"network:{n}" for n in network_ids]
    n_nodes = len(names)
    sample = None if n_nodes <= exact_limit and k is None else min(k or 200, n_nodes)
    sources = (
        list(range(n_nodes))
        if sample is None
        else sorted(names.index(v) for v in random.Random(seed).sample(names, sample))
    )
    label = "all" if sample is None else f"sample of {sample}"
    coo = w.tocoo()
    if coo.nnz and np.allclose(coo.data.max() / coo.data, np.round(coo.data.max() / coo.data)):
        lengths = np.round(coo.data.max() / coo.data).astype(np.int64)
        n_c = len(city_ids)
        raw = _brandes_levels(coo.row, coo.col + n_c, lengths, n_nodes, sources)
    else:  # distances with no common unit: networkx's Dijkstra
        import networkx as nx

        graph = nx.Graph()
        graph.add_nodes_from(names)
        graph.add_weighted_edges_from(
            (names[i], names[len(city_ids) + j], 1.0 / float(v))
            for i, j, v in zip(coo.row, coo.col, coo.data, strict=True)
        )
        result: dict[str, float] = nx.betweenness_centrality(
            graph, k=sample, weight="weight", seed=seed, normalized=True
        )
        return result, label
    # networkx's normalisation: endpoints excluded, so N = n - 1 possible (s, t) partners; a
    # sampled source cannot be its own target, so sources and the others are scaled apart
    pairs = n_nodes - 1
    if pairs < 2:
        return dict.fromkeys(names, 0.0), label
    if sample is None:
        scale = np.full(n_nodes, 1.0 / (pairs * (pairs - 1)))
    else:
        count = len(sources)
        scale = np.full(n_nodes, 1.0 / (count * (pairs - 1)))
        scale[sources] = 1.0 / ((count - 1) * (pairs - 1)) if count > 1 else math.nan
    values = raw * scale
    return dict(zip(names, values.tolist(), strict=True)), label


def _brandes_levels(
    rows: np.ndarray,
    cols: np.ndarray,
    lengths: np.ndarray,
    n_nodes: int,
    sources: list[int],
    chunk: int = 64,
) -> np.ndarray:
    """Brandes' betweenness with whole-number edge lengths, many sources at once.

    Distances grow one unit at a time: the nodes first reached at distance ``t`` are those
    reached from the nodes at ``t - L`` through edges of length ``L``, with as many shortest
    paths (sigma) as those predecessors have in sum; dependencies flow back level by level
    (Brandes 2001, *J. Math. Sociol.* 25, 163; in sparse-matrix form as Buluç & Gilbert's
    level-synchronous formulation). Each level is one sparse-dense product per edge length for
    a whole block of sources, so the work is in compiled code. Returns, for every node, the sum
    over the sources of its dependency (the raw, unscaled betweenness).
    """
    total = np.zeros(n_nodes)
    by_length = {}
    for length in np.unique(lengths):
        keep = lengths == length
        a = sp.csr_array(
            (np.ones(int(keep.sum())), (rows[keep], cols[keep])), shape=(n_nodes, n_nodes)
        )
        by_length[int(length)] = sp.csr_array(a + a.T)
    longest = max(by_length)

    def one_block(block: np.ndarray) -> np.ndarray:
        k = len(block)
        columns = np.arange(k)
        # nodes in rows, sources in columns: the sparse products need no transposed copies
        dist = np.full((n_nodes, k), -1, dtype=np.int32)
        sigma = np.zeros((n_nodes, k))
        dist[block, columns] = 0
        sigma[block, columns] = 1.0
        frontier = np.empty((n_nodes, k))
        candidate = np.empty((n_nodes, k))
        t, last = 0, 0
        while t - last <= longest:
            t += 1
            candidate.fill(0.0)
            for length, a in by_length.items():
                if t - length < 0:
                    continue
                np.multiply(sigma, dist == t - length, out=frontier)
                candidate += a @ frontier
            new = (candidate > 0) & (dist < 0)
            if new.any():
                dist[new] = t
                sigma[new] = candidate[new]
                last = t
        delta = np.zeros((n_nodes, k))
        flow = np.empty((n_nodes, k))
        safe = np.where(sigma > 0, sigma, 1.0)
        ratio = np.empty((n_nodes, k))
        for level in range(last, 0, -1):
            here = dist == level
            if not here.any():
                continue
            candidate.fill(0.0)
            np.add(1.0, delta, out=ratio)
            ratio /= safe
            for length, a in by_length.items():
                np.multiply(ratio, dist == level + length, out=flow)
                candidate += a @ flow
            delta[here] = sigma[here] * candidate[here]
        delta[block, columns] = 0.0
        result: np.ndarray = delta.sum(axis=1)
        return result

    # Blocks of sources are independent; numpy and scipy release the GIL in their loops, so
    # threads run them side by side. The blocks and the order of their sum do not depend on
    # the number of threads: the result is the same on any machine.
    blocks = [np.asarray(sources[i : i + chunk]) for i in range(0, len(sources), chunk)]
    parts = thread_map(one_block, blocks)
    for part in parts:
        total += part
    return total
