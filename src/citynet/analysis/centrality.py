"""Executive-role centrality: who holds the seats that connect the landscape.

The bipartite graph is weighted by role: a membership weighs 1, an executive seat
``executive_weight`` (default 3). For each city and each network:

* ``weighted_degree``: the sum of its role weights; ``executive_seats`` (cities) or
  ``executive_members`` (networks);
* ``pagerank``: PageRank on the role-weighted one-mode projection ``W W^T`` without self-loops
  (cities) or ``W^T W`` (networks), computed by power iteration with sparse matrix-vector
  products, **without forming the projection**: ``(W W^T - D) v = W (W^T v) - D v``;
* ``betweenness``: betweenness centrality on the role-weighted bipartite graph (distance =
  1 / weight), sampled over ``k`` sources with ``seed`` when the graph has more than
  ``exact_limit`` nodes;
* ``brokerage``: the Guimerà-Amaral participation coefficient ``1 - sum_c (k_c / k)^2``. For a
  city, ``k_c`` counts its executive seats in networks of theme cluster ``c``: a city with seats in
  several clusters is a bridge. For a network, ``k_c`` counts its members' memberships in other
  networks of cluster ``c``.
"""

from __future__ import annotations

import networkx as nx
import numpy as np
import pandas as pd
import scipy.sparse as sp

from citynet._errors import CitynetError
from citynet.analysis.clusters import cluster_networks
from citynet.landscape import Landscape

