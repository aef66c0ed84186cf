"""Importing published datasets into a valid landscape folder, with a report of what was done.

Wide tables (a 0/1 column per network) and long tables (a row per city x network) are both
read.

Researchers arrive with a published table, not citynet's contract. :func:`convert_wide` and
:func:`convert_long` read it (CSV with any common delimiter and encoding, or XLSX), find the role
of each column (given, or guessed from the header and said so), convert what the contract writes
differently and keep everything else:

* countries: names ("Germany", "Côte d'Ivoire"), ISO alpha-3 codes and lower-case codes become
  ISO 3166-1 alpha-2; Kosovo (``RKS``, ``XKX``, "Kosovo") becomes the user-assigned ``XK``;
  ``NA`` stays Namibia, never "missing";
* regions: derived from the country (GeoNames' continent) into the contract's six; the table's
  own region, where it differs, is kept in a column ``region_given``;
* numbers: ``2e+05``, ``1,234,567``, ``1.234.567`` and comma decimals (``48,85``) are read as
  numbers; a coordinate column that is mostly empty next to a fuller one is kept as an extra
  column, not used;
* ids: every city and network gets a valid slug, transliterated (``Ærø`` → ``aero``,
  ``Helsingør`` → ``helsingor``), stable across runs and unique: homonyms in different countries
  get the country code, homonyms in the same country a number, with a note.

Nothing is dropped silently: a row without a city name or a cell that is neither 0 nor 1 is a
problem naming the user's file (and sheet), row and column; empty rows are skipped and counted.
Every 1 of a wide table and every row of a long table becomes one membership fact, carrying the
dataset (``source_url``) as its source.
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
from citynet.landscape import Landscape
from citynet.lookup import normalize_name
from citynet.schema import REGIONS, SCOPES
from citynet.validate import cell_text

__all__ = [
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

_TRUE = {"1", "1.0", "yes", "true", "x", "y"}
_FALSE = {"", "0", "0.0", "no", "false", "n"}

# header words that say what a column holds (normalised: lower case, no accents or punctuation)
ROLE_WORDS: dict[str, tuple[str, ...]] = {
    "city_id": ("city id", "city_id", "actor id", "id"),
    "name": (
        "name",
        "city",
        "city name",
        "municipality",
        "actor",
        "actor name",
        "locality",
        "local government",
        "town",
        "name of city",
        "ciudad",
        "stadt",
        "ville",
    ),
    "country": (  # codes before names: a code is unambiguous, a name may not be
        "country code",
        "countrycode",
        "iso",
        "iso2",
        "iso3",
        "iso a2",
        "iso a3",
        "iso code",
        "country",
        "nation",
        "pais",
        "land",
        "pays",
    ),
    "region": ("region", "continent", "world region"),
    "latitude": ("lat", "latitude", "y"),
    "longitude": ("lon", "lng", "long", "longitude", "x"),
    "population": ("population", "pop", "inhabitants", "population total"),
    "population_year": ("population year", "pop year"),
    "network": (
        "network",
        "network name",
        "organisation",
        "organization",
        "initiative",
        "network id",
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
    ),
    "until": ("until", "left", "year left", "end", "end year"),
    "status": ("status", "membership status"),
    "role": ("role", "position", "membership type", "type"),
    "source_url": ("source", "source url", "url", "link"),
}
_LEFT = re.compile(r"\b(former|left|withdrawn|withdrew|inactive|expelled|ended|lapsed|past)\b")
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


# -- reading any table ----------------------------------------------------------------------------
def read_table(
    path: str | os.PathLike[str], *, sheet: str | int | None = None
) -> tuple[pd.DataFrame, dict[str, Any]]:
    r"""Read a CSV (any common delimiter and encoding) or XLSX table as text cells.

    Returns the cells (index: the row number as a spreadsheet shows it, the header being row 1;
    headers trimmed) and what was found (``encoding``, ``delimiter``, ``sheet``).

    Examples
    --------
    >>> import tempfile, pathlib
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "t.csv"
    >>> _ = p.write_bytes("\ufeffname;country\nZürich;CH\n".encode("utf-8"))
    >>> frame, how = read_table(p)
    >>> frame.loc[2, "name"], how["delimiter"], how["encoding"]
    ('Zürich', ';', 'utf-8-sig')
    """
    file = Path(path)
    label = file.name
    if not file.is_file():
        raise DataError([Problem(label, f"file not found: {file}")])
    if file.suffix.lower() in (".xlsx", ".xlsm"):
        try:
            frame = pd.read_excel(
                file, sheet_name=sheet or 0, dtype=object, keep_default_na=False, na_filter=False
            )
        except ImportError as exc:
            raise DataError(
                [
                    Problem(
                        label, f"reading XLSX needs openpyxl ({exc}); pip install 'citynet[xlsx]'"
                    )
                ]
            ) from None
        except ValueError as exc:
            raise DataError([Problem(label, str(exc))]) from None
        cells = frame.map(cell_text).astype(object)
        headers = [str(c).strip() for c in frame.columns]
        how: dict[str, Any] = {"encoding": "xlsx", "delimiter": "", "sheet": sheet or 0}
    else:
        raw = file.read_bytes()
        encoding = "utf-8"
        if raw.startswith(b"\xef\xbb\xbf"):
            encoding = "utf-8-sig"
        elif raw.startswith((b"\xff\xfe", b"\xfe\xff")):
            encoding = "utf-16"
        try:
            text = raw.decode(encoding)
        except UnicodeDecodeError:
            encoding = "cp1252"
            text = raw.decode(encoding, errors="replace")  # the five bytes cp1252 lacks: counted
        sample = "\n".join(text.splitlines()[:50])
        try:
            delimiter = csv.Sniffer().sniff(sample, delimiters=",;\t|").delimiter
        except csv.Error:
            delimiter = ","
        rows = list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))
        if not rows:
            raise DataError([Problem(label, "is empty (no header row)")])
        headers = [h.strip() for h in rows[0]]
        width = len(headers)
        problems = [
            Problem(label, f"has {len(r)} fields where the header has {width}", row=i)
            for i, r in enumerate(rows[1:], start=2)
            if len(r) > width and any(c.strip() for c in r[width:])
        ]
        if problems:
            raise DataError(problems)
        body = [(r + [""] * width)[:width] for r in rows[1:]]
        cells = pd.DataFrame(body, columns=range(width), dtype=object)
        how = {
            "encoding": encoding,
            "delimiter": delimiter,
            "sheet": None,
            "unreadable_characters": text.count("\ufffd"),
        }
    duplicated = [h for h, n in Counter(headers).items() if n > 1 and h]
    if duplicated:
        raise DataError(
            [
                Problem(label, f"column {h!r} appears more than once in the header", row=1)
                for h in duplicated
            ]
        )
    cells.columns = pd.Index(headers)
    cells.index = pd.RangeIndex(2, len(cells) + 2, name="row")
    cells = cells.map(lambda v: str(v).strip())
    return cells, how


# -- the report -----------------------------------------------------------------------------------
@dataclass
class ImportReport:
    """What an import did: the roles of the columns, what was converted, dropped and noted."""

    source: str
    kind: str
    rows: int
    read: dict[str, Any]
    roles: dict[str, str]
    guessed: list[str]
    cities: int = 0
    networks: int = 0
    memberships: int = 0
    converted: dict[str, int] = field(default_factory=dict)
    examples: dict[str, str] = field(default_factory=dict)
    skipped: dict[str, int] = field(default_factory=dict)
    skipped_rows: dict[str, list[int]] = field(default_factory=dict)
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
        self.skipped_rows.setdefault(what, []).append(row)

    def to_dict(self) -> dict[str, Any]:
        """Return plain data for JSON."""
        return asdict(self)


@dataclass(frozen=True)
class ImportResult:
    """The landscape an import made, and its report."""

    landscape: Landscape
    report: ImportReport


# -- column roles ---------------------------------------------------------------------------------
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
                            f"no column {header!r} for the {role} (columns: {', '.join(headers)})",
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
    return roles, guessed


def _numbers(index: pd.Index) -> list[int]:
    return [int(str(i)) for i in index]


def _rows(table: pd.DataFrame) -> list[tuple[int, dict[str, str]]]:
    """Return the table's rows as (spreadsheet row number, {header: cell})."""
    records: list[dict[str, str]] = table.to_dict("records")  # type: ignore[assignment]
    return list(zip(_numbers(table.index), records, strict=True))


