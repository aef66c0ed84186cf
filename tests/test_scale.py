"""The sparse engine gives the same answers as plain networkx; synthetic data are seeded."""

from __future__ import annotations

import networkx as nx
import numpy as np
import pytest
from networkx.algorithms import bipartite

import citynet
from citynet.analysis.centrality import projection_pagerank, role_weighted_incidence
from citynet.synthetic import synthetic_frames, synthetic_landscape


@pytest.fixture(scope="module")
def land() -> citynet.Landscape:
    return synthetic_landscape(300, 25, 1_200, seed=7)


def nx_graph(land: citynet.Landscape, executive_weight: float = 1.0) -> nx.Graph:
    graph = nx.Graph()
    graph.add_nodes_from(("c:" + c for c in land.city_ids), bipartite=0)
    graph.add_nodes_from(("n:" + n for n in land.network_ids), bipartite=1)
    for row in land.edges.itertuples():
        weight = executive_weight if row.role == "executive" else 1.0
        graph.add_edge("c:" + row.city_id, "n:" + row.network_id, weight=weight)
    return graph


def test_synthetic_is_seeded_sized_and_heavy_tailed() -> None:
    first = synthetic_frames(2_000, 80, 9_000, seed=3)
    second = synthetic_frames(2_000, 80, 9_000, seed=3)
    for name in first:
        assert first[name].equals(second[name])
    memberships = first["memberships"]
    assert len(memberships) == 9_000
    assert not memberships.duplicated(["city_id", "network_id"]).any()
    sizes = memberships["network_id"].value_counts()
    assert sizes.max() > 20 * sizes.median()  # a few giants, many small networks
    share = (memberships["role"] == "executive").mean()
    assert 0.07 < share < 0.13
    assert set(first["networks"]["scope"]) == {"international", "regional", "national"}
    assert (memberships["source_url"] == "https://example.org/synthetic").all()


def test_network_projection_matches_networkx(land: citynet.Landscape) -> None:
    matrix = land.incidence.astype(np.float64)
    ours = (matrix.T @ matrix).toarray()
    graph = nx_graph(land)
    networks = ["n:" + n for n in land.network_ids]
    theirs = bipartite.weighted_projected_graph(graph, networks)
    for i, a in enumerate(networks):
        for j, b in enumerate(networks):
            if i < j:
                expected = theirs[a][b]["weight"] if theirs.has_edge(a, b) else 0
                assert ours[i, j] == expected


def test_city_projection_matches_networkx(land: citynet.Landscape) -> None:
    matrix = land.incidence.astype(np.float64)
    ours = (matrix @ matrix.T).tocoo()
    cities = list(land.city_ids)
    theirs = bipartite.weighted_projected_graph(nx_graph(land), ["c:" + c for c in cities])
    pairs = {
        (cities[i], cities[j]): v
        for i, j, v in zip(ours.row, ours.col, ours.data, strict=True)
        if i < j
    }
    assert len(pairs) == theirs.number_of_edges()
    for (a, b), value in pairs.items():
        assert theirs["c:" + a]["c:" + b]["weight"] == value


def test_new_partners_match_networkx(land: citynet.Landscape) -> None:
    graph = nx_graph(land)
    current = land.current()
    open_pairs = set(zip(current.edges["city_id"], current.edges["network_id"], strict=True))
    graph.remove_edges_from(
        [
            ("c:" + c, "n:" + n)
            for c, n in zip(land.edges["city_id"], land.edges["network_id"], strict=True)
            if (c, n) not in open_pairs
        ]
    )
    rng = np.random.default_rng(1)
    for _ in range(25):
        city = str(land.city_ids[rng.integers(len(land.city_ids))])
        network = str(land.network_ids[rng.integers(len(land.network_ids))])
        report = citynet.join_check(land, city, network)
        partners = {c for n in graph["c:" + city] for c in graph[n]} - {"c:" + city}
        members = set(graph["n:" + network]) - {"c:" + city}
        assert {"c:" + c for c in report.new_partners} == members - partners
        assert {"c:" + c for c in report.shared_partners} == members & partners


def test_pagerank_on_the_implicit_projection_matches_networkx(land: citynet.Landscape) -> None:
    weights = role_weighted_incidence(land, executive_weight=3.0)
    ours = projection_pagerank(weights)
    graph = nx_graph(land, executive_weight=3.0)
    cities = ["c:" + c for c in land.city_ids]

    def product(g: nx.Graph, u: str, v: str) -> float:
        return float(sum(g[u][n]["weight"] * g[v][n]["weight"] for n in set(g[u]) & set(g[v])))

    projection = bipartite.generic_weighted_projected_graph(graph, cities, weight_function=product)
    reference = nx.pagerank(projection, tol=1e-12, max_iter=1000)
    assert np.allclose(ours, [reference[c] for c in cities], atol=1e-9)
