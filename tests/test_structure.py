"""Specialisation (d', H2'), robustness, and analyses that must say when there is nothing to say."""

from __future__ import annotations

import json
import math

import numpy as np
import pytest

import citynet
import citynet.cli.common
from citynet import CitynetError
from citynet.analysis.clusters import cluster_cities, cluster_networks
from citynet.analysis.robustness import attack, dissolve
from citynet.analysis.structure import dprime, h2prime, structure
from citynet.summary import landscape_report
from citynet.synthetic import synthetic_landscape
from tests.matrices import block_matrix, landscape_from_matrix


# -- d' and H2' (Bluethgen et al. 2006, BMC Ecology 6, 9) ----------------------------------------
def test_dprime_by_hand() -> None:
    # row 0: two links to the column holding 3 of 4 links: d = ln(4/3); the least specialised
    # split of 2 links is (1, 1): d_min = (ln(2/3) + ln 2) / 2; d_max = ln(4 / 2)
    table = dprime(np.array([[2, 0], [1, 1]]))
    d, d_min, d_max = math.log(4 / 3), (math.log(2 / 3) + math.log(2)) / 2, math.log(2)
    assert table.loc[0, ["d", "d_min", "d_max"]].tolist() == pytest.approx([d, d_min, d_max])
    assert table.at[0, "dprime"] == pytest.approx((d - d_min) / (d_max - d_min))
    assert table.at[1, "dprime"] == pytest.approx(0.0)  # (1, 1) is the least specialised split


def test_h2prime_and_dprime_of_a_weighted_two_by_two_by_hand() -> None:
    a = np.array([[3, 1], [1, 3]])
    h2 = -2 * (3 / 8 * math.log(3 / 8)) - 2 * (1 / 8 * math.log(1 / 8))
    h2max, h2min = 2 * math.log(2), math.log(2)  # [[2, 2], [2, 2]] and [[4, 0], [0, 4]]
    result = h2prime(a)
    assert result["h2"] == pytest.approx(h2)
    assert (result["h2min"], result["h2max"]) == pytest.approx((h2min, h2max))
    assert result["h2prime"] == pytest.approx((h2max - h2) / (h2max - h2min))
    d = 3 / 4 * math.log(3 / 2) + 1 / 4 * math.log(1 / 2)  # d_min = 0 at (2, 2)
    assert dprime(a)["dprime"].tolist() == pytest.approx([d / math.log(2)] * 2)


def test_specialisation_extremes() -> None:
    assert h2prime(np.eye(3) * 4)["h2prime"] == pytest.approx(1.0)
    assert h2prime(np.ones((3, 4)))["h2prime"] == pytest.approx(0.0)
    with pytest.raises(CitynetError, match="whole-number"):
        dprime(np.array([[0.5, 1.0]]))
    with pytest.raises(CitynetError, match="empty"):
        h2prime(np.zeros((2, 2)))


def test_structure_of_the_shipped_data() -> None:
    s = structure(citynet.load())
    current = citynet.load().current()
    assert s.memberships == len(current.edges)
    assert s.connectance == pytest.approx(s.memberships / (s.cities * s.networks))
    assert s.city_degrees["max"] >= s.city_degrees["median"] >= 1
    assert 0 < s.h2prime < 1
    assert 0 <= s.mean_dprime_cities <= 1


# -- robustness ------------------------------------------------------------------------------------
# n00 international with c000-c003; n01 national with c000, c001; n02 international with c004
TOY = np.array([[1, 1, 0], [1, 1, 0], [1, 0, 0], [1, 0, 0], [0, 0, 1]])
SCOPES = ["international", "national", "international"]


def test_dissolving_a_network_by_hand() -> None:
    what = dissolve(landscape_from_matrix(TOY, scopes=SCOPES), ["n00"])
    assert what.cities_affected == 4
    assert what.lose_all == ["c002", "c003"]
    assert what.lose_international == ["c000", "c001", "c002", "c003"]
    # 6 pairs among c000-c003 share n00; only c000-c001 still share a network after
    assert (what.partners_before, what.partners_lost) == (6, 5)
    assert (what.components_before, what.components_after) == (2, 2)


def test_attack_curve_by_hand() -> None:
    curve = attack(landscape_from_matrix(TOY, scopes=SCOPES), order="size")
    # n00 (4 members), then n01 (2), then n02 (1): 5, 3, 1, 0 of 5 cities keep a network
    assert curve["cities_left"].tolist() == pytest.approx([1.0, 0.6, 0.2, 0.0])
    assert curve["international_left"].tolist() == pytest.approx([1.0, 0.2, 0.2, 0.0])
    assert curve.attrs["robustness"] == pytest.approx((0.8 + 0.4 + 0.1) / 3)
    assert curve.attrs["robustness_international"] == pytest.approx((0.6 + 0.2 + 0.1) / 3)


