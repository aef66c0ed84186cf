"""The join check, comparison, suggestions and leaving: verdicts from rules, numbers by hand."""

from __future__ import annotations

import json
import math

import pandas as pd
import pytest

import citynet
from citynet import CitynetError, Landscape
from citynet.analysis.commitment import overcommitment
from citynet.analysis.join import (
    compare,
    join_check,
    leave_candidates,
    leave_check,
    suggest,
)
from citynet.render.join import compare_text, join_text, leave_text
from tests.test_commitment import hand_landscape


def test_join_check_by_hand() -> None:
    report = join_check(hand_landscape(), "b", "n2")
    assert report.verdict == "worth considering"
    assert not report.already_member
    assert report.role is None
    assert report.new_partners == ["d"]  # d shares nothing with b today
    assert report.shared_partners == ["a"]  # a meets b in n1
    assert report.themes_added == ["culture"]
    assert report.themes_already_covered == {}
    assert report.load_before == 1.5
    assert report.load_after == 2.25
    assert report.peers == ["d", "a"]  # ranked: d and a both in Europe; d is new
    assert report.peer_reasons["a"] == "same region (Europe)"
    assert report.reason == "Two brings 1 new partner cities and 1 new theme."


def test_partners_are_ranked_by_relevance() -> None:
    # for e (JP, Asia): c shares its country and region; a and b are in Europe
    report = join_check(hand_landscape(), "e", "n1")
    assert report.new_partners == ["c", "b"]
    assert report.shared_partners == ["a"]


def test_join_check_themes_already_covered() -> None:
    report = join_check(hand_landscape(), "e", "n1")
    assert report.themes_added == ["environment"]
    assert report.themes_already_covered == {"climate_change": ["n4"]}
    # n1 is fully listed, but e's own network n4 is not:
    assert report.caveats == [
        "1 of the city's 1 networks have incomplete member lists here, so some 'new' "
        "partners may already be partners."
    ]


def test_already_member() -> None:
    report = join_check(hand_landscape(), "Aville", "One")
    assert report.verdict == "already a member"
    assert report.membership == "direct"
    assert report.role == "executive"
    assert report.load_after == report.load_before
    assert report.reason.startswith("Aville is a member of One and holds a seat")


def test_national_network_of_another_country_by_data() -> None:
    report = join_check(hand_landscape(), "c", "n3")
    assert report.verdict == "not open"
    assert not report.certain  # no rule: judged from the members' countries
    assert report.reason.startswith("Three is a national network of FR")
    assert "n3" not in suggest(hand_landscape(), "c").index


# -- verdicts from rules --------------------------------------------------------------------

RULE_CITIES = pd.DataFrame(
    {
        "city_id": ["big", "small", "se-town", "jp-city", "far", "other"],
        "name": ["Bigtown", "Smallville", "Svenstad", "Nihon-shi", "Farland", "Otherburg"],
        "country": ["DE", "DE", "SE", "JP", "ZA", "FR"],
        "region": ["Europe", "Europe", "Europe", "Asia", "Africa", "Europe"],
        "population": [3_500_000, 60_000, 60_000, 900_000, 800_000, 400_000],
    }
)
RULE_NETWORKS = pd.DataFrame(
    {
        "network_id": [
            "gone", "euro", "mega", "chapter", "global", "league", "invite", "assoc", "open", "metro",
        ],
        "name": [
            "Gone Network", "Euro Cities", "Mega Cities", "Covenant Europe", "Global Covenant",
            "Swedish League", "By Invitation", "Association of Associations", "Open Network",
            "Metro Network",
        ],
        "scope": [
            "international", "regional", "international", "regional", "international",
            "national", "international", "regional", "international", "international",
        ],
        "themes": ["climate_change"] * 8 + ["culture", "climate_change"],
    }
)  # fmt: skip
RULE_FACTS = pd.DataFrame(
    [
        ("gone", "status", "closed", 2019, "it closed in 2019"),
        ("gone", "successor", "open", 2019, "continued by Open"),
        ("euro", "eligible_countries", "Europe", None, "open to European cities"),
        ("mega", "min_population", "1000000", None, "cities of a million or more"),
        ("metro", "min_population", "1000000", None, "a million or more; capitals too"),
        ("chapter", "part_of", "global", None, "a regional chapter of the Global Covenant"),
        ("global", "admission", "automatic", None, "chapter signatories count as signatories"),
        ("global", "admission", "open application", None, "sign the commitment"),
        ("league", "eligible_countries", "SE", None, "Swedish municipalities"),
        ("league", "universal", "yes", None, "all Swedish municipalities are members"),
        ("invite", "admission", "invitation", None, "members are invited by the board"),
        ("assoc", "member_type", "association", None, "members are national associations"),
    ],
    columns=["network_id", "attribute", "value", "year", "quote"],
).assign(source_url="https://example.org/rules")
RULE_MEMBERSHIPS = pd.DataFrame(
    {
        "city_id": [
            "big",
            "big",
            "other",
            "jp-city",
            "far",
            "small",
            "other",
            "big",
            "other",
            "far",
            "small",
        ],
        "network_id": [
            "gone",
            "mega",
            "chapter",
            "open",
            "open",
            "euro",
            "assoc",
            "metro",
            "metro",
            "metro",
            "metro",
        ],
        "role": ["member"] * 11,
        "since": [2014, None, 2020] + [None] * 8,
        "until": [2019] + [None] * 10,
        "source_url": ["https://example.org/m"] * 11,
    }
)


