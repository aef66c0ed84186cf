"""Validation of landscape tables against the data contract in :mod:`citynet.schema`.

All rules run, all problems are gathered, and one :class:`~citynet.DataError` is raised at the end.
Input cells are text exactly as written (see :mod:`citynet.io`); output frames carry the documented
dtypes: ``string`` for text-like columns (missing = ``<NA>``), ``Int64`` for years and counts,
``Float64`` for decimals and ``boolean`` for yes/no columns. Columns outside the contract are kept
as ``string`` columns after the contract's own.
"""

from __future__ import annotations

import difflib
import functools
import math
import re
import unicodedata
from collections import Counter
from collections.abc import Callable, Hashable, Mapping
from typing import Any, cast

import numpy as np
import pandas as pd

from citynet._errors import DataError, Problem
from citynet.schema import (
    ADMISSIONS,
    CAPACITY,
    CITIES,
    MEMBER_TYPES,
    MEMBERSHIPS,
    NETWORK_RULES,
    NETWORKS,
    OFFICE_PLACEMENTS,
    RULE_STATUSES,
    TABLES,
    YEAR_RANGE,
    Column,
    Table,
)

__all__ = ["cell_text", "validate_tables"]

_SLUG = re.compile(r"[a-z0-9-]+")
_COUNTRY = re.compile(r"[A-Z]{2}")
_WHOLE = re.compile(r"[+-]?[0-9]+")  # ASCII digits: int() also takes "١٩٩٠" and "２０"
_DECIMAL = re.compile(r"[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?")
_URL = re.compile(r"https?://\S+")
_SMALL_WHOLE = re.compile(r"[+]?[0-9]{1,12}")
_PLAIN_DECIMAL = re.compile(r"[+-]?([0-9]+\.?[0-9]*|\.[0-9]+)([eE][+-]?[0-9]+)?")


def _matches(values: pd.Series, pattern: re.Pattern[str]) -> np.ndarray:
    """Which cells fully match ``pattern``, testing each distinct value once.

    Ids, URLs and years repeat a lot (400,000 facts may cite a few thousand sources), so this
    is much faster than matching every cell.
    """
    codes, uniques = pd.factorize(values.to_numpy(dtype=object))
    texts = [str(u) for u in uniques]
    joined = "\n".join(texts)
    if texts and joined.count("\n") == len(texts) - 1 and _all_lines(pattern, joined):
        hits = np.ones(len(texts), dtype=bool)  # every distinct value at once, in C
    else:
        hits = np.fromiter(
            (pattern.fullmatch(t) is not None for t in texts), dtype=bool, count=len(texts)
        )
    result: np.ndarray = hits[codes] if len(codes) else np.zeros(0, dtype=bool)
    return result


@functools.lru_cache(maxsize=32)
def _lines_pattern(pattern: re.Pattern[str]) -> re.Pattern[str]:
    """Compile ``pattern`` for a whole text of lines: P, then newline and P, any number of times.

    Valid for patterns that never match a newline (all of this module's).
    """
    return re.compile(f"(?:{pattern.pattern})(?:\n(?:{pattern.pattern}))*", pattern.flags)


def _all_lines(pattern: re.Pattern[str], joined: str) -> bool:
    """Whether every line of ``joined`` (values without newlines) fully matches ``pattern``."""
    return _lines_pattern(pattern).fullmatch(joined) is not None


def _row(label: Hashable) -> int:
    """Spreadsheet row number from an index label."""
    return int(cast("int", label))


_ASCII = re.compile(r"[\x20-\x7e]*")
_INVISIBLE = re.compile("[\u200b\u2060-\u2064\ufeff]")  # not ZWNJ/ZWJ, which scripts use
# Cyrillic and Greek letters drawn like Latin ones (and so the Latin ones like them)
_LOOKALIKE = {
    "CYRILLIC": set("аеорсухіјѕԁһӏԛԝАВЕКМНОРСТХІЈЅҮ"),
    "GREEK": set("αορνικτχΑΒΕΖΗΙΚΜΝΟΡΤΥΧ"),
    "LATIN": set("aeopcyxijsdhlqwABEKMHOPCTXIJSYZNv"),
}


