"""Property-based tests: round trips, corruptions and analysis invariants on random landscapes."""

from __future__ import annotations

import math
from pathlib import Path
from tempfile import TemporaryDirectory

import numpy as np
import pandas as pd
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import citynet
from citynet import DataError, Landscape
from citynet.analysis.bicm import fit_bicm
from citynet.analysis.nestedness import nodf
from citynet.schema import REGIONS, SCOPES, THEMES
from tests.conftest import CITIES, MEMBERSHIPS, NETWORKS

SETTINGS = settings(
    max_examples=40, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow]
)

slugs = st.from_regex(r"[a-z0-9][a-z0-9-]{0,11}", fullmatch=True)
# Any text a spreadsheet could hold, but not empty (empty means "unknown").
text = st.text(
    st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"),
    min_size=1,
    max_size=30,
)
maybe = lambda s: st.none() | s  # noqa: E731
years = st.integers(1800, 2100)


@st.composite
def landscapes(draw: st.DrawFn) -> Landscape:
    city_ids = draw(st.lists(slugs, min_size=1, max_size=12, unique=True))
    network_ids = draw(st.lists(slugs, min_size=1, max_size=6, unique=True))
    cities = pd.DataFrame(
        {
            "city_id": city_ids,
            "name": [draw(text) for _ in city_ids],
            "country": [draw(st.from_regex(r"[A-Z]{2}", fullmatch=True)) for _ in city_ids],
            "region": [draw(maybe(st.sampled_from(REGIONS))) for _ in city_ids],
            "latitude": [draw(maybe(st.floats(-90, 90))) for _ in city_ids],
            "longitude": [draw(maybe(st.floats(-180, 180))) for _ in city_ids],
            "population": [draw(maybe(st.integers(0, 40_000_000))) for _ in city_ids],
            "wikidata": [draw(maybe(text)) for _ in city_ids],  # an extra column
        }
    )
    networks = pd.DataFrame(
        {
            "network_id": network_ids,
            "name": [draw(text) for _ in network_ids],
            "scope": [draw(st.sampled_from(SCOPES)) for _ in network_ids],
            "themes": [
                ";".join(draw(st.lists(st.sampled_from(THEMES), unique=True, max_size=3))) or None
                for _ in network_ids
            ],
            "founded": [draw(maybe(years)) for _ in network_ids],
        }
    )
    pairs = draw(
        st.lists(
            st.tuples(
                st.sampled_from(city_ids),
                st.sampled_from(network_ids),
                st.sampled_from(["member", "executive"]),
            ),
            unique=True,
            max_size=30,
        )
    )
    rows = []
    for city, network, role in pairs:
        since = draw(maybe(years))
        until = draw(maybe(st.integers(since or 1800, 2100)))
        rows.append(
            {
                "city_id": city,
                "network_id": network,
                "role": role,
                "since": since,
                "until": until,
                "role_title": draw(maybe(text)),
                "source_url": "https://example.org/" + draw(slugs),
                "reviewer": draw(maybe(text)),
            }
        )
    memberships = pd.DataFrame(
        rows,
        columns=[
            "city_id",
            "network_id",
            "role",
            "since",
            "until",
            "role_title",
            "source_url",
            "reviewer",
        ],
    )
    return Landscape.from_frames(cities, networks, memberships)


@SETTINGS
@given(landscapes())
def test_save_load_round_trip(land: Landscape) -> None:
    with TemporaryDirectory() as folder:
        again = citynet.load(land.save(folder))
    assert again.equals(land)
    assert list(again.cities.columns) == list(land.cities.columns)


def corrupt(data: bytes, kind: int, at: int, junk: bytes) -> bytes:
    at = at % (len(data) + 1)
    if kind == 0:
        return data[:at]  # truncated
    if kind == 1:
        return data[:at] + junk + data[at:]  # inserted bytes
    if kind == 2:
        return data[:at] + data[at + len(junk) :]  # deleted bytes
    if kind == 3:
        return data[:at] + junk + data[at + len(junk) :]  # overwritten bytes
    lines = data.split(b"\n")
    i = at % len(lines)
    lines[0], lines[i] = lines[i], lines[0]  # swapped lines
    return b"\n".join(lines)


@settings(max_examples=150, deadline=None, derandomize=True)
@given(
    st.sampled_from(["cities", "networks", "memberships"]),
    st.integers(0, 4),
    st.integers(0, 10_000),
    st.binary(min_size=1, max_size=8)
    | st.sampled_from([b";", b'"', b",", b"\r", b"\n", b"\xff", b"\xc3", b"NA", b"=1+1"]),
)
def test_corruptions_give_only_data_errors(table: str, kind: int, at: int, junk: bytes) -> None:
    files = {"cities": CITIES, "networks": NETWORKS, "memberships": MEMBERSHIPS}
    with TemporaryDirectory() as name:
        folder = Path(name)
        for key, content in files.items():
            data = content.encode("utf-8")
            if key == table:
                data = corrupt(data, kind, at, junk)
            (folder / f"{key}.csv").write_bytes(data)
        try:
            land = citynet.load(folder)
        except DataError as err:
            problems = err.problems
        else:
            assert len(land.cities) >= 1
            return
    assert problems
    assert all(p.file.endswith(".csv") for p in problems)


@SETTINGS
@given(landscapes(), st.data())
def test_join_check_invariants(land: Landscape, data: st.DataObject) -> None:
    city = data.draw(st.sampled_from(list(land.city_ids)))
    network = data.draw(st.sampled_from(list(land.network_ids)))
    report = citynet.join_check(land, str(city), str(network))
    current = land.current().edges
    members = set(current.loc[current["network_id"] == network, "city_id"]) - {city}
    assert set(report.new_partners).isdisjoint(report.shared_partners)
    assert set(report.new_partners) | set(report.shared_partners) == members
    assert report.load_after >= report.load_before
    assert set(report.themes_added).isdisjoint(report.themes_already_covered)


@SETTINGS
@given(landscapes())
def test_overcommitment_invariants(land: Landscape) -> None:
    table = citynet.overcommitment(land)
    assert table["percentile"].between(0, 100).all()
    assert (table["load"] > 0).all()
    assert table["redundant_share"].between(0, 1).all()
    loads = citynet.membership_loads(land).groupby("city_id")["load"].sum()
    assert np.allclose(table["load"].sort_index(), loads.sort_index())


@SETTINGS
@given(landscapes())
def test_bicm_and_nodf_invariants(land: Landscape) -> None:
    matrix = land.incidence
    model = fit_bicm(matrix)
    p = model.probabilities()
    assert np.allclose(p.sum(axis=1), np.asarray(matrix.sum(axis=1)).ravel(), atol=1e-6)
    assert np.allclose(p.sum(axis=0), np.asarray(matrix.sum(axis=0)).ravel(), atol=1e-6)
    value, rows, cols = nodf(matrix)
    assert all(0 <= v <= 100 + 1e-9 or math.isnan(v) for v in (value, rows, cols))


@SETTINGS
@given(landscapes())
def test_as_of_never_adds_memberships(land: Landscape) -> None:
    for year in (1900, 2000, 2020):
        snapshot = land.as_of(year)
        assert len(snapshot.memberships) <= len(land.memberships)
        assert set(snapshot.edges["city_id"]) <= set(land.edges["city_id"])
