"""GEXF with spells, GraphML, and Kumu sheets with formulas neutralised."""

from __future__ import annotations

import csv
from pathlib import Path

import networkx as nx
import pandas as pd
import pytest

import citynet
from citynet import Landscape
from citynet.export import formats
from citynet.export.formats import neutralize, to_kumu, write_gexf, write_graphml, write_kumu
from citynet.validity import this_year
from tests.hostile import hostile_landscape


def periods_landscape() -> Landscape:
    cities = pd.DataFrame(
        {"city_id": ["a", "b", "c"], "name": ["A", "B", "C"], "country": ["FR", "FR", "DE"]}
    )
    networks = pd.DataFrame(
        {
            "network_id": ["a", "n"],
            "name": ["Net A", "Net N"],
            "scope": ["regional", "international"],
        }
    )
    memberships = pd.DataFrame(
        {
            "city_id": ["a", "a", "b", "c"],
            "network_id": ["a", "a", "a", "n"],
            "role": ["member", "executive", "member", "member"],
            "since": [2001, 2010, None, 2015],
            "until": [2005, 2012, None, None],
            "source_url": [
                "https://x.org/1",
                "https://x.org/2",
                "https://x.org/3",
                "https://x.org/4",
            ],
        }
    )
    return Landscape.from_frames(cities, networks, memberships)


def test_gexf_spells_survive_networkx(tmp_path: Path) -> None:
    graph = nx.read_gexf(write_gexf(periods_landscape(), tmp_path / "p.gexf"))
    assert graph.number_of_nodes() == 5  # city "a" and network "a" do not collide
    # a member 2001-2005; a seat 2010-2012, after which a is presumed to remain a member for
    # the ten years of the presumption horizon
    assert graph.edges["city:a", "network:a"]["spells"] == [(2001.0, 2005.0), (2010.0, 2022.0)]
    assert graph.edges["city:a", "network:a"]["dating"] == "presumed"
    assert graph.edges["city:c", "network:n"]["spells"] == [(2015.0, 2025.0)]
    # undated: from the year its source was read (this year), marked, not eternal
    year = float(this_year())
    assert graph.edges["city:b", "network:a"]["spells"] == [(year, year + 10)]
    assert graph.edges["city:b", "network:a"]["dating"] == "undated"
    assert graph.nodes["city:a"]["entity_id"] == "a"
    assert graph.nodes["network:a"]["kind"] == "network"


def test_gexf_of_shipped_data(tmp_path: Path, shipped: citynet.Landscape) -> None:
    graph = nx.read_gexf(write_gexf(shipped, tmp_path / "land.gexf"))
    assert graph.number_of_nodes() == len(shipped.cities) + len(shipped.networks)
    assert graph.number_of_edges() == len(shipped.edges)
    with_spells = sum("spells" in d for _, _, d in graph.edges(data=True))
    assert with_spells > 500


def test_graphml_roundtrip(tmp_path: Path, shipped: citynet.Landscape) -> None:
    graph = nx.read_graphml(write_graphml(shipped, tmp_path / "land.graphml"))
    assert graph.number_of_edges() == len(shipped.edges)
    assert graph.nodes["city:walvis-bay"]["country"] == "NA"  # Namibia, not a missing value
    assert graph.edges["city:paris", "network:c40"]["role"] == "executive"


def test_neutralize() -> None:
    assert neutralize("=1+1") == "'=1+1"
    assert neutralize("\tx") == "'\tx"
    assert neutralize(-33.92) == -33.92
    assert neutralize(7) == 7
    assert neutralize("São Paulo") == "São Paulo"


def test_kumu_csv_neutralises_formulas_and_keeps_numbers(tmp_path: Path) -> None:
    elements_path, connections_path = write_kumu(hostile_landscape(), tmp_path / "kumu.csv")
    with elements_path.open(encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    labels = [r["Label"] for r in rows]
    for label in labels:
        assert not label.startswith(("=", "+", "-", "@", "\t", "\r"))
    assert '\'=HYPERLINK("http://evil.example","click")' in labels
    assert "'-2+3" in labels
    latitudes = [r["Latitude"] for r in rows if r["Type"] == "City"]
    assert "-33.92" in latitudes  # a number, not text
    with connections_path.open(encoding="utf-8", newline="") as fh:
        connections = list(csv.DictReader(fh))
    assert {c["Type"] for c in connections} == {"member", "executive"}
    assert all(c["From"] in labels and c["To"] in labels for c in connections)


def test_kumu_xlsx(tmp_path: Path) -> None:
    from openpyxl import load_workbook

    (path,) = write_kumu(hostile_landscape(), tmp_path / "kumu.xlsx")
    book = load_workbook(path)
    assert book.sheetnames == ["Elements", "Connections"]
    values = [c.value for c in book["Elements"]["B"]]
    assert "'=1+1" in values
    latitude_column = [c.value for c in book["Elements"]["H"]][1:]
    assert -33.92 in latitude_column
    assert all(cell.data_type != "f" for row in book["Elements"].iter_rows() for cell in row)


def test_kumu_labels_are_unique(shipped: citynet.Landscape) -> None:
    elements, connections = to_kumu(shipped)
    assert elements["Label"].is_unique
    assert len(connections) == len(shipped.edges)


def test_exports_never_leave_a_partial_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, shipped: citynet.Landscape
) -> None:
    for name, writer in (("x.gexf", write_gexf), ("x.graphml", write_graphml)):
        target = tmp_path / name
        target.write_text("old", encoding="utf-8")
        calls = {"n": 0}
        real = formats.nx.generate_gexf if name.endswith("gexf") else formats.nx.generate_graphml

        def failing(
            *args: object, _real: object = real, _calls: dict[str, int] = calls, **kwargs: object
        ) -> object:
            for i, line in enumerate(_real(*args, **kwargs)):  # type: ignore[operator]
                _calls["n"] += 1
                if i == 50:
                    raise OSError("disk full")
                yield line

        attr = "generate_gexf" if name.endswith("gexf") else "generate_graphml"
        monkeypatch.setattr(formats.nx, attr, failing)
        with pytest.raises(OSError, match="disk full"):
            writer(shipped, target)
        monkeypatch.undo()
        assert calls["n"] > 50
        assert target.read_text(encoding="utf-8") == "old"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["x.gexf", "x.graphml"]


def test_cli_export(tmp_path: Path) -> None:
    from citynet.cli import main

    assert main(["export", "--to", "gexf", "-o", str(tmp_path / "l.gexf")]) == 0
    assert main(["export", "--to", "kumu", "-o", str(tmp_path / "k.xlsx")]) == 0
    assert main(["export", "--to", "kumu", "-o", str(tmp_path / "k.csv")]) == 0
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        "k-connections.csv",
        "k-elements.csv",
        "k.xlsx",
        "l.gexf",
    ]