@functools.lru_cache(maxsize=4096)
def _script(ch: str) -> str:
    return unicodedata.name(ch, "").split(" ")[0]


def _mixed_script(text: str) -> str:
    """Say why a name looks forged (``""`` when it does not).

    A word of one script holding a look-alike letter of another (Cyrillic "а" in "Pаris"), or
    an invisible character. Letters of another script that look like nothing in the word's own
    (Ossetian Cyrillic writes Latin "æ") are not flagged.

    Examples
    --------
    >>> _mixed_script("Paris"), _mixed_script("Москва"), _mixed_script("Сарагосæ")
    ('', '', '')
    >>> _mixed_script("P\u0430ris")[:50]
    "has the CYRILLIC letter 'а' among LATIN ones in 'P"
    """
    hidden = _INVISIBLE.search(text)
    if hidden:
        return (
            f"holds an invisible character (U+{ord(hidden.group()):04X}) that makes it look "
            "like another name"
        )
    if text.isascii():
        return ""
    for word in re.findall(r"\w+", text):
        if word.isascii():
            continue
        scripts = Counter(_script(ch) for ch in word if ch.isalpha())
        if len(scripts) < 2:
            continue
        main = scripts.most_common(1)[0][0]
        for ch in word:
            other = _script(ch) if ch.isalpha() else main
            if other != main and ch in _LOOKALIKE.get(other, ()) and main in _LOOKALIKE:
                return (
                    f"has the {other} letter {ch!r} among {main} ones in {word!r}, as a "
                    "look-alike of another name would; write it in one script"
                )
    return ""


SUGGEST_LIMIT = 50
"""Distinct unknown ids per column that get a "did you mean" suggestion."""


def _suggest(value: str, choices: Any, *, cutoff: float = 0.6) -> str:
    """Return `` (did you mean 'x'?)`` for the closest choice, or ``""``."""
    pool = [str(c) for c in choices]
    match = difflib.get_close_matches(value, pool, n=1, cutoff=cutoff)
    if not match:
        match = difflib.get_close_matches(value.lower().strip(), pool, n=1, cutoff=cutoff)
    return f" (did you mean {match[0]!r}?)" if match else ""


def cell_text(value: Any) -> str:
    """Format one in-memory cell as contract text (missing becomes ``""``).

    Examples
    --------
    >>> [cell_text(v) for v in (None, float("nan"), 2019.0, True, "NA")]
    ['', '', '2019', 'yes', 'NA']
    """
    if value is None or value is pd.NA or value is pd.NaT:
        return ""
    if isinstance(value, bool | np.bool_):
        return "yes" if value else "no"
    if isinstance(value, float | np.floating):
        number = float(value)
        if math.isnan(number):
            return ""
        return str(int(number)) if number.is_integer() and abs(number) < 2**53 else repr(number)
    if isinstance(value, int | np.integer):
        return str(int(value))
    return str(value)