def test_random_attacks_are_seeded_and_gentler_than_size_attacks_on_the_shipped_data() -> None:
    land = citynet.load()
    by_size = attack(land, order="size")
    at_random = attack(land, order="random", repeats=5, seed=3)
    assert (
        at_random.attrs["robustness"]
        == attack(land, order="random", repeats=5, seed=3).attrs["robustness"]
    )
    assert by_size.attrs["robustness"] < at_random.attrs["robustness"]
    assert by_size["cities_left"].is_monotonic_decreasing


# -- nothing degenerate reported as a result ---------------------------------------------------------
@pytest.fixture(scope="module")
def no_themes() -> citynet.Landscape:
    """Most cities in one network, one giant network, no themes (the shape of real landscapes)."""
    return synthetic_landscape(n_cities=1_500, n_networks=25, n_memberships=1_800, every_city=True,
                               themes=False, network_exponent=2.2, seed=4)  # fmt: skip


def test_city_clusters_without_themes_are_refused(no_themes: citynet.Landscape) -> None:
    with pytest.raises(CitynetError, match="theme"):
        cluster_cities(no_themes)


def test_network_clusters_without_themes_come_from_members(no_themes: citynet.Landscape) -> None:
    result = cluster_networks(no_themes, n_seeds=2)
    assert len(result.clusters) > 1
    assert not result.clusters["label"].str.contains("no themes").any()
    # labelled by their largest networks: the largest network names its own cluster
    largest = no_themes.current().edges["network_id"].value_counts().index[0]
    name = no_themes.networks.at[largest, "acronym"]
    name = name if isinstance(name, str) else no_themes.networks.at[largest, "name"]
    cluster = result.assignments.at[largest, "cluster"]
    assert result.clusters.at[cluster, "label"].startswith(str(name))


def _patch(monkeypatch: pytest.MonkeyPatch, land: citynet.Landscape) -> None:
    monkeypatch.setattr(citynet.cli.common, "_load", lambda path=None: land)


@pytest.mark.parametrize("command", ["modules", "roles"])
def test_one_network_landscape_exits_2_on_modules_and_roles(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], command: str
) -> None:
    from citynet.cli import main

    _patch(monkeypatch, landscape_from_matrix(np.ones((6, 1), dtype=int)))
    assert main([command]) == 2
    out, err = capsys.readouterr()
    assert out == ""
    assert "no modular structure" in err
    assert len(err.strip().splitlines()) == 1


def test_city_clusters_on_the_command_line_without_themes_exit_2(
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    no_themes: citynet.Landscape,
) -> None:
    from citynet.cli import main

    _patch(monkeypatch, no_themes)
    assert main(["clusters", "--side", "cities"]) == 2
    assert "theme" in capsys.readouterr().err


def test_roles_without_any_seat_broker_exit_2(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from citynet.cli import main

    # seats only inside their own block: every seat holder's brokerage is 0
    land = landscape_from_matrix(block_matrix(3, 4, 2), executive={(0, 0), (4, 2), (8, 4)})
    _patch(monkeypatch, land)
    assert main(["roles"]) == 2
    assert "brokerage is 0" in capsys.readouterr().err


def test_report_without_the_survey_group_summarises_everyone(no_themes: citynet.Landscape) -> None:
    report = landscape_report(no_themes)
    assert report["group"] is None
    assert "no survey group" in report["basis"]
    assert len(report["engagement"]) == 25
    assert report["modules"]
    assert report["roles"]["cities"]


def test_report_on_the_shipped_data_names_modules_and_roles(
    capsys: pytest.CaptureFixture[str],
) -> None:
    from citynet.cli import main

    assert main(["report", "--format", "json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert len(report["modules"]) > 3
    assert all(m["name"] for m in report["modules"])
    assert report["brokerage"]["distinct_values"] > 5
    # most cities are peripheral (one network each); some are module hubs or connectors (how
    # many connectors depends on the data: 3 before the 2025 UBC list, none after)
    roles = report["roles"]["cities"]
    assert set(roles) <= {"peripheral", "connector", "module hub", "network hub"}
    assert "peripheral" in roles
    assert set(roles) - {"peripheral"}
