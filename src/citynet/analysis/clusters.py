"""Clusters of networks (and of cities) with Louvain, reproducibly and with their stability.

Networks are linked by a similarity of whom they gather and, if asked, of what they say they are
about:

``similarity(a, b) = member_weight x J(members_a, members_b)
+ theme_weight x J(themes_a, themes_b)``

where ``J`` is the Jaccard index (shared / union). By default ``member_weight = 1`` and
``theme_weight = 0``: clusters come from the memberships (the data), and themes only label them.
Theme annotations are coarse (most national associations carry one theme), so a theme weight
makes the clusters mirror the annotation: on the shipped data, theme weight alone splits the
networks 33/20 into "national associations tagged governance" and the rest. Jaccard on members,
unlike raw co-membership, does not let a giant network look similar to everything. For
communities of cities and networks together, see :mod:`citynet.analysis.modules`. Pairs below
``min_similarity`` and zero-weight pairs are dropped (python-louvain divides by edge weights).
The graph is built in sorted node order so that a given ``seed`` always gives the same
partition, and the partition is compared across ``n_seeds`` seeds by the adjusted Rand index
(ARI) so that a user sees whether the clusters are robust. Clusters are labelled by their most
frequent themes, or, in a landscape without themes, by their largest networks.

Cities are clustered by their theme portfolio: the share of their networks covering each theme,
linked to their ``neighbours`` most similar cities (cosine similarity). Without themes, or when
every city ends up alone, there is nothing to cluster and the functions say so (an error), rather
than return clusters that only look like a result.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd
import scipy.sparse as sp

from citynet._errors import CitynetError
from citynet.landscape import Landscape
from citynet.schema import THEMES

if TYPE_CHECKING:  # networkx and python-louvain are imported by the functions that cluster
    import networkx as nx

__all__ = [
    "ClusterResult",
    "adjusted_rand_index",
    "cluster_cities",
    "cluster_networks",
    "network_similarity",
    "theme_matrix",
]


def theme_matrix(land: Landscape) -> sp.csr_array:
    """Return the binary networks x themes matrix (rows: ``land.network_ids``; columns: THEMES).

    Examples
    --------
    >>> import citynet
    >>> theme_matrix(citynet.load()).shape[1]
    17
    """
    position = {t: i for i, t in enumerate(THEMES)}
    rows, cols = [], []
    for r, network_id in enumerate(land.network_ids):
        for theme in land.network_themes[str(network_id)]:
            rows.append(r)
            cols.append(position[theme])
    return sp.csr_array(
        (np.ones(len(rows)), (rows, cols)), shape=(len(land.network_ids), len(THEMES))
    )


def _jaccard(matrix: sp.csr_array) -> sp.coo_array:
    """Jaccard index between the rows of a binary matrix, for pairs sharing something."""
    binary = sp.csr_array(matrix, dtype=np.float64)
    binary.data[:] = 1.0
    shared = sp.triu(binary @ binary.T, k=1).tocoo()
    sizes = np.asarray(binary.sum(axis=1)).ravel()
    union = sizes[shared.row] + sizes[shared.col] - shared.data
    return sp.coo_array((shared.data / union, (shared.row, shared.col)), shape=shared.shape)


def network_similarity(
    land: Landscape,
    *,
    theme_weight: float = 0.0,
    member_weight: float = 1.0,
    min_similarity: float = 0.0,
) -> pd.DataFrame:
    """Return the network-network similarity edges used for clustering.

    Returns
    -------
    pandas.DataFrame
        ``source``, ``target`` (sorted ids, source < target), ``theme_jaccard``,
        ``member_jaccard`` and ``weight`` (the combination), for pairs with weight above
        ``min_similarity`` (and above 0).

    Examples
    --------
    >>> import citynet
    >>> edges = network_similarity(citynet.load())
    >>> bool((edges["weight"] > 0).all())
    True
    """
    if theme_weight < 0 or member_weight < 0 or theme_weight + member_weight == 0:
        raise CitynetError("theme_weight and member_weight must be >= 0, not both 0")
    ids = np.asarray(land.network_ids, dtype=object)
    themes = _jaccard(theme_matrix(land)).tocsr()
    members = _jaccard(sp.csr_array(land.incidence.T)).tocsr()
    pairs = (themes + members).tocoo()  # union of the pairs with any overlap
    if pairs.nnz == 0:  # no two networks share a member or a theme
        t = m = np.zeros(0, dtype=np.float64)
    else:
        t = np.asarray(themes[pairs.row, pairs.col]).ravel()
        m = np.asarray(members[pairs.row, pairs.col]).ravel()
    weight = theme_weight * t + member_weight * m
    keep = (weight > 0) & (weight > min_similarity)
    table = pd.DataFrame(
        {
            "source": ids[pairs.row[keep]].astype(str),
            "target": ids[pairs.col[keep]].astype(str),
            "theme_jaccard": t[keep],
            "member_jaccard": m[keep],
            "weight": weight[keep],
        }
    )
    return table.sort_values(["source", "target"]).reset_index(drop=True)


def adjusted_rand_index(first: dict[str, int], second: dict[str, int]) -> float:
    """Return the adjusted Rand index of two partitions of the same nodes (1 = identical).

    Examples
    --------
    >>> adjusted_rand_index({"a": 0, "b": 0, "c": 1}, {"a": 5, "b": 5, "c": 7})
    1.0
    """
    nodes = sorted(first)
    a = pd.factorize(pd.Series([first[n] for n in nodes]))[0]
    b = pd.factorize(pd.Series([second[n] for n in nodes]))[0]
    table = sp.coo_array((np.ones(len(nodes)), (a, b))).toarray()

    def pairs(x: np.ndarray) -> float:
        return float((x * (x - 1) / 2).sum())

    index = pairs(table)
    rows, cols = pairs(table.sum(axis=1)), pairs(table.sum(axis=0))
    total = len(nodes) * (len(nodes) - 1) / 2
    expected = rows * cols / total if total else 0.0
    maximum = (rows + cols) / 2
    if maximum == expected:
        return 1.0
    return float((index - expected) / (maximum - expected))


@dataclass(frozen=True)
class ClusterResult:
    """Clusters of one side of the landscape.

    Attributes
    ----------
    assignments
        Indexed by node id: ``cluster`` (0 = largest) and ``label`` (dominant themes).
    clusters
        Indexed by ``cluster``: ``label``, ``size``, ``themes`` (theme counts, most frequent
        first) and ``members`` (ids, ``;``-separated).
    modularity
        Modularity of the partition on the similarity graph.
    stability
        Mean adjusted Rand index between the partition and those of ``n_seeds`` other seeds
        (NaN when ``n_seeds`` is 0).
    seed
        The seed of the reported partition.
    """

    assignments: pd.DataFrame
    clusters: pd.DataFrame
    modularity: float
    stability: float
    seed: int


def _louvain(graph: nx.Graph, seed: int, resolution: float) -> dict[str, int]:
    from community import community_louvain

    partition: dict[str, int] = community_louvain.best_partition(
        graph, weight="weight", random_state=seed, resolution=resolution
    )
    return partition


def _relabel(partition: dict[str, int]) -> dict[str, int]:
    """Renumber clusters by size (largest first), ties by their smallest member id."""
    groups: dict[int, list[str]] = {}
    for node, cluster in partition.items():
        groups.setdefault(cluster, []).append(node)
    order = sorted(groups.values(), key=lambda g: (-len(g), min(g)))
    return {node: i for i, group in enumerate(order) for node in group}


def _graph(nodes: list[str], edges: pd.DataFrame) -> nx.Graph:
    import networkx as nx

    graph = nx.Graph()
    graph.add_nodes_from(sorted(nodes))
    rows = edges.sort_values(["source", "target"])
    graph.add_weighted_edges_from(
        zip(rows["source"], rows["target"], rows["weight"].astype(float), strict=True)
    )
    return graph


def _cluster(
    graph: nx.Graph,
    themes_of: dict[str, list[str]],
    *,
    seed: int,
    n_seeds: int,
    resolution: float,
    names: dict[str, str] | None = None,
) -> ClusterResult:
    """Louvain on ``graph``; clusters labelled by themes, else by ``names`` (largest first)."""
    if graph.number_of_edges() == 0:
        partition = {node: i for i, node in enumerate(sorted(graph.nodes))}
        modularity = 0.0
    else:
        partition = _relabel(_louvain(graph, seed, resolution))
        from community import community_louvain

        modularity = float(community_louvain.modularity(partition, graph, weight="weight"))
    others = list(range(seed + 1, seed + 1 + n_seeds))
    scores = [
        adjusted_rand_index(partition, _louvain(graph, s, resolution))
        for s in others
        if graph.number_of_edges()
    ]
    if scores:
        stability = float(np.mean(scores))
    else:  # nothing to compare: an edgeless graph is deterministic; n_seeds=0 measures nothing
        stability = 1.0 if graph.number_of_edges() == 0 else float("nan")
    assignments = pd.DataFrame({"cluster": pd.Series(partition)}).sort_index()
    rows = []
    for cluster, members in assignments.groupby("cluster"):
        counts = pd.Series([t for n in members.index for t in themes_of[str(n)]], dtype=object)
        freq = counts.value_counts()
        freq = freq.sort_index().sort_values(ascending=False, kind="stable")
        if len(freq):
            label = " + ".join(freq.index[:2])
        elif names:
            ordered = [names[str(n)] for n in names if str(n) in set(map(str, members.index))]
            label = ", ".join(ordered[:2]) + (
                f" and {len(ordered) - 2} more" if len(ordered) > 2 else ""
            )
        else:
            label = "(no themes)"
        rows.append(
            {
                "cluster": cluster,
                "label": label,
                "size": len(members),
                "themes": "; ".join(f"{t} ({c})" for t, c in freq.items()),
                "members": ";".join(sorted(map(str, members.index))),
            }
        )
    clusters = pd.DataFrame(rows).set_index("cluster")
    assignments["label"] = assignments["cluster"].map(clusters["label"])
    assignments.index.name = "id"
    return ClusterResult(
        assignments=assignments,
        clusters=clusters,
        modularity=modularity,
        stability=stability,
        seed=seed,
    )


def cluster_networks(
    land: Landscape,
    *,
    theme_weight: float = 0.0,
    member_weight: float = 1.0,
    min_similarity: float = 0.0,
    neighbours: int | None = None,
    resolution: float = 1.0,
    seed: int = 0,
    n_seeds: int = 20,
    year: int | None = None,
) -> ClusterResult:
    """Cluster networks by shared themes and shared members (Louvain).

    Parameters
    ----------
    theme_weight, member_weight
        Weights of theme and member Jaccard similarity (default: members only).
    min_similarity
        Drop pairs at or below this similarity (sparsifies large landscapes).
    neighbours
        Keep only each network's ``neighbours`` most similar networks (a pair stays if either
        side keeps it). Large landscapes make the similarity graph nearly complete; Louvain on a
        k-nearest-neighbour graph finds the same structure in a fraction of the time.
    resolution
        Louvain resolution (higher: more, smaller clusters).
    seed
        Seed of the reported partition; the same seed gives the same partition.
    n_seeds
        Other seeds to measure stability against.

    Returns
    -------
    ClusterResult

    Examples
    --------
    >>> import citynet
    >>> result = cluster_networks(citynet.load(), seed=1)
    >>> sorted(result.assignments.columns)
    ['cluster', 'label']
    """
    land = land.current(year)
    if theme_weight > 0 and member_weight == 0 and not any(land.network_themes.values()):
        raise CitynetError(
            "no network has a theme: theme similarity is not defined (cluster on members, "
            "or use citynet modules)"
        )
    edges = network_similarity(
        land, theme_weight=theme_weight, member_weight=member_weight, min_similarity=min_similarity
    )
    if neighbours is not None:
        if neighbours < 1:
            raise CitynetError(f"neighbours must be 1 or more, not {neighbours}")
        edges = _nearest(edges, neighbours)
    members = land.edges["network_id"].value_counts()
    nodes = [str(n) for n in land.network_ids if members.get(n, 0) > 0]
    if len(nodes) < 2:
        raise CitynetError(f"fewer than two networks have members in {land.year}: no clusters")
    edges = edges[edges["source"].isin(nodes) & edges["target"].isin(nodes)]
    if edges.empty:
        raise CitynetError(
            f"no two networks share a member{' or a theme' if theme_weight else ''} in "
            f"{land.year}: every network would be its own cluster"
        )
    themes_of = {n: sorted(land.network_themes[n]) for n in nodes}
    acronyms = land.networks["acronym"].reindex(nodes)
    short = land.networks["name"].reindex(nodes).astype(str).where(acronyms.isna(), acronyms)
    by_size = sorted(nodes, key=lambda n: (-int(members.get(n, 0)), n))
    result = _cluster(
        _graph(nodes, edges),
        themes_of,
        seed=seed,
        n_seeds=n_seeds,
        resolution=resolution,
        names={n: str(short[n]) for n in by_size},
    )
    result.clusters.attrs["similarity"] = (
        f"{member_weight:g} x member Jaccard + {theme_weight:g} x theme Jaccard"
        + (f", each network's {neighbours} nearest" if neighbours else "")
        + (f", pairs above {min_similarity:g}" if min_similarity else "")
    )
    return result


def _nearest(edges: pd.DataFrame, k: int) -> pd.DataFrame:
    """Keep each node's ``k`` most similar pairs (a pair stays if either side keeps it)."""
    both = pd.concat(
        [
            edges.assign(node=edges["source"]),
            edges.assign(node=edges["target"]),
        ]
    )
    ranked = both.sort_values(
        ["node", "weight", "source", "target"], ascending=[True, False, True, True]
    )
    kept = ranked.groupby("node").head(k)
    return (
        kept.drop(columns="node")
        .drop_duplicates(["source", "target"])
        .sort_values(["source", "target"])
        .reset_index(drop=True)
    )


