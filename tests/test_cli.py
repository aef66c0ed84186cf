"""The command line, run as a user runs it: a real subprocess, stdout, stderr and exit status."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

import citynet
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
    assert done.stdout.startswith("the shipped dataset: valid, with 1 warning")
    assert "(<Landscape: 12117 cities, 55 " in done.stdout
    # the one warning: a fact of the fact base from before its network was founded
    assert done.stderr.splitlines() == [
        "warning: memberships.csv:1241: since '2015' starts before Global Covenant of Mayors "
        "for Climate & Energy (gcom) was founded in 2016: only 2016 on is counted",
        "citynet: 1 warning",
    ]


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
    assert data["cities"] == 12117
    assert data["facts"] == 15586
    assert data["groups"]["toward-city-diplomacy-2018"] == 27
    assert sum(data["memberships_by_role"].values()) == data["memberships"]


def test_info_as_of(write_folder: Callable[..., Path]) -> None:
    data = json.loads(
        run("info", "--data", write_folder(), "--as-of", "2017", "--format", "json").stdout
    )
    assert data["year"] == 2017
    # paris-c40 (since 2005, a seat 2016-2019); the undated facts describe the year they were
    # read (now), and windhoek's is observed in 2019 only
    assert data["memberships"] == 1
    assert data["memberships_by_role"] == {"member": 0, "executive": 1}
    assert data["certainty"]["known"] == 1


def test_usage_error_exits_2() -> None:
    done = run("info", "--format", "yaml")
    assert done.returncode == 2
    assert "invalid choice" in done.stderr


SURVEYED = [
    "amsterdam", "athens", "atlanta", "auckland", "bangkok", "bilbao", "buenos-aires",
    "cape-town", "chicago", "dublin", "gothenburg", "helsinki", "johannesburg", "kyoto",
    "los-angeles", "madrid", "melbourne", "mexico-city", "milan", "new-york", "paris",
    "rio-de-janeiro", "santiago", "stockholm", "tokyo", "vienna", "warsaw",
]  # fmt: skip


@pytest.fixture(autouse=True)
def reuse_shipped(monkeypatch: pytest.MonkeyPatch, shipped: citynet.Landscape) -> None:
    """In-process runs reuse one loaded dataset (the CLI loads once per process anyway)."""
    import citynet.cli

    real_load = citynet.cli.common._load
    monkeypatch.setattr(
        citynet.cli.common, "_load", lambda path=None: shipped if path is None else real_load(path)
    )


def in_process(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    from citynet.cli import main

    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.mark.parametrize("city", SURVEYED)
def test_staff_commands_for_every_surveyed_city(
    capsys: pytest.CaptureFixture[str], city: str
) -> None:
    name = city.replace("-", " ").upper()  # as a newcomer might type it
    code, out, err = in_process(capsys, "check", name, "ICLEI")
    assert (code, err) == (0, "")
    lines = out.splitlines()
    assert lines[0].startswith("As of ")
    assert any(line.startswith("Verdict: ") for line in lines[:6])
    assert max(len(line) for line in lines) <= 100
    code, out, err = in_process(capsys, "check", city, "c40", "--format", "json")
    data = json.loads(out)
    assert data["city"] == city
    assert data["verdict"] in (
        "not open",
        "already a member",
        "worth considering",
        "low added value",
    )
    assert set(data["new_partners"]).isdisjoint(data["shared_partners"])
    code, out, err = in_process(capsys, "suggest", city, "-k", "3")
    assert (code, err) == (0, "")
    assert "value per unit of added load" in out
    assert max(len(line) for line in out.splitlines()) <= 100
    assert "nan" not in out.lower().split()
    assert "True" not in out
    assert not _words(out)
    code, out, err = in_process(capsys, "overcommitment", "--city", city)
    assert (code, err) == (0, "")
    assert "percentile" in out
    assert "Capacity" in out
    assert max(len(line) for line in out.splitlines()) <= 100


def _words(text: str) -> set[str]:
    """Words of plain prose (ids, URLs and file names left out) to check for snake_case."""
    return {
        w
        for w in text.split()
        if "_" in w
        and not w.startswith(("http", "docs/"))
        and not w.endswith(".csv")
        and "-" not in w
        and w.islower()
        and not w.startswith("--")
    }


def test_report_is_the_main_job() -> None:
    done = run("report")
    assert done.returncode == 0, done.stderr
    assert "the 27 cities of the 2018 survey 'Toward City Diplomacy'" in done.stdout
    assert "holding an executive seat:" in done.stdout
    assert max(len(line) for line in done.stdout.splitlines()) <= 100


def test_report_json(capsys: pytest.CaptureFixture[str]) -> None:
    _, out, _ = in_process(capsys, "report", "--format", "json")
    data = json.loads(out)
    assert data["findings"]["cities"] == 27
    assert len(data["engagement"]) == 27


def test_unknown_city_exits_2_with_suggestion() -> None:
    done = run("check", "sao paulu", "c40")
    assert done.returncode == 2
    assert done.stderr.count("\n") == 1
    assert done.stderr.startswith(
        "error: no city called 'sao paulu' in this landscape; did you mean"
    )
    assert "sao-paulo (São Paulo, BR)" in done.stderr


def test_weights_option(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = in_process(
        capsys, "overcommitment", "--format", "json", "--weights", "executive=10,national=0"
    )
    heavy = {r["city_id"]: r for r in json.loads(out)}
    code, out, _ = in_process(capsys, "overcommitment", "--format", "json")
    default = {r["city_id"]: r for r in json.loads(out)}
    assert heavy["paris"]["load"] > default["paris"]["load"]
    code, _, err = in_process(capsys, "report", "--weights", "chair=2")
    assert code == 2
    assert "unknown key 'chair'" in err


def test_overcommitment_csv(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = in_process(capsys, "overcommitment", "--format", "csv", "--peers", "population")
    assert code == 0
    header = out.splitlines()[0].split(",")
    assert header[:3] == ["city_id", "name", "region"]
    assert "flag_reason" in header


# -- advice commands, names and options (issue: advice city staff can act on) --------------


def test_check_compares_candidates(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = in_process(capsys, "check", "santiago", "iclei", "uclg", "metropolis")
    assert (code, err) == (0, "")
    assert "3 candidate networks side by side" in out
    assert max(len(line) for line in out.splitlines()) <= 100
    code, out, _ = in_process(
        capsys, "check", "santiago", "iclei", "uclg", "metropolis", "--format", "csv"
    )
    rows = out.splitlines()
    assert rows[0].startswith("network,")
    assert len(rows) == 4
    code, out, _ = in_process(capsys, "check", "santiago", "iclei", "uclg", "--format", "json")
    assert [r["network"] for r in json.loads(out)] == ["iclei", "uclg"]


def test_leave_command(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = in_process(capsys, "leave", "helsinki", "eurocities")
    assert (code, err) == (0, "")
    assert "Verdict: costly to leave." in out
    assert "What it would save" in out
    code, out, err = in_process(capsys, "leave", "santiago", "iclei")
    assert code == 2
    assert "is not a member of ICLEI" in err


def test_swapped_arguments_are_recognised(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = in_process(capsys, "check", "iclei", "santiago")
    assert code == 0
    assert err.strip() == (
        "note: 'iclei' is a network and 'santiago' a city; read as santiago iclei (city first)"
    )
    assert "Santiago and ICLEI" in out


@pytest.mark.parametrize(
    ("typed", "network"),
    [
        ("C40 Cities", "c40"),
        ("CGLU", "uclg"),
        ("Kuntaliitto", "afcm"),
        ("全国市長会", "jacm"),
        ("Japan Association of City Mayors", "jacm"),
        ("Covenant of Mayors", "com-europe"),
        ("Climate Alliance", "climate-alliance"),
        ("Union of the Baltic Cities", "ubc"),
    ],
)
def test_network_names_people_type(shipped: citynet.Landscape, typed: str, network: str) -> None:
    assert citynet.resolve_network(shipped, typed) == network


def test_every_printed_network_name_can_be_typed_back(shipped: citynet.Landscape) -> None:
    networks = shipped.networks
    for nid, name, acronym in zip(
        networks.index, networks["name"], networks["acronym"], strict=True
    ):
        assert citynet.resolve_network(shipped, str(name)) == nid
        if isinstance(acronym, str):
            assert citynet.resolve_network(shipped, acronym) == nid


def test_ambiguous_and_unknown_names_are_one_line(capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = in_process(capsys, "check", "santiago", "Cities Network")
    assert code == 2
    assert err.count("\n") == 1
    code, _, err = in_process(capsys, "check", "santiago", "Atlantik Cities")
    assert code == 2
    assert "atlantic-cities" in err


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["overcommitment", "--top", "-5"], "must be 1 or more, not -5"),
        (["suggest", "santiago", "-k", "-3"], "must be 1 or more, not -3"),
        (["overcommitment", "--threshold", "150"], "between 0 and 100"),
        (["overcommitment", "--peers", "group:"], "needs a tag"),
        (["overcommitment", "--peers", "group:nonesuch"], "no city carries the group tag"),
        (["overcommitment", "--city", ""], "cannot be empty"),
        (["check", "santiago", "iclei", "--weights", "executive=inf"], "finite number"),
        (["check", "santiago", "iclei", "--weights", "member=0,executive=0"], "cannot all be 0"),
        (["suggest", "santiago", "--themes", ","], "--themes is empty"),
        (["suggest", "santiago", "--max-load", "-1"], "must be above 0"),
        (["clusters", "--seed", "-1"], "must be 0 or more"),
        (["centrality", "-k", "-5"], "must be 1 or more"),
        (["info", "--as-of", "20150"], "between 1800 and 2100"),
    ],
)
def test_bad_options_exit_2_with_one_line(args: list[str], message: str) -> None:
    done = run(*args)
    assert done.returncode == 2, done.stdout
    assert done.stderr.count("\n") == 1, done.stderr
    assert message in done.stderr
    assert "Traceback" not in done.stderr
    assert "numpy" not in done.stderr
    assert done.stdout == ""


def test_networks_and_themes_lists(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = in_process(capsys, "networks", "--scope", "national")
    assert code == 0
    assert "skr" in out
    assert "c40" not in out.split()
    assert max(len(line) for line in out.splitlines()) <= 100
    code, out, _ = in_process(capsys, "networks", "--format", "csv")
    assert "CGLU" in out  # aliases are listed
    code, out, _ = in_process(capsys, "themes")
    assert "urban planning and sustainability" in out


def test_brief_writes_one_page(tmp_path: Path) -> None:
    out = tmp_path / "briefs" / "santiago.html"  # the folder does not exist yet
    done = run("brief", "santiago", "-o", out)
    assert done.returncode == 0, done.stderr
    page = out.read_text(encoding="utf-8")
    assert "<script" not in page
    assert "default-src 'none'" in page
    assert "Networks worth considering" in page