class _Checker:
    """Turns the text cells of one column into typed values, recording problems."""

    def __init__(self, file: str, problems: list[Problem]) -> None:
        self.file = file
        self.problems = problems

    def add(self, row: int, col: Column, value: str, message: str) -> None:
        self.problems.append(Problem(self.file, message, row=row, column=col.name, value=value))

    def convert(self, col: Column, cells: pd.Series) -> pd.Series:
        """Convert a column: vectorised for the valid cells, cell by cell for the others.

        The per-cell parsers are the reference; the vectorised path only accepts what they
        accept, and every cell it does not accept goes through them for its message.
        """
        text = cells.astype(str)
        empty = (text == "").to_numpy(dtype=bool)
        if col.required:
            for row in cells.index[empty]:
                self.problems.append(
                    Problem(self.file, "is required but empty", row=_row(row), column=col.name)
                )
        out = pd.Series(pd.NA, index=cells.index, dtype=col.dtype, name=col.name)
        filled = text[~empty]
        ok, values = self._fast(col, filled)
        if ok.any():
            out[filled.index[ok]] = values[ok]
        parse: Callable[[int, Column, str], Any] = getattr(self, f"_parse_{col.kind}")
        slow = filled[~ok]
        parsed = [parse(_row(row), col, str(value)) for row, value in slow.items()]
        keep = [p is not pd.NA for p in parsed]
        if any(keep):
            # one assignment for all of them: per-cell assignment would be quadratic for
            # columns that always take this path (themes, groups)
            out[slow.index[keep]] = [p for p, k in zip(parsed, keep, strict=True) if k]
        return out

    def _fast(self, col: Column, text: pd.Series) -> tuple[np.ndarray, pd.Series]:
        """Accept the plainly valid cells of a column at once; return the mask and values."""
        none = np.zeros(len(text), dtype=bool)
        strings = text.astype(object)
        if col.kind in ("text", "tags"):
            # names and notes in NFC, so that "São Paulo" typed either way is one name; a name
            # that mixes Latin with Cyrillic or Greek letters (a homoglyph) goes cell by cell
            plain = _matches(strings, _ASCII)
            if plain.all():
                return (~none if col.kind == "text" else none), strings
            normal = strings.where(plain, strings.map(lambda v: unicodedata.normalize("NFC", v)))
            ok = ~none if col.kind == "text" else none.copy()
            if col.name in ("name", "aliases"):
                ok = ok & ~normal.map(_mixed_script).to_numpy(dtype=bool)
            return ok, normal
        if col.kind in ("id", "url", "country"):
            pattern = {"id": _SLUG, "url": _URL, "country": _COUNTRY}[col.kind]
            return _matches(strings, pattern), strings
        if col.kind == "enum":
            return text.isin(col.choices).to_numpy(dtype=bool), strings
        if col.kind == "bool":
            return text.isin(["yes", "no"]).to_numpy(dtype=bool), text == "yes"
        if col.kind in ("year", "int"):
            whole = _matches(strings, _SMALL_WHOLE)
            numbers = pd.Series(0, index=text.index, dtype="int64")
            numbers[whole] = text[whole].astype("int64")
            if col.kind == "year":
                low, high = YEAR_RANGE
                ok = whole & (numbers >= low).to_numpy() & (numbers <= high).to_numpy()
            else:
                ok = whole
            return ok, numbers
        if col.kind == "float":
            plain = _matches(strings, _PLAIN_DECIMAL)
            decimals = pd.to_numeric(text.where(plain, "nan"), errors="coerce").astype("float64")
            ok = plain & np.isfinite(decimals.to_numpy())
            if col.bounds:
                low_bound, high_bound = col.bounds
                ok &= ((decimals >= low_bound) & (decimals <= high_bound)).to_numpy()
            return ok, decimals
        return none, strings  # lists and tags: cell by cell

    def _parse_text(self, row: int, col: Column, value: str) -> Any:
        value = unicodedata.normalize("NFC", value)
        mixed = _mixed_script(value)
        if mixed:
            self.add(row, col, value, mixed)
            return pd.NA
        return value

    def _parse_id(self, row: int, col: Column, value: str) -> Any:
        if _SLUG.fullmatch(value):
            return value
        if value != value.strip():
            why = "has spaces at the start or end"
        elif _SLUG.fullmatch(value.strip().lower().replace(" ", "-")):
            why = "must be a lower-case slug of a-z, 0-9 and '-'"
            why += f" (e.g. {value.strip().lower().replace(' ', '-')!r})"
        else:
            why = "must be a slug of a-z, 0-9 and '-'"
        self.add(row, col, value, why)
        return pd.NA

    def _parse_url(self, row: int, col: Column, value: str) -> Any:
        if _URL.fullmatch(value):
            return value
        self.add(row, col, value, "is not an http(s):// address")
        return pd.NA

    def _parse_country(self, row: int, col: Column, value: str) -> Any:
        if _COUNTRY.fullmatch(value):
            return value
        self.add(row, col, value, "is not an ISO 3166-1 alpha-2 code (two capital letters)")
        return pd.NA

    def _parse_enum(self, row: int, col: Column, value: str) -> Any:
        if value in col.choices:
            return value
        self.add(
            row,
            col,
            value,
            f"is not one of {', '.join(col.choices)}{_suggest(value, col.choices)}",
        )
        return pd.NA

    def _parse_list(self, row: int, col: Column, value: str) -> Any:
        items = [item.strip() for item in value.split(";")]
        ok = True
        for item in items:
            if item not in col.choices:
                ok = False
                why = "is empty" if item == "" else "is not in the vocabulary"
                self.problems.append(
                    Problem(
                        self.file,
                        f"item {item!r} {why}{_suggest(item, col.choices) if item else ''}"
                        " (see docs/data-format.md)",
                        row=row,
                        column=col.name,
                        value=value,
                    )
                )
        if len(set(items)) != len(items):
            ok = False
            self.add(row, col, value, "lists an item twice")
        return ";".join(items) if ok else pd.NA

    def _parse_tags(self, row: int, col: Column, value: str) -> Any:
        value = unicodedata.normalize("NFC", value)
        mixed = _mixed_script(value) if col.name == "aliases" else ""
        if mixed:
            self.add(row, col, value, mixed)
            return pd.NA
        items = [item.strip() for item in value.split(";")]
        if any(item == "" for item in items):
            self.add(row, col, value, "has an empty tag (two ';' in a row or a trailing ';')")
            return pd.NA
        return ";".join(items)

    def _parse_year(self, row: int, col: Column, value: str) -> Any:
        low, high = YEAR_RANGE
        if not _WHOLE.fullmatch(value):
            self.add(row, col, value, "is not a year (a whole number such as 2017)")
            return pd.NA
        year = int(value)
        if not low <= year <= high:
            self.add(row, col, value, f"is not a year between {low} and {high}")
            return pd.NA
        return year

    def _parse_int(self, row: int, col: Column, value: str) -> Any:
        if not _WHOLE.fullmatch(value) or int(value) < 0:
            self.add(row, col, value, "is not a whole number >= 0 (no separators or decimals)")
            return pd.NA
        return int(value)

    def _parse_float(self, row: int, col: Column, value: str) -> Any:
        # ASCII digits only: Python's float() also takes "١٩٩٠", "２０" and "4_5.5"
        number = float(value) if _DECIMAL.fullmatch(value) else math.nan
        if math.isnan(number) or math.isinf(number):
            odd = "_" in value or any(ch.isdigit() and not ch.isascii() for ch in value)
            hint = "ASCII digits only, " if odd else "use "
            self.add(row, col, value, f"is not a number ({hint}'.' as the decimal point)")
            return pd.NA
        if col.bounds and not col.bounds[0] <= number <= col.bounds[1]:
            low, high = col.bounds
            self.add(row, col, value, f"is outside [{low:g}, {high:g}]")
            return pd.NA
        return number

    def _parse_bool(self, row: int, col: Column, value: str) -> Any:
        if value in ("yes", "no"):
            return value == "yes"
        self.add(row, col, value, "must be 'yes' or 'no'")
        return pd.NA


