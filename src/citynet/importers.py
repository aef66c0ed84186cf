"""Importing published datasets into a valid landscape folder, with a report of what was done.

Wide tables (a 0/1 column per network) and long tables (a row per city x network) are both
read.

Researchers arrive with a published table, not citynet's contract. :func:`convert_wide` and
:func:`convert_long` read it (:func:`citynet.sheets.read_table`: CSV with any common delimiter
and encoding, or XLSX), find the role of each column (given, or guessed from the header and said
so), convert what the contract writes differently and keep everything else:

* missing values: ``NA``, ``N/A``, ``#N/A``, ``NULL``, ``-``, ``.`` ... are missing
  (:data:`citynet.cells.MISSING`; ``na=`` sets your own), counted per column;
* countries: names ("Germany", "Côte d'Ivoire"), ISO alpha-3 codes and lower-case codes become
  ISO 3166-1 alpha-2; Kosovo (``RKS``, ``XKX``, "Kosovo") becomes the user-assigned ``XK``;
  ``NA`` in a country column is Namibia, unless the file quotes its text and leaves ``NA``
  unquoted, as R writes a missing value;
* regions: derived from the country (GeoNames' continent) into the contract's six; the table's
  own region, where it differs, is kept in a column ``region_given``;
* numbers: ``2e+05``, ``1,234,567``, ``1.234.567`` and comma decimals (``48,85``) are read as
  numbers; a coordinate column that is mostly empty next to a fuller one is kept as an extra
  column, not used;
* years: a year, a date, a year in words or a period (``2008-2012 - CIVITAS PLUS`` gives since
  2008 and until 2012) (:func:`citynet.cells.read_period`);
* statuses: "non-member", "applicant", "rejected" never make a membership; "former",
  "withdrawn", "cancelled" end one; "suspended", "on hold" suspend it
  (:func:`citynet.cells.status_kind`);
* ids: every city and network gets a valid slug, transliterated (``Ærø`` → ``aero``,
  ``Helsingør`` → ``helsingor``), stable across runs and unique. In a long table, rows of one
  name and country are one city unless their points lie more than :data:`SAME_PLACE_KM` apart or
  their admin areas differ (Springfield, Illinois and Springfield, Massachusetts); homonyms get
  the country code and a number, with a note.

The importer is the forgiving door: a cell it cannot use (a year ``soon``, a population ``abc``,
an unknown country code) leaves its field empty, or, where the contract needs the field (the
country, the city's name, the network), leaves the row out; either way the import report lists
the file, row, column, value and what was done, grouped by column and value. ``strict=True``
keeps the all-or-nothing behaviour: every such cell is a :class:`~citynet.DataError`. Structural
problems (no name column, no network column) always stop the import.

Every row is accounted for: it became a city (wide) or a membership (long), or it was skipped
with its reason (``ImportReport.skipped_rows``).
"""

from __future__ import annotations

import csv
import hashlib
import io
import os
import re
import unicodedata
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass, field
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

import pandas as pd

from citynet._errors import CitynetError, DataError, Problem
from citynet.cells import MISSING, is_totals, mark, read_period, status_kind
from citynet.geo import great_circle_km
from citynet.landscape import Landscape
from citynet.lookup import normalize_name
from citynet.schema import REGIONS, SCOPES
from citynet.sheets import read_table
from citynet.validate import cell_text

__all__ = [
    "SAME_PLACE_KM",
    "ImportReport",
    "ImportResult",
    "convert_long",
    "convert_wide",
    "country_code",
    "read_long",
    "read_table",
    "read_wide",
    "slugify",
    "write_import",
]

SAME_PLACE_KM = 30.0
"""Rows of one name and country whose points lie further apart than this are two cities."""

# header words that say what a column holds (normalised: lower case, no accents or punctuation)
ROLE_WORDS: dict[str, tuple[str, ...]] = {
    "city_id": ("city id", "city_id", "actor id", "id"),
    "name": (
        "name",
        "city",
        "city name",
        "full name",
        "municipality",
        "municipality name",
        "name of municipality",
        "actor",
        "actor name",
        "locality",
        "local government",
        "local authority",
        "town",
        "name of city",
        "signatory",
        "signatory name",
        "commune",
        "nom",
        "nom commune",
        "gemeinde",
        "gemeente",
        "kommune",
        "comune",
        "municipio",
        "nombre",
        "nome",
        "ciudad",
        "stadt",
        "ville",
    ),
    "country": (  # codes before names: a code is unambiguous, a name may not be
        "country code",
        "countrycode",
        "country iso",
        "iso country",
        "iso",
        "iso2",
        "iso3",
        "iso a2",
        "iso a3",
        "iso code",
        "country",
        "country name",
        "nation",
        "pais",
        "land",
        "pays",
    ),
    "admin": (
        "state",
        "province",
        "admin1",
        "admin 1",
        "admin area",
        "admin name",
        "state province",
        "county",
        "department",
        "prefecture",
        "bundesland",
        "oblast",
        "subdivision",
        "nuts2",
        "nuts 2",
        "nuts3",
        "nuts 3",
    ),
    "region": ("region", "continent", "world region"),
    "latitude": ("lat", "latitude", "y"),
    "longitude": ("lon", "lng", "long", "longitude", "x"),
    "population": ("population", "pop", "inhabitants", "population total", "einwohner"),
    "population_year": ("population year", "pop year"),
    "network": (
        "network",
        "network name",
        "organisation",
        "organization",
        "initiative",
        "network id",
        "netzwerk",
        "netwerk",
        "reseau",
        "red",
        "rete",
    ),
    "since": (
        "since",
        "year",
        "joined",
        "year joined",
        "start",
        "start year",
        "member since",
        "year of joining",
        "joining year",
        "date joined",
        "accession",
        "adhesion",
        "date of adhesion",
        "entry year",
        "membership year",
        "beitritt",
        "beitrittsjahr",
        "jahr",
        "annee",
        "annee d adhesion",
        "ano",
        "anno",
    ),
    "until": ("until", "left", "year left", "end", "end year", "date left", "exit year"),
    "status": ("status", "membership status", "statut", "estado", "stato"),
    "role": ("role", "position", "membership type", "type"),
    "source_url": ("source", "source url", "url", "link"),
}
# words of a header that say its role when no header matches whole ("Full_Name", "Pop_collect")
ROLE_TOKENS: dict[str, frozenset[str]] = {
    "name": frozenset(["name", "city", "municipality", "locality", "town", "nom", "gemeinde"]),
    "country": frozenset(["country", "iso", "iso2", "iso3", "countrycode"]),
    "population": frozenset(["pop", "population", "inhabitants", "einwohner"]),
    "since": frozenset(["joined", "joining", "since", "accession", "adhesion"]),
    "network": frozenset(["network", "organisation", "organization", "netzwerk", "reseau"]),
}
_EXECUTIVE = re.compile(r"\b(chair|board|executive|steering|president|vice|bureau|council)\b")
_TRANSLIT = str.maketrans(
    {
        "ß": "ss",
        "æ": "ae",
        "Æ": "ae",
        "ø": "o",
        "Ø": "o",
        "œ": "oe",
        "Œ": "oe",
        "ł": "l",
        "Ł": "l",
        "đ": "d",
        "Đ": "d",
        "ð": "d",
        "Ð": "d",
        "þ": "th",
        "Þ": "th",
        "ı": "i",
        "ŀ": "l",
        "ħ": "h",
        "ŧ": "t",
        "ſ": "s",
    }
)


