"""Bipartite modules and c/z roles: answers computed by hand and by exhaustive search."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
import scipy.sparse as sp

import citynet
from citynet import CitynetError
from citynet.analysis.modules import (
    _best_labels,
    _greedy_matching,
    barber_modularity,
    bipartite_modules,
    lpawb_plus,
)
from citynet.analysis.roles import czvalues, roles
from tests.matrices import block_matrix, landscape_from_matrix

# Six cities and four networks in two modules: c001 and c004 each reach into the other module.
#            n00 n01 n02 n03
TWO_MODULES = np.array(
    [
        [1, 1, 0, 0],  # c000
        [1, 1, 1, 0],  # c001
        [1, 0, 0, 0],  # c002
        [0, 0, 1, 1],  # c003
        [0, 1, 1, 1],  # c004
        [0, 0, 0, 1],  # c005
    ]
)


def _all_partitions(n: int) -> np.ndarray:
    """Every partition of ``n`` labelled nodes, as restricted growth strings (one per row)."""
    out = [[0]]
    for _ in range(n - 1):
        out = [[*p, v] for p in out for v in range(max(p) + 2)]
    return np.array(out)


def _exhaustive_q(a: np.ndarray) -> float:
    """The highest Barber modularity over every partition of rows and columns together."""
    n_rows, n_cols = a.shape
    labels = _all_partitions(n_rows + n_cols)
    m, k, d = a.sum(), a.sum(axis=1), a.sum(axis=0)
    g, h = labels[:, :n_rows], labels[:, n_rows:]
    inside = ((g[:, :, None] == h[:, None, :]) * a[None]).sum(axis=(1, 2))
    n_labels = n_rows + n_cols
    big_k = np.zeros((len(labels), n_labels))
    big_d = np.zeros((len(labels), n_labels))
    rows = np.arange(len(labels))[:, None]
    np.add.at(big_k, (rows, g), k[None, :])
    np.add.at(big_d, (rows, h), d[None, :])
    q = inside / m - (big_k * big_d).sum(axis=1) / m**2
    return float(q.max())


# -- Barber's modularity --------------------------------------------------------------------------
def test_modularity_of_the_two_module_matrix_by_hand() -> None:
    # m = 12 links, 10 inside their module; each module: cities' degrees 6, networks' degrees 6
    q = barber_modularity(TWO_MODULES, np.array([0, 0, 0, 1, 1, 1]), np.array([0, 0, 1, 1]))
    assert q == pytest.approx(10 / 12 - (6 * 6 + 6 * 6) / 12**2)
    # one module for everything: no structure
    assert barber_modularity(TWO_MODULES, np.zeros(6, int), np.zeros(4, int)) == pytest.approx(0)


def test_block_diagonal_modules_are_recovered_with_q_by_hand() -> None:
    land = landscape_from_matrix(block_matrix(3, 8, 3))
    result = bipartite_modules(land, runs=5, seed=2)
    # each block: 24 of the 72 links inside, degree sums 24 and 24: Q = 3 (1/3 - 1/9) = 2/3
    assert result.modularity == pytest.approx(2 / 3)
    assert len(result.modules) == 3
    for block in range(3):
        cities = [f"c{i:03d}" for i in range(block * 8, block * 8 + 8)]
        networks = [f"n{j:02d}" for j in range(block * 3, block * 3 + 3)]
        module = result.networks.at[networks[0], "module"]
        assert (result.networks.loc[networks, "module"] == module).all()
        assert (result.cities.loc[cities, "module"] == module).all()
    assert result.stability == pytest.approx(1.0)
    assert not result.degenerate
    assert result.modules["share_inside"].eq(1.0).all()


def test_lpawb_finds_the_best_partition_of_small_matrices() -> None:
    """Against every partition of rows and columns (Bell(8) = 4,140 for 8 nodes)."""
    rng = np.random.default_rng(0)
    checked = 0
    while checked < 12:
        shape = (int(rng.integers(3, 5)), int(rng.integers(2, 5)))
        a = (rng.random(shape) < 0.45).astype(int)
        if not (a.sum(axis=1).all() and a.sum(axis=0).all()):
            continue
        found = bipartite_modules(landscape_from_matrix(a), runs=8, seed=checked)
        assert found.modularity == pytest.approx(_exhaustive_q(a), abs=1e-9), a
        checked += 1


def test_modules_are_reproducible_from_the_seed() -> None:
    land = citynet.load()
    first = bipartite_modules(land, runs=3, seed=4)
    again = bipartite_modules(land, runs=3, seed=4)
    assert first.modularity == again.modularity
    pd.testing.assert_frame_equal(first.cities, again.cities)
    rows, cols, q = lpawb_plus(block_matrix(2, 3, 2), seed=1)
    assert q == pytest.approx(0.5)
    assert len(set(rows)) == len(set(cols)) == 2


def test_runs_side_by_side_give_the_result_of_runs_one_after_another() -> None:
    land = citynet.load()
    alone = bipartite_modules(land, runs=4, seed=2, workers=1)
    paired = bipartite_modules(land, runs=4, seed=2, workers=2)
    assert alone.q_runs == paired.q_runs
    pd.testing.assert_frame_equal(alone.cities, paired.cities)
    pd.testing.assert_frame_equal(alone.modules, paired.modules)


def test_merge_matching_is_the_greedy_matching() -> None:
    """Rounds of locally dominant pairs take exactly the pairs the one-by-one greedy takes."""
    rng = np.random.default_rng(3)
    for _ in range(300):
        n = int(rng.integers(2, 25))
        first, second = rng.integers(0, n, 60), rng.integers(0, n, 60)
        keep = first != second
        first, second = first[keep], second[keep]
        taken, expected = set(), []
        for s, t in zip(first.tolist(), second.tolist(), strict=True):
            if s not in taken and t not in taken:
                taken |= {s, t}
                expected.append((s, t))
        got_first, got_second = _greedy_matching(first, second, n)
        assert sorted(zip(got_first.tolist(), got_second.tolist(), strict=True)) == sorted(expected)


def test_a_row_keeps_its_label_when_it_is_among_the_best() -> None:
    """One city in two networks of equal pull stays where it is, whatever the random draw."""
    a = sp.csr_array(np.array([[1.0, 1.0]]))
    other = np.array([7, 9])
    for seed in range(20):
        for own in (7, 9):
            out = _best_labels(
                a,
                other,
                np.array([own]),
                np.array([2.0]),
                np.array([1.0, 1.0]),
                4.0,
                np.random.default_rng(seed),
                100,
            )
            assert out.tolist() == [own]


def test_one_network_has_no_modules_and_says_so() -> None:
    land = landscape_from_matrix(np.ones((5, 1), dtype=int))
    result = bipartite_modules(land, runs=2)
    assert result.degenerate
    assert result.modularity == pytest.approx(0.0)


def test_cities_without_a_membership_belong_to_no_module() -> None:
    matrix = np.vstack([block_matrix(2, 3, 2), np.zeros((1, 4), dtype=int)])
    result = bipartite_modules(landscape_from_matrix(matrix), runs=2)
    assert "c006" not in result.cities.index
    assert any("without a membership" in n for n in result.notes)


def test_no_membership_is_an_error() -> None:
    land = landscape_from_matrix(np.zeros((3, 2), dtype=int))
    with pytest.raises(CitynetError, match="nothing to partition"):
        bipartite_modules(land)


# -- c and z -------------------------------------------------------------------------------------
def test_czvalues_by_hand() -> None:
    city_modules, network_modules = np.array([0, 0, 0, 1, 1, 1]), np.array([0, 0, 1, 1])
    c, z = czvalues(TWO_MODULES, city_modules, network_modules)
    # c001 and c004 have 2 of 3 links in their module, 1 in the other: 1 - (2/3)^2 - (1/3)^2
    assert c == pytest.approx([0, 4 / 9, 0, 0, 4 / 9, 0])
    # links inside the module: 2, 2, 1 (module 0) and 2, 2, 1 (module 1); mean 5/3, sd sqrt(1/3)
    sd = np.sqrt(1 / 3)
    assert z == pytest.approx([(1 / 3) / sd, (1 / 3) / sd, -(2 / 3) / sd] * 2)
    # networks: n01 and n02 each have one member of three in the other module
    nc, nz = czvalues(TWO_MODULES.T, network_modules, city_modules)
    assert nc == pytest.approx([0, 4 / 9, 4 / 9, 0])
    half = 0.5 / np.sqrt(0.5)  # members inside: 3 and 2 in each module, sd sqrt(1/2)
    assert nz == pytest.approx([half, -half, -half, half])


def test_roles_use_the_modules_found() -> None:
    land = landscape_from_matrix(TWO_MODULES, executive={(1, 2)})
    found = bipartite_modules(land, runs=5)
    assert found.cities["module"].tolist() == [0, 0, 0, 1, 1, 1]
    cities, networks = roles(land, modules=found)
    assert cities["c"].sort_index().to_numpy() == pytest.approx([0, 4 / 9, 0, 0, 4 / 9, 0])
    assert networks["c"].sort_index().to_numpy() == pytest.approx([0, 4 / 9, 4 / 9, 0])
    # brokerage weighs the seat of c001 in n02 (module 1) 3 times: 1 - (2/5)^2 - (3/5)^2
    assert cities.at["c001", "brokerage"] == pytest.approx(12 / 25)
    assert cities.at["c001", "modules_reached"] == 2
    assert set(cities["role"]) == {"peripheral"}  # c below 0.62 and z below 2.5 everywhere


def test_role_classes_follow_the_thresholds() -> None:
    from citynet.analysis.roles import _role

    c = np.array([0.1, 0.7, 0.1, 0.7, np.nan])
    z = np.array([0.0, 0.0, 3.0, 3.0, np.nan])
    assert _role(c, z).tolist() == [
        "peripheral",
        "connector",
        "module hub",
        "network hub",
        "peripheral",
    ]


# -- on the shipped data -------------------------------------------------------------------------
@pytest.fixture(scope="module")
def shipped_roles(shipped_small: citynet.Landscape) -> tuple[pd.DataFrame, pd.DataFrame]:
    # without the 10,000 Covenant signatories, whose one network makes most cities peripheral
    land = shipped_small
    return roles(land, modules=bipartite_modules(land, runs=5))


def test_brokerage_discriminates_among_cities_with_a_seat(
    shipped_roles: tuple[pd.DataFrame, pd.DataFrame],
) -> None:
    cities, _ = shipped_roles
    seated = cities.loc[cities["seats"] > 0, "brokerage"]
    assert len(seated) > 50
    assert seated.round(6).nunique() > 5
    # many seated cities are in one or two networks here (zero brokerage); dozens broker
    assert (seated > 0).sum() > 40
    assert seated.between(0, 1).all()


def test_every_city_with_a_membership_has_a_role(
    shipped_roles: tuple[pd.DataFrame, pd.DataFrame], shipped_small: citynet.Landscape
) -> None:
    cities, networks = shipped_roles
    assert set(cities["role"]) <= {"peripheral", "connector", "module hub", "network hub"}
    assert cities["role"].nunique() > 1
    assert len(networks) == shipped_small.current().edges["network_id"].nunique()
    assert cities["c"].notna().all()