def _typed_table(table: Table, raw: pd.DataFrame, problems: list[Problem]) -> pd.DataFrame:
    """Check columns and cells of one table; return a frame with contract dtypes."""
    checker = _Checker(table.file, problems)
    present = [str(c) for c in raw.columns]
    for col in table.columns:
        if col.required and col.name not in present:
            extra = [c for c in present if c not in table.names]
            problems.append(
                Problem(
                    table.file,
                    f"required column {col.name!r} is missing{_suggest(col.name, extra)}",
                    row=1,
                )
            )
    data: dict[str, pd.Series] = {}
    for col in table.columns:
        if col.name in present:
            data[col.name] = checker.convert(col, raw[col.name])
        else:
            data[col.name] = pd.Series(pd.NA, index=raw.index, dtype=col.dtype, name=col.name)
    for name in present:
        if name not in table.names:
            meant = re.sub(r"[\s-]+", "_", name.strip()).casefold()
            if meant in table.names:
                problems.append(
                    Problem(
                        table.file,
                        f"header {name!r} is not a column of the contract, so its values would "
                        f"be ignored (did you mean {meant!r}? headers are lower case, without "
                        "spaces around them)",
                        row=1,
                    )
                )
                continue
            extra_col = raw[name].astype("string")
            data[name] = extra_col.mask(extra_col == "")
    return pd.DataFrame(data, index=raw.index)


