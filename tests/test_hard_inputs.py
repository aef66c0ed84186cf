"""Hard inputs, round two: no header typo silently changes meaning, no save leaves a mixed folder.

Each test is one reproduced case of the second adversarial round, with its exact outcome.
"""

from __future__ import annotations

import hashlib
import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import citynet
from citynet import DataError
from citynet.cli import main
from citynet.synthetic import synthetic_landscape

CITIES = "city_id,name,country\nparis,Paris,FR\nlima,Lima,PE\n"
NETWORKS = "network_id,name,scope\nc40,C40,international\n"
MEMBERSHIPS = (
    "city_id,network_id,role,source_url,until\n"
    "paris,c40,member,https://x.org/a,2010\n"
    "lima,c40,member,https://x.org/b,\n"
)


def folder(tmp: Path, **files: str) -> Path:
    tmp.mkdir(parents=True, exist_ok=True)
    texts = {"cities": CITIES, "networks": NETWORKS, "memberships": MEMBERSHIPS, **files}
    for name, text in texts.items():
        (tmp / f"{name}.csv").write_bytes(text.encode("utf-8"))
    return tmp


def problems(path: Path) -> list[str]:
    with pytest.raises(DataError) as err:
        citynet.load(path)
    return [str(p) for p in err.value.problems]


# -- rows lost ---------------------------------------------------------------------------------------
def test_a_stray_quote_is_an_error_naming_its_row(tmp_path: Path) -> None:
    text = (
        "city_id,network_id,role,source_url,notes\n"
        'paris,c40,member,https://x.org/a,"oops\n'
        "lima,c40,member,https://x.org/b,\n"
    )
    assert problems(folder(tmp_path, memberships=text)) == [
        "memberships.csv:2: a quoted field opens on line 2 and never closes, so every later row "
        "would be read as part of one cell; close the quote (or remove it)"
    ]


def test_a_field_longer_than_the_csv_module_limit_is_read(tmp_path: Path) -> None:
    long = "x" * 200_000
    text = f'city_id,network_id,role,source_url,notes\nparis,c40,member,https://x.org/a,"{long}"\n'
    text += "lima,c40,bogus,https://x.org/b,\n"  # a second problem sends it down the strict path
    assert problems(folder(tmp_path, memberships=text)) == [
        "memberships.csv:3: role 'bogus' is not one of member, executive"
    ]


def test_r_write_table_layout_is_named(tmp_path: Path) -> None:
    shifted = (
        '"city_id","network_id","role","source_url"\n"1","paris","c40","member","https://x.org/a"\n'
    )
    found = problems(folder(tmp_path, memberships=shifted))
    assert len(found) == 1
    assert "layout of R's write.table with row names" in found[0]
    unnamed = '"","city_id","network_id","role","source_url"\n"1","paris","c40","member","https://x.org/a"\n'
    found = problems(folder(tmp_path, memberships=unnamed))
    assert found == [
        "memberships.csv:1: the header's first field is empty: a table written with row names "
        "(R's write.csv); write it without them (row.names = FALSE) or name the column"
    ]


# -- silent changes of meaning -----------------------------------------------------------------------
@pytest.mark.parametrize("header", ["until ", "Until", " until", "UNTIL"])
def test_a_header_differing_by_space_or_case_is_refused(tmp_path: Path, header: str) -> None:
    text = MEMBERSHIPS.replace(",until\n", f",{header}\n", 1)
    found = problems(folder(tmp_path, memberships=text))
    assert found == [
        f"memberships.csv:1: header {header!r} is not a column of the contract, so its values "
        "would be ignored (did you mean 'until'? headers are lower case, without spaces around "
        "them)"
    ]


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    column=st.sampled_from(["until", "since", "role_title", "notes", "evidence", "as_of"]),
    left=st.sampled_from(["", " ", "  ", "\t"]),
    right=st.sampled_from(["", " ", "\t"]),
    upper=st.lists(st.booleans(), min_size=10, max_size=10),
)
def test_property_a_renamed_header_keeps_its_meaning_or_fails_naming_it(
    tmp_path_factory: pytest.TempPathFactory,
    column: str,
    left: str,
    right: str,
    upper: list[bool],
) -> None:
    cased = "".join(c.upper() if u else c for c, u in zip(column, upper, strict=False))
    header = left + cased + right
    values = {"until": "2010", "since": "2001", "role_title": "Chair", "notes": "n",
              "evidence": "listed", "as_of": "2019"}  # fmt: skip
    text = (
        f"city_id,network_id,role,source_url,{header}\n"
        f"paris,c40,member,https://x.org/a,{values[column]}\n"
    )
    path = folder(tmp_path_factory.mktemp("h"), memberships=text)
    if header == column:
        land = citynet.load(path)
        assert str(land.memberships[column].iloc[0]) == values[column]
    else:
        found = problems(path)
        assert found == [
            f"memberships.csv:1: header {header!r} is not a column of the contract, so its "
            f"values would be ignored (did you mean {column!r}? headers are lower case, without "
            "spaces around them)"
        ]


