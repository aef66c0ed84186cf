"""The command line, run as a user runs it: a real subprocess, stdout, stderr and exit status."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

from tests.conftest import CITIES, MEMBERSHIPS, NETWORKS


def run(*args: str | Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "citynet.cli", *map(str, args)],
        capture_output=True,
        text=True,
        check=False,
        encoding="utf-8",
    )


def test_validate_shipped_data() -> None:
    done = run("validate")
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("the shipped dataset: valid (<Landscape: 1586 cities, 53 ")


def test_validate_a_folder(write_folder: Callable[..., Path]) -> None:
    done = run("validate", write_folder())
    assert done.returncode == 0
    assert "valid (<Landscape: 4 cities" in done.stdout


def test_validate_dozen_mistakes_exits_2_with_one_line_each(
    write_folder: Callable[..., Path],
) -> None:
    folder = write_folder(
        cities=CITIES + "Rome,Rome,ITA,Europa,91,x,\nparis,Paris,FR,,,,\n",
        networks=NETWORKS + "ucci,UCCI,,Regional,tourisme\n",
        memberships=MEMBERSHIPS + "sao-paolo,c40,membre,,2019,2015,,ftp://x\n"
        "paris,c40,member,,2005,,,https://example.org/c40\n",
    )
    done = run("validate", folder)
    assert done.returncode == 2
    assert done.stdout == ""
    lines = done.stderr.splitlines()
    assert "Traceback" not in done.stderr
    assert len(lines) == 14
    assert lines[-1] == "citynet: 13 problems found; nothing was loaded"
    assert (
        "error: memberships.csv:7: city_id 'sao-paolo' is not in cities.csv "
        "(did you mean 'sao-paulo'?)" in lines
    )
    assert all(line.startswith("error: ") for line in lines[:-1])


def test_missing_folder_is_one_line(tmp_path: Path) -> None:
    done = run("info", "--data", tmp_path / "nope")
    assert done.returncode == 2
    assert done.stderr.count("\n") == 2
    assert "is not a folder" in done.stderr


def test_info_text_and_json() -> None:
    text = run("info")
    assert text.returncode == 0
    assert "Memberships by role:" in text.stdout
    data = json.loads(run("info", "--format", "json").stdout)
    assert data["cities"] == 1586
    assert data["facts"] == 3643
    assert data["groups"]["toward-city-diplomacy-2018"] == 27
    assert sum(data["memberships_by_role"].values()) == data["memberships"]


def test_info_as_of(write_folder: Callable[..., Path]) -> None:
    data = json.loads(
        run("info", "--data", write_folder(), "--as-of", "2000", "--format", "json").stdout
    )
    assert data["year"] == 2000
    assert data["memberships"] == 3  # paris-c40 starts in 2005


def test_usage_error_exits_2() -> None:
    done = run("info", "--format", "yaml")
    assert done.returncode == 2
    assert "invalid choice" in done.stderr
