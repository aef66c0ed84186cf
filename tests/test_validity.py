"""The validity model (docs/time.md): facts hold when their evidence says, one time base everywhere.

The fixture is small enough that the memberships of every year are known by construction; a
plain-Python reading of the documented rules (``reference``) is checked against the snapshots,
and the snapshots against every analysis and CLI command.
"""

from __future__ import annotations

import io
import json
import math
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import networkx as nx
import numpy as np
import pandas as pd
import pytest

import citynet
from citynet import Landscape
from citynet.analysis.timeline import changes, membership_history, timeline
from citynet.validity import this_year

NOW = this_year()

CITIES = """city_id,name,country,region,population
a,Aville,FR,Europe,2000000
b,Bville,FR,Europe,500000
c,Cstadt,DE,Europe,800000
d,Dshi,JP,Asia,300000
"""
NETWORKS = """network_id,name,scope,themes,founded
old,Old Network,international,climate_change,1990
late,Late Network,international,culture,2016
gone,Gone Network,international,environment,2000
nat,National League,national,governance_democracy,1950
"""
# fact rows, numbered from 0 in the comments
MEMBERSHIPS = """city_id,network_id,role,role_title,since,until,as_of,accessed,source_url
a,old,member,,2000,,,,https://example.org/0
a,old,executive,Board,,,2012,,https://example.org/1
b,old,executive,President,2005,2008,,,https://example.org/2
b,old,member,,,2018,,,https://example.org/3
c,late,member,,,,,,https://example.org/4
a,late,member,,,,2014,,https://example.org/5
a,gone,member,,2001,,,,https://example.org/6
d,gone,member,,,,,,https://example.org/7
c,nat,member,,,,2020,2024,https://example.org/8
d,old,member,,2010,2012,,,https://example.org/9
"""
RULES = """network_id,attribute,value,year,source_url,quote
old,executive_term_years,3,,https://example.org/r1,Board members serve three years
gone,status,closed,2019,https://example.org/r2,The network closed in 2019
"""

#: (city, network) -> {year: (role, certainty)} for the years that matter, by hand
BY_HAND: dict[tuple[str, str], dict[int, tuple[str, str] | None]] = {
    # member since 2000 (known 2000, presumed after, the gap to the next observation bridged
    # beyond the 10-year horizon); seat observed 2012: known 2012, presumed for one 3-year
    # term (2013-2015), then a member again until the horizon (2022), lapsed after
    ("a", "old"): {
        1999: None,
        2000: ("member", "known"),
        2011: ("member", "presumed"),
        2012: ("executive", "known"),
        2015: ("executive", "presumed"),
        2016: ("member", "presumed"),
        2022: ("member", "presumed"),
        2023: None,
    },
    # president 2005-2008, then presumed a member until the stated end in 2018
    ("b", "old"): {
        2004: None,
        2005: ("executive", "known"),
        2008: ("executive", "known"),
        2009: ("member", "presumed"),
        2017: ("member", "presumed"),
        2018: ("member", "known"),
        2019: None,
    },
    # observed in 2014, before the network was founded (2016): nothing before 2016; the
    # horizon ends it after 2024
    ("a", "late"): {
        2014: None,
        2015: None,
        2016: ("member", "presumed"),
        2024: ("member", "presumed"),
        2025: None,
    },
    # undated, source read this year: from now on only
    ("c", "late"): {2016: None, NOW - 1: None, NOW: ("member", "undated")},
    # observed 2001 only: presumed for ten years (the network closed in 2019)
    ("a", "gone"): {
        2000: None,
        2001: ("member", "known"),
        2011: ("member", "presumed"),
        2012: None,
        2019: None,
        2020: None,
    },
    # undated fact of a network that closed before its source was read: no year by default
    ("d", "gone"): {2005: None, 2019: None, NOW: None},
    # observed 2020 (accessed 2024): known 2020, presumed after
    ("c", "nat"): {2019: None, 2020: ("member", "known"), NOW: ("member", "presumed")},
    # a stated period
    ("d", "old"): {2009: None, 2010: ("member", "known"), 2012: ("member", "known"), 2013: None},
}