def _fill(values: pd.Series) -> float:
    return float((values.str.strip() != "").mean()) if len(values) else 0.0


# -- cities ---------------------------------------------------------------------------------------
def _cities(
    table: pd.DataFrame,
    roles: dict[str, str],
    report: ImportReport,
    label: str,
    problems: list[Problem],
    country_default: str | None,
    *,
    rows_are_cities: bool,
) -> tuple[pd.DataFrame, pd.Series]:
    """City rows of the table, converted; returns them and each table row's city_id.

    In a wide table (``rows_are_cities``) every row is a city, so two rows of one name and
    country are homonyms with distinct ids; in a long table they are the same city, unless a
    region column tells them apart.
    """
    name_col = roles.get("name")
    if name_col is None and "city_id" not in roles:
        raise DataError(
            [Problem(label, "needs a column of city names (name, city, municipality, ...)", row=1)]
        )
    records: list[dict[str, Any]] = []
    keys: dict[tuple[str, str, str], int] = {}
    row_city: dict[int, int] = {}
    for row, cells in _rows(table):
        name = cells[name_col] if name_col else cells[roles["city_id"]]
        if not name:
            if all(not v for v in cells.values()):
                report.skip("empty rows", int(row))
                continue
            problems.append(Problem(label, "has no city name", row=int(row), column=name_col))
            continue
        code: str | None = country_default
        if "country" in roles:
            given = cells[roles["country"]]
            code, how = country_code(given) if given else (None, "empty")
            if code is None:
                problems.append(
                    Problem(
                        label,
                        "is not a country code or name we know",
                        row=int(row),
                        column=roles["country"],
                        value=given,
                    )
                )
                continue
            if how != "alpha-2":
                report.convert(f"country {how} to alpha-2", f"{given} -> {code}")
        elif code is None:
            raise DataError(
                [Problem(label, "needs a country column (or --country XX for one country)", row=1)]
            )
        assert code is not None
        region_cell = cells[roles["region"]] if "region" in roles else ""
        key = (normalize_name(name), code, normalize_name(region_cell))
        values: dict[str, float] = {}
        for role, decimal in (("latitude", True), ("longitude", True), ("population", False)):
            if role in roles and not cells[roles[role]]:
                alternative = roles.get(f"{role} where {roles[role]!r} is empty")
                if alternative and cells[alternative]:
                    cells = {**cells, roles[role]: cells[alternative]}
                    report.convert(f"{role} taken from {alternative!r} (empty {roles[role]!r})")
            if role in roles and cells[roles[role]]:
                value = number(cells[roles[role]], decimal_comma=decimal)
                if value is None:
                    problems.append(
                        Problem(
                            label,
                            "is not a number",
                            row=int(row),
                            column=roles[role],
                            value=cells[roles[role]],
                        )
                    )
                    continue
                if cells[roles[role]] != cell_text(value):
                    report.convert(
                        f"{role} normalised", f"{cells[roles[role]]} -> {cell_text(value)}"
                    )
                values[role] = round(value) if role == "population" else value
        if "city_id" not in roles and key in keys and not rows_are_cities:
            # The same city again (in a wide table it would be a homonym): points and
            # population missing on its first row are taken from a later one.
            row_city[int(row)] = keys[key]
            first = records[keys[key]]
            for role, value in values.items():
                if first.get(role) is None:
                    first[role] = value
                elif first[role] != value:
                    report.convert(f"{role}: a later row of the same city differs (first kept)")
            continue
        record: dict[str, Any] = {"name": name, "country": code, "_row": int(row)}
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
        if "population_year" in roles and cells[roles["population_year"]]:
            record["population_year"] = cells[roles["population_year"]]
        for header in report.kept:
            record[_extra_name(header)] = cells[header] or None
        keys.setdefault(key, len(records))
        row_city[int(row)] = len(records)
        records.append(record)
    cities = pd.DataFrame(records)
    if cities.empty:
        raise DataError(problems or [Problem(label, "has no city rows")])
    if "city_id" not in cities.columns:
        cities["city_id"] = _city_ids(cities)
        groups = cities.groupby(
            [cities["name"].map(normalize_name), cities["country"]], sort=False
        ).indices
        for index in (list(i) for i in groups.values() if len(i) > 1):
            first = cities.iloc[index[0]]
            report.notes.append(
                f"{first['name']} ({first['country']}) names {len(index)} cities (rows "
                + ", ".join(str(cities.at[i, "_row"]) for i in index)
                + "): ids "
                + ", ".join(str(cities.at[i, "city_id"]) for i in index)
                + "; merge the rows in the table if they are one city"
            )
    ids = pd.Series({row: cities.at[i, "city_id"] for row, i in row_city.items()}, dtype=object)
    return cities, ids


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


