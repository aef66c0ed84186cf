from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from citynet import DataError
from citynet.importers import convert_wide
from citynet.wide import read_wide

NETWORKS = pd.DataFrame(
    {
        "network_id": ["c40", "iclei"],
        "name": ["C40", "ICLEI"],
        "scope": ["international", "international"],
    }
)
WIDE = "name,country,population,c40,iclei\nParis,FR,2148000,1,0\nWindhoek,NA,,0,1\nParis,US,,0,1\n"


def test_csv_wide_table(tmp_path: Path) -> None:
    path = tmp_path / "wide.csv"
    path.write_text(WIDE, encoding="utf-8")
    land = read_wide(path, networks=NETWORKS, source_url="https://example.org/ds", as_of=2020)
    assert list(land.cities.index) == ["paris-fr", "windhoek", "paris-us"]
    assert land.cities.loc["windhoek", "country"] == "NA"
    pairs = sorted(zip(land.edges["city_id"], land.edges["network_id"], strict=True))
    assert pairs == [("paris-fr", "c40"), ("paris-us", "iclei"), ("windhoek", "iclei")]
    assert set(land.memberships["source_url"]) == {"https://example.org/ds"}
    assert set(land.memberships["as_of"]) == {2020}


def test_xlsx_wide_table(tmp_path: Path) -> None:
    path = tmp_path / "wide.xlsx"
    frame = pd.DataFrame(
        {
            "city_id": ["paris", "windhoek"],
            "name": ["Paris", "Windhoek"],
            "country": ["FR", "NA"],
            "c40": [1, 0],
            "iclei": [0, 1],
        }
    )
    frame.to_excel(path, index=False)
    land = read_wide(path, networks=NETWORKS, source_url="https://example.org/ds")
    assert land.cities.loc["windhoek", "country"] == "NA"
    assert len(land.edges) == 2


def test_bad_cell_is_named(tmp_path: Path) -> None:
    path = tmp_path / "wide.csv"
    path.write_text(WIDE.replace("2148000,1,0", "2148000,2,0"), encoding="utf-8")
    with pytest.raises(DataError) as err:
        read_wide(path, networks=NETWORKS, source_url="https://example.org/ds", strict=True)
    assert [str(p) for p in err.value.problems] == [
        "wide.csv:2: c40 '2' is not a membership mark (1, x, yes, ✓; or 0, no, empty)"
    ]
    # not strict: the cell makes no membership and is listed, never read as a member
    result = convert_wide(path, networks=NETWORKS, source_url="https://example.org/ds")
    assert [(c["row"], c["column"], c["value"]) for c in result.report.cells] == [(2, "c40", "2")]
    assert "c40" not in set(result.landscape.edges.query("city_id == 'paris-fr'")["network_id"])


def test_explicit_column_mapping(tmp_path: Path) -> None:
    path = tmp_path / "wide.csv"
    path.write_text("city_id,name,country,C40 member\nparis,Paris,FR,yes\n", encoding="utf-8")
    land = read_wide(
        path, networks=NETWORKS, source_url="https://example.org/ds", columns={"C40 member": "c40"}
    )
    assert land.edges.iloc[0]["network_id"] == "c40"


def test_no_network_column(tmp_path: Path) -> None:
    path = tmp_path / "wide.csv"
    path.write_text("name,country\nParis,FR\n", encoding="utf-8")
    with pytest.raises(DataError, match="no column names a network_id"):
        read_wide(path, networks=NETWORKS, source_url="https://example.org/ds")