@pytest.fixture
def folder(write_folder: Callable[..., Path]) -> Path:
    target = write_folder(cities=CITIES, networks=NETWORKS, memberships=MEMBERSHIPS)
    (target / "network_rules.csv").write_text(RULES, encoding="utf-8")
    return target


@pytest.fixture
def land(folder: Path) -> Landscape:
    return citynet.load(folder)


def pairs(edges: pd.DataFrame) -> dict[tuple[str, str], tuple[str, str]]:
    return {
        (str(c), str(n)): (str(r), str(s))
        for c, n, r, s in zip(
            edges["city_id"], edges["network_id"], edges["role"], edges["certainty"], strict=True
        )
    }


def test_lifecycle_comes_from_the_rules(land: Landscape) -> None:
    assert land.networks.at["gone", "status"] == "closed"
    assert land.networks.at["gone", "closed"] == 2019
    assert land.rules["old"].term_years == 3.0
    assert not land.current().alive["gone"]
    assert land.as_of(2010).alive["gone"]
    assert not land.as_of(2010).alive["late"]


@pytest.mark.parametrize("pair", list(BY_HAND), ids=lambda p: "-".join(p))
def test_by_hand(land: Landscape, pair: tuple[str, str]) -> None:
    for year, expected in BY_HAND[pair].items():
        assert pairs(land.as_of(year).edges).get(pair) == expected, year


def test_any_certainty_counts_undated_facts_in_the_network_life(land: Landscape) -> None:
    y2005 = pairs(land.as_of(2005, certainty="any").edges)
    assert y2005[("d", "gone")] == ("member", "undated")
    assert ("c", "late") not in y2005  # late was founded in 2016
    assert pairs(land.as_of(2017, certainty="any").edges)[("c", "late")] == ("member", "undated")
    assert ("d", "gone") not in pairs(land.as_of(2020, certainty="any").edges)


def test_known_and_presumed_levels(land: Landscape) -> None:
    known = pairs(land.as_of(2011, certainty="known").edges)
    assert set(known) == {("d", "old")}
    presumed = pairs(land.as_of(2013, certainty="presumed").edges)
    assert presumed[("a", "old")] == ("executive", "presumed")
    assert ("c", "late") not in pairs(land.as_of(NOW, certainty="presumed").edges)


def test_snapshot_of_a_snapshot_uses_the_record(land: Landscape) -> None:
    assert land.as_of(2012).as_of(2018).edges.equals(land.as_of(2018).edges)
    assert land.as_of(2012).record is land
    assert land.current() is land.current()


def test_seat_titles_and_certainty(land: Landscape) -> None:
    edges = land.as_of(2016).edges.set_index(["city_id", "network_id"])
    assert pd.isna(edges.at[("a", "old"), "role_titles"])  # the board seat has ended
    assert edges.at[("a", "old"), "observed"] == 2012
    assert (
        land.as_of(2014)
        .edges.set_index(["city_id", "network_id"])
        .at[("a", "old"), "seat_certainty"]
        == "presumed"
    )


def test_certainty_counts(land: Landscape) -> None:
    counts = land.as_of(2017).certainty_counts(stale_after=5)
    # a-old presumed (last seen 2012), b-old presumed (2008), a-late presumed (2014); more
    # than 5 years old: b-old; a-gone (seen 2001) lapsed beyond its 10-year horizon
    assert counts == {
        "year": 2017,
        "memberships": 3,
        "known": 0,
        "presumed": 3,
        "undated": 0,
        "stale": 1,
        "stale_after": 5,
        "recent": 2,
        "lapsed": 1,
        "suspended": 0,
    }


# -- an independent reading of the documented rules --------------------------------------


def _span(f: object, now: int) -> tuple[bool, int, int]:
    """(dated, start, end) of a fact's known span (docs/time.md)."""
    since, until, as_of = (
        None if pd.isna(v) else int(v)
        for v in (f.since, f.until, f.as_of)  # type: ignore[attr-defined]
    )
    if any(v is not None for v in (since, until, as_of)):
        start = since if since is not None else min(v for v in (as_of, until) if v is not None)
        end = until if until is not None else max(v for v in (as_of, since) if v is not None)
        return True, start, end
    read = now if pd.isna(f.accessed) else int(f.accessed)  # type: ignore[attr-defined]
    return False, read, read