def _check_unique(table: Table, frame: pd.DataFrame, problems: list[Problem]) -> None:
    for key in table.key:
        values = frame[key]
        first: dict[str, int] = {}
        for row, value in values.items():
            if value is pd.NA:
                continue
            if value in first:
                problems.append(
                    Problem(
                        table.file,
                        f"is not unique (also on row {first[value]})",
                        row=_row(row),
                        column=key,
                        value=str(value),
                    )
                )
            else:
                first[str(value)] = _row(row)


def _check_identical_rows(table: Table, frame: pd.DataFrame, problems: list[Problem]) -> None:
    dup = frame.duplicated(keep=False)
    if not dup.any():
        return
    first: dict[tuple[Any, ...], int] = {}
    for row, values in frame[dup].iterrows():
        key = tuple("\x00" if v is pd.NA else v for v in values)
        if key in first:
            problems.append(
                Problem(
                    table.file,
                    f"repeats row {first[key]} exactly (identical duplicate fact)",
                    row=_row(row),
                )
            )
        else:
            first[key] = _row(row)


def _check_foreign(
    table: Table,
    frame: pd.DataFrame,
    column: str,
    target: Table,
    known: pd.Index,
    problems: list[Problem],
) -> None:
    values = frame[column]
    missing = values.notna() & ~values.isin(known)
    hints: dict[str, str] = {}
    for row, value in values[missing].items():
        text = str(value)
        if text not in hints:
            # a "did you mean" search over every id costs a few ms: for the first
            # SUGGEST_LIMIT distinct unknown values only, so that a file of thousands of
            # unknown ids is reported in seconds, not hours
            hints[text] = _suggest(text, known) if len(hints) < SUGGEST_LIMIT else ""
        problems.append(
            Problem(
                table.file,
                f"is not in {target.file}{hints[text]}",
                row=_row(row),
                column=column,
                value=text,
            )
        )


def _check_periods(frame: pd.DataFrame, problems: list[Problem]) -> None:
    bad = frame["since"].notna() & frame["until"].notna() & (frame["since"] > frame["until"])
    for row, since in frame.loc[bad.fillna(False), "since"].items():
        until: object = frame.at[row, "until"]
        problems.append(
            Problem(
                MEMBERSHIPS.file,
                f"is later than until {until!s} (since must be <= until)",
                row=_row(row),
                column="since",
                value=str(since),
            )
        )


def _check_capacity_values(frame: pd.DataFrame, problems: list[Problem]) -> None:
    placement = frame["attribute"] == "office_placement"
    bad = placement.fillna(False) & frame["value"].notna() & ~frame["value"].isin(OFFICE_PLACEMENTS)
    for row, value in frame.loc[bad, "value"].items():
        problems.append(
            Problem(
                CAPACITY.file,
                f"is not an office placement ({', '.join(OFFICE_PLACEMENTS)})"
                f"{_suggest(str(value), OFFICE_PLACEMENTS)}",
                row=_row(row),
                column="value",
                value=str(value),
            )
        )


_RULE_NUMBERS = ("min_population", "executive_term_years")
_RULE_CHOICES: dict[str, tuple[str, ...]] = {
    "status": RULE_STATUSES,
    "member_type": MEMBER_TYPES,
    "universal": ("yes",),
}


