"""Importing published tables: generated wide and long tables with the awkward cases of real ones.

The tables are generated here, with a seed, in the two shapes researchers publish: a wide table
(one row per actor, one 0/1 column per network, as the Acuto & Leffel and ClimActor datasets) and
a long table (one row per city x network, with years, a status and two pairs of coordinate
columns). The round-trip guarantee: every 1 (every row) becomes exactly one membership.
"""

from __future__ import annotations

import json
import random
from pathlib import Path

import pandas as pd
import pytest

from citynet import DataError, convert_long, convert_wide, load, read_long, read_wide, write_import
from citynet._errors import CitynetError
from citynet.cli import main
from citynet.importers import country_code, number, slugify

SOURCE = "https://example.org/dataset"

# (name, alpha-3, country name, alpha-2): Namibia's NA, Kosovo, names that need transliteration
PLACES = [
    ("Windhoek", "NAM", "Namibia", "NA"),
    ("Helsingør", "DNK", "Denmark", "DK"),
    ("Ærø", "DNK", "Denmark", "DK"),
    ("Prishtina", "RKS", "Kosovo", "XK"),
    ("São Paulo", "BRA", "Brazil", "BR"),
    ("Kraków", "POL", "Poland", "PL"),
    ("Springfield", "USA", "United States", "US"),
    ("Springfield", "USA", "United States", "US"),  # a homonym in one country
    ("Paris", "FRA", "France", "FR"),
    ("Paris", "USA", "United States", "US"),  # a homonym in another country
    ("Zürich", "CHE", "Switzerland", "CH"),
    ("Nairobi", "KEN", "Kenya", "KE"),
]


def _comma(value: float) -> str:
    return f"{value:.4f}".replace(".", ",")


def make_wide(path: Path, *, n_cities: int = 300, n_networks: int = 12, seed: int = 1) -> int:
    """Write a wide table (BOM, semicolons, comma decimals, ISO3 and a country column, empty
    coordinates, populations as 2e+05) and return how many cells hold a 1."""
    rng = random.Random(seed)
    networks = [f"Network {chr(65 + i)}" for i in range(n_networks)]
    header = ["Actor", "iso", "country", "Latitude", "Longitude", "Population", *networks]
    lines = [";".join(header)]
    ones = 0
    for i in range(n_cities):
        name, iso3, country, _ = PLACES[i % len(PLACES)]
        if i >= len(PLACES):
            name = f"{name} {i}"
        cells = [rng.random() < 0.15 for _ in networks]
        if not any(cells):
            cells[rng.randrange(n_networks)] = True
        ones += sum(cells)
        has_point = rng.random() < 0.7
        lat = _comma(rng.uniform(-50, 60)) if has_point else ""
        lon = _comma(rng.uniform(-120, 150)) if has_point else ""
        population = rng.choice(["2e+05", "150000", "", "1.2E6"])
        row = [name, iso3, country, lat, lon, population, *("1" if c else "0" for c in cells)]
        lines.append(";".join(row))
    path.write_bytes(("\ufeff" + "\n".join(lines) + "\n").encode("utf-8"))
    return ones


def make_long(path: Path, *, n_rows: int = 400, seed: int = 2) -> int:
    """Write a long table (city, ISO, network, year of joining, status, lat/lon with comma
    decimals beside mostly-empty X/Y) and return its number of rows."""
    rng = random.Random(seed)
    networks = ["C40", "ICLEI", "Eurocities", "UCLG", "Metropolis"]
    rows = ["city,iso,network,year_joined,status,lat,lon,X,Y"]
    seen: set[tuple[str, str, str]] = set()
    while len(rows) - 1 < n_rows:
        i = rng.randrange(150)
        name, iso3, _, _ = PLACES[i % len(PLACES)]
        if i % len(PLACES) == 7:  # the long table cannot tell the Springfields apart
            continue
        if i >= len(PLACES):
            name = f"{name} {i}"
        network = rng.choice(networks)
        if (name, iso3, network) in seen:
            continue
        seen.add((name, iso3, network))
        year = str(rng.randint(1990, 2020))
        status = rng.choice(["member", "member", "Member", "former", "board member"])
        # one city, one place: its rows' points differ by a few hundred metres at most
        home = random.Random(f"{name}/{iso3}")
        y, x = home.uniform(-50, 60), home.uniform(-99, 99)
        y, x = y + rng.uniform(-0.003, 0.003), x + rng.uniform(-0.003, 0.003)
        lat, lon = (f'"{_comma(y)}"', f'"{_comma(x)}"')
        xy = ["", ""]
        if rng.random() < 0.1:
            lat, lon, xy = "", "", [str(x), str(y)]
        rows.append(",".join([name, iso3, network, year, status, lat, lon, *xy]))
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    return n_rows