def reference(land: Landscape, year: int) -> dict[tuple[str, str], tuple[str, str]]:
    """Plain Python, fact by fact, from docs/time.md (certainty up to "undated")."""
    networks = land.networks
    facts = land.record.memberships
    suspended = facts["status"].astype(object).eq("suspended")
    ends: dict[tuple[str, str], list[int]] = {}
    stops: dict[tuple[str, str], list[int]] = {}
    bridge: dict[tuple[str, str], int] = {}
    lists: dict[tuple[str, str], int] = {}  # (network, source) -> date of a complete list
    named: set[tuple[str, str, str]] = set()  # (city, network, source) on a complete list
    for f, off in zip(facts.itertuples(), suspended, strict=True):
        key = (f.city_id, f.network_id)
        dated, start, _end = _span(f, NOW)
        if off:
            stops.setdefault(key, []).append(start - 1)
        elif dated:
            bridge[key] = max(bridge.get(key, start), start)
        if f.role == "member" and not pd.isna(f.until) and not off:
            ends.setdefault(key, []).append(int(f.until))
        if not pd.isna(f.complete_list) and bool(f.complete_list):
            date = int(f.as_of) if not pd.isna(f.as_of) else _span(f, NOW)[1]
            source = (f.network_id, f.source_url)
            lists[source] = max(lists.get(source, date), date)
            named.add((f.city_id, f.network_id, f.source_url))
    rank = {"known": 0, "presumed": 1, "undated": 2}
    out: dict[tuple[str, str], tuple[str, str]] = {}
    for f, off in zip(facts.itertuples(), suspended, strict=True):
        if off:
            continue
        net = networks.loc[f.network_id]
        founded = -math.inf if pd.isna(net["founded"]) else int(net["founded"])
        closed, carry = math.inf, True
        if not pd.isna(net["status"]) and net["status"] in ("closed", "merged", "suspended"):
            closed = math.inf if pd.isna(net["closed"]) else int(net["closed"])
            carry = not pd.isna(net["closed"])  # ended in an unknown year: nothing carried
        if not founded <= year <= closed:
            continue
        key = (f.city_id, f.network_id)
        dated, start, end = _span(f, NOW)
        term = land.rules[f.network_id].term_years or 2
        horizon = land.rules[f.network_id].membership_term_years or 10
        cut = min((e for e in ends.get(key, []) if e >= end), default=math.inf)
        cut = min([cut, *(e for e in stops.get(key, []) if e >= end)])
        for (network, source), date in lists.items():
            absent = network == f.network_id and (f.city_id, network, source) not in named
            if absent and (not dated or end < date):
                cut = min(cut, date - 1)
        limit = min(cut, max(end + horizon, bridge.get(key, -math.inf) - 1))
        state: tuple[str, str] | None = None
        if start <= year <= min(end, cut):
            state = (f.role, "known" if dated else "undated")
        elif carry and end < year <= limit and (pd.isna(f.until) or f.role == "executive"):
            carried = "presumed" if dated else "undated"
            seat_open = f.role == "executive" and pd.isna(f.until) and year <= end + math.ceil(term)
            state = ("executive" if seat_open else "member", carried)
        if state is None:
            continue
        old = out.get(key)
        role = (
            "executive" if state[0] == "executive" or (old and old[0] == "executive") else "member"
        )
        sure = state[1] if old is None or rank[state[1]] < rank[old[1]] else old[1]
        out[(str(key[0]), str(key[1]))] = (role, sure)
    return out


@pytest.mark.parametrize("fixture", ["hand", "shipped"])
def test_snapshots_follow_the_rules(land: Landscape, shipped: Landscape, fixture: str) -> None:
    chosen = land if fixture == "hand" else shipped
    years = range(1995, NOW + 2) if fixture == "hand" else (1995, 2005, 2010, 2015, 2019, 2020, NOW)
    for year in years:
        assert pairs(chosen.as_of(year).edges) == reference(chosen, year), year


