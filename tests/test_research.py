"""Analyses for researchers: known answers, cross-checks against reference implementations."""

from __future__ import annotations

import io
import json
import warnings
from contextlib import redirect_stderr

import networkx as nx
import numpy as np
import pandas as pd
import pytest

import citynet
from citynet import Landscape
from citynet.analysis.bicm import (
    ProjectionTooLargeError,
    fit_bicm,
    poisson_binomial_sf,
    validated_projection,
)
from citynet.analysis.centrality import centrality, projection_pagerank
from citynet.analysis.clusters import adjusted_rand_index, cluster_cities, cluster_networks
from citynet.analysis.nestedness import nestedness, nodf
from tests.matrices import landscape_from_matrix


def block_landscape() -> Landscape:
    """Three blocks of 8 cities x 3 networks, each block with its own theme."""
    matrix = np.zeros((24, 9), dtype=int)
    for block in range(3):
        matrix[block * 8 : block * 8 + 8, block * 3 : block * 3 + 3] = 1
    themes = ["culture"] * 3 + ["climate_change"] * 3 + ["peace_building"] * 3
    return landscape_from_matrix(matrix, themes)


# -- clusters -------------------------------------------------------------------------------
def test_block_diagonal_gives_one_cluster_per_block() -> None:
    result = cluster_networks(block_landscape(), seed=3, n_seeds=5)
    clusters = result.assignments["cluster"]
    assert clusters.nunique() == 3
    for block in range(3):
        members = [f"n{j:02d}" for j in range(block * 3, block * 3 + 3)]
        assert clusters[members].nunique() == 1
    assert set(result.clusters["label"]) == {"culture", "climate_change", "peace_building"}
    assert result.stability == pytest.approx(1.0)
    assert result.modularity > 0.6


def test_city_clusters_follow_blocks() -> None:
    result = cluster_cities(block_landscape(), neighbours=5, n_seeds=3)
    clusters = result.assignments["cluster"]
    assert clusters.nunique() == 3
    assert clusters[[f"c{i:03d}" for i in range(8)]].nunique() == 1


def test_same_seed_same_partition() -> None:
    land = citynet.load()
    first = cluster_networks(land, seed=7, n_seeds=2)
    second = cluster_networks(land, seed=7, n_seeds=2)
    assert first.assignments.equals(second.assignments)
    assert first.modularity == second.modularity
    assert first.stability == second.stability


def test_adjusted_rand_index() -> None:
    assert (
        adjusted_rand_index({"a": 0, "b": 0, "c": 1, "d": 1}, {"a": 1, "b": 1, "c": 0, "d": 0})
        == 1.0
    )
    value = adjusted_rand_index({"a": 0, "b": 0, "c": 1, "d": 1}, {"a": 0, "b": 1, "c": 0, "d": 1})
    assert value < 0  # worse than chance


# -- centrality -------------------------------------------------------------------------------
def test_executive_seat_raises_centrality() -> None:
    """c000 and c001 have identical memberships; only c000 holds a seat."""
    matrix = np.zeros((6, 3), dtype=int)
    matrix[[0, 1], 0] = 1
    matrix[[0, 1], 1] = 1
    matrix[2:, 0] = 1
    matrix[2:4, 2] = 1
    land = landscape_from_matrix(matrix, executive={(0, 0)})
    cities, _ = centrality(land, executive_weight=3.0)
    assert cities.at["c000", "pagerank"] > cities.at["c001", "pagerank"]
    assert cities.at["c000", "weighted_degree"] > cities.at["c001", "weighted_degree"]
    assert cities.at["c000", "betweenness"] >= cities.at["c001", "betweenness"]
    assert cities.at["c000", "executive_seats"] == 1


def test_pagerank_without_projection_matches_networkx() -> None:
    land = citynet.load()
    from citynet.analysis.centrality import role_weighted_incidence

    w = role_weighted_incidence(land)
    ours = projection_pagerank(w.T)  # networks: a small projection we can build to check
    p = (w.T @ w).toarray()
    np.fill_diagonal(p, 0)
    ref = nx.pagerank(nx.from_numpy_array(p), tol=1e-12, max_iter=1000)
    assert np.allclose(ours, [ref[i] for i in range(len(ref))], atol=1e-8)