def cluster_cities(
    land: Landscape,
    *,
    neighbours: int = 10,
    min_similarity: float = 0.5,
    resolution: float = 1.0,
    seed: int = 0,
    n_seeds: int = 20,
    year: int | None = None,
) -> ClusterResult:
    """Cluster cities by their theme portfolio (Louvain on a nearest-neighbour graph).

    A city's portfolio is, for each theme, the share of its networks covering it. Each city is
    linked to its ``neighbours`` most similar cities by cosine similarity above
    ``min_similarity``; the matrix of all city pairs is never formed.

    Examples
    --------
    >>> import citynet
    >>> result = cluster_cities(citynet.load(), n_seeds=2)
    >>> len(result.assignments) == len(citynet.load().cities)
    True
    """
    land = land.current(year)
    if not any(land.network_themes.values()):
        raise CitynetError(
            "no network has a theme: cities cannot be clustered by theme portfolio (use "
            "citynet modules for communities of cities and networks)"
        )
    portfolio = (land.incidence.astype(np.float64) @ theme_matrix(land)).toarray()
    counts = np.asarray(land.incidence.sum(axis=1), dtype=float).ravel()
    with np.errstate(invalid="ignore", divide="ignore"):
        shares = np.where(counts[:, None] > 0, portfolio / counts[:, None], 0.0)
    norms = np.linalg.norm(shares, axis=1)
    unit = np.divide(shares, norms[:, None], out=np.zeros_like(shares), where=norms[:, None] > 0)
    ids = [str(c) for c in land.city_ids]
    sources, targets, weights = [], [], []
    for start in range(0, len(ids), 1024):
        block = unit[start : start + 1024] @ unit.T
        for offset, row in enumerate(block):
            i = start + offset
            row[i] = -1.0
            top = np.argpartition(-row, min(neighbours, len(row) - 1))[:neighbours]
            for j in top:
                if row[j] > min_similarity:
                    a, b = (i, j) if i < j else (j, i)
                    sources.append(ids[a])
                    targets.append(ids[b])
                    weights.append(float(row[j]))
    edges = pd.DataFrame({"source": sources, "target": targets, "weight": weights})
    edges = edges.drop_duplicates(["source", "target"])
    names = list(THEMES)
    themes_of = {
        ids[i]: [names[t] for t in np.flatnonzero(portfolio[i] > 0)] for i in range(len(ids))
    }
    result = _cluster(
        _graph(ids, edges), themes_of, seed=seed, n_seeds=n_seeds, resolution=resolution
    )
    result.clusters.attrs["similarity"] = (
        f"cosine similarity of theme portfolios, each city's {neighbours} nearest above "
        f"{min_similarity:g}"
    )
    if (result.clusters["size"] == 1).all():
        raise CitynetError(
            "every city is alone in its cluster: no two theme portfolios are similar enough "
            f"(min_similarity {min_similarity:g}); nothing to report"
        )
    return result
