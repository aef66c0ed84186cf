"""Warnings: facts no year can count, probable duplicates, aliases that are another city's name.

A landscape can keep the data contract and still hold facts that no answer will ever count; a
data editor hears about them from ``citynet validate`` (exit 0, or 2 with ``--strict``) and
``citynet info``, each naming the file, row, column and value.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

import citynet
from citynet.checks import warning_kinds
from citynet.cli import main

SOURCE = "https://example.org/s"


def _write(folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    pd.DataFrame(
        {
            "city_id": ["sao-paulo", "sao-paulo-2", "santos", "lima"],
            "name": ["São Paulo", "Sao Paulo", "Santos", "Lima"],
            "aliases": ["", "", "", "Santos"],
            "country": ["BR", "BR", "BR", "PE"],
            "latitude": [-23.5505, -23.5960, -23.9608, -12.0464],
            "longitude": [-46.6333, -46.6650, -46.3336, -77.0428],
        }
    ).to_csv(folder / "cities.csv", index=False)
    pd.DataFrame(
        {
            "network_id": ["old", "young"],
            "name": ["Old Network", "Young Network"],
            "scope": ["international", "international"],
            "founded": [2000, 2010],
            "status": ["closed", ""],
            "closed": ["2010", ""],
        }
    ).to_csv(folder / "networks.csv", index=False)
    pd.DataFrame(
        {
            "city_id": ["sao-paulo", "santos", "lima", "sao-paulo-2", "lima"],
            "network_id": ["old", "old", "young", "young", "old"],
            "role": ["member"] * 5,
            "since": ["2015", "", "2005", "2012", "2001"],
            "until": ["", "1995", "", "", "2008"],
            "source_url": [SOURCE] * 5,
        }
    ).to_csv(folder / "memberships.csv", index=False)
    return folder


def test_dead_facts_duplicates_and_aliases_are_named(tmp_path: Path) -> None:
    land = citynet.load(_write(tmp_path / "land"))
    found = [str(w) for w in land.warnings]
    assert found == [
        "cities.csv:2: city_id 'sao-paulo' is a probable duplicate of sao-paulo-2 ('Sao Paulo', "
        "row 3, 6 km apart); merge them, or tell them apart in their names",
        "cities.csv:5: aliases 'Santos' of lima is the name of santos (row 4): typing it asks "
        "which city is meant",
        "memberships.csv:2: since '2015' starts after Old Network (old) closed in 2010: no year "
        "can count it",
        "memberships.csv:3: until '1995' ends before Old Network (old) was founded in 2000: no "
        "year can count it",
        "memberships.csv:4: since '2005' starts before Young Network (young) was founded in "
        "2010: only 2010 on is counted",
    ]
    assert warning_kinds(land.warnings) == {
        "probable duplicate cities": 1,
        "aliases that are another city's name": 1,
        "facts no year can count": 2,
        "facts counted only from the founding year": 1,
    }
    # what the warnings say is what the time model does
    assert land.as_of(2007).edges.query("city_id == 'lima'")["network_id"].tolist() == ["old"]
    assert "young" in land.as_of(2010).edges.query("city_id == 'lima'")["network_id"].tolist()
    assert not land.as_of(2016).edges["city_id"].eq("sao-paulo").any()


def test_validate_warns_and_strict_refuses(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = _write(tmp_path / "land")
    assert main(["validate", str(folder)]) == 0
    out, err = capsys.readouterr()
    assert "valid, with 5 warnings" in out
    assert "warning: memberships.csv:2: since '2015' starts after Old Network" in err
    assert err.splitlines()[-1] == "citynet: 5 warnings"
    assert main(["validate", str(folder), "--strict"]) == 2
    err = capsys.readouterr().err
    assert "error: memberships.csv:3: until '1995' ends before Old Network" in err
    assert "errors with --strict" in err.splitlines()[-1]
    assert main(["info", "--data", str(folder)]) == 0
    assert "Warnings: 1 probable duplicate cities" in capsys.readouterr().out


def test_the_shipped_data_warns_only_where_the_fact_base_says_so() -> None:
    """Rio de Janeiro's Compact of Mayors fact (2015) predates the Global Covenant (2016)."""
    found = citynet.load().warnings
    assert [(w.file, w.column, w.value) for w in found] == [("memberships.csv", "since", "2015")]
    row = citynet.load().memberships.iloc[found[0].row - 2]
    assert (row["city_id"], row["network_id"]) == ("rio-de-janeiro", "gcom")
    assert "Compact of Mayors" in str(row["notes"])