# -- landscapes and their problems -----------------------------------------------------------------
def _build(
    cities: pd.DataFrame,
    networks: pd.DataFrame,
    facts: pd.DataFrame,
    label: str,
    roles: dict[str, str],
) -> Landscape:
    """Validate; a problem in the converted tables names the user's row and column."""
    try:
        return Landscape.from_frames(
            cities.drop(columns=["_row"]), networks, facts.drop(columns=["_row", "_column"])
        )
    except DataError as error:
        translated = []
        for problem in error.problems:
            origin = {"cities.csv": cities, "memberships.csv": facts}.get(problem.file)
            if (
                origin is not None
                and problem.row is not None
                and 0 <= problem.row - 2 < len(origin)
            ):
                source = origin.iloc[problem.row - 2]
                header = (
                    str(source["_column"])
                    if problem.file == "memberships.csv"
                    else roles.get(problem.column or "", problem.column)
                )
                translated.append(
                    Problem(
                        label,
                        problem.message,
                        row=int(source["_row"]),
                        column=header,
                        value=problem.value,
                    )
                )
            else:
                translated.append(problem)
        raise DataError(translated) from None


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


def _result(
    cities: pd.DataFrame,
    networks: pd.DataFrame,
    facts: pd.DataFrame,
    label: str,
    roles: dict[str, str],
    report: ImportReport,
) -> ImportResult:
    """Validate the converted tables and count what the landscape holds in the report."""
    land = _build(cities, networks, facts, label, roles)
    report.cities, report.networks, report.memberships = (
        len(land.cities),
        len(land.networks),
        len(facts),
    )
    return ImportResult(land, report)


