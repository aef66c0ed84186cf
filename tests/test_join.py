"""The join check, suggestions and leave candidates: numbers by hand, invariants on real data."""

from __future__ import annotations

import json
import math

import pytest

import citynet
from citynet.analysis.commitment import overcommitment
from citynet.analysis.join import join_check, leave_candidates, suggest
from tests.test_commitment import hand_landscape


def test_join_check_by_hand() -> None:
    report = join_check(hand_landscape(), "b", "n2")
    assert not report.already_member
    assert report.role is None
    assert report.new_partners == ["d"]  # d shares nothing with b today
    assert report.shared_partners == ["a"]  # a meets b in n1
    assert report.themes_added == ["culture"]
    assert report.themes_already_covered == {}
    assert report.load_before == 1.5
    assert report.load_after == 2.25
    assert (report.percentile_before, report.percentile_after) == (80.0, 80.0)
    assert report.peers == ["a", "d"]
    assert report.peer_reasons["a"] == "same region (Europe)"
    assert report.verdict.startswith(
        "Joining Two adds 1 new partner city and 1 new theme (culture); +0.75 load (1.50 -> 2.25)"
    )


def test_join_check_themes_already_covered() -> None:
    report = join_check(hand_landscape(), "e", "n1")
    assert report.themes_added == ["environment"]
    assert report.themes_already_covered == {"climate_change": ["n4"]}
    assert report.shared_partners == ["a"]
    assert report.new_partners == ["b", "c"]
    # n1 is fully listed, but e's own network n4 is not:
    assert report.caveats == [
        "1 of the city's 1 current networks have incomplete member lists here, so some 'new' "
        "partners may already be partners."
    ]


def test_already_member() -> None:
    report = join_check(hand_landscape(), "Aville", "One")
    assert report.already_member
    assert report.role == "executive"
    assert report.load_after == report.load_before
    assert report.new_partners == []
    assert report.shared_partners == ["b", "c"]


def test_national_network_of_another_country() -> None:
    report = join_check(hand_landscape(), "c", "n3")
    assert report.verdict.startswith("Probably not open to Ctown: it is a national network of FR")
    assert "n3" not in suggest(hand_landscape(), "c").index


def test_partial_coverage_caveat() -> None:
    report = join_check(hand_landscape(), "b", "n4")
    assert any("member list here is partial" in c for c in report.caveats)


def test_json_has_stable_keys() -> None:
    data = json.loads(join_check(hand_landscape(), "b", "n2").to_json())
    for key in (
        "city",
        "network",
        "already_member",
        "role",
        "new_partners",
        "shared_partners",
        "themes_added",
        "themes_already_covered",
        "load_before",
        "load_after",
    ):
        assert key in data
    assert data["city"] == "b"


def test_html_escapes() -> None:
    html = join_check(hand_landscape(), "b", "n2")._repr_html_()
    assert "<h4>Bville → Two</h4>" in html


def test_suggest_by_hand() -> None:
    table = suggest(hand_landscape(), "b")
    assert list(table.index) == ["n2", "n4"]
    assert table.at["n2", "value"] == pytest.approx(1 + 2 + math.log2(3))
    assert table.at["n2", "score"] == pytest.approx((3 + math.log2(3)) / 0.75)
    assert table.at["n4", "score"] == pytest.approx(2.0)
    only_culture = suggest(hand_landscape(), "b", themes=["culture"])
    assert list(only_culture.index) == ["n2"]
    assert list(suggest(hand_landscape(), "b", max_added_load=0.8).index) == ["n2"]


def test_leave_candidates_by_hand() -> None:
    table = leave_candidates(hand_landscape(), "a")
    assert list(table.index) == ["n4", "n1", "n2"]
    assert table.at["n1", "unique_partners"] == 2
    assert table.at["n1", "unique_themes"] == "environment"
    assert table.at["n4", "unique_themes"] == ""
    assert table.at["n1", "value_per_load"] == pytest.approx((math.log2(3) + 2) / 2.5)
    assert "executive seat" in table.at["n1", "reasons"]


@pytest.mark.parametrize("city", ["paris", "tokyo", "santiago", "cape-town", "warsaw"])
@pytest.mark.parametrize("network", ["c40", "iclei", "eurocities", "uclg", "metropolis"])
def test_partners_partition_members_on_shipped_data(
    shipped: citynet.Landscape, city: str, network: str
) -> None:
    land = shipped
    report = join_check(land, city, network)
    current = land.current().edges
    members = set(current.loc[current["network_id"] == network, "city_id"]) - {city}
    assert set(report.new_partners).isdisjoint(report.shared_partners)
    assert set(report.new_partners) | set(report.shared_partners) == members
    assert report.load_after >= report.load_before
    table = overcommitment(land)
    assert report.load_before == pytest.approx(table.at[city, "load"])
