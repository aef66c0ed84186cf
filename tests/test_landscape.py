"""The Landscape: edge aggregation, matrices, graph, snapshots, immutability, round trips."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import networkx as nx
import numpy as np
import pandas as pd
import pytest

import citynet
from citynet import Landscape
from tests.conftest import CITIES


def test_one_edge_per_pair_aggregated_from_facts(small: Landscape) -> None:
    edges = small.edges.set_index(["city_id", "network_id"])
    assert len(edges) == 4  # paris-c40 has two facts
    paris_c40 = edges.loc[("paris", "c40")]
    assert paris_c40["role"] == "executive"
    assert paris_c40["n_facts"] == 2
    assert paris_c40["n_sources"] == 2
    assert paris_c40["executive_facts"] == 1
    assert paris_c40["since"] == 2005
    assert pd.isna(paris_c40["until"])  # the member fact is open-ended
    assert paris_c40["role_titles"] == "Vice Chair"
    assert edges.loc[("sao-paulo", "c40"), "role"] == "member"
    assert list(small.edges["city_id"]) == sorted(small.edges["city_id"])


def test_until_is_latest_when_every_fact_is_closed(write_folder: Callable[..., Path]) -> None:
    memberships = (
        "city_id,network_id,role,since,until,evidence,source_url\n"
        "paris,c40,member,2005,2010,participation,https://a.org\n"
        "paris,c40,member,2008,2015,derived,https://b.org\n"
        "paris,c40,member,,2012,,https://a.org\n"
    )
    edge = citynet.load(write_folder(memberships=memberships)).edges.iloc[0]
    assert (edge["since"], edge["until"]) == (2005, 2015)
    assert edge["n_sources"] == 2
    assert edge["evidence"] == "listed"  # blank evidence is 'listed', the strongest


def test_blank_evidence_reads_as_listed(small: Landscape) -> None:
    assert set(small.memberships["evidence"]) == {"listed"}


def test_incidence_sorted_and_binary(small: Landscape) -> None:
    assert list(small.city_ids) == ["beijing", "paris", "sao-paulo", "windhoek"]
    assert list(small.network_ids) == ["c40", "eurocities", "iclei"]
    dense = small.incidence.toarray()
    assert dense.tolist() == [[0, 0, 0], [1, 1, 0], [1, 0, 0], [0, 0, 1]]
    assert small.executive_incidence.toarray().tolist() == [
        [0, 0, 0],
        [1, 0, 0],
        [0, 0, 0],
        [0, 0, 0],
    ]
    with pytest.raises(ValueError, match="read-only"):
        small.incidence.data[0] = 5


def test_graph_is_bipartite_with_attributes(small: Landscape) -> None:
    graph = small.graph()
    cities = {n for n, d in graph.nodes(data=True) if d["bipartite"] == 0}
    assert cities == {"city:beijing", "city:paris", "city:sao-paulo", "city:windhoek"}
    assert nx.is_bipartite(graph)
    assert graph.nodes["city:beijing"]["name"] == "北京"
    assert "population" not in graph.nodes["city:windhoek"]  # missing values are left out
    assert graph.nodes["network:c40"]["themes"] == "climate_change;environment"
    assert graph.edges["city:paris", "network:c40"]["role"] == "executive"
    assert isinstance(graph.nodes["city:paris"]["population"], int)
    with pytest.raises(nx.NetworkXError):
        graph.add_node("x")


def test_ids_never_collide(write_folder: Callable[..., Path]) -> None:
    land = citynet.load(
        write_folder(
            cities=CITIES + "c40,C40 town,US,,,,\n",
            memberships="city_id,network_id,role,source_url\nc40,c40,member,https://x.org\n",
        )
    )
    graph = land.graph()
    assert graph.has_edge("city:c40", "network:c40")
    assert graph.number_of_nodes() == 5 + 3


def test_tables_cannot_be_changed_from_outside(small: Landscape) -> None:
    cities = small.cities
    cities.loc["paris", "name"] = "Lutèce"
    cities["extra"] = 1
    assert small.cities.loc["paris", "name"] == "Paris"
    assert "extra" not in small.cities.columns
    facts = small.memberships
    facts.iloc[0, 0] = "windhoek"
    assert small.memberships.iloc[0, 0] == "paris"


def test_documented_dtypes(small: Landscape) -> None:
    dtypes = small.cities.dtypes.astype(str).to_dict()
    assert dtypes["name"] == "string"
    assert dtypes["latitude"] == "Float64"
    assert dtypes["population"] == "Int64"
    assert dtypes["population_year"] == "Int64"
    assert str(small.networks["reporting_required"].dtype) == "boolean"
    assert str(small.memberships["since"].dtype) == "Int64"


def test_as_of_keeps_facts_valid_that_year(small: Landscape) -> None:
    y2010 = small.as_of(2010)
    assert y2010.year == 2010
    pairs = set(zip(y2010.edges["city_id"], y2010.edges["network_id"], strict=True))
    assert ("paris", "c40") in pairs
    assert (
        y2010.edges.set_index(["city_id", "network_id"]).loc[("paris", "c40"), "role"] == "member"
    )  # the executive seat starts in 2016
    y2017 = small.as_of(2017).edges.set_index(["city_id", "network_id"])
    assert y2017.loc[("paris", "c40"), "role"] == "executive"
    y2000 = small.as_of(2000)
    assert ("paris", "c40") not in set(
        zip(y2000.edges["city_id"], y2000.edges["network_id"], strict=True)
    )
    assert len(y2000.cities) == len(small.cities)  # nodes are kept


def test_as_of_known_needs_evidence_for_the_year(small: Landscape) -> None:
    known = small.as_of(2019, certainty="known").memberships
    # the board seat (2016-2019) and windhoek (as_of 2019); paris-c40's 2005 membership is
    # only presumed in 2019
    assert len(known) == 2
    assert set(known["city_id"]) == {"paris", "windhoek"}
    presumed = small.as_of(2019, certainty="presumed").edges
    assert set(presumed["certainty"]) == {"known"}  # both pairs have a known fact


def test_round_trip_keeps_everything(write_folder: Callable[..., Path], tmp_path: Path) -> None:
    cities = CITIES.replace("population\n", "population,wikidata\n", 1)
    lines = cities.splitlines()
    cities = "\n".join([lines[0]] + [f"{line},Q{i:03d}" for i, line in enumerate(lines[1:])])
    capacity = (
        "city_id,attribute,value,year,source_url,reviewer\n"
        "paris,staff,40,2017,https://example.org,ana\n"
    )
    land = citynet.load(write_folder(cities=cities + "\n", capacity=capacity))
    again = citynet.load(land.save(tmp_path / "saved"))
    assert again.equals(land)
    assert list(again.cities["wikidata"]) == ["Q000", "Q001", "Q002", "Q003"]
    assert again.capacity is not None
    assert again.capacity.loc[0, "reviewer"] == "ana"
    header = (tmp_path / "saved" / "cities.csv").read_text(encoding="utf-8").splitlines()[0]
    assert header.endswith(",notes,wikidata")


def test_equals_notices_a_difference(small: Landscape) -> None:
    assert not small.equals(small.as_of(2000))
    assert not small.equals("a landscape")


def test_repr(small: Landscape) -> None:
    assert repr(small) == "<Landscape: 4 cities, 3 networks, 4 memberships from 5 facts>"
    assert repr(small.as_of(2010)).startswith("<Landscape as of 2010:")


def test_shipped_dataset_loads_and_matrices_agree() -> None:
    land = citynet.load()
    assert land.incidence.shape == (len(land.cities), len(land.networks))
    assert int(land.incidence.sum()) == len(land.edges)
    degree = np.asarray(land.incidence.sum(axis=0)).ravel()
    counts = land.edges["network_id"].value_counts()
    assert dict(zip(land.network_ids, degree.tolist(), strict=True)) == {
        k: int(counts.get(k, 0)) for k in land.network_ids
    }