def test_brokerage_is_the_participation_of_role_weighted_memberships_across_modules() -> None:
    land = block_landscape()
    facts = land.memberships
    facts.loc[
        facts.index[(facts["city_id"] == "c000") & (facts["network_id"] == "n00")], "role"
    ] = "executive"
    extra = pd.DataFrame(
        {
            "city_id": ["c000"],
            "network_id": ["n03"],
            "role": ["executive"],
            "source_url": ["https://example.org/x"],
        }
    )
    land2 = Landscape.from_frames(land.cities, land.networks, pd.concat([facts, extra]))
    cities, networks = centrality(land2)
    # c000 weighs 3 + 1 + 1 in its own block's module and 3 in the next one's:
    # participation 1 - (5/8)^2 - (3/8)^2 = 30/64
    assert cities.at["c000", "brokerage"] == pytest.approx(30 / 64)
    assert cities.at["c001", "brokerage"] == 0.0
    assert cities.at["c000", "module"] == cities.at["c001", "module"]
    assert set(networks.columns) >= {"pagerank", "betweenness", "brokerage", "module"}


# -- BiCM -------------------------------------------------------------------------------------
def test_bicm_reproduces_degrees_with_zero_and_full_rows() -> None:
    rng = np.random.default_rng(4)
    matrix = (rng.random((40, 12)) < 0.3).astype(int)
    matrix[0] = 0
    matrix[1] = 1
    model = fit_bicm(matrix)
    p = model.probabilities()
    assert np.allclose(p.sum(axis=1), matrix.sum(axis=1), atol=1e-8)
    assert np.allclose(p.sum(axis=0), matrix.sum(axis=0), atol=1e-8)
    assert (p[0] == 0).all()
    assert (p[1] == 1).all()


def test_poisson_binomial_exact() -> None:
    probs = np.array([[0.2, 0.5, 0.9], [0.2, 0.5, 0.9]])
    # P(V >= 2) and P(V >= 3) by enumeration
    p_all = 0.2 * 0.5 * 0.9
    exactly_two = 0.2 * 0.5 * 0.1 + 0.2 * 0.5 * 0.9 + 0.8 * 0.5 * 0.9
    p_two = exactly_two + p_all
    assert poisson_binomial_sf(probs, np.array([3, 2])) == pytest.approx([p_all, p_two])


def test_bicm_agrees_with_the_bicm_package_on_the_shipped_data() -> None:
    from bicm import BipartiteGraph

    land = citynet.load()
    graph = BipartiteGraph(biadjacency=land.incidence.toarray())
    with redirect_stderr(io.StringIO()), warnings.catch_warnings():
        warnings.simplefilter("ignore")
        graph.solve_tool()
    theirs = graph.get_bicm_matrix()
    ours = fit_bicm(land.incidence).probabilities()
    assert np.abs(theirs - ours).max() < 1e-8


def test_validated_links_agree_with_the_bicm_package() -> None:
    """Exact (poibin) p-values and validated links on a seeded synthetic matrix."""
    from bicm import BipartiteGraph

    rng = np.random.default_rng(11)
    matrix = (rng.random((150, 16)) < 0.1).astype(int)
    for k in range(3):  # planted: three pairs of networks, each sharing 20 cities
        rows = slice(k * 20, k * 20 + 20)
        matrix[rows] = 0
        matrix[rows, 2 * k : 2 * k + 2] = 1
    land = landscape_from_matrix(matrix)
    graph = BipartiteGraph(biadjacency=matrix.T)  # networks as rows
    with redirect_stderr(io.StringIO()), warnings.catch_warnings():
        warnings.simplefilter("ignore")
        graph.solve_tool()
        # bicm 3.4 computes exact p-values single-threaded only with its progress bar on
        projected = graph.get_rows_projection(
            alpha=0.05, method="poibin", threads_num=1, progress_bar=True
        )
    ids = list(land.network_ids)
    theirs = {tuple(sorted((ids[a], ids[b]))) for a, nbrs in projected.items() for b in nbrs}
    table = validated_projection(land, side="networks", alpha=0.05)
    ours = set(
        zip(
            table.loc[table["validated"], "source"],
            table.loc[table["validated"], "target"],
            strict=True,
        )
    )
    assert ours == theirs == {("n00", "n01"), ("n02", "n03"), ("n04", "n05")}
    pvals = graph.rows_pvals
    for row in table.itertuples():
        a, b = ids.index(row.source), ids.index(row.target)
        reference = pvals.get(a, {}).get(b, pvals.get(b, {}).get(a))
        assert reference == pytest.approx(row.pvalue, abs=1e-9)


