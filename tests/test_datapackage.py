"""The Frictionless descriptor: frictionless and citynet accept the shipped data and reject the
same broken copies."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from frictionless import Package

import citynet
from citynet.datapackage import datapackage

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "data"


def frictionless_errors(folder: Path) -> list[str]:
    report = Package(str(folder / "datapackage.json")).validate()
    return [] if report.valid else [e.type for task in report.tasks for e in task.errors]


def test_frictionless_accepts_the_shipped_data() -> None:
    assert frictionless_errors(DATA) == []


def test_descriptor_is_generated_from_the_contract() -> None:
    committed = json.loads((DATA / "datapackage.json").read_text(encoding="utf-8"))
    generated = datapackage(citynet.load(DATA))
    # the build adds to each resource the licences of the sources its rows cite
    assert all(r.pop("sources") for r in committed["resources"])
    assert committed["resources"] == generated["resources"]


@pytest.mark.parametrize(
    ("file", "old", "new"),
    [
        ("memberships.csv", "\nbengaluru,c40,", "\nbengaluru-x,c40,"),  # unknown city
        ("networks.csv", ",international,", ",internacional,"),  # bad scope
        ("cities.csv", ",Europe,43.33,", ",Europe,143.33,"),  # latitude out of range
        ("memberships.csv", ",listed,,yes,https://www.c40.org", ",listed,,yes,www.c40.org"),
        ("networks.csv", "\n100rc,", "\naalmac,"),  # duplicate id
    ],
)
def test_both_reject_the_same_broken_copy(tmp_path: Path, file: str, old: str, new: str) -> None:
    broken = tmp_path / "data"
    shutil.copytree(DATA, broken)
    text = (broken / file).read_text(encoding="utf-8")
    assert old in text
    (broken / file).write_text(text.replace(old, new, 1), encoding="utf-8")
    assert frictionless_errors(broken), "frictionless accepted a broken copy"
    with pytest.raises(citynet.DataError):
        citynet.load(broken)
