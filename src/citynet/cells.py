"""Reading one cell of a published table as the people who wrote it meant it.

The importers (:mod:`citynet.importers`) are the forgiving door: a cell they cannot use leaves
its field empty and is listed in the import report. What each kind of cell may say is written
here once, so that the documentation (docs/data-format.md, "Importing a published dataset") and
the code tell the same story:

* **missing values**: the tokens that R, Stata, SPSS, Excel and pandas write for "no value"
  (:data:`MISSING`), configurable per import;
* **membership marks** of a wide table (:data:`MARKS_YES`, :data:`MARKS_NO`);
* **years and periods**: ``2008``, ``2008.0``, a date (``2008-05-12``, ``12/05/2008``), a year
  in words (``since 2008``, ``c. 2008``) and a period (``2008-2012 - CIVITAS PLUS``,
  ``2008 to 2012``) (:func:`read_period`);
* **statuses**: the words that mean a membership, an ended one, a suspended one, or no
  membership at all (:func:`status_kind`);
* **totals rows**: ``Total``, ``Grand total``, ``Subtotal``, ``Summe`` (:func:`is_totals`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from citynet.lookup import normalize_name

__all__ = [
    "MARKS_NO",
    "MARKS_YES",
    "MISSING",
    "Period",
    "is_totals",
    "mark",
    "read_period",
    "status_kind",
]

MISSING: tuple[str, ...] = ("NA", "N/A", "n/a", "NaN", "-", ".", "NULL", "None", "#N/A", "")
"""Cells read as missing by default: R (``NA``), Excel (``#N/A``), Stata (``.``), SQL (``NULL``),
pandas (``NaN``, ``None``), and the dash of printed tables. In a country column ``NA`` is
Namibia unless the file quotes its text and leaves ``NA`` unquoted (R's ``write.csv``)."""

MARKS_YES: frozenset[str] = frozenset(
    ["1", "1.0", "yes", "y", "true", "x", "✓", "✔", "☑", "✅", "member", "ja", "oui", "si", "sí"]
)
"""Cells of a wide table's network column that mean "a member" (compared in lower case)."""

MARKS_NO: frozenset[str] = frozenset(
    ["0", "0.0", "no", "n", "false", "✗", "✘", "☐", "nein", "non", "", "-"]
)
"""Cells that mean "not a member"; anything else in a network column is listed, never read."""

_YEAR_LOW, _YEAR_HIGH = 1800, 2100
_YEARS = re.compile(r"(?<!\d)(1[89]\d\d|20\d\d|2100)(?!\d)")
_PERIOD = re.compile(
    r"^\D*?(?<!\d)(?P<a>1[89]\d\d|20\d\d)\s*(?:-|–|—|/|to|until|till|bis|au|a|à)\s*"
    r"(?P<b>1[89]\d\d|20\d\d|\d\d)(?!\d)(?P<rest>.*)$",
    re.IGNORECASE,
)
_DATE = re.compile(
    r"^(?:(?P<y1>\d{4})[-/.](?P<m1>\d{1,2})(?:[-/.]\d{1,2})?(?:[ T][\d:.]+)?"
    r"|\d{1,2}[-/.](?:\d{1,2}[-/.])?(?P<y2>\d{4}))$"
)
_NUMERIC_YEAR = re.compile(r"^(?P<y>\d{4})(?:[.,]0+)?$")


@dataclass(frozen=True)
class Period:
    """What a year cell says: a first year, a last year, and how it was read.

    Examples
    --------
    >>> read_period("2008-2012 - CIVITAS PLUS")
    Period(since=2008, until=2012, how='a period')
    """

    since: int | None
    until: int | None
    how: str


def read_period(text: str) -> Period | None:
    """Read a year, a date or a period from a cell; ``None`` if it states no year clearly.

    Examples
    --------
    >>> read_period("2008"), read_period("2008.0").since, read_period("12/05/2008").how
    (Period(since=2008, until=None, how='a year'), 2008, 'a date')
    >>> read_period("since 2011"), read_period("2008-15"), read_period("2008-12").how
    (Period(since=2011, until=None, how='a year in words'), Period(since=2008, until=2015, \
how='a period'), 'a date')
    >>> read_period("soon") is None, read_period("2012-2008") is None
    (True, True)
    """
    cell = text.strip()
    match = _NUMERIC_YEAR.match(cell)
    if match:
        year = int(match["y"])
        return Period(year, None, "a year") if _YEAR_LOW <= year <= _YEAR_HIGH else None
    match = _DATE.match(cell)
    if match:
        year = int(match["y1"] or match["y2"])
        month = int(match["m1"]) if match["m1"] else 1
        two_digit_end = match["y1"] and len(match["m1"] or "") == 2 and month > 12
        if not two_digit_end and 1 <= month <= 12 and _YEAR_LOW <= year <= _YEAR_HIGH:
            return Period(year, None, "a date")
    match = _PERIOD.match(cell)
    if match:
        first, last = int(match["a"]), match["b"]
        end = int(last) if len(last) == 4 else (first // 100) * 100 + int(last)
        if len(last) == 2 and end < first:
            end += 100
        if first <= end <= _YEAR_HIGH and not _YEARS.search(match["rest"]):
            return Period(first, end, "a period")
        return None
    years = _YEARS.findall(cell)
    if len(years) == 1 and re.search(r"[^\W\d_]", cell):
        return Period(int(years[0]), None, "a year in words")
    return None


def mark(text: str) -> bool | None:
    """Read a membership mark: ``True`` (a member), ``False`` (not), ``None`` (not a mark).

    Examples
    --------
    >>> mark("✓"), mark("X"), mark("1.0"), mark(""), mark("no"), mark("l"), mark("?")
    (True, True, True, False, False, None, None)
    """
    cell = text.strip().lower()
    if cell in MARKS_YES:
        return True
    if cell in MARKS_NO:
        return False
    return None


_NOT_MEMBER = re.compile(
    r"\b(non ?members?|not (?:a )?members?|no members?(?:hip)?|applicants?|applied|"
    r"applying|applications?|candidates?|candidacy|pending|rejected|declined|refused|denied|"
    r"invited|invitations?|prospective|observers?|interested|waiting list|kein mitglied|"
    r"nicht mitglied|non membre|no miembro|candidat|candidato|bewerber)\b"
)
_ENDED = re.compile(
    r"\b(former|formerly|left|withdrawn|withdrew|withdrawal|inactive|expelled|excluded|ended|"
    r"lapsed|past|cancell?ed|terminated|resigned|exited|revoked|no longer|ex members?|ex|"
    r"ehemalig\w*|ausgetreten|ancien\w*|antiguo|exmiembro)\b"
)
_SUSPENDED = re.compile(r"\b(suspended|on hold|frozen|suspendiert|suspendu)\b")
_NEGATIVE = frozenset(["no", "n", "false", "0", "none"])


def status_kind(text: str) -> str:
    """Say what a status cell means: ``member``, ``ended``, ``suspended`` or ``not a member``.

    "Not a member" wins over the rest (``non-member``, ``applicant``, ``rejected``,
    ``candidate``, ``observer``, ``invited``, ``no``); a status no word here matches is read as
    ``member`` and the import report lists each such value with its count.

    Examples
    --------
    >>> [status_kind(s) for s in ("Member", "non-member", "Applicant", "membership cancelled",
    ...                           "former member", "on hold", "board member", "no")]
    ['member', 'not a member', 'not a member', 'ended', 'ended', 'suspended', 'member', \
'not a member']
    """
    words = normalize_name(text)
    if words in _NEGATIVE or _NOT_MEMBER.search(words):
        return "not a member"
    if _ENDED.search(words):
        return "ended"
    if _SUSPENDED.search(words):
        return "suspended"
    return "member"


_TOTALS = re.compile(
    r"^((grand |sub ?)?totals?|sum|sums|summe|gesamt|insgesamt|totaal|totale|total general|"
    r"total geral|average|mean|median|count|all cities)(\b.*)?$"
)


def is_totals(name: str) -> bool:
    """Whether a name cell labels a totals or summary row (``Total``, ``Subtotal Europe``).

    Examples
    --------
    >>> is_totals("Total"), is_totals("Grand Total"), is_totals("Summe"), is_totals("Totana")
    (True, True, True, False)
    """
    return bool(_TOTALS.match(normalize_name(name)))