def _label(path: Path, how: dict[str, Any]) -> str:
    return f"{path.name}[{how['sheet']}]" if how.get("sheet") not in (None, 0) else path.name


def _check_source(source_url: str | None) -> str:
    if not source_url or not re.match(r"^https?://\S+$", source_url):
        raise CitynetError(
            "give the dataset's address (source_url / --source https://...): every membership "
            "carries its source"
        )
    return source_url


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
    region: str | None = None,
    latitude: str | None = None,
    longitude: str | None = None,
    population: str | None = None,
    country_default: str | None = None,
    sheet: str | int | None = None,
) -> ImportResult:
    r"""Convert a wide table: one row per city, one 0/1 column per network (module docstring).

    Parameters
    ----------
    source_url, source_title, as_of
        The dataset (every membership's source) and the year it describes.
    networks
        Network metadata in the contract's columns; without it, every column whose cells are all
        0/1 (or yes/no, x) is a network named by its header, of ``scope``.
    columns
        ``{header: network_id}`` for the network columns, if the headers are not the ids.
    city_id, name, country, region, latitude, longitude, population
        Headers of the city columns (default: guessed from the headers, and said so).
    country_default
        The country of every city, for a table of one country without a country column.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "wide.csv"
    >>> _ = p.write_text("City;ISO;C40;ICLEI\nParis;FRA;1;0\nWindhoek;NAM;0;1\n")
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
        "region": region,
        "latitude": latitude,
        "longitude": longitude,
        "population": population,
    }
    roles, guessed = _guess_roles(headers, given, list(given), label)
    problems: list[Problem] = []
    if networks is not None:
        net_ids = [str(n) for n in networks["network_id"]]
        mapping = dict(columns) if columns is not None else {h: h for h in headers if h in net_ids}
        for header in mapping:
            if header not in headers:
                problems.append(
                    Problem(label, f"network column {header!r} is not in the header", row=1)
                )
        if not mapping:
            problems.append(
                Problem(label, "no column names a network_id of the networks given", row=1)
            )
        network_frame = networks
    else:
        candidates = [h for h in headers if h not in roles.values()]
        binary = [
            h
            for h in candidates
            if table[h].str.lower().isin(_TRUE | _FALSE).all() and (table[h] != "").any()
        ]
        if columns is not None:
            binary = list(columns)
        if not binary:
            problems.append(Problem(label, "has no column of 0/1 memberships", row=1))
        ids = [columns[h] for h in binary] if columns is not None else _unique_network_ids(binary)
        mapping = dict(zip(binary, ids, strict=True))
        network_frame = pd.DataFrame(
            {"network_id": ids, "name": binary, "scope": scope, "source_url": source}
        )
    if problems:
        raise DataError(problems)
    report = ImportReport(
        source=str(file),
        kind="wide",
        rows=len(table),
        read=how,
        roles={**roles, **{f"network:{v}": k for k, v in mapping.items()}},
        guessed=guessed,
    )
    report.kept = [h for h in headers if h not in roles.values() and h not in mapping]
    if networks is None:
        report.notes.append(
            f"{len(mapping)} networks named by their headers, scope {scope} (the table does not "
            "say; give networks with their scopes to set them)"
        )
    _coordinates_choice(table, roles, report)
    report.roles = {**roles, **{f"network:{v}": k for k, v in mapping.items()}}
    cities, city_of_row = _cities(
        table, roles, report, label, problems, country_default, rows_are_cities=True
    )
    facts = []
    for header, network_id in mapping.items():
        for row, value in zip(_numbers(table.index), table[header].tolist(), strict=True):
            cell = value.strip().lower()
            if cell in _TRUE:
                if int(row) not in city_of_row.index:
                    continue  # the row's own problem is reported
                facts.append(
                    {
                        "city_id": city_of_row[int(row)],
                        "network_id": network_id,
                        "role": "member",
                        "as_of": as_of,
                        "evidence": "listed",
                        "source_url": source,
                        "source_title": source_title,
                        "_row": int(row),
                        "_column": header,
                    }
                )
            elif cell not in _FALSE:
                problems.append(
                    Problem(label, "is not 0 or 1", row=int(row), column=header, value=value)
                )
    if problems:
        raise DataError(problems)
    frame = pd.DataFrame(
        facts,
        columns=[
            "city_id",
            "network_id",
            "role",
            "as_of",
            "evidence",
            "source_url",
            "source_title",
            "_row",
            "_column",
        ],
    )
    return _result(cities, network_frame, frame, label, roles, report)


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


def convert_long(
    path: str | os.PathLike[str],
    *,
    source_url: str,
    source_title: str | None = None,
    as_of: int | None = None,
    scope: str = "international",
    name: str | None = None,
    country: str | None = None,
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
) -> ImportResult:
    r"""Convert a long table: one row per city x network (module docstring).

    A status such as "former", "left" or "withdrawn" is kept in the fact's notes (with the year
    left in ``until`` when a column gives it); a role or status naming a chair, board or
    executive makes the fact an executive seat.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "long.csv"
    >>> _ = p.write_text("city,country,network,year\nParis,France,C40,2006\n"
    ...                  "Paris,France,ICLEI,1995\n")
    >>> land = convert_long(p, source_url="https://example.org/dataset").landscape
    >>> sorted(land.edges["network_id"]), int(land.memberships["since"].min())
    (['c40', 'iclei'], 1995)
    """
    source, file, table, how, label = _open(path, source_url, scope, sheet)
    headers = list(table.columns)
    given = {
        "name": name,
        "country": country,
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
        raise DataError([Problem(label, "needs a column naming the network of each row", row=1)])
    report = ImportReport(
        source=str(file), kind="long", rows=len(table), read=how, roles=roles, guessed=guessed
    )
    fact_roles = {"network", "since", "until", "status", "role"}
    report.kept = [h for h in headers if h not in roles.values()]
    _coordinates_choice(table, roles, report)
    problems: list[Problem] = []
    city_roles = {k: v for k, v in roles.items() if k not in fact_roles}
    cities, city_of_row = _cities(
        table, city_roles, report, label, problems, country_default, rows_are_cities=False
    )
    names = [n for n in dict.fromkeys(table[roles["network"]]) if n]
    ids = dict(zip(names, _unique_network_ids(names), strict=True))
    networks = pd.DataFrame(
        {"network_id": list(ids.values()), "name": names, "scope": scope, "source_url": source}
    )
    report.notes.append(
        f"{len(names)} networks named by the column {roles['network']!r}, scope {scope} (the "
        "table does not say)"
    )
    facts = []
    for row, cells in _rows(table):
        if int(row) not in city_of_row.index:
            continue
        net = cells[roles["network"]]
        if not net:
            problems.append(Problem(label, "has no network", row=int(row), column=roles["network"]))
            continue
        fact: dict[str, Any] = {
            "city_id": city_of_row[int(row)],
            "network_id": ids[net],
            "role": "member",
            "as_of": as_of,
            "evidence": "listed",
            "source_url": source,
            "source_title": source_title,
            "_row": int(row),
            "_column": roles["network"],
        }
        for key in ("since", "until"):
            if key in roles and cells[roles[key]]:
                year = number(cells[roles[key]])
                if year is None or not year.is_integer():
                    problems.append(
                        Problem(
                            label,
                            "is not a year",
                            row=int(row),
                            column=roles[key],
                            value=cells[roles[key]],
                        )
                    )
                    continue
                fact[key] = int(year)
        words = " ".join(cells[roles[k]] for k in ("status", "role") if k in roles).lower()
        if _EXECUTIVE.search(words):
            fact["role"] = "executive"
            fact["role_title"] = " / ".join(
                cells[roles[k]] for k in ("role", "status") if k in roles and cells[roles[k]]
            )
            report.convert("executive seats (from the role or status)")
        if _LEFT.search(words) and fact.get("until") is None:
            # An ended membership is not presumed to go on: without the year it ended, it is
            # known only for the year it began; without any year it cannot be placed in time.
            if fact.get("since") is None:
                report.skip("ended memberships without a year (no year to place them in)", row)
                continue
            fact["until"] = fact["since"]
            report.convert(
                "ended memberships without an end year: known for their first year only",
                f"row {row}",
            )
        if _LEFT.search(words):
            fact["notes"] = f"status in the dataset: {words}"
        facts.append(fact)
    if problems:
        raise DataError(problems)
    frame = pd.DataFrame(facts)
    for column in ("since", "until", "role_title", "notes"):
        if column not in frame.columns:
            frame[column] = None
    return _result(cities, networks, frame, label, roles, report)


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


def write_import(result: ImportResult, folder: str | os.PathLike[str]) -> Path:
    r"""Write the imported landscape as a folder, with ``import-report.md`` and ``.json``.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "long.csv"
    >>> _ = p.write_text("city,country,network\nKyoto,JP,ICLEI\n")
    >>> out = write_import(convert_long(p, source_url="https://example.org/d"), p.parent / "out")
    >>> sorted(x.name for x in out.iterdir())[:3]
    ['cities.csv', 'import-report.json', 'import-report.md']
    """
    import json

    from citynet.io import atomic_write
    from citynet.render.importing import import_text

    out = result.landscape.save(folder)
    with atomic_write(out / "import-report.md") as fh:
        fh.write(import_text(result.report) + "\n")
    with atomic_write(out / "import-report.json") as fh:
        fh.write(
            json.dumps(result.report.to_dict(), indent=2, ensure_ascii=False, default=str) + "\n"
        )
    return out