# -- small converters ------------------------------------------------------------------------------
def slugify(text: str) -> str:
    """Return a slug ``[a-z0-9-]`` for a name, transliterated where Latin letters stand for it.

    A name with no Latin letter at all (``京都``) gives ``""``; callers add a stable hash.

    Examples
    --------
    >>> slugify("Ærø"), slugify("Helsingør"), slugify("São Paulo"), slugify("Łódź")
    ('aero', 'helsingor', 'sao-paulo', 'lodz')
    >>> slugify("京都")
    ''
    """
    decomposed = unicodedata.normalize("NFKD", text.translate(_TRANSLIT))
    ascii_only = "".join(ch for ch in decomposed if ch.isascii()).lower()
    return re.sub(r"[^a-z0-9]+", "-", ascii_only).strip("-")


def _stable_suffix(*parts: str) -> str:
    return hashlib.sha256("\0".join(parts).encode("utf-8")).hexdigest()[:8]


@lru_cache(maxsize=1)
def _countries() -> tuple[dict[str, str], dict[str, str], dict[str, str]]:
    """Codes and names of countries -> alpha-2; alpha-2 -> region (assets/countries.csv)."""
    text = (resources.files("citynet") / "assets" / "countries.csv").read_text(encoding="utf-8")
    codes: dict[str, str] = {}
    names: dict[str, str] = {}
    regions: dict[str, str] = {}
    for row in csv.DictReader(io.StringIO(text)):
        alpha2 = row["alpha2"]
        codes[alpha2] = alpha2
        codes[row["alpha3"]] = alpha2
        for other in filter(None, row["other_codes"].split(";")):
            codes[other] = alpha2
        for name in (row["name"], row["common_name"], row["official_name"]):
            if name:
                names[normalize_name(name)] = alpha2
                names[normalize_name(name.split(",")[0])] = names.get(
                    normalize_name(name.split(",")[0]), alpha2
                )
        regions[alpha2] = row["region"]
    for alias, alpha2 in _COUNTRY_ALIASES.items():
        names[normalize_name(alias)] = alpha2
    return codes, names, regions


_COUNTRY_ALIASES = {
    "USA": "US",
    "United States of America": "US",
    "U.S.": "US",
    "UK": "GB",
    "Great Britain": "GB",
    "England": "GB",
    "Scotland": "GB",
    "Wales": "GB",
    "Northern Ireland": "GB",
    "Russia": "RU",
    "South Korea": "KR",
    "Korea": "KR",
    "Republic of Korea": "KR",
    "North Korea": "KP",
    "Vietnam": "VN",
    "Viet Nam": "VN",
    "Ivory Coast": "CI",
    "Cote d'Ivoire": "CI",
    "Czech Republic": "CZ",
    "Czechia": "CZ",
    "Turkey": "TR",
    "Türkiye": "TR",
    "Iran": "IR",
    "Syria": "SY",
    "Laos": "LA",
    "Bolivia": "BO",
    "Venezuela": "VE",
    "Tanzania": "TZ",
    "Moldova": "MD",
    "Palestine": "PS",
    "State of Palestine": "PS",
    "Taiwan": "TW",
    "Macedonia": "MK",
    "North Macedonia": "MK",
    "Swaziland": "SZ",
    "Eswatini": "SZ",
    "Cape Verde": "CV",
    "Cabo Verde": "CV",
    "DR Congo": "CD",
    "DRC": "CD",
    "Democratic Republic of the Congo": "CD",
    "Republic of the Congo": "CG",
    "Congo": "CG",
    "Brunei": "BN",
    "Burma": "MM",
    "Holland": "NL",
    "The Netherlands": "NL",
    "Deutschland": "DE",
    "España": "ES",
    "Brasil": "BR",
    "México": "MX",
    "Perú": "PE",
    "Kosovo": "XK",
}


def country_code(value: str) -> tuple[str | None, str]:
    """Return the ISO 3166-1 alpha-2 code for a code or a name, and how it was read.

    Examples
    --------
    >>> country_code("DEU"), country_code("Germany"), country_code("RKS"), country_code("NA")
    (('DE', 'alpha-3 code'), ('DE', 'country name'), ('XK', 'Kosovo code'), ('NA', 'alpha-2'))
    >>> country_code("Atlantis")
    (None, 'unknown')
    """
    text = value.strip()
    codes, names, _ = _countries()
    upper = text.upper()
    if len(upper) == 2 and upper in codes and codes[upper] == upper:
        return upper, "alpha-2" if text == upper else "lower-case alpha-2"
    if upper in ("RKS", "XKX", "KOS", "KV"):
        return "XK", "Kosovo code"
    if len(upper) == 3 and upper in codes:
        return codes[upper], "alpha-3 code"
    key = normalize_name(text)
    if key in names:
        return names[key], "country name"
    return None, "unknown"


def region_of(alpha2: str) -> str:
    """Return the contract's region (continent) of a country, or ``""``.

    Examples
    --------
    >>> region_of("MX"), region_of("TR"), region_of("XK")
    ('North America', 'Asia', 'Europe')
    """
    return _countries()[2].get(alpha2, "")


_NUMBER = re.compile(
    r"^[+-]?(\d+([.,]\d+)?|\d{1,3}([ ,.'\u00a0\u202f]\d{3})+([.,]\d+)?)([eE][+-]?\d+)?$"
)


def number(text: str, *, decimal_comma: bool = False) -> float | None:
    """Read a number as people write it, or ``None``.

    ``2e+05``, ``1,234,567``, ``1.234.567``, ``1 234 567``; with ``decimal_comma`` (coordinates),
    ``48,85`` is 48.85.

    Examples
    --------
    >>> number("2e+05"), number("1,234,567"), number("1.234.567")
    (200000.0, 1234567.0, 1234567.0)
    >>> number("48,85", decimal_comma=True)
    48.85
    >>> number("about 5") is None
    True
    """
    cell = text.strip().replace("\u2212", "-")
    if not cell:
        return None
    try:
        return float(cell)
    except ValueError:
        pass
    if not _NUMBER.match(cell):
        return None
    if decimal_comma and re.fullmatch(r"[+-]?\d+,\d+", cell):
        return float(cell.replace(",", "."))
    mantissa, _, exponent = cell.lower().partition("e")
    groups = re.split(r"[ ,.'\u00a0\u202f]", mantissa)
    if len(groups) > 1 and all(len(g) == 3 for g in groups[1:]):
        value = float("".join(groups))
    elif decimal_comma or re.fullmatch(r"[+-]?\d+,\d+", mantissa):
        value = float(mantissa.replace(",", "."))
    else:
        return None
    return value * (10 ** int(exponent) if exponent else 1)