def test_timeline_matches_an_independent_count(land: Landscape, shipped: Landscape) -> None:
    for chosen, start, end in ((land, 1995, NOW), (shipped, 2020, NOW)):
        rows = []
        for year in range(start - 1, end + 1):
            for (city, network), (role, sure) in reference(chosen, year).items():
                rows.append((year, city, network, role, sure))
        frame = pd.DataFrame(rows, columns=["year", "city_id", "network_id", "role", "certainty"])
        expected = (
            frame[frame["year"] >= start]
            .groupby(["year", "network_id"])
            .agg(
                members=("city_id", "size"),
                known=("certainty", lambda s: int((s == "known").sum())),
                presumed=("certainty", lambda s: int((s == "presumed").sum())),
                undated=("certainty", lambda s: int((s == "undated").sum())),
                executive=("role", lambda s: int((s == "executive").sum())),
            )
        )
        keys = frame.assign(key=frame["city_id"] + "|" + frame["network_id"])
        by_year = {y: set(g["key"]) for y, g in keys.groupby("year")}
        entries, exits = {}, {}
        for year in range(start, end + 1):
            now, before = by_year.get(year, set()), by_year.get(year - 1, set())
            for key in now - before:
                n = key.split("|")[1]
                entries[(year, n)] = entries.get((year, n), 0) + 1
            for key in before - now:
                n = key.split("|")[1]
                exits[(year, n)] = exits.get((year, n), 0) + 1
        table = timeline(chosen, by="network", start=start, end=end).set_index(
            ["year", "network_id"]
        )
        have = table[table["members"] > 0][["members", "known", "presumed", "undated", "executive"]]
        pd.testing.assert_frame_equal(have, expected, check_dtype=False, check_names=False)
        got_entries = {k: int(v) for k, v in table["entries"].items() if v}
        got_exits = {k: int(v) for k, v in table["exits"].items() if v}
        assert got_entries == entries
        assert got_exits == exits


def test_timeline_by_city_and_scope(land: Landscape) -> None:
    cities = timeline(land, by="city", start=2010, end=2013, cities=["d"]).set_index("year")
    assert cities["members"].to_dict() == {2010: 1, 2011: 1, 2012: 1, 2013: 0}
    assert cities.at[2013, "exits"] == 1
    scopes = timeline(land, by="scope", start=2020, end=2020).set_index("scope")
    assert scopes.at["national", "members"] == 1
    assert timeline(land, start=2010, end=2013, networks=["old"])["mean_tenure"].iloc[-1] > 1


def test_changes(land: Landscape) -> None:
    diff = changes(land, 2015, 2020)
    assert set(diff.networks_appeared["network_id"]) == {"late"}
    assert set(diff.networks_ended["network_id"]) == {"gone"}
    assert edge_set(diff.left) == {("b", "old")}  # a-gone lapsed in 2012 already
    assert edge_set(diff.joined) == {
        ("a", "late"),
        ("c", "nat"),
    }
    assert edge_set(diff.seats_lost) == {("a", "old")}
    assert json.dumps(diff.to_dict(), default=str)


def test_membership_history(land: Landscape) -> None:
    history = membership_history(land, "a", year=2020).set_index(["network_id", "role"])
    assert history.at[("old", "executive"), "status"] == "seat ended"
    assert history.at[("gone", "member"), "status"] == "network closed"
    assert history.at[("old", "member"), "role_now"] == "member"
    later = membership_history(land, "a", year=2024).set_index(["network_id", "role"])
    assert later.at[("old", "member"), "status"] == "lapsed (beyond the horizon)"


# -- one time base everywhere --------------------------------------------------------------


def edge_set(edges: pd.DataFrame) -> set[tuple[str, str]]:
    return set(zip(edges["city_id"].astype(str), edges["network_id"].astype(str), strict=True))


@pytest.mark.parametrize("year", [2006, 2013, 2017, NOW])
def test_every_analysis_sees_the_same_edges(land: Landscape, year: int) -> None:
    expected = edge_set(land.as_of(year).edges)
    loads = citynet.membership_loads(land, year=year)
    assert edge_set(loads) == expected
    table = citynet.overcommitment(land, year=year)
    assert set(table.index) == {c for c, _ in expected}
    cities, networks = citynet.centrality(land, year=year, betweenness=False)
    degree = cities["weighted_degree"]
    assert set(degree[degree > 0].index) == {c for c, _ in expected}
    assert int(networks["members"].sum()) == len(expected)
    result = citynet.nestedness(land, year=year, samples=2)
    assert 0 <= result.nodf <= 100
    net = citynet.to_pyvis(land, year=year)
    drawn = {tuple(e["id"].split("|")) for e in net.edges}
    assert drawn == expected
    for city in {c for c, _ in expected}:
        report = citynet.join_check(land, city, "old", year=year)
        assert report.already_member == ((city, "old") in expected)
    by_city = timeline(land, by="city", start=year, end=year)
    by_city = by_city[by_city["members"] > 0]
    assert dict(zip(by_city["city_id"], by_city["members"], strict=True)) == {
        c: sum(1 for x, _ in expected if x == c) for c, _ in expected
    }
    if expected:
        summary = citynet.summarize(land, year=year)
        assert summary["memberships"] == len(expected)