__all__ = ["centrality", "projection_pagerank", "role_weighted_incidence"]


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
    damping: float = 0.85,
    tol: float = 1e-12,
    max_iter: int = 1000,
) -> np.ndarray:
    """Return PageRank on the projection ``W W^T`` (no self-loops) of a bipartite matrix.

    Only matrix-vector products with ``W`` and ``W^T`` are used; the projection itself is never
    built. Rows without neighbours (dangling) spread their rank uniformly, as in networkx.

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
    diag = np.asarray(w.multiply(w).sum(axis=1)).ravel()
    strength = w @ (wt @ np.ones(n)) - diag
    dangling = strength <= 1e-15
    safe = np.where(dangling, 1.0, strength)
    rank = np.full(n, 1.0 / n)
    for _ in range(max_iter):
        share = np.where(dangling, 0.0, rank / safe)
        spread = w @ (wt @ share) - diag * share
        new = damping * (spread + rank[dangling].sum() / n) + (1.0 - damping) / n
        if np.abs(new - rank).sum() < n * tol:
            result: np.ndarray = new / new.sum()
            return result
        rank = new
    raise CitynetError(f"PageRank did not converge in {max_iter} iterations")


def _participation(counts: sp.csr_array) -> np.ndarray:
    """1 - sum_c (k_c / k)^2 per row; 0 for rows with nothing."""
    totals = np.asarray(counts.sum(axis=1)).ravel()
    squares = np.asarray(counts.multiply(counts).sum(axis=1)).ravel()
    with np.errstate(invalid="ignore", divide="ignore"):
        value = 1.0 - squares / totals**2
    return np.where(totals > 0, value, 0.0)


def centrality(
    land: Landscape,
    *,
    executive_weight: float = 3.0,
    k: int | None = None,
    exact_limit: int = 1000,
    seed: int = 0,
    clusters: pd.Series | None = None,
    betweenness: bool = True,
    year: int | None = None,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Compute executive-role centrality for cities and networks.

    Parameters
    ----------
    executive_weight
        Weight of an executive seat relative to a plain membership (1).
    k, exact_limit, seed
        Betweenness is exact up to ``exact_limit`` nodes; above, it samples ``k`` sources
        (default ``min(200, nodes)``) with ``seed``.
    clusters
        Theme cluster of each network (``network_id -> cluster``); default: the clusters of
        :func:`~citynet.analysis.clusters.cluster_networks` with ``seed``.
    betweenness
        Compute betweenness (the slowest measure); ``False`` leaves the column NaN.

    Returns
    -------
    cities, networks
        DataFrames indexed by id. Cities: ``name``, ``weighted_degree``, ``executive_seats``,
        ``pagerank``, ``betweenness``, ``brokerage``, ``clusters_with_seats``. Networks: ``name``,
        ``weighted_degree``, ``members``, ``executive_members``, ``pagerank``, ``betweenness``,
        ``brokerage``, ``cluster``. Sorted by ``pagerank``, highest first.

    Examples
    --------
    >>> import citynet
    >>> cities, networks = centrality(citynet.load())
    >>> bool(cities["pagerank"].sum().round(6) == 1)
    True
    """
    land = land.current(year)
    w = role_weighted_incidence(land, executive_weight=executive_weight)
    city_ids = np.asarray(land.city_ids, dtype=object)
    network_ids = np.asarray(land.network_ids, dtype=object)
    seats = sp.csr_array(land.executive_incidence, dtype=np.float64)

    if clusters is None:
        clusters = cluster_networks(land, seed=seed, n_seeds=0).assignments["cluster"]
    cluster_of = clusters.reindex(network_ids)
    if cluster_of.isna().any():
        raise CitynetError("clusters must give a cluster for every network")
    codes = pd.factorize(cluster_of)[0]
    to_cluster = sp.csr_array(
        (np.ones(len(codes)), (np.arange(len(codes)), codes)),
        shape=(len(codes), codes.max() + 1 if len(codes) else 0),
    )

    between = (
        _betweenness(w, city_ids, network_ids, k=k, exact_limit=exact_limit, seed=seed)
        if betweenness
        else {}
    )

    city_seats_by_cluster = sp.csr_array(seats @ to_cluster)
    cities = pd.DataFrame(
        {
            "name": land.cities.loc[list(city_ids), "name"].astype(str).to_numpy(),
            "weighted_degree": np.asarray(w.sum(axis=1)).ravel(),
            "executive_seats": np.asarray(seats.sum(axis=1)).ravel().astype(int),
            "pagerank": projection_pagerank(w),
            "betweenness": [between.get(f"city:{c}", np.nan) for c in city_ids],
            "brokerage": _participation(city_seats_by_cluster),
            "clusters_with_seats": np.diff(city_seats_by_cluster.indptr),
        },
        index=pd.Index(city_ids.astype(str), name="city_id"),
    )

    binary = sp.csr_array(land.incidence, dtype=np.float64)
    co = sp.csr_array(binary.T @ binary)  # networks x networks co-membership
    co.setdiag(0)
    co.eliminate_zeros()
    networks = pd.DataFrame(
        {
            "name": land.networks.loc[list(network_ids), "name"].astype(str).to_numpy(),
            "weighted_degree": np.asarray(w.sum(axis=0)).ravel(),
            "members": np.asarray(binary.sum(axis=0)).ravel().astype(int),
            "executive_members": np.asarray(seats.sum(axis=0)).ravel().astype(int),
            "pagerank": projection_pagerank(sp.csr_array(w.T)),
            "betweenness": [between.get(f"network:{n}", np.nan) for n in network_ids],
            "brokerage": _participation(sp.csr_array(co @ to_cluster)),
            "cluster": cluster_of.to_numpy(),
        },
        index=pd.Index(network_ids.astype(str), name="network_id"),
    )
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
) -> dict[str, float]:
    """Betweenness on the role-weighted bipartite graph (distance = 1 / weight)."""
    graph = nx.Graph()
    graph.add_nodes_from(f"city:{c}" for c in city_ids)
    graph.add_nodes_from(f"network:{n}" for n in network_ids)
    coo = w.tocoo()
    graph.add_weighted_edges_from(
        (f"city:{city_ids[i]}", f"network:{network_ids[j]}", 1.0 / float(v))
        for i, j, v in zip(coo.row, coo.col, coo.data, strict=True)
    )
    n_nodes = graph.number_of_nodes()
    sample = None if n_nodes <= exact_limit and k is None else min(k or 200, n_nodes)
    result: dict[str, float] = nx.betweenness_centrality(
        graph, k=sample, weight="weight", seed=seed, normalized=True
    )
    return result