# -- the round trip ---------------------------------------------------------------------------------
def test_wide_round_trip_every_one_is_a_membership(tmp_path: Path) -> None:
    path = tmp_path / "actors.csv"
    ones = make_wide(path)
    result = convert_wide(path, source_url=SOURCE, as_of=2019)
    land, report = result.landscape, result.report
    assert len(land.memberships) == ones
    assert len(land.cities) == 300  # every row is a city, homonyms included
    assert report.read["delimiter"] == ";"
    assert report.read["encoding"] == "utf-8-sig"
    # the code column is used (unambiguous), the names are kept beside it
    assert report.roles["country"] == "iso"
    assert report.converted["country alpha-3 code to alpha-2"] > 250
    assert land.cities.loc["windhoek", "country"] == "NA"
    assert land.cities.loc["prishtina", "country"] == "XK"
    assert land.cities.loc["prishtina", "region"] == "Europe"
    # comma decimals and 2e+05 read as numbers
    assert land.cities["latitude"].notna().sum() > 150
    assert set(land.cities["population"].dropna()) <= {200000, 150000, 1200000}
    # nothing of the user's table lost: the unused code column stays as an extra column
    assert land.cities.loc["windhoek", "country_given"] == "Namibia"
    assert set(land.memberships["as_of"]) == {2019}


def test_wide_ids_are_valid_unique_and_stable(tmp_path: Path) -> None:
    path = tmp_path / "actors.csv"
    make_wide(path, n_cities=len(PLACES))
    first = convert_wide(path, source_url=SOURCE)
    again = convert_wide(path, source_url=SOURCE)
    ids = list(first.landscape.cities.index)
    assert ids == list(again.landscape.cities.index)
    assert len(set(ids)) == len(PLACES)
    assert {"helsingor", "aero", "sao-paulo", "krakow", "zurich"} <= set(ids)
    assert {"springfield-us", "springfield-us-2", "paris-fr", "paris-us"} <= set(ids)
    notes = " ".join(first.report.notes)
    assert "Springfield (US) names 2 cities (rows 8, 9)" in notes


def test_long_round_trip_every_row_is_a_fact(tmp_path: Path) -> None:
    path = tmp_path / "memberships.csv"
    rows = make_long(path)
    result = convert_long(path, source_url=SOURCE)
    land, report = result.landscape, result.report
    skipped = sum(report.skipped.values())
    assert skipped == 0
    assert len(land.memberships) == rows
    table = pd.read_csv(path, dtype=str, keep_default_na=False)
    executive = table["status"].str.lower().str.contains("board")
    assert (land.memberships["role"] == "executive").sum() == executive.sum()
    former = land.memberships["notes"].fillna("").str.contains("former")
    assert former.sum() == (table["status"] == "former").sum()
    # an ended membership is not carried forward: it is known for its first year only
    ended = land.memberships[former]
    assert (ended["until"] == ended["since"]).all()
    # X/Y fill the rows where lat/lon are empty
    assert report.converted.get("latitude taken from 'Y' (empty 'lat')", 0) > 0
    assert land.cities["latitude"].notna().all()
    assert land.cities.loc["prishtina", "country"] == "XK"