def run(*args: str | Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "citynet.cli", *map(str, args)],
        capture_output=True,
        text=True,
        check=False,
        encoding="utf-8",
    )


def test_one_as_of_gives_one_set_of_edges_on_the_command_line(
    folder: Path, land: Landscape, tmp_path: Path
) -> None:
    year = 2013
    expected = edge_set(land.as_of(year).edges)
    info = json.loads(run("info", "--data", folder, "--as-of", year, "--format", "json").stdout)
    assert info["memberships"] == len(expected)
    over = json.loads(
        run("overcommitment", "--data", folder, "--as-of", year, "--format", "json").stdout
    )
    assert {r["city_id"]: r["memberships"] for r in over} == {
        c: sum(1 for x, _ in expected if x == c) for c, _ in expected
    }
    check = json.loads(
        run("check", "a", "old", "--data", folder, "--as-of", year, "--format", "json").stdout
    )
    assert check["already_member"] is True
    assert check["role"] == "executive"  # the 2012 seat, presumed for its 3-year term
    out = tmp_path / "map.html"
    done = run("map", "--data", folder, "--as-of", year, "-o", out)
    assert done.returncode == 0, done.stderr
    gexf = tmp_path / "y.gexf"
    assert (
        run("export", "--data", folder, "--as-of", year, "--to", "gexf", "-o", gexf).returncode == 0
    )
    assert (
        edge_set(
            pd.DataFrame(
                [
                    (u.removeprefix("city:"), v.removeprefix("network:"))
                    for u, v in nx.read_gexf(gexf).edges
                ],
                columns=["city_id", "network_id"],
            )
        )
        == expected
    )
    history = run(
        "timeline", "--data", folder, "--network", "old", "--from", 2004, "--to", 2020,
        "--format", "csv",
    )  # fmt: skip
    rows = pd.read_csv(io.StringIO(history.stdout)).set_index("year")
    assert int(rows.at[year, "members"]) == sum(1 for _, n in expected if n == "old")


def test_gexf_of_the_record_has_the_periods(folder: Path, land: Landscape, tmp_path: Path) -> None:
    gexf = tmp_path / "all.gexf"
    assert run("export", "--data", folder, "--to", "gexf", "-o", gexf).returncode == 0
    graph = nx.read_gexf(gexf)
    assert graph.edges["city:b", "network:old"]["spells"] == [(2005.0, 2018.0)]
    assert graph.edges["city:a", "network:gone"]["spells"] == [(2001.0, 2011.0)]  # horizon
    assert graph.edges["city:d", "network:gone"]["dating"] == "undated (any year)"
    assert graph.edges["city:d", "network:gone"]["spells"] == [(2000.0, 2019.0)]


# -- the shipped data ----------------------------------------------------------------------


def test_shipped_helsinki_seats_have_ended(shipped: Landscape) -> None:
    edges = shipped.current().edges.set_index(["city_id", "network_id"])
    assert edges.at[("helsinki", "iclei"), "role"] == "member"
    # the Energy Cities board seat ended in 2015; the membership is presumed ten years more
    earlier = shipped.as_of(2025).edges.set_index(["city_id", "network_id"])
    assert earlier.at[("helsinki", "energy-cities"), "role"] == "member"
    assert ("helsinki", "energy-cities") not in edges.index
    states = shipped.current().pair_states()
    assert states[("helsinki", "energy-cities")] == ("lapsed", 2015)
    table = citynet.overcommitment(shipped)
    assert table.at["helsinki", "executive_seats"] == 1  # the undated Eurocities forum chair


