from __future__ import annotations

import pytest

from citynet import Landscape
from citynet.lookup import UnknownNameError, normalize_name, resolve_city, resolve_network


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("sao-paulo", "sao-paulo"),
        ("São Paulo", "sao-paulo"),
        ("sao paulo", "sao-paulo"),
        ("SAO PAULO", "sao-paulo"),
        ("北京", "beijing"),
        ("paris", "paris"),
    ],
)
def test_resolve_city(small: Landscape, query: str, expected: str) -> None:
    assert resolve_city(small, query) == expected


@pytest.mark.parametrize(
    ("query", "expected"),
    [("c40", "c40"), ("C40", "c40"), ("c40 cities", "c40"), ("Eurocities", "eurocities")],
)
def test_resolve_network(small: Landscape, query: str, expected: str) -> None:
    assert resolve_network(small, query) == expected


def test_unknown_name_suggests(small: Landscape) -> None:
    with pytest.raises(UnknownNameError, match=r"did you mean sao-paulo \(São Paulo, BR\)\?"):
        resolve_city(small, "sao paolo")


def test_ambiguous_name_lists_ids(small: Landscape) -> None:
    cities = small.cities.reset_index()
    cities.loc[len(cities)] = {"city_id": "paris-tx", "name": "Paris", "country": "US"}
    land = Landscape.from_frames(cities, small.networks, small.memberships)
    with pytest.raises(UnknownNameError, match="ambiguous: use one of the ids paris"):
        resolve_city(land, "Paris")


def test_normalize_name() -> None:
    assert normalize_name("  Zürich!  ") == "zurich"