def test_cli_imports_both_shapes_into_valid_folders(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    wide, long = tmp_path / "wide.csv", tmp_path / "long.csv"
    ones = make_wide(wide, n_cities=80)
    rows = make_long(long, n_rows=60)
    for shape, path, count in (("wide", wide, ones), ("long", long, rows)):
        out = tmp_path / f"out-{shape}"
        code = main(["import", shape, str(path), "-o", str(out), "--source", SOURCE])
        printed = capsys.readouterr().out
        assert code == 0
        assert "Columns: name = " in printed
        assert f"Wrote {out}" in printed
        assert main(["validate", str(out)]) == 0
        assert "valid" in capsys.readouterr().out
        assert len(load(out).memberships) == count
        report = json.loads((out / "import-report.json").read_text(encoding="utf-8"))
        assert report["memberships"] == count
        assert report["kind"] == shape
        assert (out / "import-report.md").read_text(encoding="utf-8").startswith("# Import of")


def test_xlsx_sheet(tmp_path: Path) -> None:
    path = tmp_path / "book.xlsx"
    frame = pd.DataFrame(
        {"Municipality": ["Windhoek", "Ærø"], "ISO3": ["NAM", "DNK"], "C40": [1, 0], "UCLG": [1, 1]}
    )
    with pd.ExcelWriter(path) as writer:
        pd.DataFrame({"readme": ["see the next sheet"]}).to_excel(writer, sheet_name="About")
        frame.to_excel(writer, sheet_name="Data", index=False)
    land = read_wide(path, sheet="Data", source_url=SOURCE)
    assert sorted(land.edges["city_id"]) == ["aero", "windhoek", "windhoek"]
    assert land.cities.loc["windhoek", "country"] == "NA"


# -- regressions of the issue ------------------------------------------------------------------------
def test_iso_and_country_columns_both_present(tmp_path: Path) -> None:
    """read_wide(..., country="iso") crashed when the table had both `iso` and `country`."""
    path = tmp_path / "wide.csv"
    path.write_text("name,iso,country,c40\nParis,FRA,France,1\nLyon,FRA,France,0\n")
    land = read_wide(path, country="iso", source_url=SOURCE)
    assert land.cities.loc["paris", "country"] == "FR"
    assert land.cities.loc["paris", "country_given"] == "France"  # kept, not lost


def test_generated_ids_pass_the_validator(tmp_path: Path) -> None:
    """Ids read_wide made itself ('ærø', 'helsingør') were rejected by its own validator."""
    path = tmp_path / "wide.csv"
    path.write_text("name,country,c40\nÆrø,DK,1\nHelsingør,DK,1\n東京,JP,1\n")
    land = read_wide(path, source_url=SOURCE)
    ids = list(land.cities.index)
    assert ids[:2] == ["aero", "helsingor"]
    assert ids[2].startswith("city-")  # no Latin letters: a stable hash
    assert ids == list(read_wide(path, source_url=SOURCE).cities.index)


def test_problems_name_the_users_file_row_and_column(tmp_path: Path) -> None:
    path = tmp_path / "survey.csv"
    path.write_text("City;Country;Lat;C40\nParis;France;48,8;1\nX;Atlantis;1;1\nY;FR;north;1\n")
    with pytest.raises(DataError) as err:
        convert_wide(path, source_url=SOURCE, strict=True)
    problems = [str(p) for p in err.value.problems]
    assert any(p.startswith("survey.csv:3: Country 'Atlantis'") for p in problems), problems
    assert any(p.startswith("survey.csv:4: Lat 'north'") for p in problems), problems
    assert not any("cities.csv" in p or "memberships.csv" in p for p in problems)
    # without strict: the row without a known country is left out, the bad point left empty,
    # each listed with the user's row, column and value
    result = convert_wide(path, source_url=SOURCE)
    assert sorted(result.landscape.cities["name"]) == ["Paris", "Y"]
    assert pd.isna(result.landscape.cities.loc["y", "latitude"])
    cells = {(c["row"], c["column"], c["value"]): c["done"] for c in result.report.cells}
    assert cells == {
        (3, "Country", "Atlantis"): "row not imported",
        (4, "Lat", "north"): "latitude left empty",
    }
    assert result.report.skipped_rows == {"country not known (the contract needs one)": [3]}
    assert result.report.accounted()


def test_source_is_required(tmp_path: Path) -> None:
    path = tmp_path / "wide.csv"
    path.write_text("name,country,c40\nParis,FR,1\n")
    with pytest.raises(CitynetError, match="every membership carries its source"):
        convert_wide(path, source_url="")


def test_ended_membership_without_a_year_is_skipped_and_listed(tmp_path: Path) -> None:
    path = tmp_path / "long.csv"
    path.write_text("city,country,network,status\nParis,FR,C40,member\nParis,FR,ICLEI,withdrawn\n")
    result = convert_long(path, source_url=SOURCE)
    assert len(result.landscape.memberships) == 1
    skipped = result.report.skipped_rows
    assert list(skipped.values()) == [[3]]


def test_cli_errors_are_one_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "wide.csv"
    path.write_text("name,country,c40\nParis,FR,1\n")
    out = tmp_path / "out"
    assert (
        main(["import", "wide", str(tmp_path / "missing.csv"), "-o", str(out), "--source", SOURCE])
        == 2
    )
    assert "no such file" in capsys.readouterr().err
    assert main(["import", "wide", str(path), "-o", str(out), "--source", "example.org"]) == 2
    assert "every membership carries its source" in capsys.readouterr().err
    code = main(
        ["import", "wide", str(path), "-o", str(out), "--source", SOURCE, "--name-column", "Town"]
    )
    assert code == 2
    assert "wide.csv:1: no column 'Town' for the name" in capsys.readouterr().err
    assert not out.exists()


# -- the helpers ---------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("given", "code"),
    [
        ("NA", "NA"),
        ("NAM", "NA"),
        ("Namibia", "NA"),
        ("RKS", "XK"),
        ("XKX", "XK"),
        ("Kosovo", "XK"),
        ("fra", "FR"),
        ("United States of America", "US"),
        ("Atlantis", None),
    ],
)
def test_country_code(given: str, code: str | None) -> None:
    assert country_code(given)[0] == code


def test_number_and_slug() -> None:
    assert number("2e+05") == 200000
    assert number("48,85", decimal_comma=True) == 48.85
    assert number("1.234.567") == 1234567
    assert number("n/a") is None
    assert slugify("Helsingør") == "helsingor"
    assert slugify("Ærø") == "aero"
    assert slugify("São Paulo") == "sao-paulo"


def test_write_import_writes_the_report(tmp_path: Path) -> None:
    path = tmp_path / "long.csv"
    path.write_text("city,country,network\nKyoto,JP,ICLEI\n")
    out = write_import(convert_long(path, source_url=SOURCE), tmp_path / "kyoto")
    assert read_long(path, source_url=SOURCE).cities.index.tolist() == ["kyoto"]
    assert len(load(out).edges) == 1