def test_city_projection_refused_when_too_large() -> None:
    land = citynet.load()
    with pytest.raises(ProjectionTooLargeError, match="use side='networks', restrict it with"):
        validated_projection(land, side="cities", max_memory=1e6)
    small = validated_projection(
        land, side="cities", cities=["paris", "london", "tokyo", "new-york", "berlin"]
    )
    assert set(small["source"]) | set(small["target"]) <= {
        "paris",
        "london",
        "tokyo",
        "new-york",
        "berlin",
    }


def test_projection_counts_match_raw_co_membership() -> None:
    land = citynet.load()
    table = validated_projection(land, side="networks").set_index(["source", "target"])
    edges = land.current().edges
    members = edges.groupby("network_id")["city_id"].apply(set)
    assert table.at[("c40", "iclei"), "observed"] == len(members["c40"] & members["iclei"])
    assert (
        (table["qvalue"] >= table["pvalue"]) | np.isclose(table["qvalue"], table["pvalue"])
    ).all()


# -- nestedness -------------------------------------------------------------------------------
def test_perfectly_nested_is_100_and_checkerboard_near_0() -> None:
    nested = np.tril(np.ones((8, 8), dtype=int))  # distinct degrees, each row inside the next
    assert nodf(nested)[0] == pytest.approx(100.0)
    checker = np.indices((10, 10)).sum(axis=0) % 2
    assert nodf(checker)[0] == pytest.approx(0.0)


def test_nodf_matches_a_direct_count() -> None:
    rng = np.random.default_rng(2)
    matrix = (rng.random((25, 9)) < 0.35).astype(int)

    def part(a: np.ndarray) -> tuple[float, int]:
        deg = a.sum(axis=1)
        total, pairs = 0.0, 0
        for i in range(len(a)):
            for j in range(i + 1, len(a)):
                pairs += 1
                if deg[i] != deg[j] and min(deg[i], deg[j]) > 0:
                    big, small = (i, j) if deg[i] > deg[j] else (j, i)
                    total += 100 * (a[big] * a[small]).sum() / deg[small]
        return total, pairs

    (r, nr), (c, nc) = part(matrix), part(matrix.T)
    assert nodf(matrix)[0] == pytest.approx((r + c) / (nr + nc))


def test_nestedness_null_is_seeded() -> None:
    matrix = (np.random.default_rng(4).random((20, 8)) < 0.4).astype(int)
    land = landscape_from_matrix(matrix)
    first = nestedness(land, samples=20, seed=5)
    assert first == nestedness(land, samples=20, seed=5)
    assert first.null_sd > 0
    assert 0 < first.pvalue <= 1
    assert first != nestedness(land, samples=20, seed=6)


# -- the commands on the shipped data -----------------------------------------------------------
@pytest.mark.parametrize(
    "args",
    [
        ["clusters", "--seeds", "3"],
        ["clusters", "--side", "cities", "--seeds", "2", "--format", "csv"],
        ["centrality", "--format", "json"],
        ["centrality", "--side", "networks", "--as-of", "2016"],
        ["projection", "--alpha", "0.05"],
        ["projection", "--format", "csv", "--all"],
        ["nestedness", "--samples", "10", "--format", "json"],
    ],
)
def test_research_commands_on_shipped_data(
    capsys: pytest.CaptureFixture[str], args: list[str]
) -> None:
    from citynet.cli import main

    assert main(args) == 0
    out, err = capsys.readouterr()
    assert err == ""
    assert out.strip()
    if "json" in args:
        json.loads(out)


def test_bicm_reproduces_degrees_on_many_small_matrices() -> None:
    """Degenerate ones included: rows linked only to full columns, empty networks, ..."""
    rng = np.random.default_rng(3)
    for _ in range(300):
        shape = (int(rng.integers(1, 12)), int(rng.integers(1, 8)))
        matrix = (rng.random(shape) < rng.random()).astype(int)
        model = fit_bicm(matrix)
        p = model.probabilities()
        assert ((p >= 0) & (p <= 1)).all()
        assert np.allclose(p.sum(axis=1), matrix.sum(axis=1), atol=1e-6), matrix
        assert np.allclose(p.sum(axis=0), matrix.sum(axis=0), atol=1e-6), matrix
