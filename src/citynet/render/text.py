"""Text for terminals: paragraphs and tables that fit :data:`WIDTH` columns.

Tables are plain text: a header, a rule, and rows; columns too wide for the page are wrapped
inside their cell, never cut without a mark, and missing values print as "unknown" or "-".
Every cell passes :func:`~citynet.render.words.safe`, so names cannot carry terminal escapes.
"""

from __future__ import annotations

import math
import numbers
import textwrap
import unicodedata
from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd

from citynet.render.words import safe

__all__ = ["WIDTH", "block", "cell", "display_width", "field", "paragraph", "table"]

WIDTH = 100
"""Columns of every text output."""


def display_width(text: str) -> int:
    """Columns ``text`` takes in a terminal (wide East Asian characters take two).

    Examples
    --------
    >>> display_width("Kyoto"), display_width("京都")
    (5, 4)
    """
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _pad(text: str, width: int, align: str) -> str:
    gap = max(width - display_width(text), 0)
    return text + " " * gap if align == "left" else " " * gap + text


def _wrap(text: str, width: int) -> list[str]:
    if display_width(text) <= width:
        return [text]
    lines: list[str] = []
    line = ""
    for word in text.split(" "):
        candidate = f"{line} {word}" if line else word
        if display_width(candidate) <= width:
            line = candidate
            continue
        if line:
            lines.append(line)
        while display_width(word) > width:  # a single long word: break it
            cut = width
            while display_width(word[:cut]) > width:
                cut -= 1
            lines.append(word[:cut])
            word = word[cut:]
        line = word
    if line:
        lines.append(line)
    return lines


def paragraph(text: str, *, indent: str = "", width: int = WIDTH) -> str:
    """Wrap a paragraph to ``width`` columns (``indent`` on continuation lines).

    Leading spaces of ``text`` are kept on its first line.

    Examples
    --------
    >>> print(paragraph("word " * 30, width=40))
    word word word word word word word word
    word word word word word word word word
    word word word word word word word word
    word word word word word word
    """
    raw = str(text)
    lead = raw[: len(raw) - len(raw.lstrip(" "))]
    first = _wrap(safe(" ".join(raw.split())), width - len(lead))
    if len(first) > 1 and len(indent) != len(lead):
        head = first[0]
        rest = _wrap(" ".join(first[1:]), width - len(indent))
        first = [head, *rest]
    return lead + ("\n" + indent).join(first)


def field(label: str, text: str, *, label_width: int = 17, indent: str = "  ") -> str:
    """Return a labelled line, its text wrapped under itself.

    Examples
    --------
    >>> print(field("Fee", "free"))
      Fee:              free
    """
    prefix = f"{indent}{label + ':':<{label_width + 1}} "
    lines = _wrap(safe(" ".join(str(text).split())), WIDTH - len(prefix))
    return prefix + ("\n" + " " * len(prefix)).join(lines)


def cell(value: Any, *, digits: int = 2, missing: str = "-") -> str:
    """Format one table cell: numbers rounded, booleans as yes/no, missing as ``missing``.

    Examples
    --------
    >>> [cell(v) for v in (1.23456, 3, True, None, float("nan"), "x")]
    ['1.23', '3', 'yes', '-', '-', 'x']
    """
    if value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value)):
        return missing
    if isinstance(value, bool | np.bool_):
        return "yes" if value else "no"
    if isinstance(value, numbers.Integral):
        return f"{int(value):,}"
    if isinstance(value, numbers.Real):
        number = float(value)
        if math.isinf(number):
            return "unlimited"
        return f"{number:,.{digits}f}"
    return safe(value)


def _numeric(values: Sequence[Any]) -> bool:
    present = [v for v in values if cell(v) != "-"]
    return bool(present) and all(
        isinstance(v, numbers.Real) and not isinstance(v, bool | np.bool_) for v in present
    )


def table(
    rows: Sequence[Sequence[Any]],
    headers: Sequence[str],
    *,
    align: Sequence[str] | None = None,
    width: int = WIDTH,
    digits: int = 2,
    indent: str = "",
) -> str:
    """Lay out rows as a text table no wider than ``width``; wide columns wrap in their cells.

    Parameters
    ----------
    rows
        Cell values (numbers, text, missing values).
    headers
        Column titles.
    align
        ``"left"`` or ``"right"`` per column (default: numbers right, text left).

    Examples
    --------
    >>> print(table([["Paris", 3, 1.5], ["Kyoto", 12, None]], ["city", "networks", "load"]))
    city   networks  load
    -----  --------  ----
    Paris         3  1.50
    Kyoto        12     -
    """
    texts = [[cell(v, digits=digits) for v in row] for row in rows]
    n = len(headers)
    if align is None:
        align = ["right" if _numeric([r[i] for r in rows]) else "left" for i in range(n)]
    widths = [
        max([display_width(headers[i])] + [display_width(r[i]) for r in texts]) for i in range(n)
    ]
    available = width - len(indent) - 2 * (n - 1)
    if sum(widths) > available:
        # Columns up to 12 wide keep their width; the others share what is left in
        # proportion to their natural width (long texts wrap least).
        fixed = [i for i in range(n) if widths[i] <= 12]
        flexible = [i for i in range(n) if i not in fixed]
        floors = {
            i: min(
                max(
                    [display_width(w) for w in headers[i].split()]
                    + [display_width(w) for r in texts for w in r[i].split()]
                    + [8]
                ),
                20,
            )
            for i in flexible
        }
        room = available - sum(widths[i] for i in fixed)
        natural = sum(widths[i] for i in flexible)
        shares = {i: int(room * widths[i] / natural) if natural else 0 for i in flexible}
        short = {i for i in flexible if shares[i] < floors[i]}
        # columns whose share is below their longest word get it; the rest share what remains
        spare = room - sum(floors[i] for i in short)
        rest = sum(widths[i] for i in flexible if i not in short)
        for i in flexible:
            if i in short:
                widths[i] = floors[i]
            else:
                widths[i] = max(floors[i], int(spare * widths[i] / rest) if rest else floors[i])
    out = []
    head = [_wrap(h, widths[i]) for i, h in enumerate(headers)]
    depth = max(len(h) for h in head) if head else 1
    for line in range(depth):
        parts = [
            _pad(head[i][line] if line < len(head[i]) else "", widths[i], align[i])
            for i in range(n)
        ]
        out.append(indent + "  ".join(parts).rstrip())
    out.append(indent + "  ".join("-" * w for w in widths))
    for row in texts:
        wrapped = [_wrap(row[i], widths[i]) for i in range(n)]
        height = max(len(w) for w in wrapped)
        for line in range(height):
            parts = [
                _pad(wrapped[i][line] if line < len(wrapped[i]) else "", widths[i], align[i])
                for i in range(n)
            ]
            out.append(indent + "  ".join(parts).rstrip())
    return "\n".join(out)


def block(title: str, lines: Sequence[str]) -> str:
    """Return a titled block of lines (each already within the width).

    Examples
    --------
    >>> print(block("Caveats", ["one", "two"]))
    Caveats
      one
      two
    """
    return "\n".join([title, *(textwrap.indent(line, "  ") for line in lines)])