def _check_rule_values(frame: pd.DataFrame, problems: list[Problem]) -> None:
    """Values that analyses read must have the form they expect; the others are free text."""
    for row, attribute, value in zip(frame.index, frame["attribute"], frame["value"], strict=True):
        if attribute is pd.NA or value is pd.NA:
            continue
        text = str(value)
        message = ""
        if attribute in _RULE_CHOICES:
            choices = _RULE_CHOICES[str(attribute)]
            if text not in choices:
                message = f"is not a {attribute} ({', '.join(choices)}){_suggest(text, choices)}"
        elif attribute == "admission":
            if not any(text == kind or text.startswith(kind + " (") for kind in ADMISSIONS):
                message = (
                    f"is not an admission ({', '.join(ADMISSIONS)}, optionally followed by "
                    f"details in parentheses){_suggest(text, ADMISSIONS)}"
                )
        elif attribute in _RULE_NUMBERS:
            number = _PLAIN_DECIMAL.fullmatch(text)
            if not number or float(text) <= 0:
                message = f"is not a positive number (the {attribute} rule is read as one)"
        if message:
            problems.append(
                Problem(NETWORK_RULES.file, message, row=_row(row), column="value", value=text)
            )


def _columns(frame: pd.DataFrame | None) -> set[str]:
    return set() if frame is None else {str(c) for c in frame.columns}


def validate_tables(
    raw: Mapping[str, pd.DataFrame | None],
    problems: list[Problem] | None = None,
) -> dict[str, pd.DataFrame]:
    """Validate text tables against the contract and return typed tables.

    Parameters
    ----------
    raw
        ``{"cities": frame, "networks": frame, "memberships": frame, "capacity": frame | None}``
        with text cells and spreadsheet row numbers as index
        (see :func:`citynet.io.read_table_text`).
        A value of ``None`` means the table could not be read; its problems are in ``problems``.
    problems
        Problems found while reading; more are added.

    Returns
    -------
    dict
        Typed frames keyed by table name; ``"capacity"`` is omitted when not given.

    Raises
    ------
    DataError
        With every problem found, if there is any.

    Examples
    --------
    >>> import pandas as pd
    >>> raw = {
    ...     "cities": pd.DataFrame({"city_id": ["x"], "name": ["X"], "country": ["NA"]}, index=[2]),
    ...     "networks": pd.DataFrame({"network_id": ["n"], "name": ["N"], "scope": ["regional"]},
    ...                              index=[2]),
    ...     "memberships": pd.DataFrame({"city_id": ["x"], "network_id": ["n"], "role": ["member"],
    ...                                  "source_url": ["https://example.org"]}, index=[2]),
    ... }
    >>> validate_tables(raw)["cities"].loc[2, "country"]
    'NA'
    """
    found: list[Problem] = list(problems or [])
    typed: dict[str, pd.DataFrame] = {}
    for table in TABLES:
        frame = raw.get(table.name)
        if frame is None:
            continue
        typed[table.name] = _typed_table(table, frame, found)
        if table.key:
            _check_unique(table, typed[table.name], found)
    if "memberships" in typed:
        _check_identical_rows(MEMBERSHIPS, typed["memberships"], found)
        _check_periods(typed["memberships"], found)
    if "capacity" in typed:
        _check_identical_rows(CAPACITY, typed["capacity"], found)
        _check_capacity_values(typed["capacity"], found)
    if "network_rules" in typed:
        _check_identical_rows(NETWORK_RULES, typed["network_rules"], found)
        _check_rule_values(typed["network_rules"], found)
    # Foreign keys are checked only against a key column that exists: a missing or renamed
    # key column is one problem, not one per referring row.
    referring = {"cities": (MEMBERSHIPS, CAPACITY), "networks": (MEMBERSHIPS, NETWORK_RULES)}
    for target in (CITIES, NETWORKS):
        key = target.key[0]
        if target.name not in typed or key not in _columns(raw.get(target.name)):
            continue
        known = pd.Index(typed[target.name][key].dropna().unique())
        for table in referring[target.name]:
            if table.name in typed:
                _check_foreign(table, typed[table.name], key, target, known, found)
    if found:
        order = {t.file: i for i, t in enumerate(TABLES)}
        found.sort(key=lambda p: (order.get(p.file, -1), p.row or 0))
        raise DataError(found)
    return typed