# -- the report -----------------------------------------------------------------------------------
@dataclass
class ImportReport:
    """What an import did: the roles of the columns, what was converted, left out and noted.

    Every row of the table is accounted for: ``imported_rows`` became cities (a wide table) or
    memberships (a long table), the others are in ``skipped_rows`` with their reason. ``cells``
    lists every cell that could not be used (row, column, value, what was done); ``missing``
    counts the missing-value tokens per column; ``statuses`` says how each status was read.
    """

    source: str
    kind: str
    rows: int
    read: dict[str, Any]
    roles: dict[str, str]
    guessed: list[str]
    cities: int = 0
    networks: int = 0
    memberships: int = 0
    imported_rows: int = 0
    strict: bool = False
    converted: dict[str, int] = field(default_factory=dict)
    examples: dict[str, str] = field(default_factory=dict)
    skipped: dict[str, int] = field(default_factory=dict)
    skipped_rows: dict[str, list[int]] = field(default_factory=dict)
    missing: dict[str, int] = field(default_factory=dict)
    cells: list[dict[str, Any]] = field(default_factory=list)
    statuses: dict[str, dict[str, Any]] = field(default_factory=dict)
    kept: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def convert(self, what: str, example: str = "") -> None:
        """Count one conversion of a kind, keeping the first example."""
        self.converted[what] = self.converted.get(what, 0) + 1
        if example and what not in self.examples:
            self.examples[what] = example

    def skip(self, what: str, row: int) -> None:
        """Count one skipped row of a kind, keeping its row number."""
        self.skipped[what] = self.skipped.get(what, 0) + 1
        self.skipped_rows.setdefault(what, []).append(int(row))

    def cell(self, row: int, column: str, value: str, problem: str, done: str) -> None:
        """List one cell that could not be used, and what was done instead."""
        self.cells.append(
            {"row": int(row), "column": column, "value": value, "problem": problem, "done": done}
        )

    def accounted(self) -> bool:
        """Whether every row of the table became a city or membership, or was skipped.

        Examples
        --------
        >>> r = ImportReport("t.csv", "long", 3, {}, {}, [], imported_rows=2)
        >>> r.skip("totals or summary rows", 4)
        >>> r.accounted()
        True
        """
        return self.imported_rows + sum(self.skipped.values()) == self.rows

    def to_dict(self) -> dict[str, Any]:
        """Return plain data for JSON."""
        return asdict(self)


@dataclass(frozen=True)
class ImportResult:
    """The landscape an import made, and its report."""

    landscape: Landscape
    report: ImportReport


@dataclass
class _Intake:
    """The forgiving door: a cell that cannot be used is a report line, or an error if strict."""

    label: str
    report: ImportReport
    strict: bool
    problems: list[Problem] = field(default_factory=list)

    def cell(self, row: int, column: str, value: str, problem: str, done: str) -> None:
        """Leave a cell's field empty and list it (or, if strict, record an error)."""
        if self.strict:
            self.problems.append(Problem(self.label, problem, row=row, column=column, value=value))
        else:
            self.report.cell(row, column, value, problem, done)

    def drop(self, row: int, column: str | None, value: str, problem: str, reason: str) -> None:
        """Skip a row the contract cannot take, with its reason (or, if strict, an error)."""
        if self.strict:
            shown = value if value else None
            self.problems.append(Problem(self.label, problem, row=row, column=column, value=shown))
        else:
            self.report.skip(reason, row)
            self.report.cell(row, column or "", value, problem, "row not imported")


# -- column roles and missing values --------------------------------------------------------------
def _guess_roles(
    headers: Sequence[str], given: Mapping[str, str | None], wanted: Sequence[str], label: str
) -> tuple[dict[str, str], list[str]]:
    """Map roles to headers: given ones first, then by header words; say which were guessed."""
    roles: dict[str, str] = {}
    guessed: list[str] = []
    for role, header in given.items():
        if header is not None:
            if header not in headers:
                raise DataError(
                    [
                        Problem(
                            label,
                            f"no column {header!r} for the {role} (columns: {_listing(headers)})",
                            row=1,
                        )
                    ]
                )
            roles[role] = header
    used = set(roles.values())
    for role in wanted:
        if role in roles:
            continue
        for word in ROLE_WORDS[role]:
            match = next((h for h in headers if h not in used and normalize_name(h) == word), None)
            if match is not None:
                roles[role] = match
                used.add(match)
                guessed.append(role)
                break
    for role in wanted:  # then by one word of the header, where one header alone has it
        if role in roles or role not in ROLE_TOKENS:
            continue
        others = frozenset().union(*(w for r, w in ROLE_TOKENS.items() if r != role))
        hits = [
            h
            for h in headers
            if h not in used
            and (words := set(normalize_name(h).split())) & ROLE_TOKENS[role]
            and not words & others
        ]
        if len(hits) == 1:
            roles[role] = hits[0]
            used.add(hits[0])
            guessed.append(role)
    return roles, guessed


def _blank_missing(
    table: pd.DataFrame,
    how: dict[str, Any],
    tokens: Sequence[str] | None,
    roles: Mapping[str, str],
    report: ImportReport,
) -> pd.DataFrame:
    """Empty the cells that hold a missing-value token; count them per column.

    ``NA`` in the country column stays Namibia unless the file quotes its text and leaves NA
    unquoted (R's ``write.csv``), or ``tokens`` were given and name it.
    """
    upper = {t.strip().upper() for t in (MISSING if tokens is None else tokens) if t.strip()}
    quoted: dict[str, set[int]] = how.get("quoted_tokens", {})
    r_style = bool(how.get("text_quoted"))
    country = roles.get("country")
    out = table.copy()
    for column in table.columns:
        values = table[column]
        mask = values.str.upper().isin(upper) & (values != "")
        if not mask.any():
            continue
        if r_style and column in quoted:  # a token in quotes is text, as R writes it
            mask &= ~values.index.isin(sorted(quoted[column]))
        if column == country and tokens is None and not r_style:
            namibia = mask & (values == "NA")
            if namibia.any():
                mask &= ~namibia
                report.notes.append(
                    f"{column}: 'NA' read as Namibia in {int(namibia.sum()):,} rows (the file "
                    "does not quote its text, so NA is not R's missing value; --na NA makes it "
                    "missing)"
                )
        n = int(mask.sum())
        if n:
            report.missing[column] = n
            out.loc[mask, column] = ""
    return out


def _listing(headers: Sequence[Any], limit: int = 12) -> str:
    """Return the headers for a message: at most ``limit``, each cut to 30 characters."""
    shown = [str(h) if len(str(h)) <= 30 else str(h)[:29] + "…" for h in list(headers)[:limit]]
    more = f" and {len(headers) - limit:,} more" if len(headers) > limit else ""
    return ", ".join(shown) + more


def _numbers(index: pd.Index) -> list[int]:
    return [int(str(i)) for i in index]


def _rows(table: pd.DataFrame) -> list[tuple[int, dict[str, str]]]:
    """Return the table's rows as (spreadsheet row number, {header: cell})."""
    records: list[dict[str, str]] = table.to_dict("records")  # type: ignore[assignment]
    return list(zip(_numbers(table.index), records, strict=True))


def _fill(values: pd.Series) -> float:
    return float((values.str.strip() != "").mean()) if len(values) else 0.0


# -- cities ---------------------------------------------------------------------------------------
_BOUNDS = {"latitude": (-90.0, 90.0), "longitude": (-180.0, 180.0), "population": (0.0, 1e11)}


