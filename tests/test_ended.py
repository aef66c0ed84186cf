"""The city view says why and when each ended membership ended (the seams issue)."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

import citynet
from citynet.cli import main
from citynet.render.commitment import end_phrase, ended_history

SOURCE = "https://example.org/s"


def _phrases(land: citynet.Landscape, city: str) -> dict[str, list[str]]:
    history = citynet.membership_history(land, city)
    out: dict[str, list[str]] = {}
    for _, h in ended_history(history).iterrows():
        out.setdefault(str(h["network_id"]), []).append(end_phrase(h))
    return out


def test_shipped_reasons() -> None:
    land = citynet.load()
    assert _phrases(land, "Venice") == {"c40": ["not on the complete list of 2026"]}
    assert _phrases(land, "Bordeaux") == {"com-europe": ["suspended by the network in 2024"]}
    helsinki = _phrases(land, "Helsinki")
    assert helsinki["iclei"] == ["seat ended in 2015"]
    berlin = _phrases(land, "Berlin")
    assert berlin["eurocities"] == ["lapsed: last seen 2009, no new observation within 10 years"]


def _folder(tmp_path: Path) -> Path:
    folder = tmp_path / "land"
    folder.mkdir()
    pd.DataFrame({"city_id": ["lyon"], "name": ["Lyon"], "country": ["FR"]}).to_csv(
        folder / "cities.csv", index=False
    )
    pd.DataFrame(
        {
            "network_id": ["gone", "board"],
            "name": ["Gone Network", "Board Network"],
            "scope": ["international", "international"],
            "founded": ["2000", "2000"],
            "status": ["closed", ""],
            "closed": ["2019", ""],
        }
    ).to_csv(folder / "networks.csv", index=False)
    pd.DataFrame(
        {
            "city_id": ["lyon", "lyon", "lyon"],
            "network_id": ["gone", "board", "board"],
            "role": ["member", "executive", "member"],
            "since": ["2010", "2010", "2010"],
            "until": ["", "", ""],
            "as_of": ["2014", "2014", "2024"],
            "source_url": [SOURCE] * 3,
        }
    ).to_csv(folder / "memberships.csv", index=False)
    return folder


def test_seat_term_and_closed_network(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    land = citynet.load(_folder(tmp_path))
    phrases = _phrases(land, "lyon")
    assert phrases["gone"] == ["network closed in 2019"]
    assert phrases["board"] == ["seat ended (one term after 2014, presumed to 2016)"]
    assert main(["overcommitment", "--city", "lyon", "--data", str(tmp_path / "land")]) == 0
    out = capsys.readouterr().out
    assert "Gone Network: member, since 2010, seen 2014: network closed in 2019" in out
    assert "undated" not in out.split("Ended (why and when)")[1].split("What the")[0]