@pytest.fixture(scope="module")
def ruled() -> Landscape:
    return Landscape.from_frames(RULE_CITIES, RULE_NETWORKS, RULE_MEMBERSHIPS, None, RULE_FACTS)


@pytest.mark.parametrize(
    ("city", "network", "verdict", "reason"),
    [
        ("other", "gone", "not open", "Gone Network closed in 2019 (continued by open)"),
        ("far", "euro", "not open", "Euro Cities is limited to Europe; the city is in ZA"),
        ("small", "mega", "not open", "the city's population (60,000) is below Mega Cities"),
        ("jp-city", "mega", "not open", "no member in the data is smaller"),
        ("se-town", "metro", "not open", "none of its members in the data is smaller"),
        ("other", "global", "already a member", "through its chapter Covenant Europe"),
        ("se-town", "league", "already a member", "every eligible local government is a member"),
        ("jp-city", "league", "not open", "Swedish League is limited to SE"),
        ("big", "invite", "not open", "By Invitation admits members by invitation only"),
        ("big", "assoc", "not open", "members are associations of local governments"),
        ("big", "open", "worth considering", "Open Network brings 1 new partner cities and 1"),
        ("big", "metro", "already a member", "Bigtown is a member of Metro Network"),
    ],
)
def test_verdicts_follow_the_rules(
    ruled: Landscape, city: str, network: str, verdict: str, reason: str
) -> None:
    report = join_check(ruled, city, network)
    assert report.verdict == verdict
    assert reason in report.reason
    text = join_text(report)
    assert text.splitlines()[2].startswith("Verdict:")
    assert max(len(line) for line in text.splitlines()) <= 100
    if verdict != "worth considering":
        assert network not in suggest(ruled, city).index


def test_rule_facts_travel_with_the_verdict(ruled: Landscape) -> None:
    report = join_check(ruled, "big", "invite")
    assert report.rule_facts[0]["quote"] == "members are invited by the board"
    assert report.how_to_join == "invitation"
    assert "How one gets in: invitation" in join_text(report)


def test_threshold_does_not_bind_when_smaller_members_exist(ruled: Landscape) -> None:
    # metro states 1,000,000 but has members of 400,000, 800,000 and 60,000 in the data:
    # for jp-city (900,000), three members are smaller
    report = join_check(ruled, "jp-city", "metro")
    assert report.verdict == "worth considering"
    assert any("3 of its members in the data are smaller" in n for n in report.notes)
    probably = join_check(ruled, "se-town", "metro")
    assert probably.verdict == "not open"
    assert not probably.certain


def test_suggest_leaves_out_what_is_not_open(ruled: Landscape) -> None:
    table = suggest(ruled, "small")
    assert "mega" not in table.index
    assert "gone" not in table.index
    assert table.attrs["left_out"]["mega"].startswith("not open")
    assert set(table.index) <= {"open", "global", "chapter"}