def _city_values(
    cells: dict[str, str], roles: dict[str, str], row: int, intake: _Intake
) -> dict[str, Any]:
    """Read the point, population and its year of one row; cells that are not numbers: empty."""
    values: dict[str, Any] = {}
    report = intake.report
    for role, decimal in (("latitude", True), ("longitude", True), ("population", False)):
        if role in roles and not cells[roles[role]]:
            alternative = roles.get(f"{role} where {roles[role]!r} is empty")
            if alternative and cells[alternative]:
                cells = {**cells, roles[role]: cells[alternative]}
                report.convert(f"{role} taken from {alternative!r} (empty {roles[role]!r})")
        if role not in roles or not cells[roles[role]]:
            continue
        text = cells[roles[role]]
        value = number(text, decimal_comma=decimal)
        low, high = _BOUNDS[role]
        if value is None or not low <= value <= high:
            problem = "is not a number" if value is None else f"is outside {low:g} to {high:g}"
            intake.cell(row, roles[role], text, problem, f"{role} left empty")
            continue
        if text != cell_text(value):
            report.convert(f"{role} normalised", f"{text} -> {cell_text(value)}")
        values[role] = round(value) if role == "population" else value
    if "population_year" in roles and cells[roles["population_year"]]:
        text = cells[roles["population_year"]]
        period = read_period(text)
        if period is None or period.since is None:
            intake.cell(row, roles["population_year"], text, "is not a year", "left empty")
        else:
            values["population_year"] = period.since
    return values


def _same_place(record: dict[str, Any], values: dict[str, Any], admin: str) -> bool:
    """Whether a row of the same name and country is the city of an earlier row."""
    if admin and record.get("_admin") and normalize_name(admin) != record["_admin"]:
        return False
    here = (values.get("latitude"), values.get("longitude"))
    there = (record.get("latitude"), record.get("longitude"))
    if None in here or None in there:
        return True
    return great_circle_km(here, there) <= SAME_PLACE_KM  # type: ignore[arg-type]


def _cities(
    table: pd.DataFrame,
    roles: dict[str, str],
    intake: _Intake,
    country_default: str | None,
    *,
    rows_are_cities: bool,
    skip: set[int],
) -> tuple[pd.DataFrame, pd.Series]:
    """City rows of the table, converted; returns them and each table row's city_id.

    In a wide table (``rows_are_cities``) every row is a city, so two rows of one name and
    country are homonyms with distinct ids; in a long table they are the same city, unless their
    points lie more than :data:`SAME_PLACE_KM` apart or their admin areas or regions differ.
    """
    report, label = intake.report, intake.label
    name_col = roles.get("name")
    if name_col is None and "city_id" not in roles:
        headers = _listing(list(table.columns))
        raise DataError(
            [
                Problem(
                    label,
                    "needs a column of city names (name, city, municipality, Full_Name, ...); "
                    f"the columns are {headers}: name it with --name-column",
                    row=1,
                )
            ]
        )
    if "country" not in roles and country_default is None:
        raise DataError(
            [
                Problem(
                    label, "needs a country column (or --country-default XX for one country)", row=1
                )
            ]
        )
    records: list[dict[str, Any]] = []
    places: dict[tuple[str, str, str], list[int]] = {}
    row_city: dict[int, int] = {}
    for row, cells in _rows(table):
        if row in skip:
            continue
        name_header = name_col or roles["city_id"]
        name = cells[name_header]
        if not name:
            if all(not v for v in cells.values()):
                report.skip("empty rows", row)
            else:
                intake.drop(row, name_header, "", "has no city name", "no city name")
            continue
        if is_totals(name):
            report.skip("totals or summary rows", row)
            continue
        code: str | None = country_default
        if "country" in roles:
            given = cells[roles["country"]]
            if not given and country_default is None:
                intake.drop(row, roles["country"], "", "has no country", "no country")
                continue
            if given:
                code, how = country_code(given)
                if code is None:
                    intake.drop(
                        row,
                        roles["country"],
                        given,
                        "is not a country code or name we know",
                        "country not known (the contract needs one)",
                    )
                    continue
                if how != "alpha-2":
                    report.convert(f"country {how} to alpha-2", f"{given} -> {code}")
        assert code is not None
        region_cell = cells[roles["region"]] if "region" in roles else ""
        admin = cells[roles["admin"]] if "admin" in roles else ""
        key = (normalize_name(name), code, normalize_name(region_cell))
        values = _city_values(cells, roles, row, intake)
        if "city_id" not in roles and not rows_are_cities:
            same = next(
                (i for i in places.get(key, []) if _same_place(records[i], values, admin)), None
            )
            if same is not None:
                # The same city again: points and population missing on its first row are taken
                # from a later one.
                row_city[row] = same
                first = records[same]
                if admin and not first.get("_admin"):
                    first["_admin"] = normalize_name(admin)
                for role, value in values.items():
                    if first.get(role) is None:
                        first[role] = value
                    elif first[role] != value:
                        report.convert(
                            f"{role}: rows of one city differ (the first row's value kept)",
                            f"row {row}",
                        )
                continue
        record: dict[str, Any] = {"name": name, "country": code, "_row": row}
        record["_admin"] = normalize_name(admin) if admin else None
        if "city_id" in roles:
            record["city_id"] = cells[roles["city_id"]]
        region = region_of(code)
        record["region"] = region or None
        if "region" in roles and cells[roles["region"]]:
            given_region = cells[roles["region"]]
            if given_region not in REGIONS or given_region != region:
                record["region_given"] = given_region
                report.convert("region derived from the country", f"{given_region} -> {region}")
        record.update(values)
        if "admin" in roles:
            record[_extra_name(roles["admin"])] = admin or None
        for header in report.kept:
            record[_extra_name(header)] = cells[header] or None
        places.setdefault(key, []).append(len(records))
        row_city[row] = len(records)
        records.append(record)
    cities = pd.DataFrame(records)
    if cities.empty:
        raise DataError(intake.problems or [Problem(label, "has no city rows")])
    if "city_id" not in cities.columns:
        cities["city_id"] = _city_ids(cities)
        _note_homonyms(cities, report, rows_are_cities=rows_are_cities)
    cities = cities.drop(columns=["_admin"])
    ids = pd.Series({row: cities.at[i, "city_id"] for row, i in row_city.items()}, dtype=object)
    return cities, ids


def _note_homonyms(cities: pd.DataFrame, report: ImportReport, *, rows_are_cities: bool) -> None:
    groups = cities.groupby(
        [cities["name"].map(normalize_name), cities["country"]], sort=False
    ).indices
    for index in (list(i) for i in groups.values() if len(i) > 1):
        first = cities.iloc[index[0]]
        rows = ", ".join(str(cities.at[i, "_row"]) for i in index)
        ids = ", ".join(str(cities.at[i, "city_id"]) for i in index)
        if rows_are_cities:
            why = "merge the rows in the table if they are one city"
        else:
            both = ("latitude" in cities.columns) and ("longitude" in cities.columns)
            placed = cities.iloc[index][["latitude", "longitude"]].dropna() if both else None
            points = [] if placed is None else [(float(y), float(x)) for y, x in placed.to_numpy()]
            if len(points) >= 2:
                far = max(great_circle_km(points[0], p) for p in points[1:])
                why = f"told apart by their points (up to {far:,.0f} km apart)"
            else:
                why = "told apart by their admin areas or regions"
        report.notes.append(f"{first['name']} ({first['country']}) names {len(index)} cities "
                            f"(rows {rows}): ids {ids}; {why}")  # fmt: skip


def _extra_name(header: str) -> str:
    slug = slugify(header).replace("-", "_") or "column_" + _stable_suffix(header)
    return slug if slug not in _CONTRACT_CITY else f"{slug}_given"


_CONTRACT_CITY = {
    "city_id",
    "name",
    "aliases",
    "country",
    "region",
    "latitude",
    "longitude",
    "population",
    "population_year",
    "population_kind",
    "groups",
    "source_url",
    "notes",
}