@pytest.mark.parametrize(
    ("column", "value"),
    [("since", "١٩٩٠"), ("since", "２０２０"), ("since", "1_990"), ("as_of", "2_019")],
)
def test_years_in_other_digits_or_with_underscores_are_refused(
    tmp_path: Path, column: str, value: str
) -> None:
    text = (
        f"city_id,network_id,role,source_url,{column}\nparis,c40,member,https://x.org/a,{value}\n"
    )
    found = problems(folder(tmp_path, memberships=text))
    assert found == [
        f"memberships.csv:2: {column} {value!r} is not a year (a whole number such as 2017)"
    ]


@pytest.mark.parametrize("value", ["4_5.5", "４５", "٤٥.٥"])
def test_coordinates_in_other_digits_are_refused(tmp_path: Path, value: str) -> None:
    cities = (
        f"city_id,name,country,latitude,longitude\nparis,Paris,FR,{value},2.35\nlima,Lima,PE,,\n"
    )
    found = problems(folder(tmp_path, cities=cities))
    assert found == [
        f"cities.csv:2: latitude {value!r} is not a number (ASCII digits only, '.' as the decimal "
        "point)"
    ]


def test_names_are_nfc_and_homoglyphs_or_invisible_characters_refused(tmp_path: Path) -> None:
    nfd = "Sa\u0303o Paulo"
    cities = f"city_id,name,country\nparis,Paris,FR\nlima,Lima,PE\nsp,{nfd},BR\n"
    land = citynet.load(folder(tmp_path / "nfd", cities=cities))
    assert land.cities.loc["sp", "name"] == "São Paulo"  # one code point for ã
    assert citynet.resolve_city(land, "São Paulo") == "sp"
    forged = "city_id,name,country\nparis,P\u0430ris,FR\nlima,Li\u200bma,PE\n"
    found = problems(folder(tmp_path / "forged", cities=forged))
    assert found == [
        "cities.csv:2: name 'P\u0430ris' has the CYRILLIC letter '\u0430' among LATIN ones in "
        "'P\u0430ris', as a look-alike of another name would; write it in one script",
        "cities.csv:3: name 'Li\\u200bma' holds an invisible character (U+200B) that makes it "
        "look like another name",
    ]
    # real names in one script, or with a letter no other script draws alike, are fine
    fine = "city_id,name,country\nparis,Москва,RU\nlima,Сарагосæ,ES\n"
    assert len(citynet.load(folder(tmp_path / "fine", cities=fine)).cities) == 2


# -- writes that lose or mix data ----------------------------------------------------------------------
def test_save_writes_exactly_the_landscape_and_keeps_other_files(tmp_path: Path) -> None:
    land = citynet.load()
    assert land.capacity is not None
    out = land.save(tmp_path / "land")
    (out / "README.md").write_text("my notes", encoding="utf-8")
    small = citynet.load(folder(tmp_path / "small"))
    assert small.capacity is None
    small.save(out)  # used to leave the old capacity.csv, and the folder then failed to load
    assert not (out / "capacity.csv").exists()
    assert (out / "README.md").read_text(encoding="utf-8") == "my notes"
    assert citynet.load(out).equals(small)
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []


def _digest(path: Path) -> dict[str, str]:
    return {
        p.name: hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(path.iterdir())
        if p.suffix == ".csv"
    }