def test_shipped_2010_respects_founding_and_closing(shipped: Landscape) -> None:
    networks = shipped.networks
    edges = shipped.as_of(2010).edges
    founded = edges["network_id"].map(networks["founded"]).astype("Float64")
    assert not (founded > 2010).any()
    closed = edges["network_id"].map(networks["closed"]).astype("Float64")
    assert not (closed < 2010).any()
    assert "gcom" not in set(edges["network_id"])


def test_shipped_100rc_is_closed_everywhere(shipped: Landscape) -> None:
    assert shipped.networks.at["100rc", "status"] == "closed"
    assert shipped.networks.at["100rc", "closed"] == 2019
    for year in range(2020, NOW + 1):
        assert "100rc" not in set(shipped.as_of(year).edges["network_id"])
    assert int((shipped.as_of(2019).edges["network_id"] == "100rc").sum()) == 96
    info = run("info")
    assert "100 Resilient Cities (100rc): closed in 2019" in info.stdout
    assert np.isclose(citynet.summarize(shipped)["networks_ended"]["100rc"]["closed"], 2019)


# -- complete lists, suspensions, the presumption horizon (issue 26) ----------------------------
def _facts(rows: list[dict[str, object]]) -> pd.DataFrame:
    base = {
        "role": "member",
        "since": pd.NA,
        "until": pd.NA,
        "as_of": pd.NA,
        "accessed": 2026,
        "status": pd.NA,
        "complete_list": False,
        "source_url": "https://a.example",
    }
    return pd.DataFrame([base | r for r in rows])


_NETS = pd.DataFrame(
    {"founded": [1990], "status": [pd.NA], "closed": [pd.NA]},
    index=pd.Index(["n"], name="network_id"),
)


def _holds(facts: pd.DataFrame, year: int) -> set[str]:
    from citynet.validity import fact_segments, valid_facts

    segments = fact_segments(facts, _NETS, {"n": 2}, present=2026)
    valid = valid_facts(segments, year, 2)
    return {str(facts["city_id"].iloc[i]) for i in valid.index}


def test_a_complete_list_ends_the_cities_it_leaves_out() -> None:
    facts = _facts(
        [
            {"city_id": "old", "network_id": "n", "as_of": 2019},
            {
                "city_id": "listed",
                "network_id": "n",
                "as_of": 2022,
                "complete_list": True,
                "source_url": "https://list.example",
            },
            {"city_id": "later", "network_id": "n", "as_of": 2024},
        ]
    )
    assert _holds(facts, 2021) == {"old"}
    # the list of 2022 leaves "old" out: from 2022 it is no member; "later" was seen after it
    assert _holds(facts, 2022) == {"listed"}
    assert _holds(facts, 2025) == {"listed", "later"}


def test_a_suspension_is_no_membership_and_ends_what_came_before() -> None:
    facts = _facts(
        [
            {"city_id": "c", "network_id": "n", "since": 2012},
            {"city_id": "c", "network_id": "n", "as_of": 2024, "status": "suspended"},
        ]
    )
    assert _holds(facts, 2015) == {"c"}
    assert _holds(facts, 2024) == set()
    assert _holds(facts, 2026) == set()


def test_presumption_ends_at_the_horizon_and_the_pair_is_reported_lapsed() -> None:
    from citynet.validity import LAPSED, fact_segments

    facts = _facts([{"city_id": "c", "network_id": "n", "as_of": 2010}])
    assert _holds(facts, 2020) == {"c"}  # 10 years by default
    assert _holds(facts, 2021) == set()
    segments = fact_segments(facts, _NETS, {"n": 2}, present=2026, horizons={"n": 5.0})
    lapsed = segments[segments["level"] == LAPSED]
    assert lapsed[["start", "end"]].values.tolist() == [[2016, 10_000]]


def test_the_shipped_snapshot_reports_what_it_does_not_count() -> None:
    land = citynet.load()
    left = land.current(2026).not_counted()
    assert set(left["state"]) == {"lapsed", "suspended"}
    counted = set(
        zip(
            land.current(2026).edges["city_id"], land.current(2026).edges["network_id"], strict=True
        )
    )
    assert not counted & set(zip(left["city_id"], left["network_id"], strict=True))