def _city_ids(cities: pd.DataFrame) -> list[str]:
    """Slugs from names: the country added for homonyms, a number for homonyms in one country."""
    base = [
        slugify(str(name)) or "city-" + _stable_suffix(str(name), str(country))
        for name, country in zip(cities["name"], cities["country"], strict=True)
    ]
    counts = Counter(base)
    out: list[str] = []
    seen: Counter[str] = Counter()
    for slug, country in zip(base, cities["country"], strict=True):
        candidate = slug if counts[slug] == 1 else f"{slug}-{str(country).lower()}"
        seen[candidate] += 1
        out.append(candidate if seen[candidate] == 1 else f"{candidate}-{seen[candidate]}")
    return out


def _unique_network_ids(names: Sequence[str]) -> list[str]:
    out: list[str] = []
    for name in names:
        slug = slugify(name) or "network-" + _stable_suffix(name)
        candidate, n = slug, 1
        while candidate in out:
            n += 1
            candidate = f"{slug}-{n}"
        out.append(candidate)
    return out


def _network_names(values: Sequence[str], report: ImportReport, column: str) -> dict[str, str]:
    """Map each spelling of a network to its one name.

    Spellings equal but for case, accents, spaces and punctuation are one network, named by its
    most frequent spelling.
    """
    spellings: dict[str, Counter[str]] = {}
    for value in values:
        if value:
            spellings.setdefault(normalize_name(value), Counter())[value] += 1
    out: dict[str, str] = {}
    for counts in spellings.values():
        name = counts.most_common(1)[0][0]
        for spelling in counts:
            out[spelling] = name
        if len(counts) > 1:
            others = ", ".join(f"{s!r} ({n:,})" for s, n in counts.items() if s != name)
            report.notes.append(
                f"{column}: {name!r} ({counts[name]:,} rows) also written {others}: one network"
            )
    return out


# -- landscapes and their problems -----------------------------------------------------------------
_OPTIONAL_CITY = {"latitude", "longitude", "population", "population_year", "region", "aliases"}


def _build(
    cities: pd.DataFrame,
    networks: pd.DataFrame,
    facts: pd.DataFrame,
    roles: dict[str, str],
    intake: _Intake,
) -> tuple[Landscape, pd.DataFrame]:
    """Validate; a problem names the user's row and column.

    Not strict, what the contract refuses is left out (a fact) or left empty (an optional city
    field), and listed.
    """
    report = intake.report
    for _attempt in range(3):
        try:
            land = Landscape.from_frames(
                cities.drop(columns=["_row"]), networks, facts.drop(columns=["_row", "_column"])
            )
            return land, facts
        except DataError as error:
            pairs = [(p, _translate(p, cities, facts, roles, intake.label)) for p in error.problems]
            fixable = all(
                p.row is not None and p.file in ("cities.csv", "memberships.csv") for p, _ in pairs
            )
            if intake.strict or not fixable:
                raise DataError([t for _, t in pairs]) from None
            drop_facts: set[int] = set()
            drop_cities: set[int] = set()
            for problem, told in pairs:
                i = int(problem.row or 0) - 2
                if problem.file == "memberships.csv":
                    if i in drop_facts:
                        continue
                    drop_facts.add(i)
                    if report.kind == "long":
                        report.skip("refused by the data contract", int(facts.iloc[i]["_row"]))
                    report.cell(told.row or 0, told.column or "", told.value or "",
                                told.message, "membership not made")  # fmt: skip
                elif problem.column in _OPTIONAL_CITY:
                    cities.loc[cities.index[i], str(problem.column)] = None
                    report.cell(told.row or 0, told.column or "", told.value or "",
                                told.message, "left empty")  # fmt: skip
                else:
                    drop_cities.add(i)
                    report.cell(told.row or 0, told.column or "", told.value or "",
                                told.message, "city not made")  # fmt: skip
            if drop_cities:
                gone = set(cities.iloc[sorted(drop_cities)]["city_id"])
                if report.kind == "wide":  # a long table's rows are its facts, below
                    for i in sorted(drop_cities):
                        report.skip("refused by the data contract", int(cities.iloc[i]["_row"]))
                lost = facts.index[facts["city_id"].isin(gone)]
                if report.kind == "long":
                    for i in lost:
                        if i not in drop_facts:
                            row = int(str(facts.at[i, "_row"]))
                            report.skip("city refused by the data contract", row)
                drop_facts.update(int(i) for i in lost)
                cities = cities.drop(index=cities.index[sorted(drop_cities)]).reset_index(drop=True)
            facts = facts.drop(index=facts.index[sorted(drop_facts)]).reset_index(drop=True)
    raise DataError([Problem(intake.label, "could not be made valid")])  # pragma: no cover


def _translate(
    problem: Problem, cities: pd.DataFrame, facts: pd.DataFrame, roles: dict[str, str], label: str
) -> Problem:
    """Tell a problem of the converted tables in the user's file, row and column."""
    origin = {"cities.csv": cities, "memberships.csv": facts}.get(problem.file)
    if origin is None or problem.row is None or not 0 <= problem.row - 2 < len(origin):
        return problem
    source = origin.iloc[problem.row - 2]
    column = problem.column or ""
    if problem.file == "memberships.csv" and column not in roles:
        header = str(source["_column"])
    else:
        header = roles.get(column, column)
    return Problem(
        label, problem.message, row=int(source["_row"]), column=header, value=problem.value
    )


def _open(
    path: str | os.PathLike[str], source_url: str | None, scope: str, sheet: str | int | None
) -> tuple[str, Path, pd.DataFrame, dict[str, Any], str]:
    """Check the source and scope, read the table: (source, file, cells, how read, label)."""
    source = _check_source(source_url)
    if scope not in SCOPES:
        raise CitynetError(f"scope must be one of {', '.join(SCOPES)}, not {scope!r}")
    file = Path(path)
    table, how = read_table(file, sheet=sheet)
    return source, file, table, how, _label(file, how)


def _read_note(how: dict[str, Any], report: ImportReport) -> None:
    """Say in the report what reading the file found (header row, columns, encodings)."""
    if how.get("header_row", 1) > 1:
        above = "; ".join(f"{t!r}" for t in how.get("above_header", []) if t) or "empty"
        report.notes.append(
            f"the header is row {how['header_row']}; the rows above it ({above}) are a title or "
            "group header and were not read as data"
        )
    if how.get("empty_columns"):
        report.notes.append(f"{how['empty_columns']:,} blank columns without a header ignored")
    if how.get("unnamed_columns"):
        report.notes.append(
            f"{how['unnamed_columns']:,} columns with data but no header kept as 'column X'"
        )
    if how.get("row_names"):
        report.notes.append("the unnamed first column of row numbers (R's row names) ignored")
    lines = how.get("cp1252_lines") or []
    if lines:
        shown = ", ".join(map(str, lines[:10])) + (", ..." if len(lines) > 10 else "")
        report.notes.append(
            f"the file is UTF-8 but for {len(lines):,} lines ({shown}), which were read as "
            "cp1252 (Windows); check their accents"
        )


def _public_read(how: dict[str, Any]) -> dict[str, Any]:
    """Return what reading found, as plain data for the report's JSON."""
    out = {k: v for k, v in how.items() if k not in ("quoted_tokens", "long_rows")}
    out["long_rows"] = sorted(how.get("long_rows", {}))
    return out


