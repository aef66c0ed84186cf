"""The load model and over-commitment, pinned on a landscape small enough to work by hand."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

import citynet
from citynet import CitynetError, Landscape
from citynet.analysis.capacity import capacity_scores
from citynet.analysis.commitment import overcommitment
from citynet.analysis.load import LoadModel, commitment_breakdown, membership_loads
from citynet.analysis.peers import midrank_percentile, peer_groups
from citynet.synthetic import SIZES, synthetic_landscape


def hand_landscape(capacity: pd.DataFrame | None = None) -> Landscape:
    cities = pd.DataFrame(
        {
            "city_id": ["a", "b", "c", "d", "e"],
            "name": ["Aville", "Bville", "Ctown", "Dorf", "Eshi"],
            "country": ["FR", "FR", "JP", "DE", "JP"],
            "region": ["Europe", "Europe", "Asia", "Europe", "Asia"],
            "population": [2_000_000, 500_000, 2_000_000, 100_000, None],
        }
    )
    networks = pd.DataFrame(
        {
            "network_id": ["n1", "n2", "n3", "n4"],
            "name": ["One", "Two", "Three", "Four"],
            "scope": ["international", "regional", "national", "international"],
            "themes": [
                "climate_change;environment",
                "culture",
                "governance_democracy",
                "climate_change",
            ],
            "hq_country": [None, None, "FR", None],
            "coverage": ["full", "full", "full", "partial"],
        }
    )
    memberships = pd.DataFrame(
        {
            "city_id": ["a", "a", "a", "b", "b", "c", "d", "e"],
            "network_id": ["n1", "n2", "n4", "n1", "n3", "n1", "n2", "n4"],
            "role": [
                "executive",
                "member",
                "member",
                "member",
                "member",
                "member",
                "member",
                "member",
            ],
            "evidence": [None, None, None, None, None, None, "participation", None],
            "source_url": ["https://example.org/"] * 8,
        }
    )
    return Landscape.from_frames(cities, networks, memberships, capacity)


def test_membership_loads_by_hand() -> None:
    loads = membership_loads(hand_landscape()).set_index(["city_id", "network_id"])["load"]
    assert loads[("a", "n1")] == 2.5  # executive 2.5 x international 1
    assert loads[("a", "n2")] == 0.75  # member x regional 0.75
    assert loads[("b", "n3")] == 0.5  # member x national 0.5
    assert loads[("d", "n2")] == 0.375  # participation halves it


def test_overcommitment_by_hand() -> None:
    table = overcommitment(hand_landscape())
    assert table["load"].to_dict() == {"a": 4.25, "b": 1.5, "c": 1.0, "e": 1.0, "d": 0.375}
    # five cities are too few for region x size peers: all cities are the comparable peers
    assert set(table["peer_group"]) == {"all cities"}
    # mid-rank: below + half of the ties; c and e tie at 1.0
    assert table["percentile"].to_dict() == {"a": 90.0, "b": 70.0, "c": 40.0, "e": 40.0, "d": 10.0}
    assert table.at["a", "peer_median"] == 1.0
    loads = np.array([4.25, 1.5, 1.0, 0.375, 1.0])
    expected_z = (4.25 - loads.mean()) / loads.std()
    assert table.at["a", "zscore"] == pytest.approx(expected_z)
    assert table.at["a", "executive_seats"] == 1
    assert (table.at["a", "international"], table.at["a", "regional"]) == (2, 1)
    # a: climate_change in n1 and n4 -> one redundant link; n4 is covered entirely by n1
    assert table.at["a", "redundant_theme_links"] == 1
    assert table.at["a", "redundant_share"] == pytest.approx(1 / 3)
    # five peers are fewer than the 10 a flag needs
    assert not table["flag"].any()
    assert table.attrs["rule"]["min_peers"] == 10


def test_flag_rule_by_hand() -> None:
    table = overcommitment(hand_landscape(), min_peers=5)
    assert list(table.index[table["flag"]]) == ["a"]  # 4.25: >= 4, 90th, 4.25 x the median 1
    assert table.at["a", "flag_reason"] == (
        "load 4.2 is 4.2 times the median of 5 comparable peers (all cities), at their 90th "
        "percentile"
    )
    assert not overcommitment(hand_landscape(), min_peers=5, load_floor=5.0)["flag"].any()
    assert not overcommitment(hand_landscape(), min_peers=5, excess=5.0)["flag"].any()
    assert not overcommitment(hand_landscape(), min_peers=5, threshold=95)["flag"].any()


def test_midrank_ties() -> None:
    # 9 cities with one membership and one with four: one membership is the 45th percentile
    loads = np.array([1.0] * 9 + [4.0])
    assert midrank_percentile(loads, np.array([1.0, 4.0])).tolist() == [45.0, 95.0]


def test_most_cities_in_one_network_flags_few() -> None:
    shape = {**SIZES["R"], "n_cities": 3000, "n_memberships": 3400}
    land = synthetic_landscape(**shape, seed=3)
    table = overcommitment(land)
    ones = table["memberships"] == 1
    assert ones.mean() > 0.8  # the shape of real landscapes
    assert table["flag"].mean() < 0.10
    assert not table.loc[ones, "flag"].any()
    # ties: the one-membership cities of a group share one mid-rank percentile per load
    for _, group in table[ones].groupby(["peer_group", "load"]):
        assert group["percentile"].nunique() == 1


def test_peer_groups() -> None:
    land = hand_landscape()
    by_region = overcommitment(land, peers="region")
    assert by_region.at["c", "peer_group"] == "Asia"
    assert by_region.at["c", "peers"] == 2
    assert by_region.at["c", "percentile"] == 50.0  # c and e tie at 1.0
    by_size = overcommitment(land, peers="population")
    assert by_size.at["e", "peer_group"] == "unknown"
    listed = overcommitment(land, peers=["a", "b"])
    assert listed.at["b", "percentile"] == 25.0
    assert listed.at["c", "peer_group"] == "not in the list"
    assert not listed.loc["c", "flag"]
    with pytest.raises(CitynetError, match="peers must be"):
        overcommitment(land, peers="continent")
    with pytest.raises(CitynetError, match="needs a tag"):
        overcommitment(land, peers="group:")


def test_comparable_peers_use_groups_region_and_size(shipped: Landscape) -> None:
    groups = peer_groups(
        shipped.cities, "comparable", active=shipped.current().edges["city_id"].unique()
    )
    assert groups["paris"] == "group toward-city-diplomacy-2018"
    assert groups["lyon"] == "Europe, 300k-1M"  # the city, 522,000 (GeoNames), not its urban area
    sizes = groups.value_counts()
    active = set(shipped.current().edges["city_id"])
    counts = groups[groups.index.isin(active)].value_counts()
    assert (counts >= 10).all(), counts[counts < 10]
    assert len(sizes) > 5


def test_rule_options_are_checked() -> None:
    for options in ({"threshold": 150}, {"threshold": float("nan")}, {"min_peers": 1},
                    {"load_floor": -1}, {"excess": 0.5}):  # fmt: skip
        with pytest.raises(CitynetError):
            overcommitment(hand_landscape(), **options)  # type: ignore[arg-type]


def test_weights_are_overridable() -> None:
    model = LoadModel(role_weights={"executive": 5.0}, scope_weights={"regional": 2.0})
    table = overcommitment(hand_landscape(), model=model)
    assert table.at["a", "load"] == 5.0 + 2.0 + 1.0
    with pytest.raises(CitynetError, match="unknown key"):
        LoadModel(role_weights={"chair": 2.0})
    with pytest.raises(CitynetError, match=">= 0"):
        LoadModel(scope_weights={"national": -1})


def test_obligations_multiply() -> None:
    land = hand_landscape()
    networks = land.networks.reset_index()
    networks["meeting_frequency"] = [5.0, None, None, None]
    networks["annual_fee"] = [50_000.0, None, None, None]
    networks["reporting_required"] = [True, None, None, None]
    land2 = Landscape.from_frames(land.cities, networks, land.memberships)
    loads = membership_loads(land2).set_index(["city_id", "network_id"])
    # (1 + 0.25 x 4 extra meetings) x (1 + 50k/50k) x 1.25 = 2 x 2 x 1.25 = 5
    assert loads.at[("b", "n1"), "obligations"] == 5.0
    assert loads.at[("b", "n1"), "load"] == 5.0
    assert loads.at[("b", "n3"), "obligations"] == 1.0


def test_adding_a_membership_never_lowers_load() -> None:
    land = hand_landscape()
    before = overcommitment(land)["load"]
    for city, network, role in [
        ("c", "n2", "member"),
        ("d", "n1", "executive"),
        ("b", "n4", "member"),
    ]:
        facts = land.memberships
        facts.loc[len(facts)] = {
            "city_id": city,
            "network_id": network,
            "role": role,
            "evidence": "listed",
            "source_url": "https://example.org/new",
        }
        after = overcommitment(Landscape.from_frames(land.cities, land.networks, facts))["load"]
        assert (after.reindex(before.index) >= before).all()
        assert after[city] > before[city]


def test_ended_seats_and_memberships() -> None:
    land = hand_landscape()
    facts = land.memberships
    facts.loc[0, ["since", "until"]] = [2010, 2015]  # a's seat on n1's board: 2010-2015
    facts.loc[1, ["since", "until"]] = [2010, 2015]  # a's membership of n2 ended in 2015
    ended = Landscape.from_frames(land.cities, land.networks, facts)
    # 2025: the seat has ended but a is presumed to remain a member of n1 (1.0) for ten years
    # after it (the horizon); n2 ended; n4 (undated, read this year) not yet: 1.0
    assert overcommitment(ended, year=2025).at["a", "load"] == 1.0
    # now: n1 has lapsed beyond the horizon (2025); n4 counts
    assert overcommitment(ended).at["a", "load"] == 1.0
    # 2012: the seat (2.5) and n2 (regional, 0.75); the undated n4 fact says nothing of 2012
    assert overcommitment(ended, year=2012).at["a", "load"] == 3.25


def test_capacity_by_hand() -> None:
    capacity = pd.DataFrame(
        {
            "city_id": ["a", "a", "a", "a"],
            "attribute": ["international_office", "office_placement", "staff", "staff"],
            "value": ["Office of International Affairs", "mayors_office", "15 people", "3"],
            "year": [2017, 2017, 2016, 2010],
            "source_url": ["https://example.org/cap"] * 4,
        }
    )
    land = hand_landscape(capacity)
    scores = capacity_scores(land)
    # 1 base + 1 office + 0.5 in the mayor's office + log2(1 + 15) / 2 = 2 for staff
    assert scores.at["a", "capacity"] == 4.5
    assert scores.at["a", "staff"] == 15.0
    assert capacity_scores(land, year=2012).at["a", "capacity"] == 1 + math.log2(4) / 2
    table = overcommitment(land)
    assert table.at["a", "capacity"] == 4.5
    assert table.at["a", "load_per_capacity"] == pytest.approx(4.25 / 4.5)
    assert math.isnan(table.at["b", "capacity"])
    override = capacity_scores(land, overrides={"b": {"senior_official": True, "staff": 3}})
    assert override.at["b", "capacity"] == 1 + 1 + 1.0


def test_breakdown_sums_to_load() -> None:
    breakdown = commitment_breakdown(hand_landscape(), "Aville")
    assert list(breakdown.index) == ["n1", "n4", "n2"]
    assert breakdown["load"].sum() == 4.25
    assert breakdown["share"].sum() == pytest.approx(1.0)


def test_obligations_come_from_the_rules() -> None:
    land = hand_landscape()
    rules = pd.DataFrame(
        {
            "network_id": ["n1", "n1", "n2"],
            "attribute": ["general_assembly", "reporting", "general_assembly"],
            "value": ["annual", "GHG inventory every 2 years", "triennial"],
            "source_url": ["https://example.org/rules"] * 3,
        }
    )
    ruled = Landscape.from_frames(land.cities, land.networks, land.memberships, None, rules)
    loads = membership_loads(ruled).set_index(["city_id", "network_id"])
    assert loads.at[("b", "n1"), "obligations"] == 1.25  # a reporting duty; one assembly a year
    assert loads.at[("d", "n2"), "obligations"] == 1.0  # a triennial congress adds nothing
    duties = citynet.obligations_summary(ruled, "a")
    assert duties.assemblies_per_year == pytest.approx(1 + 1 / 3)
    assert duties.assemblies_unknown == 1
    assert list(duties.reporting) == ["n1"]


def test_shipped_data_surveyed_cities_all_have_a_load() -> None:
    table = overcommitment(citynet.load(), peers="group:toward-city-diplomacy-2018")
    surveyed = table[table["peer_group"] == "group toward-city-diplomacy-2018"]
    assert len(surveyed) == 27
    assert (surveyed["load"] > 0).all()
    assert surveyed["capacity"].notna().all()  # each has capacity facts


def test_rows_of_chosen_cities_are_those_of_the_whole_table() -> None:
    """``cities=`` computes only a group's rows when its peers are the group, the same rows."""
    land = citynet.load()
    tag = "toward-city-diplomacy-2018"
    whole = overcommitment(land, peers=f"group:{tag}")
    tags = land.cities["groups"].fillna("").str.split(";")
    members = list(land.cities.index[tags.map(lambda t: tag in t).to_numpy(dtype=bool)])
    chosen = overcommitment(land, peers=f"group:{tag}", cities=members)
    assert len(chosen) == whole.index.isin(members).sum() > 20
    pd.testing.assert_frame_equal(chosen, whole[whole.index.isin(members)])
    # with comparable peers every city still counts as a peer: the rows are chosen afterwards
    some = ["paris", "lyon", "helsinki"]
    pd.testing.assert_frame_equal(
        overcommitment(land, cities=some), overcommitment(land).loc[lambda t: t.index.isin(some)]
    )