def test_json_has_stable_keys() -> None:
    data = json.loads(join_check(hand_landscape(), "b", "n2").to_json())
    for key in (
        "city",
        "network",
        "verdict",
        "reason",
        "already_member",
        "membership",
        "role",
        "new_partners",
        "shared_partners",
        "themes_added",
        "themes_already_covered",
        "load_before",
        "load_after",
        "added_load",
        "fee",
        "caveats",
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
    with pytest.raises(CitynetError):
        suggest(hand_landscape(), "b", k=0)


def test_compare_side_by_side() -> None:
    reports = compare(hand_landscape(), "b", ["n2", "n4", "One"])
    assert [r.network for r in reports] == ["n2", "n4", "n1"]
    text = compare_text(reports)
    assert "already a member" in text
    assert "worth considering" in text
    assert max(len(line) for line in text.splitlines()) <= 100
    with pytest.raises(CitynetError, match="named twice"):
        compare(hand_landscape(), "b", ["n2", "Two"])


def test_leave_by_hand() -> None:
    report = leave_check(hand_landscape(), "a", "n1")
    assert report.verdict == "costly to leave"
    assert report.partners_lost == ["b", "c"]  # met only in n1
    assert report.themes_lost == ["environment"]
    assert report.load_after == pytest.approx(report.load_before - 2.5)
    assert any("holds a seat" in r for r in report.reasons)
    candidate = leave_check(hand_landscape(), "a", "n4")
    assert candidate.verdict == "a candidate to leave"
    assert "Verdict: a candidate to leave." in leave_text(candidate)
    with pytest.raises(CitynetError, match="not a member"):
        leave_check(hand_landscape(), "c", "n2")


def test_leave_candidates_weigh_seats_and_national_associations() -> None:
    table = leave_candidates(hand_landscape(), "a")
    assert list(table.index) == ["n4", "n1", "n2"]  # the candidate first, then value per load
    assert table.at["n4", "verdict"] == "a candidate to leave"
    assert table.at["n1", "keep_value"] == pytest.approx(math.log2(3) + 2 + 3)
    national = leave_candidates(hand_landscape(), "b")
    assert national.at["n3", "verdict"] == "costly to leave"  # a national association
    assert "national association" in national.at["n3", "reasons"]


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


@pytest.mark.parametrize(
    ("city", "network", "verdict"),
    [
        ("helsinki", "100rc", "not open"),  # closed in 2019
        ("cape-town", "cemr", "not open"),  # members are national associations
        ("cape-town", "eurocities", "not open"),  # European cities only
        ("warsaw", "gcom", "already a member"),  # through the Covenant of Mayors - Europe
        ("gothenburg", "skr", "already a member"),
        ("bangkok", "uccn", "already a member"),  # designated 2019
        ("bilbao", "uccn", "already a member"),  # designated 2014, on a page of 2019 or later
        ("kyoto", "uccn", "not open"),  # a competitive call (selection) only
        ("vaxjo", "c40", "not open"),  # probably: smaller than nearly every member
        ("vaxjo", "metropolis", "not open"),
        ("vaxjo", "u20", "not open"),  # probably: cities of G20 countries
        ("santiago", "iclei", "worth considering"),
    ],
)
def test_shipped_verdicts(
    shipped: citynet.Landscape, city: str, network: str, verdict: str
) -> None:
    assert join_check(shipped, city, network).verdict == verdict


def test_verdicts_of_every_network_agree_with_the_join_check() -> None:
    from citynet.analysis.join import verdicts

    land = citynet.load().current()
    cities = ["santiago", "paris", "helsinki", "cape-town", "warsaw", *list(land.city_ids[::1500])]
    for city in cities:
        table = verdicts(land, city)
        assert list(table.index) == list(land.network_ids)
        for network in land.network_ids:
            report = join_check(land, city, network)
            row = table.loc[network]
            assert row["verdict"] == report.verdict, (city, network)
            assert row["new_partners"] == len(report.new_partners)
            assert row["shared_partners"] == len(report.shared_partners)
            assert row["themes_added"] == ";".join(report.themes_added)
            assert row["added_load"] == report.added_load
            if report.verdict != "already a member":
                assert row["reason"] == report.reason


def test_a_lapsed_or_suspended_membership_is_said_in_the_verdict(
    shipped: citynet.Landscape,
) -> None:
    lapsed = join_text(join_check(shipped, "berlin", "eurocities"))  # last seen in 2009
    assert "The city's membership lapsed" in lapsed
    suspended = join_text(join_check(shipped, "bordeaux", "com-europe"))
    assert "The network has suspended the city" in suspended
    assert "already a member" not in suspended


def test_partners_say_how_sure_they_are() -> None:
    """A verdict counts its new partners by evidence: recent, older, undated; and not counted."""
    land = citynet.load()
    report = citynet.join_check(land, "Santiago", "ICLEI")
    evidence = report.partner_evidence
    assert evidence["recent"] + evidence["older"] + evidence["undated"] == len(report.new_partners)
    edges = land.current().edges.query("network_id == 'iclei'").set_index("city_id")
    undated = edges.loc[report.new_partners, "certainty"].eq("undated").sum()
    assert evidence["undated"] == undated
    lapsed = land.current().not_counted().query("network_id == 'iclei'")
    assert evidence["lapsed"] == (lapsed["state"] == "lapsed").sum()
    assert "How sure:" in report.to_text()