def _long_rows(how: dict[str, Any], intake: _Intake) -> set[int]:
    """Rows with more cells than the header (a delimiter inside a name?): left out, listed."""
    width = how.get("width", 0)
    for row, n in sorted(how.get("long_rows", {}).items()):
        intake.drop(
            row,
            None,
            "",
            f"has {n} cells where the header has {width} (a delimiter inside a cell?)",
            "more cells than the header",
        )
    return set(how.get("long_rows", {}))


def _start(
    file: Path,
    kind: str,
    table: pd.DataFrame,
    how: dict[str, Any],
    label: str,
    roles: dict[str, str],
    guessed: list[str],
    na: Sequence[str] | None,
    strict: bool,
) -> tuple[_Intake, pd.DataFrame]:
    """Open the report of an import, say what reading found, and empty the missing cells."""
    report = ImportReport(
        source=str(file), kind=kind, rows=len(table), read=_public_read(how), roles=roles,
        guessed=guessed, strict=strict,
    )  # fmt: skip
    _read_note(how, report)
    return _Intake(label, report, strict), _blank_missing(table, how, na, roles, report)


def _label(path: Path, how: dict[str, Any]) -> str:
    return f"{path.name}[{how['sheet']}]" if how.get("sheet") not in (None, 0) else path.name


def _check_source(source_url: str | None) -> str:
    if not source_url or not re.match(r"^https?://\S+$", source_url):
        raise CitynetError(
            "give the dataset's address (source_url / --source https://...): every membership "
            "carries its source"
        )
    return source_url


def _finish(
    cities: pd.DataFrame,
    networks: pd.DataFrame,
    facts: pd.DataFrame,
    roles: dict[str, str],
    intake: _Intake,
) -> ImportResult:
    """Stop on the problems found (strict), else validate and count what the landscape holds."""
    if intake.problems:
        raise DataError(intake.problems)
    land, facts = _build(cities, networks, facts, roles, intake)
    report = intake.report
    report.cities, report.networks, report.memberships = (
        len(land.cities),
        len(land.networks),
        len(facts),
    )
    report.imported_rows = (
        report.rows - sum(report.skipped.values())
        if report.kind == "wide"
        else int(facts["_row"].nunique())
    )
    return ImportResult(land, report)


REPEATED = "repeats an earlier row (the same city, network, years and role: one membership)"
_SAME_FACT = ("city_id", "network_id", "role", "role_title", "since", "until", "status", "notes")

_FACT_COLUMNS = [
    "city_id",
    "network_id",
    "role",
    "as_of",
    "evidence",
    "source_url",
    "source_title",
    "_row",
    "_column",
]


def _network_columns(
    table: pd.DataFrame, candidates: Sequence[str], name: str | None, report: ImportReport
) -> list[str]:
    """Find the columns of membership marks: most non-empty cells are marks, one says yes.

    Totals rows are not looked at. A column where marks are only some of the cells stays a city
    column, and the report says so: a column never changes meaning without a word.
    """
    rows = table if name is None else table[~table[name].map(is_totals)]
    out = []
    for header in candidates:
        filled = rows[header][rows[header] != ""]
        if filled.empty:
            continue
        read = filled.map(mark)
        marks = int(read.notna().sum())
        share = marks / len(filled)
        if share == 1 or (share >= 0.8 and (read == True).any()):  # noqa: E712 (Series)
            out.append(header)
        elif marks and share >= 0.3:
            report.notes.append(
                f"column {header!r} has {marks:,} membership marks among {len(filled):,} values: "
                "kept as a city column, not read as a network (fix the other values, or name "
                "the networks with --networks)"
            )
    return out


def convert_wide(
    path: str | os.PathLike[str],
    *,
    source_url: str,
    source_title: str | None = None,
    as_of: int | None = None,
    networks: pd.DataFrame | None = None,
    columns: Mapping[str, str] | None = None,
    scope: str = "international",
    city_id: str | None = None,
    name: str | None = None,
    country: str | None = None,
    admin: str | None = None,
    region: str | None = None,
    latitude: str | None = None,
    longitude: str | None = None,
    population: str | None = None,
    country_default: str | None = None,
    sheet: str | int | None = None,
    na: Sequence[str] | None = None,
    strict: bool = False,
) -> ImportResult:
    r"""Convert a wide table: one row per city, one column of marks per network (module docstring).

    A network column holds membership marks: ``1``, ``x``, ``yes``, ``true``, ``✓``, ``1.0``
    for a member; ``0``, ``no``, ``false``, empty for not (:data:`citynet.cells.MARKS_YES`,
    :data:`~citynet.cells.MARKS_NO`). A column is read as a network when at least 80% of its
    non-empty cells are marks; any other cell in it (``l``, ``?``) makes no membership and is
    listed in the report (an error with ``strict``). Columns whose headers differ only in case
    or spaces (``ICLEI``, ``Iclei``) are one network. A totals row (``Total``) is skipped.

    Parameters
    ----------
    source_url, source_title, as_of
        The dataset (every membership's source) and the year it describes.
    networks
        Network metadata in the contract's columns; without it, every column of marks is a
        network named by its header, of ``scope``.
    columns
        ``{header: network_id}`` for the network columns, if the headers are not the ids.
    city_id, name, country, admin, region, latitude, longitude, population
        Headers of the city columns (default: guessed from the headers, and said so).
    country_default
        The country of every city, for a table of one country without a country column.
    na
        The cells that mean "missing" (default: :data:`citynet.cells.MISSING`).
    strict
        Every cell that cannot be used is an error and nothing is imported.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "wide.csv"
    >>> _ = p.write_text("City;ISO;C40;ICLEI\nParis;FRA;1;0\nWindhoek;NAM;0;✓\n")
    >>> result = convert_wide(p, source_url="https://example.org/dataset")
    >>> sorted(result.landscape.edges["city_id"] + ":" + result.landscape.edges["network_id"])
    ['paris:c40', 'windhoek:iclei']
    >>> result.report.converted["country alpha-3 code to alpha-2"]
    2
    """
    source, file, table, how, label = _open(path, source_url, scope, sheet)
    headers = list(table.columns)
    given = {
        "city_id": city_id,
        "name": name,
        "country": country,
        "admin": admin,
        "region": region,
        "latitude": latitude,
        "longitude": longitude,
        "population": population,
    }
    roles, guessed = _guess_roles(headers, given, list(given), label)
    intake, table = _start(file, "wide", table, how, label, roles, guessed, na, strict)
    report = intake.report
    structural: list[Problem] = []
    if networks is not None:
        net_ids = [str(n) for n in networks["network_id"]]
        mapping = dict(columns) if columns is not None else {h: h for h in headers if h in net_ids}
        for header in mapping:
            if header not in headers:
                structural.append(
                    Problem(label, f"network column {header!r} is not in the header", row=1)
                )
        if not mapping:
            structural.append(
                Problem(label, "no column names a network_id of the networks given", row=1)
            )
        network_frame = networks
    else:
        candidates = [h for h in headers if h not in roles.values()]
        marked = (
            list(columns)
            if columns is not None
            else _network_columns(table, candidates, roles.get("name"), report)
        )
        if not marked:
            structural.append(
                Problem(
                    label,
                    "has no column of membership marks (1/0, x, yes/no, ✓) to read as networks",
                    row=1,
                )
            )
        if columns is not None:
            mapping = {h: columns[h] for h in marked}
            network_frame = pd.DataFrame(
                {"network_id": list(dict.fromkeys(mapping.values())), "scope": scope,
                 "source_url": source}
            )  # fmt: skip
            network_frame.insert(1, "name", list(dict.fromkeys(mapping))[: len(network_frame)])
        else:
            spelled = _network_names(marked, report, "the network columns")
            names = list(dict.fromkeys(spelled[h] for h in marked))
            ids = dict(zip(names, _unique_network_ids(names), strict=True))
            mapping = {h: ids[spelled[h]] for h in marked}
            network_frame = pd.DataFrame(
                {"network_id": list(ids.values()), "name": names, "scope": scope,
                 "source_url": source}
            )  # fmt: skip
    if structural:
        raise DataError(structural)
    report.roles = {**roles, **{f"network:{v}": k for k, v in mapping.items()}}
    report.kept = [h for h in headers if h not in roles.values() and h not in mapping]
    if networks is None:
        report.notes.append(
            f"{len(set(mapping.values()))} networks named by their headers, scope {scope} (the "
            "table does not say; give networks with their scopes to set them)"
        )
    _coordinates_choice(table, roles, report)
    report.roles = {**roles, **{f"network:{v}": k for k, v in mapping.items()}}
    skip = _long_rows(how, intake)
    cities, city_of_row = _cities(
        table, roles, intake, country_default, rows_are_cities=True, skip=skip
    )
    facts = []
    made: set[tuple[int, str]] = set()
    rows = _numbers(table.index)
    for header, network_id in mapping.items():
        for row, value in zip(rows, table[header].tolist(), strict=True):
            if row not in city_of_row.index:
                continue  # the row was skipped, with its reason
            read = mark(value)
            if read is None:
                intake.cell(
                    row,
                    header,
                    value,
                    "is not a membership mark (1, x, yes, ✓; or 0, no, empty)",
                    "no membership made",
                )
            elif read and (row, network_id) not in made:
                made.add((row, network_id))
                facts.append(
                    {
                        "city_id": city_of_row[row],
                        "network_id": network_id,
                        "role": "member",
                        "as_of": as_of,
                        "evidence": "listed",
                        "source_url": source,
                        "source_title": source_title,
                        "_row": row,
                        "_column": header,
                    }
                )
    frame = pd.DataFrame(facts, columns=_FACT_COLUMNS)
    return _finish(cities, network_frame, frame, roles, intake)


