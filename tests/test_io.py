"""Reading files exactly: encodings, delimiters, shapes, and values pandas would guess at."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

import pytest

import citynet
from citynet import DataError
from citynet.io import atomic_write, read_table_text, write_csv
from tests.conftest import CITIES, MEMBERSHIPS


def messages(err: pytest.ExceptionInfo[DataError]) -> list[str]:
    return [str(p) for p in err.value.problems]


def test_missing_file_is_named(write_folder: Callable[..., Path]) -> None:
    folder = write_folder(networks=None)
    with pytest.raises(DataError) as err:
        citynet.load(folder)
    assert any(m.startswith("networks.csv: file not found") for m in messages(err))


def test_missing_folder(tmp_path: Path) -> None:
    with pytest.raises(DataError, match="is not a folder"):
        citynet.load(tmp_path / "nowhere")


def test_empty_file(write_folder: Callable[..., Path]) -> None:
    with pytest.raises(DataError) as err:
        citynet.load(write_folder(cities=""))
    assert "cities.csv: file is empty (expected a header row)" in messages(err)


def test_header_only_memberships_loads_empty(write_folder: Callable[..., Path]) -> None:
    land = citynet.load(write_folder(memberships="city_id,network_id,role,source_url\n"))
    assert len(land.memberships) == 0
    assert land.edges.empty
    assert land.incidence.nnz == 0
    assert len(land.cities) == 4


def test_utf8_bom_is_accepted(write_folder: Callable[..., Path]) -> None:
    land = citynet.load(write_folder(cities=b"\xef\xbb\xbf" + CITIES.encode()))
    assert land.cities.index[0] == "paris"
    assert land.cities.loc["sao-paulo", "name"] == "São Paulo"


def test_latin1_bytes_say_where(write_folder: Callable[..., Path]) -> None:
    folder = write_folder(
        cities=CITIES.encode("utf-8").replace("São".encode(), "São".encode("latin-1"))
    )
    with pytest.raises(DataError) as err:
        citynet.load(folder)
    (msg,) = messages(err)
    assert msg.startswith("cities.csv: is not UTF-8: byte 0xe3 at line 4, character 12")


def test_semicolon_file_is_named(write_folder: Callable[..., Path]) -> None:
    with pytest.raises(DataError) as err:
        citynet.load(write_folder(networks=NETWORKS_SEMI))
    assert messages(err) == [
        "networks.csv:1: the header is separated by semicolons, not commas; save the file as "
        "comma-separated CSV (spreadsheets in some locales use ';')"
    ]


NETWORKS_SEMI = "network_id;name;scope\nc40;C40;international\n"


def test_ragged_rows_are_reported_not_dropped(write_folder: Callable[..., Path]) -> None:
    bad = CITIES + "rome,Rome,IT,Europe,41.9,12.5,,extra\n"
    with pytest.raises(DataError) as err:
        citynet.load(write_folder(cities=bad))
    assert messages(err) == ["cities.csv:6: has 8 fields, the header has 7"]


def test_duplicated_column(write_folder: Callable[..., Path]) -> None:
    with pytest.raises(DataError) as err:
        citynet.load(write_folder(networks="network_id,name,scope,name\nc40,C40,international,X\n"))
    assert "networks.csv:1: name appears twice in the header (fields 2 and 4)" in messages(err)


def test_crlf_mixed_and_quoted_newlines(write_folder: Callable[..., Path]) -> None:
    text = MEMBERSHIPS.replace("\n", "\r\n", 2) + (
        'windhoek,c40,member,"Line one\nline two",,,,https://example.org/x\n'
    )
    land = citynet.load(write_folder(memberships=text))
    facts = land.memberships
    assert len(facts) == 6
    assert facts.loc[5, "role_title"] == "Line one\nline two"


def test_na_like_text_stays_text(write_folder: Callable[..., Path]) -> None:
    cities = CITIES + "nan,nan,NA,Africa,,,\nnull,None,NA,Africa,,,\n"
    land = citynet.load(write_folder(cities=cities))
    assert land.cities.loc["windhoek", "country"] == "NA"
    assert land.cities.loc["nan", "name"] == "nan"
    assert land.cities.loc["null", "name"] == "None"
    assert land.cities["country"].isna().sum() == 0


def test_extra_columns_keep_leading_zeros_and_text(write_folder: Callable[..., Path]) -> None:
    cities = CITIES.replace("population\n", "population,code\n", 1)
    lines = cities.splitlines()
    lines = [lines[0]] + [line + ",007" for line in lines[1:]]
    land = citynet.load(write_folder(cities="\n".join(lines) + "\n"))
    assert list(land.cities["code"]) == ["007"] * 4
    assert str(land.cities["code"].dtype) == "string"


def test_read_table_text_rows_are_spreadsheet_rows(tmp_path: Path) -> None:
    path = tmp_path / "t.csv"
    path.write_text('a,b\n1,"x\ny"\n\n2,z\n', encoding="utf-8")
    frame, problems = read_table_text(path)
    assert problems == []
    assert frame is not None
    assert list(frame.index) == [2, 4]
    assert list(frame["a"]) == ["1", "2"]


def test_atomic_write_keeps_old_file_on_failure(tmp_path: Path) -> None:
    target = tmp_path / "out.csv"
    target.write_text("old", encoding="utf-8")

    def fail_midway() -> None:
        with atomic_write(target) as fh:
            fh.write("half")
            raise RuntimeError("disk on fire")

    with pytest.raises(RuntimeError):
        fail_midway()
    assert target.read_text(encoding="utf-8") == "old"
    assert os.listdir(tmp_path) == ["out.csv"]


def test_write_csv_is_utf8_regardless_of_locale(tmp_path: Path) -> None:
    import pandas as pd

    target = tmp_path / "names.csv"
    write_csv(pd.DataFrame({"name": ["北京", "São Paulo", "=1+1"]}), target)
    assert target.read_bytes().decode("utf-8") == "name\r\n北京\r\nSão Paulo\r\n=1+1\r\n"


def test_lone_carriage_return_survives(tmp_path: Path) -> None:
    import pandas as pd

    target = tmp_path / "t.csv"
    write_csv(pd.DataFrame({"a": ["x\ry", "z"], "b": ["1", "2"]}), target)
    frame, problems = read_table_text(target)
    assert problems == []
    assert frame is not None
    assert list(frame["a"]) == ["x\ry", "z"]
