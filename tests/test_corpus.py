"""The bad-input corpus (tests/data/bad/, written by tools/make_bad_corpus.py): every entry
either loads with every value intact or fails with exactly the documented problems."""

from __future__ import annotations

import fnmatch
import json
from pathlib import Path
from typing import Any

import pytest

import citynet
from citynet import DataError
from citynet.cli import main

CORPUS = Path(__file__).resolve().parent / "data" / "bad"
ENTRIES = sorted(p for p in CORPUS.iterdir() if p.is_dir())


def expected(entry: Path) -> dict[str, Any]:
    result: dict[str, Any] = json.loads((entry / "expected.json").read_text(encoding="utf-8"))
    return result


def matches(actual: list[str], wanted: list[str]) -> bool:
    return len(actual) == len(wanted) and all(
        fnmatch.fnmatchcase(a, w) if w.endswith("*") else a == w
        for a, w in zip(actual, wanted, strict=True)
    )


def test_corpus_is_large_enough() -> None:
    assert len(ENTRIES) >= 30
    outcomes = [expected(e)["outcome"] for e in ENTRIES]
    assert outcomes.count("ok") >= 8
    assert outcomes.count("error") >= 20
    assert all(expected(e)["about"] for e in ENTRIES)


@pytest.mark.parametrize("entry", ENTRIES, ids=lambda p: p.name)
def test_load(entry: Path) -> None:
    spec = expected(entry)
    if spec["outcome"] == "error":
        with pytest.raises(DataError) as err:
            citynet.load(entry)
        actual = [str(p) for p in err.value.problems]
        assert matches(actual, spec["problems"]), actual
        return
    land = citynet.load(entry)
    for table, key, column, value in spec["checks"]:
        frame = getattr(land, table)
        if key == "count":
            assert len(frame) == value
        else:
            assert frame.loc[key, column] == value


@pytest.mark.parametrize("entry", ENTRIES, ids=lambda p: p.name)
def test_cli_validate(entry: Path, capsys: pytest.CaptureFixture[str]) -> None:
    spec = expected(entry)
    code = main(["validate", str(entry)])
    out, err = capsys.readouterr()
    if spec["outcome"] == "ok":
        assert (code, err) == (0, "")
        assert "valid" in out
        return
    lines = err.splitlines()
    assert code == 2
    assert out == ""
    assert "Traceback" not in err
    assert matches([line.removeprefix("error: ") for line in lines[:-1]], spec["problems"])
    assert all(line.startswith("error: ") for line in lines[:-1])
    n = len(spec["problems"])
    assert lines[-1] == f"citynet: {n} problem{'s' if n != 1 else ''} found; nothing was loaded"


def write_big(folder: Path, rows: int, *, bad_row: int | None = None) -> None:
    folder.mkdir()
    n_cities = 5_000
    with (folder / "cities.csv").open("w", encoding="utf-8") as fh:
        fh.write("city_id,name,country\n")
        for i in range(n_cities):
            fh.write(f"c{i:05d},City {i},NA\n")
    with (folder / "networks.csv").open("w", encoding="utf-8") as fh:
        fh.write("network_id,name,scope\n")
        for j in range(40):
            fh.write(f"n{j:02d},Network {j},international\n")
    with (folder / "memberships.csv").open("w", encoding="utf-8") as fh:
        fh.write("city_id,network_id,role,source_url\n")
        for k in range(rows):
            city = "c99999" if k + 2 == bad_row else f"c{k % n_cities:05d}"
            fh.write(f"{city},n{k // n_cities:02d},member,https://example.org/{k}\n")


def test_100000_rows_load_exactly(tmp_path: Path) -> None:
    write_big(tmp_path / "big", 100_000)
    land = citynet.load(tmp_path / "big")
    assert len(land.memberships) == 100_000
    assert len(land.edges) == 100_000
    assert land.memberships.loc[99_999, "source_url"] == "https://example.org/99999"


def test_100000_rows_error_is_found(tmp_path: Path) -> None:
    write_big(tmp_path / "big", 100_000, bad_row=77_777)
    with pytest.raises(DataError) as err:
        citynet.load(tmp_path / "big")
    assert [str(p) for p in err.value.problems] == [
        "memberships.csv:77777: city_id 'c99999' is not in cities.csv (did you mean 'c04999'?)"
    ]
