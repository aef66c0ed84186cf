"""Tables written the way published research data is written, generated with a seed.

:func:`write_r_long` writes what R's ``write.csv2`` makes of a European membership table: a
semicolon-separated file with a quoted header and quoted text, the row names as an unnamed first
column, ``NA`` (unquoted) for every missing value, comma decimals, a year column that sometimes
holds a period (``2008-2012 - CIVITAS PLUS``), two unknown country codes (``ZZ``, ``VZ``), one
Namibian city whose country ``"NA"`` is quoted, network names in two spellings (``ICLEI``,
``Iclei``) and two cities of one name and country 1,000 km apart (Springfield, Illinois and
Springfield, Massachusetts).
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from pathlib import Path

COUNTRIES = ["DE", "FR", "IT", "ES", "PL", "NL", "BE", "AT", "SE", "PT", "CZ", "HU", "RO", "GR"]
NETWORKS = ["Covenant of Mayors", "ICLEI", "Eurocities", "Energy Cities", "CIVITAS",
            "Climate Alliance", "Healthy Cities", "Cittaslow"]  # fmt: skip
SYLLABLES = ["ber", "lin", "mü", "ster", "an", "vil", "la", "nova", "gra", "dec", "ho", "ven",
             "sa", "to", "rí", "bo", "ka", "zel", "ør", "ham", "burg", "stadt", "e", "o"]  # fmt: skip


@dataclass(frozen=True)
class Written:
    """What was written: rows, and the rows the importer must leave out (with why)."""

    rows: int
    unknown_country_rows: tuple[int, ...]
    period_rows: int
    na_years: int
    springfield_rows: tuple[int, int]


def _quote(text: str) -> str:
    return '"' + text.replace('"', '""') + '"'


def _name(rng: random.Random) -> str:
    word = "".join(rng.choice(SYLLABLES) for _ in range(rng.randint(2, 4)))
    return word[:1].upper() + word[1:]


def write_r_long(path: Path, *, n_rows: int = 17_333, seed: int = 7) -> Written:
    """Write an R ``write.csv2`` long table of about ``n_rows`` rows; say what it holds."""
    rng = random.Random(seed)
    header = ["", "Full_Name", "CountryCode", "Network", "Year_of_Joining", "Pop_collect",
              "Latitude", "Longitude"]  # fmt: skip
    lines = [";".join(_quote(h) for h in header)]
    cities: list[tuple[str, str, float, float, str]] = []
    seen: set[tuple[str, str]] = set()
    while len(cities) < n_rows // 3:
        name, country = _name(rng), rng.choice(COUNTRIES)
        if (name, country) in seen:
            continue
        seen.add((name, country))
        pop = str(rng.randint(2_000, 900_000)) if rng.random() < 0.8 else "NA"
        cities.append((name, country, rng.uniform(36, 60), rng.uniform(-9, 28), pop))
    rows: list[list[str]] = []

    def add(name: str, country: str, network: str, year: str, pop: str, lat: str, lon: str) -> None:
        rows.append([_quote(name), country, _quote(network), year, pop, lat, lon])

    def comma(value: float) -> str:
        return f"{value:.5f}".replace(".", ",")

    periods = na_years = 0
    while len(rows) < n_rows - 6:
        name, country, lat, lon, pop = rng.choice(cities)
        network = rng.choice(NETWORKS)
        if network == "ICLEI" and rng.random() < 0.2:
            network = "Iclei"
        roll = rng.random()
        if roll < 0.12:
            year, na_years = "NA", na_years + 1
        elif roll < 0.125:
            start = rng.randint(2002, 2012)
            year, periods = _quote(f"{start}-{start + 4} - CIVITAS PLUS"), periods + 1
        else:
            year = str(rng.randint(1990, 2023))
        point = rng.random() < 0.9
        jitter = rng.uniform(-0.002, 0.002)
        add(name, _quote(country), network, year, pop,
            comma(lat + jitter) if point else "NA", comma(lon) if point else "NA")  # fmt: skip
    add("Windhoek", _quote("NA"), "ICLEI", "2009", "431000", "-22,55941", "17,08323")
    add("Nowhere", _quote("ZZ"), "Eurocities", "2011", "NA", "NA", "NA")
    add("Caracas", _quote("VZ"), "ICLEI", "NA", "NA", "10,48801", "-66,87919")
    add("Springfield", _quote("US"), "ICLEI", "2012", "114394", "39,80172", "-89,64371")
    add("Springfield", _quote("US"), "ICLEI", "2015", "155929", "42,10148", "-72,58981")
    add("Springfield", _quote("US"), "Energy Cities", "2016", "NA", "42,10101", "-72,59000")
    for number, row in enumerate(rows, start=1):
        lines.append(";".join([_quote(str(number)), *row]))
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    total = len(rows)
    return Written(
        rows=total,
        unknown_country_rows=(total - 3, total - 2),  # spreadsheet rows: the header is row 1
        period_rows=periods,
        na_years=na_years,
        springfield_rows=(total - 1, total),
    )