def _coordinates_choice(table: pd.DataFrame, roles: dict[str, str], report: ImportReport) -> None:
    """Where both lat/lon and Y/X exist, use the fuller pair, and the other where it is empty.

    Both columns stay in the landscape as extra city columns, so nothing the table held is lost.
    """
    for role, alternative in (("latitude", "y"), ("longitude", "x")):
        header = roles.get(role)
        if header is None:
            continue
        other = next(
            (h for h in table.columns if normalize_name(h) == alternative and h != header), None
        )
        if other is None:
            continue
        if _fill(table[other]) > _fill(table[header]):
            report.notes.append(f"{role}: column {other!r} is fuller than {header!r} and is used")
            header, other = other, header
            roles[role] = header
        roles[f"{role} where {header!r} is empty"] = other
        if header in report.kept:
            report.kept.remove(header)
        if other not in report.kept:
            report.kept.append(other)


def _years(
    fact: dict[str, Any], cells: dict[str, str], roles: dict[str, str], row: int, intake: _Intake
) -> None:
    """Fill ``since`` and ``until`` from their cells: years, dates, years in words, periods."""
    report = intake.report
    for key in ("since", "until"):
        if key not in roles or not cells[roles[key]]:
            continue
        header, text = roles[key], cells[roles[key]]
        period = read_period(text)
        if period is None:
            intake.cell(
                row,
                header,
                text,
                "is not a year (1800-2100), a date or a period",
                f"{key} left empty",
            )
            continue
        if period.how != "a year":
            shown = f"{period.since}-{period.until}" if period.until else str(period.since)
            report.convert(f"{header}: read as {period.how}", f"{text!r} -> {shown}")
        if key == "since":
            fact["since"] = period.since
            if period.until is not None and not ("until" in roles and cells[roles["until"]]):
                fact["until"] = period.until
        else:
            fact["until"] = period.until if period.until is not None else period.since
    if (
        fact.get("since") is not None
        and fact.get("until") is not None
        and (fact["until"] < fact["since"])
    ):
        header = roles.get("until", roles.get("since", ""))
        intake.cell(
            row,
            header,
            cells.get(header, ""),
            f"ends before it begins ({fact['since']})",
            "until left empty",
        )
        fact["until"] = None


def _status(
    fact: dict[str, Any], cells: dict[str, str], roles: dict[str, str], row: int, intake: _Intake
) -> bool:
    """Read the status and role: False if the row is not a membership (then it is skipped)."""
    report = intake.report
    words = " ".join(cells[roles[k]] for k in ("status", "role") if k in roles).strip()
    if not words:
        return True
    kind = status_kind(words)
    entry = report.statuses.setdefault(words.lower(), {"read_as": kind, "rows": 0})
    entry["rows"] += 1
    if kind == "not a member":
        report.skip("statuses that mean no membership (non-member, applicant, rejected, ...)", row)
        return False
    lowered = words.lower()
    if _EXECUTIVE.search(lowered):
        fact["role"] = "executive"
        fact["role_title"] = " / ".join(
            cells[roles[k]] for k in ("role", "status") if k in roles and cells[roles[k]]
        )
        report.convert("executive seats (from the role or status)")
    if kind == "suspended":
        fact["status"] = "suspended"
        fact["notes"] = f"status in the dataset: {lowered}"
        if fact.get("since") is None and fact.get("as_of") is None:
            report.skip("suspended memberships without a year (no year to place them in)", row)
            return False
    if kind == "ended":
        fact["notes"] = f"status in the dataset: {lowered}"
        if fact.get("until") is None:
            # An ended membership is not presumed to go on: without the year it ended, it is
            # known only for the year it began; without any year it cannot be placed in time.
            if fact.get("since") is None:
                report.skip("ended memberships without a year (no year to place them in)", row)
                return False
            fact["until"] = fact["since"]
            report.convert(
                "ended memberships without an end year: known for their first year only",
                f"row {row}",
            )
    return True


