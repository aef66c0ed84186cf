"""Small pieces of language: labels, numbers, ordinals, lists, and terminal-safe text."""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Iterable
from typing import Any

import pandas as pd

from citynet.schema import THEME_LABELS

__all__ = [
    "THEME_LABELS",
    "and_list",
    "certainty_sentence",
    "number",
    "ordinal",
    "plural",
    "safe",
    "theme_label",
    "themes_text",
    "unknown",
]


# C0/C1 controls, zero-width space, direction marks and overrides; not the zero-width
# (non-)joiners U+200C/U+200D, which Persian, Indic scripts and emoji need
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u200b\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def safe(text: Any) -> str:
    r"""Return ``text`` safe for a terminal: control and bidi-control characters escaped.

    Names in user data may hold ANSI escapes, OSC sequences or hidden text; printed raw they
    could recolour a terminal, write to the clipboard or hide a line. Each such character
    becomes a visible ``\u....`` escape.

    Examples
    --------
    >>> safe("Paris\x1b[31m")
    'Paris\\u001b[31m'
    >>> safe("São Paulo")
    'São Paulo'
    """
    value = unknown(text)
    return _CONTROL.sub(lambda m: f"\\u{ord(m.group()):04x}", value)


def unknown(value: Any, *, missing: str = "unknown") -> str:
    """Return ``value`` as text, ``missing`` for empty values (never "nan" or "<NA>").

    Examples
    --------
    >>> unknown(float("nan")), unknown(None), unknown(True), unknown(3)
    ('unknown', 'unknown', 'yes', '3')
    """
    if value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value)):
        return missing
    if isinstance(value, bool):
        return "yes" if value else "no"
    return str(value)


def theme_label(theme: str) -> str:
    """Return the plain-language label of a theme.

    Examples
    --------
    >>> theme_label("urban_planning_sustainability")
    'urban planning and sustainability'
    """
    return THEME_LABELS.get(theme, theme.replace("_", " "))


def themes_text(themes: Iterable[str], *, none: str = "none") -> str:
    """Return themes as a readable list.

    Examples
    --------
    >>> themes_text(["climate_change", "culture"])
    'climate change and culture'
    """
    return and_list([theme_label(t) for t in themes], none=none)


def ordinal(number: float) -> str:
    """Return a rounded number as an English ordinal.

    Examples
    --------
    >>> [ordinal(n) for n in (1, 2, 3, 11, 22, 90.4, 100)]
    ['1st', '2nd', '3rd', '11th', '22nd', '90th', '100th']
    """
    n = round(number)
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def plural(count: int, word: str, many: str | None = None) -> str:
    """Return ``"1 city"`` / ``"3 cities"``.

    Examples
    --------
    >>> plural(1, "city", "cities"), plural(3, "city", "cities"), plural(2, "seat")
    ('1 city', '3 cities', '2 seats')
    """
    form = word if count == 1 else (many or word + "s")
    return f"{count:,} {form}"


def and_list(items: Iterable[str], *, none: str = "none", limit: int | None = None) -> str:
    """Join items as "a, b and c", cutting after ``limit`` with "and N more".

    Examples
    --------
    >>> and_list(["a", "b", "c"]), and_list([]), and_list(["a", "b", "c"], limit=2)
    ('a, b and c', 'none', 'a, b and 1 more')
    """
    values = [safe(i) for i in items]
    if not values:
        return none
    if limit is not None and len(values) > limit:
        return ", ".join(values[:limit]) + f" and {len(values) - limit:,} more"
    if len(values) == 1:
        return values[0]
    return ", ".join(values[:-1]) + " and " + values[-1]


def number(value: float, digits: int = 1) -> str:
    """Return a number for a reader: thousands separated, trailing zeros dropped.

    Examples
    --------
    >>> number(2500000), number(4.75), number(3.0), number(float("nan"))
    ('2,500,000', '4.8', '3', 'unknown')
    """
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "unknown"
    rounded = round(float(value), digits)
    if rounded.is_integer():
        return f"{int(rounded):,}"
    return f"{rounded:,.{digits}f}"


def normalized(text: str) -> str:
    """Return NFC text (for comparisons that should not see composed vs decomposed forms)."""
    return unicodedata.normalize("NFC", text)


def certainty_sentence(counts: dict[str, Any]) -> str:
    """Say which year an output is about, how sure its memberships are and how fresh.

    ``counts`` is :meth:`citynet.Landscape.certainty_counts` of a snapshot. The share counts
    the memberships resting on a dated observation of the last ``stale_after`` years.

    Examples
    --------
    >>> print(certainty_sentence({"year": 2020, "memberships": 4, "known": 1, "presumed": 3,
    ...     "undated": 0, "stale": 1, "stale_after": 5, "recent": 3, "lapsed": 2, "suspended": 0}))
    ... # doctest: +NORMALIZE_WHITESPACE
    As of 2020: 4 memberships, 75% observed 2015-2020 (1 known, 3 presumed;
    not counted: 2 lapsed; see docs/time.md).
    """
    total, year, after = counts["memberships"], counts["year"], counts["stale_after"]
    share = (
        f", {100 * counts['recent'] / total:.0f}% observed {year - after}-{year}"
        if total and "recent" in counts
        else ""
    )
    parts = [f"{counts['known']:,} known", f"{counts['presumed']:,} presumed"]
    if counts["undated"]:
        parts.append(f"{counts['undated']:,} undated")
    if "recent" not in counts and counts["stale"]:
        parts[-1] += f"; {counts['stale']:,} presumed from observations over {after} years old"
    left = [f"{counts[k]:,} {k}" for k in ("lapsed", "suspended") if counts.get(k)]
    tail = f"; not counted: {', '.join(left)}" if left else ""
    return (
        f"As of {year}: {total:,} memberships{share} ({', '.join(parts)}{tail}; see docs/time.md)."
    )