def test_a_save_killed_at_any_moment_leaves_the_old_or_the_new_landscape(tmp_path: Path) -> None:
    old = synthetic_landscape(50_000, 300, 60_000, seed=1)
    new = synthetic_landscape(50_000, 300, 60_000, seed=2)
    target = tmp_path / "land"
    new.save(tmp_path / "new")
    want_new = _digest(tmp_path / "new")
    (tmp_path / "new.pickle").write_bytes(__import__("pickle").dumps(new))
    script = textwrap.dedent(
        f"""
        import pickle, sys
        land = pickle.loads(open({str(tmp_path / "new.pickle")!r}, "rb").read())
        print("ready", flush=True)
        sys.stdin.readline()
        land.save({str(target)!r})
        """
    )
    outcomes = set()
    # killed before, during (the save takes about 1.4 s here) and surely after the save
    for delay in (0.0, 0.3, 0.6, 0.9, 1.2, 1.6, 8.0):
        old.save(target)
        want_old = _digest(target)
        child = subprocess.Popen(
            [sys.executable, "-c", script],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
        assert child.stdout is not None
        assert child.stdin is not None
        assert child.stdout.readline().strip() == "ready"
        child.stdin.write("\n")
        child.stdin.flush()
        time.sleep(delay)
        child.send_signal(signal.SIGKILL)
        child.wait()
        child.stdin.close()
        child.stdout.close()
        got = _digest(target)
        assert got in (want_old, want_new)
        outcomes.add("new" if got == want_new else "old")
    assert "new" in outcomes  # the last kill comes after the save
    assert citynet.load(target).equals(new)


# -- guards ----------------------------------------------------------------------------------------------
def test_output_onto_an_input_file_is_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data = folder(tmp_path / "d")
    before = (data / "cities.csv").read_bytes()
    code = main(["map", "--data", str(data), "-o", str(data / "cities.csv")])
    assert code == 2
    assert "is an input file of the landscape" in capsys.readouterr().err
    assert (data / "cities.csv").read_bytes() == before


@pytest.mark.parametrize(
    "argv",
    [["modules", "--seed", "-1"], ["clusters", "--seed", "-1"], ["suggest", "paris", "-k", "-5"]],
)
def test_negative_seeds_are_a_usage_error(
    argv: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as exit_:
        main(argv)
    assert exit_.value.code == 2
    err = capsys.readouterr().err
    assert "--seed" in err or "-k" in err


def test_file_too_large_is_refused_with_a_message(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import citynet.io

    monkeypatch.setattr(citynet.io, "MAX_FILE_BYTES", 100)
    path = folder(tmp_path, memberships=MEMBERSHIPS + "lima,c40,member,https://x.org/c,\n" * 5)
    found = problems(path)
    size = os.path.getsize(path / "memberships.csv")
    assert found == [
        f"memberships.csv: is {size:,} bytes, more than the 100 citynet reads (split the "
        "landscape, or keep only the columns of the data contract)"
    ]


# -- crashes on valid input ------------------------------------------------------------------------
def test_networks_sharing_nothing_are_a_clear_answer(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    networks = "network_id,name,scope,themes\nc40,C40,international,climate_change\n"
    networks += "iclei,ICLEI,international,environment\n"
    memberships = (
        "city_id,network_id,role,source_url\n"
        "paris,c40,member,https://x.org/a\nlima,iclei,member,https://x.org/b\n"
    )
    data = folder(tmp_path, networks=networks, memberships=memberships)
    assert main(["clusters", "--data", str(data)]) == 2
    assert "no two networks share a member" in capsys.readouterr().err
    assert main(["report", "--data", str(data)]) == 0


def test_extra_columns_named_like_graph_keys_are_kept_on_export(tmp_path: Path) -> None:
    import networkx as nx

    extra = ["kind", "id", "bipartite", "spells", "viz", "label", "entity_id", "start", "pid"]
    cities = "city_id,name,country," + ",".join(extra) + "\n"
    cities += "paris,Par\x01is,FR," + ",".join(f"v-{e}" for e in extra) + "\n"
    cities += "lima,Lima,PE," + ",".join("" for _ in extra) + "\n"
    land = citynet.load(folder(tmp_path / "d", cities=cities))
    gexf = citynet.write_gexf(land, tmp_path / "land.gexf")
    graphml = citynet.write_graphml(land, tmp_path / "land.graphml")
    for graph in (nx.read_gexf(gexf), nx.read_graphml(graphml)):
        node = graph.nodes["city:paris"]
        assert node["kind"] == "city"
        assert node["entity_id"] == "paris"
        assert node["label"] == "Par\\u0001is"  # a control character XML cannot hold, escaped
        for name in extra:
            assert node[f"data_{name}"] == f"v-{name}", name
    paths = citynet.write_kumu(land, tmp_path / "kumu.xlsx")
    assert paths[0].stat().st_size > 0


def test_kumu_labels_are_unique_and_an_empty_landscape_exports(tmp_path: Path) -> None:
    cities = (
        "city_id,name,country\nparis,Paris,FR\nparis-2,Paris,FR\nlima,Paris (FR) [city:paris],PE\n"
    )
    memberships = "city_id,network_id,role,source_url\nparis,c40,member,https://x.org/a\n"
    land = citynet.load(folder(tmp_path / "d", cities=cities, memberships=memberships))
    elements, _ = citynet.to_kumu(land)
    assert elements["Label"].is_unique
    empty = citynet.load(folder(tmp_path / "e", memberships="city_id,network_id,role,source_url\n"))
    assert [p.name for p in citynet.write_kumu(empty, tmp_path / "k.csv")] == [
        "k-elements.csv",
        "k-connections.csv",
    ]


def test_many_unknown_ids_get_few_suggestions(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import citynet.validate

    calls = []
    real = citynet.validate._suggest

    def counting(value: str, choices: object, **kw: float) -> str:
        calls.append(value)
        return real(value, choices, **kw)

    monkeypatch.setattr(citynet.validate, "_suggest", counting)
    rows = "".join(f"town-{i},c40,member,https://x.org/a\n" for i in range(500))
    found = problems(folder(tmp_path, memberships="city_id,network_id,role,source_url\n" + rows))
    assert len(found) == 500  # every problem reported
    assert len(calls) <= 2 * citynet.validate.SUGGEST_LIMIT  # a fast and an exact pass


@pytest.mark.parametrize(("n", "m", "k"), [(300, 40, 1200), (600, 60, 2400)])
def test_the_projection_memory_bound_holds_the_measured_peak(n: int, m: int, k: int) -> None:
    """The guard once estimated 0.71 GB and the projection then asked for 17.1 GiB."""
    import tracemalloc

    from citynet.analysis.bicm import (
        estimate_projection_pairs,
        projection_bytes,
        validated_projection,
    )

    land = synthetic_landscape(n, m, k, seed=0)
    bound = projection_bytes(estimate_projection_pairs(land.incidence, side="rows"))
    tracemalloc.start()
    try:
        table = validated_projection(land, side="cities", max_memory=1e12)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert len(table) > 1000
    assert peak < bound


def test_the_projection_refusal_names_options_that_exist(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    synthetic_landscape(400, 40, 1600, seed=0).save(tmp_path / "d")
    argv = [
        "projection",
        "--side",
        "cities",
        "--max-memory",
        "0.001",
        "--data",
        str(tmp_path / "d"),
    ]
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert "use --side networks, choose cities with --city X --city Y, or raise --max-memory" in err
    from citynet.cli import build_parser

    parsed = build_parser().parse_args(
        ["projection", "--side", "cities", "--city", "x", "--max-memory", "3"]
    )
    assert (parsed.side, parsed.city, parsed.max_memory) == ("cities", ["x"], 3.0)


# -- writers ---------------------------------------------------------------------------------------
def test_an_output_symlink_is_followed(tmp_path: Path) -> None:
    real = tmp_path / "real.gexf"
    real.write_text("old", encoding="utf-8")
    link = tmp_path / "link.gexf"
    link.symlink_to(real)
    citynet.write_gexf(citynet.load(), link)
    assert link.is_symlink()
    assert real.read_text(encoding="utf-8").startswith("<gexf")


def test_sigterm_during_a_write_leaves_no_temporary_file(tmp_path: Path) -> None:
    land = tmp_path / "land"
    synthetic_landscape(20_000, 200, 40_000, seed=3).save(land)
    out = tmp_path / "out"
    out.mkdir()
    for delay in (0.5, 1.0, 1.5):
        child = subprocess.Popen(
            [sys.executable, "-m", "citynet.cli", "export", "--to", "gexf",
             "--data", str(land), "--no-cache", "-o", str(out / "land.gexf")],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )  # fmt: skip
        time.sleep(delay)
        child.send_signal(signal.SIGTERM)
        child.wait()
        assert [p.name for p in out.iterdir() if p.name.endswith(".tmp")] == []


def test_two_writers_of_one_output_each_leave_a_whole_file(tmp_path: Path) -> None:
    import networkx as nx

    from citynet.synthetic import synthetic_landscape

    data = tmp_path / "d"  # a landscape of the shipped data's old size: the writers, not the size
    synthetic_landscape(n_cities=1500, n_networks=50, n_memberships=3500, seed=1).save(data)
    target = tmp_path / "land.graphml"
    argv = [sys.executable, "-m", "citynet.cli", "export", "--to", "graphml", "--data", str(data)]
    for _ in range(3):
        children = [
            subprocess.Popen([*argv, "-o", str(target)], stdout=subprocess.DEVNULL)
            for _ in range(2)
        ]
        assert [c.wait() for c in children] == [0, 0]
        assert nx.read_graphml(target).number_of_nodes() > 1000
    saves = [
        subprocess.Popen(
            [sys.executable, "-c",
             f"import citynet; citynet.load({str(data)!r}).save({str(tmp_path / 'copy')!r})"]
        )
        for _ in range(3)
    ]  # fmt: skip
    assert [c.wait() for c in saves] == [0, 0, 0]
    assert citynet.load(tmp_path / "copy").equals(citynet.load(data))