def convert_long(
    path: str | os.PathLike[str],
    *,
    source_url: str,
    source_title: str | None = None,
    as_of: int | None = None,
    scope: str = "international",
    name: str | None = None,
    country: str | None = None,
    admin: str | None = None,
    network: str | None = None,
    since: str | None = None,
    until: str | None = None,
    status: str | None = None,
    role: str | None = None,
    region: str | None = None,
    latitude: str | None = None,
    longitude: str | None = None,
    population: str | None = None,
    country_default: str | None = None,
    sheet: str | int | None = None,
    na: Sequence[str] | None = None,
    strict: bool = False,
) -> ImportResult:
    r"""Convert a long table: one row per city x network (module docstring).

    Network names equal but for case, accents and spaces (``ICLEI``, ``Iclei``) are one network.
    A year cell may hold a year, a date or a period (``2008-2012`` gives since and until). A
    status is read by :func:`citynet.cells.status_kind`: "non-member", "applicant",
    "rejected" ... make no membership (the row is skipped and counted); "former", "withdrawn",
    "cancelled" end one (in the ``until`` year; without it, known for its first year only;
    without any year, skipped); "suspended", "on hold" make a suspended fact; a role or status
    naming a chair, board or executive makes the fact an executive seat.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "long.csv"
    >>> _ = p.write_text("city,country,network,year\nParis,France,C40,2006\n"
    ...                  "Paris,France,ICLEI,1995\nParis,France,Iclei,NA\n")
    >>> result = convert_long(p, source_url="https://example.org/dataset")
    >>> land = result.landscape
    >>> sorted(set(land.edges["network_id"])), int(land.memberships["since"].min())
    (['c40', 'iclei'], 1995)
    >>> result.report.missing, result.report.accounted()
    ({'year': 1}, True)
    """
    source, file, table, how, label = _open(path, source_url, scope, sheet)
    headers = list(table.columns)
    given = {
        "name": name,
        "country": country,
        "admin": admin,
        "network": network,
        "since": since,
        "until": until,
        "status": status,
        "role": role,
        "region": region,
        "latitude": latitude,
        "longitude": longitude,
        "population": population,
    }
    roles, guessed = _guess_roles(headers, given, list(given), label)
    if "network" not in roles:
        raise DataError(
            [
                Problem(
                    label,
                    "needs a column naming the network of each row (network, organisation, ...); "
                    f"the columns are {_listing(headers)}: name it with --network-column",
                    row=1,
                )
            ]
        )
    intake, table = _start(file, "long", table, how, label, roles, guessed, na, strict)
    report = intake.report
    fact_roles = {"network", "since", "until", "status", "role"}
    report.kept = [h for h in headers if h not in roles.values()]
    _coordinates_choice(table, roles, report)
    city_roles = {k: v for k, v in roles.items() if k not in fact_roles}
    skip = _long_rows(how, intake)
    cities, city_of_row = _cities(
        table, city_roles, intake, country_default, rows_are_cities=False, skip=skip
    )
    spelled = _network_names(table[roles["network"]].tolist(), report, roles["network"])
    names = list(dict.fromkeys(spelled.values()))
    ids = dict(zip(names, _unique_network_ids(names), strict=True))
    networks = pd.DataFrame(
        {"network_id": list(ids.values()), "name": names, "scope": scope, "source_url": source}
    )
    report.notes.append(
        f"{len(names)} networks named by the column {roles['network']!r}, scope {scope} (the "
        "table does not say)"
    )
    facts = []
    first_row: dict[tuple[Any, ...], int] = {}
    for row, cells in _rows(table):
        if row not in city_of_row.index:
            continue  # skipped, with its reason
        net = cells[roles["network"]]
        if not net:
            intake.drop(row, roles["network"], "", "has no network", "no network")
            continue
        fact: dict[str, Any] = {
            "city_id": city_of_row[row],
            "network_id": ids[spelled[net]],
            "role": "member",
            "as_of": as_of,
            "evidence": "listed",
            "source_url": source,
            "source_title": source_title,
            "_row": row,
            "_column": roles["network"],
        }
        _years(fact, cells, roles, row, intake)
        if not _status(fact, cells, roles, row, intake):
            continue
        key = tuple(fact.get(k) for k in _SAME_FACT)
        if key in first_row:
            report.skip(REPEATED, row)
            report.convert(REPEATED, f"row {row} repeats row {first_row[key]}")
            continue
        first_row[key] = row
        facts.append(fact)
    for value, entry in report.statuses.items():
        if entry["read_as"] == "member" and not _EXECUTIVE.search(value):
            entry["note"] = "no word of ours matched: read as a membership"
    frame = pd.DataFrame(facts, columns=[*_FACT_COLUMNS, "since", "until", "role_title", "status",
                                         "notes"])  # fmt: skip
    return _finish(cities, networks, frame, roles, intake)


def read_wide(path: str | os.PathLike[str], **options: Any) -> Landscape:
    r"""Read a wide table into a Landscape (:func:`convert_wide` without the report).

    Examples
    --------
    >>> import pandas as pd, tempfile, pathlib
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "wide.csv"
    >>> _ = p.write_text("name,country,c40,iclei\nParis,FR,1,0\nWindhoek,NA,0,1\n")
    >>> nets = pd.DataFrame({"network_id": ["c40", "iclei"], "name": ["C40", "ICLEI"],
    ...                      "scope": ["international", "international"]})
    >>> land = read_wide(p, networks=nets, source_url="https://example.org/dataset")
    >>> sorted(land.edges["city_id"] + ":" + land.edges["network_id"])
    ['paris:c40', 'windhoek:iclei']
    """
    return convert_wide(path, **options).landscape


def read_long(path: str | os.PathLike[str], **options: Any) -> Landscape:
    r"""Read a long table into a Landscape (:func:`convert_long` without the report).

    Examples
    --------
    >>> import tempfile, pathlib
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "long.csv"
    >>> _ = p.write_text("city,country,network\nKyoto,JP,ICLEI\n")
    >>> read_long(p, source_url="https://example.org/d").cities.loc["kyoto", "region"]
    'Asia'
    """
    return convert_long(path, **options).landscape


_REPORT_FILES = ("import-report.md", "import-report.json", "import-problems.txt")


def _inside(folder: Path, path: Path) -> bool:
    try:
        path.resolve().relative_to(folder.resolve())
    except ValueError:
        return False
    return True


def write_import(
    result: ImportResult,
    folder: str | os.PathLike[str],
    *,
    input_path: str | os.PathLike[str] | None = None,
) -> Path:
    r"""Write the imported landscape as a folder, with ``import-report.md`` and ``.json``.

    Where the folder holds the input table (or anything besides a landscape), each file is
    written whole on its own instead of replacing the folder as one unit, so nothing in it is
    copied or moved; a landscape file that would overwrite the input is refused.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "long.csv"
    >>> _ = p.write_text("city,country,network\nKyoto,JP,ICLEI\n")
    >>> out = write_import(convert_long(p, source_url="https://example.org/d"), p.parent / "out")
    >>> sorted(x.name for x in out.iterdir())[:3]
    ['cities.csv', 'import-report.json', 'import-report.md']
    >>> out = write_import(convert_long(p, source_url="https://example.org/d"), p.parent,
    ...                    input_path=p)
    >>> sorted(x.name for x in out.iterdir())[:3]
    ['cities.csv', 'import-report.json', 'import-report.md']
    """
    import json

    from citynet.io import atomic_write
    from citynet.render.importing import import_text
    from citynet.schema import TABLES

    out = Path(folder)
    source = Path(input_path if input_path is not None else result.report.source)
    owned = {t.file for t in TABLES} | set(_REPORT_FILES)
    if source.exists() and source.resolve() in {(out / name).resolve() for name in owned}:
        raise CitynetError(
            f"{out}: writing the landscape there would overwrite the input {source.name}; "
            "choose another folder"
        )
    crowded = out.is_dir() and any(item.name not in owned for item in out.iterdir())
    if (source.exists() and _inside(out, source)) or crowded:
        with_files = result.landscape.save_files(out)
    else:
        with_files = result.landscape.save(out)
    (with_files / "import-problems.txt").unlink(missing_ok=True)  # left by a --strict run
    with atomic_write(with_files / "import-report.md") as fh:
        fh.write(import_text(result.report) + "\n")
    with atomic_write(with_files / "import-report.json") as fh:
        fh.write(
            json.dumps(result.report.to_dict(), indent=2, ensure_ascii=False, default=str) + "\n"
        )
    return with_files
